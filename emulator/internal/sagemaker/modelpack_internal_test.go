package sagemaker

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackModelsMerges: the hosts' model folders merge in host order, a
// later host's file replacing a same-named one and what of an earlier
// host's is in its way (a folder where it has a file, a file where it has
// a folder).
func TestPackModelsMerges(t *testing.T) {
	base := t.TempDir()
	hosts := map[string]map[string]string{
		"algo-1": {"only-1.txt": "1", "common.txt": "1", "ckpt/x": "1", "f": "1", "keep/a": "1"},
		"algo-2": {"common.txt": "2", "ckpt": "2", "f/y": "2", "keep/b": "2"},
	}
	var dirs []string
	for _, h := range []string{"algo-1", "algo-2"} {
		dir := filepath.Join(base, h)
		for name, body := range hosts[h] {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		dirs = append(dirs, dir)
	}
	var buf bytes.Buffer
	if err := packModels(&buf, dirs, []string{"algo-1", "algo-2"}); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		got[h.Name] = string(b)
	}
	want := map[string]string{"only-1.txt": "1", "common.txt": "2", "ckpt": "2", "f/y": "2", "keep/a": "1", "keep/b": "2"}
	if len(got) != len(want) {
		t.Errorf("packed %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q (packed %v)", k, got[k], v, got)
		}
	}
}

// TestPackModelsNamesTheHost: a model folder that cannot be packed is a
// *modelError naming the host when there are several.
func TestPackModelsNamesTheHost(t *testing.T) {
	base := t.TempDir()
	a, b := filepath.Join(base, "a"), filepath.Join(base, "b")
	os.MkdirAll(a, 0o755)
	os.MkdirAll(b, 0o755)
	if err := os.Symlink("/etc/hostname", filepath.Join(b, "leak")); err != nil {
		t.Fatal(err)
	}
	err := packModels(io.Discard, []string{a, b}, []string{"algo-1", "algo-2"})
	var me *modelError
	if !errors.As(err, &me) || !strings.HasPrefix(me.msg, "algo-2: the model directory holds a symbolic link, leak,") {
		t.Fatalf("got %v", err)
	}
}
