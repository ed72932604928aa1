package emulator_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/internal/testenv"
)

// patterned is n bytes of a seeded pseudo-random stream, cheap to make
// and to check again.
type patterned struct {
	rnd *rand.ChaCha8
	n   int64
}

func newPatterned(seed byte, n int64) *patterned {
	return &patterned{rnd: rand.NewChaCha8([32]byte{seed}), n: n}
}

func (p *patterned) Read(b []byte) (int, error) {
	if p.n == 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.n {
		b = b[:p.n]
	}
	n, _ := p.rnd.Read(b)
	p.n -= int64(n)
	return n, nil
}

func sha256Of(t *testing.T, r io.Reader) [32]byte {
	t.Helper()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		t.Fatal(err)
	}
	return [32]byte(h.Sum(nil))
}

// TestS3LargePutObjectStreams: a single 100 MiB PutObject through the
// SDK's s3 client (over HTTP, where it signs the body's sha256, and over
// TLS, where it sends UNSIGNED-PAYLOAD with a checksum) is stored whole,
// the endpoint streaming it to the store rather than holding a copy.
func TestS3LargePutObjectStreams(t *testing.T) {
	const size = 100 << 20
	data := make([]byte, size)
	newPatterned(1, size).Read(data)
	want := sha256.Sum256(data)

	s := emulator.New()
	plain := httptest.NewServer(s)
	tls := httptest.NewTLSServer(s)
	t.Cleanup(func() { plain.Close(); tls.Close(); s.Close() })
	ctx := context.Background()
	if err := s.EnsureBucket(ctx, svcBucket); err != nil {
		t.Fatal(err)
	}
	for _, srv := range []*httptest.Server{plain, tls} {
		c := svcS3(aws.Config{
			Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(),
			Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
			Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
		})
		key := "big-" + srv.URL[:5]
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(svcBucket), Key: aws.String(key), Body: bytes.NewReader(data), ContentLength: aws.Int64(size)})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatalf("%s: PutObject of 100 MiB: %v", srv.URL, err)
		}
		// The store keeps one copy (s3mem's); the endpoint adds buffers,
		// not another copy.
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size+size/4 {
			t.Errorf("%s: the upload allocated %d MiB for a %d MiB body", srv.URL, alloc>>20, size>>20)
		}
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(svcBucket), Key: aws.String(key)})
		if err != nil {
			t.Fatal(err)
		}
		got := sha256Of(t, out.Body)
		out.Body.Close()
		if got != want || aws.ToInt64(out.ContentLength) != size {
			t.Fatalf("%s: the object came back different (%d bytes)", srv.URL, aws.ToInt64(out.ContentLength))
		}
	}
}

