package archive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// ent is one entry of a test archive.
type ent struct {
	name string
	typ  byte
	body string
	link string
	mode int64
}

func file(name, body string) ent   { return ent{name: name, typ: tar.TypeReg, body: body, mode: 0o644} }
func dir(name string) ent          { return ent{name: name, typ: tar.TypeDir, mode: 0o755} }
func symlink(name, to string) ent  { return ent{name: name, typ: tar.TypeSymlink, link: to} }
func hardlink(name, to string) ent { return ent{name: name, typ: tar.TypeLink, link: to} }

var mtime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// build writes the entries as a tar, gzip-compressed when gz is set.
func build(t testing.TB, gz bool, ents ...ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.Writer = &buf
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(&buf)
		w = zw
	}
	tw := tar.NewWriter(w)
	for _, e := range ents {
		hdr := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: e.mode, ModTime: mtime}
		if e.typ == tar.TypeXGlobalHeader {
			hdr = &tar.Header{Typeflag: e.typ, PAXRecords: map[string]string{"comment": e.body}}
		}
		if e.typ == tar.TypeReg {
			hdr.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatalf("WriteHeader(%s): %v", e.name, err)
		}
		if e.typ != tar.TypeReg {
			continue
		}
		if _, err := io.WriteString(tw, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// sandbox returns a destination inside a fresh directory, and a check
// that nothing was written beside it: the sibling "outside" stays empty.
func sandbox(t testing.TB) (string, func()) {
	t.Helper()
	base := t.TempDir()
	dest := filepath.Join(base, "dest")
	outside := filepath.Join(base, "outside")
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	return dest, func() {
		t.Helper()
		if es, err := os.ReadDir(outside); err != nil || len(es) > 0 {
			t.Fatalf("the sibling of the destination changed: %v %v", es, err)
		}
		es, err := os.ReadDir(base)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.Name() != "dest" && e.Name() != "outside" {
				t.Fatalf("%s was written beside the destination", e.Name())
			}
		}
	}
}

// tree describes the files under dir, one line each.
func tree(t testing.TB, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			lines = append(lines, fmt.Sprintf("%s -> %s", rel, target))
		case info.IsDir():
			lines = append(lines, fmt.Sprintf("%s/ %o", rel, info.Mode().Perm()))
		default:
			body, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			lines = append(lines, fmt.Sprintf("%s %o %q", rel, info.Mode().Perm(), body))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestExtract(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks and permission bits differ on Windows")
	}
	for _, gz := range []bool{true, false} {
		t.Run(fmt.Sprintf("gzip=%v", gz), func(t *testing.T) {
			dest, check := sandbox(t)
			data := build(t, gz,
				dir("./"),
				file("top.txt", "top"),
				dir("a/"),
				file("a/b/c/deep.txt", "deep"), // parents without entries
				dir("empty/"),
				symlink("a/link", "../top.txt"),
				symlink("a/b/up", "../../a"),
				symlink("self", "."),
				symlink("dangling", "missing/file"),
				hardlink("a/copy.txt", "top.txt"),
				file("./dot/./x/../y.txt", "cleaned"),
				ent{name: "modes/exec", typ: tar.TypeReg, body: "#!", mode: 0o4777},
				ent{name: "modes/readonly", typ: tar.TypeReg, body: "r", mode: 0o444},
				ent{name: "modes/private/", typ: tar.TypeDir, mode: 0o500},
				file("replaced", "old"),
				file("replaced", "new"),
				symlink("relinked", "top.txt"),
				symlink("relinked", "a"),
				ent{typ: tar.TypeXGlobalHeader, body: "global"},
			)
			if err := Extract(context.Background(), bytes.NewReader(data), dest); err != nil {
				t.Fatal(err)
			}
			check()
			want := strings.Join([]string{
				`a/ 755`,
				`a/b/ 755`,
				`a/b/c/ 755`,
				`a/b/c/deep.txt 644 "deep"`,
				`a/b/up -> ../../a`,
				`a/copy.txt 644 "top"`,
				`a/link -> ../top.txt`,
				`dangling -> missing/file`,
				`dot/ 755`,
				`dot/y.txt 644 "cleaned"`,
				`empty/ 755`,
				`modes/ 755`,
				`modes/exec 755 "#!"`,
				`modes/private/ 700`,
				`modes/readonly 644 "r"`,
				`relinked -> a`,
				`replaced 644 "new"`,
				`self -> .`,
				`top.txt 644 "top"`,
			}, "\n")
			if got := tree(t, dest); got != want {
				t.Errorf("extracted tree:\n%s\nwant:\n%s", got, want)
			}
			fi, err := os.Stat(filepath.Join(dest, "top.txt"))
			if err != nil || !fi.ModTime().Equal(mtime) {
				t.Errorf("top.txt mtime %v, %v; want %v", fi.ModTime(), err, mtime)
			}
			if body, err := os.ReadFile(filepath.Join(dest, "a", "link")); err != nil || string(body) != "top" {
				t.Errorf("reading through a/link: %q, %v", body, err)
			}
		})
	}
}

