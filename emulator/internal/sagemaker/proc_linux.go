//go:build linux

package sagemaker

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A job's process tree on Linux (no cgroup is assumed to be available):
//
//   - The job's process starts in a session of its own (so in its own
//     process group too), with PR_SET_PDEATHSIG: if the server dies, even
//     by SIGKILL, the kernel kills it.
//   - Its environment holds a marker, SMLOCAL_JOB=<random token>, which
//     every descendant inherits unless it clears its environment: that
//     finds the ones that left the session (setsid) or were orphaned.
//   - While it runs, /proc is scanned every trackEvery for its descendants
//     (by session, process group and parent, with their start times), which
//     catches those that clear their environment while their parent lives.
//   - Ending the tree kills every process found by any of these, scanning
//     again until none is left (zombies are dead).
//   - A watchdog (sh, in a session of its own) holds a pipe from the
//     server: if the server dies, it reads EOF and kills every process with
//     the marker. On a normal end the server tells it "done".
//
// With a data directory, the marker and the pids found are also recorded
// there (jobprocs.go), so that the next start ends what a crash left.
//
// A descendant that clears its environment and leaves the session between
// two scans escapes all of this.

const (
	trackEvery = 250 * time.Millisecond
	killWait   = 5 * time.Second // how long ending a tree keeps trying
)

type procTree struct {
	marker   string
	leader   int    // the job's process: its session and process group
	start    uint64 // the leader's start time (clock ticks after boot)
	self     int    // the server
	changed  func([]procID)
	stop     chan struct{}
	tracked  chan struct{}
	watch    *os.File // the watchdog's stdin; nil without one
	watchCmd *exec.Cmd
	watchPid int

	mu    sync.Mutex
	known map[int]uint64 // pid -> start time of the tree's processes seen alive
}

// startTree starts cmd as the root of a process tree that kill ends whole;
// waited receives cmd.Wait's result. changed (if not nil) gets the tree's
// processes when new ones are found.
func startTree(cmd *exec.Cmd, marker string, changed func([]procID)) (t *procTree, waited <-chan error, err error) {
	t = &procTree{marker: marker, self: os.Getpid(), changed: changed, known: map[int]uint64{},
		stop: make(chan struct{}), tracked: make(chan struct{})}
	t.startWatchdog()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
	started := make(chan error, 1)
	done := make(chan error, 1)
	go func() {
		// PR_SET_PDEATHSIG fires when the thread that started the process
		// ends, not the server: keep this thread until the process has.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		done <- cmd.Wait()
	}()
	if err := <-started; err != nil {
		t.closeWatchdog()
		return nil, nil, err
	}
	t.leader = cmd.Process.Pid
	if st, ok := readProcStat(t.leader); ok {
		t.start = st.start
	}
	t.mu.Lock()
	t.known[t.leader] = t.start
	if changed != nil {
		changed(t.idsLocked())
	}
	t.mu.Unlock()
	go t.track()
	return t, done, nil
}

// track records the tree's processes while it runs.
func (t *procTree) track() {
	defer close(t.tracked)
	tick := time.NewTicker(trackEvery)
	defer tick.Stop()
	for {
		select {
		case <-t.stop:
			return
		case <-tick.C:
			t.members(false)
		}
	}
}

