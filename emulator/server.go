// Package emulator is a local SageMaker endpoint: an http.Handler that
// speaks SageMaker's wire protocol (AWS JSON 1.1, SigV4), so the unchanged
// aws-sdk-go-v2 client, the AWS CLI and boto3 work against it. Its
// behaviour for every resource comes from the table smgen derives from the
// API model (internal/sagemaker/zz_table.go), the same derivation package
// resources uses.
//
// Server is a router in front of one part per service, each with its own
// state and tests, as google-cloud-go's fakes are: internal/sagemaker
// (resources, lifecycles and the training executors), internal/s3,
// internal/logs (CloudWatch Logs) and internal/sts. Server checks the Host
// header and the SigV4 authentication (internal/sigv4), then hands the
// request to the service its signing scope names, with the scope's region
// in its context (internal/region).
//
// Library packages never import it; a program or test that wants a local
// endpoint in-process imports it explicitly (see Start and emulatortest).
package emulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/smcore-go/smcore/emulator/internal/disk"
	"github.com/smcore-go/smcore/emulator/internal/faults"
	"github.com/smcore-go/smcore/emulator/internal/logs"
	"github.com/smcore-go/smcore/emulator/internal/region"
	"github.com/smcore-go/smcore/emulator/internal/s3"
	"github.com/smcore-go/smcore/emulator/internal/sagemaker"
	"github.com/smcore-go/smcore/emulator/internal/sigv4"
	"github.com/smcore-go/smcore/emulator/internal/sts"
	"github.com/smcore-go/smcore/emulator/wire"
)

// Credentials the endpoint accepts.
type Credentials struct {
	AccessKeyID, SecretAccessKey string
}

