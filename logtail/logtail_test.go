package logtail

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go"
)

// ---------------------------------------------------------------------------
// Fake clock

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// fakeClock moves forward only when asked to wait (or by Advance): After
// advances it by d and fires at once.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func newClock() *fakeClock { return &fakeClock{now: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.waits = append(c.waits, d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Elapsed() time.Duration { return c.Now().Sub(t0) }

// ---------------------------------------------------------------------------
// Fake CloudWatch Logs (AWS JSON 1.1 over HTTP)

type fakeEvent struct {
	ts        int64 // ms
	msg       string
	visibleAt time.Time // ingestion lag: readable from then on
}

type fakeLogs struct {
	t     *testing.T
	clock *fakeClock

	mu         sync.Mutex
	groups     map[string]map[string][]fakeEvent // group -> stream -> events; no key: no group
	streamPage int                               // DescribeLogStreams page size
	eventPage  int                               // GetLogEvents page size
	emptyHead  bool                              // a read without token returns an empty page first
	fail       map[string]fakeFailure            // op -> the next calls fail
	calls      map[string]int
	served     int           // events returned by GetLogEvents
	describes  []fakeRequest // DescribeLogStreams requests, group and prefix only
}

type fakeFailure struct {
	status int
	typ    string
	count  int
}

func newFake(t *testing.T, clock *fakeClock) (*fakeLogs, *cloudwatchlogs.Client) {
	f := &fakeLogs{
		t: t, clock: clock, groups: map[string]map[string][]fakeEvent{},
		streamPage: 50, eventPage: 10000,
		fail: map[string]fakeFailure{}, calls: map[string]int{},
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	client := cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 2
			o.Backoff = noBackoff{}
			o.RateLimiter = ratelimit.None
		}),
	})
	return f, client
}

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// addGroup creates a log group (no-op if it exists).
func (f *fakeLogs) addGroup(group string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.groups[group] == nil {
		f.groups[group] = map[string][]fakeEvent{}
	}
}

// add appends events to a stream, creating the group and stream as needed.
func (f *fakeLogs) add(group, stream string, evs ...fakeEvent) {
	f.addGroup(group)
	f.mu.Lock()
	defer f.mu.Unlock()
	g := f.groups[group]
	g[stream] = append(g[stream], evs...)
}

func (f *fakeLogs) failNext(op string, status int, typ string, count int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[op] = fakeFailure{status, typ, count}
}

func (f *fakeLogs) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *fakeLogs) servedEvents() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.served
}

type fakeRequest struct {
	LogGroupName        string `json:"logGroupName"`
	LogStreamNamePrefix string `json:"logStreamNamePrefix"`
	LogStreamName       string `json:"logStreamName"`
	NextToken           string `json:"nextToken"`
	StartFromHead       *bool  `json:"startFromHead"`
}

