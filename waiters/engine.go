package waiters

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"
)

// Class is what a status value means for waiting. The generator maps every
// value of a resource's status enum to a Class; the order matches its
// classifier.
type Class int

const (
	Transitional Class = iota // creating, updating, stopping, pending...
	Success                   // a stable state: completed, in service, active...
	Stopped                   // stopped or cancelled
	Failure                   // failed, create/update failed...
	Deleting                  // on its way out
	DeleteFailed              // deletion failed
	Deleted                   // gone, but still described (App, ComputeQuota...)
)

var classNames = [...]string{"Transitional", "Success", "Stopped", "Failure", "Deleting", "DeleteFailed", "Deleted"}

func (c Class) String() string {
	if c >= 0 && int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// Observation is the part of one Describe result that waiting needs.
type Observation struct {
	Status          string // primary status; "" when the resource has none
	SecondaryStatus string // e.g. a training job's SecondaryStatus; "" if none
	Reason          string // FailureReason or StatusMessage, when the resource has one
	NotFound        bool   // the resource does not exist (by the resource's own not-found rule)
}

// Poll performs one Describe call and reduces it to an Observation. A
// not-found answer should be reported as Observation{NotFound: true} with
// a nil error, not as an error.
type Poll func(ctx context.Context) (Observation, error)

// Spec says what to wait for.
type Spec struct {
	Kind string // resource kind, e.g. "TrainingJob"
	Name string // resource name or identifier, for messages
	// Done decides, for one observation, whether the wait ends:
	// (true, nil) success, (true, err) failure, (false, nil) keep polling.
	Done func(Observation) (bool, error)
}

// Delay defaults and limits.
const (
	DefaultMinDelay     = 5 * time.Second
	DefaultMaxDelay     = time.Minute
	DefaultMaxTransient = 10
	// MaxDelayCap bounds the delay between polls whatever MaxDelay asks
	// for, so that a wait returns at most a minute after the resource
	// reached its state (the SDK allows up to six hours for training jobs).
	MaxDelayCap = time.Minute
)

// Clock is the engine's source of time. Tests replace it to run waits
// without sleeping.
type Clock interface {
	Now() time.Time
	NewTimer(d time.Duration) Timer
}

// Timer is a one-shot timer made by a Clock.
type Timer interface {
	C() <-chan time.Time // receives once when the timer fires
	Stop() bool          // as time.Timer.Stop
}

type systemClock struct{}

func (systemClock) Now() time.Time                 { return time.Now() }
func (systemClock) NewTimer(d time.Duration) Timer { return systemTimer{time.NewTimer(d)} }

type systemTimer struct{ t *time.Timer }

func (t systemTimer) C() <-chan time.Time { return t.t.C }
func (t systemTimer) Stop() bool          { return t.t.Stop() }

// EventType says what an Event reports.
type EventType int

const (
	EventStatus         EventType = iota // first observation, or the status or secondary status changed
	EventTransientError                  // a poll failed with a transient error that was tolerated
	EventLogError                        // the LogFollower failed; the wait goes on
)

// Event reports progress. Events are sent from the goroutine running Wait;
// the callback should return quickly.
type Event struct {
	Type                      EventType
	Kind, Name                string
	Attempt                   int           // polls made so far, including this one
	Elapsed                   time.Duration // since Wait started
	Status, SecondaryStatus   string        // current (for errors: last known) status
	PrevStatus, PrevSecondary string        // previous status; "" on the first observation
	NotFound                  bool          // the observation said the resource does not exist
	Err                       error         // EventTransientError, EventLogError: the error
}

// LogFollower streams a resource's logs while the engine waits on it (the
// log tailer implements it).
type LogFollower interface {
	// Poll fetches and delivers new log lines. It is called after every
	// observation that does not end the wait.
	Poll(ctx context.Context) error
	// Drain is called once, after the observation that ends the wait, to
	// deliver the last lines, allowing for ingestion lag.
	Drain(ctx context.Context) error
}

// Options tune Wait. The zero value of a field means its default.
type Options struct {
	// MinDelay is the first delay between polls (default 5s); MaxDelay
	// bounds the later ones (default 60s) and is itself capped at
	// MaxDelayCap. A MaxDelay below MinDelay lowers MinDelay.
	MinDelay, MaxDelay time.Duration
	Clock              Clock          // default: the system clock
	Rand               func() float64 // jitter source in [0,1); default math/rand/v2
	Logger             *slog.Logger   // nil: silent
	OnEvent            func(Event)    // progress callback; nil: none
	// MaxTransient is how many transient poll errors in a row are
	// tolerated (default 10); a negative value means no limit other than
	// the context. The next one ends the wait.
	MaxTransient int
	Logs         LogFollower // optional log streaming
	// StoppedAsError makes a job's Wait return a *StoppedError when the
	// job ends Stopped (it is a success otherwise).
	StoppedAsError bool
}

// Option changes Options.
type Option func(*Options)

// WithDelays sets the first and the largest delay between polls; zero
// keeps a default. max is capped at MaxDelayCap.
func WithDelays(min, max time.Duration) Option {
	return func(o *Options) { o.MinDelay, o.MaxDelay = min, max }
}

// WithStoppedAsError makes Wait on a job return a *StoppedError when the
// job ends Stopped.
func WithStoppedAsError() Option { return func(o *Options) { o.StoppedAsError = true } }

// StoppedIsError reports whether opts ask for WithStoppedAsError; generated
// Wait methods use it to build their Done function.
func StoppedIsError(opts []Option) bool {
	var o Options
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	return o.StoppedAsError
}

// WithClock replaces the system clock.
func WithClock(c Clock) Option { return func(o *Options) { o.Clock = c } }

// WithJitter replaces the jitter source; f must return values in [0,1).
func WithJitter(f func() float64) Option { return func(o *Options) { o.Rand = f } }

// WithLogger makes the engine log status changes (Info) and tolerated
// errors (Warn).
func WithLogger(l *slog.Logger) Option { return func(o *Options) { o.Logger = l } }

// WithProgress registers a callback for Events.
func WithProgress(f func(Event)) Option { return func(o *Options) { o.OnEvent = f } }

// WithMaxTransientErrors sets how many transient poll errors in a row are
// tolerated; 0 tolerates none, a negative n any number.
func WithMaxTransientErrors(n int) Option { return func(o *Options) { o.MaxTransient = n } }

// WithLogs streams logs through f while waiting.
func WithLogs(f LogFollower) Option { return func(o *Options) { o.Logs = f } }

// bounds returns the effective minimum and maximum delay.
func (o *Options) bounds() (lo, hi time.Duration) {
	lo, hi = o.MinDelay, o.MaxDelay
	if lo <= 0 {
		lo = DefaultMinDelay
	}
	if hi <= 0 {
		hi = DefaultMaxDelay
	}
	hi = min(hi, MaxDelayCap)
	return min(lo, hi), hi
}

// Delay returns the delay after the attempt-th poll (attempt >= 1), given
// a jitter value r in [0,1). The first delay is MinDelay; for attempt n > 1
// the ceiling is MinDelay·2^(n-1), limited to MaxDelay (itself capped at
// MaxDelayCap), and the delay is drawn from the upper half of it:
// ceiling·(1+r)/2, never below MinDelay. Wait further shortens the delay
// so as not to sleep past the context's deadline.
func (o *Options) Delay(attempt int, r float64) time.Duration {
	lo, hi := o.bounds()
	if attempt <= 1 {
		return lo
	}
	ceil := hi
	if shift := attempt - 1; shift < 62 && lo <= hi>>shift {
		ceil = min(lo<<shift, hi)
	}
	switch {
	case !(r >= 0): // negative or NaN
		r = 0
	case r >= 1:
		r = math.Nextafter(1, 0)
	}
	half := ceil / 2
	d := half + time.Duration(r*float64(ceil-half))
	return max(lo, min(d, hi))
}

// finalLead is how long before the deadline the last poll is made, leaving
// the Describe call time to answer.
func (o *Options) finalLead() time.Duration {
	lo, _ := o.bounds()
	return min(lo, time.Second)
}

// Wait polls until spec.Done ends the wait, ctx ends, or a poll fails with
// an error that is not transient. It polls immediately, then after each
// observation that does not end the wait sleeps Options.Delay. It returns
// the last observation together with:
//   - the error from spec.Done (nil on success);
//   - an *InterruptedError wrapping ctx.Err() when ctx is cancelled or its
//     deadline passes (the last sleep is shortened so that one more poll is
//     made just before the deadline);
//   - the poll error, wrapped with the kind and name, when it is not
//     transient or when more than MaxTransient transient errors occur in a
//     row.
//
// With a LogFollower, its Poll runs after each observation that does not end
// the wait and its Drain after the one that does; their errors are reported
// as events and never change the result.
func Wait(ctx context.Context, spec Spec, poll Poll, opts ...Option) (Observation, error) {
	o := Options{MinDelay: DefaultMinDelay, MaxDelay: DefaultMaxDelay, MaxTransient: DefaultMaxTransient}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if spec.Done == nil || poll == nil {
		return Observation{}, fmt.Errorf("waiting for %s %q: waiters.Wait needs a Spec.Done and a Poll", spec.Kind, spec.Name)
	}
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	w := &waiter{spec: spec, poll: poll, o: &o, start: o.Clock.Now()}
	return w.run(ctx)
}

type waiter struct {
	spec     Spec
	poll     Poll
	o        *Options
	start    time.Time
	attempts int
	last     Observation // last successful observation
	seen     bool        // whether last is set
}

func (w *waiter) run(ctx context.Context) (Observation, error) {
	deadline, hasDeadline := ctx.Deadline()
	transient := 0
	final := false // the sleep was shortened to the deadline: the next poll is the last
	for {
		if err := ctx.Err(); err != nil {
			return w.last, w.interrupted(err)
		}
		w.attempts++
		obs, err := w.poll(ctx)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return w.last, w.interrupted(ctxErr)
			}
			if !IsTransient(err) {
				return w.last, fmt.Errorf("waiting for %s %q: %w", w.spec.Kind, w.spec.Name, err)
			}
			transient++
			if w.o.MaxTransient >= 0 && transient > w.o.MaxTransient {
				return w.last, fmt.Errorf("waiting for %s %q: %d transient errors in a row, the last: %w",
					w.spec.Kind, w.spec.Name, transient, err)
			}
			w.report(ctx, EventTransientError, err, slog.LevelWarn, "wait: transient poll error")
		} else {
			transient = 0
			w.observe(ctx, obs)
			if done, doneErr := w.spec.Done(obs); done {
				if w.o.Logs != nil {
					if lerr := w.o.Logs.Drain(ctx); lerr != nil {
						w.report(ctx, EventLogError, lerr, slog.LevelWarn, "wait: draining logs failed")
					}
				}
				return obs, doneErr
			}
			if w.o.Logs != nil {
				if lerr := w.o.Logs.Poll(ctx); lerr != nil && ctx.Err() == nil {
					w.report(ctx, EventLogError, lerr, slog.LevelWarn, "wait: following logs failed")
				}
			}
		}

		d := w.o.Delay(w.attempts, w.o.Rand())
		if hasDeadline {
			if final {
				return w.last, w.interrupted(context.DeadlineExceeded)
			}
			lead := w.o.finalLead()
			remaining := deadline.Sub(w.o.Clock.Now())
			if remaining <= lead {
				return w.last, w.interrupted(context.DeadlineExceeded)
			}
			if d >= remaining-lead {
				d, final = remaining-lead, true
			}
		}
		t := w.o.Clock.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return w.last, w.interrupted(ctx.Err())
		case <-t.C():
		}
	}
}