// Server is the local endpoint: the options, and a router to the services.
type Server struct {
	// What the options set.
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
	faults          *faults.Set // WithFaults; nil injects none
	dataDir         string      // WithDataDir; "" keeps state in memory only
	logDelay        time.Duration
	skew            time.Duration    // WithClockSkew: how far X-Amz-Date may be from signNow
	signNow         func() time.Time // WithSigningClock: the clock signatures are checked against
	hosts           hostPolicy       // WithAllowedHosts: Host headers served
	imageCommands   map[string][]string

	// The router's parts.
	verifier  *sigv4.Verifier
	sagemaker *sagemaker.Service
	s3        *s3.Service
	logs      *logs.Service
	sts       *sts.Service
	// services route a verified request by its signing scope's service.
	// (S3, which streams its bodies, is served apart.)
	services map[string]func(w http.ResponseWriter, r *http.Request, body []byte)
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

// DefaultClockSkew is how far a request's X-Amz-Date may be from the
// endpoint's clock, as the services allow (WithClockSkew).
const DefaultClockSkew = sigv4.DefaultClockSkew

// New returns a local endpoint. With a data directory (WithDataDir) it
// loads what the directory holds; LoadError says what could not be read.
func New(opts ...Option) *Server {
	s := &Server{
		region: "us-east-1", account: "123456789012",
		creds: Credentials{"test", "test"},
		step:  50 * time.Millisecond, now: time.Now,
		skew: DefaultClockSkew, signNow: time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	arns := region.ARNs{Default: s.region, Account: s.account}
	s.verifier = &sigv4.Verifier{AccessKeyID: s.creds.AccessKeyID, SecretAccessKey: s.creds.SecretAccessKey, Skew: s.skew, Now: s.signNow}
	var dirErr error
	if s.dataDir != "" {
		if err := os.MkdirAll(s.dataDir, 0o700); err != nil {
			dirErr = err
		} else if err := disk.TightenPerms(s.dataDir); err != nil && s.logger != nil {
			s.logger.Warn("local endpoint: making the data directory private failed", "dir", s.dataDir, "err", err)
		}
	}
	// Logs and S3 first: restarting SageMaker's jobs writes its state,
	// which syncs the log journal.
	s.logs = logs.New(logs.Config{ARNs: arns, Now: s.now, Faults: s.faults, Logger: s.logger, Delay: s.logDelay, Dir: s.dataDir, DirErr: dirErr})
	s.s3 = s3.New(s3.Config{ARNs: arns, Now: s.now, Faults: s.faults, Logger: s.logger, Verifier: s.verifier, Dir: s.dataDir, DirErr: dirErr})
	s.sts = &sts.Service{ARNs: arns, Logger: s.logger}
	s.sagemaker = sagemaker.New(sagemaker.Config{
		ARNs: arns, Now: s.now, Step: s.step, Simulate: s.simulate, Faults: s.faults, Logger: s.logger,
		Executors: s.executors, WorkDir: s.workDir, JobEnv: s.jobEnv, EndpointURL: s.endpointURL,
		Creds: sagemaker.Credentials(s.creds), ImageCommands: s.imageCommands,
		S3: s.s3, Logs: s.logs, Dir: s.dataDir, DirErr: dirErr,
	})
	s.services = map[string]func(http.ResponseWriter, *http.Request, []byte){
		"sagemaker": s.sagemaker.Serve,
		"logs":      s.logs.Serve,
		"sts":       s.sts.Serve,
	}
	return s
}

// Close stops the training jobs its executors are running and waits for
// them to end; call it once the HTTP server in front has stopped taking
// requests. Jobs it stops keep the status they had: with a data
// directory, the next start ends them Failed (see WithDataDir). A job
// created after Close fails at once. Close is safe to call more than once.
func (s *Server) Close() error { return s.sagemaker.Close() }

// LoadError reports what the data directory (WithDataDir) held that could
// not be read when the server started: the services it belongs to answer
// 500 saying so rather than start empty over it (an S3 object that cannot
// be read fails that object only, and is not reported here). smlocal
// refuses to start with it.
func (s *Server) LoadError() error {
	if s.dataDir == "" {
		return nil
	}
	var errs []error
	smErr := s.sagemaker.Err()
	if smErr != nil {
		errs = append(errs, fmt.Errorf("sagemaker: %w", smErr))
	}
	for _, e := range []struct {
		name string
		err  error
	}{{"logs", s.logs.Err()}, {"s3", s.s3.Err()}} {
		if e.err != nil && !errors.Is(e.err, smErr) {
			errs = append(errs, fmt.Errorf("%s: %w", e.name, e.err))
		}
	}
	return errors.Join(errs...)
}

// AppendLog adds a line to a CloudWatch Logs stream of region ("": the
// default region, WithRegion), creating the group and the stream if need
// be, as a job's log driver does. t is the event's timestamp; the event
// becomes readable at once, or after the WithLogDelay delay.
func (s *Server) AppendLog(region, group, stream string, t time.Time, message string) {
	s.logs.Append(region, group, stream, t, message)
}

// S3Error is an error of the Go API to the endpoint's S3 (EnsureBucket,
// PutObject, GetObject, ListObjects). errors.Is(err, fs.ErrNotExist)
// reports a missing bucket or key.
type S3Error = s3.Error

// EnsureBucket creates bucket in the endpoint's S3 unless it exists.
func (s *Server) EnsureBucket(ctx context.Context, bucket string) error {
	return s.s3.EnsureBucket(ctx, bucket)
}

// PutObject stores body (read to its end) as bucket/key, replacing what was
// there. The bucket must exist (see EnsureBucket).
func (s *Server) PutObject(ctx context.Context, bucket, key string, body io.Reader) error {
	return s.s3.PutObject(ctx, bucket, key, body)
}

// GetObject returns the content of bucket/key; the caller closes it.
func (s *Server) GetObject(ctx context.Context, bucket, key string) (io.ReadCloser, error) {
	return s.s3.GetObject(ctx, bucket, key)
}

// ListObjects returns the keys in bucket that start with prefix, in order.
func (s *Server) ListObjects(ctx context.Context, bucket, prefix string) ([]string, error) {
	return s.s3.ListObjects(ctx, bucket, prefix)
}

// ServeHTTP checks the Host header (WithAllowedHosts) and the request's
// SigV4 authentication, then routes by the signing scope's service name;
// services find the request's region in its context (region.Of).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hosts.allows(r.Host) {
		sigv4.ErrForeignHost(r.Host).Write(w, r, sigv4.GuessService(r))
		return
	}
	a, aerr := s.verifier.Authenticate(r)
	if aerr != nil {
		aerr.Write(w, r, a.Service)
		return
	}
	r = r.WithContext(region.With(r.Context(), a.Region))
	if a.Service == "s3" {
		if aerr := s.verifier.CheckSignature(r, a, a.Payload); aerr != nil {
			aerr.Write(w, r, a.Service)
			return
		}
		s.s3.Serve(w, r, a)
		return
	}
	h := s.services[a.Service]
	if h == nil {
		wire.WriteError(w, wire.Errorf("UnknownServiceException", "the local endpoint does not serve %q", a.Service))
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
	if p := r.Header.Get("X-Amz-Content-Sha256"); p == sigv4.UnsignedPayload {
		signed = p
	} else if p != "" && p != signed {
		wire.WriteError(w, &wire.Error{Status: http.StatusForbidden, Code: "InvalidSignatureException", Message: "The payload hash (X-Amz-Content-Sha256) does not match the body"})
		return
	}
	if aerr := s.verifier.CheckSignature(r, a, signed); aerr != nil {
		aerr.Write(w, r, a.Service)
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
