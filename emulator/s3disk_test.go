package emulator_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
)

// heap is the live heap after a full collection, and the bytes allocated
// so far.
func heap() (inuse, total uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc, m.TotalAlloc
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// With a data directory, S3 objects live on disk: 100 MiB uploaded (4 ×
// 25 MiB through the SDK) leave the live heap as it was, and neither the
// uploads nor the reads back allocate anything near their size.
func TestDurableS3HoldsNoObjectBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 100 MiB")
	}
	ep := emulatortest.Start(t, emulator.WithDataDir(t.TempDir()))
	c := svcS3(ep.Config)
	ctx := context.Background()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("big")}); err != nil {
		t.Fatal(err)
	}
	const n, size = 4, 25 << 20
	payload := make([]byte, size)
	rand.NewChaCha8([32]byte{1}).Read(payload)
	want := sha256.Sum256(payload)
	// A small object first, so that what every request allocates once
	// (the SDK's and the endpoint's) is in the baseline.
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("big"), Key: aws.String("warm"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}

	inuse0, total0 := heap()
	for i := range n {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("big"), Key: aws.String(fmt.Sprint("obj/", i)), Body: bytes.NewReader(payload)}); err != nil {
			t.Fatal(err)
		}
	}
	inuse1, total1 := heap()
	for i := range n {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("big"), Key: aws.String(fmt.Sprint("obj/", i))})
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		_, err = io.Copy(h, out.Body)
		out.Body.Close()
		if err != nil || !bytes.Equal(h.Sum(nil), want[:]) {
			t.Fatalf("obj/%d read back: %v, or not the bytes put", i, err)
		}
	}
	inuse2, total2 := heap()
	runtime.KeepAlive(payload) // in the baseline: live until measured

	grown, putAlloc, getAlloc := int64(inuse1)-int64(inuse0), int64(total1-total0), int64(total2-total1)
	t.Logf("%d × %s put: live heap %+.1f MiB, allocated %s; read back: allocated %s, live heap %+.1f MiB",
		n, mib(size), float64(grown)/(1<<20), mib(putAlloc), mib(getAlloc), float64(int64(inuse2)-int64(inuse0))/(1<<20))
	const limit = 16 << 20
	if grown > limit || putAlloc > 4*limit || getAlloc > 4*limit {
		t.Errorf("objects are held in memory: live heap grew %s, uploads allocated %s, reads %s", mib(grown), mib(putAlloc), mib(getAlloc))
	}
}

// s3Bytes is n bytes that depend only on seed.
func s3Bytes(seed byte, n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{seed}).Read(b)
	return b
}

// s3Changes makes the objects s3Transcript reads: plain, empty and
// multipart puts, a copy, conditional puts, a metadata merge, a delete.
func s3Changes(t *testing.T, c *s3.Client) {
	t.Helper()
	ctx := context.Background()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("eqb")})
	must("create bucket", err)
	put := func(key string, body []byte, meta map[string]string) error {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("eqb"), Key: aws.String(key), Body: bytes.NewReader(body),
			Metadata: meta, ContentType: aws.String("text/plain")})
		return err
	}
	must("put a", put("a", []byte("hello, world"), map[string]string{"origin": "first", "kept": "yes"}))
	must("replace a", put("a", []byte("hello again, world"), map[string]string{"origin": "second"}))
	must("put dir/b", put("dir/b", s3Bytes(2, 1<<20+3), nil))
	must("put dir/gone", put("dir/gone", []byte("soon gone"), nil))
	must("put empty", put("empty", nil, nil))
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("eqb"), Key: aws.String("copy/a"), CopySource: aws.String("eqb/a")})
	must("copy", err)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("eqb"), Key: aws.String("a"), Body: strings.NewReader("x"), IfNoneMatch: aws.String("*")})
	if code, _ := apiError(err); code != "PreconditionFailed" {
		t.Fatalf("If-None-Match * over an object: %v", err)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("eqb"), Key: aws.String("new"), Body: strings.NewReader("new"), IfNoneMatch: aws.String("*")})
	must("If-None-Match * of a new key", err)
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("eqb"), Key: aws.String("new")})
	must("head new", err)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("eqb"), Key: aws.String("new"), Body: strings.NewReader("newer"), IfMatch: head.ETag})
	must("If-Match its ETag", err)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("eqb"), Key: aws.String("new"), Body: strings.NewReader("x"), IfMatch: head.ETag})
	if code, _ := apiError(err); code != "PreconditionFailed" {
		t.Fatalf("If-Match a stale ETag: %v", err)
	}
	mp, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("eqb"), Key: aws.String("multi")})
	must("create multipart", err)
	var parts []s3types.CompletedPart
	for i, body := range [][]byte{s3Bytes(3, 5<<20), s3Bytes(4, 1000)} {
		n := int32(i + 1)
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("eqb"), Key: aws.String("multi"), UploadId: mp.UploadId, PartNumber: &n, Body: bytes.NewReader(body)})
		must("upload part", err)
		parts = append(parts, s3types.CompletedPart{ETag: out.ETag, PartNumber: &n})
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("eqb"), Key: aws.String("multi"), UploadId: mp.UploadId,
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}})
	must("complete multipart", err)
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("eqb"), Key: aws.String("dir/gone")})
	must("delete", err)
}

