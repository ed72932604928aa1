package sagemaker

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/smcore-go/smcore/emulator/internal/dockertest"
	"github.com/smcore-go/smcore/internal/testenv"
)

// dockerImage is the test image, once a daemon answers (else the test is
// skipped, or fails in CI).
func dockerImage(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("docker"); err != nil {
		testenv.Unavailable(t, "docker: the docker CLI is not on PATH (Debian: apt-get install docker.io)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := (DockerExecutor{}).ServerVersion(ctx); err != nil {
		testenv.Unavailable(t, "docker: no daemon reachable (DOCKER_HOST=%q): %v; tools/dockerd-local.sh start runs a private one", os.Getenv("DOCKER_HOST"), err)
	}
	return dockertest.Image(t)
}

// TestDockerGiveBack: files a container wrote as root into a job root
// become the server's user's (here a stand-in uid when the test runs as
// root), so that the server can pack and remove them.
func TestDockerGiveBack(t *testing.T) {
	image := dockerImage(t)
	root := t.TempDir()
	dockertest.Docker(t, nil, "run", "--rm", "--network", "none", "--entrypoint", "/bin/sh",
		"--mount", "type=bind,source="+root+",target=/opt/ml", image,
		"-c", "mkdir -p /opt/ml/model/sub && echo secret > /opt/ml/model/sub/f && chmod 600 /opt/ml/model/sub/f && chmod 700 /opt/ml/model/sub")
	uid, gid := os.Geteuid(), os.Getegid()
	if uid == 0 {
		uid, gid = 4242, 4243
	}
	var notes []string
	DockerExecutor{}.giveBack(image, root, "0123456789abcdef0123456789abcdef", uid, gid, func(l string) { notes = append(notes, l) })
	if len(notes) > 0 {
		t.Errorf("notes: %q", notes)
	}
	for _, p := range []string{"model", "model/sub", "model/sub/f"} {
		fi, err := os.Lstat(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		if st := fi.Sys().(*syscall.Stat_t); int(st.Uid) != uid || int(st.Gid) != gid {
			t.Errorf("%s belongs to %d:%d, want %d:%d", p, st.Uid, st.Gid, uid, gid)
		}
	}
	if os.Geteuid() == 0 {
		os.Chown(root, 0, 0) // t.TempDir removes it either way
	}
}
