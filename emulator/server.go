// Package emulator is a local SageMaker endpoint: an http.Handler that
// speaks SageMaker's wire protocol (AWS JSON 1.1, SigV4), so the unchanged
// aws-sdk-go-v2 client, the AWS CLI and boto3 work against it. Its
// behaviour for every resource comes from the table smgen derives from the
// API model (zz_table.go), the same derivation package resources uses.
//
// Library packages never import it; a program or test that wants a local
// endpoint in-process imports it explicitly (see emulatortest).
package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/smcore-go/smcore/emulator/wire"
)

// Credentials the endpoint accepts.
type Credentials struct {
	AccessKeyID, SecretAccessKey string
}

// Server is the local endpoint.
type Server struct {
	region, account string
	creds           Credentials
	step            time.Duration
	now             func() time.Time
	simulate        bool
	executors       []Executor // training-job executors, tried in order
	workDir         string     // where job roots are made
	jobEnv          []string   // WithJobEnv: server variables jobs also get
	endpointURL     string     // WithEndpointURL: AWS_ENDPOINT_URL of jobs
	logger          *slog.Logger
	faults          *faultSet // WithFaults; nil injects none
	store           *store    // WithDataDir; nil keeps state in memory only
	s3              s3Store   // S3 (s3.go)
	logs            logStore  // CloudWatch Logs (logs.go)

	skew    time.Duration    // WithClockSkew: how far X-Amz-Date may be from signNow
	signNow func() time.Time // WithSigningClock: the clock signatures are checked against
	hosts   hostPolicy       // WithAllowedHosts: Host headers served

	imageCommands map[string][]string // WithImageCommands: image → local command (classic.go)

	// services route a verified request by its signing scope's service.
	// (S3, which streams its bodies, is served by serveS3.)
	services map[string]func(w http.ResponseWriter, r *http.Request, body []byte)

	mu      sync.Mutex
	records map[string]map[string]*record // kind -> key -> record
	byARN   map[string]*record
	tags    map[string][]tag // ARN -> tags, in insertion order
	seq     int
	closed  bool           // Close was called
	runs    sync.WaitGroup // running executors
}

// Option configures a Server.
type Option func(*Server)

// WithRegion sets the default region (default us-east-1): the region of
// ARNs made where no request says one (the objects and log streams an
// executor writes). Requests are served whatever region they are signed
// for, and what they make carries that region.
func WithRegion(r string) Option { return func(s *Server) { s.region = r } }

// WithAccount sets the account ID in ARNs (default 123456789012).
func WithAccount(a string) Option { return func(s *Server) { s.account = a } }

// WithCredentials sets the accepted credentials (default test/test).
func WithCredentials(c Credentials) Option { return func(s *Server) { s.creds = c } }

// WithStepTime sets how long each lifecycle step takes (default 50ms):
// Creating → InService, InProgress → Completed, Stopping → Stopped, …
func WithStepTime(d time.Duration) Option { return func(s *Server) { s.step = d } }

// WithClock replaces the clock of resources' lifecycles, timestamps and
// logs (for tests). Signatures are checked against another clock,
// WithSigningClock, since clients sign with the time of day whatever a
// test's resources think it is.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithSigningClock replaces the clock request times are checked against
// (default time.Now): X-Amz-Date within the allowed skew (WithClockSkew),
// and a presigned URL's validity.
func WithSigningClock(now func() time.Time) Option { return func(s *Server) { s.signNow = now } }

// WithClockSkew sets how far a signed request's X-Amz-Date may be from the
// signing clock, either way (default DefaultClockSkew, 15 minutes, as the
// services allow); zero or less accepts any time. Further off, SageMaker,
// Logs and STS answer "Signature expired: …" (InvalidSignatureException,
// SignatureDoesNotMatch for STS) and S3 answers RequestTimeTooSkewed. A
// presigned URL is valid from its X-Amz-Date less the skew until
// X-Amz-Expires seconds after it.
func WithClockSkew(d time.Duration) Option { return func(s *Server) { s.skew = d } }

// WithSimulation lets jobs that no executor can run complete as simulated
// (their status transitions say so; they write no artifact). Without it
// such jobs fail with a FailureReason saying why.
func WithSimulation() Option { return func(s *Server) { s.simulate = true } }

// WithLogger logs each request at Debug.
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.logger = l } }

