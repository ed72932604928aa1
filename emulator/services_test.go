package emulator_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/internal/testenv"
	"github.com/smcore-go/smcore/logtail"
)

const svcBucket = "sagemaker-us-east-1-123456789012" // the SageMaker default bucket

func svcS3(cfg aws.Config) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
}

func svcRandom(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func svcErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestSTSGetCallerIdentity(t *testing.T) {
	ep := emulatortest.Start(t)
	out, err := sts.NewFromConfig(ep.Config).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Account) != "123456789012" || aws.ToString(out.Arn) != "arn:aws:iam::123456789012:user/local" || aws.ToString(out.UserId) == "" {
		t.Fatalf("identity %q %q %q", aws.ToString(out.Account), aws.ToString(out.Arn), aws.ToString(out.UserId))
	}

	// Another action: the query protocol's error form.
	resp := svcSigned(t, ep.URL, http.MethodPost, "/", "sts", "application/x-www-form-urlencoded",
		[]byte("Action=AssumeRole&Version=2011-06-15"), "")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<ErrorResponse") ||
		!strings.Contains(string(body), "<Type>Sender</Type><Code>InvalidAction</Code>") || !strings.Contains(string(body), "<RequestId>") {
		t.Fatalf("InvalidAction: %d %s", resp.StatusCode, body)
	}
}

// svcSigned sends a request signed for service with the test credentials;
// payloadHash "" means the body's sha256.
func svcSigned(t *testing.T, base, method, path, service, contentType string, body []byte, payloadHash string, hdr ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if payloadHash == "" {
		sum := sha256.Sum256(body)
		payloadHash = hex.EncodeToString(sum[:])
	}
	if service == "s3" {
		req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	}
	err = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
		req, payloadHash, service, "us-east-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestS3Objects(t *testing.T) {
	ep := emulatortest.Start(t)
	c := svcS3(ep.Config)
	ctx := context.Background()

	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(svcBucket)}); err == nil {
		t.Fatal("HeadBucket of a missing bucket succeeded")
	}
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(svcBucket)}); err != nil {
		t.Fatal(err)
	}
	// In us-east-1, creating a bucket one owns again succeeds, as on S3.
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(svcBucket)}); err != nil {
		t.Fatalf("re-create: %v", err)
	}
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(svcBucket)}); err != nil {
		t.Fatal(err)
	}

	small := []byte("a,b\n1,2\n")
	large := svcRandom(t, 5<<20+123)
	objects := map[string][]byte{"data/train.csv": small, "data/big.bin": large, "output/model.tar.gz": []byte("model")}
	for key, data := range objects {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(svcBucket), Key: aws.String(key), Body: bytes.NewReader(data),
			Metadata: map[string]string{"origin": "test"}}); err != nil {
			t.Fatalf("put %s: %v", key, err)
		}
	}
	for key, data := range objects {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(svcBucket), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("get %s: %v", key, err)
		}
		got, err := io.ReadAll(out.Body)
		out.Body.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("get %s: %d bytes, want %d (%v)", key, len(got), len(data), err)
		}
		if out.Metadata["origin"] != "test" {
			t.Fatalf("get %s: metadata %v", key, out.Metadata)
		}
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(svcBucket), Key: aws.String("data/big.bin")})
	if err != nil || aws.ToInt64(head.ContentLength) != int64(len(large)) || aws.ToString(head.ETag) == "" {
		t.Fatalf("head: %+v %v", head, err)
	}

	// ListObjectsV2 with a prefix, one key per page.
	var keys []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(svcBucket), Prefix: aws.String("data/"), MaxKeys: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	if strings.Join(keys, ",") != "data/big.bin,data/train.csv" {
		t.Fatalf("listed %v", keys)
	}

	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(svcBucket), Key: aws.String("data/train.csv")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(svcBucket), Key: aws.String("data/train.csv")})
	var nsk *s3types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Fatalf("deleted key: want NoSuchKey, got %v", err)
	}
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(svcBucket), Key: aws.String("data/train.csv")})
	var nf *s3types.NotFound
	if !errors.As(err, &nf) {
		t.Fatalf("head of a deleted key: want NotFound, got %v", err)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k")})
	if svcErrorCode(err) != "NoSuchBucket" {
		t.Fatalf("missing bucket: %v", err)
	}
	// ListBuckets in name order, as S3 answers, whatever the order of creation.
	for _, b := range []string{"zz-last", "aa-first", "mm-middle"} {
		if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
			t.Fatal(err)
		}
	}
	for range 5 {
		out, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, b := range out.Buckets {
			names = append(names, aws.ToString(b.Name))
		}
		if got := strings.Join(names, ","); got != "aa-first,mm-middle,"+svcBucket+",zz-last" {
			t.Fatalf("ListBuckets: %s", got)
		}
	}
}