func TestExtractRefuses(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlink cases need Unix symlinks")
	}
	for _, tc := range []struct {
		name   string
		ents   []ent
		entry  string
		reason string
	}{
		{"absolute", []ent{file("/etc/pwned", "x")}, "/etc/pwned", "the name is absolute"},
		{"dot dot", []ent{file("../outside/pwned", "x")}, "../outside/pwned", "leaves the destination"},
		{"dot dot inside", []ent{file("a/../../outside/pwned", "x")}, "a/../../outside/pwned", "leaves the destination"},
		{"empty name", []ent{file("", "x")}, "", "the name is empty"},
		{"file as destination", []ent{file(".", "x")}, ".", "destination directory itself"},
		{"symlink as destination", []ent{symlink("a/..", "b")}, "a/..", "destination directory itself"},
		{"absolute symlink", []ent{symlink("a", "/etc"), file("a/passwd", "x")}, "a", `the symlink target "/etc" is absolute`},
		{"symlink leaving", []ent{symlink("a", "../outside")}, "a", `the symlink target "../outside" resolves outside`},
		{"nested symlink leaving", []ent{symlink("a/b/c", "../../../outside")}, "a/b/c", "resolves outside"},
		{"dot dot after a name", []ent{symlink("x", "."), symlink("y", "x/../outside")}, "y", "has .. after a directory name"},
		{"through an extracted symlink", []ent{dir("sub/"), symlink("a", "sub"), file("a/passwd", "x")}, "a/passwd", `goes through the symlink "a"`},
		{"through a nested symlink", []ent{symlink("d/l", "."), file("d/l/l/f", "x")}, "d/l/l/f", `goes through the symlink "d/l"`},
		{"hard link outside", []ent{hardlink("h", "../outside/x")}, "h", "leaves the destination"},
		{"hard link absolute", []ent{hardlink("h", "/etc/passwd")}, "h", "the name is absolute"},
		{"hard link to unknown file", []ent{hardlink("h", "nothere")}, "h", "not a regular file extracted earlier"},
		{"hard link to a symlink", []ent{symlink("s", "."), hardlink("h", "s")}, "h", "not a regular file extracted earlier"},
		{"hard link to a directory", []ent{dir("d/"), hardlink("h", "d")}, "h", "not a regular file extracted earlier"},
		{"char device", []ent{{name: "tty", typ: tar.TypeChar}}, "tty", "it is a device"},
		{"block device", []ent{{name: "sda", typ: tar.TypeBlock}}, "sda", "it is a device"},
		{"fifo", []ent{{name: "pipe", typ: tar.TypeFifo}}, "pipe", "it is a FIFO"},
		{"unknown type", []ent{{name: "odd", typ: 'Z'}}, "odd", `its type 'Z' is not supported`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dest, check := sandbox(t)
			err := Extract(context.Background(), bytes.NewReader(build(t, true, tc.ents...)), dest)
			check()
			var ue *UnsafeEntryError
			if !errors.As(err, &ue) {
				t.Fatalf("Extract: %v, want an *UnsafeEntryError", err)
			}
			if ue.Name != tc.entry || !strings.Contains(ue.Reason, tc.reason) {
				t.Errorf("refused %q for %q, want %q for a reason containing %q", ue.Name, ue.Reason, tc.entry, tc.reason)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("archive: refusing entry %q: ", tc.entry)) {
				t.Errorf("error text %q", err)
			}
		})
	}
}

func TestExtractExistingSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs Unix symlinks")
	}
	// A symlink already in the destination is no way out either.
	dest, check := sandbox(t)
	if err := os.MkdirAll(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(filepath.Dir(dest), "outside"), filepath.Join(dest, "out")); err != nil {
		t.Fatal(err)
	}
	err := Extract(context.Background(), bytes.NewReader(build(t, true, file("out/pwned", "x"))), dest)
	check()
	var ue *UnsafeEntryError
	if !errors.As(err, &ue) || !strings.Contains(ue.Reason, `through the symlink "out"`) {
		t.Fatalf("Extract: %v, want a refusal through the symlink", err)
	}
	// Replacing the link by a file writes the file in dest, not outside.
	if err := Extract(context.Background(), bytes.NewReader(build(t, true, file("out", "x"))), dest); err != nil {
		t.Fatal(err)
	}
	check()
}

func TestExtractConflicts(t *testing.T) {
	dest, check := sandbox(t)
	err := Extract(context.Background(), bytes.NewReader(build(t, true, file("d/f", "x"), file("d", "y"))), dest)
	check()
	if err == nil || !strings.Contains(err.Error(), `entry "d": replacing what exists there`) {
		t.Errorf("file over a non-empty directory: %v", err)
	}
	dest, check = sandbox(t)
	err = Extract(context.Background(), bytes.NewReader(build(t, true, file("f", "x"), file("f/g", "y"))), dest)
	check()
	if err == nil || !strings.Contains(err.Error(), `"f" is not a directory`) {
		t.Errorf("file under a file: %v", err)
	}
}

func TestExtractLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		ents []ent
		opts []Option
		want string
	}{
		{"files", []ent{file("a", ""), file("b", ""), file("c", "")}, []Option{WithMaxFiles(2)}, "more than 2 entries (WithMaxFiles)"},
		{"file bytes", []ent{file("small", "12345"), file("big", strings.Repeat("x", 4000))}, []Option{WithMaxBytes(3000)}, `entry "big" would bring the extracted files over 3000 bytes (WithMaxBytes)`},
		// Copies count: 8000 bytes of files from a 6000-byte tar stream.
		{"hard link copies", []ent{file("f", strings.Repeat("x", 4000)), hardlink("h1", "f")}, []Option{WithMaxBytes(6000)}, `entry "h1" would bring`},
		{"stream bytes", []ent{dir("a/"), dir("b/"), dir("c/"), dir("d/")}, []Option{WithMaxBytes(1024)}, "uncompressed tar stream is larger than 1024 bytes (WithMaxBytes)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dest, check := sandbox(t)
			err := Extract(context.Background(), bytes.NewReader(build(t, true, tc.ents...)), dest, tc.opts...)
			check()
			if !errors.Is(err, ErrLimitExceeded) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Extract: %v, want ErrLimitExceeded with %q", err, tc.want)
			}
		})
	}
	dest, _ := sandbox(t)
	for _, o := range []Option{WithMaxBytes(0), WithMaxFiles(-1)} {
		if err := Extract(context.Background(), bytes.NewReader(nil), dest, o); err == nil || !strings.Contains(err.Error(), "must be positive") {
			t.Errorf("Extract with a non-positive limit: %v", err)
		}
	}
}

// cancelAfter cancels a context once n bytes were read through it.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.n -= n; c.n <= 0 {
		c.cancel()
	}
	return n, err
}

func TestExtractCancel(t *testing.T) {
	data := build(t, false, file("a", "1"), file("b", strings.Repeat("x", 1<<20)), file("c", "3"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dest, _ := sandbox(t)
	if err := Extract(ctx, bytes.NewReader(data), dest); !errors.Is(err, context.Canceled) {
		t.Errorf("Extract with a cancelled context: %v", err)
	}
	if _, err := os.Stat(dest); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a cancelled Extract created the destination: %v", err)
	}

	// Cancelled while reading b's contents: c is never written.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	dest, _ = sandbox(t)
	err := Extract(ctx, bufioLess(&cancelAfter{r: bytes.NewReader(data), n: 4096, cancel: cancel}), dest)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Extract cancelled midway: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dest, "c")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("c was extracted after the cancellation: %v", err)
	}
}

// bufioLess hides other methods, so that reads come in small pieces.
func bufioLess(r io.Reader) io.Reader { return struct{ io.Reader }{r} }

