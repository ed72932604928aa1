// Package logs is the local endpoint's CloudWatch Logs: the part of the
// service job logs need.
package logs

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smcore-go/smcore/emulator/internal/faults"
	"github.com/smcore-go/smcore/emulator/internal/region"
	"github.com/smcore-go/smcore/emulator/wire"
)

// CloudWatch Logs: the part of the service that job logs need, over AWS
// JSON 1.1 (X-Amz-Target Logs_20140328.<Op>): CreateLogGroup,
// CreateLogStream, PutLogEvents, DescribeLogGroups, DescribeLogStreams,
// GetLogEvents and FilterLogEvents, with the service's error codes
// (ResourceNotFoundException, ResourceAlreadyExistsException,
// InvalidParameterException).
//
// Log groups are per region, as in the service: a request reaches the
// groups of the region it is signed for (or, for an ARN in
// logGroupIdentifier, of the ARN's region); Append writes into the
// region it is given (a job's own).
//
// Differences from the service: a stream keeps its events in the order they
// were put (the service orders them by timestamp; the two agree when each
// batch is later than the one before, as a job's output is); PutLogEvents
// takes events of any age; filter patterns are plain terms only (see
// matchFilter); there is no retention, no KMS, no tags, no metric filter.

// Config is what the service is made with.
type Config struct {
	region.ARNs
	Now    func() time.Time
	Faults *faults.Set  // nil: none
	Logger *slog.Logger // nil: none
	// Delay makes events readable only Delay after they were put (the
	// service's ingestion lag).
	Delay time.Duration
	// Dir is the data directory the journal is kept in ("": memory only);
	// DirErr, when set, says why it cannot be used.
	Dir    string
	DirErr error
}

// Service is CloudWatch Logs.
type Service struct {
	Config
	logs logStore
}

// New returns the service, its journal loaded from cfg.Dir.
func New(cfg Config) *Service {
	s := &Service{Config: cfg}
	s.logs.delay = cfg.Delay
	s.logs.groups = map[groupKey]*logGroup{}
	switch {
	case cfg.DirErr != nil:
		s.logs.err = cfg.DirErr
	case cfg.Dir != "":
		if err := s.logs.load(cfg.Dir, cfg.Default); err != nil {
			s.logs.journal = nil // never overwrite what could not be read
			s.logs.err = fmt.Errorf("%s: %w", filepath.Join(cfg.Dir, logJournalFile), err)
			if s.Logger != nil {
				s.Logger.Error("local endpoint: loading the log journal failed", "err", s.logs.err)
			}
		}
	}
	return s
}

// Err is why the journal could not be loaded, or nil.
func (s *Service) Err() error {
	s.logs.mu.Lock()
	defer s.logs.mu.Unlock()
	return s.logs.err
}

// Sync makes every event in memory durable (a no-op without a data
// directory): SageMaker's state is written only after the lines its jobs
// logged.
func (s *Service) Sync() error {
	s.logs.mu.Lock()
	defer s.logs.mu.Unlock()
	return s.logs.durable()
}

// logStore is the CloudWatch Logs state of the service.
type logStore struct {
	mu     sync.Mutex
	delay  time.Duration
	groups map[groupKey]*logGroup
	seq    uint64 // event IDs

	journal *logJournal // WithDataDir; nil keeps logs in memory only
	err     error       // the journal could not be loaded
}

// groupKey names a log group: its region, then its name. The account is
// always the server's.
type groupKey struct{ region, name string }

type logGroup struct {
	region  string
	name    string
	created time.Time
	streams map[string]*logStream
}

type logStream struct {
	name    string
	created time.Time
	events  []logEvent // in the order they were put
}

type logEvent struct {
	ts       int64     // the event's timestamp, ms since the epoch
	ingested time.Time // when it was put; never earlier than the event before
	id       uint64
	msg      string
}

const (
	maxLogEventsPage = 10000   // GetLogEvents and FilterLogEvents limit
	maxLogPageBytes  = 1 << 20 // the service's 1 MB page
	logEventOverhead = 26      // bytes the service counts per event
	maxDescribePage  = 50      // DescribeLogGroups and DescribeLogStreams limit
	maxPutBatchSpan  = 24 * time.Hour
)

