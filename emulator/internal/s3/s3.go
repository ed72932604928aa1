// Package s3 is the local endpoint's S3: gofakes3 behind S3's own
// authentication, error forms and limits, and a Go API for the other
// services (a job's inputs and model).
package s3

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/smcore-go/smcore/emulator/internal/awserr"
	"github.com/smcore-go/smcore/emulator/internal/faults"
	"github.com/smcore-go/smcore/emulator/internal/region"
	"github.com/smcore-go/smcore/emulator/internal/sigv4"
	"github.com/smcore-go/smcore/emulator/wire"
)

// S3 is served by gofakes3 over its in-memory backend, or with a data
// directory over durableS3, which keeps the objects' bytes in files
// (persist.go); path-style only (http://host/bucket/key). By the time a
// request reaches Serve, the router has verified its signature over the
// headers; Serve turns the request into
// a plain one: the body is decoded (aws-chunked) and verified as gofakes3
// reads it (body.go), and the signing headers are dropped, which
// gofakes3 would otherwise store with the object and echo on GET.

// maxObjectSize is the largest object a single PutObject (or part an
// UploadPart) may carry, S3's 5 GiB.
const maxObjectSize = 5 << 30

// Config is what the service is made with.
type Config struct {
	region.ARNs
	Now      func() time.Time
	Faults   *faults.Set     // nil: none
	Logger   *slog.Logger    // nil: none
	Verifier *sigv4.Verifier // checks aws-chunked bodies' chunk signatures
	// Dir is the data directory the objects are kept under ("": memory
	// only); DirErr, when set, says why it cannot be used.
	Dir    string
	DirErr error
}

// Service is S3.
type Service struct {
	Config
	s3 s3Store
}

// New returns the service, its buckets and objects loaded from cfg.Dir.
func New(cfg Config) *Service {
	s := &Service{Config: cfg}
	s.s3State() // loads the objects now, so a broken directory shows at start
	if d, ok := s.s3.backend.(*durableS3); ok && s.Logger != nil {
		for _, err := range d.unreadableObjects() {
			s.Logger.Error("local endpoint: an S3 object cannot be read; GetObject of it answers InternalError", "err", err)
		}
	}
	return s
}

// Err is why the data directory's objects could not be loaded, or nil
// (an object that cannot be read fails only that object).
func (s *Service) Err() error { return s.s3State().err }

// s3Store is the S3 state of the service.
type s3Store struct {
	once    sync.Once
	backend gofakes3.Backend // s3mem's, or durableS3 (WithDataDir)
	handler http.Handler
	err     error // the data directory's objects could not be loaded

	// bodies are the uploads in flight, by the token Serve passes to
	// gofakes3 as a header (bodyTokenHeader), so that the store's
	// metadata can take the checksums a body's trailer brings (uploadHook).
	bodies sync.Map // token -> *s3Body
	tokens atomic.Uint64
}

// bodyTokenHeader carries an upload's token through gofakes3, which copies
// every X-Amz-* header into the metadata it hands the backend.
const bodyTokenHeader = "X-Amz-Smlocal-Upload"

func (st *s3Store) hold(b *s3Body) string {
	tok := strconv.FormatUint(st.tokens.Add(1), 10)
	st.bodies.Store(tok, b)
	return tok
}

func (st *s3Store) release(tok string) { st.bodies.Delete(tok) }

// uploadHook is the backend gofakes3 serves requests from: the store's,
// with an upload's metadata handed to its verifying body before the store
// reads it, so that a checksum sent as a trailer is stored like one sent
// as a header (and returned on GET). hookBackend keeps the optional
// interfaces gofakes3 looks for.
type uploadHook struct {
	gofakes3.Backend
	st *s3Store
}

