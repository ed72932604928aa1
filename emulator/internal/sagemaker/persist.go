package sagemaker

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
	"strings"
	"time"

	"github.com/smcore-go/smcore/emulator/internal/disk"
	"github.com/smcore-go/smcore/emulator/wire"
)

// Durable state (WithDataDir).
//
// Every SageMaker operation runs as a transaction under s.mu: each change
// it makes to the state (records, tags, the lifecycle transitions it
// applies) first records how to undo itself, and marks what it changed.
// When the operation has changed anything, the changed records and tags
// are appended to a journal in the data directory and synced before the
// answer is sent; if that fails the changes are undone and the operation
// answers InternalFailure (HTTP 500), so a 2xx always means durable and a
// 500 means nothing happened.
//
// The journal (sagemaker-journal.jsonl) holds one line per transaction,
// over a snapshot of the whole state (sagemaker-state.json, written by
// temporary file, fsync, rename and fsync of the directory). A snapshot
// replaces the journal once the journal outgrows it (so a change costs
// what it changed, amortized), after a failed append, and at start. Each
// snapshot has a generation; journal lines of an older one are ignored,
// so a crash between writing a snapshot and removing the old journal
// loses nothing and replays nothing twice. A torn last line (never
// acknowledged) is dropped.
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
// statuses and outcome) happen outside any request: they mark their record
// and are written by the next request, before it is answered; a restart
// before any request sees the job as still running, which ends it Failed.

// stateFile and journalFile are the snapshot and the journal of the
// SageMaker state in the data directory.
const (
	stateFile   = "sagemaker-state.json"
	journalFile = "sagemaker-journal.jsonl"
)

// stateVersion is the format of the state file.
const stateVersion = 1

// store is the durable state's bookkeeping; its fields are guarded by s.mu.
type store struct {
	dir   string
	err   error                            // the state could not be loaded
	write func(dir string, b []byte) error // writeAtomic, for the snapshot
	open  bool                             // a transaction is running
	undo  []func()                         // how to undo its changes, in order
	after []func()                         // effects to run once the transaction is durable

	// What changed since the state was last written: records (put if
	// still held, else deleted by kind and key) and the tags of ARNs.
	// Changes an executor makes in the background mark their record too,
	// so the next request writes them, even a Describe that changed
	// nothing itself: what it answers is then durable as well.
	dirty     map[*record]bool
	dirtyTags map[string]bool
	// The marks when the transaction began: a transaction that fails is
	// undone, and so are its marks.
	dirtyBefore     map[*record]bool
	dirtyTagsBefore map[string]bool

	gen          int64 // the snapshot's generation; journal lines of older ones are stale
	journalSize  int64 // bytes appended to the journal since the snapshot
	snapshotSize int64
	broken       bool  // the journal may not match memory: write a snapshot next
	compactAt    int64 // journal size that triggers a snapshot (0: max(1 MiB, snapshot))
}

// markDirty notes that r changed (s.mu held); without a data directory it
// does nothing.
func (st *store) markDirty(r *record) {
	if st != nil {
		st.dirty[r] = true
	}
}

// begin starts a transaction (s.mu held).
func (s *Service) begin() error {
	if s.store == nil {
		return nil
	}
	if s.store.err != nil {
		return &wire.Error{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: "the local endpoint could not load its data directory: " + s.store.err.Error()}
	}
	st := s.store
	st.open, st.undo = true, st.undo[:0]
	// Usually nothing is marked between requests: no copy then.
	st.dirtyBefore, st.dirtyTagsBefore = nil, nil
	if len(st.dirty) > 0 {
		st.dirtyBefore = maps.Clone(st.dirty)
	}
	if len(st.dirtyTags) > 0 {
		st.dirtyTagsBefore = maps.Clone(st.dirtyTags)
	}
	return nil
}

