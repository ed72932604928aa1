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

	// services route a verified request by its signing scope's service.
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

// WithRegion sets the region in ARNs and the signing scope (default us-east-1).
func WithRegion(r string) Option { return func(s *Server) { s.region = r } }

// WithAccount sets the account ID in ARNs (default 123456789012).
func WithAccount(a string) Option { return func(s *Server) { s.account = a } }

// WithCredentials sets the accepted credentials (default test/test).
func WithCredentials(c Credentials) Option { return func(s *Server) { s.creds = c } }

// WithStepTime sets how long each lifecycle step takes (default 50ms):
// Creating → InService, InProgress → Completed, Stopping → Stopped, …
func WithStepTime(d time.Duration) Option { return func(s *Server) { s.step = d } }

// WithClock replaces the clock (for tests).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

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
		records: map[string]map[string]*record{}, byARN: map[string]*record{}, tags: map[string][]tag{},
	}
	for _, o := range opts {
		o(s)
	}
	s.load()
	s.services = map[string]func(http.ResponseWriter, *http.Request, []byte){
		"sagemaker": s.serveSageMaker,
		"s3":        s.serveS3,
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
	out, err := s.sagemaker(req.Operation, req.Body)
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

// ServeHTTP verifies the signature and routes by the signing scope's
// service name.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sc, body, err := s.verify(r)
	if err != nil {
		wire.WriteError(w, err)
		return
	}
	if sc.region != s.region {
		wire.WriteError(w, &wire.Error{Status: 403, Code: "InvalidSignatureException", Message: "Credential should be scoped to a valid region, not '" + sc.region + "'"})
		return
	}
	if h := s.services[sc.service]; h != nil {
		h(w, r, body)
		return
	}
	wire.WriteError(w, wire.Errorf("UnknownServiceException", "the local endpoint does not serve %q", sc.service))
}
