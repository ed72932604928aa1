package waiters

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// fakeClock records every requested delay. In auto mode a timer fires at
// once and moves the clock forward by its delay; in manual mode timers fire
// only when fire is called.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	manual  bool
	delays  []time.Duration
	pending []chan time.Time
	asked   chan time.Duration // manual mode: receives each requested delay
}

func newFakeClock(now time.Time) *fakeClock { return &fakeClock{now: now} }

func newManualClock(now time.Time) *fakeClock {
	return &fakeClock{now: now, manual: true, asked: make(chan time.Duration, 16)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.delays = append(c.delays, d)
	ch := make(chan time.Time, 1)
	if c.manual {
		c.pending = append(c.pending, ch)
		c.asked <- d
	} else {
		c.now = c.now.Add(d)
		ch <- c.now
	}
	return fakeTimer(ch)
}

// fire advances the clock by d and fires every pending timer.
func (c *fakeClock) fire(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for _, ch := range c.pending {
		ch <- c.now
	}
	c.pending = nil
}

func (c *fakeClock) recorded() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.delays...)
}

type fakeTimer chan time.Time

func (t fakeTimer) C() <-chan time.Time { return t }
func (t fakeTimer) Stop() bool          { return true }

type step struct {
	obs Observation
	err error
}

func st(status, secondary string) step {
	return step{obs: Observation{Status: status, SecondaryStatus: secondary}}
}

// script returns a Poll that plays steps in order and repeats the last one;
// calls counts the polls.
type script struct {
	steps []step
	calls int
}

func (s *script) poll(context.Context) (Observation, error) {
	i := min(s.calls, len(s.steps)-1)
	s.calls++
	return s.steps[i].obs, s.steps[i].err
}

func play(steps ...step) *script { return &script{steps: steps} }

func classify(status string) Class {
	switch status {
	case "Completed", "InService":
		return Success
	case "Stopped":
		return Stopped
	case "Failed", "CreateFailed":
		return Failure
	case "Deleting":
		return Deleting
	case "DeleteFailed":
		return DeleteFailed
	case "Deleted":
		return Deleted
	}
	return Transitional
}

func jobSpec(stoppedIsError bool) Spec {
	return Spec{Kind: "TrainingJob", Name: "x", Done: UntilTerminal("TrainingJob", "x", classify, stoppedIsError)}
}

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func fixed(r float64) Option { return WithJitter(func() float64 { return r }) }

func throttle() error {
	return &smithy.OperationError{ServiceID: "SageMaker", OperationName: "DescribeTrainingJob",
		Err: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 400}},
			Err:      &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"},
		}}
}

type statusErr int

func (e statusErr) Error() string       { return fmt.Sprintf("http %d", int(e)) }
func (e statusErr) HTTPStatusCode() int { return int(e) }

func resetErr() error {
	return &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
}

// ---- Delay ----

func TestDelayFirstIsMin(t *testing.T) {
	o := Options{MinDelay: 7 * time.Second, MaxDelay: 50 * time.Second}
	for _, r := range []float64{0, 0.5, 0.999} {
		if d := o.Delay(1, r); d != 7*time.Second {
			t.Errorf("Delay(1, %v) = %v, want 7s", r, d)
		}
	}
	if d := o.Delay(0, 0.5); d != 7*time.Second {
		t.Errorf("Delay(0) = %v, want MinDelay", d)
	}
	var zero Options
	if d := zero.Delay(1, 0); d != DefaultMinDelay {
		t.Errorf("zero Options: Delay(1) = %v, want %v", d, DefaultMinDelay)
	}
}

func TestDelayGrowth(t *testing.T) {
	o := Options{MinDelay: time.Second, MaxDelay: time.Minute}
	// r=0 gives the lower edge, half the ceiling: 1s, 1s, 2s, 4s, 8s...
	want := []time.Duration{time.Second, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second}
	for i, w := range want {
		if d := o.Delay(i+1, 0); d != w {
			t.Errorf("Delay(%d, 0) = %v, want %v", i+1, d, w)
		}
	}
	// r=0.5 is three quarters of the ceiling.
	if d := o.Delay(4, 0.5); d != 6*time.Second {
		t.Errorf("Delay(4, .5) = %v, want 6s", d)
	}
}