// TestS3InternalAPI checks that what the executor writes through the
// Server is what clients read, and the other way round.
func TestS3InternalAPI(t *testing.T) {
	ep := emulatortest.Start(t)
	s, c, ctx := ep.Server, svcS3(ep.Config), context.Background()
	if err := s.EnsureBucket(ctx, svcBucket); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureBucket(ctx, svcBucket); err != nil {
		t.Fatalf("EnsureBucket twice: %v", err)
	}
	if err := s.EnsureBucket(ctx, "Bad_Bucket"); err == nil {
		t.Fatal("an invalid bucket name was accepted")
	}
	if err := s.PutObject(ctx, svcBucket, "job/output/model.tar.gz", strings.NewReader("weights")); err != nil {
		t.Fatal(err)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(svcBucket), Key: aws.String("job/output/model.tar.gz")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if string(got) != "weights" {
		t.Fatalf("client read %q", got)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(svcBucket), Key: aws.String("job/input/train.csv"), Body: strings.NewReader("x,y\n")}); err != nil {
		t.Fatal(err)
	}
	rc, err := s.GetObject(ctx, svcBucket, "job/input/train.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(rc)
	rc.Close()
	if string(got) != "x,y\n" {
		t.Fatalf("server read %q", got)
	}
	keys, err := s.ListObjects(ctx, svcBucket, "job/")
	if err != nil || strings.Join(keys, ",") != "job/input/train.csv,job/output/model.tar.gz" {
		t.Fatalf("ListObjects %v %v", keys, err)
	}
	if _, err := s.GetObject(ctx, svcBucket, "job/missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing key: %v", err)
	}
	if err := s.PutObject(ctx, "no-such-bucket", "k", strings.NewReader("")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing bucket: %v", err)
	}
}

// TestS3ChunkedUploads covers the payload forms other than a signed
// sha256. Over TLS the SDK sends a PutObject body as UNSIGNED-PAYLOAD with
// a checksum header, or, when the caller picks a checksum algorithm, as
// aws-chunked with a trailing checksum (STREAMING-UNSIGNED-PAYLOAD-TRAILER).
// Signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) are built by hand, as
// the Go SDK does not send them.
func TestS3ChunkedUploads(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]bool{}
	s := emulator.New()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("X-Amz-Content-Sha256")+" "+r.Header.Get("Content-Encoding")] = true
		mu.Unlock()
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cfg := aws.Config{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	c, ctx := svcS3(cfg), context.Background()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(svcBucket)}); err != nil {
		t.Fatal(err)
	}
	data := svcRandom(t, 3<<20+7)
	uploads := []struct {
		key  string
		body io.Reader
		alg  s3types.ChecksumAlgorithm
	}{
		{"seekable", bytes.NewReader(data), ""},
		{"unseekable", io.MultiReader(bytes.NewReader(data[:1000]), bytes.NewReader(data[1000:])), ""},
		{"crc64", bytes.NewReader(data), s3types.ChecksumAlgorithmCrc64nvme},
		{"sha256", bytes.NewReader(data), s3types.ChecksumAlgorithmSha256},
	}
	for _, u := range uploads {
		in := &s3.PutObjectInput{Bucket: aws.String(svcBucket), Key: aws.String(u.key), Body: u.body, ContentLength: aws.Int64(int64(len(data))), ChecksumAlgorithm: u.alg}
		if _, err := c.PutObject(ctx, in); err != nil {
			t.Fatalf("put %s: %v", u.key, err)
		}
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(svcBucket), Key: aws.String(u.key), ChecksumMode: s3types.ChecksumModeEnabled})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(out.Body) // the SDK checks the stored checksum as it reads
		out.Body.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("get %s: %d bytes, want %d (%v)", u.key, len(got), len(data), err)
		}
		if out.ContentEncoding != nil {
			t.Fatalf("get %s: Content-Encoding %q kept from the upload", u.key, *out.ContentEncoding)
		}
	}
	mu.Lock()
	if !seen["STREAMING-UNSIGNED-PAYLOAD-TRAILER aws-chunked"] || !seen["UNSIGNED-PAYLOAD "] {
		t.Errorf("the SDK did not send the payload forms this test is about: %v", seen)
	}
	mu.Unlock()

	// Signed chunks, each signature checked as the body streams.
	content := svcRandom(t, 200<<10)
	base := srv.URL
	put := func(key, payload string, b []byte, hdr ...string) *http.Response {
		req, _ := http.NewRequest(http.MethodPut, base+"/"+svcBucket+"/"+key, bytes.NewReader(b))
		req.Header.Set("X-Amz-Content-Sha256", payload)
		req.Header.Set("Content-Encoding", "aws-chunked")
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, req, payload, "s3", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	code, _, answer := do(t, srv.Client(), chunkedPut(t, base+"/"+svcBucket+"/signed-chunks", content, 64<<10, time.Now(), nil))
	if code != 200 {
		t.Fatalf("signed chunks: %d %s", code, answer)
	}
	rc, err := s.GetObject(ctx, svcBucket, "signed-chunks")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	if !bytes.Equal(got, content) {
		t.Fatalf("signed chunks stored %d bytes, want %d", len(got), len(content))
	}

	// A trailing checksum that does not match: S3's BadDigest.
	bad := "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"
	resp := put("bad", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", []byte(bad), "X-Amz-Decoded-Content-Length", "5", "X-Amz-Trailer", "x-amz-checksum-crc32")
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(b), "<Code>BadDigest</Code>") {
		t.Fatalf("bad trailer checksum: %d %s", resp.StatusCode, b)
	}
	if _, err := s.GetObject(ctx, svcBucket, "bad"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("an upload with a bad checksum was stored: %v", err)
	}
}

