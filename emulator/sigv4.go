package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smcore-go/smcore/emulator/wire"
)

// scope is what the Authorization header says about a request.
type scope struct {
	accessKey, date, region, service string
	signedHeaders                    []string
	signature                        string
}

func parseAuth(h string) (scope, bool) {
	var s scope
	rest, ok := strings.CutPrefix(h, "AWS4-HMAC-SHA256 ")
	if !ok {
		return s, false
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			f := strings.Split(v, "/")
			if len(f) != 5 || f[4] != "aws4_request" {
				return s, false
			}
			s.accessKey, s.date, s.region, s.service = f[0], f[1], f[2], f[3]
		case "SignedHeaders":
			s.signedHeaders = strings.Split(v, ";")
		case "Signature":
			s.signature = v
		}
	}
	return s, s.accessKey != "" && s.signature != "" && len(s.signedHeaders) > 0
}

// verify checks a request's SigV4 signature against the configured
// credentials by signing a copy with the same time, scope and headers; it
// returns the scope and the body it read.
func (s *Server) verify(r *http.Request) (scope, []byte, error) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return scope{}, nil, &wire.Error{Status: 403, Code: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"}
	}
	sc, ok := parseAuth(auth)
	if !ok {
		return scope{}, nil, &wire.Error{Status: 403, Code: "IncompleteSignatureException", Message: "Authorization header is malformed"}
	}
	if sc.accessKey != s.creds.AccessKeyID {
		return sc, nil, &wire.Error{Status: 403, Code: "UnrecognizedClientException", Message: "The security token included in the request is invalid."}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, wire.MaxBody+1))
	if err != nil {
		return sc, nil, wire.Errorf("SerializationException", "reading the body: %v", err)
	}
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return sc, body, &wire.Error{Status: 403, Code: "IncompleteSignatureException", Message: "X-Amz-Date is missing or malformed"}
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	// The client signs the body's sha256 or a stand-in for it, which the
	// canonical request then holds: UNSIGNED-PAYLOAD, or for S3
	// STREAMING-… (an aws-chunked body, which s3.go decodes without
	// checking the chunks' own signatures).
	signed := hash
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		if h == "UNSIGNED-PAYLOAD" || sc.service == "s3" && strings.HasPrefix(h, "STREAMING-") {
			signed = h
		} else if h != hash {
			return sc, body, &wire.Error{Status: 403, Code: "InvalidSignatureException", Message: "The payload hash does not match the body"}
		}
	}
	want := signature(s.creds.SecretAccessKey, r, sc, when, signed)
	if !hmac.Equal([]byte(want), []byte(sc.signature)) {
		return sc, body, &wire.Error{Status: 403, Code: "InvalidSignatureException",
			Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."}
	}
	return sc, body, nil
}

// signature computes the SigV4 signature of r over the headers the client
// said it signed. It is on every request's path: the canonical request is
// built in one buffer and the signing key is cached (signingKey).
func signature(secret string, r *http.Request, sc scope, when time.Time, payloadHash string) string {
	b := make([]byte, 0, 1024)
	b = append(append(b, r.Method...), '\n')
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	if sc.service != "s3" && path != "/" {
		path = escapePath(path)
	}
	b = append(append(b, path...), '\n')
	if r.URL.RawQuery != "" {
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
		b = append(b, strings.Join(qs, "&")...)
	}
	b = append(b, '\n')
	for _, h := range sc.signedHeaders {
		var v string
		switch h {
		case "host":
			v = r.Host
		case "content-length":
			v = strconv.FormatInt(r.ContentLength, 10)
		default:
			vals := r.Header.Values(h)
			if len(vals) == 1 && trimmed(vals[0]) {
				v = vals[0]
				break
			}
			for i := range vals {
				vals[i] = strings.Join(strings.Fields(vals[i]), " ")
			}
			v = strings.Join(vals, ",")
		}
		b = append(append(append(append(b, h...), ':'), v...), '\n')
	}
	b = append(b, '\n')
	for i, h := range sc.signedHeaders {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, h...)
	}
	b = append(append(b, '\n'), payloadHash...)
	sum := sha256.Sum256(b)
	b = append(b[:0], "AWS4-HMAC-SHA256\n"...)
	b = when.AppendFormat(b, "20060102T150405Z")
	b = append(append(b, '\n'), sc.date...)
	b = append(append(b, '/'), sc.region...)
	b = append(append(b, '/'), sc.service...)
	b = append(b, "/aws4_request\n"...)
	b = hex.AppendEncode(b, sum[:])
	m := hmac.New(sha256.New, signingKey(secret, sc))
	m.Write(b)
	return hex.EncodeToString(m.Sum(sum[:0]))
}

// trimmed reports whether a header value is already in canonical form:
// printable ASCII with single spaces between words, as
// strings.Join(strings.Fields(v), " ") would leave it.
func trimmed(v string) bool {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == ' ':
			if i == 0 || i == len(v)-1 || v[i-1] == ' ' {
				return false
			}
		case c < 0x21 || c >= 0x7f:
			return false
		}
	}
	return true
}

// signingKeys caches derived signing keys: four HMACs that depend only on
// the secret and the scope, the same for every request of a day. It is
// bounded, since the scope's date and region come from the client.
var signingKeys struct {
	sync.Mutex
	m map[string][]byte
}

func signingKey(secret string, sc scope) []byte {
	id := secret + "\x00" + sc.date + "\x00" + sc.region + "\x00" + sc.service
	signingKeys.Lock()
	key, ok := signingKeys.m[id]
	signingKeys.Unlock()
	if ok {
		return key
	}
	key = mac([]byte("AWS4"+secret), sc.date)
	key = mac(key, sc.region)
	key = mac(key, sc.service)
	key = mac(key, "aws4_request")
	signingKeys.Lock()
	if signingKeys.m == nil || len(signingKeys.m) >= 64 {
		signingKeys.m = map[string][]byte{}
	}
	signingKeys.m[id] = key
	signingKeys.Unlock()
	return key
}

func mac(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// escape is SigV4's URI encoding: everything but unreserved characters.
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// escapePath encodes each segment of an already escaped path once more,
// as SigV4 does for every service but S3.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = escape(s)
	}
	return strings.Join(segs, "/")
}
