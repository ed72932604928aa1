package logtail

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// Log groups SageMaker writes job logs to. Each instance (or each
// container of an instance) of a job writes its own stream, named
// "<job-name>/<host>-<timestamp>" or similar, so the streams of one job share
// the prefix "<job-name>/".
//
// The job resources carry their own group (see [Source]), so [Follow] needs
// none of these; they are for [New] and for tests.
const (
	TrainingJobsGroup   = "/aws/sagemaker/TrainingJobs"
	ProcessingJobsGroup = "/aws/sagemaker/ProcessingJobs"
	TransformJobsGroup  = "/aws/sagemaker/TransformJobs"
)

// Drain defaults.
const (
	// DefaultDrainQuiet is how long Drain waits for lines to stop arriving
	// when no WithDrainQuiet option is given.
	DefaultDrainQuiet = 10 * time.Second
	// drainPollsPerQuiet is how many polls Drain makes per quiet period.
	drainPollsPerQuiet = 4
	// drainBudgetFactor bounds a whole Drain to this many quiet periods
	// when no WithDrainBudget option is given.
	drainBudgetFactor = 3
)

// API is the part of *cloudwatchlogs.Client the tailer uses.
type API interface {
	DescribeLogStreams(ctx context.Context, in *cloudwatchlogs.DescribeLogStreamsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogStreamsOutput, error)
	GetLogEvents(ctx context.Context, in *cloudwatchlogs.GetLogEventsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error)
}

var _ API = (*cloudwatchlogs.Client)(nil)

// Line is one log event.
type Line struct {
	Stream  string    // log stream name, e.g. "my-job/algo-1-1700000000"
	Time    time.Time // the event's timestamp (UTC, millisecond precision)
	Message string    // the event's text, as stored
}

// Clock is the tailer's source of time; only Drain uses it. Tests replace
// it so that a drain runs without sleeping.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

type options struct {
	clock       Clock
	drainQuiet  time.Duration
	drainBudget time.Duration // 0: drainBudgetFactor × drainQuiet
	logger      *slog.Logger
}

// Option configures a Tailer.
type Option func(*options)

// WithClock replaces the system clock used by Drain.
func WithClock(c Clock) Option { return func(o *options) { o.clock = c } }

// WithDrainQuiet sets how long Drain keeps polling after the last new line
// (default DefaultDrainQuiet). CloudWatch Logs usually makes events
// readable within seconds of their being written, so the default leaves
// room for that lag. Drain polls a few times per quiet period. A value of
// zero or less makes Drain poll exactly once.
func WithDrainQuiet(d time.Duration) Option { return func(o *options) { o.drainQuiet = d } }

// WithDrainBudget bounds the whole Drain, however long lines keep coming
// (default three quiet periods). Drain always polls at least once.
func WithDrainBudget(d time.Duration) Option { return func(o *options) { o.drainBudget = d } }

// WithLogger sets a logger for debug messages (new streams, a log group that
// does not exist yet, errors the drain rides over). Default: silent.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// ErrNotConfigured is matched (with errors.Is) by the error that Poll and
// Drain return, without making any call, for a Tailer that cannot work: a
// nil client or deliver function, an empty log group, or, from [Follow], a
// nil job or one with an empty log stream prefix. The error says which.
var ErrNotConfigured = errors.New("logtail: tailer not configured")

// Source is where a job's logs are: a CloudWatch Logs group and the prefix
// of the names of the job's streams. The job resources of package
// resources whose logs go to CloudWatch (TrainingJob, ProcessingJob,
// TransformJob, …) implement it: it has the method set of
// resources.LogSource, declared again here so that logtail does not import
// resources (nor resources logtail).
type Source interface {
	// LogGroup is the log group, e.g. "/aws/sagemaker/TrainingJobs".
	LogGroup() string
	// LogStreamPrefix is what the names of the job's streams start with,
	// "<job name>/" for SageMaker jobs.
	LogStreamPrefix() string
}

// Tailer follows every log stream of a CloudWatch Logs group whose name
// starts with a prefix, delivering each event once, in timestamp order
// within each Poll.
//
// A Tailer keeps, per stream, its name and forward token; it keeps no
// delivered lines. Its methods are safe to call from several goroutines, but
// they run one at a time, and deliver must not call back into the Tailer.
type Tailer struct {
	client  API
	group   string
	prefix  string
	deliver func(Line)
	o       options
	bad     error // why the tailer cannot work (wraps ErrNotConfigured); nil if it can

	mu      sync.Mutex
	streams []*stream // sorted by name
	known   map[string]*stream
}

// stream is what the tailer remembers of one log stream.
type stream struct {
	name  string
	token string // NextForwardToken to resume from; "" means the head
}

// The tailer plays the waiters.LogFollower role.
var _ interface {
	Poll(ctx context.Context) error
	Drain(ctx context.Context) error
} = (*Tailer)(nil)