func TestCloudWatchLogs(t *testing.T) {
	ep := emulatortest.Start(t)
	c, ctx := cloudwatchlogs.NewFromConfig(ep.Config), context.Background()
	const group = "/aws/sagemaker/TrainingJobs"

	_, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group)})
	var rnf *cwltypes.ResourceNotFoundException
	if !errors.As(err, &rnf) || !strings.Contains(err.Error(), "The specified log group does not exist") {
		t.Fatalf("missing group: %v", err)
	}
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) || re.HTTPStatusCode() != 400 {
		t.Fatalf("missing group: want HTTP 400, got %v", err)
	}
	if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)})
	var rae *cwltypes.ResourceAlreadyExistsException
	if !errors.As(err, &rae) {
		t.Fatalf("duplicate group: %v", err)
	}
	streams := []string{"job/algo-1-1700000000", "job/algo-2-1700000000", "other/algo-1-1700000000"}
	for _, st := range streams {
		if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(st)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(streams[0])})
	if !errors.As(err, &rae) {
		t.Fatalf("duplicate stream: %v", err)
	}

	t0 := time.Now().Add(-time.Hour).UnixMilli()
	put := func(stream string, from, n int, text string) {
		t.Helper()
		var evs []cwltypes.InputLogEvent
		for i := from; i < from+n; i++ {
			evs = append(evs, cwltypes.InputLogEvent{Timestamp: aws.Int64(t0 + int64(i)*1000), Message: aws.String(fmt.Sprintf("%s %d", text, i))})
		}
		if _, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: evs}); err != nil {
			t.Fatal(err)
		}
	}
	put(streams[0], 0, 15, "epoch")
	put(streams[0], 15, 10, "loss")
	put(streams[1], 0, 5, "epoch")
	put(streams[2], 0, 5, "epoch")
	_, err = c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(streams[0]),
		LogEvents: []cwltypes.InputLogEvent{{Timestamp: aws.Int64(t0 + 2000), Message: aws.String("b")}, {Timestamp: aws.Int64(t0 + 1000), Message: aws.String("a")}}})
	var ipe *cwltypes.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Fatalf("events out of order: %v", err)
	}
	_, err = c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("nope"),
		LogEvents: []cwltypes.InputLogEvent{{Timestamp: aws.Int64(t0), Message: aws.String("a")}}})
	if !errors.As(err, &rnf) || !strings.Contains(err.Error(), "log stream does not exist") {
		t.Fatalf("missing stream: %v", err)
	}

	// DescribeLogGroups.
	groups, err := c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/sagemaker/")})
	if err != nil || len(groups.LogGroups) != 1 || aws.ToString(groups.LogGroups[0].LogGroupName) != group ||
		aws.ToString(groups.LogGroups[0].Arn) != "arn:aws:logs:us-east-1:123456789012:log-group:"+group+":*" {
		t.Fatalf("DescribeLogGroups %+v %v", groups, err)
	}

	// DescribeLogStreams by prefix, one per page, both orders.
	for _, desc := range []bool{false, true} {
		var names []string
		p := cloudwatchlogs.NewDescribeLogStreamsPaginator(c, &cloudwatchlogs.DescribeLogStreamsInput{
			LogGroupName: aws.String(group), LogStreamNamePrefix: aws.String("job/"), Descending: aws.Bool(desc), Limit: aws.Int32(1)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, ls := range page.LogStreams {
				names = append(names, aws.ToString(ls.LogStreamName))
				if aws.ToInt64(ls.LastEventTimestamp) == 0 || aws.ToInt64(ls.FirstEventTimestamp) != t0 {
					t.Fatalf("stream %+v", ls)
				}
			}
		}
		want := []string{streams[0], streams[1]}
		if desc {
			slices.Reverse(want)
		}
		if !slices.Equal(names, want) {
			t.Fatalf("descending=%v: streams %v", desc, names)
		}
	}
	byTime, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group),
		OrderBy: cwltypes.OrderByLastEventTime, Descending: aws.Bool(true)})
	if err != nil || aws.ToString(byTime.LogStreams[0].LogStreamName) != streams[0] {
		t.Fatalf("by last event time: %v", err)
	}
	_, err = c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group),
		OrderBy: cwltypes.OrderByLastEventTime, LogStreamNamePrefix: aws.String("job/")})
	if !errors.As(err, &ipe) {
		t.Fatalf("LastEventTime with a prefix: %v", err)
	}

	// GetLogEvents forward, 10 a page: the token stops moving at the end.
	var msgs []string
	var token *string
	calls := 0
	for {
		out, err := c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(streams[0]),
			StartFromHead: aws.Bool(true), Limit: aws.Int32(10), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		calls++
		for _, e := range out.Events {
			msgs = append(msgs, aws.ToString(e.Message))
		}
		if token != nil && aws.ToString(out.NextForwardToken) == *token {
			if len(out.Events) != 0 {
				t.Fatalf("the final token came with %d events", len(out.Events))
			}
			break
		}
		token = out.NextForwardToken
		if calls > 10 {
			t.Fatal("the forward token never repeated")
		}
	}
	if len(msgs) != 25 || msgs[0] != "epoch 0" || msgs[24] != "loss 24" || calls != 4 {
		t.Fatalf("read %d events in %d calls: %v", len(msgs), calls, msgs)
	}
	// A line added later is read from the repeated token.
	put(streams[0], 25, 1, "late")
	out, err := c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(streams[0]), StartFromHead: aws.Bool(true), NextToken: token})
	if err != nil || len(out.Events) != 1 || aws.ToString(out.Events[0].Message) != "late 25" {
		t.Fatalf("after the end: %+v %v", out, err)
	}
	// Without StartFromHead the service reads the newest events; the
	// backward token pages towards the head.
	out, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(streams[0]), Limit: aws.Int32(3)})
	if err != nil || len(out.Events) != 3 || aws.ToString(out.Events[0].Message) != "loss 23" || aws.ToString(out.Events[2].Message) != "late 25" {
		t.Fatalf("tail: %+v %v", out, err)
	}
	out, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(streams[0]), Limit: aws.Int32(3), NextToken: out.NextBackwardToken})
	if err != nil || len(out.Events) != 3 || aws.ToString(out.Events[0].Message) != "loss 20" {
		t.Fatalf("backward: %+v %v", out, err)
	}
	// A time range (end exclusive).
	out, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(streams[0]),
		StartFromHead: aws.Bool(true), StartTime: aws.Int64(t0 + 3000), EndTime: aws.Int64(t0 + 6000)})
	if err != nil || len(out.Events) != 3 || aws.ToString(out.Events[0].Message) != "epoch 3" {
		t.Fatalf("time range: %+v %v", out, err)
	}
	_, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(streams[0]), NextToken: aws.String("garbage")})
	if !errors.As(err, &ipe) {
		t.Fatalf("bad token: %v", err)
	}
	_, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("job/none")})
	if !errors.As(err, &rnf) {
		t.Fatalf("missing stream: %v", err)
	}

	// FilterLogEvents across the job's streams, interleaved by time, 4 a page.
	var filtered []string
	fp := cloudwatchlogs.NewFilterLogEventsPaginator(c, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group),
		LogStreamNamePrefix: aws.String("job/"), FilterPattern: aws.String("epoch"), StartTime: aws.Int64(t0 + 2000), Limit: aws.Int32(4)})
	for fp.HasMorePages() {
		page, err := fp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Events {
			filtered = append(filtered, strings.TrimPrefix(aws.ToString(e.LogStreamName), "job/algo-")[:1]+":"+aws.ToString(e.Message))
		}
	}
	want := "1:epoch 2,2:epoch 2,1:epoch 3,2:epoch 3,1:epoch 4,2:epoch 4"
	for i := 5; i < 15; i++ {
		want += fmt.Sprintf(",1:epoch %d", i)
	}
	if strings.Join(filtered, ",") != want {
		t.Fatalf("filtered\n%v\nwant\n%v", strings.Join(filtered, ","), want)
	}
	fo, err := c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group),
		LogStreamNames: []string{streams[2]}, FilterPattern: aws.String(`"epoch 4"`)})
	if err != nil || len(fo.Events) != 1 || aws.ToString(fo.Events[0].EventId) == "" {
		t.Fatalf("by stream name, quoted term: %+v %v", fo, err)
	}
	_, err = c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/missing")})
	if !errors.As(err, &rnf) {
		t.Fatalf("missing group: %v", err)
	}
}

