package emulator_test

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// startHelper runs the test named run of this binary in a process of its
// own, with env added, and waits (at most wait) for it to print READY;
// what names what READY means in the failure messages. The process is
// killed when the test ends.
func startHelper(t *testing.T, run string, env []string, wait time.Duration, what string) *exec.Cmd {
	t.Helper()
	helper := exec.Command(os.Args[0], "-test.run=^"+run+"$", "-test.count=1")
	helper.Env = append(os.Environ(), env...)
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	helper.Stderr = os.Stderr
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { helper.Process.Kill(); helper.Wait() })
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		ok := false
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "READY" && !ok {
				ok = true
				ready <- true
			}
		}
		if !ok {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("the endpoint process ended before its %s", what)
		}
	case <-time.After(wait):
		t.Fatalf("the endpoint process's %s did not happen within %v", what, wait)
	}
	return helper
}

// childrenRunning are the pids of parent's children whose command line
// holds name (the watchdogs of a helper process).
func childrenRunning(parent int, name string) []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		st, _ := os.ReadFile("/proc/" + e.Name() + "/stat")
		i := strings.LastIndexByte(string(st), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(st[i+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(parent) && strings.Contains(string(cmdline), name) {
			pids = append(pids, pid)
		}
	}
	return pids
}