func TestDelayJitterBounds(t *testing.T) {
	o := Options{MinDelay: 3 * time.Second, MaxDelay: 45 * time.Second}
	for n := 2; n <= 40; n++ {
		ceil := min(3*time.Second<<min(n-1, 20), 45*time.Second)
		for _, r := range []float64{0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999999} {
			d := o.Delay(n, r)
			if d < 3*time.Second || d > 45*time.Second {
				t.Fatalf("Delay(%d, %v) = %v outside [3s, 45s]", n, r, d)
			}
			if d < ceil/2 || d > ceil {
				t.Fatalf("Delay(%d, %v) = %v outside [%v, %v]", n, r, d, ceil/2, ceil)
			}
		}
		if lo, hi := o.Delay(n, 0), o.Delay(n, 0.999); lo > hi {
			t.Fatalf("Delay(%d) not monotonic in r: %v > %v", n, lo, hi)
		}
	}
	for _, r := range []float64{math.NaN(), -1, 1, 7, math.Inf(1)} {
		if d := o.Delay(5, r); d < 3*time.Second || d > 45*time.Second {
			t.Errorf("Delay(5, %v) = %v out of bounds", r, d)
		}
	}
}

func TestDelayClampAtMax(t *testing.T) {
	o := Options{MinDelay: 5 * time.Second, MaxDelay: 20 * time.Second}
	for _, n := range []int{4, 10, 63, 64, 1000, math.MaxInt} {
		if d := o.Delay(n, 0.999999); d > 20*time.Second || d < 19*time.Second {
			t.Errorf("Delay(%d, ~1) = %v, want just under 20s", n, d)
		}
		if d := o.Delay(n, 0); d != 10*time.Second {
			t.Errorf("Delay(%d, 0) = %v, want 10s (half the max)", n, d)
		}
	}
	// MaxDelay below MinDelay: the max wins.
	o = Options{MinDelay: 30 * time.Second, MaxDelay: 10 * time.Second}
	if d := o.Delay(1, 0); d != 10*time.Second {
		t.Errorf("min>max: Delay(1) = %v, want 10s", d)
	}
}

func TestDelayCappedAtOneMinute(t *testing.T) {
	// The SDK's TrainingJobCompletedOrStopped: 120s min, 6h max.
	o := Options{MinDelay: 2 * time.Minute, MaxDelay: 6 * time.Hour}
	for n := 1; n < 50; n++ {
		if d := o.Delay(n, 0.999); d != MaxDelayCap {
			t.Fatalf("Delay(%d) = %v, want %v", n, d, MaxDelayCap)
		}
	}
	o = Options{MinDelay: 5 * time.Second, MaxDelay: 6 * time.Hour}
	for n := 1; n < 100; n++ {
		if d := o.Delay(n, 0.999999); d > time.Minute {
			t.Fatalf("Delay(%d) = %v exceeds one minute", n, d)
		}
	}
	var zero Options
	if d := zero.Delay(100, 0.999999); d > DefaultMaxDelay || d < DefaultMaxDelay-time.Second {
		t.Errorf("zero Options: Delay(100) = %v, want just under %v", d, DefaultMaxDelay)
	}
}

// ---- Wait: timing ----