func (f *fakeLogs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "Logs_20140328.")
	if r.Method != http.MethodPost || r.URL.Path != "/" || !ok {
		f.t.Errorf("fake: unexpected request %s %s target %q", r.Method, r.URL.Path, r.Header.Get("X-Amz-Target"))
		writeErr(w, 400, "UnknownOperationException", "bad request")
		return
	}
	var req fakeRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		f.t.Errorf("fake: %s: bad body: %v", op, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	if op == "DescribeLogStreams" {
		f.describes = append(f.describes, fakeRequest{LogGroupName: req.LogGroupName, LogStreamNamePrefix: req.LogStreamNamePrefix})
	}
	if fl := f.fail[op]; fl.count > 0 {
		fl.count--
		f.fail[op] = fl
		writeErr(w, fl.status, fl.typ, "injected failure")
		return
	}
	g, ok := f.groups[req.LogGroupName]
	if !ok {
		writeErr(w, 400, "ResourceNotFoundException", "The specified log group does not exist.")
		return
	}
	switch op {
	case "DescribeLogStreams":
		var names []string
		for name := range g {
			if strings.HasPrefix(name, req.LogStreamNamePrefix) {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		start := 0
		if req.NextToken != "" {
			start = f.parseToken("s/", req.NextToken)
		}
		end := min(start+f.streamPage, len(names))
		type ls struct {
			LogStreamName      string `json:"logStreamName"`
			CreationTime       int64  `json:"creationTime"`
			LastEventTimestamp int64  `json:"lastEventTimestamp,omitempty"`
		}
		resp := struct {
			LogStreams []ls   `json:"logStreams"`
			NextToken  string `json:"nextToken,omitempty"`
		}{LogStreams: []ls{}}
		for _, name := range names[start:end] {
			resp.LogStreams = append(resp.LogStreams, ls{LogStreamName: name, CreationTime: t0.UnixMilli()})
		}
		if end < len(names) {
			resp.NextToken = "s/" + strconv.Itoa(end)
		}
		writeJSON(w, resp)
	case "GetLogEvents":
		if req.StartFromHead == nil || !*req.StartFromHead {
			f.t.Errorf("fake: GetLogEvents without startFromHead=true")
		}
		evs, ok := g[req.LogStreamName]
		if !ok {
			writeErr(w, 400, "ResourceNotFoundException", "The specified log stream does not exist.")
			return
		}
		type oe struct {
			Timestamp     int64  `json:"timestamp"`
			Message       string `json:"message"`
			IngestionTime int64  `json:"ingestionTime"`
		}
		resp := struct {
			Events            []oe   `json:"events"`
			NextForwardToken  string `json:"nextForwardToken"`
			NextBackwardToken string `json:"nextBackwardToken"`
		}{Events: []oe{}}
		if req.NextToken == "" && f.emptyHead {
			resp.NextForwardToken, resp.NextBackwardToken = "f/0", "b/0"
			writeJSON(w, resp)
			return
		}
		pos := 0
		if req.NextToken != "" {
			pos = f.parseToken("f/", req.NextToken)
		}
		visible := 0 // readable prefix
		now := f.clock.Now()
		for visible < len(evs) && !evs[visible].visibleAt.After(now) {
			visible++
		}
		end := max(pos, min(pos+f.eventPage, visible))
		for _, e := range evs[pos:end] {
			resp.Events = append(resp.Events, oe{e.ts, e.msg, e.visibleAt.UnixMilli()})
		}
		f.served += end - pos
		resp.NextForwardToken = "f/" + strconv.Itoa(end) // repeats at the end, like the service
		resp.NextBackwardToken = "b/" + strconv.Itoa(pos)
		writeJSON(w, resp)
	default:
		f.t.Errorf("fake: unexpected operation %s", op)
		writeErr(w, 400, "UnknownOperationException", op)
	}
}

func (f *fakeLogs) parseToken(prefix, tok string) int {
	s, ok := strings.CutPrefix(tok, prefix)
	n, err := strconv.Atoi(s)
	if !ok || err != nil {
		f.t.Errorf("fake: bad token %q", tok)
	}
	return n
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
}

// ---------------------------------------------------------------------------
// Helpers

const group = TrainingJobsGroup

// source is a Source, as the job resources of package resources are.
type source struct{ group, prefix string }

func (s source) LogGroup() string        { return s.group }
func (s source) LogStreamPrefix() string { return s.prefix }

// trainingJob is the Source of the training job name.
func trainingJob(name string) source { return source{TrainingJobsGroup, name + "/"} }

// pointerJob is a Source with pointer methods that use the receiver, like
// the generated resource types: a nil *pointerJob would panic.
type pointerJob struct{ group, name string }

func (j *pointerJob) LogGroup() string        { return j.group }
func (j *pointerJob) LogStreamPrefix() string { return j.name + "/" }

func ms(d time.Duration) int64 { return t0.Add(d).UnixMilli() }

// ev is an event stamped t0+at (ms), readable at once.
func ev(at int, msg string) fakeEvent {
	return fakeEvent{ts: ms(time.Duration(at) * time.Millisecond), msg: msg, visibleAt: t0}
}

// evLag is like ev but readable only from t0+lag.
func evLag(at int, msg string, lag time.Duration) fakeEvent {
	e := ev(at, msg)
	e.visibleAt = t0.Add(lag)
	return e
}

type collector struct{ lines []Line }

func (c *collector) deliver(l Line) { c.lines = append(c.lines, l) }

func (c *collector) messages() []string {
	var out []string
	for _, l := range c.lines {
		out = append(out, l.Message)
	}
	return out
}

func (c *collector) take() []string {
	m := c.messages()
	c.lines = nil
	return m
}

func wantMessages(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

func mustPoll(t *testing.T, tl *Tailer) {
	t.Helper()
	if err := tl.Poll(context.Background()); err != nil {
		t.Fatalf("Poll: %v", err)
	}
}

// ---------------------------------------------------------------------------
// Tests

func TestPollInterleavesInstances(t *testing.T) {
	f, client := newFake(t, newClock())
	f.add(group, "job/algo-1-1700000000",
		ev(0, "a0"), ev(20, "a20"), ev(20, "a20b"), ev(40, "a40"))
	f.add(group, "job/algo-2-1700000000",
		ev(10, "b10"), ev(20, "b20"), ev(30, "b30"))
	f.add(group, "job-2/algo-1-1700000000", ev(5, "other job"))
	f.add(group, "jo/algo-1-1700000000", ev(5, "other job"))

	var c collector
	tl := Follow(client, trainingJob("job"), c.deliver)
	mustPoll(t, tl)
	wantMessages(t, "first poll", c.messages(), []string{"a0", "b10", "a20", "a20b", "b20", "b30", "a40"})
	if len(c.lines) > 1 {
		l := c.lines[1]
		if l.Stream != "job/algo-2-1700000000" || !l.Time.Equal(t0.Add(10*time.Millisecond)) || l.Time.Location() != time.UTC {
			t.Errorf("line 1 = %+v", l)
		}
	}
	c.take()
	mustPoll(t, tl)
	wantMessages(t, "second poll", c.take(), nil)

	f.add(group, "job/algo-2-1700000000", ev(50, "b50"))
	f.add(group, "job/algo-1-1700000000", ev(45, "a45"), ev(50, "a50"))
	mustPoll(t, tl)
	wantMessages(t, "third poll", c.take(), []string{"a45", "a50", "b50"})
}

func TestFollowUsesTheSourcesGroupAndPrefix(t *testing.T) {
	f, client := newFake(t, newClock())
	for _, g := range []string{TrainingJobsGroup, ProcessingJobsGroup, TransformJobsGroup} {
		f.add(g, "job/host-1", ev(0, g))
		f.add(g, "jobx/host-1", ev(0, "wrong prefix"))
	}
	for _, g := range []string{TrainingJobsGroup, ProcessingJobsGroup, TransformJobsGroup} {
		f.describes = nil
		var c collector
		mustPoll(t, Follow(client, &pointerJob{group: g, name: "job"}, c.deliver))
		wantMessages(t, g, c.messages(), []string{g})
		want := []fakeRequest{{LogGroupName: g, LogStreamNamePrefix: "job/"}}
		if !slices.Equal(f.describes, want) {
			t.Errorf("%s: DescribeLogStreams requests %+v, want %+v", g, f.describes, want)
		}
	}
}

func TestFollowRejectsBadSources(t *testing.T) {
	f, client := newFake(t, newClock())
	f.add(group, "job/algo-1-1", ev(0, "x"))
	var nilJob *pointerJob
	deliver := func(Line) { t.Error("a line was delivered") }
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		tl   *Tailer
		want string
	}{
		{"empty group", Follow(client, source{"", "job/"}, deliver), "logtail: tailer not configured: logtail.source has no log group"},
		{"empty prefix", Follow(client, source{group, ""}, deliver), "logtail: tailer not configured: logtail.source has an empty log stream prefix (it would follow every job in " + group + ")"},
		{"empty both", Follow(client, source{}, deliver), "logtail: tailer not configured: logtail.source has no log group"},
		{"nil job", Follow(client, nil, deliver), "logtail: tailer not configured: nil job"},
		{"nil pointer job", Follow(client, nilJob, deliver), "logtail: tailer not configured: nil job"},
		{"nil client", Follow(nil, trainingJob("job"), deliver), "logtail: tailer not configured: nil client"},
		{"nil deliver", Follow(client, trainingJob("job"), nil), "logtail: tailer not configured: nil deliver function"},
		{"New with empty group", New(client, "", "job/", deliver), "logtail: tailer not configured: empty log group"},
	} {
		for op, run := range map[string]func(context.Context) error{"Poll": tc.tl.Poll, "Drain": tc.tl.Drain} {
			err := run(ctx)
			if !errors.Is(err, ErrNotConfigured) || err.Error() != tc.want {
				t.Errorf("%s: %s = %v, want %q", tc.name, op, err, tc.want)
			}
		}
	}
	if n := f.count("DescribeLogStreams") + f.count("GetLogEvents"); n != 0 {
		t.Errorf("%d calls made by unconfigured tailers", n)
	}
}

func TestPollPicksUpLateStream(t *testing.T) {
	f, client := newFake(t, newClock())
	f.add(group, "job/algo-1-1", ev(100, "a100"), ev(200, "a200"))
	var c collector
	tl := Follow(client, trainingJob("job"), c.deliver)
	mustPoll(t, tl)
	wantMessages(t, "before", c.take(), []string{"a100", "a200"})

	// The second instance starts late; its first lines are older than
	// lines already delivered, and must still be read from its head.
	f.add(group, "job/algo-2-1", ev(150, "b150"), ev(250, "b250"))
	f.add(group, "job/algo-1-1", ev(300, "a300"))
	mustPoll(t, tl)
	wantMessages(t, "after", c.take(), []string{"b150", "b250", "a300"})
	mustPoll(t, tl)
	wantMessages(t, "again", c.take(), nil)
}

func TestPollPagingAndBoundedMemory(t *testing.T) {
	f, client := newFake(t, newClock())
	f.streamPage, f.eventPage, f.emptyHead = 2, 3, true
	const nStreams, nEvents = 5, 7
	type key struct {
		ts     int64
		stream string
		i      int
	}
	var all []key
	for s := range nStreams {
		name := fmt.Sprintf("job/algo-%d-1", s+1)
		for i := range nEvents {
			e := ev(i*10+(s*7)%10, fmt.Sprintf("%d/%d", s+1, i))
			f.add(group, name, e)
			all = append(all, key{e.ts, name, i})
		}
	}
	f.add(group, "zzz/not-ours", ev(0, "x"))
	slices.SortFunc(all, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.ts, b.ts), strings.Compare(a.stream, b.stream), cmp.Compare(a.i, b.i))
	})
	var want []string
	for _, k := range all {
		want = append(want, fmt.Sprintf("%s/%d", strings.TrimSuffix(strings.TrimPrefix(k.stream, "job/algo-"), "-1"), k.i))
	}

	var c collector
	maxBuffered := 0
	tl := Follow(client, trainingJob("job"), func(l Line) {
		c.deliver(l)
		maxBuffered = max(maxBuffered, f.servedEvents()-len(c.lines)+1)
	})
	mustPoll(t, tl)
	wantMessages(t, "merged", c.take(), want)
	// 3 pages of streams; per stream: empty head page, 3 pages of events,
	// and the read whose token repeats.
	if d, g := f.count("DescribeLogStreams"), f.count("GetLogEvents"); d != 3 || g != nStreams*5 {
		t.Errorf("first poll: %d DescribeLogStreams, %d GetLogEvents; want 3, %d", d, g, nStreams*5)
	}
	if maxBuffered > nStreams*f.eventPage {
		t.Errorf("up to %d events read but not delivered, want at most one page per stream (%d)", maxBuffered, nStreams*f.eventPage)
	}

	mustPoll(t, tl)
	wantMessages(t, "idle poll", c.take(), nil)
	if d, g := f.count("DescribeLogStreams"), f.count("GetLogEvents"); d != 6 || g != nStreams*6 {
		t.Errorf("after idle poll: %d DescribeLogStreams, %d GetLogEvents; want 6, %d (one read per stream)", d, g, nStreams*6)
	}
}