// interrupted builds the error for an ended context; err is ctx.Err(), or
// context.DeadlineExceeded when the engine's clock says no time is left.
func (w *waiter) interrupted(err error) error {
	return &InterruptedError{
		Kind: w.spec.Kind, Name: w.spec.Name,
		Status: w.last.Status, SecondaryStatus: w.last.SecondaryStatus, Observed: w.seen,
		Attempts: w.attempts, Elapsed: w.o.Clock.Now().Sub(w.start),
		Err: err,
	}
}

// observe records obs and reports it when it is the first or differs from
// the previous one.
func (w *waiter) observe(ctx context.Context, obs Observation) {
	prev, first := w.last, !w.seen
	w.last, w.seen = obs, true
	if !first && obs.Status == prev.Status && obs.SecondaryStatus == prev.SecondaryStatus && obs.NotFound == prev.NotFound {
		return
	}
	ev := w.event(EventStatus, nil)
	ev.PrevStatus, ev.PrevSecondary = prev.Status, prev.SecondaryStatus
	msg := "wait: status changed"
	if first {
		msg = "wait: status"
	}
	w.emit(ctx, ev, slog.LevelInfo, msg)
}

func (w *waiter) report(ctx context.Context, typ EventType, err error, level slog.Level, msg string) {
	w.emit(ctx, w.event(typ, err), level, msg)
}