func TestWaitUsesDelays(t *testing.T) {
	clk := newFakeClock(t0)
	s := play(st("InProgress", ""), st("InProgress", ""), st("InProgress", ""), st("InProgress", ""), st("Completed", ""))
	obs, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(clk), fixed(0.5), WithDelays(time.Second, 10*time.Second))
	if err != nil || obs.Status != "Completed" {
		t.Fatalf("Wait = %+v, %v", obs, err)
	}
	o := Options{MinDelay: time.Second, MaxDelay: 10 * time.Second}
	want := []time.Duration{o.Delay(1, .5), o.Delay(2, .5), o.Delay(3, .5), o.Delay(4, .5)}
	if got := clk.recorded(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("delays = %v, want %v", got, want)
	}
	if s.calls != 5 {
		t.Errorf("polls = %d, want 5", s.calls)
	}
}

func TestWaitSleepsOnClock(t *testing.T) {
	clk := newManualClock(t0)
	s := play(st("InProgress", ""), st("Completed", ""))
	done := make(chan error, 1)
	go func() {
		_, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(clk))
		done <- err
	}()
	if d := <-clk.asked; d != DefaultMinDelay {
		t.Errorf("first delay = %v, want %v", d, DefaultMinDelay)
	}
	select {
	case err := <-done:
		t.Fatalf("Wait returned before the timer fired: %v", err)
	default:
	}
	clk.fire(DefaultMinDelay)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s.calls != 2 {
		t.Errorf("polls = %d, want 2", s.calls)
	}
}

func TestWaitShortensLastSleepBeforeDeadline(t *testing.T) {
	// The engine reads the deadline from ctx and the time from its clock:
	// start the fake clock at the real time and put the deadline two fake
	// minutes ahead; the fake clock gets there long before the real one.
	clk := newFakeClock(time.Now())
	ctx, cancel := context.WithDeadline(context.Background(), clk.Now().Add(2*time.Minute))
	defer cancel()
	s := play(step{obs: Observation{Status: "InProgress", SecondaryStatus: "Training"}})
	obs, err := Wait(ctx, jobSpec(false), s.poll, WithClock(clk), fixed(0))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if !strings.Contains(err.Error(), "InProgress") || !strings.Contains(err.Error(), "Training") {
		t.Errorf("error does not mention the last status: %v", err)
	}
	var ie *InterruptedError
	if !errors.As(err, &ie) || ie.Status != "InProgress" || ie.SecondaryStatus != "Training" || ie.Attempts != s.calls {
		t.Errorf("InterruptedError = %+v (polls %d)", ie, s.calls)
	}
	if obs.Status != "InProgress" {
		t.Errorf("obs = %+v", obs)
	}
	delays := clk.recorded()
	var o Options
	var total time.Duration
	for i, d := range delays[:len(delays)-1] {
		if want := o.Delay(i+1, 0); d != want {
			t.Errorf("delay %d = %v, want %v", i+1, d, want)
		}
		total += d
	}
	last := delays[len(delays)-1]
	if full := o.Delay(len(delays), 0); last >= full {
		t.Errorf("last delay %v not shortened (full %v)", last, full)
	}
	total += last
	// The last poll happens one second (the final lead) before the deadline.
	if want := 2*time.Minute - time.Second; total != want {
		t.Errorf("slept %v in all (%v), want %v", total, delays, want)
	}
	if s.calls != len(delays)+1 {
		t.Errorf("polls = %d, want %d (one after the shortened sleep)", s.calls, len(delays)+1)
	}
}

func TestWaitDeadlineTooCloseForAnotherPoll(t *testing.T) {
	clk := newFakeClock(time.Now())
	ctx, cancel := context.WithDeadline(context.Background(), clk.Now().Add(500*time.Millisecond))
	defer cancel()
	s := play(st("InProgress", ""))
	_, err := Wait(ctx, jobSpec(false), s.poll, WithClock(clk))
	if !errors.Is(err, context.DeadlineExceeded) || s.calls != 1 || len(clk.recorded()) != 0 {
		t.Fatalf("err = %v, polls %d, delays %v; want DeadlineExceeded after one poll and no sleep", err, s.calls, clk.recorded())
	}
}