// TestS3PayloadVerifiedWhileStreaming: a body that does not hash to its
// x-amz-content-sha256, or whose aws-chunked chunk signature is wrong, is
// refused with S3's code — past the 16 MiB a request body was once held
// to — and not stored.
func TestS3PayloadVerifiedWhileStreaming(t *testing.T) {
	ep := emulatortest.Start(t)
	ctx := context.Background()
	if err := ep.Server.EnsureBucket(ctx, svcBucket); err != nil {
		t.Fatal(err)
	}
	url := ep.URL + "/" + svcBucket + "/"
	data := make([]byte, 20<<20)
	newPatterned(2, int64(len(data))).Read(data)
	other := sha256.Sum256([]byte("something else"))
	now := time.Now()

	// A signed sha256 that is not the body's.
	code, _, body := do(t, nil, signedRequest(t, http.MethodPut, url+"wrong-sha", "s3", "us-east-1", now, data, fmt.Sprintf("%x", other)))
	if code != 400 || !strings.Contains(body, "<Code>XAmzContentSHA256Mismatch</Code>") || !strings.Contains(body, fmt.Sprintf("<ClientComputedContentSHA256>%x</ClientComputedContentSHA256>", other)) {
		t.Errorf("a wrong x-amz-content-sha256: %d %.300s", code, body)
	}
	// Signed chunks, 20 MiB in 1 MiB chunks: stored; one chunk's signature
	// wrong, or one data byte changed: refused.
	if code, _, body := do(t, nil, chunkedPut(t, url+"chunked", data, 1<<20, now, nil)); code != 200 {
		t.Fatalf("20 MiB of signed chunks: %d %s", code, body)
	}
	rc, err := ep.Server.GetObject(ctx, svcBucket, "chunked")
	if err != nil || sha256Of(t, rc) != sha256.Sum256(data) {
		t.Fatalf("the chunked upload came back different: %v", err)
	}
	badSig := func(i int, d []byte, sig string) ([]byte, string) {
		if i == 7 {
			sig = strings.Repeat("a", 64)
		}
		return d, sig
	}
	badData := func(i int, d []byte, sig string) ([]byte, string) {
		if i == 12 {
			d = bytes.Clone(d)
			d[100] ^= 1
		}
		return d, sig
	}
	badFinal := func(i int, d []byte, sig string) ([]byte, string) {
		if len(d) == 0 {
			sig = strings.Repeat("b", 64)
		}
		return d, sig
	}
	for name, tamper := range map[string]func(int, []byte, string) ([]byte, string){"signature": badSig, "data": badData, "final chunk": badFinal} {
		code, _, body := do(t, nil, chunkedPut(t, url+"tampered-"+strings.ReplaceAll(name, " ", "-"), data, 1<<20, now, tamper))
		if code != 403 || !strings.Contains(body, "<Code>SignatureDoesNotMatch</Code>") {
			t.Errorf("chunks with a bad %s: %d %.300s", name, code, body)
		}
	}
	for _, key := range []string{"wrong-sha", "tampered-signature", "tampered-data", "tampered-final-chunk"} {
		if _, err := ep.Server.GetObject(ctx, svcBucket, key); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s was stored: %v", key, err)
		}
	}
	// UNSIGNED-PAYLOAD is taken as it comes.
	if code, _, body := do(t, nil, signedRequest(t, http.MethodPut, url+"unsigned", "s3", "us-east-1", now, data[:1000], "UNSIGNED-PAYLOAD")); code != 200 {
		t.Errorf("UNSIGNED-PAYLOAD: %d %s", code, body)
	}
	// Over S3's 5 GiB: refused before a byte is read.
	req := signedRequest(t, http.MethodPut, url+"huge", "s3", "us-east-1", now, nil, "UNSIGNED-PAYLOAD")
	req.ContentLength = 5<<30 + 1
	req.Body = io.NopCloser(newPatterned(3, req.ContentLength))
	if code, _, body := do(t, nil, req); code != 400 || !strings.Contains(body, "<Code>EntityTooLarge</Code>") {
		t.Errorf("5 GiB + 1: %d %s", code, body)
	}
}

// The chunked-upload examples of the S3 API reference ("Signature
// calculations for the Authorization header: transferring payload in
// multiple chunks", with and without a trailing checksum), with the
// signatures AWS publishes for them.
const (
	awsExampleKey    = "AKIAIOSFODNN7EXAMPLE"
	awsExampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

type awsChunkedExample struct {
	payload, signedHeaders, seed string
	chunkSigs                    [3]string
	trailer, trailerSig          string
}

var awsChunkedExamples = []awsChunkedExample{{
	payload:       "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
	signedHeaders: "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class",
	seed:          "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
	chunkSigs: [3]string{"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
		"0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
		"b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"},
}, {
	payload:       "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
	signedHeaders: "content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
	seed:          "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
	chunkSigs: [3]string{"b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
		"1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
		"2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"},
	trailer:    "x-amz-checksum-crc32c:sOO8/Q==",
	trailerSig: "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435",
}}

func (e awsChunkedExample) body() string {
	b := "10000;chunk-signature=" + e.chunkSigs[0] + "\r\n" + strings.Repeat("a", 65536) + "\r\n" +
		"400;chunk-signature=" + e.chunkSigs[1] + "\r\n" + strings.Repeat("a", 1024) + "\r\n" +
		"0;chunk-signature=" + e.chunkSigs[2] + "\r\n"
	if e.trailer != "" {
		b += e.trailer + "\r\n" + "x-amz-trailer-signature:" + e.trailerSig + "\r\n"
	}
	return b + "\r\n"
}

func (e awsChunkedExample) request(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPut, "http://s3.amazonaws.com/examplebucket/chunkObject.txt", strings.NewReader(body))
	r.Header.Set("X-Amz-Date", "20130524T000000Z")
	r.Header.Set("X-Amz-Storage-Class", "REDUCED_REDUNDANCY")
	r.Header.Set("X-Amz-Content-Sha256", e.payload)
	r.Header.Set("Content-Encoding", "aws-chunked")
	r.Header.Set("X-Amz-Decoded-Content-Length", "66560")
	if e.trailer != "" {
		r.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32c")
	}
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+awsExampleKey+"/20130524/us-east-1/s3/aws4_request,SignedHeaders="+e.signedHeaders+",Signature="+e.seed)
	return r
}

