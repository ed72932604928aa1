package disk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteAtomicAndAppend(t *testing.T) {
	dir := t.TempDir()
	for _, b := range []string{"first", "second"} {
		if err := WriteAtomic(dir, "state.json", []byte(b)); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "state.json")); string(b) != "second" {
		t.Errorf("state %q", b)
	}
	p := filepath.Join(dir, "journal.jsonl")
	for _, line := range []string{"{\"a\":1}\n", "{\"b\":2}\n"} {
		if err := Append(p, []byte(line), true); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(p); string(b) != "{\"a\":1}\n{\"b\":2}\n" {
		t.Errorf("journal %q", b)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		fi, _ := e.Info()
		if strings.Contains(e.Name(), ".tmp") || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v", e.Name(), fi.Mode().Perm())
		}
	}
	if err := WriteAtomic(filepath.Join(dir, "missing"), "x", nil); err == nil {
		t.Error("WriteAtomic into a missing folder")
	}
}

func TestTornLine(t *testing.T) {
	for _, c := range []struct {
		data    string
		off     int
		wantErr string
	}{
		{"{\"a\":1}\n{\"b\":", 8, ""},
		{"{\"a\":1}\n\x00\x00\x00", 8, "all NUL bytes"},
		{"\x00\x00", 0, "not a journal"},
		{"{\"a\":1}\nPK\x03\x04", 8, "damaged"},
	} {
		err := TornLine("j.jsonl", []byte(c.data), c.off)
		if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
			t.Errorf("%q: %v, want %q", c.data, err, c.wantErr)
		}
	}
}

func TestTightenPerms(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "objects")
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "o"), []byte("x"), 0o644)
	if err := TightenPerms(dir); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{sub: 0o700, filepath.Join(sub, "o"): 0o600} {
		if fi, _ := os.Stat(p); fi.Mode().Perm() != want {
			t.Errorf("%s: %v, want %v", p, fi.Mode().Perm(), want)
		}
	}
}
