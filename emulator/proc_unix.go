//go:build unix

package emulator

import (
	"os/exec"
	"syscall"
)

// killGroup runs cmd in its own process group and kills the group when the
// command's context ends.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
