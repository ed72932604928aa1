// Package faults injects the failures the real services and the network
// sometimes show (emulator.WithFaults): latency, throttling, server errors,
// dropped answers and failed training jobs.
package faults

import (
	"context"
	mathrand "math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/smcore-go/smcore/emulator/wire"
)

// Rule is emulator.FaultRule (see its fields' documentation there).
type Rule struct {
	Service, Operation            string
	ThrottleRate, ServerErrorRate float64
	Latency                       time.Duration
	DropResponse                  bool
	FailJobs                      map[string]string
}

// New returns the faults of rules, decided by rand (nil: math/rand/v2's
// Float64).
func New(rules []Rule, rand func() float64) *Set {
	if rand == nil {
		rand = mathrand.Float64
	}
	return &Set{rules: rules, rand: rand}
}

// Set is the configured faults; a nil *Set injects none.
type Set struct {
	rules []Rule
	mu    sync.Mutex // serializes rand
	rand  func() float64
}

func (r *Rule) matches(service, op string) bool {
	svc := r.Service
	if svc == "" {
		svc = "sagemaker"
	}
	return (svc == service || svc == "*") && (r.Operation == op || r.Operation == "*" || r.Operation == "")
}

// faultErrors are each service's answers to a throttled or failed call.
var faultErrors = map[string]struct{ throttled, internal *wire.Error }{
	"sagemaker": {Throttled, Internal},
	"logs": {Throttled, &wire.Error{Status: http.StatusInternalServerError, Code: "ServiceUnavailableException",
		Message: "The service cannot complete the request."}},
	"s3": {&wire.Error{Status: http.StatusServiceUnavailable, Code: "SlowDown", Message: "Please reduce your request rate."},
		&wire.Error{Status: http.StatusInternalServerError, Code: "InternalError", Message: "We encountered an internal error. Please try again."}},
}

func (f *Set) draw() float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rand()
}

// Errors SageMaker answers when it throttles or fails.
var (
	Throttled = &wire.Error{Status: http.StatusBadRequest, Code: "ThrottlingException", Message: "Rate exceeded"}
	Internal  = &wire.Error{Status: http.StatusInternalServerError, Code: "InternalFailure",
		Message: "We encountered an internal error. Please try again."}
)

// Before applies the faults decided before op of service runs: latency,
// throttling, server errors. A non-nil error is the answer (in the
// service's terms, see faultErrors); the operation must not run.
func (f *Set) Before(ctx context.Context, service, op string) *wire.Error {
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

// Drop reports whether the answer to a successful op of service is to be
// dropped.
func (f *Set) Drop(service, op string) bool {
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

// JobFailure returns the FailureReason a training job is to end with.
func (f *Set) JobFailure(name string) (string, bool) {
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

// DropConnection closes the client's connection without an answer. The
// request body has been read, so the client sees the connection end
// while it waits for the response.
func DropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2): abort the response instead.
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
