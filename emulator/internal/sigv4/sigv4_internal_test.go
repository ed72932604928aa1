package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// referenceSignature is the straightforward SigV4 computation the
// endpoint's signature replaced: every string built, every key derived.
func referenceSignature(secret string, r *http.Request, sc Scope, when time.Time, payloadHash string) string {
	var canon strings.Builder
	canon.WriteString(r.Method + "\n")
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	if sc.Service != "s3" {
		path = escapePath(path)
	}
	canon.WriteString(path + "\n")
	q := r.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var qs []string
	for _, k := range keys {
		vals := q[k]
		sort.Strings(vals)
		for _, v := range vals {
			qs = append(qs, escape(k)+"="+escape(v))
		}
	}
	canon.WriteString(strings.Join(qs, "&") + "\n")
	for _, h := range sc.SignedHeaders {
		var v string
		switch h {
		case "host":
			v = r.Host
		case "content-length":
			v = strconv.FormatInt(r.ContentLength, 10)
		default:
			vals := r.Header.Values(h)
			for i := range vals {
				vals[i] = strings.Join(strings.Fields(vals[i]), " ")
			}
			v = strings.Join(vals, ",")
		}
		canon.WriteString(h + ":" + v + "\n")
	}
	canon.WriteString("\n" + strings.Join(sc.SignedHeaders, ";") + "\n" + payloadHash)
	sum := sha256.Sum256([]byte(canon.String()))
	toSign := "AWS4-HMAC-SHA256\n" + when.Format("20060102T150405Z") + "\n" + sc.Date + "/" + sc.Region + "/" + sc.Service + "/aws4_request\n" + hex.EncodeToString(sum[:])
	key := mac([]byte("AWS4"+secret), sc.Date)
	key = mac(key, sc.Region)
	key = mac(key, sc.Service)
	key = mac(key, "aws4_request")
	return hex.EncodeToString(mac(key, toSign))
}

func TestSignatureMatchesReference(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	pick := func(xs ...string) string { return xs[rnd.IntN(len(xs))] }
	values := []string{"a", "plain value", " lead", "trail ", "two  spaces", "tab\there", "é", "x\u00a0y", "", "application/x-amz-json-1.1", "\x7f"}
	for i := range 3000 {
		u, err := url.Parse("http://h" + pick("/", "", "/a/b", "/a%20b/c%2Fd", "/bucket/key with space", "/~x/y.z") +
			pick("", "?", "?a=1", "?b=2&a=1&a=0", "?x", "?k=v%20w&k=%2F"))
		if err != nil {
			t.Fatal(err)
		}
		r := &http.Request{Method: pick("POST", "GET", "PUT"), URL: u, Host: pick("127.0.0.1:8080", "h"), Header: http.Header{}, ContentLength: int64(rnd.IntN(100))}
		signed := []string{"content-length", "host"}
		for _, h := range []string{"x-amz-date", "x-amz-target", "content-type", "x-amz-meta-m"} {
			if rnd.IntN(3) > 0 {
				for range 1 + rnd.IntN(2) {
					r.Header.Add(h, pick(values...))
				}
				signed = append(signed, h)
			}
		}
		sort.Strings(signed)
		sc := Scope{AccessKey: "test", Date: pick("20260102", "20260103"), Region: pick("us-east-1", "eu-west-1"), Service: pick("sagemaker", "s3", "logs"), SignedHeaders: signed}
		when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		hash := pick("UNSIGNED-PAYLOAD", strings.Repeat("ab", 32))
		clone := func() *http.Request { c := r.Clone(t.Context()); c.Host = r.Host; return c }
		if got, want := signature("secret", clone(), sc, when, hash), referenceSignature("secret", clone(), sc, when, hash); got != want {
			t.Fatalf("case %d: %s %s %v %+v: got %s want %s", i, r.Method, u, r.Header, sc, got, want)
		}
	}
}

func TestTrimmedAgreesWithFields(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", " ", "  ", "\t", "\n", "é", "\u00a0", "\x7f", "\x00", "b-c", "/"}
	for range 20000 {
		var b strings.Builder
		for range rnd.IntN(6) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		v := b.String()
		if trimmed(v) && strings.Join(strings.Fields(v), " ") != v {
			t.Fatalf("trimmed(%q) but Fields changes it", v)
		}
	}
	for _, v := range []string{"a b", "application/x-amz-json-1.1", "SageMaker.DescribeTrainingJob", ""} {
		if !trimmed(v) {
			t.Errorf("trimmed(%q) = false", v)
		}
	}
}