// TestS3ChunkSignaturesMatchAWSExamples checks the chunk and trailer
// signatures against the values AWS publishes, and that changing any of
// them is refused.
func TestS3ChunkSignaturesMatchAWSExamples(t *testing.T) {
	at := time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
	s := emulator.New(emulator.WithCredentials(emulator.Credentials{AccessKeyID: awsExampleKey, SecretAccessKey: awsExampleSecret}),
		emulator.WithSigningClock(func() time.Time { return at }), emulator.WithAllowedHosts("s3.amazonaws.com"))
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	if err := s.EnsureBucket(ctx, "examplebucket"); err != nil {
		t.Fatal(err)
	}
	serve := func(r *http.Request) (int, string) {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	for _, e := range awsChunkedExamples {
		if code, body := serve(e.request(e.body())); code != 200 {
			t.Fatalf("%s: the published example: %d %s", e.payload, code, body)
		}
		rc, err := s.GetObject(ctx, "examplebucket", "chunkObject.txt")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		if string(got) != strings.Repeat("a", 66560) {
			t.Fatalf("%s: stored %d bytes", e.payload, len(got))
		}
		if e.trailer != "" {
			// The trailing checksum is stored as if sent as a header.
			get := httptest.NewRequest(http.MethodHead, "http://s3.amazonaws.com/examplebucket/chunkObject.txt", nil)
			get.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
			creds := aws.Credentials{AccessKeyID: awsExampleKey, SecretAccessKey: awsExampleSecret}
			if err := v4.NewSigner().SignHTTP(ctx, creds, get, "UNSIGNED-PAYLOAD", "s3", "us-east-1", at); err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, get)
			if w.Code != 200 || w.Header().Get("X-Amz-Checksum-Crc32c") != "sOO8/Q==" {
				t.Errorf("HEAD after the trailer example: %d %v", w.Code, w.Header())
			}
		}
		tampered := map[string]string{
			"a data byte":         strings.Replace(e.body(), "a\r\n400;", "b\r\n400;", 1),
			"a chunk signature":   strings.Replace(e.body(), e.chunkSigs[1], strings.Repeat("0", 64), 1),
			"the final signature": strings.Replace(e.body(), e.chunkSigs[2], e.chunkSigs[1], 1),
		}
		if e.trailer != "" {
			tampered["the trailer signature"] = strings.Replace(e.body(), e.trailerSig, e.seed, 1)
			tampered["the trailer"] = strings.Replace(e.body(), "sOO8/Q==", "AAAAAA==", 1)
		}
		for what, body := range tampered {
			if code, answer := serve(e.request(body)); code != 403 || !strings.Contains(answer, "<Code>SignatureDoesNotMatch</Code>") {
				t.Errorf("%s with %s changed: %d %s", e.payload, what, code, answer)
			}
		}
	}
}

