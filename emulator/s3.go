package emulator

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/smcore-go/smcore/emulator/wire"
)

// S3 is served by gofakes3 over its in-memory backend, path-style only
// (http://host/bucket/key). By the time a request reaches it, ServeHTTP has
// verified its signature; serveS3 turns the request into a plain one first:
// it decodes an aws-chunked body, checks the x-amz-checksum-* the client
// sent (as a header or a trailer) and drops the signing headers, which
// gofakes3 would otherwise store with the object and echo on GET.

// s3Store is the S3 state of a Server, made on first use.
type s3Store struct {
	once    sync.Once
	backend gofakes3.Backend // s3mem's, or durableS3 over it (WithDataDir)
	handler http.Handler
	err     error // the data directory's objects could not be loaded
}

// s3log passes gofakes3's messages to the server's logger at Debug.
type s3log struct{ s *Server }

func (l s3log) Print(level gofakes3.LogLevel, v ...any) {
	if l.s.logger != nil {
		l.s.logger.Debug("s3: "+strings.TrimSpace(fmt.Sprintln(v...)), "level", string(level))
	}
}

func (s *Server) s3State() *s3Store {
	st := &s.s3
	st.once.Do(func() {
		clock := &serverTime{now: s.now}
		mem := s3mem.New(s3mem.WithTimeSource(clock))
		st.backend = memS3{mem}
		if s.store != nil && st.err == nil {
			d := &durableS3{mem: mem, dir: filepath.Join(s.store.dir, s3Dir), clock: clock}
			if err := d.load(); err != nil {
				// Serve nothing rather than overwrite what could not be read.
				st.err = fmt.Errorf("%s: %w", d.dir, err)
				if s.logger != nil {
					s.logger.Error("local endpoint: loading S3 objects failed", "err", st.err)
				}
			}
			st.backend = d
		}
		st.handler = gofakes3.New(st.backend,
			gofakes3.WithTimeSource(clock),
			gofakes3.WithTimeSkewLimit(0), // the signature check owns X-Amz-Date
			gofakes3.WithLogger(s3log{s}),
		).Server()
	})
	return st
}

// Headers that only concern signing or the aws-chunked transfer; none of
// them is part of the object.
var s3TransportHeaders = []string{
	"Authorization", "X-Amz-Date", "X-Amz-Content-Sha256", "X-Amz-Security-Token",
	"X-Amz-Decoded-Content-Length", "X-Amz-Trailer", "X-Amz-Sdk-Checksum-Algorithm",
}

// memS3 is s3mem's backend with ListBuckets in name order, as S3 lists
// them (s3mem ranges over a map).
type memS3 struct{ *s3mem.Backend }

func (m memS3) ListBuckets() ([]gofakes3.BucketInfo, error) { return sortedBuckets(m.Backend) }

func sortedBuckets(m *s3mem.Backend) ([]gofakes3.BucketInfo, error) {
	bs, err := m.ListBuckets()
	slices.SortFunc(bs, func(a, b gofakes3.BucketInfo) int { return strings.Compare(a.Name, b.Name) })
	return bs, err
}

