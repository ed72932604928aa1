// Package sigv4 checks requests' AWS Signature Version 4 as strictly as the
// services do, and answers a failure in the form of the service the
// request was signed for.
package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smcore-go/smcore/emulator/internal/awserr"
	"github.com/smcore-go/smcore/emulator/internal/region"
)

// SigV4 is checked as strictly as the services do (authenticate): the
// access key, the scope's form, region and date, the X-Amz-Date against
// the clock (WithClockSkew), that host and the date are signed (for S3
// also x-amz-content-sha256 and every x-amz-* header sent), presigned URLs'
// expiry, and then the signature. A request's payload hash is checked
// against its body: for the JSON and query services by hashing the body
// (emulator's readBody), for S3 while the body streams to the store
// (package s3).

const (
	amzDateFormat    = "20060102T150405Z"
	sigV4Algorithm   = "AWS4-HMAC-SHA256"
	maxPresignExpiry = 7 * 24 * time.Hour // 604,800 s, as S3 allows

	// DefaultClockSkew is how far a request's X-Amz-Date may be from the
	// endpoint's clock, as the services allow (WithClockSkew).
	DefaultClockSkew = 15 * time.Minute
)

// Scope is what the Authorization header (or a presigned URL's query)
// says about a request.
type Scope struct {
	AccessKey, Date, Region, Service string
	SignedHeaders                    []string
	Signature                        string
	Presigned                        bool // signed in the query: X-Amz-Signature is not part of the canonical query
}

// Auth is a request's parsed and checked SigV4 authentication, short of the
// signature itself, which needs the payload hash (CheckSignature).
type Auth struct {
	Scope
	When    time.Time // X-Amz-Date (or Date)
	Payload string    // S3: x-amz-content-sha256 as sent (UNSIGNED-PAYLOAD for a presigned URL without it)
}

// Verifier checks requests signed with one pair of credentials.
type Verifier struct {
	AccessKeyID, SecretAccessKey string
	// Skew is how far X-Amz-Date may be from Now, either way; zero or
	// less accepts any time.
	Skew time.Duration
	Now  func() time.Time
}

// scopeString is the credential scope, date/region/service/aws4_request.
func (a *Auth) ScopeString() string {
	return a.Date + "/" + a.Region + "/" + a.Service + "/aws4_request"
}

func parseAuth(h string) (Scope, bool) {
	var s Scope
	rest, ok := strings.CutPrefix(h, sigV4Algorithm+" ")
	if !ok {
		return s, false
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			if !s.setCredential(v) {
				return s, false
			}
		case "SignedHeaders":
			s.SignedHeaders = strings.Split(v, ";")
		case "Signature":
			s.Signature = v
		}
	}
	return s, s.AccessKey != "" && s.Signature != "" && len(s.SignedHeaders) > 0 && s.SignedHeaders[0] != ""
}

// setCredential parses <key>/<date>/<region>/<service>/aws4_request.
func (s *Scope) setCredential(v string) bool {
	f := strings.Split(v, "/")
	if len(f) != 5 || f[4] != "aws4_request" {
		return false
	}
	s.AccessKey, s.Date, s.Region, s.Service = f[0], f[1], f[2], f[3]
	return true
}

// signs reports whether header h (lower case) is among the signed headers.
func (s *Scope) signs(h string) bool {
	for _, x := range s.SignedHeaders {
		if x == h {
			return true
		}
	}
	return false
}

// GuessService names the service whose error form suits a request whose
// scope could not be read: AWS JSON by its content type or target, the
// query protocol by a form, else S3.
func GuessService(r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	switch {
	case r.Header.Get("X-Amz-Target") != "" || strings.HasPrefix(ct, "application/x-amz-json"):
		return "sagemaker"
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded") || r.URL.Query().Has("Action"):
		return "sts"
	}
	return "s3"
}