// s3Transcript is what a client sees of bucket eqb: listings (with
// delimiter and pages), each object's head, and its bytes whole and in
// ranges; not the times.
func s3Transcript(t *testing.T, c *s3.Client) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	var keys []string
	for tok := (*string)(nil); ; {
		out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("eqb"), MaxKeys: aws.Int32(2), ContinuationToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out.Contents {
			keys = append(keys, aws.ToString(o.Key))
			fmt.Fprintf(&b, "list %s %d %s\n", aws.ToString(o.Key), aws.ToInt64(o.Size), aws.ToString(o.ETag))
		}
		if tok = out.NextContinuationToken; tok == nil {
			break
		}
	}
	out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("eqb"), Delimiter: aws.String("/")})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range out.CommonPrefixes {
		fmt.Fprintf(&b, "prefix %s\n", aws.ToString(p.Prefix))
	}
	for _, k := range keys {
		h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("eqb"), Key: aws.String(k)})
		if err != nil {
			t.Fatalf("head %s: %v", k, err)
		}
		fmt.Fprintf(&b, "head %s %d %s %s %v\n", k, aws.ToInt64(h.ContentLength), aws.ToString(h.ETag), aws.ToString(h.ContentType), h.Metadata)
		for _, rng := range []string{"", "bytes=2-6", "bytes=-3", "bytes=5-", "bytes=1048574-1048580", "bytes=99999999-"} {
			in := &s3.GetObjectInput{Bucket: aws.String("eqb"), Key: aws.String(k)}
			if rng != "" {
				in.Range = aws.String(rng)
			}
			g, err := c.GetObject(ctx, in)
			if err != nil {
				code, status := apiError(err)
				fmt.Fprintf(&b, "get %s %q: %s %d\n", k, rng, code, status)
				continue
			}
			body, err := io.ReadAll(g.Body)
			g.Body.Close()
			if err != nil {
				t.Fatalf("get %s %q: %v", k, rng, err)
			}
			sum := sha256.Sum256(body)
			fmt.Fprintf(&b, "get %s %q: %d bytes %x, range %q, etag %s\n", k, rng, len(body), sum[:8], aws.ToString(g.ContentRange), aws.ToString(g.ETag))
		}
	}
	return b.String()
}

// With a data directory S3 answers as it does in memory — listings,
// ETags, sizes, metadata, ranges, conditional and multipart puts, copies
// — and again after a restart.
func TestDurableS3AnswersAsInMemory(t *testing.T) {
	mem := svcS3(emulatortest.Start(t).Config)
	s3Changes(t, mem)
	want := s3Transcript(t, mem)

	dir := t.TempDir()
	a := emulatortest.Start(t, emulator.WithDataDir(dir))
	s3Changes(t, svcS3(a.Config))
	if got := s3Transcript(t, svcS3(a.Config)); got != want {
		t.Fatalf("with a data directory:\n%s\nin memory:\n%s", got, want)
	}
	a.Server.Close()
	b := emulatortest.Start(t, emulator.WithDataDir(dir))
	if got := s3Transcript(t, svcS3(b.Config)); got != want {
		t.Fatalf("after a restart:\n%s\nbefore:\n%s", got, want)
	}
}