func TestWaitCancelMidSleep(t *testing.T) {
	clk := newManualClock(t0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := play(st("InProgress", ""))
	done := make(chan error, 1)
	go func() {
		_, err := Wait(ctx, jobSpec(false), s.poll, WithClock(clk))
		done <- err
	}()
	<-clk.asked // Wait is now sleeping on a timer that never fires
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if !strings.Contains(err.Error(), "InProgress") {
			t.Errorf("error does not mention the last status: %v", err)
		}
	case <-time.After(10 * time.Second): // a guard only; Wait returns at once
		t.Fatal("Wait did not return after cancel")
	}
	if s.calls != 1 {
		t.Errorf("polls = %d, want 1", s.calls)
	}
}

func TestWaitCancelledDuringPoll(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	poll := func(ctx context.Context) (Observation, error) {
		cancel()
		return Observation{}, &url.Error{Op: "Post", URL: "https://x", Err: ctx.Err()}
	}
	_, err := Wait(ctx, jobSpec(false), poll, WithClock(newFakeClock(t0)))
	var ie *InterruptedError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &ie) || ie.Observed {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "no status observed") {
		t.Errorf("message: %v", err)
	}
}

func TestWaitAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := play(st("Completed", ""))
	if _, err := Wait(ctx, jobSpec(false), s.poll); !errors.Is(err, context.Canceled) || s.calls != 0 {
		t.Fatalf("err = %v, polls %d", err, s.calls)
	}
}

// ---- Wait: errors ----

func TestWaitSurvivesTransientErrors(t *testing.T) {
	clk := newFakeClock(t0)
	var events []Event
	s := play(st("InProgress", ""), step{err: throttle()}, step{err: statusErr(503)}, step{err: resetErr()},
		st("InProgress", ""), st("Completed", ""))
	obs, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(clk),
		WithProgress(func(e Event) { events = append(events, e) }))
	if err != nil || obs.Status != "Completed" {
		t.Fatalf("Wait = %+v, %v", obs, err)
	}
	var transient []Event
	for _, e := range events {
		if e.Type == EventTransientError {
			transient = append(transient, e)
		}
	}
	if len(transient) != 3 {
		t.Fatalf("transient events = %d, want 3: %+v", len(transient), events)
	}
	for i, e := range transient {
		if e.Attempt != i+2 || e.Status != "InProgress" || e.Err == nil {
			t.Errorf("transient event %d = %+v", i, e)
		}
	}
	if len(clk.recorded()) != 5 {
		t.Errorf("slept %d times, want 5 (backing off after errors too)", len(clk.recorded()))
	}
}

func TestWaitTooManyTransientErrors(t *testing.T) {
	s := play(st("InProgress", ""), step{err: throttle()})
	obs, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(newFakeClock(t0)), WithMaxTransientErrors(3))
	if err == nil {
		t.Fatal("no error")
	}
	if s.calls != 5 { // one observation, three tolerated errors, the fourth ends it
		t.Errorf("polls = %d, want 5", s.calls)
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ThrottlingException" {
		t.Errorf("err = %v, want the throttling error wrapped", err)
	}
	if !strings.Contains(err.Error(), `TrainingJob "x"`) || obs.Status != "InProgress" {
		t.Errorf("err = %v, obs = %+v", err, obs)
	}

	// The count is of errors in a row: a good poll resets it.
	s = play(step{err: throttle()}, step{err: throttle()}, st("InProgress", ""),
		step{err: statusErr(500)}, step{err: statusErr(429)}, st("Completed", ""))
	if _, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(newFakeClock(t0)), WithMaxTransientErrors(2)); err != nil {
		t.Errorf("reset: %v", err)
	}

	// Zero tolerates none; the default is 10.
	s = play(step{err: throttle()})
	if _, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(newFakeClock(t0)), WithMaxTransientErrors(0)); err == nil || s.calls != 1 {
		t.Errorf("zero: err %v after %d polls", err, s.calls)
	}
	s = play(step{err: throttle()})
	if _, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(newFakeClock(t0))); err == nil || s.calls != DefaultMaxTransient+1 {
		t.Errorf("default: err %v after %d polls", err, s.calls)
	}
}

