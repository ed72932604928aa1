package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/smcore-go/smcore/emulator/wire"
)

// Durable state (WithDataDir).
//
// Every SageMaker operation runs as a transaction under s.mu: each change
// it makes to the state (records, tags, the lifecycle transitions it
// applies) first records how to undo itself. When the operation has
// changed anything, the whole state is written to the data directory
// (temporary file, fsync, rename, fsync of the directory) before the
// answer is sent; if writing fails the changes are undone and the
// operation answers InternalFailure (HTTP 500), so a 2xx always means
// durable and a 500 means nothing happened.
//
// Restart semantics. Records are stored with their wire-form members,
// identifiers, ARN, times, status, secondary status, failure reason and
// status transitions. Pending lifecycle steps (the plan) are not stored,
// nor is a running executor (executor.go); a record stores only whether it
// had either. When New loads the state:
//   - a job that was running (any status but Stopping on the way to its
//     end) ends Failed, with a FailureReason saying the endpoint restarted
//     while it ran: its progress is lost;
//   - a job being stopped is Stopped one step later, as if the stop went on;
//   - any other resource on its way somewhere (Creating, Updating,
//     Deleting, Stopping, …) starts that step again: it reaches its next
//     status (or is removed) one step time after the restart.
//
// Lifecycle steps are applied lazily, when a request looks at a record; a
// step that fell due but that no request saw before the endpoint stopped
// was never observed by a client, and the record comes back as it was
// last seen, under the rules above.
//
// Changes an executor makes in the background (its job's secondary
// statuses and outcome) happen outside any request: they are written by
// the next request (see changeCounter), before it is answered; a restart
// before any request sees the job as still running, which ends it Failed.

// stateFile is the name of the state in the data directory.
const stateFile = "sagemaker-state.json"

// stateVersion is the format of the state file.
const stateVersion = 1

// WithDataDir keeps the endpoint's resources and tags, S3 buckets and
// objects, and log groups, streams and events in dir (created if missing),
// so that they survive a restart: New loads them, and every change is
// written there before it is answered (persist_s3.go, persist_logs.go for
// the other services). If what is in dir cannot be read, the service it
// belongs to answers 500 saying why rather than starting empty over it.
func WithDataDir(dir string) Option {
	return func(s *Server) { s.store = &store{dir: dir, write: writeAtomic} }
}

// store is the durable state's bookkeeping; its fields are guarded by s.mu.
type store struct {
	dir     string
	err     error                            // the state could not be loaded
	write   func(dir string, b []byte) error // writeAtomic
	open    bool                             // a transaction is running
	undo    []func()                         // how to undo its changes, in order
	after   []func()                         // effects to run once the transaction is durable
	changes int64                            // status changes so far (changeCounter)
	written int64                            // changes when the state was last written
	before  int64                            // changes when the transaction began
}

// changeCounter returns the counter of status changes new records carry
// (record.changes), or nil without a data directory. Changes an executor
// makes in the background happen outside any request's transaction; when
// the count moved since the last write, the next request writes the
// state, even a Describe that changed nothing itself, so that what it
// answers is durable too.
func (s *Server) changeCounter() *int64 {
	if s.store == nil {
		return nil
	}
	return &s.store.changes
}

// begin starts a transaction (s.mu held).
func (s *Server) begin() error {
	if s.store == nil {
		return nil
	}
	if s.store.err != nil {
		return &wire.Error{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: "the local endpoint could not load its data directory: " + s.store.err.Error()}
	}
	s.store.open, s.store.undo = true, s.store.undo[:0]
	s.store.before = s.store.changes
	return nil
}

// commit ends the transaction (s.mu held): if anything changed it writes
// the state, and if that fails it undoes the changes and turns the answer
// into InternalFailure.
func (s *Server) commit(out *map[string]any, err *error) {
	st := s.store
	if st == nil || !st.open {
		return
	}
	st.open = false
	after := st.after
	st.after = nil
	changes := st.changes
	if len(st.undo) == 0 && changes == st.written {
		runAll(after)
		return
	}
	undo := st.undo
	st.undo = nil
	// Log lines are made durable first, so that the state never holds a
	// job's outcome while the lines it logged could still be lost.
	s.logs.mu.Lock()
	werr := s.logs.durable()
	s.logs.mu.Unlock()
	if werr == nil {
		werr = st.write(st.dir, s.snapshot())
	}
	if werr == nil {
		st.written = changes
		runAll(after)
		return
	}
	for i := len(undo) - 1; i >= 0; i-- {
		undo[i]()
	}
	if st.written == st.before {
		// The state is as written again: the changes counted since begin
		// were the transaction's (changes happen under s.mu), all undone.
		st.written = st.changes
	}
	if s.logger != nil {
		s.logger.Error("local endpoint: storing the state failed; the change was undone", "err", werr)
	}
	*out = nil
	*err = &wire.Error{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: "the local endpoint could not store the change durably, and undid it: " + werr.Error()}
}

