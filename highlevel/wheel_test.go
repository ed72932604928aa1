package highlevel_test

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"
)

// wheel writes a pure-Python wheel of one module (name.py holding body)
// into dir and returns its file name: a requirement pip installs with no
// index.
func wheel(t *testing.T, dir, name, body string) string {
	t.Helper()
	file := name + "-1.0-py3-none-any.whl"
	f, err := os.Create(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	info := name + "-1.0.dist-info/"
	for _, e := range [][2]string{
		{name + ".py", body},
		{info + "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n"},
		{info + "WHEEL", "Wheel-Version: 1.0\nGenerator: smcore-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
		{info + "RECORD", ""},
	} {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return file
}
