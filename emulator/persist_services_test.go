package emulator_test

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/internal/testenv"
)

// services is a local endpoint on a data directory, with S3 and Logs
// clients, that a test can stop and start again.
type services struct {
	srv  *httptest.Server
	emu  *emulator.Server
	s3   *s3.Client
	logs *cloudwatchlogs.Client
}

func startServices(t *testing.T, dir string, opts ...emulator.Option) *services {
	t.Helper()
	emu := emulator.New(append([]emulator.Option{emulator.WithDataDir(dir)}, opts...)...)
	srv := httptest.NewServer(emu)
	t.Cleanup(func() { srv.Close(); emu.Close() })
	cfg := testenv.Config(srv.URL)
	return &services{srv, emu, svcS3(cfg), cloudwatchlogs.NewFromConfig(cfg)}
}

func (s *services) get(t *testing.T, bucket, key string) (*s3.GetObjectOutput, []byte) {
	t.Helper()
	out, err := s.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get s3://%s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return out, b
}

func (s *services) keys(t *testing.T, bucket string) string {
	t.Helper()
	out, err := s.s3.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatalf("list %s: %v", bucket, err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key)+"@"+o.LastModified.UTC().Format(time.RFC3339))
	}
	return strings.Join(keys, ",")
}

func (s *services) events(t *testing.T, group, stream string) string {
	t.Helper()
	out, err := s.logs.GetLogEvents(context.Background(), &cloudwatchlogs.GetLogEventsInput{
		LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("events of %s/%s: %v", group, stream, err)
	}
	var lines []string
	for _, e := range out.Events {
		lines = append(lines, time.UnixMilli(aws.ToInt64(e.Timestamp)).UTC().Format(time.RFC3339)+" "+aws.ToString(e.Message))
	}
	return strings.Join(lines, "|")
}

// TestDurableS3AndLogsSurviveRestart writes buckets, objects, log groups,
// streams and events through the real S3 and CloudWatch Logs clients (and
// the internal API the executor uses), restarts the endpoint on the same
// data directory and reads them all back as they were.
func TestDurableS3AndLogsSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	clock := &manualClock{t: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
	a := startServices(t, dir, emulator.WithClock(clock.Now))

	const bucket = "sagemaker-us-east-1-123456789012"
	if _, err := a.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	if err := a.emu.EnsureBucket(ctx, "second"); err != nil {
		t.Fatal(err)
	}
	big := svcRandom(t, 3<<20+7)
	put := func(key string, body []byte, meta map[string]string) {
		t.Helper()
		if _, err := a.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
			Body: bytes.NewReader(body), Metadata: meta, ContentType: aws.String("text/csv")}); err != nil {
			t.Fatalf("put %s: %v", key, err)
		}
		clock.Add(time.Second)
	}
	put("data/train.csv", []byte("a,b\n1,2\n"), map[string]string{"origin": "test"})
	put("data/big.bin", big, nil)
	put("data/gone.txt", []byte("soon deleted"), nil)
	put("data/train.csv", []byte("a,b\n3,4\n"), map[string]string{"origin": "second put"}) // replaces
	if _, err := a.s3.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy/train.csv"),
		CopySource: aws.String(bucket + "/data/train.csv")}); err != nil {
		t.Fatalf("copy: %v", err)
	}
	if _, err := a.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("data/gone.txt")}); err != nil {
		t.Fatal(err)
	}
	if err := a.emu.PutObject(ctx, "second", "job/output/model.tar.gz", strings.NewReader("model")); err != nil {
		t.Fatal(err)
	}
	if err := a.emu.PutObject(ctx, "second", "tmp/x", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("second"),
		Delete: &s3types.Delete{Objects: []s3types.ObjectIdentifier{{Key: aws.String("tmp/x")}, {Key: aws.String("never/there")}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("dropped")}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("dropped")}); err != nil {
		t.Fatal(err)
	}

	const group, stream = "/custom/group", "s1"
	if _, err := a.logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.logs.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)}); err != nil {
		t.Fatal(err)
	}
	t0 := clock.Now().Add(-time.Minute)
	if _, err := a.logs.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream),
		LogEvents: []cwltypes.InputLogEvent{{Timestamp: aws.Int64(t0.UnixMilli()), Message: aws.String("first")},
			{Timestamp: aws.Int64(t0.Add(time.Second).UnixMilli()), Message: aws.String("second, with \"quotes\"\nand a newline")}}}); err != nil {
		t.Fatal(err)
	}
	a.emu.AppendLog("", "/aws/sagemaker/TrainingJobs", "job/algo-1-1", t0, "from the executor")

	bucketsBefore, err := a.s3.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	keysBefore := a.keys(t, bucket)
	eventsBefore := a.events(t, group, stream)
	jobBefore := a.events(t, "/aws/sagemaker/TrainingJobs", "job/algo-1-1")
	headBefore, _ := a.get(t, bucket, "data/train.csv")
	a.srv.Close()

	clock.Add(time.Hour)
	b := startServices(t, dir, emulator.WithClock(clock.Now))
	bucketsAfter, err := b.s3.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	bucketList := func(out *s3.ListBucketsOutput) string {
		var s []string
		for _, bk := range out.Buckets {
			s = append(s, aws.ToString(bk.Name)+"@"+bk.CreationDate.UTC().Format(time.RFC3339))
		}
		return strings.Join(s, ",")
	}
	if got, want := bucketList(bucketsAfter), bucketList(bucketsBefore); got != want || strings.Contains(got, "dropped") {
		t.Fatalf("buckets after the restart:\n got %s\nwant %s", got, want)
	}
	if got := b.keys(t, bucket); got != keysBefore {
		t.Fatalf("keys after the restart:\n got %s\nwant %s", got, keysBefore)
	}
	if got := b.keys(t, "second"); !strings.HasPrefix(got, "job/output/model.tar.gz@") || strings.Contains(got, "tmp/x") {
		t.Fatalf("second bucket after the restart: %s", got)
	}
	out, body := b.get(t, bucket, "data/train.csv")
	if string(body) != "a,b\n3,4\n" || out.Metadata["origin"] != "second put" || aws.ToString(out.ContentType) != "text/csv" ||
		aws.ToString(out.ETag) != aws.ToString(headBefore.ETag) || !out.LastModified.Equal(*headBefore.LastModified) {
		t.Fatalf("data/train.csv after the restart: %q %v %q %s %s (before: %s %s)", body, out.Metadata, aws.ToString(out.ContentType),
			aws.ToString(out.ETag), out.LastModified, aws.ToString(headBefore.ETag), headBefore.LastModified)
	}
	if _, body := b.get(t, bucket, "data/big.bin"); !bytes.Equal(body, big) {
		t.Fatalf("data/big.bin: %d bytes back, want %d", len(body), len(big))
	}
	if _, body := b.get(t, bucket, "copy/train.csv"); string(body) != "a,b\n3,4\n" {
		t.Fatalf("copy: %q", body)
	}
	if got := b.events(t, group, stream); got != eventsBefore || !strings.Contains(got, "and a newline") {
		t.Fatalf("events after the restart:\n got %s\nwant %s", got, eventsBefore)
	}
	if got := b.events(t, "/aws/sagemaker/TrainingJobs", "job/algo-1-1"); got != jobBefore || !strings.Contains(got, "from the executor") {
		t.Fatalf("executor's events after the restart: %s", got)
	}
	// New events after the restart continue the stream with new IDs.
	b.emu.AppendLog("", "/aws/sagemaker/TrainingJobs", "job/algo-1-1", t0.Add(time.Second), "after the restart")
	out2, err := b.logs.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/aws/sagemaker/TrainingJobs")})
	if err != nil || len(out2.Events) != 2 || aws.ToString(out2.Events[0].EventId) == aws.ToString(out2.Events[1].EventId) {
		t.Fatalf("filter after the restart: %+v %v", out2, err)
	}
}