func TestPollLogGroupMissingThenAppearing(t *testing.T) {
	f, client := newFake(t, newClock())
	var c collector
	tl := Follow(client, source{ProcessingJobsGroup, "job/"}, c.deliver)
	for range 2 {
		if err := tl.Poll(context.Background()); err != nil {
			t.Fatalf("Poll without log group: %v, want nil", err)
		}
	}
	if g := f.count("GetLogEvents"); len(c.lines) != 0 || g != 0 {
		t.Fatalf("without log group: %d lines, %d GetLogEvents", len(c.lines), g)
	}
	f.addGroup(ProcessingJobsGroup) // group first, streams later
	mustPoll(t, tl)
	f.add(ProcessingJobsGroup, "job/algo-1-1", ev(0, "hello"))
	mustPoll(t, tl)
	wantMessages(t, "after group appeared", c.take(), []string{"hello"})
}

func TestDrainWaitsForIngestionLag(t *testing.T) {
	clk := newClock()
	f, client := newFake(t, clk)
	f.add(group, "job/algo-1-1",
		ev(0, "visible"),
		evLag(1, "lag 3s", 3*time.Second),
		evLag(2, "lag 11s", 11*time.Second),
		evLag(3, "lag 40s", 40*time.Second), // past the budget
	)
	f.add(group, "job/algo-2-1", evLag(1, "other lag 1s", time.Second))
	var c collector
	tl := Follow(client, trainingJob("job"), c.deliver, WithClock(clk))
	mustPoll(t, tl)
	wantMessages(t, "poll", c.take(), []string{"visible"})

	// The job ends now. Polls at 0, 2.5, 5 (new line), 7.5, 10, 12.5 (new
	// line), 15, ... 22.5: ten quiet seconds after the last new line.
	if err := tl.Drain(context.Background()); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	wantMessages(t, "drain", c.take(), []string{"other lag 1s", "lag 3s", "lag 11s"})
	if got := clk.Elapsed(); got != 22500*time.Millisecond {
		t.Errorf("drain took %v, want 22.5s", got)
	}
	for _, w := range clk.waits {
		if w > 2500*time.Millisecond {
			t.Errorf("drain waited %v between polls, want at most a quarter of the quiet period", w)
		}
	}
}