func (w *waiter) event(typ EventType, err error) Event {
	return Event{
		Type: typ, Kind: w.spec.Kind, Name: w.spec.Name,
		Attempt: w.attempts, Elapsed: w.o.Clock.Now().Sub(w.start),
		Status: w.last.Status, SecondaryStatus: w.last.SecondaryStatus, NotFound: w.last.NotFound,
		Err: err,
	}
}

func (w *waiter) emit(ctx context.Context, ev Event, level slog.Level, msg string) {
	if w.o.OnEvent != nil {
		w.o.OnEvent(ev)
	}
	l := w.o.Logger
	if l == nil || !l.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("kind", ev.Kind),
		slog.String("name", ev.Name),
		slog.String("status", ev.Status),
		slog.String("secondary_status", ev.SecondaryStatus),
		slog.Int("attempt", ev.Attempt),
		slog.Duration("elapsed", ev.Elapsed),
	}
	if ev.PrevStatus != "" || ev.PrevSecondary != "" {
		attrs = append(attrs, slog.String("prev_status", ev.PrevStatus), slog.String("prev_secondary_status", ev.PrevSecondary))
	}
	if ev.NotFound {
		attrs = append(attrs, slog.Bool("not_found", true))
	}
	if ev.Err != nil {
		attrs = append(attrs, slog.Any("error", ev.Err))
	}
	l.LogAttrs(ctx, level, msg, attrs...)
}