// breakDataDir makes every write to dir fail (a file stands where the
// directory was) until the returned function puts it back. This works as
// root, where permission bits would not stop a write.
func breakDataDir(t *testing.T, dir string) (restore func()) {
	t.Helper()
	aside := dir + ".aside"
	if err := os.Rename(dir, aside); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	return func() {
		t.Helper()
		if err := os.Remove(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(aside, dir); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDurableS3WriteFailureChangesNothing: an S3 change that cannot be
// stored answers 500 and is undone, in memory and on disk.
func TestDurableS3WriteFailureChangesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	a := startServices(t, dir)
	const bucket = "kept"
	if _, err := a.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"a", "b"} {
		if _, err := a.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader("old " + key)}); err != nil {
			t.Fatal(err)
		}
	}
	restore := breakDataDir(t, dir)
	internal := func(what string, err error) {
		t.Helper()
		if code, status := apiError(err); code != "InternalError" || status != 500 {
			t.Fatalf("%s: want InternalError 500, got %v", what, err)
		}
	}
	_, err := a.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("a"), Body: strings.NewReader("new a")})
	internal("replace", err)
	_, err = a.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("c"), Body: strings.NewReader("new c")})
	internal("put", err)
	_, err = a.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lost")})
	internal("create bucket", err)
	if err := a.emu.PutObject(ctx, bucket, "d", strings.NewReader("d")); err == nil {
		t.Fatal("the internal API stored an object it could not make durable")
	}
	// A delete that cannot be stored keeps the object (S3 answers a
	// DeleteObjects with per-key errors, still 200).
	multi, err := a.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket),
		Delete: &s3types.Delete{Objects: []s3types.ObjectIdentifier{{Key: aws.String("b")}}}})
	if err != nil || len(multi.Errors) != 1 || len(multi.Deleted) != 0 {
		t.Fatalf("DeleteObjects: %+v %v", multi, err)
	}

	check := func(s *services) {
		t.Helper()
		if _, body := s.get(t, bucket, "a"); string(body) != "old a" {
			t.Fatalf("a replace that answered 500 stuck: %q", body)
		}
		if _, body := s.get(t, bucket, "b"); string(body) != "old b" {
			t.Fatalf("b: %q", body)
		}
		if got := s.keys(t, bucket); strings.Contains(got, "c@") || strings.Contains(got, "d@") {
			t.Fatalf("puts that failed left keys: %s", got)
		}
		out, err := s.s3.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err != nil || len(out.Buckets) != 1 {
			t.Fatalf("buckets: %+v %v", out, err)
		}
	}
	check(a)
	restore()
	check(startServices(t, dir))
	// And the same changes work once the directory is back.
	if _, err := a.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("a"), Body: strings.NewReader("new a")}); err != nil {
		t.Fatal(err)
	}
	if _, body := startServices(t, dir).get(t, bucket, "a"); string(body) != "new a" {
		t.Fatalf("after the failure: %q", body)
	}
}