// svcClock is a clock the emulator and a logtail.Tailer share: the tailer's
// waits move it forward, so a drain runs without sleeping and the
// emulator's delayed events become readable as it goes.
type svcClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *svcClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *svcClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *svcClock) After(d time.Duration) <-chan time.Time {
	c.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.Now()
	return ch
}

// TestLogTailFromEmulator follows a training job's streams with the
// repository's logtail package while the executor side writes lines with
// AppendLog, the lines becoming readable only after WithLogDelay.
func TestLogTailFromEmulator(t *testing.T) {
	clock := &svcClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	const delay = 3 * time.Second
	ep := emulatortest.Start(t, emulator.WithClock(clock.Now), emulator.WithLogDelay(delay))
	s, ctx := ep.Server, context.Background()
	cwl := cloudwatchlogs.NewFromConfig(ep.Config)

	var got []string
	tl := logtail.New(cwl, logtail.TrainingJobsGroup, "job/", func(l logtail.Line) {
		got = append(got, strings.TrimPrefix(l.Stream, "job/")+" "+l.Message)
	}, logtail.WithClock(clock), logtail.WithDrainQuiet(10*time.Second))

	// Nothing yet: no log group is no lines, not an error.
	if err := tl.Poll(ctx); err != nil || len(got) != 0 {
		t.Fatalf("before any log: %v %v", got, err)
	}
	algo1, algo2 := "job/algo-1-1767323045", "job/algo-2-1767323045"
	write := func(stream string, off time.Duration, msg string) {
		s.AppendLog("", logtail.TrainingJobsGroup, stream, clock.Now().Add(off), msg)
	}
	write(algo1, 0, "starting")
	write(algo2, time.Millisecond, "starting")
	write(algo1, 2*time.Millisecond, "epoch 1")
	s.AppendLog("", logtail.TrainingJobsGroup, "jobx/algo-1-1767323045", clock.Now(), "another job")

	if err := tl.Poll(ctx); err != nil || len(got) != 0 {
		t.Fatalf("lines readable before the delay: %v %v", got, err)
	}
	clock.Add(delay)
	if err := tl.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if want := "algo-1-1767323045 starting|algo-2-1767323045 starting|algo-1-1767323045 epoch 1"; strings.Join(got, "|") != want {
		t.Fatalf("after the delay:\n%v\nwant\n%v", strings.Join(got, "|"), want)
	}

	// The job's last lines, written as it ends, are not readable yet when
	// the drain starts; Drain waits for them.
	write(algo1, 0, "epoch 2")
	write(algo2, time.Millisecond, "done")
	write(algo1, 2*time.Millisecond, "model saved")
	got = nil
	if err := tl.Poll(ctx); err != nil || len(got) != 0 {
		t.Fatalf("last lines readable before the delay: %v %v", got, err)
	}
	if err := tl.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if want := "algo-1-1767323045 epoch 2|algo-2-1767323045 done|algo-1-1767323045 model saved"; strings.Join(got, "|") != want {
		t.Fatalf("drain:\n%v\nwant\n%v", strings.Join(got, "|"), want)
	}
}