// A GetObject streams the file as it was when the read began: a put that
// replaces the object, or a delete, while it is being read changes
// nothing of what it reads.
func TestDurableS3ReadWhileReplaced(t *testing.T) {
	ep := emulatortest.Start(t, emulator.WithDataDir(t.TempDir()))
	c := svcS3(ep.Config)
	ctx := context.Background()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bkt")}); err != nil {
		t.Fatal(err)
	}
	first := s3Bytes(5, 8<<20)
	for _, then := range []string{"replace", "delete"} {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k"), Body: bytes.NewReader(first)}); err != nil {
			t.Fatal(err)
		}
		g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 1)
		if _, err := io.ReadFull(g.Body, head); err != nil {
			t.Fatal(err)
		}
		if then == "replace" {
			_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k"), Body: bytes.NewReader(s3Bytes(6, 8<<20))})
		} else {
			_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
		}
		if err != nil {
			t.Fatal(err)
		}
		rest, err := io.ReadAll(g.Body)
		g.Body.Close()
		if err != nil || !bytes.Equal(append(head, rest...), first) {
			t.Fatalf("%s while read: %d bytes read (%v), not the object as it was", then, 1+len(rest), err)
		}
	}
}

// Object files written before the bytes were kept on disk only (a header
// line with the metadata, then the bytes; the oldest without a size and
// SHA-256) load and are served where they are; a put replaces one with a
// file of today's format.
func TestDurableS3ObjectFilesBeforeLoad(t *testing.T) {
	dir := t.TempDir()
	objects := filepath.Join(dir, "s3", "objects")
	if err := os.MkdirAll(objects, 0o700); err != nil {
		t.Fatal(err)
	}
	modified := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	buckets := fmt.Sprintf(`[{"name":"old","created":%q}]`, modified.Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(dir, "s3", "buckets.json"), []byte(buckets), 0o600); err != nil {
		t.Fatal(err)
	}
	write := func(key string, body []byte, sums bool) {
		t.Helper()
		h := map[string]any{"bucket": "old", "key": key, "modified": modified,
			"meta": map[string]string{"Content-Type": "text/csv", "X-Amz-Meta-Origin": "old", "Last-Modified": modified.Format(http.TimeFormat)}}
		if sums {
			sum := sha256.Sum256(body)
			h["size"], h["sha256"] = len(body), hex.EncodeToString(sum[:])
		}
		line, _ := json.Marshal(h)
		name := sha256.Sum256([]byte("old/" + key))
		if err := os.WriteFile(filepath.Join(objects, hex.EncodeToString(name[:])), append(append(line, '\n'), body...), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	big := s3Bytes(7, 3<<20)
	write("with-sums.bin", big, true)
	write("without.csv", []byte("a,b\n1,2\n"), false)

	ep := emulatortest.Start(t, emulator.WithDataDir(dir))
	if err := ep.Server.LoadError(); err != nil {
		t.Fatal(err)
	}
	c := svcS3(ep.Config)
	ctx := context.Background()
	for key, body := range map[string][]byte{"with-sums.bin": big, "without.csv": []byte("a,b\n1,2\n")} {
		sum := md5.Sum(body)
		g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("old"), Key: aws.String(key), Range: aws.String("bytes=1-")})
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		got, _ := io.ReadAll(g.Body)
		g.Body.Close()
		if !bytes.Equal(got, body[1:]) || aws.ToString(g.ETag) != `"`+hex.EncodeToString(sum[:])+`"` ||
			aws.ToString(g.ContentType) != "text/csv" || g.Metadata["origin"] != "old" || !g.LastModified.Equal(modified) {
			t.Fatalf("%s: %d bytes, ETag %s, %s, %v, %s", key, len(got), aws.ToString(g.ETag), aws.ToString(g.ContentType), g.Metadata, g.LastModified)
		}
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("old"), Key: aws.String("without.csv"), Body: strings.NewReader("c,d\n")}); err != nil {
		t.Fatal(err)
	}
	name := sha256.Sum256([]byte("old/without.csv"))
	b, err := os.ReadFile(filepath.Join(objects, hex.EncodeToString(name[:])))
	if err != nil || !bytes.HasPrefix(b, []byte(`{"v":2,"bucket":"old","key":"without.csv"}`+"\nc,d\n")) {
		t.Fatalf("the replaced file: %q %v", b, err)
	}
	g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("old"), Key: aws.String("without.csv")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(g.Body)
	g.Body.Close()
	if string(got) != "c,d\n" || g.Metadata["origin"] != "old" {
		t.Fatalf("after the put: %q %v", got, g.Metadata)
	}
}