func (u uploadHook) PutObject(bucket, key string, meta map[string]string, input io.Reader, size int64, cond *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	if tok, ok := meta[bodyTokenHeader]; ok {
		delete(meta, bodyTokenHeader)
		if b, ok := u.st.bodies.Load(tok); ok {
			b.(*s3Body).meta = meta
		}
	}
	return u.Backend.PutObject(bucket, key, meta, input, size, cond)
}

type forceDeleter interface{ ForceDeleteBucket(name string) error }

func hookBackend(b gofakes3.Backend, st *s3Store) gofakes3.Backend {
	h := uploadHook{b, st}
	v, versioned := b.(gofakes3.VersionedBackend)
	f, forcing := b.(forceDeleter)
	switch {
	case versioned && forcing:
		return struct {
			uploadHook
			gofakes3.VersionedBackend
			forceDeleter
		}{h, v, f}
	case versioned:
		return struct {
			uploadHook
			gofakes3.VersionedBackend
		}{h, v}
	case forcing:
		return struct {
			uploadHook
			forceDeleter
		}{h, f}
	}
	return h
}

// s3log passes gofakes3's messages to the server's logger at Debug.
type s3log struct{ s *Service }

func (l s3log) Print(level gofakes3.LogLevel, v ...any) {
	if l.s.Logger != nil {
		l.s.Logger.Debug("s3: "+strings.TrimSpace(fmt.Sprintln(v...)), "level", string(level))
	}
}