func TestExtractBadInput(t *testing.T) {
	good := build(t, true, file("a", strings.Repeat("hello ", 100)))
	corrupt := bytes.Clone(good)
	corrupt[len(corrupt)-6] ^= 0xff // the CRC-32 in the gzip trailer
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "the input is empty"},
		{"garbage", []byte("this is not an archive at all, just some text that is long enough"), "reading the next tar header"},
		{"bad gzip header", []byte{0x1f, 0x8b, 0, 0}, "reading the gzip header"},
		{"truncated gzip", good[:len(good)/2], "unexpected EOF"},
		{"checksum", corrupt, "gzip: invalid checksum"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dest, check := sandbox(t)
			err := Extract(context.Background(), bytes.NewReader(tc.in), dest)
			check()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Extract: %v, want an error containing %q", err, tc.want)
			}
		})
	}
	// Zeros after the gzip stream (tape padding) are ignored, as by gzip.
	dest, _ := sandbox(t)
	padded := append(bytes.Clone(good), make([]byte, 512)...)
	if err := Extract(context.Background(), bytes.NewReader(padded), dest); err != nil {
		t.Errorf("Extract of a padded archive: %v", err)
	}
}

// makeTree writes a source tree for PackDir.
func makeTree(t *testing.T, dir string) {
	t.Helper()
	for name, body := range map[string]string{
		"train.py":                        "print('hi')",
		"pkg/__init__.py":                 "",
		"pkg/model.py":                    "x = 1",
		"pkg/__pycache__/model.cpython.c": "junk",
		"pkg/model.pyc":                   "junk",
		".git/config":                     "junk",
		"data/deep/er/file.txt":           "deep",
		"sub/.git/HEAD":                   "junk",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(dir, "train.py"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if err := os.Symlink("../train.py", filepath.Join(dir, "pkg", "entry.py")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("pkg", filepath.Join(dir, "alias")); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Date(2023, 1, 2, 3, 4, 5, 600, time.UTC)
	if err := os.Chtimes(filepath.Join(dir, "pkg", "model.py"), old, old); err != nil {
		t.Fatal(err)
	}
}

func TestPackDirRoundTrip(t *testing.T) {
	src := t.TempDir()
	makeTree(t, src)
	var first, second bytes.Buffer
	ignore := WithIgnore([]string{".git", "__pycache__", "*.pyc"})
	if err := PackDir(&first, src, ignore); err != nil {
		t.Fatal(err)
	}
	if err := PackDir(&second, src, ignore); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Error("PackDir wrote different bytes for the same tree")
	}

	// The archive lists sorted names, directory before contents, with
	// deterministic headers.
	zr, err := gzip.NewReader(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !zr.ModTime.IsZero() || zr.Name != "" {
		t.Errorf("gzip header has time %v, name %q", zr.ModTime, zr.Name)
	}
	tr := tar.NewReader(zr)
	var names []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, hdr.Name)
		if hdr.Uid != 0 || hdr.Gid != 0 || hdr.Uname != "" || hdr.Gname != "" {
			t.Errorf("%s: owner %d/%d %q/%q", hdr.Name, hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname)
		}
		if hdr.Name == "pkg/model.py" && !hdr.ModTime.Equal(time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)) {
			t.Errorf("pkg/model.py mtime %v", hdr.ModTime)
		}
	}
	want := []string{"alias", "data/", "data/deep/", "data/deep/er/", "data/deep/er/file.txt", "empty/",
		"pkg/", "pkg/__init__.py", "pkg/entry.py", "pkg/model.py", "sub/", "train.py"}
	if runtime.GOOS == "windows" {
		want = []string{"data/", "data/deep/", "data/deep/er/", "data/deep/er/file.txt", "empty/",
			"pkg/", "pkg/__init__.py", "pkg/model.py", "sub/", "train.py"}
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(names, " "), strings.Join(want, " "))
	}

	dest, check := sandbox(t)
	if err := Extract(context.Background(), &first, dest); err != nil {
		t.Fatal(err)
	}
	check()
	if runtime.GOOS == "windows" {
		return
	}
	wantTree := strings.Join([]string{
		`alias -> pkg`,
		`data/ 755`,
		`data/deep/ 755`,
		`data/deep/er/ 755`,
		`data/deep/er/file.txt 644 "deep"`,
		`empty/ 755`,
		`pkg/ 755`,
		`pkg/__init__.py 644 ""`,
		`pkg/entry.py -> ../train.py`,
		`pkg/model.py 644 "x = 1"`,
		`sub/ 755`,
		`train.py 755 "print('hi')"`,
	}, "\n")
	if got := tree(t, dest); got != wantTree {
		t.Errorf("round trip:\n%s\nwant:\n%s", got, wantTree)
	}
	fi, err := os.Stat(filepath.Join(dest, "pkg", "model.py"))
	if err != nil || !fi.ModTime().Equal(time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("model.py mtime after the round trip: %v, %v", fi.ModTime(), err)
	}
}