// TestS3PresignedURLs: URLs presigned by the SDK work with plain net/http
// for GET and PUT until X-Amz-Expires seconds after X-Amz-Date; then S3's
// AccessDenied "Request has expired".
func TestS3PresignedURLs(t *testing.T) {
	now := time.Now()
	clock := &manualClock{t: now}
	ep := emulatortest.Start(t, emulator.WithSigningClock(clock.Now))
	ctx := context.Background()
	if err := ep.Server.EnsureBucket(ctx, svcBucket); err != nil {
		t.Fatal(err)
	}
	presign := s3.NewPresignClient(svcS3(ep.Config), s3.WithPresignExpires(10*time.Minute))
	put, err := presign.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(svcBucket), Key: aws.String("shared/data.csv"), ContentType: aws.String("text/csv")})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(put.Method, put.URL, strings.NewReader("a,b\n1,2\n"))
	for k, v := range put.SignedHeader {
		if k != "Host" {
			req.Header[k] = v
		}
	}
	if code, _, body := do(t, nil, req); code != 200 {
		t.Fatalf("presigned PUT: %d %s", code, body)
	}
	get, err := presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(svcBucket), Key: aws.String("shared/data.csv")})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(get.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "a,b\n1,2\n" || resp.Header.Get("Content-Type") != "text/csv" {
		t.Fatalf("presigned GET: %d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Type"))
	}
	// The URL's query is the signature's, not the operation's.
	if rc, err := ep.Server.GetObject(ctx, svcBucket, "shared/data.csv"); err != nil {
		t.Fatal(err)
	} else {
		rc.Close()
	}

	// Eleven minutes on, the URL has expired.
	clock.Add(11 * time.Minute)
	code, _, answer := do(t, nil, mustRequest(t, http.MethodGet, get.URL))
	if code != 403 || !strings.Contains(answer, "<Code>AccessDenied</Code><Message>Request has expired</Message>") || !strings.Contains(answer, "<X-Amz-Expires>600</X-Amz-Expires>") {
		t.Errorf("expired presigned GET: %d %s", code, answer)
	}
	// A signature that is not the URL's, and a validity over a week.
	clock.Add(-11 * time.Minute)
	code, _, answer = do(t, nil, mustRequest(t, http.MethodGet, strings.Replace(get.URL, "X-Amz-Signature=", "X-Amz-Signature=0", 1)))
	if code != 403 || !strings.Contains(answer, "<Code>SignatureDoesNotMatch</Code>") {
		t.Errorf("a changed signature: %d %s", code, answer)
	}
	code, _, answer = do(t, nil, mustRequest(t, http.MethodGet, strings.Replace(get.URL, "X-Amz-Expires=600", "X-Amz-Expires=604801", 1)))
	if code != 400 || !strings.Contains(answer, "<Code>AuthorizationQueryParametersError</Code><Message>X-Amz-Expires must be less than a week (in seconds) that is 604800</Message>") {
		t.Errorf("X-Amz-Expires over a week: %d %s", code, answer)
	}
	week, err := presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(svcBucket), Key: aws.String("shared/data.csv")}, s3.WithPresignExpires(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(7*24*time.Hour - time.Minute)
	if code, _, answer := do(t, nil, mustRequest(t, http.MethodGet, week.URL)); code != 200 {
		t.Errorf("a week's URL on its last day: %d %s", code, answer)
	}
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// boto3S3Errors makes boto3 meet each S3 auth and size error and prints
// the code and message boto3 shows for it. argv: the endpoint, and one
// whose signing clock is an hour off.
const boto3S3Errors = `
import sys, boto3, botocore
from botocore.config import Config
url, skewed = sys.argv[1], sys.argv[2]
def client(endpoint=url, key="test", secret="test"):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key, aws_secret_access_key=secret,
        config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}))
def show(name, f):
    try:
        f()
        print(name, "no error")
    except botocore.exceptions.ClientError as e:
        print(name, e.response["Error"]["Code"], "|", e.response["Error"].get("Message"))
c = client()
c.create_bucket(Bucket="bkt")
show("key", lambda: client(key="other").list_objects_v2(Bucket="bkt"))
show("secret", lambda: client(secret="wrong").list_objects_v2(Bucket="bkt"))
show("skew", lambda: client(endpoint=skewed).list_objects_v2(Bucket="bkt"))
show("digest", lambda: c.put_object(Bucket="bkt", Key="k", Body=b"hello", ChecksumSHA256="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))

def hooked(event, f):
    h = client()
    h.meta.events.register(event, f)
    return h
def tamper_body(request, **kw):
    request.body = b"HELLO"
def add_unsigned(request, **kw):
    request.headers["x-amz-meta-unsigned"] = "1"
def huge(request, **kw):
    request.headers["Content-Length"] = str(5 * 2**30 + 1)
show("sha256", lambda: hooked("before-send.s3.PutObject", tamper_body).put_object(Bucket="bkt", Key="k", Body=b"hello"))
show("unsigned", lambda: hooked("before-send.s3.PutObject", add_unsigned).put_object(Bucket="bkt", Key="k", Body=b"hello"))
show("size", lambda: hooked("before-send.s3.PutObject", huge).put_object(Bucket="bkt", Key="k", Body=b"hello"))
`

// TestS3AuthErrorsThroughBoto3: S3's auth and size errors come in S3's
// XML form, so boto3 shows their codes (it showed "(403) Forbidden" for
// JSON ones).
func TestS3AuthErrorsThroughBoto3(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		testenv.Unavailable(t, "python3 not found")
	}
	if exec.Command(py, "-c", "import boto3").Run() != nil {
		testenv.Unavailable(t, "boto3 not installed")
	}
	ep := emulatortest.Start(t)
	skewed := emulatortest.Start(t, emulator.WithSigningClock(func() time.Time { return time.Now().Add(time.Hour) }))
	if err := skewed.Server.EnsureBucket(context.Background(), "bkt"); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", boto3S3Errors, ep.URL, skewed.URL)
	cmd.Env = cliEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("boto3: %v\n%s", err, out)
	}
	for _, want := range []string{
		"key InvalidAccessKeyId | The AWS Access Key Id you provided does not exist in our records.",
		"secret SignatureDoesNotMatch | The request signature we calculated does not match the signature you provided. Check your key and signing method.",
		"skew RequestTimeTooSkewed | The difference between the request time and the current time is too large.",
		"digest BadDigest | The SHA256 you specified did not match the calculated checksum.",
		"sha256 XAmzContentSHA256Mismatch | The provided 'x-amz-content-sha256' header does not match what was computed.",
		"unsigned AccessDenied | There were headers present in the request which were not signed",
		"size EntityTooLarge | Your proposed upload exceeds the maximum allowed size",
	} {
		if !strings.Contains(string(out), want+"\n") {
			t.Errorf("boto3 did not show %q:\n%s", want, out)
		}
	}
}
