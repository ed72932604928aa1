package sagemaker

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/smcore-go/smcore/emulator/internal/disk"
)

// Processes of running jobs, recorded in the data directory.
//
// While a process job runs, <data>/jobs/<job>.<host>.json holds, for each
// of its hosts, the marker of the host's process tree (the SMLOCAL_JOB
// variable of its environment), the pids and start times of the tree's
// processes found so far, the machine's boot id and the job root (the
// folder of every host's root). A normal end removes them. If the server dies instead, the next
// start with the data directory finds the file, ends what is left of the
// job's tree (proc_linux.go: by marker, or by pid and start time, and
// their descendants; elsewhere nothing), removes the job root and the
// file. The job itself is Failed by the restart rules (persist.go).

// jobMarkerVar is the variable whose random value marks a job's processes.
const jobMarkerVar = "SMLOCAL_JOB"

const jobsDir = "jobs"

// procID names a process: a pid is reused, a pid and start time are not
// (within a boot).
type procID struct {
	Pid   int    `json:"pid"`
	Start uint64 `json:"start,omitempty"`
}

// jobProcs is the record of a running job's processes.
type jobProcs struct {
	Job    string   `json:"job"`
	Host   string   `json:"host,omitempty"`
	Marker string   `json:"marker"` // SMLOCAL_JOB=<token>
	Boot   string   `json:"boot,omitempty"`
	Root   string   `json:"root"`
	Pids   []procID `json:"pids"` // the host's process first
}

func newJobMarker() string {
	var b [16]byte
	rand.Read(b[:])
	return jobMarkerVar + "=" + hex.EncodeToString(b[:])
}

// jobsDirMu serializes making and removing <data>/jobs.
var jobsDirMu sync.Mutex

// recordProcs returns how the run of a job's host records its processes
// in the data directory, and what removes the record once the run has
// ended. root is the job's root.
func (s *Service) recordProcs(job, host, root string) (record func(marker string, ids []procID), done func()) {
	dir := filepath.Join(s.store.dir, jobsDir)
	name := safeFileName(job) + "." + safeFileName(host) + ".json" // job names hold no '.'
	boot := bootID()
	var mu sync.Mutex
	wrote := false
	record = func(marker string, ids []procID) {
		b, _ := json.Marshal(jobProcs{Job: job, Host: host, Marker: marker, Boot: boot, Root: root, Pids: ids})
		mu.Lock()
		defer mu.Unlock()
		jobsDirMu.Lock()
		defer jobsDirMu.Unlock()
		err := os.MkdirAll(dir, 0o700)
		if err == nil {
			err = disk.WriteAtomic(dir, name, b)
		}
		if err != nil {
			if s.Logger != nil {
				s.Logger.Warn("local endpoint: recording a job's processes failed; a crash would leave them to end by hand", "job", job, "host", host, "err", err)
			}
			return
		}
		wrote = true
	}
	done = func() {
		mu.Lock()
		defer mu.Unlock()
		if !wrote {
			return
		}
		jobsDirMu.Lock()
		defer jobsDirMu.Unlock()
		os.Remove(filepath.Join(dir, name))
		os.Remove(dir) // once empty
		disk.SyncDir(s.store.dir)
	}
	return record, done
}

// endLeftoverJobs ends what a previous run of the server left running of
// its jobs (see above) and removes their roots.
func (s *Service) endLeftoverJobs() {
	dir := filepath.Join(s.store.dir, jobsDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && s.Logger != nil {
			s.Logger.Warn("local endpoint: reading the records of running jobs failed", "dir", dir, "err", err)
		}
		return
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if strings.HasSuffix(e.Name(), ".tmp") {
			os.Remove(p)
			continue
		}
		var rec jobProcs
		b, err := os.ReadFile(p)
		if err == nil {
			err = json.Unmarshal(b, &rec)
		}
		if err != nil {
			if s.Logger != nil {
				s.Logger.Warn("local endpoint: a record of a running job cannot be read; end its processes by hand", "file", p, "err", err)
			}
			continue
		}
		c := s.endLeftoverContainers(rec) // docker.go
		n := endLeftovers(rec)
		if jobRoot(rec.Root) {
			os.RemoveAll(rec.Root)
		}
		os.Remove(p)
		if s.Logger != nil {
			s.Logger.Warn("local endpoint: ended what the previous run left of a training job", "job", rec.Job, "host", rec.Host, "processes", n, "containers", c, "root", rec.Root)
		}
	}
	os.Remove(dir) // once empty
	disk.SyncDir(s.store.dir)
}

// jobRoot reports whether dir looks like a job root the endpoint made
// (train), so that a record cannot have anything else removed.
func jobRoot(dir string) bool {
	if dir == "" || !filepath.IsAbs(dir) || !strings.HasPrefix(filepath.Base(dir), "smlocal-") {
		return false
	}
	fi, err := os.Lstat(dir)
	return err == nil && fi.IsDir()
}

// safeFileName keeps letters, digits, '-' and '_' of name (job names are
// made of those already).
func safeFileName(name string) string {
	b := []byte(name)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "_"
	}
	return string(b)
}
