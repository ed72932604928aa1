package emulator

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/smcore-go/smcore/emulator/wire"
)

// Faults makes the endpoint misbehave the way the real service and the
// network sometimes do, so that retries, timeouts and recovery can be
// tested against the unchanged SDK client.
type Faults struct {
	// Rules apply in order; every rule whose Operation matches a request
	// applies to it.
	Rules []FaultRule
	// Rand returns numbers in [0, 1) and decides the rate-based faults: a
	// request is throttled when Rand() < ThrottleRate. For each request it
	// is called once per matching rule with a non-zero ThrottleRate, then
	// once per matching rule with a non-zero ServerErrorRate, in rule
	// order, until one decides a fault; calls are serialized (it need not
	// be safe for concurrent use). Nil means math/rand/v2's Float64.
	// Inject a fixed sequence for deterministic tests.
	Rand func() float64
}

// FaultRule is the faults one operation (or every operation) suffers.
type FaultRule struct {
	// Service is the service the rule applies to: "sagemaker" (or ""),
	// "s3", "logs", or "*" for all three. STS is never faulted.
	Service string
	// Operation is an operation name of that service, or "*" (or "") for
	// every operation. SageMaker and CloudWatch Logs operations are named
	// as in their X-Amz-Target ("CreateTrainingJob", "GetLogEvents"); S3
	// operations as in the S3 API reference ("PutObject", "GetObject",
	// "ListObjectsV2", "UploadPart", …; see s3Operation).
	Operation string
	// ThrottleRate is the share of requests answered, without running,
	// with the service's throttling error: ThrottlingException (HTTP 400,
	// "Rate exceeded") for SageMaker and Logs, SlowDown (HTTP 503) for S3.
	ThrottleRate float64
	// ServerErrorRate is the share of requests answered, without running,
	// with the service's internal error (HTTP 500): InternalFailure for
	// SageMaker, ServiceUnavailableException for Logs, InternalError for S3.
	ServerErrorRate float64
	// Latency delays every matching request before it runs (and before
	// the throttling and server-error decisions). A client that gives up
	// during the delay ends the request: the operation does not run.
	Latency time.Duration
	// DropResponse runs the operation, commits its change, then closes
	// the connection without answering, as a network failure after the
	// service acted would. Only successful calls are dropped: an error
	// answer (ResourceInUse for a retried create, say) is sent, so a
	// client's retry can see what the first attempt did.
	DropResponse bool
	// FailJobs makes the named training jobs end Failed with the given
	// FailureReason instead of completing (job name -> reason). It applies
	// when the rule's Operation is CreateTrainingJob or every operation.
	FailJobs map[string]string
}

// WithFaults injects faults (see Faults).
func WithFaults(f Faults) Option {
	return func(s *Server) {
		fs := &faultSet{rules: append([]FaultRule(nil), f.Rules...), rand: f.Rand}
		if fs.rand == nil {
			fs.rand = rand.Float64
		}
		s.faults = fs
	}
}

// faultSet is the configured faults; a nil *faultSet injects none.
type faultSet struct {
	rules []FaultRule
	mu    sync.Mutex // serializes rand
	rand  func() float64
}

func (r *FaultRule) matches(service, op string) bool {
	svc := r.Service
	if svc == "" {
		svc = "sagemaker"
	}
	return (svc == service || svc == "*") && (r.Operation == op || r.Operation == "*" || r.Operation == "")
}

// faultErrors are each service's answers to a throttled or failed call.
var faultErrors = map[string]struct{ throttled, internal *wire.Error }{
	"sagemaker": {errThrottled, errInternal},
	"logs": {errThrottled, &wire.Error{Status: http.StatusInternalServerError, Code: "ServiceUnavailableException",
		Message: "The service cannot complete the request."}},
	"s3": {&wire.Error{Status: http.StatusServiceUnavailable, Code: "SlowDown", Message: "Please reduce your request rate."},
		&wire.Error{Status: http.StatusInternalServerError, Code: "InternalError", Message: "We encountered an internal error. Please try again."}},
}

func (f *faultSet) draw() float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rand()
}

// Errors the service answers when it throttles or fails.
var (
	errThrottled = &wire.Error{Status: http.StatusBadRequest, Code: "ThrottlingException", Message: "Rate exceeded"}
	errInternal  = &wire.Error{Status: http.StatusInternalServerError, Code: "InternalFailure",
		Message: "We encountered an internal error. Please try again."}
)

// before applies the faults decided before op of service runs: latency,
// throttling, server errors. A non-nil error is the answer (in the
// service's terms, see faultErrors); the operation must not run.
func (f *faultSet) before(ctx context.Context, service, op string) *wire.Error {
	if f == nil {
		return nil
	}
	for i := range f.rules {
		r := &f.rules[i]
		if !r.matches(service, op) || r.Latency <= 0 {
			continue
		}
		t := time.NewTimer(r.Latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return &wire.Error{Status: http.StatusRequestTimeout, Code: "RequestTimeout", Message: "the client went away during the injected latency: " + ctx.Err().Error()}
		}
	}
	errs := faultErrors[service]
	for i := range f.rules {
		if r := &f.rules[i]; r.matches(service, op) && r.ThrottleRate > 0 && f.draw() < r.ThrottleRate {
			return errs.throttled
		}
	}
	for i := range f.rules {
		if r := &f.rules[i]; r.matches(service, op) && r.ServerErrorRate > 0 && f.draw() < r.ServerErrorRate {
			return errs.internal
		}
	}
	return nil
}

// drop reports whether the answer to a successful op of service is to be
// dropped.
func (f *faultSet) drop(service, op string) bool {
	if f == nil {
		return false
	}
	for i := range f.rules {
		if r := &f.rules[i]; r.matches(service, op) && r.DropResponse {
			return true
		}
	}
	return false
}

// jobFailure returns the FailureReason a training job is to end with.
func (f *faultSet) jobFailure(name string) (string, bool) {
	if f == nil {
		return "", false
	}
	for i := range f.rules {
		if r := &f.rules[i]; r.matches("sagemaker", "CreateTrainingJob") {
			if reason, ok := r.FailJobs[name]; ok {
				return reason, true
			}
		}
	}
	return "", false
}

// dropConnection closes the client's connection without an answer. The
// request body has been read, so the client sees the connection end
// while it waits for the response.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2): abort the response instead.
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// failLifecycle runs a training job through its first steps and ends it
// Failed with reason (FaultRule.FailJobs).
func (s *Server) failLifecycle(r *record, reason string) {
	rs := r.spec
	r.setStatus(r.created, "", "Starting", "Injected fault: preparing the instances for training")
	s.schedule(r,
		step{secondary: "Downloading", message: "Injected fault: downloading input data"},
		step{secondary: "Training", message: "Injected fault: training"},
		step{status: rs.Failed, secondary: "Failed", reason: reason, message: "Injected fault: the job failed"})
}