// TestDurableLogsWriteFailureChangesNothing: a Logs change that cannot be
// stored answers 500 and is undone; the journal is repaired from memory
// once the disk is back.
func TestDurableLogsWriteFailureChangesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	a := startServices(t, dir)
	const group, stream = "g", "s"
	if _, err := a.logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.logs.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)}); err != nil {
		t.Fatal(err)
	}
	putEvent := func(c *cloudwatchlogs.Client, msg string) error {
		_, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream),
			LogEvents: []cwltypes.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String(msg)}}})
		return err
	}
	if err := putEvent(a.logs, "kept"); err != nil {
		t.Fatal(err)
	}
	restore := breakDataDir(t, dir)
	unavailable := func(what string, err error) {
		t.Helper()
		if code, status := apiError(err); code != "ServiceUnavailableException" || status != 500 {
			t.Fatalf("%s: want ServiceUnavailableException 500, got %v", what, err)
		}
	}
	unavailable("put", putEvent(a.logs, "lost"))
	_, err := a.logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("lost")})
	unavailable("create group", err)
	restore()

	messages := func(s *services) string {
		t.Helper()
		var m []string
		for _, line := range strings.Split(s.events(t, group, stream), "|") {
			m = append(m, line[strings.IndexByte(line, ' ')+1:])
		}
		return strings.Join(m, ",")
	}
	if got := messages(a); got != "kept" {
		t.Fatalf("in memory: %q", got)
	}
	if err := putEvent(a.logs, "after"); err != nil {
		t.Fatal(err)
	}
	b := startServices(t, dir)
	if got := messages(b); got != "kept,after" {
		t.Fatalf("after the restart: %q", got)
	}
	groups, err := b.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if err != nil || len(groups.LogGroups) != 1 {
		t.Fatalf("groups: %+v %v", groups, err)
	}
}