func TestDrainBudgetAndQuiet(t *testing.T) {
	t.Run("budget bounds a drain that keeps getting lines", func(t *testing.T) {
		clk := newClock()
		f, client := newFake(t, clk)
		for i := range 100 { // a line becomes readable every second
			f.add(group, "job/algo-1-1", evLag(i, fmt.Sprint(i), time.Duration(i)*time.Second))
		}
		var c collector
		tl := Follow(client, trainingJob("job"), c.deliver, WithClock(clk),
			WithDrainQuiet(4*time.Second), WithDrainBudget(20*time.Second))
		if err := tl.Drain(context.Background()); err != nil {
			t.Fatalf("Drain: %v", err)
		}
		if got := clk.Elapsed(); got != 20*time.Second {
			t.Errorf("drain took %v, want the 20s budget", got)
		}
		if len(c.lines) != 21 { // lines 0..20
			t.Errorf("drain delivered %d lines, want 21", len(c.lines))
		}
		mustPoll(t, tl) // the rest is read later, once
		clk.Advance(time.Hour)
		mustPoll(t, tl)
		if len(c.lines) != 100 {
			t.Errorf("%d lines in all, want 100", len(c.lines))
		}
	})
	t.Run("zero quiet polls once", func(t *testing.T) {
		clk := newClock()
		f, client := newFake(t, clk)
		f.add(group, "job/algo-1-1", ev(0, "x"), evLag(1, "late", time.Second))
		var c collector
		tl := Follow(client, trainingJob("job"), c.deliver, WithClock(clk), WithDrainQuiet(0))
		if err := tl.Drain(context.Background()); err != nil {
			t.Fatalf("Drain: %v", err)
		}
		wantMessages(t, "drain", c.messages(), []string{"x"})
		if clk.Elapsed() != 0 || f.count("DescribeLogStreams") != 1 {
			t.Errorf("drain took %v and %d polls, want 0 and 1", clk.Elapsed(), f.count("DescribeLogStreams"))
		}
	})
	t.Run("errors do not stop the drain", func(t *testing.T) {
		clk := newClock()
		f, client := newFake(t, clk)
		f.add(group, "job/algo-1-1", ev(0, "x"), evLag(1, "late", 5*time.Second))
		f.failNext("GetLogEvents", 400, "InvalidParameterException", 1)
		var c collector
		tl := Follow(client, trainingJob("job"), c.deliver, WithClock(clk))
		if err := tl.Drain(context.Background()); err != nil {
			t.Fatalf("Drain: %v (the last poll succeeded)", err)
		}
		wantMessages(t, "drain", c.messages(), []string{"x", "late"})
	})
	t.Run("error of the last poll is returned", func(t *testing.T) {
		clk := newClock()
		f, client := newFake(t, clk)
		f.add(group, "job/algo-1-1", ev(0, "x"))
		f.failNext("DescribeLogStreams", 400, "AccessDeniedException", 1000)
		var c collector
		tl := Follow(client, trainingJob("job"), c.deliver, WithClock(clk))
		err := tl.Drain(context.Background())
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" {
			t.Fatalf("Drain = %v, want the AccessDeniedException", err)
		}
		if clk.Elapsed() != DefaultDrainQuiet {
			t.Errorf("drain took %v, want %v", clk.Elapsed(), DefaultDrainQuiet)
		}
	})
}

