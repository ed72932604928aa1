//go:build unix && !linux

package sagemaker

import (
	"os/exec"
	"syscall"
)

// Elsewhere than Linux there is no /proc to follow a tree with: the job
// runs in a process group of its own, and ending it kills the group (a
// descendant that leaves the group with setsid escapes, and so does the
// group when the server dies).

type procTree struct {
	pgid int
}

func startTree(cmd *exec.Cmd, marker string, changed func([]procID)) (*procTree, <-chan error, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t := &procTree{pgid: cmd.Process.Pid}
	if changed != nil {
		changed([]procID{{Pid: t.pgid}})
	}
	return t, done, nil
}

func (t *procTree) kill()  { syscall.Kill(-t.pgid, syscall.SIGKILL) }
func (t *procTree) close() {}

// endLeftovers does nothing here: without start times a recorded pid may
// name another process by now.
func endLeftovers(rec jobProcs) int { return 0 }

func bootID() string { return "" }