func (s *Service) s3State() *s3Store {
	st := &s.s3
	st.once.Do(func() {
		clock := &serverTime{now: s.Now}
		mem := s3mem.New(s3mem.WithTimeSource(clock))
		st.backend = memS3{mem}
		if s.DirErr != nil {
			st.err = s.DirErr
		}
		if s.Dir != "" && st.err == nil {
			d := &durableS3{mem: mem, dir: filepath.Join(s.Dir, s3Dir), clock: clock}
			if err := d.load(); err != nil {
				// Serve nothing rather than overwrite what could not be read.
				st.err = fmt.Errorf("%s: %w", d.dir, err)
				if s.Logger != nil {
					s.Logger.Error("local endpoint: loading S3 objects failed", "err", st.err)
				}
			}
			st.backend = d
		}
		st.handler = gofakes3.New(hookBackend(st.backend, st),
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

// Serve answers S3's REST-XML protocol. a is the request's checked
// authentication, its signature over the headers verified; the body is
// verified as it is read (body.go). An upload (PutObject, UploadPart)
// streams to the store; other requests' bodies are small and read first.
func (s *Service) Serve(w http.ResponseWriter, r *http.Request, a *sigv4.Auth) {
	if s.Logger != nil {
		s.Logger.Debug("s3 request", "method", r.Method, "path", r.URL.Path)
	}
	st := s.s3State()
	if err := st.err; err != nil {
		awserr.WriteS3(w, r, http.StatusInternalServerError, "InternalError", "the local endpoint could not load its S3 objects: "+err.Error())
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL = sigv4.StripPresign(r.URL)
	r2.RequestURI = r2.URL.RequestURI()
	h := r2.Header
	op := s3Operation(r2)
	if ferr := s.Faults.Before(r.Context(), "s3", op); ferr != nil {
		awserr.WriteS3(w, r, ferr.Status, ferr.Code, ferr.Message)
		return
	}
	size := r.ContentLength
	if sigv4.Chunked(a.Payload) {
		n, err := strconv.ParseInt(h.Get("X-Amz-Decoded-Content-Length"), 10, 64)
		if err != nil || n < 0 {
			awserr.WriteS3(w, r, http.StatusLengthRequired, "MissingContentLength", "An aws-chunked body needs X-Amz-Decoded-Content-Length, the length of its data.")
			return
		}
		size = n
	} else if size < 0 {
		awserr.WriteS3(w, r, http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.")
		return
	}
	upload := (op == "PutObject" || op == "UploadPart") && h.Get("X-Amz-Copy-Source") == ""
	limit := int64(wire.MaxBody)
	if upload {
		limit = maxObjectSize
	}
	if size > limit {
		errEntityTooLarge(limit).Write(w, r, "s3")
		return
	}
	body, e := s.newS3Body(r, a, size)
	if e != nil {
		e.Write(w, r, "s3")
		return
	}
	if upload {
		tok := st.hold(body)
		defer st.release(tok)
		h.Set(bodyTokenHeader, tok)
		r2.Body = io.NopCloser(body)
	} else {
		data, e := readS3Body(body, limit)
		if e != nil {
			e.Write(w, r, "s3")
			return
		}
		r2.Body = io.NopCloser(bytes.NewReader(data))
	}
	if sigv4.Chunked(a.Payload) {
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
	}
	for _, k := range s3TransportHeaders {
		h.Del(k)
	}
	r2.ContentLength = size
	if r.Method == http.MethodPut || r.Method == http.MethodPost || size > 0 {
		h.Set("Content-Length", strconv.FormatInt(size, 10))
	}
	if bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/"); r.Method == http.MethodPut && bucket != "" && key == "" && isCreateBucket(r2) {
		// Every bucket here is the caller's: creating one again is what S3
		// answers its owner (200 in us-east-1, BucketAlreadyOwnedByYou
		// elsewhere), not gofakes3's BucketAlreadyExists.
		if ok, _ := st.backend.BucketExists(bucket); ok {
			if s.RegionFor(r.Context()) == "us-east-1" {
				w.Header().Set("Location", "/"+bucket)
				return
			}
			awserr.WriteS3(w, r, http.StatusConflict, "BucketAlreadyOwnedByYou",
				"Your previous request to create the named bucket succeeded and you already own it.")
			return
		}
	}
	var out http.ResponseWriter = w
	var buf *bufferedResponse
	if s.Faults.Drop("s3", op) {
		buf = &bufferedResponse{}
		out = buf
	}
	if upload {
		out = &checkedWriter{ResponseWriter: out, r: r, body: body}
	}
	// gofakes3 allows every origin; the endpoint sends no CORS headers
	// (docs/emulator.md, trust boundary).
	out = noCORS{out}
	st.handler.ServeHTTP(out, r2)
	if buf == nil {
		return
	}
	if buf.status < 300 {
		faults.DropConnection(w) // the change stands; the answer is lost
		return
	}
	maps.Copy(w.Header(), buf.header)
	w.WriteHeader(buf.status)
	w.Write(buf.body.Bytes())
}

// checkedWriter answers an upload whose body failed its checks with the
// failure, in place of what gofakes3 says about the read error.
type checkedWriter struct {
	http.ResponseWriter
	r        *http.Request
	body     *s3Body
	replaced bool // the answer is the body's failure; gofakes3's is dropped
	wrote    bool
}

func (c *checkedWriter) WriteHeader(status int) {
	if c.wrote {
		return
	}
	c.wrote = true
	if e := c.body.Err(); e != nil {
		c.replaced = true
		e.Write(c.ResponseWriter, c.r, "s3")
		return
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	if c.replaced {
		return len(p), nil
	}
	return c.ResponseWriter.Write(p)
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

// Error is an error of the Go API (EnsureBucket, PutObject, …). errors.Is(err,
// fs.ErrNotExist) reports a missing bucket or key.
type Error struct {
	Op, Bucket, Key string
	Err             error // gofakes3's error, which carries S3's error code
}

func (e *Error) Error() string {
	return fmt.Sprintf("emulator: s3 %s s3://%s/%s: %v", e.Op, e.Bucket, e.Key, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes a missing bucket or key match fs.ErrNotExist.
func (e *Error) Is(target error) bool {
	return target == fs.ErrNotExist &&
		(gofakes3.HasErrorCode(e.Err, gofakes3.ErrNoSuchKey) || gofakes3.HasErrorCode(e.Err, gofakes3.ErrNoSuchBucket))
}

// EnsureBucket creates bucket unless it exists.
func (s *Service) EnsureBucket(ctx context.Context, bucket string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st := s.s3State()
	if st.err != nil {
		return &Error{Op: "EnsureBucket", Bucket: bucket, Err: st.err}
	}
	b := st.backend
	if ok, err := b.BucketExists(bucket); err != nil {
		return &Error{Op: "EnsureBucket", Bucket: bucket, Err: err}
	} else if ok {
		return nil
	}
	if err := gofakes3.ValidateBucketName(bucket); err != nil {
		return &Error{Op: "EnsureBucket", Bucket: bucket, Err: err}
	}
	if err := b.CreateBucket(bucket); err != nil && !gofakes3.IsAlreadyExists(err) {
		return &Error{Op: "EnsureBucket", Bucket: bucket, Err: err}
	}
	return nil
}

// PutObject stores body (read to its end) as bucket/key, replacing what was
// there. The bucket must exist (see EnsureBucket).
func (s *Service) PutObject(ctx context.Context, bucket, key string, body io.Reader) error {
	// The store needs the length first: a body that knows it (a
	// bytes.Buffer, bytes.Reader, strings.Reader) streams, another is
	// read whole.
	var size int64
	if l, ok := body.(interface{ Len() int }); ok {
		size = int64(l.Len())
	} else {
		data, err := io.ReadAll(body)
		if err != nil {
			return &Error{Op: "PutObject", Bucket: bucket, Key: key, Err: err}
		}
		body, size = bytes.NewReader(data), int64(len(data))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	meta := map[string]string{
		"Content-Type":  "application/octet-stream",
		"Last-Modified": s.Now().UTC().Format(http.TimeFormat),
	}
	st := s.s3State()
	if st.err != nil {
		return &Error{Op: "PutObject", Bucket: bucket, Key: key, Err: st.err}
	}
	if _, err := st.backend.PutObject(bucket, key, meta, body, size, nil); err != nil {
		return &Error{Op: "PutObject", Bucket: bucket, Key: key, Err: err}
	}
	return nil
}

// GetObject returns the content of bucket/key; the caller closes it.
func (s *Service) GetObject(ctx context.Context, bucket, key string) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := s.s3State()
	if st.err != nil {
		return nil, &Error{Op: "GetObject", Bucket: bucket, Key: key, Err: st.err}
	}
	obj, err := st.backend.GetObject(bucket, key, nil)
	if err != nil {
		return nil, &Error{Op: "GetObject", Bucket: bucket, Key: key, Err: err}
	}
	return obj.Contents, nil
}

// ListObjects returns the keys in bucket that start with prefix, in order.
func (s *Service) ListObjects(ctx context.Context, bucket, prefix string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := gofakes3.NewPrefix(&prefix, nil)
	st := s.s3State()
	if st.err != nil {
		return nil, &Error{Op: "ListObjects", Bucket: bucket, Key: prefix, Err: st.err}
	}
	list, err := st.backend.ListBucket(bucket, &p, gofakes3.ListBucketPage{})
	if err != nil {
		return nil, &Error{Op: "ListObjects", Bucket: bucket, Key: prefix, Err: err}
	}
	keys := make([]string, 0, len(list.Contents))
	for _, c := range list.Contents {
		keys = append(keys, c.Key)
	}
	return keys, nil
}

// noCORS drops the Access-Control-* headers of an answer.
type noCORS struct{ http.ResponseWriter }

func (w noCORS) WriteHeader(code int) {
	for k := range w.Header() {
		if strings.HasPrefix(k, "Access-Control-") {
			w.Header().Del(k)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w noCORS) Write(b []byte) (int, error) {
	for k := range w.Header() {
		if strings.HasPrefix(k, "Access-Control-") {
			w.Header().Del(k)
		}
	}
	return w.ResponseWriter.Write(b)
}