func TestNoDuplicatesOverManyPolls(t *testing.T) {
	clk := newClock()
	f, client := newFake(t, clk)
	f.streamPage, f.eventPage = 1, 2
	rng := rand.New(rand.NewPCG(1, 2))
	streams := []string{"job/algo-1-1", "job/algo-2-1", "job/algo-3-1"}
	type pos struct {
		stream string
		i      int
	}
	written := map[string]int{} // per stream
	lastTS := map[string]int64{}
	delivered := map[string]pos{}
	nextIdx := map[string]int{} // per stream: index of the next expected line
	var pollLines []Line
	tl := Follow(client, trainingJob("job"), func(l Line) {
		if p, dup := delivered[l.Message]; dup {
			t.Errorf("line %q delivered twice (first as %v)", l.Message, p)
		}
		i, _ := strconv.Atoi(l.Message[strings.LastIndex(l.Message, "#")+1:])
		if i != nextIdx[l.Stream] {
			t.Errorf("stream %s: got line %d, want %d", l.Stream, i, nextIdx[l.Stream])
		}
		nextIdx[l.Stream] = i + 1
		delivered[l.Message] = pos{l.Stream, i}
		pollLines = append(pollLines, l)
	}, WithClock(clk))

	failures := 0
	for round := range 80 {
		active := streams[:2]
		if round >= 10 {
			active = streams // the third instance starts late
		}
		for range rng.IntN(6) {
			s := active[rng.IntN(len(active))]
			ts := max(lastTS[s], clk.Now().UnixMilli()-int64(rng.IntN(3000)))
			lastTS[s] = ts
			f.add(group, s, fakeEvent{
				ts: ts, msg: fmt.Sprintf("%s#%d", s, written[s]),
				visibleAt: clk.Now().Add(time.Duration(rng.IntN(5000)) * time.Millisecond),
			})
			written[s]++
		}
		if rng.IntN(7) == 0 {
			f.failNext([]string{"GetLogEvents", "DescribeLogStreams"}[rng.IntN(2)], 400, "InvalidParameterException", 1)
		}
		pollLines = nil
		if err := tl.Poll(context.Background()); err != nil {
			failures++
		}
		// Each stream's lines are in time order, so each poll's are too
		// (also a failed poll's: it merges what it read).
		if !slices.IsSortedFunc(pollLines, func(a, b Line) int { return a.Time.Compare(b.Time) }) {
			t.Errorf("round %d: lines out of time order within a poll", round)
		}
		clk.Advance(time.Second)
	}
	if err := tl.Drain(context.Background()); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	total := 0
	for _, s := range streams {
		total += written[s]
		if nextIdx[s] != written[s] {
			t.Errorf("stream %s: %d lines delivered, %d written", s, nextIdx[s], written[s])
		}
	}
	if len(delivered) != total || total < 100 || failures == 0 {
		t.Errorf("%d lines delivered, %d written, %d failed polls", len(delivered), total, failures)
	}
}