var logGroupNameRE = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]{1,512}$`)

// readable is how many of st's events a reader sees at now: the ones put at
// least delay ago. Put times never go backwards, so they are a prefix.
func (l *logStore) readable(st *logStream, now time.Time) []logEvent {
	n := sort.Search(len(st.events), func(i int) bool { return st.events[i].ingested.Add(l.delay).After(now) })
	return st.events[:n]
}

// add appends an event to st, in group g.
func (l *logStore) add(g *logGroup, st *logStream, now time.Time, ts int64, msg string) {
	if k := len(st.events); k > 0 && now.Before(st.events[k-1].ingested) {
		now = st.events[k-1].ingested
	}
	n, seq := len(st.events), l.seq
	l.onUndo(func() { st.events, l.seq = st.events[:n], seq })
	l.seq++
	e := logEvent{ts: ts, ingested: now, id: l.seq, msg: msg}
	st.events = append(st.events, e)
	l.journal.append(eventRec(g, st.name, e))
}

// newGroup creates a log group in region.
func (l *logStore) newGroup(region, name string, now time.Time) *logGroup {
	k := groupKey{region, name}
	g := &logGroup{region: region, name: name, created: now, streams: map[string]*logStream{}}
	l.groups[k] = g
	l.onUndo(func() { delete(l.groups, k) })
	l.journal.append(logRec{Kind: "group", Region: region, Group: name, Created: now.UnixNano()})
	return g
}

// newStream creates a log stream in g.
func (l *logStore) newStream(g *logGroup, name string, now time.Time) *logStream {
	st := &logStream{name: name, created: now}
	g.streams[name] = st
	l.onUndo(func() { delete(g.streams, name) })
	l.journal.append(logRec{Kind: "stream", Region: g.region, Group: g.name, Stream: name, Created: now.UnixNano()})
	return st
}

func (l *logStore) group(k groupKey) (*logGroup, error) {
	g := l.groups[k]
	if g == nil {
		return nil, wire.Errorf("ResourceNotFoundException", "The specified log group does not exist.")
	}
	return g, nil
}

func (l *logStore) stream(g *logGroup, name string) (*logStream, error) {
	st := g.streams[name]
	if st == nil {
		return nil, wire.Errorf("ResourceNotFoundException", "The specified log stream does not exist.")
	}
	return st, nil
}

// Append adds a line to a log stream of region ("": the default
// region), creating the group and the stream if need be, as a job's log
// driver does. t is the event's timestamp; the event becomes readable at
// once, or after the Delay.
func (s *Service) Append(region, group, stream string, t time.Time, message string) {
	if region == "" {
		region = s.Default
	}
	l := &s.logs
	now := s.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.groups == nil {
		l.groups = map[groupKey]*logGroup{}
	}
	g := l.groups[groupKey{region, group}]
	if g == nil {
		g = l.newGroup(region, group, now)
	}
	st := g.streams[stream]
	if st == nil {
		st = l.newStream(g, stream, now)
	}
	l.add(g, st, now, t.UnixMilli(), message)
}

// Serve answers CloudWatch Logs' AWS JSON 1.1 protocol; body is the
// request's verified body.
func (s *Service) Serve(w http.ResponseWriter, r *http.Request, body []byte) {
	req, werr := wire.Decode(r.Method, r.Header.Get("X-Amz-Target"), bytes.NewReader(body))
	if werr != nil {
		wire.WriteError(w, werr)
		return
	}
	op := logOps[req.Operation]
	if req.Prefix != "Logs_20140328" || op == nil {
		wire.WriteError(w, wire.Errorf("UnknownOperationException", "the local endpoint does not serve %s.%s", req.Prefix, req.Operation))
		return
	}
	if s.Logger != nil {
		s.Logger.Debug("logs request", "op", req.Operation)
	}
	if ferr := s.Faults.Before(r.Context(), "logs", req.Operation); ferr != nil {
		wire.WriteError(w, ferr)
		return
	}
	out, err := op(s, r.Context(), body)
	if err != nil {
		wire.WriteError(w, err)
		return
	}
	if s.Faults.Drop("logs", req.Operation) {
		faults.DropConnection(w)
		return
	}
	wire.WriteJSON(w, out)
}

// logOps are the operations served, each decoding its own input.
// Each takes the request's context: the region whose groups it reaches.
var logOps = map[string]func(*Service, context.Context, []byte) (any, error){
	"CreateLogGroup":     logOp((*Service).createLogGroup),
	"CreateLogStream":    logOp((*Service).createLogStream),
	"PutLogEvents":       logOp((*Service).putLogEvents),
	"DescribeLogGroups":  logOp((*Service).describeLogGroups),
	"DescribeLogStreams": logOp((*Service).describeLogStreams),
	"GetLogEvents":       logOp((*Service).getLogEvents),
	"FilterLogEvents":    logOp((*Service).filterLogEvents),
}

func logOp[In any](f func(*Service, context.Context, *In) (any, error)) func(*Service, context.Context, []byte) (any, error) {
	return func(s *Service, ctx context.Context, body []byte) (out any, err error) {
		in := new(In)
		if len(bytes.TrimSpace(body)) > 0 {
			if err := json.Unmarshal(body, in); err != nil {
				return nil, wire.Errorf("SerializationException", "%v", err)
			}
		}
		s.logs.mu.Lock()
		defer s.logs.mu.Unlock()
		if s.logs.err != nil {
			return nil, &wire.Error{Status: http.StatusInternalServerError, Code: "ServiceUnavailableException",
				Message: "the local endpoint could not load its log journal: " + s.logs.err.Error()}
		}
		if s.logs.groups == nil {
			s.logs.groups = map[groupKey]*logGroup{}
		}
		s.logs.begin()
		defer s.commitLogs(&out, &err)
		return f(s, ctx, in)
	}
}

func invalidParam(format string, args ...any) error {
	return wire.Errorf("InvalidParameterException", format, args...)
}

// groupRef names a log group by logGroupName or logGroupIdentifier (a name
// or an ARN).
type groupRef struct {
	LogGroupName       *string `json:"logGroupName"`
	LogGroupIdentifier *string `json:"logGroupIdentifier"`
}

// groupKey returns the group g names: a name is in the request's region,
// an ARN in its own.
func (s *Service) groupKey(ctx context.Context, g groupRef) (groupKey, error) {
	region := s.RegionFor(ctx)
	switch {
	case g.LogGroupName != nil && g.LogGroupIdentifier != nil:
		return groupKey{}, invalidParam("logGroupName and logGroupIdentifier are mutually exclusive.")
	case g.LogGroupName != nil:
		return groupKey{region, *g.LogGroupName}, nil
	case g.LogGroupIdentifier != nil:
		id := *g.LogGroupIdentifier
		if !strings.HasPrefix(id, "arn:") {
			return groupKey{region, id}, nil
		}
		return s.parseGroupARN(id)
	}
	return groupKey{}, invalidParam("Either logGroupName or logGroupIdentifier is required.")
}

// parseGroupARN reads a log group's ARN,
// arn:<partition>:logs:<region>:<account>:log-group:<name>[:*]. A group
// of another account is not found: there is no cross-account access.
func (s *Service) parseGroupARN(arn string) (groupKey, error) {
	f := strings.SplitN(arn, ":", 7)
	if len(f) != 7 || f[2] != "logs" || f[5] != "log-group" || !region.Valid(f[3]) || f[1] != region.Partition(f[3]) {
		return groupKey{}, invalidParam("1 validation error detected: Value '%s' at 'logGroupIdentifier' failed to satisfy constraint: Member must be a log group name or the ARN of a log group (arn:<partition>:logs:<region>:<account>:log-group:<name>)", arn)
	}
	name := strings.TrimSuffix(f[6], ":*")
	if !logGroupNameRE.MatchString(name) {
		return groupKey{}, invalidParam("1 validation error detected: Value '%s' at 'logGroupIdentifier' failed to satisfy constraint: the log group name must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+", arn)
	}
	if f[4] != s.Account {
		return groupKey{}, wire.Errorf("ResourceNotFoundException", "The specified log group does not exist.")
	}
	return groupKey{f[3], name}, nil
}

func limitOf(p *int, def, most int) (int, error) {
	if p == nil {
		return def, nil
	}
	if *p < 1 || *p > most {
		return 0, invalidParam("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", *p, most)
	}
	return *p, nil
}

// groupARN is the group's ARN, in its region.
func (s *Service) groupARN(g *logGroup) string {
	return s.ARNIn(g.region, "logs", "log-group:"+g.name)
}

func ms(t time.Time) int64 { return t.UnixMilli() }

type createLogGroupIn struct {
	LogGroupName string `json:"logGroupName"`
}

func (s *Service) createLogGroup(ctx context.Context, in *createLogGroupIn) (any, error) {
	if !logGroupNameRE.MatchString(in.LogGroupName) {
		return nil, invalidParam("1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+ and have length between 1 and 512", in.LogGroupName)
	}
	region := s.RegionFor(ctx)
	if s.logs.groups[groupKey{region, in.LogGroupName}] != nil {
		return nil, wire.Errorf("ResourceAlreadyExistsException", "The specified log group already exists")
	}
	s.logs.newGroup(region, in.LogGroupName, s.Now())
	return struct{}{}, nil
}

type createLogStreamIn struct {
	LogGroupName  string `json:"logGroupName"`
	LogStreamName string `json:"logStreamName"`
}

func (s *Service) createLogStream(ctx context.Context, in *createLogStreamIn) (any, error) {
	if n := in.LogStreamName; n == "" || len(n) > 512 || strings.ContainsAny(n, ":*") {
		return nil, invalidParam("1 validation error detected: Value '%s' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]* and have length between 1 and 512", n)
	}
	g, err := s.logs.group(groupKey{s.RegionFor(ctx), in.LogGroupName})
	if err != nil {
		return nil, err
	}
	if g.streams[in.LogStreamName] != nil {
		return nil, wire.Errorf("ResourceAlreadyExistsException", "The specified log stream already exists")
	}
	s.logs.newStream(g, in.LogStreamName, s.Now())
	return struct{}{}, nil
}

type putLogEventsIn struct {
	LogGroupName  string `json:"logGroupName"`
	LogStreamName string `json:"logStreamName"`
	LogEvents     []struct {
		Timestamp *int64  `json:"timestamp"`
		Message   *string `json:"message"`
	} `json:"logEvents"`
	SequenceToken *string `json:"sequenceToken"` // ignored, as by the service today
}

func (s *Service) putLogEvents(ctx context.Context, in *putLogEventsIn) (any, error) {
	if n := len(in.LogEvents); n < 1 || n > maxLogEventsPage {
		return nil, invalidParam("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length between 1 and %d", maxLogEventsPage)
	}
	for i, e := range in.LogEvents {
		if e.Timestamp == nil || e.Message == nil || *e.Message == "" {
			return nil, invalidParam("Log event %d needs a timestamp and a non-empty message.", i)
		}
		if i > 0 && *e.Timestamp < *in.LogEvents[i-1].Timestamp {
			return nil, invalidParam("Log events in a single PutLogEvents request must be in chronological order.")
		}
	}
	if first, last := *in.LogEvents[0].Timestamp, *in.LogEvents[len(in.LogEvents)-1].Timestamp; last-first > maxPutBatchSpan.Milliseconds() {
		return nil, invalidParam("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	g, err := s.logs.group(groupKey{s.RegionFor(ctx), in.LogGroupName})
	if err != nil {
		return nil, err
	}
	st, err := s.logs.stream(g, in.LogStreamName)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	for _, e := range in.LogEvents {
		s.logs.add(g, st, now, *e.Timestamp, *e.Message)
	}
	return map[string]any{"nextSequenceToken": fmt.Sprintf("%056d", s.logs.seq)}, nil
}

// pageAfter returns the items (sorted by key, ascending) that come after
// the page token tok in the given direction, at most limit of them, and the
// token of the next page ("" at the end). A token is the key of the last
// item of its page, so pages stay right when items come or go between
// calls.
func pageAfter[T any](items []T, key func(T) string, desc bool, tok *string, limit int) ([]T, string, error) {
	if desc {
		items = slices.Clone(items)
		slices.Reverse(items)
	}
	if tok != nil {
		b, err := base64.RawURLEncoding.DecodeString(*tok)
		if err != nil {
			return nil, "", invalidParam("The specified nextToken is invalid.")
		}
		after := string(b)
		i := sort.Search(len(items), func(i int) bool {
			if desc {
				return key(items[i]) < after
			}
			return key(items[i]) > after
		})
		items = items[i:]
	}
	if len(items) <= limit {
		return items, "", nil
	}
	return items[:limit], base64.RawURLEncoding.EncodeToString([]byte(key(items[limit-1]))), nil
}

type describeLogGroupsIn struct {
	LogGroupNamePrefix  *string `json:"logGroupNamePrefix"`
	LogGroupNamePattern *string `json:"logGroupNamePattern"`
	NextToken           *string `json:"nextToken"`
	Limit               *int    `json:"limit"`
}

func (s *Service) describeLogGroups(ctx context.Context, in *describeLogGroupsIn) (any, error) {
	if in.LogGroupNamePrefix != nil && in.LogGroupNamePattern != nil {
		return nil, invalidParam("LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive.")
	}
	limit, err := limitOf(in.Limit, maxDescribePage, maxDescribePage)
	if err != nil {
		return nil, err
	}
	region := s.RegionFor(ctx)
	var groups []*logGroup
	for k, g := range s.logs.groups {
		name := k.name
		if k.region != region {
			continue
		}
		if in.LogGroupNamePrefix != nil && !strings.HasPrefix(name, *in.LogGroupNamePrefix) ||
			in.LogGroupNamePattern != nil && !strings.Contains(strings.ToLower(name), strings.ToLower(*in.LogGroupNamePattern)) {
			continue
		}
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b *logGroup) int { return strings.Compare(a.name, b.name) })
	page, next, err := pageAfter(groups, func(g *logGroup) string { return g.name }, false, in.NextToken, limit)
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for _, g := range page {
		var stored int64
		for _, st := range g.streams {
			stored += storedBytes(st.events)
		}
		out = append(out, map[string]any{
			"logGroupName": g.name, "creationTime": ms(g.created), "metricFilterCount": 0,
			"arn": s.groupARN(g) + ":*", "logGroupArn": s.groupARN(g),
			"storedBytes": stored, "logGroupClass": "STANDARD",
		})
	}
	return withToken(map[string]any{"logGroups": out}, "nextToken", next), nil
}

func storedBytes(evs []logEvent) int64 {
	var n int64
	for _, e := range evs {
		n += int64(len(e.msg))
	}
	return n
}

func withToken(m map[string]any, name, tok string) map[string]any {
	if tok != "" {
		m[name] = tok
	}
	return m
}

type describeLogStreamsIn struct {
	groupRef
	LogStreamNamePrefix *string `json:"logStreamNamePrefix"`
	OrderBy             *string `json:"orderBy"`
	Descending          bool    `json:"descending"`
	NextToken           *string `json:"nextToken"`
	Limit               *int    `json:"limit"`
}

func (s *Service) describeLogStreams(ctx context.Context, in *describeLogStreamsIn) (any, error) {
	key, err := s.groupKey(ctx, in.groupRef)
	if err != nil {
		return nil, err
	}
	byTime := false
	if in.OrderBy != nil {
		switch *in.OrderBy {
		case "LogStreamName":
		case "LastEventTime":
			byTime = true
		default:
			return nil, invalidParam("1 validation error detected: Value '%s' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]", *in.OrderBy)
		}
	}
	if byTime && in.LogStreamNamePrefix != nil {
		return nil, invalidParam("Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	limit, err := limitOf(in.Limit, maxDescribePage, maxDescribePage)
	if err != nil {
		return nil, err
	}
	g, err := s.logs.group(key)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	type row struct {
		st  *logStream
		evs []logEvent // readable
		key string
	}
	var rows []row
	for _, st := range g.streams {
		if in.LogStreamNamePrefix != nil && !strings.HasPrefix(st.name, *in.LogStreamNamePrefix) {
			continue
		}
		r := row{st: st, evs: s.logs.readable(st, now), key: st.name}
		if byTime {
			var last int64
			for _, e := range r.evs {
				last = max(last, e.ts)
			}
			r.key = fmt.Sprintf("%020d\x00%s", max(last, 0), st.name)
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a.key, b.key) })
	page, next, err := pageAfter(rows, func(r row) string { return r.key }, in.Descending, in.NextToken, limit)
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for _, r := range page {
		m := map[string]any{
			"logStreamName": r.st.name, "creationTime": ms(r.st.created),
			"arn":                 s.groupARN(g) + ":log-stream:" + r.st.name,
			"storedBytes":         storedBytes(r.evs),
			"uploadSequenceToken": fmt.Sprintf("%056d", len(r.st.events)),
		}
		if len(r.evs) > 0 {
			first, last := r.evs[0].ts, r.evs[0].ts
			for _, e := range r.evs {
				first, last = min(first, e.ts), max(last, e.ts)
			}
			m["firstEventTimestamp"], m["lastEventTimestamp"] = first, last
			m["lastIngestionTime"] = ms(r.evs[len(r.evs)-1].ingested)
		}
		out = append(out, m)
	}
	return withToken(map[string]any{"logStreams": out}, "nextToken", next), nil
}

type getLogEventsIn struct {
	groupRef
	LogStreamName string  `json:"logStreamName"`
	StartTime     *int64  `json:"startTime"`
	EndTime       *int64  `json:"endTime"`
	NextToken     *string `json:"nextToken"`
	Limit         *int    `json:"limit"`
	StartFromHead *bool   `json:"startFromHead"`
}

// GetLogEvents tokens are positions in a stream: "f/<n>" reads forward
// from event n, "b/<n>" backward from just before it. At the end of the
// stream the next forward token is the one passed in, as the service does.
func parseLogToken(tok string, n int) (forward bool, pos int, err error) {
	dir, num, ok := strings.Cut(tok, "/")
	p, perr := strconv.Atoi(num)
	if !ok || (dir != "f" && dir != "b") || perr != nil || p < 0 || p > n {
		return false, 0, invalidParam("The specified nextToken is invalid.")
	}
	return dir == "f", p, nil
}

func logToken(dir string, pos int) string { return fmt.Sprintf("%s/%020d", dir, pos) }

func (s *Service) getLogEvents(ctx context.Context, in *getLogEventsIn) (any, error) {
	key, err := s.groupKey(ctx, in.groupRef)
	if err != nil {
		return nil, err
	}
	limit, err := limitOf(in.Limit, maxLogEventsPage, maxLogEventsPage)
	if err != nil {
		return nil, err
	}
	g, err := s.logs.group(key)
	if err != nil {
		return nil, err
	}
	st, err := s.logs.stream(g, in.LogStreamName)
	if err != nil {
		return nil, err
	}
	evs := s.logs.readable(st, s.Now())
	match := func(e logEvent) bool {
		return (in.StartTime == nil || e.ts >= *in.StartTime) && (in.EndTime == nil || e.ts < *in.EndTime)
	}
	forward, pos := in.StartFromHead != nil && *in.StartFromHead, len(evs)
	if forward {
		pos = 0
	}
	if in.NextToken != nil {
		if forward, pos, err = parseLogToken(*in.NextToken, len(evs)); err != nil {
			return nil, err
		}
	}
	var page []logEvent
	size := 0
	fits := func(e logEvent) bool {
		size += len(e.msg) + logEventOverhead
		return len(page) < limit && (len(page) == 0 || size <= maxLogPageBytes)
	}
	var fwd, back string
	if forward {
		i := pos
		for ; i < len(evs); i++ {
			if match(evs[i]) {
				if !fits(evs[i]) {
					break
				}
				page = append(page, evs[i])
			}
		}
		fwd, back = logToken("f", i), logToken("b", pos)
	} else {
		i := pos
		for ; i > 0; i-- {
			if match(evs[i-1]) {
				if !fits(evs[i-1]) {
					break
				}
				page = append(page, evs[i-1])
			}
		}
		slices.Reverse(page)
		fwd, back = logToken("f", pos), logToken("b", i)
	}
	out := make([]map[string]any, 0, len(page))
	for _, e := range page {
		out = append(out, map[string]any{"timestamp": e.ts, "message": e.msg, "ingestionTime": ms(e.ingested)})
	}
	return map[string]any{"events": out, "nextForwardToken": fwd, "nextBackwardToken": back}, nil
}

type filterLogEventsIn struct {
	groupRef
	LogStreamNames      []string `json:"logStreamNames"`
	LogStreamNamePrefix *string  `json:"logStreamNamePrefix"`
	StartTime           *int64   `json:"startTime"`
	EndTime             *int64   `json:"endTime"`
	FilterPattern       *string  `json:"filterPattern"`
	NextToken           *string  `json:"nextToken"`
	Limit               *int     `json:"limit"`
}

// filterCursor orders FilterLogEvents results and is their page token.
type filterCursor struct {
	TS     int64  `json:"t"`
	Stream string `json:"s"`
	Index  int    `json:"i"`
}

func (a filterCursor) compare(b filterCursor) int {
	switch {
	case a.TS != b.TS:
		return cmpInt(a.TS, b.TS)
	case a.Stream != b.Stream:
		return strings.Compare(a.Stream, b.Stream)
	}
	return cmpInt(int64(a.Index), int64(b.Index))
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *Service) filterLogEvents(ctx context.Context, in *filterLogEventsIn) (any, error) {
	key, err := s.groupKey(ctx, in.groupRef)
	if err != nil {
		return nil, err
	}
	if len(in.LogStreamNames) > 0 && in.LogStreamNamePrefix != nil {
		return nil, invalidParam("logStreamNames and logStreamNamePrefix are mutually exclusive.")
	}
	limit, err := limitOf(in.Limit, maxLogEventsPage, maxLogEventsPage)
	if err != nil {
		return nil, err
	}
	terms, err := filterTerms(in.FilterPattern)
	if err != nil {
		return nil, err
	}
	g, err := s.logs.group(key)
	if err != nil {
		return nil, err
	}
	var streams []*logStream
	if len(in.LogStreamNames) > 0 {
		for _, n := range in.LogStreamNames {
			st, err := s.logs.stream(g, n)
			if err != nil {
				return nil, err
			}
			streams = append(streams, st)
		}
	} else {
		for _, st := range g.streams {
			if in.LogStreamNamePrefix == nil || strings.HasPrefix(st.name, *in.LogStreamNamePrefix) {
				streams = append(streams, st)
			}
		}
	}
	var after *filterCursor
	if in.NextToken != nil {
		b, err := base64.RawURLEncoding.DecodeString(*in.NextToken)
		after = new(filterCursor)
		if err != nil || json.Unmarshal(b, after) != nil {
			return nil, invalidParam("The specified nextToken is invalid.")
		}
	}
	type hit struct {
		c filterCursor
		e logEvent
	}
	var hits []hit
	now := s.Now()
	for _, st := range streams {
		for i, e := range s.logs.readable(st, now) {
			c := filterCursor{e.ts, st.name, i}
			if in.StartTime != nil && e.ts < *in.StartTime || in.EndTime != nil && e.ts > *in.EndTime ||
				after != nil && c.compare(*after) <= 0 || !matchFilter(terms, e.msg) {
				continue
			}
			hits = append(hits, hit{c, e})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return a.c.compare(b.c) })
	out := []map[string]any{}
	size := 0
	for _, h := range hits {
		size += len(h.e.msg) + logEventOverhead
		if len(out) == limit || len(out) > 0 && size > maxLogPageBytes {
			break
		}
		out = append(out, map[string]any{
			"logStreamName": h.c.Stream, "timestamp": h.e.ts, "message": h.e.msg,
			"ingestionTime": ms(h.e.ingested), "eventId": fmt.Sprintf("%056d", h.e.id),
		})
	}
	res := map[string]any{"events": out}
	if len(out) < len(hits) {
		b, _ := json.Marshal(hits[len(out)-1].c)
		res["nextToken"] = base64.RawURLEncoding.EncodeToString(b)
	}
	return res, nil
}

// filterTerms parses a filter pattern of the plain-term kind: words, or
// "quoted phrases", that an event must all contain (case-sensitive). That
// is the only kind served: JSON ({…}), space-delimited ([…]) and regular
// expression (%…%) patterns, and ?term / -term, are refused rather than
// matched wrongly.
func filterTerms(p *string) ([]string, error) {
	if p == nil {
		return nil, nil
	}
	pat := strings.TrimSpace(*p)
	if pat != "" && strings.ContainsRune("{[%", rune(pat[0])) {
		return nil, invalidParam("the local endpoint supports only plain-term filter patterns, not %q", pat)
	}
	var terms []string
	for pat != "" {
		if pat[0] == '"' {
			end := strings.IndexByte(pat[1:], '"')
			if end < 0 {
				return nil, invalidParam("Invalid character(s) in term '%s'", pat)
			}
			terms = append(terms, pat[1:end+1])
			pat = strings.TrimSpace(pat[end+2:])
			continue
		}
		term, rest, _ := strings.Cut(pat, " ")
		if term[0] == '?' || term[0] == '-' {
			return nil, invalidParam("the local endpoint supports only plain-term filter patterns, not the term %q", term)
		}
		terms = append(terms, term)
		pat = strings.TrimSpace(rest)
	}
	return terms, nil
}

func matchFilter(terms []string, msg string) bool {
	for _, t := range terms {
		if !strings.Contains(msg, t) {
			return false
		}
	}
	return true
}
