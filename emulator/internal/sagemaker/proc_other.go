//go:build !unix

package sagemaker

import "os/exec"

// Elsewhere only the job's process itself is killed.

type procTree struct {
	cmd *exec.Cmd
}

func startTree(cmd *exec.Cmd, marker string, changed func([]procID)) (*procTree, <-chan error, error) {
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if changed != nil {
		changed([]procID{{Pid: cmd.Process.Pid}})
	}
	return &procTree{cmd}, done, nil
}

func (t *procTree) kill()  { t.cmd.Process.Kill() }
func (t *procTree) close() {}

func endLeftovers(rec jobProcs) int { return 0 }

func bootID() string { return "" }