func TestPollMergesWithinEachPoll(t *testing.T) {
	clk := newClock()
	f, client := newFake(t, clk)
	f.eventPage = 1
	rng := rand.New(rand.NewPCG(3, 4))
	for s := range 4 {
		ts := 0
		for i := range 30 {
			ts += rng.IntN(50)
			f.add(group, fmt.Sprintf("job/algo-%d-1", s), ev(ts, fmt.Sprint(s, i)))
		}
	}
	var c collector
	mustPoll(t, Follow(client, trainingJob("job"), c.deliver))
	if len(c.lines) != 120 {
		t.Fatalf("%d lines, want 120", len(c.lines))
	}
	less := func(a, b Line) int { return cmp.Or(a.Time.Compare(b.Time), strings.Compare(a.Stream, b.Stream)) }
	if !slices.IsSortedFunc(c.lines, less) {
		t.Errorf("lines not merged by time, then stream")
	}
}

func TestPollErrorsResume(t *testing.T) {
	f, client := newFake(t, newClock())
	f.eventPage = 2
	f.add(group, "job/algo-1-1", ev(0, "a0"), ev(10, "a1"), ev(20, "a2"), ev(30, "a3"), ev(40, "a4"))
	f.add(group, "job/algo-2-1", ev(5, "b0"), ev(15, "b1"), ev(25, "b2"))
	var c collector
	armed := true
	tl := Follow(client, trainingJob("job"), func(l Line) {
		c.deliver(l)
		if armed { // the next read fails, and is not retried
			armed = false
			f.failNext("GetLogEvents", 400, "InvalidParameterException", 1)
		}
	})
	err := tl.Poll(context.Background())
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterException" {
		t.Fatalf("Poll = %v, want the injected error", err)
	}
	first := c.take()
	// Lines already read (a page per stream) are delivered, not dropped.
	wantMessages(t, "failed poll", first, []string{"a0", "b0", "a1", "b1"})
	mustPoll(t, tl)
	wantMessages(t, "next poll", c.take(), []string{"a2", "b2", "a3", "a4"})

	// Transient errors are retried by the client.
	f.add(group, "job/algo-1-1", ev(50, "a5"))
	f.failNext("GetLogEvents", 503, "ServiceUnavailableException", 1)
	mustPoll(t, tl)
	wantMessages(t, "after retry", c.take(), []string{"a5"})

	// A failed stream lookup reads nothing and loses nothing.
	f.add(group, "job/algo-1-1", ev(60, "a6"))
	f.failNext("DescribeLogStreams", 400, "AccessDeniedException", 1)
	if err := tl.Poll(context.Background()); err == nil {
		t.Fatal("Poll with failing DescribeLogStreams = nil")
	}
	wantMessages(t, "failed lookup", c.take(), nil)
	mustPoll(t, tl)
	wantMessages(t, "after lookup", c.take(), []string{"a6"})
}

