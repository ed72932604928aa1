package archive

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzExtract(f *testing.F) {
	for _, gz := range []bool{false, true} {
		f.Add(build(f, gz, dir("a/"), file("a/b.txt", "hello"), symlink("a/l", "b.txt"), hardlink("c", "a/b.txt")))
		f.Add(build(f, gz, symlink("a", "."), file("a/a/x", "x")))
		f.Add(build(f, gz, file("../outside/x", "x"), file("/abs", "y")))
		f.Add(build(f, gz, symlink("x", "."), symlink("y", "x/../outside"), file("y/z", "z")))
		f.Add(build(f, gz, ent{name: "p", typ: tar.TypeFifo}, file("a/../../b", "b")))
	}
	f.Add([]byte{})
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, data []byte) {
		dest, check := sandbox(t)
		err := Extract(context.Background(), bytes.NewReader(data), dest, WithMaxBytes(64<<10), WithMaxFiles(32))
		check()
		var ue *UnsafeEntryError
		if errors.As(err, &ue) && ue.Reason == "" {
			t.Errorf("refusal without a reason: %v", err)
		}
		if _, statErr := os.Stat(dest); statErr != nil {
			return // nothing extracted
		}
		// Every symlink extracted resolves inside the destination.
		real, err := filepath.EvalSymlinks(dest)
		if err != nil {
			t.Fatal(err)
		}
		walkErr := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type()&fs.ModeSymlink == 0 {
				// No setuid, setgid, sticky or group/other write bits.
				info, err := d.Info()
				if err != nil {
					return err
				}
				if m := info.Mode(); m&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky) != 0 || m.Perm()&0o022 != 0 {
					t.Errorf("%s has mode %v", p, m)
				}
				return nil
			}
			resolved, err := filepath.EvalSymlinks(p)
			if err != nil {
				return nil // dangling or a loop: leads nowhere
			}
			if resolved != real && !strings.HasPrefix(resolved, real+string(filepath.Separator)) {
				t.Errorf("symlink %s resolves to %s, outside %s", p, resolved, real)
			}
			return nil
		})
		if walkErr != nil {
			t.Fatal(walkErr)
		}
	})
}