// serveS3 answers S3's REST-XML protocol.
func (s *Server) serveS3(w http.ResponseWriter, r *http.Request, body []byte) {
	if s.logger != nil {
		s.logger.Debug("s3 request", "method", r.Method, "path", r.URL.Path)
	}
	if err := s.s3State().err; err != nil {
		writeS3Error(w, r, http.StatusInternalServerError, "InternalError", "the local endpoint could not load its S3 objects: "+err.Error())
		return
	}
	op := s3Operation(r)
	if ferr := s.faults.before(r.Context(), "s3", op); ferr != nil {
		writeS3Error(w, r, ferr.Status, ferr.Code, ferr.Message)
		return
	}
	if len(body) > wire.MaxBody {
		writeS3Error(w, r, http.StatusBadRequest, "EntityTooLarge",
			fmt.Sprintf("Your proposed upload exceeds the maximum allowed size of the local endpoint (%d bytes per request; use a multipart upload)", wire.MaxBody))
		return
	}
	r2 := r.Clone(r.Context())
	h := r2.Header
	if strings.HasPrefix(h.Get("X-Amz-Content-Sha256"), "STREAMING-") {
		data, trailers, err := decodeAWSChunked(body)
		if err != nil {
			writeS3Error(w, r, http.StatusBadRequest, "IncompleteBody", "The aws-chunked body is malformed: "+err.Error())
			return
		}
		if d := h.Get("X-Amz-Decoded-Content-Length"); d != "" && d != strconv.Itoa(len(data)) {
			writeS3Error(w, r, http.StatusBadRequest, "IncompleteBody",
				fmt.Sprintf("X-Amz-Decoded-Content-Length is %s but the chunks hold %d bytes", d, len(data)))
			return
		}
		for k, v := range trailers {
			if strings.HasPrefix(k, "x-amz-checksum-") {
				h.Set(k, v) // stored and returned like a checksum sent as a header
			}
		}
		var enc []string
		for _, e := range strings.Split(h.Get("Content-Encoding"), ",") {
			if e = strings.TrimSpace(e); e != "" && !strings.EqualFold(e, "aws-chunked") {
				enc = append(enc, e)
			}
		}
		if len(enc) > 0 {
			h.Set("Content-Encoding", strings.Join(enc, ","))
		} else {
			h.Del("Content-Encoding")
		}
		body = data
	}
	for _, k := range s3TransportHeaders {
		h.Del(k)
	}
	if bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/"); r.Method == http.MethodPut && bucket != "" && key == "" && isCreateBucket(r) {
		// Every bucket here is the caller's: creating one again is what S3
		// answers its owner (200 in us-east-1, BucketAlreadyOwnedByYou
		// elsewhere), not gofakes3's BucketAlreadyExists.
		if ok, _ := s.s3State().backend.BucketExists(bucket); ok {
			if s.region == "us-east-1" {
				w.Header().Set("Location", "/"+bucket)
				return
			}
			writeS3Error(w, r, http.StatusConflict, "BucketAlreadyOwnedByYou",
				"Your previous request to create the named bucket succeeded and you already own it.")
			return
		}
	}
	if r.Method == http.MethodPut && h.Get("X-Amz-Copy-Source") == "" {
		if code, msg := checkS3Checksums(h, body); code != "" {
			writeS3Error(w, r, http.StatusBadRequest, code, msg)
			return
		}
	}
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	if r.Method == http.MethodPut || r.Method == http.MethodPost || len(body) > 0 {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	if !s.faults.drop("s3", op) {
		s.s3State().handler.ServeHTTP(w, r2)
		return
	}
	var buf bufferedResponse
	s.s3State().handler.ServeHTTP(&buf, r2)
	if buf.status < 300 {
		dropConnection(w) // the change stands; the answer is lost
		return
	}
	maps.Copy(w.Header(), buf.header)
	w.WriteHeader(buf.status)
	w.Write(buf.body.Bytes())
}

// bufferedResponse holds an answer back, so that a successful one can be
// dropped (FaultRule.DropResponse).
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header {
	if b.header == nil {
		b.header = http.Header{}
	}
	return b.header
}

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

// s3QueryParams are the query keys that are parameters of an operation
// rather than the subresource it acts on.
var s3QueryParams = map[string]bool{
	"x-id": true, "list-type": true, "prefix": true, "delimiter": true, "marker": true, "max-keys": true,
	"continuation-token": true, "start-after": true, "encoding-type": true, "fetch-owner": true,
	"versionId": true, "partNumber": true, "uploadId": true, "max-parts": true, "part-number-marker": true,
	"key-marker": true, "upload-id-marker": true, "version-id-marker": true, "max-uploads": true,
}

// s3Operation names the S3 operation of a path-style request, as the S3
// API reference does, for fault rules. Subresources it does not list are
// named <Get|Put|Delete>Bucket<Subresource> or <Method>Object<Subresource>.
func s3Operation(r *http.Request) string {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	q := r.URL.Query()
	has := func(k string) bool { _, ok := q[k]; return ok }
	copySource := r.Header.Get("X-Amz-Copy-Source") != ""
	sub := "" // the subresource: the first query key that is not a parameter
	for k := range q {
		if !s3QueryParams[k] && !strings.HasPrefix(k, "response-") && (sub == "" || k < sub) {
			sub = k
		}
	}
	title := func(s string) string {
		if s == "" {
			return ""
		}
		return strings.ToUpper(s[:1]) + s[1:]
	}
	switch {
	case bucket == "":
		return map[string]string{http.MethodGet: "ListBuckets"}[r.Method]
	case key == "":
		switch r.Method {
		case http.MethodGet:
			switch {
			case q.Get("list-type") == "2":
				return "ListObjectsV2"
			case has("uploads"):
				return "ListMultipartUploads"
			case has("versions"):
				return "ListObjectVersions"
			case sub != "":
				return "GetBucket" + title(sub)
			}
			return "ListObjects"
		case http.MethodHead:
			return "HeadBucket"
		case http.MethodPost:
			if has("delete") {
				return "DeleteObjects"
			}
		case http.MethodPut:
			if sub == "" {
				return "CreateBucket"
			}
			return "PutBucket" + title(sub)
		case http.MethodDelete:
			return "DeleteBucket" + title(sub)
		}
		return r.Method + "Bucket" + title(sub)
	}
	switch r.Method {
	case http.MethodPut:
		switch {
		case has("partNumber") && copySource:
			return "UploadPartCopy"
		case has("partNumber"):
			return "UploadPart"
		case copySource:
			return "CopyObject"
		case sub != "":
			return "PutObject" + title(sub)
		}
		return "PutObject"
	case http.MethodGet:
		switch {
		case has("uploadId"):
			return "ListParts"
		case sub != "":
			return "GetObject" + title(sub)
		}
		return "GetObject"
	case http.MethodHead:
		return "HeadObject"
	case http.MethodDelete:
		if has("uploadId") {
			return "AbortMultipartUpload"
		}
		return "DeleteObject"
	case http.MethodPost:
		switch {
		case has("uploads"):
			return "CreateMultipartUpload"
		case has("uploadId"):
			return "CompleteMultipartUpload"
		}
	}
	return r.Method + "Object" + title(sub)
}