// Concurrent puts, reads, lists and deletes of a few keys: every read is
// whole and of one put (its ETag that put's MD5, its size the put's), and a
// restart finds what was there before it.
func TestDurableS3Concurrent(t *testing.T) {
	dir := t.TempDir()
	a := emulatortest.Start(t, emulator.WithDataDir(dir))
	c := svcS3(a.Config)
	ctx := context.Background()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("conc")}); err != nil {
		t.Fatal(err)
	}
	// body is put number i of a key: its length and bytes say which.
	body := func(key string, i int) []byte {
		return bytes.Repeat([]byte(fmt.Sprintf("%s#%d;", key, i)), 1000+i*37)
	}
	keys := []string{"k0", "k1", "k2"}
	errs := make(chan error, 64)
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				key := keys[(w+i)%len(keys)]
				switch (w + i) % 5 {
				case 0, 1:
					if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("conc"), Key: aws.String(key), Body: bytes.NewReader(body(key, w*100+i))}); err != nil {
						errs <- err
					}
				case 2:
					if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("conc"), Key: aws.String(key)}); err != nil {
						errs <- err
					}
				case 3:
					if _, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("conc")}); err != nil {
						errs <- err
					}
				default:
					g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("conc"), Key: aws.String(key)})
					if code, _ := apiError(err); code == "NoSuchKey" {
						continue
					} else if err != nil {
						errs <- err
						continue
					}
					b, err := io.ReadAll(g.Body)
					g.Body.Close()
					var n int
					fmt.Sscanf(string(b), key+"#%d;", &n)
					sum := md5.Sum(b)
					if err != nil || !bytes.Equal(b, body(key, n)) || aws.ToString(g.ETag) != `"`+hex.EncodeToString(sum[:])+`"` {
						errs <- fmt.Errorf("get %s: %d bytes, ETag %s (%v): not one put", key, len(b), aws.ToString(g.ETag), err)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	state := func(c *s3.Client) string {
		out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("conc")})
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, o := range out.Contents {
			g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("conc"), Key: o.Key})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(g.Body)
			g.Body.Close()
			sum := md5.Sum(b)
			if aws.ToString(o.ETag) != `"`+hex.EncodeToString(sum[:])+`"` || aws.ToInt64(o.Size) != int64(len(b)) {
				t.Errorf("%s listed as %d bytes %s, reads %d bytes", aws.ToString(o.Key), aws.ToInt64(o.Size), aws.ToString(o.ETag), len(b))
			}
			s = append(s, fmt.Sprintf("%s=%x", aws.ToString(o.Key), sum))
		}
		return strings.Join(s, " ")
	}
	before := state(c)
	a.Server.Close()
	if after := state(svcS3(emulatortest.Start(t, emulator.WithDataDir(dir)).Config)); after != before {
		t.Fatalf("after a restart: %s, before: %s", after, before)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, "s3", "objects", "*.tmp")); len(tmp) > 0 {
		t.Fatalf("temporary files left: %v", tmp)
	}
}
