//go:build unix

package sagemaker

import (
	"io"
	"io/fs"
	"os"
	"os/exec"
	"syscall"
)

// dockerWatchdogScript removes container $2 with the CLI $1 once its stdin
// ends without "done": the server died, and nothing else would end the
// container.
const dockerWatchdogScript = `read -r line
[ "$line" = done ] && exit 0
exec "$1" rm --force --volumes "$2" >/dev/null 2>&1`

// dockerWatchdog is a host's watchdog; nil is none.
type dockerWatchdog struct {
	w   *os.File
	cmd *exec.Cmd
}

// startWatchdog starts the watchdog of container name (best effort:
// without /bin/sh there is none, and a crash leaves the container to the
// next start with the data directory, or to the user).
func (d DockerExecutor) startWatchdog(name string) *dockerWatchdog {
	if _, err := os.Stat("/bin/sh"); err != nil {
		return nil
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil
	}
	cmd := exec.Command("/bin/sh", "-c", dockerWatchdogScript, "smlocal-docker-watchdog", d.cli(), name)
	cmd.Stdin = r
	cmd.Env = d.cliEnv(nil)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // no terminal signal reaches it
	err = cmd.Start()
	r.Close()
	if err != nil {
		w.Close()
		return nil
	}
	return &dockerWatchdog{w: w, cmd: cmd}
}

// done dismisses the watchdog: the container has been removed.
func (wd *dockerWatchdog) done() {
	if wd == nil {
		return
	}
	io.WriteString(wd.w, "done\n")
	wd.w.Close()
	wd.cmd.Wait()
}

// fileOwner is the uid owning a file, -1 if unknown.
func fileOwner(info fs.FileInfo) int {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}
