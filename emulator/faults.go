package emulator

import (
	"time"

	"github.com/smcore-go/smcore/emulator/internal/faults"
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
	// "ListObjectsV2", "UploadPart", …).
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
		rules := make([]faults.Rule, len(f.Rules))
		for i, r := range f.Rules {
			rules[i] = faults.Rule(r)
		}
		s.faults = faults.New(rules, f.Rand)
	}
}