// Follow returns a Tailer that follows the logs of job: every stream of
// job.LogGroup() whose name starts with job.LogStreamPrefix(), delivering
// lines to deliver. job is typically a resource, e.g. a
// *resources.TrainingJob, which knows its own kind's log group, so a job of
// one kind cannot be followed in the group of another:
//
//	tail := logtail.Follow(cwl, job, func(l logtail.Line) { fmt.Println(l.Message) })
//	err := job.Wait(ctx, waiters.WithLogs(tail))
//
// Follow reads the group and prefix once, and makes no calls. It does not
// panic on bad input: a nil client, job (also a nil pointer of a job type)
// or deliver, an empty group or an empty prefix (which would follow the
// streams of every job in the group) make Poll and Drain return an error
// that matches ErrNotConfigured and says what is missing. A nil deliver is
// such an error rather than a way to discard lines: reading logs nobody
// sees is a mistake worth reporting.
func Follow(client API, job Source, deliver func(Line), opts ...Option) *Tailer {
	if isNil(job) {
		t := New(client, "", "", deliver, opts...)
		t.bad = fmt.Errorf("%w: nil job", ErrNotConfigured)
		return t
	}
	group, prefix := job.LogGroup(), job.LogStreamPrefix()
	t := New(client, group, prefix, deliver, opts...)
	if t.bad == nil && prefix == "" {
		t.bad = fmt.Errorf("%w: %T has an empty log stream prefix (it would follow every job in %s)", ErrNotConfigured, job, group)
	}
	if errors.Is(t.bad, errNoGroup) {
		t.bad = fmt.Errorf("%w: %T has no log group", ErrNotConfigured, job)
	}
	return t
}

// errNoGroup is New's complaint about an empty group, which Follow words
// in terms of the job.
var errNoGroup = errors.New("empty log group")