// commit ends the transaction (s.mu held): if anything changed it writes
// the changes, and if that fails it undoes them and turns the answer into
// InternalFailure.
func (s *Service) commit(out *map[string]any, err *error) {
	st := s.store
	if st == nil || !st.open {
		return
	}
	st.open = false
	after := st.after
	st.after = nil
	if len(st.undo) == 0 && len(st.dirty) == 0 && len(st.dirtyTags) == 0 {
		runAll(after)
		return
	}
	undo := st.undo
	st.undo = nil
	// Log lines are made durable first, so that the state never holds a
	// job's outcome while the lines it logged could still be lost.
	werr := s.Logs.Sync()
	if werr == nil {
		werr = s.persist()
	}
	if werr == nil {
		runAll(after)
		return
	}
	for i := len(undo) - 1; i >= 0; i-- {
		undo[i]()
	}
	clear(st.dirty)
	clear(st.dirtyTags)
	maps.Copy(st.dirty, st.dirtyBefore)
	maps.Copy(st.dirtyTags, st.dirtyTagsBefore)
	if s.Logger != nil {
		s.Logger.Error("local endpoint: storing the state failed; the change was undone", "err", werr)
	}
	*out = nil
	*err = &wire.Error{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: "the local endpoint could not store the change durably, and undid it: " + werr.Error()}
}