// afterCommit runs f once the running transaction is durable, or at once
// without a data directory; a transaction that fails drops it. Effects
// that cannot be undone (stopping a running process) go through it.
func (s *Server) afterCommit(f func()) {
	if s.store != nil && s.store.open {
		s.store.after = append(s.store.after, f)
		return
	}
	f()
}

func runAll(fs []func()) {
	for _, f := range fs {
		f()
	}
}

// onUndo records how to undo a change made in the running transaction.
func (s *Server) onUndo(f func()) {
	if s.store != nil && s.store.open {
		s.store.undo = append(s.store.undo, f)
	}
}

// touch saves r as it is, before the transaction changes it.
func (s *Server) touch(r *record) {
	if s.store == nil || !s.store.open {
		return
	}
	saved := *r
	saved.ids = maps.Clone(r.ids)
	saved.doc = maps.Clone(r.doc) // changes replace members; values are never modified
	saved.plan = slices.Clone(r.plan)
	saved.transitions = cloneTransitions(r.transitions)
	s.onUndo(func() { *r = saved })
}

func cloneTransitions(ts []map[string]any) []map[string]any {
	if ts == nil {
		return nil
	}
	out := make([]map[string]any, len(ts))
	for i, t := range ts {
		out[i] = maps.Clone(t)
	}
	return out
}

// touchTags saves the tags of arn, before the transaction changes them.
func (s *Server) touchTags(arn string) {
	if s.store == nil || !s.store.open {
		return
	}
	saved, ok := s.tags[arn]
	saved = slices.Clone(saved)
	s.onUndo(func() {
		if ok {
			s.tags[arn] = saved
		} else {
			delete(s.tags, arn)
		}
	})
}

// inserted notes that r was just added to the indexes.
func (s *Server) inserted(r *record) {
	seq := s.seq - 1
	s.onUndo(func() {
		delete(s.records[r.spec.Name], r.key)
		delete(s.byARN, r.arn)
		s.seq = seq
	})
}

// removeRecord removes r and its tags.
func (s *Server) removeRecord(r *record) {
	s.touchTags(r.arn)
	s.onUndo(func() {
		if s.records[r.spec.Name] == nil {
			s.records[r.spec.Name] = map[string]*record{}
		}
		s.records[r.spec.Name][r.key] = r
		s.byARN[r.arn] = r
	})
	delete(s.records[r.spec.Name], r.key)
	delete(s.byARN, r.arn)
	delete(s.tags, r.arn)
}

// state is the stored form of the endpoint's SageMaker state.
type state struct {
	Version int                    `json:"version"`
	Seq     int                    `json:"seq"`
	Records []storedRecord         `json:"records"`
	Tags    map[string][]storedTag `json:"tags,omitempty"` // ARN -> tags in insertion order
}

type storedTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type storedRecord struct {
	Kind        string            `json:"kind"` // resourceTable key
	Key         string            `json:"key"`
	Name        string            `json:"name"`
	ARN         string            `json:"arn"`
	IDs         map[string]string `json:"ids,omitempty"`
	Doc         map[string]any    `json:"doc"`
	Created     time.Time         `json:"created"`
	Modified    time.Time         `json:"modified"`
	Status      string            `json:"status,omitempty"`
	Secondary   string            `json:"secondary,omitempty"`
	Reason      string            `json:"reason,omitempty"`
	Transitions []map[string]any  `json:"transitions,omitempty"`
	Pending     bool              `json:"pending,omitempty"` // had lifecycle steps to come, or an executor running it
}

// snapshot encodes the state (s.mu held).
func (s *Server) snapshot() []byte {
	st := state{Version: stateVersion, Seq: s.seq, Tags: map[string][]storedTag{}}
	for _, kind := range slices.Sorted(maps.Keys(s.records)) {
		recs := s.records[kind]
		for _, key := range slices.Sorted(maps.Keys(recs)) {
			r := recs[key]
			st.Records = append(st.Records, storedRecord{
				Kind: kind, Key: r.key, Name: r.name, ARN: r.arn, IDs: r.ids, Doc: r.doc,
				Created: r.created, Modified: r.modified, Status: r.status, Secondary: r.secondary,
				Reason: r.reason, Transitions: r.transitions, Pending: len(r.plan) > 0 || r.training != nil,
			})
		}
	}
	for arn, ts := range s.tags {
		for _, t := range ts {
			st.Tags[arn] = append(st.Tags[arn], storedTag{t.Key, t.Value})
		}
	}
	b, err := json.Marshal(st)
	if err != nil {
		// Every value came from a decoded JSON request or from the
		// endpoint itself, so it encodes.
		panic("emulator: encoding the state: " + err.Error())
	}
	return b
}

