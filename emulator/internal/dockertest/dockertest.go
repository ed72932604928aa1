// Package dockertest builds the image the Docker executor's tests run
// (from the machine's static busybox; nothing is pulled) and runs the
// docker CLI for them.
package dockertest

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/smcore-go/smcore/internal/testenv"
)

// EntryScript is the test image's entrypoint: it records its arguments
// in the model folder, fails as ENTRY_FAIL says, and wants "train".
const EntryScript = `#!/bin/sh
host=$(hostname)
printf '%s\n' "$@" > "/opt/ml/model/entry-args-$host"
case "${ENTRY_FAIL:-}" in
1) echo "entry: failing on $host"; printf 'entry: %s failed on purpose\n' "$host" > /opt/ml/output/failure; exit 3 ;;
2) exit 4 ;;
esac
[ "$1" = train ] || { echo "entry: want train, got $*" >&2; exit 2; }
echo "entry: trained on $host"
`

// Docker runs the docker CLI with args (stdin, when not nil, on its
// input) and returns its output; a failure fails the test.
func Docker(t *testing.T, stdin []byte, args ...string) string {
	t.Helper()
	cmd := exec.Command("docker", args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("docker %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// containers are the IDs of the test's containers (running only, or all).
// Image returns the tag of the test image, imported from the machine's
// static busybox (nothing is pulled), with EntryScript as its entrypoint.
// Without busybox-static the test is skipped, or fails in CI.
func Image(t *testing.T) string {
	t.Helper()
	bb := ""
	for _, p := range []string{"/bin/busybox", "/usr/bin/busybox"} {
		if _, err := os.Stat(p); err == nil {
			bb = p
			break
		}
	}
	if bb == "" {
		testenv.Unavailable(t, "docker: no busybox to build the test image from (Debian: apt-get install busybox-static)")
	}
	f, err := elf.Open(bb)
	if err != nil {
		testenv.Unavailable(t, "docker: %s: %v", bb, err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			f.Close()
			testenv.Unavailable(t, "docker: %s is linked dynamically: the test image needs a static busybox (Debian: apt-get install busybox-static)", bb)
		}
	}
	f.Close()
	bin, err := os.ReadFile(bb)
	if err != nil {
		t.Fatal(err)
	}
	list, err := exec.Command(bb, "--list").Output()
	if err != nil {
		t.Fatalf("%s --list: %v", bb, err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	mod := time.Unix(0, 0)
	add := func(h *tar.Header, body []byte) {
		h.ModTime, h.Size = mod, int64(len(body))
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"bin/", "etc/", "usr/", "usr/local/", "usr/local/bin/"} {
		add(&tar.Header{Typeflag: tar.TypeDir, Name: d, Mode: 0o755}, nil)
	}
	add(&tar.Header{Typeflag: tar.TypeDir, Name: "tmp/", Mode: 0o1777}, nil)
	add(&tar.Header{Typeflag: tar.TypeDir, Name: "root/", Mode: 0o700}, nil)
	add(&tar.Header{Typeflag: tar.TypeReg, Name: "bin/busybox", Mode: 0o755}, bin)
	for _, a := range strings.Fields(string(list)) {
		if a != "busybox" && !strings.Contains(a, "/") {
			add(&tar.Header{Typeflag: tar.TypeSymlink, Name: "bin/" + a, Linkname: "busybox", Mode: 0o777}, nil)
		}
	}
	add(&tar.Header{Typeflag: tar.TypeReg, Name: "etc/passwd", Mode: 0o644}, []byte("root:x:0:0:root:/root:/bin/sh\n"))
	add(&tar.Header{Typeflag: tar.TypeReg, Name: "etc/group", Mode: 0o644}, []byte("root:x:0:\n"))
	add(&tar.Header{Typeflag: tar.TypeReg, Name: "usr/local/bin/sm-entry", Mode: 0o755}, []byte(EntryScript))
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	tag := "smcore-test/busybox:" + hex.EncodeToString(sum[:6])
	if exec.Command("docker", "image", "inspect", tag).Run() == nil {
		return tag
	}
	Docker(t, buf.Bytes(), "import", "--change", `ENTRYPOINT ["/usr/local/bin/sm-entry"]`,
		"--change", "ENV PATH=/usr/local/bin:/bin", "-", tag)
	return tag
}