func TestWaitNonTransientErrorEndsAtOnce(t *testing.T) {
	clk := newFakeClock(t0)
	denied := &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "no"}
	s := play(step{err: denied}, st("Completed", ""))
	_, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(clk))
	if !errors.Is(err, denied) || s.calls != 1 || len(clk.recorded()) != 0 {
		t.Fatalf("err = %v, polls %d, delays %v", err, s.calls, clk.recorded())
	}
	if want := `waiting for TrainingJob "x": `; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %q, want prefix %q", err, want)
	}
}

func TestWaitNeedsDoneAndPoll(t *testing.T) {
	if _, err := Wait(context.Background(), Spec{Kind: "K", Name: "n"}, play(st("x", "")).poll); err == nil {
		t.Error("nil Done accepted")
	}
	if _, err := Wait(context.Background(), jobSpec(false), nil); err == nil {
		t.Error("nil Poll accepted")
	}
}

func TestIsTransient(t *testing.T) {
	apiErr := func(code string) error { return &smithy.GenericAPIError{Code: code} }
	resp := func(code int, err error) error {
		return &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: code}}, Err: err}
	}
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"throttling", throttle(), true},
		{"ThrottlingException", apiErr("ThrottlingException"), true},
		{"Throttling", apiErr("Throttling"), true},
		{"TooManyRequestsException", apiErr("TooManyRequestsException"), true},
		{"SlowDown", apiErr("SlowDown"), true},
		{"RequestLimitExceeded", apiErr("RequestLimitExceeded"), true},
		{"LimitExceededException", apiErr("LimitExceededException"), true},
		{"ValidationException 400", resp(400, apiErr("ValidationException")), false},
		{"ResourceLimitExceeded", apiErr("ResourceLimitExceeded"), false},
		{"503", statusErr(503), true},
		{"500 response", resp(500, apiErr("InternalFailure")), true},
		{"429", fmt.Errorf("wrapped: %w", statusErr(429)), true},
		{"501", statusErr(501), false},
		{"404", statusErr(404), false},
		{"net.OpError", resetErr(), true},
		{"ECONNRESET", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"ECONNREFUSED", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{"unexpected EOF", fmt.Errorf("body: %w", io.ErrUnexpectedEOF), true},
		{"connection reset text", errors.New("read tcp 1.2.3.4:443: connection reset by peer"), true},
		{"unknown host", &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}, false},
		{"dns timeout", &net.DNSError{Err: "timeout", Name: "x", IsTimeout: true}, true},
		{"canceled", context.Canceled, false},
		{"deadline", fmt.Errorf("op: %w", context.DeadlineExceeded), false},
		{"url.Error over canceled", &url.Error{Op: "Post", URL: "u", Err: context.Canceled}, false},
		{"plain", errors.New("boom"), false},
	}
	for _, c := range cases {
		if got := IsTransient(c.err); got != c.want {
			t.Errorf("%s: IsTransient(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
}

// ---- Done helpers and typed errors ----

func TestFailedErrorCarriesReason(t *testing.T) {
	s := play(st("InProgress", "Training"),
		step{obs: Observation{Status: "Failed", SecondaryStatus: "Failed", Reason: "AlgorithmError: boom"}})
	obs, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(newFakeClock(t0)))
	var fe *FailedError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *FailedError", err)
	}
	if fe.Reason != "AlgorithmError: boom" || fe.Status != "Failed" || fe.Kind != "TrainingJob" || fe.Name != "x" {
		t.Errorf("FailedError = %+v", fe)
	}
	if want := `TrainingJob "x" failed: status Failed: AlgorithmError: boom`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	if obs.Status != "Failed" {
		t.Errorf("obs = %+v, want the final observation", obs)
	}
	if got := (&FailedError{Kind: "Endpoint", Name: "e", Status: "Failed"}).Error(); got != `Endpoint "e" failed: status Failed` {
		t.Errorf("no reason: %q", got)
	}
}