// isCreateBucket reports whether a PUT on a bucket is CreateBucket rather
// than the PUT of a subresource (?versioning, ?tagging, …).
func isCreateBucket(r *http.Request) bool {
	for k := range r.URL.Query() {
		if k != "x-id" {
			return false
		}
	}
	return true
}

// decodeAWSChunked decodes an aws-chunked body:
//
//	<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n … 0[;…]\r\n[<trailer>:<value>\r\n…]\r\n
//
// The request's seed signature was verified by ServeHTTP; the signatures of
// the chunks and of the trailer (x-amz-trailer-signature) are accepted
// without being checked: a local endpoint has nobody to keep out. Trailer
// names come back lower-cased.
func decodeAWSChunked(b []byte) (data []byte, trailers map[string]string, err error) {
	crlf := []byte("\r\n")
	data = make([]byte, 0, len(b))
	for {
		line, rest, ok := bytes.Cut(b, crlf)
		if !ok {
			return nil, nil, errors.New("chunk header without CRLF")
		}
		size, _, _ := strings.Cut(string(line), ";")
		n, err := strconv.ParseUint(strings.TrimSpace(size), 16, 31)
		if err != nil {
			return nil, nil, fmt.Errorf("bad chunk size %q", clipString(string(line)))
		}
		b = rest
		if n == 0 {
			break
		}
		if uint64(len(b)) < n+2 || !bytes.Equal(b[n:n+2], crlf) {
			return nil, nil, fmt.Errorf("chunk of %d bytes is cut short", n)
		}
		data = append(data, b[:n]...)
		b = b[n+2:]
	}
	trailers = map[string]string{}
	for len(b) > 0 {
		line, rest, ok := bytes.Cut(b, crlf)
		if !ok {
			return nil, nil, errors.New("trailer without CRLF")
		}
		b = rest
		if len(line) == 0 {
			break // the final CRLF
		}
		k, v, ok := strings.Cut(string(line), ":")
		if !ok {
			return nil, nil, fmt.Errorf("bad trailer %q", clipString(string(line)))
		}
		trailers[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	if len(bytes.TrimSpace(b)) > 0 {
		return nil, nil, errors.New("data after the final chunk")
	}
	return data, trailers, nil
}

func clipString(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// crc64NVME is the CRC-64/NVME table (reversed polynomial), S3's CRC64NVME.
var crc64NVME = crc64.MakeTable(0x9a6c9329ac4bc9b5)

// s3Checksums are the x-amz-checksum-* algorithms S3 accepts, with their
// names in S3's error messages.
var s3Checksums = []struct {
	header, name string
	new          func() hash.Hash
}{
	{"X-Amz-Checksum-Crc32", "CRC32", func() hash.Hash { return crc32.NewIEEE() }},
	{"X-Amz-Checksum-Crc32c", "CRC32C", func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) }},
	{"X-Amz-Checksum-Crc64nvme", "CRC64NVME", func() hash.Hash { return crc64.New(crc64NVME) }},
	{"X-Amz-Checksum-Sha1", "SHA1", sha1.New},
	{"X-Amz-Checksum-Sha256", "SHA256", sha256.New},
}

// checkS3Checksums checks the x-amz-checksum-* headers of an upload against
// its body, as S3 does; it returns S3's error code and message on mismatch.
func checkS3Checksums(h http.Header, body []byte) (code, msg string) {
	for _, c := range s3Checksums {
		want := h.Get(c.header)
		if want == "" {
			continue
		}
		hh := c.new()
		hh.Write(body)
		if got := base64.StdEncoding.EncodeToString(hh.Sum(nil)); got != want {
			return "BadDigest", "The " + c.name + " you specified did not match the calculated checksum."
		}
	}
	return "", ""
}

// writeS3Error writes an error in S3's XML form.
func writeS3Error(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	id := requestID()
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("x-amz-request-id", id)
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<Error><Code>")
	xml.EscapeText(&b, []byte(code))
	b.WriteString("</Code><Message>")
	xml.EscapeText(&b, []byte(msg))
	b.WriteString("</Message><RequestId>" + id + "</RequestId></Error>")
	w.Write(b.Bytes())
}

// requestID returns a random request ID in the AWS form (a UUID).
func requestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	x := hex.EncodeToString(b[:])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

// S3Error is an error of the internal S3 API. errors.Is(err,
// fs.ErrNotExist) reports a missing bucket or key.
type S3Error struct {
	Op, Bucket, Key string
	Err             error // gofakes3's error, which carries S3's error code
}

func (e *S3Error) Error() string {
	return fmt.Sprintf("emulator: s3 %s s3://%s/%s: %v", e.Op, e.Bucket, e.Key, e.Err)
}

func (e *S3Error) Unwrap() error { return e.Err }

// Is makes a missing bucket or key match fs.ErrNotExist.
func (e *S3Error) Is(target error) bool {
	return target == fs.ErrNotExist &&
		(gofakes3.HasErrorCode(e.Err, gofakes3.ErrNoSuchKey) || gofakes3.HasErrorCode(e.Err, gofakes3.ErrNoSuchBucket))
}

// EnsureBucket creates bucket unless it exists.
func (s *Server) EnsureBucket(ctx context.Context, bucket string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st := s.s3State()
	if st.err != nil {
		return &S3Error{Op: "EnsureBucket", Bucket: bucket, Err: st.err}
	}
	b := st.backend
	if ok, err := b.BucketExists(bucket); err != nil {
		return &S3Error{Op: "EnsureBucket", Bucket: bucket, Err: err}
	} else if ok {
		return nil
	}
	if err := gofakes3.ValidateBucketName(bucket); err != nil {
		return &S3Error{Op: "EnsureBucket", Bucket: bucket, Err: err}
	}
	if err := b.CreateBucket(bucket); err != nil && !gofakes3.IsAlreadyExists(err) {
		return &S3Error{Op: "EnsureBucket", Bucket: bucket, Err: err}
	}
	return nil
}

// PutObject stores body (read to its end) as bucket/key, replacing what was
// there. The bucket must exist (see EnsureBucket).
func (s *Server) PutObject(ctx context.Context, bucket, key string, body io.Reader) error {
	data, err := io.ReadAll(body)
	if err != nil {
		return &S3Error{Op: "PutObject", Bucket: bucket, Key: key, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	meta := map[string]string{
		"Content-Type":  "application/octet-stream",
		"Last-Modified": s.now().UTC().Format(http.TimeFormat),
	}
	st := s.s3State()
	if st.err != nil {
		return &S3Error{Op: "PutObject", Bucket: bucket, Key: key, Err: st.err}
	}
	if _, err := st.backend.PutObject(bucket, key, meta, bytes.NewReader(data), int64(len(data)), nil); err != nil {
		return &S3Error{Op: "PutObject", Bucket: bucket, Key: key, Err: err}
	}
	return nil
}

// GetObject returns the content of bucket/key; the caller closes it.
func (s *Server) GetObject(ctx context.Context, bucket, key string) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := s.s3State()
	if st.err != nil {
		return nil, &S3Error{Op: "GetObject", Bucket: bucket, Key: key, Err: st.err}
	}
	obj, err := st.backend.GetObject(bucket, key, nil)
	if err != nil {
		return nil, &S3Error{Op: "GetObject", Bucket: bucket, Key: key, Err: err}
	}
	return obj.Contents, nil
}

// ListObjects returns the keys in bucket that start with prefix, in order.
func (s *Server) ListObjects(ctx context.Context, bucket, prefix string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := gofakes3.NewPrefix(&prefix, nil)
	st := s.s3State()
	if st.err != nil {
		return nil, &S3Error{Op: "ListObjects", Bucket: bucket, Key: prefix, Err: st.err}
	}
	list, err := st.backend.ListBucket(bucket, &p, gofakes3.ListBucketPage{})
	if err != nil {
		return nil, &S3Error{Op: "ListObjects", Bucket: bucket, Key: prefix, Err: err}
	}
	keys := make([]string, 0, len(list.Contents))
	for _, c := range list.Contents {
		keys = append(keys, c.Key)
	}
	return keys, nil
}