// load reads the state from the data directory, if any, and applies the
// restart semantics. A missing state file is an empty endpoint.
func (s *Server) load() {
	st := s.store
	if st == nil {
		return
	}
	if err := os.MkdirAll(st.dir, 0o755); err != nil {
		st.err = err
		s.logs.err, s.s3.err = err, err
		return
	}
	// The other services first: restarting jobs writes the state, which
	// syncs the log journal.
	if err := s.logs.load(st.dir); err != nil {
		s.logs.journal = nil // never overwrite what could not be read
		s.logs.err = fmt.Errorf("%s: %w", filepath.Join(st.dir, logJournalFile), err)
		if s.logger != nil {
			s.logger.Error("local endpoint: loading the log journal failed", "err", s.logs.err)
		}
	}
	s.s3State() // loads the S3 objects now, so a broken directory shows at start
	b, err := os.ReadFile(filepath.Join(st.dir, stateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err == nil {
		err = s.restore(b)
	}
	if err != nil {
		st.err = fmt.Errorf("%s: %w", filepath.Join(st.dir, stateFile), err)
		if s.logger != nil {
			s.logger.Error("local endpoint: loading the data directory failed", "err", st.err)
		}
	}
}

// restartReason is the FailureReason of a job that was running when the
// endpoint stopped.
const restartReason = "InternalServerError: the local endpoint restarted while this job was running; its progress was lost"

func (s *Server) restore(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // numbers stay as the client sent them, as in requests
	var st state
	if err := dec.Decode(&st); err != nil {
		return err
	}
	if st.Version != stateVersion {
		return fmt.Errorf("state format %d, want %d", st.Version, stateVersion)
	}
	now := s.now()
	changed := false
	for _, sr := range st.Records {
		rs := resourceTable[sr.Kind]
		if rs == nil {
			return fmt.Errorf("unknown resource kind %q", sr.Kind)
		}
		r := &record{spec: rs, key: sr.Key, name: sr.Name, arn: sr.ARN, ids: sr.IDs, doc: sr.Doc, changes: s.changeCounter(),
			created: sr.Created, modified: sr.Modified, status: sr.Status, secondary: sr.Secondary,
			reason: sr.Reason, transitions: sr.Transitions}
		if r.ids == nil {
			r.ids = map[string]string{}
		}
		if r.doc == nil {
			r.doc = map[string]any{}
		}
		if s.records[rs.Name] == nil {
			s.records[rs.Name] = map[string]*record{}
		}
		s.records[rs.Name][r.key] = r
		s.byARN[r.arn] = r
		if sr.Pending {
			s.resume(r, now)
			changed = true
		}
	}
	for arn, ts := range st.Tags {
		for _, t := range ts {
			s.tags[arn] = append(s.tags[arn], tag{t.Key, t.Value})
		}
	}
	s.seq = st.Seq
	changes := s.store.changes
	if changed {
		// Best effort: if this fails the next request writes the state,
		// and until then a restart applies the same rules again.
		if err := s.store.write(s.store.dir, s.snapshot()); err != nil {
			if s.logger != nil {
				s.logger.Warn("local endpoint: storing the restarted state failed", "err", err)
			}
			return nil
		}
	}
	s.store.written = changes
	return nil
}

// resume applies the restart semantics to a record that had lifecycle
// steps to come.
func (s *Server) resume(r *record, now time.Time) {
	rs := r.spec
	secondary := func(v string) string {
		if rs.SecondaryMember == "" {
			return ""
		}
		return v
	}
	switch {
	case rs.Job && rs.Stopping != "" && r.status == rs.Stopping:
		s.schedule(r, step{status: firstNonEmpty(rs.Stopped, rs.Stopping), secondary: secondary("Stopped")})
	case rs.Job:
		r.setStatus(now, firstNonEmpty(rs.Failed, "Failed"), secondary("Failed"), "The local endpoint restarted while the job ran")
		r.reason = restartReason
	case rs.Deleting != "" && r.status == rs.Deleting:
		s.schedule(r, step{remove: true})
	case rs.Stopping != "" && r.status == rs.Stopping:
		s.schedule(r, step{status: firstNonEmpty(rs.Stopped, rs.Stopping)})
	default:
		s.schedule(r, step{status: rs.Ready})
	}
}

// writeAtomic replaces the state file with b (writeFileAtomic).
func writeAtomic(dir string, b []byte) error { return writeFileAtomic(dir, stateFile, b) }