// kill ends every process of the tree, scanning again until none is left
// (or killWait has passed).
func (t *procTree) kill() {
	deadline := time.Now().Add(killWait)
	for i := 1; ; i++ {
		live := t.members(true)
		if len(live) == 0 {
			return
		}
		for _, pid := range live {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		if time.Now().After(deadline) {
			return
		}
		time.Sleep(time.Duration(min(i, 20)) * 5 * time.Millisecond)
	}
}

// close stops tracking and dismisses the watchdog; call it once the tree
// has been killed.
func (t *procTree) close() {
	close(t.stop)
	<-t.tracked
	t.closeWatchdog()
}

// members finds the tree's processes now and returns the live ones: those
// in the leader's session or process group, those seen before (same pid
// and start time), their descendants and, withEnv, those whose environment
// holds the marker.
func (t *procTree) members(withEnv bool) []int {
	procs := scanProcs()
	t.mu.Lock()
	defer t.mu.Unlock()
	in := map[int]bool{}
	for pid, st := range procs {
		if pid == t.self || pid == t.watchPid {
			continue
		}
		if s, ok := t.known[pid]; ok && s != 0 && s == st.start ||
			(st.sid == t.leader || st.pgid == t.leader) && st.start >= t.start ||
			withEnv && environHas(pid, t.marker) {
			in[pid] = true
		}
	}
	addDescendants(procs, in, t.self, t.watchPid)
	for pid, s := range t.known {
		if st, ok := procs[pid]; !ok || st.start != s {
			delete(t.known, pid) // gone
		}
	}
	var live []int
	added := false
	for pid := range in {
		st := procs[pid]
		if _, ok := t.known[pid]; !ok {
			t.known[pid] = st.start
			added = true
		}
		if st.state != 'Z' && st.state != 'X' {
			live = append(live, pid)
		}
	}
	if added && t.changed != nil {
		t.changed(t.idsLocked())
	}
	return live
}

func (t *procTree) idsLocked() []procID {
	ids := []procID{{Pid: t.leader, Start: t.start}}
	for pid, s := range t.known {
		if pid != t.leader {
			ids = append(ids, procID{Pid: pid, Start: s})
		}
	}
	return ids
}

// addDescendants adds to in the descendants of its processes (started
// after their parent, as children are), except the skipped pids.
func addDescendants(procs map[int]procStat, in map[int]bool, skip ...int) {
	for grew := true; grew; {
		grew = false
		for pid, st := range procs {
			if !in[pid] && in[st.ppid] && st.start >= procs[st.ppid].start && !slices.Contains(skip, pid) {
				in[pid], grew = true, true
			}
		}
	}
}

// watchdogScript kills every process whose environment holds $1 once its
// stdin ends without "done": the server died.
const watchdogScript = `read -r line
[ "$line" = done ] && exit 0
case "$1" in SMLOCAL_JOB=?*) ;; *) exit 1 ;; esac
i=0
while [ $i -lt 100 ]; do
	found=
	for e in /proc/[0-9]*/environ; do
		if grep -qF -- "$1" "$e" 2>/dev/null; then
			p=${e#/proc/}
			kill -9 "${p%/environ}" 2>/dev/null && found=1
		fi
	done
	[ -z "$found" ] && exit 0
	i=$((i+1))
	sleep 0.05 2>/dev/null || sleep 1
done`

// startWatchdog starts the watchdog (best effort: without /bin/sh there is
// none, and a server crash leaves what PR_SET_PDEATHSIG does not end to
// the next start with the data directory).
func (t *procTree) startWatchdog() {
	if _, err := os.Stat("/bin/sh"); err != nil || !validMarker(t.marker) {
		return
	}
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	wd := exec.Command("/bin/sh", "-c", watchdogScript, "smlocal-watchdog", t.marker)
	wd.Stdin = r
	wd.Env = []string{"PATH=" + defaultPath, "LC_ALL=C"}
	wd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // no terminal signal reaches it
	err = wd.Start()
	r.Close()
	if err != nil {
		w.Close()
		return
	}
	t.watch, t.watchCmd, t.watchPid = w, wd, wd.Process.Pid
}

func (t *procTree) closeWatchdog() {
	if t.watch == nil {
		return
	}
	io.WriteString(t.watch, "done\n")
	t.watch.Close()
	t.watchCmd.Wait()
	t.watch = nil
}

// endLeftovers kills what a previous run of the server left of a job: the
// processes recorded (same pid and start time), those whose environment
// holds its marker, and their descendants. It returns how many it found.
func endLeftovers(rec jobProcs) int {
	if rec.Boot != "" && rec.Boot != bootID() {
		return 0 // the machine restarted since: they are gone
	}
	self := os.Getpid()
	known := map[int]uint64{}
	for _, p := range rec.Pids {
		known[p.Pid] = p.Start
	}
	found := map[int]bool{}
	deadline := time.Now().Add(killWait)
	for i := 1; ; i++ {
		procs := scanProcs()
		in := map[int]bool{}
		for pid, st := range procs {
			if pid == self {
				continue
			}
			if s, ok := known[pid]; ok && s != 0 && s == st.start || environHas(pid, rec.Marker) {
				in[pid] = true
			}
		}
		addDescendants(procs, in, self)
		var live []int
		for pid := range in {
			if st := procs[pid]; st.state != 'Z' && st.state != 'X' {
				live = append(live, pid)
				found[pid] = true
			}
		}
		if len(live) == 0 || time.Now().After(deadline) {
			return len(found)
		}
		for _, pid := range live {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(time.Duration(min(i, 20)) * 5 * time.Millisecond)
	}
}

// procStat is what /proc/<pid>/stat says of a process.
type procStat struct {
	state           byte
	ppid, pgid, sid int
	start           uint64 // clock ticks after boot
}

func readProcStat(pid int) (procStat, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, false
	}
	return parseProcStat(b)
}

// parseProcStat reads "pid (comm) state ppid pgrp session … starttime …";
// comm may hold spaces and parentheses, so the fields start after the last ')'.
func parseProcStat(b []byte) (procStat, bool) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 || len(f[0]) != 1 {
		return procStat{}, false
	}
	ppid, e1 := strconv.Atoi(f[1])
	pgid, e2 := strconv.Atoi(f[2])
	sid, e3 := strconv.Atoi(f[3])
	start, e4 := strconv.ParseUint(f[19], 10, 64)
	if e1 != nil || e2 != nil || e3 != nil || e4 != nil {
		return procStat{}, false
	}
	return procStat{state: f[0][0], ppid: ppid, pgid: pgid, sid: sid, start: start}, true
}

// scanProcs reads the stat of every process.
func scanProcs() map[int]procStat {
	out := map[int]procStat{}
	d, err := os.Open("/proc")
	if err != nil {
		return out
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		if st, ok := readProcStat(pid); ok {
			out[pid] = st
		}
	}
	return out
}

// environHas reports whether the environment pid started with holds kv
// (readable for the server's own user's processes only).
func environHas(pid int, kv string) bool {
	if !validMarker(kv) {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return false
	}
	for len(b) > 0 {
		v, rest, _ := bytes.Cut(b, []byte{0})
		if string(v) == kv {
			return true
		}
		b = rest
	}
	return false
}

// validMarker reports whether kv is a job marker (never one that matches
// every process).
func validMarker(kv string) bool {
	tok, ok := strings.CutPrefix(kv, jobMarkerVar+"=")
	return ok && len(tok) >= 16
}

// bootID names this boot of the machine: start times count from it.
func bootID() string {
	b, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	return strings.TrimSpace(string(b))
}