// TestDurableLogJournalTornTail: a journal line cut short by a crash (never
// acknowledged) is dropped; a damaged line before it makes Logs answer 500
// naming the file, and the journal is left as it is.
func TestDurableLogJournalTornTail(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a := startServices(t, dir)
	a.emu.AppendLog("", "g", "s", time.Now(), "whole")
	if got := a.events(t, "g", "s"); !strings.HasSuffix(got, " whole") {
		t.Fatalf("events: %q", got)
	}
	a.srv.Close()
	journal := filepath.Join(dir, "logs.jsonl")
	f, err := os.OpenFile(journal, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"k":"event","g":"g","s":"s","t":1,"i":1,"n":99,"m":"torn`)
	f.Close()

	b := startServices(t, dir)
	if got := b.events(t, "g", "s"); !strings.HasSuffix(got, " whole") || strings.Contains(got, "torn") {
		t.Fatalf("after a torn write: %q", got)
	}
	b.emu.AppendLog("", "g", "s", time.Now(), "next")
	if got := b.events(t, "g", "s"); !strings.HasSuffix(got, " next") {
		t.Fatalf("appending after a torn write: %q", got)
	}
	b.srv.Close()
	if got := startServices(t, dir).events(t, "g", "s"); strings.Count(got, "|") != 1 || strings.Contains(got, "torn") {
		t.Fatalf("after a second restart: %q", got)
	}

	damaged := []byte("{\"k\":\"group\",\"g\":\"g\"}\nnot json\n")
	if err := os.WriteFile(journal, damaged, 0o644); err != nil {
		t.Fatal(err)
	}
	c := startServices(t, dir)
	_, err = c.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if code, status := apiError(err); code != "ServiceUnavailableException" || status != 500 || !strings.Contains(err.Error(), "logs.jsonl line 2") {
		t.Fatalf("damaged journal: want a 500 naming the line, got %v", err)
	}
	c.emu.AppendLog("", "g", "s", time.Now(), "in memory only")
	if b, _ := os.ReadFile(journal); !bytes.Equal(b, damaged) {
		t.Fatalf("the damaged journal was changed: %q", b)
	}
}

// TestDurableS3UnreadableIsNotOverwritten: an object file that cannot be
// read fails that object only — GetObject of it answers InternalError (500)
// naming it — while the rest of S3 works, and the file is not changed.
func TestDurableS3UnreadableIsNotOverwritten(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a := startServices(t, dir)
	if _, err := a.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bkt")}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k"), Body: strings.NewReader("v")}); err != nil {
		t.Fatal(err)
	}
	a.srv.Close()
	objects, _ := os.ReadDir(filepath.Join(dir, "s3", "objects"))
	if len(objects) != 1 {
		t.Fatalf("objects on disk: %v", objects)
	}
	file := filepath.Join(dir, "s3", "objects", objects[0].Name())
	if err := os.WriteFile(file, []byte("no header"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := startServices(t, dir)
	if _, err := b.s3.ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Fatalf("the rest of S3: %v", err)
	}
	_, err := b.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
	if code, status := apiError(err); code != "InternalError" || status != 500 || !strings.Contains(err.Error(), "s3://bkt/k") {
		t.Fatalf("want InternalError 500 naming the object, got %v", err)
	}
	if err := b.emu.PutObject(ctx, "bkt", "k2", strings.NewReader("x")); err != nil {
		t.Fatalf("internal API: %v", err)
	}
	if got, _ := os.ReadFile(file); string(got) != "no header" {
		t.Fatalf("the unreadable object was changed: %q", got)
	}
}
