// Package disk writes the local endpoint's data directory so that a
// crash loses nothing acknowledged.
package disk

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Append appends b to the file at path (created if missing); with
// sync it also syncs the file, and a new file's directory entry.
func Append(path string, b []byte, sync bool) error {
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && sync && statErr != nil {
		SyncDir(filepath.Dir(path))
	}
	return err
}

// TightenPerms makes the data directory private to the server's user:
// directories 0700, files 0600 (they hold requests' Environment, objects
// and logs). New ones are made so; this fixes those an older version or
// another tool made.
func TightenPerms(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm()&^want != 0 {
			return os.Chmod(p, info.Mode().Perm()&want)
		}
		return nil
	})
}

// WriteAtomic replaces dir/name with b: a temporary file in the same
// directory, written and synced, renamed over the old one, and the
// directory synced so that the rename itself survives a crash.
func WriteAtomic(dir, name string, b []byte) (err error) {
	f, err := os.CreateTemp(dir, name+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(b); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
	SyncDir(dir)
	return nil
}

// SyncDir makes renames and removals in dir durable where the file system
// supports it. An error cannot undo what was done, so it is not reported.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// TornLine checks what follows a journal's last line end, from off: a
// line cut short by a crash (the start of a JSON object; never
// acknowledged, so dropped) is nil; anything else — the NUL bytes a crash
// or a failing disk can leave, a file that is not a journal — is an error,
// so that a damaged journal is never read as an empty state.
func TornLine(name string, b []byte, off int) error {
	tail := b[off:]
	if tail[0] == '{' && bytes.IndexByte(tail, 0) < 0 {
		return nil
	}
	what := fmt.Sprintf("starting %q", tail[:min(len(tail), 16)])
	if len(bytes.Trim(tail, "\x00")) == 0 {
		what = "all NUL bytes"
	}
	if off == 0 {
		return fmt.Errorf("%s: not a journal: its %d bytes are %s", name, len(tail), what)
	}
	return fmt.Errorf("%s: the %d bytes after its last whole line (from byte %d) are not a journal line: %s; the file is damaged", name, len(tail), off, what)
}