func TestContextCancellation(t *testing.T) {
	t.Run("before Poll", func(t *testing.T) {
		f, client := newFake(t, newClock())
		f.add(group, "job/algo-1-1", ev(0, "x"))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var c collector
		tl := Follow(client, trainingJob("job"), c.deliver)
		if err := tl.Poll(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Poll = %v, want context.Canceled", err)
		}
		if err := tl.Drain(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Drain = %v, want context.Canceled", err)
		}
		if n := f.count("DescribeLogStreams") + f.count("GetLogEvents"); n != 0 || len(c.lines) != 0 {
			t.Errorf("%d calls, %d lines after cancel", n, len(c.lines))
		}
	})
	t.Run("during Poll", func(t *testing.T) {
		f, client := newFake(t, newClock())
		f.eventPage = 1
		for i := range 6 {
			f.add(group, "job/algo-1-1", ev(i*10, fmt.Sprint("a", i)))
			f.add(group, "job/algo-2-1", ev(i*10+5, fmt.Sprint("b", i)))
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var c collector
		tl := Follow(client, trainingJob("job"), func(l Line) {
			c.deliver(l)
			if len(c.lines) == 3 {
				cancel()
			}
		})
		if err := tl.Poll(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Poll = %v, want context.Canceled", err)
		}
		got := c.take()
		// What was read before the cancel is delivered: a page per stream.
		wantMessages(t, "cancelled poll", got, []string{"a0", "b0", "a1", "b1"})
		mustPoll(t, tl)
		got = append(got, c.take()...)
		wantMessages(t, "all", got, []string{"a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4", "a5", "b5"})
	})
	t.Run("during Drain wait", func(t *testing.T) {
		_, client := newFake(t, newClock())
		clk := &blockingClock{waiting: make(chan struct{})}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() { <-clk.waiting; cancel() }()
		var c collector
		tl := Follow(client, trainingJob("job"), c.deliver, WithClock(clk))
		if err := tl.Drain(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Drain = %v, want context.Canceled", err)
		}
	})
}

// blockingClock's timers never fire; After reports that Drain is waiting.
type blockingClock struct {
	once    sync.Once
	waiting chan struct{}
}

func (c *blockingClock) Now() time.Time { return t0 }
func (c *blockingClock) After(time.Duration) <-chan time.Time {
	c.once.Do(func() { close(c.waiting) })
	return nil
}

func TestNilClientOrDeliverIsAnError(t *testing.T) {
	_, client := newFake(t, newClock())
	ctx := context.Background()
	for name, tl := range map[string]*Tailer{
		"client":  New(nil, group, "", func(Line) {}),
		"deliver": New(client, group, "", nil),
	} {
		if err := tl.Poll(ctx); !errors.Is(err, ErrNotConfigured) {
			t.Errorf("nil %s: Poll = %v", name, err)
		}
		if err := tl.Drain(ctx); !errors.Is(err, ErrNotConfigured) {
			t.Errorf("nil %s: Drain = %v", name, err)
		}
	}
}