// vanished is the error for a resource that is gone, or going, while the
// wait expects it to reach a status.
func vanished(kind, name string, obs Observation) error {
	if obs.NotFound {
		return fmt.Errorf("%s %q not found while waiting: %w", kind, name, ErrVanished)
	}
	return fmt.Errorf("%s %q is being deleted (status %s) while waiting: %w", kind, name, obs.Status, ErrVanished)
}

// UntilTerminal returns a Done function that waits for a terminal status:
// Success ends the wait; Stopped ends it too, with a *StoppedError when
// stoppedIsError; Failure gives a *FailedError and DeleteFailed a
// *DeleteFailedError. A resource that is not found, deleting or deleted
// gives an error wrapping ErrVanished. Other statuses keep the wait going.
func UntilTerminal(kind, name string, classify func(status string) Class, stoppedIsError bool) func(Observation) (bool, error) {
	return func(obs Observation) (bool, error) {
		if obs.NotFound {
			return true, vanished(kind, name, obs)
		}
		switch classify(obs.Status) {
		case Success:
			return true, nil
		case Stopped:
			if stoppedIsError {
				return true, &StoppedError{Kind: kind, Name: name, Status: obs.Status, Reason: obs.Reason}
			}
			return true, nil
		case Failure:
			return true, &FailedError{Kind: kind, Name: name, Status: obs.Status, Reason: obs.Reason}
		case DeleteFailed:
			return true, &DeleteFailedError{Kind: kind, Name: name, Status: obs.Status, Reason: obs.Reason}
		case Deleting, Deleted:
			return true, vanished(kind, name, obs)
		}
		return false, nil
	}
}

// UntilStatus returns a Done function that waits for the status target.
// Before it is reached, a Failure status gives a *FailedError, a
// DeleteFailed status a *DeleteFailedError, and a resource that is not
// found, deleting or deleted an error wrapping ErrVanished. Any other
// status keeps the wait going: a long-lived resource (an endpoint, a
// notebook instance) can still move from one stable state to another, so
// bound the wait with the context.
func UntilStatus(kind, name, target string, classify func(string) Class) func(Observation) (bool, error) {
	return func(obs Observation) (bool, error) {
		if obs.NotFound {
			return true, vanished(kind, name, obs)
		}
		if obs.Status == target {
			return true, nil
		}
		switch classify(obs.Status) {
		case Failure:
			return true, &FailedError{Kind: kind, Name: name, Status: obs.Status, Reason: obs.Reason}
		case DeleteFailed:
			return true, &DeleteFailedError{Kind: kind, Name: name, Status: obs.Status, Reason: obs.Reason}
		case Deleting, Deleted:
			return true, vanished(kind, name, obs)
		}
		return false, nil
	}
}

// UntilDeleted returns a Done function that waits for the resource to go
// away: not found, or a Deleted status (resources such as App stay
// describable once deleted), ends the wait successfully. A DeleteFailed
// status gives a *DeleteFailedError. A Failure status is an error too (a
// *FailedError): a resource being deleted reports Deleting, so a failed
// one was most likely never asked to be deleted and would be waited on
// forever. Other statuses keep the wait going.
func UntilDeleted(kind, name string, classify func(string) Class) func(Observation) (bool, error) {
	return func(obs Observation) (bool, error) {
		if obs.NotFound {
			return true, nil
		}
		switch classify(obs.Status) {
		case Deleted:
			return true, nil
		case DeleteFailed:
			return true, &DeleteFailedError{Kind: kind, Name: name, Status: obs.Status, Reason: obs.Reason}
		case Failure:
			return true, &FailedError{Kind: kind, Name: name, Status: obs.Status, Reason: obs.Reason}
		}
		return false, nil
	}
}
