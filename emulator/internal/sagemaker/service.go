// Package sagemaker is the local endpoint's SageMaker: every resource of
// the API model, with the lifecycle, names, ARNs, tags and validation the
// generated table (zz_table.go) says, and training jobs run by executors.
package sagemaker

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/smcore-go/smcore/emulator/internal/faults"
	"github.com/smcore-go/smcore/emulator/internal/region"
	"github.com/smcore-go/smcore/emulator/wire"
)

// Credentials are what a job's own SDK calls sign with: the endpoint's.
type Credentials struct {
	AccessKeyID, SecretAccessKey string
}

// Objects is the S3 a training job reads its inputs from and writes its
// model to.
type Objects interface {
	EnsureBucket(ctx context.Context, bucket string) error
	PutObject(ctx context.Context, bucket, key string, body io.Reader) error
	GetObject(ctx context.Context, bucket, key string) (io.ReadCloser, error)
	ListObjects(ctx context.Context, bucket, prefix string) ([]string, error)
}

// LogSink is the CloudWatch Logs a training job's output goes to.
type LogSink interface {
	Append(region, group, stream string, t time.Time, message string)
	// Sync makes what was appended durable; the state is written after.
	Sync() error
}

// Config is what the service is made with (emulator's options).
type Config struct {
	region.ARNs
	Now      func() time.Time
	Step     time.Duration // each lifecycle step
	Simulate bool          // jobs no executor runs complete as simulated
	Faults   *faults.Set   // nil: none
	Logger   *slog.Logger  // nil: none

	Executors     []Executor
	WorkDir       string              // where job roots are made ("": the temporary folder)
	JobEnv        []string            // server variables jobs also get
	EndpointURL   string              // AWS_ENDPOINT_URL of jobs
	Creds         Credentials         // jobs' credentials for the endpoint
	ImageCommands map[string][]string // image → local command (classic.go)

	S3   Objects
	Logs LogSink

	// Dir is the data directory the state is kept in ("": memory only);
	// DirErr, when set, says why it cannot be used.
	Dir    string
	DirErr error
}

// Service is SageMaker.
type Service struct {
	Config
	store *store // Dir's bookkeeping; nil keeps state in memory only

	mu      sync.Mutex
	records map[string]map[string]*record // kind -> key -> record
	byARN   map[string]*record
	tags    map[string][]tag // ARN -> tags, in insertion order
	seq     int
	closed  bool           // Close was called
	runs    sync.WaitGroup // running executors
}

// New returns the service, its state loaded from cfg.Dir (jobs that were
// running when it stopped end Failed; see persist.go).
func New(cfg Config) *Service {
	s := &Service{Config: cfg, records: map[string]map[string]*record{}, byARN: map[string]*record{}, tags: map[string][]tag{}}
	if cfg.Dir != "" {
		s.store = &store{dir: cfg.Dir, write: writeAtomic, dirty: map[*record]bool{}, dirtyTags: map[string]bool{}}
	}
	s.load()
	return s
}

// Close stops the training jobs its executors are running and waits for
// them to end. Jobs it stops keep the status they had: with a data
// directory, the next start ends them Failed. A job created after Close
// fails at once. Close is safe to call more than once.
func (s *Service) Close() error {
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

// Serve answers SageMaker's AWS JSON 1.1 protocol; body is the request's
// verified body.
func (s *Service) Serve(w http.ResponseWriter, r *http.Request, body []byte) {
	req, werr := wire.Decode(r.Method, r.Header.Get("X-Amz-Target"), bytes.NewReader(body))
	if werr != nil {
		wire.WriteError(w, werr)
		return
	}
	if req.Prefix != "SageMaker" {
		wire.WriteError(w, wire.Errorf("UnknownOperationException", "unknown target prefix %q", req.Prefix))
		return
	}
	if s.Logger != nil {
		s.Logger.Debug("sagemaker request", "op", req.Operation)
	}
	if ferr := s.Faults.Before(r.Context(), "sagemaker", req.Operation); ferr != nil {
		wire.WriteError(w, ferr)
		return
	}
	out, err := s.sagemakerIn(r.Context(), req.Operation, req.Body)
	if err != nil {
		wire.WriteError(w, err)
		return
	}
	if s.Faults.Drop("sagemaker", req.Operation) {
		faults.DropConnection(w)
		return
	}
	wire.WriteJSON(w, out)
}
