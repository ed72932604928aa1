package emulator_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var testCreds = aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}

// signedRequest is a request signed by the SDK's SigV4 signer for service
// and region at when; payloadHash "" means the body's sha256 (sent as
// X-Amz-Content-Sha256 for S3).
func signedRequest(t *testing.T, method, url, service, region string, when time.Time, body []byte, payloadHash string, hdr ...string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
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
	if err := v4.NewSigner().SignHTTP(context.Background(), testCreds, req, payloadHash, service, region, when); err != nil {
		t.Fatal(err)
	}
	return req
}

// do sends req and returns the status and body of the answer.
func do(t *testing.T, c *http.Client, req *http.Request) (int, http.Header, string) {
	t.Helper()
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// chunkedPut is a PUT of content as aws-chunked with signed chunks
// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), as the Java SDK sends it: the seed
// signature is the SDK's v4 signer's, each chunk's its stream signer's
// (which signs event-stream chunks the same way: an empty header block
// hashes to the sha256 of nothing). tamper, if set, may change a chunk's
// data or signature before it is framed.
func chunkedPut(t *testing.T, url string, content []byte, chunk int, when time.Time, tamper func(i int, data []byte, sig string) ([]byte, string)) *http.Request {
	t.Helper()
	var chunks [][]byte
	for rest := content; ; {
		n := min(len(rest), chunk)
		chunks = append(chunks, rest[:n])
		rest = rest[n:]
		if n == 0 {
			break
		}
	}
	frame := func(sigs []string) []byte {
		var b bytes.Buffer
		for i, c := range chunks {
			fmt.Fprintf(&b, "%x;chunk-signature=%s\r\n", len(c), sigs[i])
			b.Write(c)
			b.WriteString("\r\n")
		}
		return b.Bytes()
	}
	placeholder := make([]string, len(chunks))
	for i := range placeholder {
		placeholder[i] = strings.Repeat("0", 64)
	}
	req := signedRequest(t, http.MethodPut, url, "s3", "us-east-1", when, frame(placeholder), "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
		"Content-Encoding", "aws-chunked", "X-Amz-Decoded-Content-Length", fmt.Sprint(len(content)))
	_, seedHex, _ := strings.Cut(req.Header.Get("Authorization"), "Signature=")
	seed, err := hex.DecodeString(seedHex)
	if err != nil {
		t.Fatal(err)
	}
	signer := v4.NewStreamSigner(testCreds, "s3", "us-east-1", seed)
	sigs := make([]string, len(chunks))
	for i, c := range chunks {
		sig, err := signer.GetSignature(context.Background(), nil, c, when)
		if err != nil {
			t.Fatal(err)
		}
		sigs[i] = hex.EncodeToString(sig)
		if tamper != nil {
			chunks[i], sigs[i] = tamper(i, c, sigs[i])
		}
	}
	body := frame(sigs)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	return req
}