// New returns a local endpoint.
func New(opts ...Option) *Server {
	s := &Server{
		region: "us-east-1", account: "123456789012",
		creds: Credentials{"test", "test"},
		step:  50 * time.Millisecond, now: time.Now,
		skew: DefaultClockSkew, signNow: time.Now,
		records: map[string]map[string]*record{}, byARN: map[string]*record{}, tags: map[string][]tag{},
	}
	for _, o := range opts {
		o(s)
	}
	s.load()
	s.services = map[string]func(http.ResponseWriter, *http.Request, []byte){
		"sagemaker": s.serveSageMaker,
		"logs":      s.serveLogs,
		"sts":       s.serveSTS,
	}
	return s
}

// Close stops the training jobs its executors are running and waits for
// them to end; call it once the HTTP server in front has stopped taking
// requests. Jobs it stops keep the status they had: with a data
// directory, the next start ends them Failed (see WithDataDir). A job
// created after Close fails at once. Close is safe to call more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for _, r := range s.byARN {
		if r.training != nil {
			r.training.cancel(errShutdown)
		}
	}
	s.mu.Unlock()
	s.runs.Wait()
	return nil
}

// serveSageMaker answers SageMaker's AWS JSON 1.1 protocol.
func (s *Server) serveSageMaker(w http.ResponseWriter, r *http.Request, body []byte) {
	req, werr := wire.Decode(r.Method, r.Header.Get("X-Amz-Target"), bytes.NewReader(body))
	if werr != nil {
		wire.WriteError(w, werr)
		return
	}
	if req.Prefix != "SageMaker" {
		wire.WriteError(w, wire.Errorf("UnknownOperationException", "unknown target prefix %q", req.Prefix))
		return
	}
	if s.logger != nil {
		s.logger.Debug("sagemaker request", "op", req.Operation)
	}
	if ferr := s.faults.before(r.Context(), "sagemaker", req.Operation); ferr != nil {
		wire.WriteError(w, ferr)
		return
	}
	out, err := s.sagemakerIn(r.Context(), req.Operation, req.Body)
	if err != nil {
		wire.WriteError(w, err)
		return
	}
	if s.faults.drop("sagemaker", req.Operation) {
		dropConnection(w)
		return
	}
	wire.WriteJSON(w, out)
}

// ServeHTTP checks the Host header (WithAllowedHosts) and the request's
// SigV4 authentication, then routes by the signing scope's service name;
// handlers find the request's region with regionOf(r.Context()).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hosts.allows(r.Host) {
		errForeignHost(r.Host).write(w, r, guessService(r))
		return
	}
	a, aerr := s.authenticate(r)
	if aerr != nil {
		aerr.write(w, r, a.service)
		return
	}
	r = r.WithContext(withRegion(r.Context(), a.region))
	if a.service == "s3" {
		if aerr := s.checkSignature(r, a, a.payload); aerr != nil {
			aerr.write(w, r, a.service)
			return
		}
		s.serveS3(w, r, a)
		return
	}
	h := s.services[a.service]
	if h == nil {
		wire.WriteError(w, wire.Errorf("UnknownServiceException", "the local endpoint does not serve %q", a.service))
		return
	}
	body, werr := readBody(r)
	if werr != nil {
		wire.WriteError(w, werr)
		return
	}
	// The client signs the body's sha256 or UNSIGNED-PAYLOAD, which the
	// canonical request then holds.
	sum := sha256.Sum256(body)
	signed := hex.EncodeToString(sum[:])
	if p := r.Header.Get("X-Amz-Content-Sha256"); p == unsignedPayload {
		signed = p
	} else if p != "" && p != signed {
		wire.WriteError(w, &wire.Error{Status: http.StatusForbidden, Code: "InvalidSignatureException", Message: "The payload hash (X-Amz-Content-Sha256) does not match the body"})
		return
	}
	if aerr := s.checkSignature(r, a, signed); aerr != nil {
		aerr.write(w, r, a.service)
		return
	}
	h(w, r, body)
}

// readBody reads the body of a SageMaker, Logs or STS request: at most
// wire.MaxBody bytes, more is 413.
func readBody(r *http.Request) ([]byte, *wire.Error) {
	if r.ContentLength > wire.MaxBody {
		return nil, wire.TooLarge(r.ContentLength)
	}
	n := r.ContentLength
	if n < 0 {
		n = 512
	}
	b := bytes.NewBuffer(make([]byte, 0, n+1))
	if _, err := b.ReadFrom(io.LimitReader(r.Body, wire.MaxBody+1)); err != nil {
		return nil, wire.Errorf("SerializationException", "reading the body: %v", err)
	}
	if b.Len() > wire.MaxBody {
		return nil, wire.TooLarge(-1)
	}
	return b.Bytes(), nil
}