func TestDeleteFailedErrorIsDistinct(t *testing.T) {
	done := UntilDeleted("Endpoint", "e", classify)
	_, err := Wait(context.Background(), Spec{Kind: "Endpoint", Name: "e", Done: done},
		play(st("Deleting", ""), step{obs: Observation{Status: "DeleteFailed", Reason: "in use"}}).poll,
		WithClock(newFakeClock(t0)))
	var dfe *DeleteFailedError
	var fe *FailedError
	if !errors.As(err, &dfe) || errors.As(err, &fe) {
		t.Fatalf("err = %#v, want only *DeleteFailedError", err)
	}
	if want := `Endpoint "e" delete failed: status DeleteFailed: in use`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}

func TestStoppedSuccessOrError(t *testing.T) {
	stopped := step{obs: Observation{Status: "Stopped", Reason: "user request"}}
	obs, err := Wait(context.Background(), jobSpec(false), play(st("Stopping", ""), stopped).poll, WithClock(newFakeClock(t0)))
	if err != nil || obs.Status != "Stopped" {
		t.Errorf("stopped as success: %+v, %v", obs, err)
	}
	_, err = Wait(context.Background(), jobSpec(true), play(st("Stopping", ""), stopped).poll, WithClock(newFakeClock(t0)))
	var se *StoppedError
	if !errors.As(err, &se) || se.Reason != "user request" {
		t.Errorf("stopped as error: %v", err)
	}
	if want := `TrainingJob "x" stopped: status Stopped: user request`; err == nil || err.Error() != want {
		t.Errorf("Error() = %v, want %q", err, want)
	}
}

func TestUntilTerminal(t *testing.T) {
	done := UntilTerminal("K", "n", classify, false)
	for _, c := range []struct {
		obs     Observation
		done    bool
		vanish  bool
		errType string
	}{
		{Observation{Status: "InProgress"}, false, false, ""},
		{Observation{Status: "Completed"}, true, false, ""},
		{Observation{Status: "CreateFailed"}, true, false, "*waiters.FailedError"},
		{Observation{Status: "DeleteFailed"}, true, false, "*waiters.DeleteFailedError"},
		{Observation{NotFound: true}, true, true, ""},
		{Observation{Status: "Deleting"}, true, true, ""},
		{Observation{Status: "Deleted"}, true, true, ""},
	} {
		d, err := done(c.obs)
		if d != c.done || errors.Is(err, ErrVanished) != c.vanish {
			t.Errorf("%+v: (%v, %v)", c.obs, d, err)
		}
		if c.errType != "" && fmt.Sprintf("%T", err) != c.errType {
			t.Errorf("%+v: error type %T, want %s", c.obs, err, c.errType)
		}
	}
	_, err := done(Observation{NotFound: true})
	if !strings.Contains(err.Error(), `K "n" not found`) {
		t.Errorf("vanished message: %v", err)
	}
}

func TestUntilStatus(t *testing.T) {
	done := UntilStatus("NotebookInstance", "nb", "InService", classify)
	for _, c := range []struct {
		status   string
		notFound bool
		done     bool
		failed   bool
		vanish   bool
	}{
		{"Pending", false, false, false, false},
		{"Stopped", false, false, false, false}, // another stable state: keep waiting
		{"InService", false, true, false, false},
		{"Failed", false, true, true, false},
		{"Deleting", false, true, false, true},
		{"", true, true, false, true},
	} {
		d, err := done(Observation{Status: c.status, NotFound: c.notFound})
		var fe *FailedError
		if d != c.done || errors.As(err, &fe) != c.failed || errors.Is(err, ErrVanished) != c.vanish {
			t.Errorf("%q notFound=%v: (%v, %v)", c.status, c.notFound, d, err)
		}
	}
	// The target wins even when its class is a failure.
	if d, err := UntilStatus("K", "n", "Failed", classify)(Observation{Status: "Failed"}); !d || err != nil {
		t.Errorf("target Failed: (%v, %v)", d, err)
	}
	var dfe *DeleteFailedError
	if _, err := done(Observation{Status: "DeleteFailed"}); !errors.As(err, &dfe) {
		t.Errorf("DeleteFailed: %v", err)
	}
}