// Authenticate checks everything about a request's SigV4 authentication
// that does not need its body; the signature is checked by CheckSignature.
// The auth it returns names the service (guessed when the request does
// not say), whose form an error is answered in.
func (s *Verifier) Authenticate(r *http.Request) (*Auth, *Error) {
	header := r.Header.Get("Authorization")
	presigned := strings.Contains(r.URL.RawQuery, "X-Amz-") && (r.URL.Query().Has("X-Amz-Signature") || r.URL.Query().Has("X-Amz-Algorithm"))
	a := &Auth{}
	switch {
	case header != "" && presigned:
		a.Service = GuessService(r)
		return a, errTwoAuthMechanisms()
	case presigned:
		if e := s.parsePresigned(r, a); e != nil {
			return a, e
		}
	case header == "":
		a.Service = GuessService(r)
		return a, errMissingAuth()
	default:
		sc, ok := parseAuth(header)
		a.Scope = sc
		if !ok {
			if a.Service == "" {
				a.Service = GuessService(r)
			}
			return a, errMalformedAuth(header)
		}
		name, v := "x-amz-date", r.Header.Get("X-Amz-Date")
		if v == "" {
			name, v = "date", r.Header.Get("Date")
		}
		when, err := time.Parse(amzDateFormat, v)
		if err != nil && name == "date" {
			when, err = http.ParseTime(v)
		}
		if err != nil {
			return a, errMissingDate()
		}
		a.When = when.UTC()
		if !sc.signs(name) {
			return a, errUnsignedHeaders(name, "'"+http.CanonicalHeaderKey(name)+"' must be a 'SignedHeader' in the AWS Authorization.")
		}
	}
	if a.AccessKey != s.AccessKeyID {
		return a, errUnknownKey(a.AccessKey)
	}
	if !region.Valid(a.Region) {
		return a, errBadRegion(a.Region, a.Presigned)
	}
	if d := a.When.Format("20060102"); a.Date != d {
		return a, errScopeDate(a.Date, d, a.When.Format(amzDateFormat), a.Presigned)
	}
	if !a.signs("host") {
		return a, errUnsignedHeaders("host", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if a.Presigned {
		if e := s.checkPresignWindow(r, a); e != nil {
			return a, e
		}
	} else if e := s.checkSkew(a.When); e != nil {
		return a, e
	}
	if a.Service != "s3" {
		return a, nil
	}
	// S3 signs what it stores: every x-amz-* header sent must be signed,
	// and x-amz-content-sha256 says how the payload is.
	var unsigned []string
	for k := range r.Header {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-amz-") && !a.signs(lk) {
			unsigned = append(unsigned, lk)
		}
	}
	if len(unsigned) > 0 {
		sort.Strings(unsigned)
		return a, errUnsignedHeaders(strings.Join(unsigned, ","), "")
	}
	a.Payload = r.Header.Get("X-Amz-Content-Sha256")
	switch {
	case a.Payload == "" && a.Presigned:
		a.Payload = UnsignedPayload
	case a.Payload == "":
		return a, S3Error(http.StatusBadRequest, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
	case !ValidPayloadHash(a.Payload):
		return a, S3Error(http.StatusBadRequest, "InvalidArgument",
			"x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
	}
	return a, nil
}

const presignParams = "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."

// parsePresigned reads the query-string form of SigV4 (a presigned URL).
func (s *Verifier) parsePresigned(r *http.Request, a *Auth) *Error {
	q := r.URL.Query()
	a.Presigned = true
	if !a.setCredential(q.Get("X-Amz-Credential")) {
		a.Service = GuessService(r)
		if q.Get("X-Amz-Credential") == "" {
			return errQueryParams(presignParams)
		}
		return errQueryParams("Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
	}
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"} {
		if q.Get(k) == "" {
			return errQueryParams(presignParams)
		}
	}
	if q.Get("X-Amz-Algorithm") != sigV4Algorithm {
		return errQueryParams("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
	}
	when, err := time.Parse(amzDateFormat, q.Get("X-Amz-Date"))
	if err != nil {
		return errQueryParams("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
	}
	a.When = when
	secs, err := strconv.ParseInt(q.Get("X-Amz-Expires"), 10, 64)
	switch {
	case err != nil:
		return errQueryParams("X-Amz-Expires should be a number")
	case secs < 0:
		return errQueryParams("X-Amz-Expires must be non-negative")
	case secs > int64(maxPresignExpiry/time.Second):
		return errQueryParams("X-Amz-Expires must be less than a week (in seconds) that is 604800")
	}
	a.SignedHeaders = strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	a.Signature = q.Get("X-Amz-Signature")
	return nil
}

// checkPresignWindow checks that a presigned URL is valid now: from its
// X-Amz-Date (less the allowed skew) for X-Amz-Expires seconds.
func (s *Verifier) checkPresignWindow(r *http.Request, a *Auth) *Error {
	secs, _ := strconv.ParseInt(r.URL.Query().Get("X-Amz-Expires"), 10, 64) // checked by parsePresigned
	now := s.Now().UTC()
	if now.Before(a.When.Add(-s.Skew)) {
		return errNotYetValid(a.When, now)
	}
	if expires := a.When.Add(time.Duration(secs) * time.Second); now.After(expires) {
		return errExpired(secs, expires, now)
	}
	return nil
}

// checkSkew checks a request's time against the endpoint's clock, as the
// services do: more than the allowed skew either way is refused.
func (s *Verifier) checkSkew(when time.Time) *Error {
	if s.Skew <= 0 {
		return nil
	}
	now := s.Now().UTC()
	if when.Before(now.Add(-s.Skew)) || when.After(now.Add(s.Skew)) {
		return errSkewed(when, now, s.Skew)
	}
	return nil
}

// CheckSignature checks a's signature over r, with payloadHash the last
// line of the canonical request.
func (s *Verifier) CheckSignature(r *http.Request, a *Auth, payloadHash string) *Error {
	want := signature(s.SecretAccessKey, r, a.Scope, a.When, payloadHash)
	if hmac.Equal([]byte(want), []byte(a.Signature)) {
		return nil
	}
	e := ErrBadSignature()
	if a.Service == "s3" {
		// S3 shows what it signed, which is how a signing bug is found.
		canon := string(appendCanonical(nil, r, a.Scope, payloadHash))
		sum := sha256.Sum256([]byte(canon))
		toSign := sigV4Algorithm + "\n" + a.When.Format(amzDateFormat) + "\n" + a.ScopeString() + "\n" + hex.EncodeToString(sum[:])
		e.s3extra = append(e.s3extra,
			awserr.Field{Name: "AWSAccessKeyId", Value: a.AccessKey}, awserr.Field{Name: "StringToSign", Value: toSign},
			awserr.Field{Name: "SignatureProvided", Value: a.Signature}, awserr.Field{Name: "CanonicalRequest", Value: canon})
	}
	return e
}

// signature computes the SigV4 signature of r over the headers the client
// said it signed. It is on every request's path: the canonical request is
// built in one buffer and the signing key is cached (signingKey).
func signature(secret string, r *http.Request, sc Scope, when time.Time, payloadHash string) string {
	b := appendCanonical(make([]byte, 0, 1024), r, sc, payloadHash)
	sum := sha256.Sum256(b)
	b = append(b[:0], sigV4Algorithm+"\n"...)
	b = when.AppendFormat(b, amzDateFormat)
	b = append(append(b, '\n'), sc.Date...)
	b = append(append(b, '/'), sc.Region...)
	b = append(append(b, '/'), sc.Service...)
	b = append(b, "/aws4_request\n"...)
	b = hex.AppendEncode(b, sum[:])
	m := hmac.New(sha256.New, signingKey(secret, sc))
	m.Write(b)
	return hex.EncodeToString(m.Sum(sum[:0]))
}

// appendCanonical appends r's SigV4 canonical request to b.
func appendCanonical(b []byte, r *http.Request, sc Scope, payloadHash string) []byte {
	b = append(append(b, r.Method...), '\n')
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	if sc.Service != "s3" && path != "/" {
		path = escapePath(path)
	}
	b = append(append(b, path...), '\n')
	if r.URL.RawQuery != "" {
		q := r.URL.Query()
		if sc.Presigned {
			q.Del("X-Amz-Signature")
		}
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
	for _, h := range sc.SignedHeaders {
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
	for i, h := range sc.SignedHeaders {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, h...)
	}
	return append(append(b, '\n'), payloadHash...)
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

func signingKey(secret string, sc Scope) []byte {
	id := secret + "\x00" + sc.Date + "\x00" + sc.Region + "\x00" + sc.Service
	signingKeys.Lock()
	key, ok := signingKeys.m[id]
	signingKeys.Unlock()
	if ok {
		return key
	}
	key = mac([]byte("AWS4"+secret), sc.Date)
	key = mac(key, sc.Region)
	key = mac(key, sc.Service)
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

// StripPresign returns u without the query parameters of a presigned
// URL's signature, which are not parameters of the operation.
func StripPresign(u *url.URL) *url.URL {
	if !strings.Contains(u.RawQuery, "X-Amz-") {
		return u
	}
	q := u.Query()
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"} {
		q.Del(k)
	}
	u2 := *u
	u2.RawQuery = q.Encode()
	return &u2
}

const (
	UnsignedPayload          = "UNSIGNED-PAYLOAD"
	StreamingSigned          = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	StreamingSignedTrailer   = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	emptySHA256              = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	TrailerSignature         = "x-amz-trailer-signature"
)

// ValidPayloadHash reports whether h is a value x-amz-content-sha256 may
// take: a SHA-256 in hex or one of the stand-ins for it.
func ValidPayloadHash(h string) bool {
	switch h {
	case UnsignedPayload, StreamingSigned, StreamingSignedTrailer, StreamingUnsignedTrailer:
		return true
	}
	if len(h) != 64 {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil
}

// Chunked reports whether payload hash h says the body is aws-chunked.
func Chunked(h string) bool { return strings.HasPrefix(h, "STREAMING-") }

// ChunkSigner checks a chain of chunk signatures, each over the one
// before it, from the request's seed signature.
type ChunkSigner struct {
	key            []byte
	amzDate, scope string
	prev           string
}

func (c *ChunkSigner) sign(kind, hashes string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(kind + "\n" + c.amzDate + "\n" + c.scope + "\n" + c.prev + "\n" + hashes))
	return hex.EncodeToString(m.Sum(nil))
}

// Chunk checks the signature of a chunk whose data hashes to dataHash.
func (c *ChunkSigner) Chunk(sig string, dataHash []byte) bool {
	want := c.sign("AWS4-HMAC-SHA256-PAYLOAD", emptySHA256+"\n"+hex.EncodeToString(dataHash))
	c.prev = want
	return hmac.Equal([]byte(want), []byte(sig))
}

// Trailer checks the signature of the trailing headers, canonical is
// their "name:value\n" lines.
func (c *ChunkSigner) Trailer(sig string, canonical []byte) bool {
	sum := sha256.Sum256(canonical)
	want := c.sign("AWS4-HMAC-SHA256-TRAILER", hex.EncodeToString(sum[:]))
	return hmac.Equal([]byte(want), []byte(sig))
}

// ChunkSigner returns the checker of the chunk signatures of a's
// aws-chunked body, chained from a's signature.
func (s *Verifier) ChunkSigner(a *Auth) *ChunkSigner {
	return &ChunkSigner{key: signingKey(s.SecretAccessKey, a.Scope), amzDate: a.When.Format(amzDateFormat), scope: a.ScopeString(), prev: a.Signature}
}