func TestPackDirRefuses(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs Unix symlinks and sockets")
	}
	for _, tc := range []struct {
		name, link, want string
	}{
		{"outside", "../../etc/passwd", `cannot pack the symlink a/link: the symlink target "../../etc/passwd" resolves outside`},
		{"absolute", "/etc/passwd", `cannot pack the symlink a/link: the symlink target "/etc/passwd" is absolute`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := t.TempDir()
			if err := os.Mkdir(filepath.Join(src, "a"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(tc.link, filepath.Join(src, "a", "link")); err != nil {
				t.Fatal(err)
			}
			err := PackDir(io.Discard, src)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("PackDir: %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("socket", func(t *testing.T) {
		// A short directory: socket paths are limited to about 100 bytes.
		src, err := os.MkdirTemp("", "pk")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(src) })
		l, err := net.Listen("unix", filepath.Join(src, "sock"))
		if err != nil {
			t.Skipf("cannot make a unix socket: %v", err)
		}
		defer l.Close()
		err = PackDir(io.Discard, src)
		if err == nil || !strings.Contains(err.Error(), "cannot pack sock: it is a socket") {
			t.Errorf("PackDir: %v, want a socket error", err)
		}
	})
	t.Run("bad pattern", func(t *testing.T) {
		err := PackDir(io.Discard, t.TempDir(), WithIgnore([]string{"["}))
		if err == nil || !strings.Contains(err.Error(), `ignore pattern "["`) {
			t.Errorf("PackDir: %v, want a pattern error", err)
		}
	})
	t.Run("missing dir", func(t *testing.T) {
		err := PackDir(io.Discard, filepath.Join(t.TempDir(), "nope"))
		if err == nil || !strings.Contains(err.Error(), "opening the directory to pack") {
			t.Errorf("PackDir: %v", err)
		}
	})
}

func TestIgnored(t *testing.T) {
	c := packConfig{ignore: []string{".git", "__pycache__", "*.pyc"}}
	for name, want := range map[string]bool{
		".git": true, "a/.git/HEAD": true, "a/b/__pycache__": true, "x.pyc": true, "a/x.pyc": true,
		"a/x.py": false, "git": false, ".github/workflows": false, "pyc": false,
	} {
		if got := c.ignored(name); got != want {
			t.Errorf("ignored(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestPackSources(t *testing.T) {
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "train.py"), []byte("print(1)"), 0o644)
	os.MkdirAll(filepath.Join(src, "pkg"), 0o755)
	os.WriteFile(filepath.Join(src, "pkg", "m.py"), []byte("x"), 0o644)
	dep := t.TempDir()
	os.WriteFile(filepath.Join(dep, "util.py"), []byte("u"), 0o644)
	one := filepath.Join(t.TempDir(), "extra.txt")
	os.WriteFile(one, []byte("e"), 0o644)
	var buf bytes.Buffer
	if err := Pack(&buf, []Source{{Path: src}, {Path: dep, Name: "mylib"}, {Path: one}}); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := Extract(context.Background(), &buf, out); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"train.py": "print(1)", "pkg/m.py": "x", "mylib/util.py": "u", "extra.txt": "e"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || string(b) != want {
			t.Errorf("%s: %q, %v", name, b, err)
		}
	}
	if err := Pack(io.Discard, []Source{{Path: src}, {Path: one, Name: "train.py"}}); err == nil || !strings.Contains(err.Error(), "two sources give the archive train.py") {
		t.Errorf("a clash: %v", err)
	}
}
