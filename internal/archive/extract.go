package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// Extract unpacks the tar archive read from r, gzip-compressed or not (the
// gzip magic bytes decide), into dir, which is created (0o755) if missing.
//
// Every entry is checked before anything is written for it, and the first
// entry refused stops the extraction with an *UnsafeEntryError (entries
// before it stay extracted):
//   - names that are absolute or leave dir through "..";
//   - names through a symlink (extracted earlier or already in dir);
//   - symlinks with an absolute target or a target that resolves outside
//     dir from the link's directory (see the rule below);
//   - hard links to anything but a regular file extracted earlier from
//     the same archive; accepted ones are extracted as copies, so no inode
//     is shared with a file outside the archive's own;
//   - character and block devices, FIFOs and unknown entry types.
//
// A symlink target must be relative, with all its ".." components first,
// climbing no higher than dir; "x/../y" is refused since the OS resolves
// ".." after a symlink x from x's target. With every link in dir following
// that rule no link leads outside; links already in dir before Extract are
// not checked, so dir should be empty or trusted. All writes also go
// through an os.Root on dir, which fails any escape the checks missed.
//
// File permissions keep the archive's bits & 0o755 (no setuid, setgid,
// sticky or group/other write), plus owner read and write; directories
// likewise plus owner rwx, so that their contents can be written. File
// modification times are kept. An entry replaces an existing file or
// symlink of the same name, or an empty directory.
//
// WithMaxBytes and WithMaxFiles stop decompression bombs; exceeding one
// returns an error wrapping ErrLimitExceeded that names the limit. ctx is
// checked between entries and while file contents are copied.
func Extract(ctx context.Context, r io.Reader, dir string, opts ...Option) error {
	cfg := extractConfig{maxBytes: DefaultMaxBytes, maxFiles: DefaultMaxFiles}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.maxBytes <= 0 {
		return fmt.Errorf("archive: WithMaxBytes(%d): the limit must be positive", cfg.maxBytes)
	}
	if cfg.maxFiles <= 0 {
		return fmt.Errorf("archive: WithMaxFiles(%d): the limit must be positive", cfg.maxFiles)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("archive: extraction not started: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("archive: creating the destination: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("archive: opening the destination: %w", err)
	}
	defer root.Close()

	br := bufio.NewReader(r)
	magic, err := br.Peek(2)
	if len(magic) == 0 {
		if err == io.EOF {
			return errors.New("archive: the input is empty (0 bytes)")
		}
		return fmt.Errorf("archive: reading the archive: %w", err)
	}
	var gz *gzip.Reader
	var stream io.Reader = br
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		if gz, err = gzip.NewReader(br); err != nil {
			return fmt.Errorf("archive: reading the gzip header: %w", err)
		}
		stream = gz
	}
	x := &extractor{
		ctx:    ctx,
		root:   root,
		cfg:    cfg,
		stream: &limitReader{r: stream, left: cfg.maxBytes},
		dirs:   map[string]bool{".": true},
		files:  map[string]bool{},
	}
	if err := x.run(); err != nil {
		return err
	}
	if gz != nil {
		return x.finishGzip()
	}
	return nil
}

// extractor holds the state of one Extract call.
type extractor struct {
	ctx     context.Context
	root    *os.Root
	cfg     extractConfig
	stream  *limitReader
	entries int
	written int64
	// dirs holds the directories known to be real (not symlinks), files
	// the regular files extracted: the targets hard links may have.
	dirs  map[string]bool
	files map[string]bool
}

func (x *extractor) run() error {
	tr := tar.NewReader(x.stream)
	for {
		if err := x.ctx.Err(); err != nil {
			return fmt.Errorf("archive: extraction stopped after %d entries: %w", x.entries, err)
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return x.readError("reading the next tar header", err)
		}
		x.entries++
		if x.entries > x.cfg.maxFiles {
			return fmt.Errorf("%w: the archive has more than %d entries (WithMaxFiles)", ErrLimitExceeded, x.cfg.maxFiles)
		}
		if err := x.entry(tr, hdr); err != nil {
			return err
		}
	}
}

// readError describes an error of the decompressed stream, which may be
// the byte limit.
func (x *extractor) readError(what string, err error) error {
	if x.stream.hit {
		return fmt.Errorf("%w: the uncompressed tar stream is larger than %d bytes (WithMaxBytes)", ErrLimitExceeded, x.cfg.maxBytes)
	}
	return fmt.Errorf("archive: %s: %w", what, err)
}