// TestAWSCLIS3LogsSTS drives S3, CloudWatch Logs and STS with the AWS CLI,
// over plain HTTP and, for an upload the CLI sends aws-chunked, over TLS.
func TestAWSCLIS3LogsSTS(t *testing.T) {
	awsCLI, err := exec.LookPath("aws")
	if err != nil {
		testenv.Unavailable(t, "AWS CLI not found")
	}
	ep := emulatortest.Start(t)
	tlsSrv := httptest.NewTLSServer(ep.Server)
	t.Cleanup(tlsSrv.Close)
	run := func(url string, args ...string) string {
		t.Helper()
		args = append([]string{"--endpoint-url", url, "--output", "json"}, args...)
		if strings.HasPrefix(url, "https:") {
			args = append(args, "--no-verify-ssl")
		}
		cmd := exec.Command(awsCLI, args...)
		cmd.Env = cliEnv()
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("aws %v: %v\n%s%s", args, err, stdout.Bytes(), stderr.Bytes())
		}
		return stdout.String()
	}

	var id map[string]string
	if err := json.Unmarshal([]byte(run(ep.URL, "sts", "get-caller-identity")), &id); err != nil || id["Account"] != "123456789012" {
		t.Fatalf("get-caller-identity: %v %v", id, err)
	}

	dir := t.TempDir()
	small, large := svcRandom(t, 1000), svcRandom(t, 9<<20) // large: a multipart upload
	for name, data := range map[string][]byte{"small.bin": small, "large.bin": large} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run(ep.URL, "s3", "mb", "s3://"+svcBucket)
	run(ep.URL, "s3", "cp", filepath.Join(dir, "small.bin"), "s3://"+svcBucket+"/data/small.bin")
	run(ep.URL, "s3", "cp", filepath.Join(dir, "large.bin"), "s3://"+svcBucket+"/data/large.bin")
	run(tlsSrv.URL, "s3", "cp", filepath.Join(dir, "small.bin"), "s3://"+svcBucket+"/data/tls.bin")
	ls := run(ep.URL, "s3", "ls", "s3://"+svcBucket+"/data/")
	for _, want := range []string{" 1000 small.bin", fmt.Sprintf(" %d large.bin", len(large)), " 1000 tls.bin"} {
		if !strings.Contains(ls, want) {
			t.Fatalf("s3 ls lacks %q:\n%s", want, ls)
		}
	}
	for key, want := range map[string][]byte{"small.bin": small, "large.bin": large, "tls.bin": small} {
		dst := filepath.Join(dir, "back-"+key)
		run(ep.URL, "s3", "cp", "s3://"+svcBucket+"/data/"+key, dst)
		if got, err := os.ReadFile(dst); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s came back with %d bytes, want %d (%v)", key, len(got), len(want), err)
		}
	}

	ep.Server.AppendLog("", logtail.TrainingJobsGroup, "cli-job/algo-1-1767323045", time.Now(), "hello from the job")
	var streams struct {
		LogStreams []struct{ LogStreamName string }
	}
	out := run(ep.URL, "logs", "describe-log-streams", "--log-group-name", logtail.TrainingJobsGroup, "--log-stream-name-prefix", "cli-job/")
	if err := json.Unmarshal([]byte(out), &streams); err != nil || len(streams.LogStreams) != 1 || streams.LogStreams[0].LogStreamName != "cli-job/algo-1-1767323045" {
		t.Fatalf("describe-log-streams: %v\n%s", err, out)
	}
	out = run(ep.URL, "logs", "get-log-events", "--log-group-name", logtail.TrainingJobsGroup, "--log-stream-name", "cli-job/algo-1-1767323045", "--start-from-head")
	if !strings.Contains(out, "hello from the job") {
		t.Fatalf("get-log-events:\n%s", out)
	}
}