// afterCommit runs f once the running transaction is durable, or at once
// without a data directory; a transaction that fails drops it. Effects
// that cannot be undone (stopping a running process) go through it.
func (s *Service) afterCommit(f func()) {
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
func (s *Service) onUndo(f func()) {
	if s.store != nil && s.store.open {
		s.store.undo = append(s.store.undo, f)
	}
}

// touch notes that r is about to change and saves it as it is, to undo
// the running transaction.
func (s *Service) touch(r *record) {
	s.store.markDirty(r)
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

// touchTags notes that the tags of arn are about to change and saves
// them, to undo the running transaction.
func (s *Service) touchTags(arn string) {
	if s.store == nil {
		return
	}
	s.store.dirtyTags[arn] = true
	if !s.store.open {
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
func (s *Service) inserted(r *record) {
	s.store.markDirty(r)
	seq := s.seq - 1
	s.onUndo(func() {
		delete(s.records[r.spec.Name], r.key)
		delete(s.byARN, r.arn)
		s.seq = seq
	})
}

// removeRecord removes r and its tags.
func (s *Service) removeRecord(r *record) {
	s.store.markDirty(r) // no longer held: written as a deletion
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
	Gen     int64                  `json:"gen,omitempty"` // the journal's lines of this generation follow it
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

// journalLine is one transaction in the journal: the records it put
// (whole) or deleted, and the tags it set (nil: none left).
type journalLine struct {
	Gen  int64                  `json:"gen"`
	Seq  int                    `json:"seq"`
	Put  []storedRecord         `json:"put,omitempty"`
	Del  []recordRef            `json:"del,omitempty"`
	Tags map[string][]storedTag `json:"tags,omitempty"`
}

type recordRef struct {
	Kind string `json:"kind"`
	Key  string `json:"key"`
}

func stored(r *record) storedRecord {
	return storedRecord{
		Kind: r.spec.Name, Key: r.key, Name: r.name, ARN: r.arn, IDs: r.ids, Doc: r.doc,
		Created: r.created, Modified: r.modified, Status: r.status, Secondary: r.secondary,
		Reason: r.reason, Transitions: r.transitions, Pending: len(r.plan) > 0 || r.training != nil,
	}
}

func storedTags(ts []tag) []storedTag {
	var out []storedTag
	for _, t := range ts {
		out = append(out, storedTag{t.Key, t.Value})
	}
	return out
}

func mustJSONBytes(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Every value came from a decoded JSON request or from the
		// endpoint itself, so it encodes.
		panic("emulator: encoding the state: " + err.Error())
	}
	return b
}

// snapshot encodes the whole state (s.mu held).
func (s *Service) snapshot() []byte {
	st := state{Version: stateVersion, Seq: s.seq, Tags: map[string][]storedTag{}}
	if s.store != nil {
		st.Gen = s.store.gen
	}
	for _, kind := range slices.Sorted(maps.Keys(s.records)) {
		recs := s.records[kind]
		for _, key := range slices.Sorted(maps.Keys(recs)) {
			st.Records = append(st.Records, stored(recs[key]))
		}
	}
	for arn, ts := range s.tags {
		if len(ts) > 0 {
			st.Tags[arn] = storedTags(ts)
		}
	}
	return mustJSONBytes(st)
}

// journalLine returns what changed since the last write (s.mu held).
func (s *Service) journalLine() journalLine {
	st := s.store
	line := journalLine{Gen: st.gen, Seq: s.seq}
	for r := range st.dirty {
		switch cur := s.records[r.spec.Name][r.key]; cur {
		case r:
			line.Put = append(line.Put, stored(r))
		case nil:
			line.Del = append(line.Del, recordRef{r.spec.Name, r.key})
		}
		// Another record under the key replaced r, and is marked itself.
	}
	slices.SortFunc(line.Put, func(a, b storedRecord) int { return strings.Compare(a.Kind+"\x00"+a.Key, b.Kind+"\x00"+b.Key) })
	slices.SortFunc(line.Del, func(a, b recordRef) int { return strings.Compare(a.Kind+"\x00"+a.Key, b.Kind+"\x00"+b.Key) })
	if len(st.dirtyTags) > 0 {
		line.Tags = map[string][]storedTag{}
		for arn := range st.dirtyTags {
			line.Tags[arn] = storedTags(s.tags[arn])
		}
	}
	return line
}

// persist writes what changed since the last write (s.mu held): a line
// appended to the journal and synced, or a new snapshot when the journal
// has outgrown the last one or may not match memory.
func (s *Service) persist() error {
	st := s.store
	limit := st.compactAt
	if limit == 0 {
		limit = max(1<<20, st.snapshotSize)
	}
	if st.broken || st.journalSize >= limit {
		return s.compact()
	}
	b := append(mustJSONBytes(s.journalLine()), '\n')
	path := filepath.Join(st.dir, journalFile)
	if err := disk.Append(path, b, true); err != nil {
		// The line may be in the file, whole or in part: cut it off if
		// possible, and let a snapshot of memory (with the change undone)
		// replace the journal with the next change.
		os.Truncate(path, st.journalSize)
		st.broken = true
		return err
	}
	st.journalSize += int64(len(b))
	clear(st.dirty)
	clear(st.dirtyTags)
	return nil
}

// compact writes a snapshot of the next generation and removes the
// journal, whose lines it holds (s.mu held).
func (s *Service) compact() error {
	st := s.store
	st.gen++
	b := s.snapshot()
	if err := st.write(st.dir, b); err != nil {
		st.gen--
		return err
	}
	// From here on the journal's lines are stale (an older generation),
	// whether or not it can be removed.
	st.snapshotSize, st.broken = int64(len(b)), false
	if err := os.Remove(filepath.Join(st.dir, journalFile)); err == nil || errors.Is(err, fs.ErrNotExist) {
		st.journalSize = 0
		disk.SyncDir(st.dir)
	}
	clear(st.dirty)
	clear(st.dirtyTags)
	return nil
}

// load reads the state from the data directory, if any, and applies the
// restart semantics. A missing state file is an empty endpoint.
func (s *Service) load() {
	st := s.store
	if st == nil {
		return
	}
	if s.DirErr != nil {
		st.err = s.DirErr
		return
	}
	if err := s.restore(); err != nil {
		st.err = err
		if s.Logger != nil {
			s.Logger.Error("local endpoint: loading the data directory failed", "err", st.err)
		}
	}
	s.endLeftoverJobs() // processes a crash left running (jobprocs.go)
}

// restartReason is the FailureReason of a job that was running when the
// endpoint stopped.
const restartReason = "InternalServerError: the local endpoint restarted while this job was running; its progress was lost"

// readState reads the snapshot and replays the journal over it. A missing
// snapshot is an empty state; lines of an older generation than the
// snapshot's are stale and skipped; a torn last line is dropped (torn
// reports it).
func readState(dir string) (st state, torn bool, lines int, err error) {
	st = state{Version: stateVersion}
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return st, false, 0, err
	default:
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber() // numbers stay as the client sent them, as in requests
		if err := dec.Decode(&st); err != nil {
			return st, false, 0, fmt.Errorf("%s: %w", stateFile, err)
		}
		if st.Version != stateVersion {
			return st, false, 0, fmt.Errorf("%s: state format %d, want %d", stateFile, st.Version, stateVersion)
		}
	}
	j, err := os.ReadFile(filepath.Join(dir, journalFile))
	if errors.Is(err, fs.ErrNotExist) {
		return st, false, 0, nil
	}
	if err != nil {
		return st, false, 0, err
	}
	if i := bytes.LastIndexByte(j, '\n'); i+1 < len(j) {
		if err := disk.TornLine(journalFile, j, i+1); err != nil {
			return st, false, 0, err
		}
		j, torn = j[:i+1], true
	}
	recs := map[recordRef]storedRecord{}
	for _, r := range st.Records {
		recs[recordRef{r.Kind, r.Key}] = r
	}
	if st.Tags == nil {
		st.Tags = map[string][]storedTag{}
	}
	for n, text := range bytes.SplitAfter(j, []byte("\n")) {
		if len(text) == 0 {
			continue
		}
		var line journalLine
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.UseNumber()
		if err := dec.Decode(&line); err != nil {
			return st, false, 0, fmt.Errorf("%s line %d: %w", journalFile, n+1, err)
		}
		if line.Gen < st.Gen {
			continue // written before the snapshot, which holds it
		}
		lines++
		for _, d := range line.Del {
			delete(recs, d)
		}
		for _, r := range line.Put {
			recs[recordRef{r.Kind, r.Key}] = r
		}
		for arn, ts := range line.Tags {
			if len(ts) == 0 {
				delete(st.Tags, arn)
			} else {
				st.Tags[arn] = ts
			}
		}
		st.Seq = line.Seq
	}
	st.Records = st.Records[:0]
	for _, ref := range slices.SortedFunc(maps.Keys(recs), func(a, b recordRef) int {
		return strings.Compare(a.Kind+"\x00"+a.Key, b.Kind+"\x00"+b.Key)
	}) {
		st.Records = append(st.Records, recs[ref])
	}
	return st, torn, lines, nil
}

// Err is why the data directory's SageMaker state could not be loaded,
// or nil: the service then answers InternalFailure rather than start
// empty over it.
func (s *Service) Err() error {
	if s.store == nil {
		return nil
	}
	return s.store.err
}

// restore loads the state, applies the restart semantics and, when it read
// a journal or restarted anything, writes a snapshot in its place.
func (s *Service) restore() error {
	st, torn, lines, err := readState(s.store.dir)
	if err != nil {
		return fmt.Errorf("%s: %w", s.store.dir, err)
	}
	s.store.gen = st.Gen
	if fi, err := os.Stat(filepath.Join(s.store.dir, stateFile)); err == nil {
		s.store.snapshotSize = fi.Size()
	}
	if fi, err := os.Stat(filepath.Join(s.store.dir, journalFile)); err == nil {
		s.store.journalSize = fi.Size() // stale lines only, unless compacted below
	}
	now := s.Now()
	changed := false
	for _, sr := range st.Records {
		rs := resourceTable[sr.Kind]
		if rs == nil {
			return fmt.Errorf("%s: unknown resource kind %q", s.store.dir, sr.Kind)
		}
		key := sr.Key
		if n := len(strings.Split(key, "\x00")); n == max(len(rs.IDs), 1) {
			// Written before state was kept per region, when every record
			// was in the default region.
			key = s.Default + "\x00" + key
		}
		r := &record{spec: rs, key: key, name: sr.Name, arn: sr.ARN, ids: sr.IDs, doc: sr.Doc, store: s.store,
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
	clear(s.store.dirty)
	if changed || lines > 0 || torn {
		// Best effort: if this fails the next change writes a snapshot,
		// and until then a restart applies the same rules again.
		if err := s.compact(); err != nil {
			s.store.broken = true
			for _, recs := range s.records {
				for _, r := range recs {
					s.store.markDirty(r)
				}
			}
			if s.Logger != nil {
				s.Logger.Warn("local endpoint: storing the restarted state failed", "err", err)
			}
		}
	}
	return nil
}

// resume applies the restart semantics to a record that had lifecycle
// steps to come.
func (s *Service) resume(r *record, now time.Time) {
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

// writeAtomic replaces the state file with b (disk.WriteAtomic).
func writeAtomic(dir string, b []byte) error { return disk.WriteAtomic(dir, stateFile, b) }