// finishGzip reads the rest of the gzip stream, so that its checksum is
// verified: the tar's end marker can come before the end of the data.
func (x *extractor) finishGzip() error {
	_, err := io.Copy(io.Discard, x.stream)
	if errors.Is(err, gzip.ErrHeader) && !x.stream.hit {
		// Bytes after a complete gzip member that start no other member
		// (often zero padding): gzip and Python ignore them too.
		return nil
	}
	if err != nil {
		return x.readError("reading the end of the gzip stream", err)
	}
	return nil
}

func (x *extractor) entry(tr *tar.Reader, hdr *tar.Header) error {
	if hdr.Typeflag == tar.TypeXGlobalHeader {
		return nil // PAX records for later entries; none matter here
	}
	name, why := localName(hdr.Name)
	if why != "" {
		return refuse(hdr.Name, "%s", why)
	}
	switch hdr.Typeflag {
	case tar.TypeDir:
		return x.dir(hdr, name)
	case tar.TypeReg, tar.TypeGNUSparse:
		return x.file(tr, hdr, name)
	case tar.TypeSymlink:
		return x.symlink(hdr, name)
	case tar.TypeLink:
		return x.hardLink(hdr, name)
	case tar.TypeChar, tar.TypeBlock:
		return refuse(hdr.Name, "it is a device; only files, directories and links are extracted")
	case tar.TypeFifo:
		return refuse(hdr.Name, "it is a FIFO; only files, directories and links are extracted")
	default:
		return refuse(hdr.Name, "its type %q is not supported", hdr.Typeflag)
	}
}

// parents checks that the directories leading to name are real
// directories, not symlinks, and creates the missing ones.
func (x *extractor) parents(hdr *tar.Header, name string) error {
	dir := path.Dir(name)
	if x.dirs[dir] {
		return nil
	}
	p := ""
	for c := range strings.SplitSeq(dir, "/") {
		p = path.Join(p, c)
		if x.dirs[p] {
			continue
		}
		fi, err := x.root.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			break // created below, with the rest
		}
		if err != nil {
			return fmt.Errorf("archive: entry %q: %w", hdr.Name, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return refuse(hdr.Name, "the name goes through the symlink %q", p)
		}
		if !fi.IsDir() {
			return fmt.Errorf("archive: entry %q: %q is not a directory", hdr.Name, p)
		}
		x.dirs[p] = true
	}
	if err := x.root.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("archive: entry %q: creating its directory: %w", hdr.Name, err)
	}
	for p := dir; p != "."; p = path.Dir(p) {
		x.dirs[p] = true
	}
	return nil
}

// clear removes what exists at name, unless it is a directory and keepDir
// is set; it reports whether a directory was kept.
func (x *extractor) clear(hdr *tar.Header, name string, keepDir bool) (bool, error) {
	fi, err := x.root.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("archive: entry %q: %w", hdr.Name, err)
	}
	if fi.IsDir() && keepDir {
		return true, nil
	}
	if err := x.root.Remove(name); err != nil {
		return false, fmt.Errorf("archive: entry %q: replacing what exists there: %w", hdr.Name, err)
	}
	delete(x.dirs, name)
	delete(x.files, name)
	return false, nil
}

func (x *extractor) dir(hdr *tar.Header, name string) error {
	if name == "." {
		return nil // the destination itself keeps its mode
	}
	if err := x.parents(hdr, name); err != nil {
		return err
	}
	perm := fs.FileMode(hdr.Mode).Perm()&0o755 | 0o700
	kept, err := x.clear(hdr, name, true)
	if err != nil {
		return err
	}
	if !kept {
		if err := x.root.Mkdir(name, perm); err != nil {
			return fmt.Errorf("archive: entry %q: %w", hdr.Name, err)
		}
	}
	// Chmod, since Mkdir's permissions pass through the umask.
	if err := x.root.Chmod(name, perm); err != nil {
		return fmt.Errorf("archive: entry %q: %w", hdr.Name, err)
	}
	x.dirs[name] = true
	return nil
}

// notDestination refuses a non-directory entry named "." (dir itself).
func notDestination(hdr *tar.Header, name string) error {
	if name == "." {
		return refuse(hdr.Name, "the name is the destination directory itself")
	}
	return nil
}

