package waiters

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/aws/smithy-go"
)

// ErrVanished reports that the resource was deleted, or is being deleted,
// while the wait expected it to reach a status. Errors that wrap it name the
// resource; test for it with errors.Is.
var ErrVanished = errors.New("resource vanished while waiting")

// FailedError reports that the resource reached a failure status
// (Failed, CreateFailed, UpdateFailed...). Reason is the resource's
// FailureReason or StatusMessage when it has one.
type FailedError struct {
	Kind, Name     string
	Status, Reason string
}

func (e *FailedError) Error() string { return outcome(e.Kind, e.Name, "failed", e.Status, e.Reason) }

// DeleteFailedError reports that deleting the resource failed
// (DeleteFailed, Delete_Failed, DeleteRollbackFailed...).
type DeleteFailedError struct {
	Kind, Name     string
	Status, Reason string
}

func (e *DeleteFailedError) Error() string {
	return outcome(e.Kind, e.Name, "delete failed", e.Status, e.Reason)
}

// StoppedError reports that a job was stopped before it completed. It is
// returned only when the waiter was asked to treat Stopped as an error
// (see [UntilTerminal]); otherwise Stopped ends the wait successfully.
type StoppedError struct {
	Kind, Name     string
	Status, Reason string
}

func (e *StoppedError) Error() string { return outcome(e.Kind, e.Name, "stopped", e.Status, e.Reason) }

func outcome(kind, name, what, status, reason string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q %s: status %s", kind, name, what, status)
	if reason != "" {
		b.WriteString(": ")
		b.WriteString(reason)
	}
	return b.String()
}

// InterruptedError is returned when the context is cancelled or its
// deadline passes before the wait is over. It unwraps to
// [context.Canceled] or [context.DeadlineExceeded], so errors.Is works on
// it, and it records the last status seen.
//
// The engine returns it with [context.DeadlineExceeded] slightly before the
// deadline when too little time is left for another poll.
type InterruptedError struct {
	Kind, Name      string
	Status          string // last status observed; "" if none
	SecondaryStatus string // last secondary status observed
	Observed        bool   // whether any poll succeeded
	Attempts        int    // polls made
	Elapsed         time.Duration
	Err             error // context.Canceled or context.DeadlineExceeded
}

func (e *InterruptedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "waiting for %s %q: ", e.Kind, e.Name)
	switch {
	case !e.Observed:
		b.WriteString("no status observed")
	case e.Status == "" && e.SecondaryStatus == "":
		b.WriteString("last poll had no status")
	default:
		fmt.Fprintf(&b, "last status %s", e.Status)
		if e.SecondaryStatus != "" {
			fmt.Fprintf(&b, " (%s)", e.SecondaryStatus)
		}
	}
	fmt.Fprintf(&b, " after %d polls in %s: %v", e.Attempts, e.Elapsed.Round(time.Millisecond), e.Err)
	return b.String()
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// transientCodes are service error codes that mean "try again later".
var transientCodes = map[string]bool{
	"Throttling":                             true,
	"ThrottlingException":                    true,
	"ThrottledException":                     true,
	"RequestThrottledException":              true,
	"RequestThrottled":                       true,
	"TooManyRequestsException":               true,
	"RequestLimitExceeded":                   true,
	"SlowDown":                               true,
	"ProvisionedThroughputExceededException": true,
	"LimitExceededException":                 true,
	"BandwidthLimitExceeded":                 true,
	"RequestTimeout":                         true,
	"RequestTimeoutException":                true,
	"PriorRequestNotComplete":                true,
}

// IsTransient reports whether a poll error is worth retrying: a throttling
// error code, an HTTP 429 or 5xx response (except 501), an error that
// declares itself retryable, or a network failure (connection reset or
// refused, unexpected EOF, any net.Error other than an unknown host).
// Context cancellation and deadline errors are never transient.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if apiErr, ok := errors.AsType[smithy.APIError](err); ok && transientCodes[apiErr.ErrorCode()] {
		return true
	}
	if hs, ok := errors.AsType[interface {
		error
		HTTPStatusCode() int
	}](err); ok {
		if c := hs.HTTPStatusCode(); c == 429 || (c >= 500 && c <= 599 && c != 501) {
			return true
		}
	}
	if r, ok := errors.AsType[interface {
		error
		RetryableError() bool
	}](err); ok && r.RetryableError() {
		return true
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ETIMEDOUT) {
		return true
	}
	if dnsErr, ok := errors.AsType[*net.DNSError](err); ok && dnsErr.IsNotFound {
		return false
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return true
	}
	return strings.Contains(err.Error(), "connection reset")
}
