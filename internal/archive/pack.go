package archive

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// PackDir writes a tar.gz of the tree under dir to w: regular files,
// directories (empty ones included) and symlinks whose target stays inside
// dir by Extract's rule, so that Extract takes back anything PackDir
// writes. Symlinks are kept as links, not followed. A symlink leading
// outside dir, a socket, a device or a named pipe is an error naming it.
//
// The output is deterministic: entries in sorted order (each directory's
// names sorted, a directory followed by its contents, as Python's tarfile
// adds them), names relative to dir, permission bits and modification
// times (to the second) kept, owner and group 0 with no names, and a gzip
// header without name or time.
func PackDir(w io.Writer, dir string, opts ...PackOption) error {
	return Pack(w, []Source{{Path: dir}}, opts...)
}

// Source is a part of an archive Pack writes: the tree under a directory,
// or one file, at Name in the archive ("" puts a directory's contents at
// the top; a file's default name is its base name).
type Source struct {
	Path string
	Name string
}

// Pack writes a tar.gz of several sources, in order, with PackDir's rules
// for each (a later entry of the same name is an error, as Extract would
// refuse it).
func Pack(w io.Writer, sources []Source, opts ...PackOption) error {
	var cfg packConfig
	for _, o := range opts {
		o(&cfg)
	}
	for _, p := range cfg.ignore {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("archive: ignore pattern %q: %w", p, err)
		}
	}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	seen := map[string]bool{}
	for _, src := range sources {
		if err := packSource(tw, src, &cfg, seen); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("archive: finishing the tar: %w", err)
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("archive: finishing the gzip stream: %w", err)
	}
	return nil
}

func packSource(tw *tar.Writer, src Source, cfg *packConfig, seen map[string]bool) error {
	st, err := os.Stat(src.Path)
	if err != nil {
		return fmt.Errorf("archive: opening the directory to pack: %w", err)
	}
	dir, only := src.Path, ""
	prefix := strings.Trim(path.Clean("/"+filepath.ToSlash(src.Name)), "/")
	if !st.IsDir() {
		dir, only = filepath.Dir(src.Path), filepath.Base(src.Path)
		if prefix == "" {
			prefix = only
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("archive: opening the directory to pack: %w", err)
	}
	defer root.Close()
	start := "."
	if only != "" {
		start = only
	}
	return fs.WalkDir(root.FS(), start, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("archive: reading %s: %w", name, err)
		}
		if name == "." {
			if prefix != "" {
				return packDirHeader(tw, prefix, d, seen)
			}
			return nil
		}
		if cfg.ignored(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		out := name
		switch {
		case only != "":
			out = prefix
		case prefix != "":
			out = prefix + "/" + name
		}
		if seen[out] {
			return fmt.Errorf("archive: two sources give the archive %s", out)
		}
		seen[out] = true
		return packEntry(root, tw, name, out, d)
	})
}

// packDirHeader writes the directory entry a named source's contents go
// under.
func packDirHeader(tw *tar.Writer, name string, d fs.DirEntry, seen map[string]bool) error {
	if seen[name] {
		return fmt.Errorf("archive: two sources give the archive %s", name)
	}
	seen[name] = true
	info, err := d.Info()
	if err != nil {
		return fmt.Errorf("archive: reading %s: %w", name, err)
	}
	return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: int64(info.Mode().Perm()), ModTime: info.ModTime().Truncate(time.Second)})
}

// ignored reports whether a component of name matches an ignore pattern.
func (c *packConfig) ignored(name string) bool {
	for part := range strings.SplitSeq(name, "/") {
		for _, p := range c.ignore {
			if ok, _ := path.Match(p, part); ok {
				return true
			}
		}
	}
	return false
}

// packEntry writes the entry name of root as out in the archive.
func packEntry(root *os.Root, tw *tar.Writer, name, out string, d fs.DirEntry) error {
	info, err := d.Info()
	if err != nil {
		return fmt.Errorf("archive: reading %s: %w", name, err)
	}
	hdr := &tar.Header{
		Name:    out,
		Mode:    int64(info.Mode().Perm()),
		ModTime: info.ModTime().Truncate(time.Second),
	}
	mode := info.Mode()
	switch {
	case mode.IsDir():
		hdr.Typeflag = tar.TypeDir
		hdr.Name += "/"
	case mode.IsRegular():
		hdr.Typeflag = tar.TypeReg
		hdr.Size = info.Size()
	case mode&fs.ModeSymlink != 0:
		target, err := root.Readlink(name)
		if err != nil {
			return fmt.Errorf("archive: reading the symlink %s: %w", name, err)
		}
		if why := linkTargetProblem(out, target); why != "" {
			return fmt.Errorf("archive: cannot pack the symlink %s: %s", name, why)
		}
		hdr.Typeflag = tar.TypeSymlink
		hdr.Linkname = target
	default:
		return fmt.Errorf("archive: cannot pack %s: it is a %s, not a regular file, directory or symlink", name, describeType(mode))
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("archive: writing the header of %s: %w", name, err)
	}
	if hdr.Typeflag != tar.TypeReg {
		return nil
	}
	f, err := root.Open(name)
	if err != nil {
		return fmt.Errorf("archive: opening %s: %w", name, err)
	}
	defer f.Close()
	// Exactly the size in the header: a file that shrank meanwhile is an
	// error, not a corrupt archive; one that grew is cut at that size.
	if _, err := io.CopyN(tw, f, hdr.Size); err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("the file shrank while being packed")
		}
		return fmt.Errorf("archive: packing %s: %w", name, err)
	}
	return nil
}

func describeType(m fs.FileMode) string {
	switch {
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file (" + m.Type().String() + ")"
}