// reserve counts n more bytes to be written to files, against the limit.
func (x *extractor) reserve(hdr *tar.Header, n int64) error {
	if n > x.cfg.maxBytes-x.written {
		return fmt.Errorf("%w: entry %q would bring the extracted files over %d bytes (WithMaxBytes)", ErrLimitExceeded, hdr.Name, x.cfg.maxBytes)
	}
	x.written += n
	return nil
}

func (x *extractor) file(tr *tar.Reader, hdr *tar.Header, name string) error {
	if err := notDestination(hdr, name); err != nil {
		return err
	}
	if err := x.parents(hdr, name); err != nil {
		return err
	}
	if err := x.reserve(hdr, hdr.Size); err != nil {
		return err
	}
	perm := fs.FileMode(hdr.Mode).Perm()&0o755 | 0o600
	if err := x.write(hdr, name, tr, perm); err != nil {
		if x.stream.hit {
			return x.readError("", err)
		}
		if ctxErr := x.ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return fmt.Errorf("archive: extraction stopped in entry %q: %w", hdr.Name, ctxErr)
		}
		return err
	}
	if err := x.root.Chtimes(name, hdr.ModTime, hdr.ModTime); err != nil {
		return fmt.Errorf("archive: entry %q: %w", hdr.Name, err)
	}
	x.files[name] = true
	return nil
}

// write creates the file name (replacing what was there) with the
// contents of r.
func (x *extractor) write(hdr *tar.Header, name string, r io.Reader, perm fs.FileMode) error {
	if _, err := x.clear(hdr, name, false); err != nil {
		return err
	}
	f, err := x.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("archive: entry %q: %w", hdr.Name, err)
	}
	_, err = io.Copy(f, &ctxReader{ctx: x.ctx, r: r})
	if err == nil {
		err = f.Chmod(perm) // OpenFile's permissions pass through the umask
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("archive: entry %q: writing the file: %w", hdr.Name, err)
	}
	return nil
}

func (x *extractor) symlink(hdr *tar.Header, name string) error {
	if err := notDestination(hdr, name); err != nil {
		return err
	}
	if why := linkTargetProblem(name, hdr.Linkname); why != "" {
		return refuse(hdr.Name, "%s", why)
	}
	if err := x.parents(hdr, name); err != nil {
		return err
	}
	if _, err := x.clear(hdr, name, false); err != nil {
		return err
	}
	if err := x.root.Symlink(hdr.Linkname, name); err != nil {
		return fmt.Errorf("archive: entry %q: %w", hdr.Name, err)
	}
	return nil
}

func (x *extractor) hardLink(hdr *tar.Header, name string) error {
	if err := notDestination(hdr, name); err != nil {
		return err
	}
	target, why := localName(hdr.Linkname)
	if why != "" {
		return refuse(hdr.Name, "hard link target %q: %s", hdr.Linkname, why)
	}
	if !x.files[target] {
		return refuse(hdr.Name, "hard link target %q is not a regular file extracted earlier from this archive", hdr.Linkname)
	}
	if target == name {
		return nil // a link to itself: the file is there already
	}
	if err := x.parents(hdr, name); err != nil {
		return err
	}
	src, err := x.root.Open(target)
	if err != nil {
		return fmt.Errorf("archive: entry %q: opening hard link target: %w", hdr.Name, err)
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return fmt.Errorf("archive: entry %q: %w", hdr.Name, err)
	}
	if !fi.Mode().IsRegular() {
		return refuse(hdr.Name, "hard link target %q is not a regular file", hdr.Linkname)
	}
	if err := x.reserve(hdr, fi.Size()); err != nil {
		return err
	}
	// At most the size counted: the file cannot grow the total meanwhile.
	if err := x.write(hdr, name, io.LimitReader(src, fi.Size()), fi.Mode().Perm()); err != nil {
		return err
	}
	if err := x.root.Chtimes(name, fi.ModTime(), fi.ModTime()); err != nil {
		return fmt.Errorf("archive: entry %q: %w", hdr.Name, err)
	}
	x.files[name] = true
	return nil
}

// limitReader fails with errStreamLimit once more than left bytes are
// read, and records it.
type limitReader struct {
	r    io.Reader
	left int64
	hit  bool
}

var errStreamLimit = errors.New("uncompressed size limit reached")

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var probe [1]byte
		if n, err := l.r.Read(probe[:]); n == 0 {
			return 0, err
		}
		l.hit = true
		return 0, errStreamLimit
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// ctxReader stops a copy when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