func TestUntilDeleted(t *testing.T) {
	s := play(st("InService", ""), st("Deleting", ""), st("Deleting", ""), step{obs: Observation{NotFound: true}})
	obs, err := Wait(context.Background(), Spec{Kind: "Endpoint", Name: "e", Done: UntilDeleted("Endpoint", "e", classify)},
		s.poll, WithClock(newFakeClock(t0)))
	if err != nil || !obs.NotFound || s.calls != 4 {
		t.Fatalf("Wait = %+v, %v after %d polls", obs, err, s.calls)
	}
	done := UntilDeleted("App", "a", classify)
	if d, err := done(Observation{Status: "Deleted"}); !d || err != nil {
		t.Errorf("Deleted status: (%v, %v)", d, err)
	}
	var fe *FailedError
	if d, err := done(Observation{Status: "Failed", Reason: "r"}); !d || !errors.As(err, &fe) {
		t.Errorf("Failed while deleting: (%v, %v)", d, err)
	}
}

func TestClassString(t *testing.T) {
	if Deleted.String() != "Deleted" || Transitional.String() != "Transitional" || Class(99).String() != "Class(99)" {
		t.Error(Deleted, Transitional, Class(99))
	}
}

// ---- events, logging, log following ----

func TestEventsOnTransitionsOnly(t *testing.T) {
	var events []Event
	s := play(st("InProgress", "Starting"), st("InProgress", "Starting"), st("InProgress", "Training"),
		st("InProgress", "Training"), st("InProgress", "Training"), st("Completed", "Completed"))
	_, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(newFakeClock(t0)), fixed(0),
		WithDelays(time.Second, time.Minute), WithProgress(func(e Event) { events = append(events, e) }))
	if err != nil {
		t.Fatal(err)
	}
	type ev struct {
		attempt                  int
		status, sec, prev, prevS string
	}
	want := []ev{
		{1, "InProgress", "Starting", "", ""},
		{3, "InProgress", "Training", "InProgress", "Starting"},
		{6, "Completed", "Completed", "InProgress", "Training"},
	}
	if len(events) != len(want) {
		t.Fatalf("events = %+v, want %d", events, len(want))
	}
	for i, w := range want {
		e := events[i]
		got := ev{e.Attempt, e.Status, e.SecondaryStatus, e.PrevStatus, e.PrevSecondary}
		if got != w || e.Type != EventStatus || e.Kind != "TrainingJob" || e.Name != "x" {
			t.Errorf("event %d = %+v, want %+v", i, e, w)
		}
	}
	// Elapsed follows the clock: 1s+1s after poll 1 (delays 1s, 1s).
	if events[1].Elapsed != 2*time.Second {
		t.Errorf("elapsed at attempt 3 = %v, want 2s", events[1].Elapsed)
	}
}

func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	s := play(st("InProgress", "Starting"), st("InProgress", "Starting"), step{err: throttle()},
		st("InProgress", "Training"), st("Completed", "Completed"))
	if _, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(newFakeClock(t0)), WithLogger(logger)); err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		recs = append(recs, m)
	}
	if len(recs) != 4 {
		t.Fatalf("records = %d, want 4 (3 transitions, 1 transient error):\n%s", len(recs), buf.String())
	}
	levels := []string{"INFO", "WARN", "INFO", "INFO"}
	for i, r := range recs {
		if r["level"] != levels[i] {
			t.Errorf("record %d level %v, want %s", i, r["level"], levels[i])
		}
		for _, k := range []string{"kind", "name", "status", "secondary_status", "attempt", "elapsed"} {
			if _, ok := r[k]; !ok {
				t.Errorf("record %d lacks %q: %v", i, k, r)
			}
		}
	}
	if recs[1]["error"] == nil || recs[1]["attempt"] != float64(3) {
		t.Errorf("warn record = %v", recs[1])
	}
	if recs[3]["status"] != "Completed" || recs[3]["prev_status"] != "InProgress" || recs[3]["kind"] != "TrainingJob" {
		t.Errorf("last record = %v", recs[3])
	}
}

