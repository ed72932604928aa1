package logs

import (
	"bufio"
	"bytes"
	"cmp"
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

// Durable CloudWatch Logs (Config.Dir; emulator.WithDataDir).
//
// Log groups, streams and events go to an append-only journal in the data
// directory, one JSON line per change. Appends are cheap (no fsync); the
// journal is synced at the points where a client could learn of what it
// holds: before any Logs request is answered, and before the SageMaker
// state is written (so a job is never durably Completed while the lines it
// logged are not). A Logs request whose change cannot be made durable is
// undone in memory and answers ServiceUnavailableException (500).
//
// When the journal may not match memory (an append or a sync failed), the
// next sync rewrites it whole from memory (temporary file, fsync, rename),
// which also repairs it.

const logJournalFile = "logs.jsonl"

// logJournal is the durable side of a logStore; guarded by logStore.mu.
type logJournal struct {
	dir    string
	write  func(dir, name string, b []byte) error // disk.WriteAtomic
	size   int64                                  // bytes of the journal known to be whole lines
	dirty  bool                                   // appended since the last fsync
	broken bool                                   // the file may not match memory: rewrite it
	open   bool                                   // a Logs request is running
	undo   []func()                               // how to undo its changes
}

// logRec is one journal line.
type logRec struct {
	Kind string `json:"k"` // "group", "stream" or "event"
	// The group's region; a journal written before groups were kept per
	// region has none, and loads into the default region.
	Region   string `json:"r,omitempty"`
	Group    string `json:"g"`
	Stream   string `json:"s,omitempty"`
	Created  int64  `json:"c,omitempty"` // group, stream: creation, Unix ns
	TS       int64  `json:"t,omitempty"` // event: timestamp, Unix ms
	Ingested int64  `json:"i,omitempty"` // event: when it was put, Unix ns
	ID       uint64 `json:"n,omitempty"` // event: ID
	Msg      string `json:"m,omitempty"` // event: message
}

func (j *logJournal) path() string { return filepath.Join(j.dir, logJournalFile) }

// append adds lines to the journal; a failure leaves it to the next sync
// to rewrite the journal from memory.
func (j *logJournal) append(recs ...logRec) {
	if j == nil || j.broken {
		return
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for i := range recs {
		enc.Encode(&recs[i]) // strings and numbers only: it cannot fail
	}
	if err := disk.Append(j.path(), b.Bytes(), false); err != nil {
		j.broken = true
		return
	}
	j.size += int64(b.Len())
	j.dirty = true
}

// onUndo records how to undo a change of the running request. Changes
// made outside a request (AppendLog) are not undone.
func (l *logStore) onUndo(f func()) {
	if j := l.journal; j != nil && j.open {
		j.undo = append(j.undo, f)
	}
}

// begin starts a Logs request's transaction (l.mu held).
func (l *logStore) begin() {
	if j := l.journal; j != nil {
		j.open, j.undo = true, j.undo[:0]
	}
}

// durable makes everything in memory durable (l.mu held).
func (l *logStore) durable() error {
	j := l.journal
	if j == nil {
		return nil
	}
	if j.broken {
		b := l.encodeAll()
		if err := j.write(j.dir, logJournalFile, b); err != nil {
			return err
		}
		j.size, j.dirty, j.broken = int64(len(b)), false, false
		return nil
	}
	if !j.dirty {
		return nil
	}
	f, err := os.OpenFile(j.path(), os.O_WRONLY, 0)
	if err == nil {
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		j.broken = true
		return err
	}
	j.dirty = false
	return nil
}

// commitLogs ends a Logs request (l.mu held): its changes are made durable or
// undone, turning the answer into ServiceUnavailableException.
func (s *Service) commitLogs(out *any, err *error) {
	l := &s.logs
	j := l.journal
	if j == nil {
		return
	}
	undo := j.undo
	j.undo, j.open = nil, false
	if *err != nil {
		runReverse(undo) // a failed request changes nothing
		return
	}
	derr := l.durable()
	if derr == nil {
		return
	}
	runReverse(undo)
	j.broken = true // the undone change may be in the file
	if s.Logger != nil {
		s.Logger.Error("local endpoint: storing log events failed; the change was undone", "err", derr)
	}
	*out = nil
	*err = &wire.Error{Status: http.StatusInternalServerError, Code: "ServiceUnavailableException",
		Message: "the local endpoint could not store the change durably, and undid it: " + derr.Error()}
}

func runReverse(fs []func()) {
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

// encodeAll is the whole journal for what is in memory, in a stable order.
func (l *logStore) encodeAll() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	keys := slices.SortedFunc(maps.Keys(l.groups), func(a, b groupKey) int {
		return cmp.Or(strings.Compare(a.region, b.region), strings.Compare(a.name, b.name))
	})
	for _, k := range keys {
		g := l.groups[k]
		enc.Encode(logRec{Kind: "group", Region: g.region, Group: g.name, Created: g.created.UnixNano()})
		for _, sn := range slices.Sorted(maps.Keys(g.streams)) {
			st := g.streams[sn]
			enc.Encode(logRec{Kind: "stream", Region: g.region, Group: g.name, Stream: sn, Created: st.created.UnixNano()})
			for _, e := range st.events {
				enc.Encode(eventRec(g, sn, e))
			}
		}
	}
	return b.Bytes()
}

func eventRec(g *logGroup, stream string, e logEvent) logRec {
	return logRec{Kind: "event", Region: g.region, Group: g.name, Stream: stream, TS: e.ts, Ingested: e.ingested.UnixNano(), ID: e.id, Msg: e.msg}
}

// load reads the journal into memory; lines without a region are of
// defaultRegion. A last line cut short (the endpoint stopped while
// appending it, so it was never acknowledged) is dropped; any other bad
// line is an error.
func (l *logStore) load(dir, defaultRegion string) error {
	l.journal = &logJournal{dir: dir, write: disk.WriteAtomic}
	b, err := os.ReadFile(l.journal.path())
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if l.groups == nil {
		l.groups = map[groupKey]*logGroup{}
	}
	whole := b
	if i := bytes.LastIndexByte(b, '\n'); i+1 < len(b) {
		if err := disk.TornLine(logJournalFile, b, i+1); err != nil {
			return err
		}
		whole = b[:i+1]
		l.journal.broken = true // rewrite without the partial line
	}
	sc := bufio.NewScanner(bytes.NewReader(whole))
	sc.Buffer(nil, len(whole)+1)
	for n := 1; sc.Scan(); n++ {
		var r logRec
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("%s line %d: %w", logJournalFile, n, err)
		}
		if r.Region == "" {
			r.Region = defaultRegion
		}
		if err := l.replay(r); err != nil {
			return fmt.Errorf("%s line %d: %w", logJournalFile, n, err)
		}
	}
	l.journal.size = int64(len(whole))
	return nil
}

func (l *logStore) replay(r logRec) error {
	k := groupKey{r.Region, r.Group}
	switch r.Kind {
	case "group":
		if l.groups[k] == nil {
			l.groups[k] = &logGroup{region: r.Region, name: r.Group, created: time.Unix(0, r.Created).UTC(), streams: map[string]*logStream{}}
		}
		return nil
	case "stream", "event":
		g := l.groups[k]
		if g == nil {
			return fmt.Errorf("log group %q (%s) not created before use", r.Group, r.Region)
		}
		st := g.streams[r.Stream]
		if r.Kind == "stream" {
			if st == nil {
				g.streams[r.Stream] = &logStream{name: r.Stream, created: time.Unix(0, r.Created).UTC()}
			}
			return nil
		}
		if st == nil {
			return fmt.Errorf("log stream %q not created before use", r.Stream)
		}
		st.events = append(st.events, logEvent{ts: r.TS, ingested: time.Unix(0, r.Ingested).UTC(), id: r.ID, msg: r.Msg})
		l.seq = max(l.seq, r.ID)
		return nil
	}
	return fmt.Errorf("unknown record kind %q", r.Kind)
}