// isNil reports whether job is nil or holds a nil pointer (or other nil
// value), whose methods would likely panic.
func isNil(job Source) bool {
	if job == nil {
		return true
	}
	switch v := reflect.ValueOf(job); v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// New returns a Tailer that follows every stream of group whose name starts
// with prefix (every stream of the group if prefix is empty), delivering
// lines to deliver. It is the raw form of [Follow], for logs that no
// [Source] describes; the group of a SageMaker job is one of the *JobsGroup
// constants and the prefix "<job-name>/".
//
// New makes no calls. A nil client or deliver, or an empty group, make Poll
// and Drain return an error that matches ErrNotConfigured rather than
// panic.
func New(client API, group, prefix string, deliver func(Line), opts ...Option) *Tailer {
	o := options{clock: systemClock{}, drainQuiet: DefaultDrainQuiet}
	for _, opt := range opts {
		opt(&o)
	}
	if o.clock == nil {
		o.clock = systemClock{}
	}
	if o.drainBudget <= 0 {
		o.drainBudget = drainBudgetFactor * max(o.drainQuiet, 0)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	t := &Tailer{
		client: client, group: group, prefix: prefix, deliver: deliver, o: o,
		known: make(map[string]*stream),
	}
	switch {
	case client == nil:
		t.bad = fmt.Errorf("%w: nil client", ErrNotConfigured)
	case deliver == nil:
		t.bad = fmt.Errorf("%w: nil deliver function", ErrNotConfigured)
	case group == "":
		t.bad = fmt.Errorf("%w: %w", ErrNotConfigured, errNoGroup)
	}
	return t
}

// Poll looks for new streams (every call, so that instances that start late
// are followed from their first line), reads every stream from where the
// previous call stopped to its current end, and delivers the new lines
// merged by timestamp; ties go to the stream whose name sorts first, then to
// the order within the stream.
//
// A log group that does not exist yet means no lines yet, not an error. If
// a call fails (including because ctx ended), Poll still delivers every line
// it has read and returns the error; the next call resumes after the last
// delivered line, so no line is delivered twice or lost.
//
// Memory is bounded by one page of events per stream, however large the
// backlog.
func (t *Tailer) Poll(ctx context.Context) error {
	if t.bad != nil {
		return t.bad
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	_, err := t.poll(ctx)
	return err
}

// Drain is meant for after the job reached a terminal state: it polls until
// no new line has arrived for the quiet period (see WithDrainQuiet), counted
// from the start of the drain and then from each new line, but no longer
// than the budget (see WithDrainBudget). That gives CloudWatch Logs time to
// make the job's last lines readable.
//
// An error from one poll does not stop the drain (the next poll retries the
// same reads); Drain returns the error of the last poll if that poll failed,
// and returns at once with ctx's error if ctx ends.
func (t *Tailer) Drain(ctx context.Context) error {
	if t.bad != nil {
		return t.bad
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	quiet, budget := t.o.drainQuiet, t.o.drainBudget
	interval := quiet / drainPollsPerQuiet
	start := t.o.clock.Now()
	lastNew := start
	for {
		n, err := t.poll(ctx)
		if ctxErr := ctx.Err(); ctxErr != nil {
			if err == nil {
				err = ctxErr
			}
			return err
		}
		now := t.o.clock.Now()
		if n > 0 {
			lastNew = now
		}
		if err != nil {
			t.o.logger.Debug("logtail: drain poll failed", "group", t.group, "prefix", t.prefix, "err", err)
		}
		quietLeft := quiet - now.Sub(lastNew)
		budgetLeft := budget - now.Sub(start)
		if quietLeft <= 0 || budgetLeft <= 0 {
			return err
		}
		wait := min(interval, quietLeft, budgetLeft)
		if wait <= 0 {
			wait = min(quietLeft, budgetLeft)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.o.clock.After(wait):
		}
	}
}

// poll is Poll without the lock; it reports how many lines it delivered.
func (t *Tailer) poll(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := t.discover(ctx); err != nil {
		return 0, err
	}

	// Merge the streams by timestamp, reading each one page at a time: a
	// stream's next page is read as soon as its buffered events are used
	// up, before the next line is chosen, so that every stream with unread
	// events has its earliest one in the heap.
	var firstErr error
	fill := func(c *cursor) {
		for len(c.buf) == 0 && c.more && firstErr == nil {
			if err := t.fetch(ctx, c); err != nil {
				firstErr = err
			}
		}
	}
	h := make(mergeHeap, 0, len(t.streams))
	for i, s := range t.streams {
		c := &cursor{s: s, order: i, more: true}
		fill(c)
		if len(c.buf) > 0 {
			h = append(h, c)
		}
	}
	heap.Init(&h)
	n := 0
	for len(h) > 0 {
		c := h[0]
		ev := c.buf[0]
		c.buf[0] = types.OutputLogEvent{}
		c.buf = c.buf[1:]
		t.deliver(Line{
			Stream:  c.s.name,
			Time:    time.UnixMilli(aws.ToInt64(ev.Timestamp)).UTC(),
			Message: aws.ToString(ev.Message),
		})
		n++
		fill(c)
		if len(c.buf) == 0 {
			heap.Pop(&h)
		} else {
			heap.Fix(&h, 0)
		}
	}
	return n, firstErr
}

// discover adds the streams that have appeared since the last call.
func (t *Tailer) discover(ctx context.Context) error {
	in := &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(t.group)}
	if t.prefix != "" {
		in.LogStreamNamePrefix = aws.String(t.prefix)
	}
	added := 0
	seen := make(map[string]bool) // page tokens, against a service that loops
	for {
		out, err := t.client.DescribeLogStreams(ctx, in)
		if err != nil {
			if isNotFound(err) {
				t.o.logger.Debug("logtail: log group does not exist yet", "group", t.group)
				break
			}
			return fmt.Errorf("logtail: DescribeLogStreams %s: %w", t.group, err)
		}
		for _, ls := range out.LogStreams {
			name := aws.ToString(ls.LogStreamName)
			if name == "" || t.known[name] != nil {
				continue
			}
			s := &stream{name: name}
			t.known[name] = s
			t.streams = append(t.streams, s)
			added++
			t.o.logger.Debug("logtail: following stream", "group", t.group, "stream", name)
		}
		next := aws.ToString(out.NextToken)
		if next == "" || seen[next] {
			break
		}
		seen[next] = true
		in.NextToken = aws.String(next)
	}
	if added > 0 {
		slices.SortFunc(t.streams, func(a, b *stream) int { return strings.Compare(a.name, b.name) })
	}
	return nil
}

// fetch reads the next page of c's stream into c.buf and moves the stream's
// token past it. c.more becomes false once the token stops moving (the end
// of what is readable now).
func (t *Tailer) fetch(ctx context.Context, c *cursor) error {
	in := &cloudwatchlogs.GetLogEventsInput{
		LogGroupName:  aws.String(t.group),
		LogStreamName: aws.String(c.s.name),
		StartFromHead: aws.Bool(true),
	}
	if c.s.token != "" {
		in.NextToken = aws.String(c.s.token)
	}
	out, err := t.client.GetLogEvents(ctx, in)
	if err != nil {
		if isNotFound(err) { // group or stream deleted: nothing to read
			c.more = false
			return nil
		}
		return fmt.Errorf("logtail: GetLogEvents %s %s: %w", t.group, c.s.name, err)
	}
	c.buf = out.Events
	next := aws.ToString(out.NextForwardToken)
	if next == "" || next == c.s.token {
		c.more = false
	} else {
		c.s.token = next
	}
	return nil
}

func isNotFound(err error) bool {
	var nf *types.ResourceNotFoundException
	return errors.As(err, &nf)
}

// cursor is one stream's read position during a poll.
type cursor struct {
	s     *stream
	order int                    // rank of the stream name, for ties
	buf   []types.OutputLogEvent // read, not yet delivered
	more  bool                   // more pages may be readable now
}

// mergeHeap orders cursors by their first buffered event.
type mergeHeap []*cursor

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	a, b := aws.ToInt64(h[i].buf[0].Timestamp), aws.ToInt64(h[j].buf[0].Timestamp)
	if a != b {
		return a < b
	}
	return h[i].order < h[j].order
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(*cursor)) }
func (h *mergeHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return c
}