func TestSilentWithoutLogger(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })
	s := play(st("InProgress", ""), step{err: throttle()}, st("Completed", ""))
	if _, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(newFakeClock(t0))); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("logged without a logger: %s", buf.String())
	}
}

type follower struct {
	polls, drains       int
	pollErr, drainErr   error
	pollsAtFirstDrain   int
	drainCtxWasUsable   bool
	observationsAtPolls []int
	s                   *script
}

func (f *follower) Poll(ctx context.Context) error {
	f.polls++
	f.observationsAtPolls = append(f.observationsAtPolls, f.s.calls)
	return f.pollErr
}

func (f *follower) Drain(ctx context.Context) error {
	f.drains++
	f.drainCtxWasUsable = ctx.Err() == nil
	return f.drainErr
}

func TestLogFollower(t *testing.T) {
	s := play(st("InProgress", ""), step{err: statusErr(503)}, st("InProgress", ""), st("Completed", ""))
	f := &follower{s: s, pollErr: errors.New("logs: access denied"), drainErr: errors.New("logs: drain failed")}
	var logEvents []Event
	obs, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(newFakeClock(t0)), WithLogs(f),
		WithProgress(func(e Event) {
			if e.Type == EventLogError {
				logEvents = append(logEvents, e)
			}
		}))
	if err != nil || obs.Status != "Completed" {
		t.Fatalf("Wait = %+v, %v; log errors must not change the result", obs, err)
	}
	if f.polls != 2 || fmt.Sprint(f.observationsAtPolls) != "[1 3]" {
		t.Errorf("Poll calls = %d after polls %v, want 2 after [1 3] (each non-final observation)", f.polls, f.observationsAtPolls)
	}
	if f.drains != 1 || !f.drainCtxWasUsable {
		t.Errorf("Drain calls = %d (ctx usable %v), want 1", f.drains, f.drainCtxWasUsable)
	}
	if len(logEvents) != 3 || !errors.Is(logEvents[2].Err, f.drainErr) {
		t.Errorf("log error events = %+v, want 2 poll errors and 1 drain error", logEvents)
	}

	// A failure result is kept too, and Drain still runs.
	s = play(step{obs: Observation{Status: "Failed", Reason: "oom"}})
	f = &follower{s: s, drainErr: errors.New("drain failed")}
	_, err = Wait(context.Background(), jobSpec(false), s.poll, WithClock(newFakeClock(t0)), WithLogs(f))
	var fe *FailedError
	if !errors.As(err, &fe) || fe.Reason != "oom" || f.drains != 1 || f.polls != 0 {
		t.Errorf("failed: err %v, drains %d, polls %d", err, f.drains, f.polls)
	}

	// No Drain when the wait ends on a poll error.
	s = play(step{err: errors.New("boom")})
	f = &follower{s: s}
	if _, err := Wait(context.Background(), jobSpec(false), s.poll, WithClock(newFakeClock(t0)), WithLogs(f)); err == nil || f.drains != 0 {
		t.Errorf("poll error: err %v, drains %d", err, f.drains)
	}
}

func TestStoppedIsError(t *testing.T) {
	if StoppedIsError(nil) || StoppedIsError([]Option{WithDelays(1, 2)}) {
		t.Fatal("stopped is a success by default")
	}
	if !StoppedIsError([]Option{WithDelays(1, 2), WithStoppedAsError()}) {
		t.Fatal("WithStoppedAsError not seen")
	}
}
