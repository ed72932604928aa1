// Package archive unpacks and packs the tar.gz archives that SageMaker
// jobs exchange (source code, model artifacts, outputs), treating every
// archive as untrusted: nothing is ever written outside the destination.
package archive

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// UnsafeEntryError is the error for an entry that Extract refuses: a name
// or link that would reach outside the destination, or an entry type that
// is not extracted (devices, FIFOs).
type UnsafeEntryError struct {
	Name   string // the entry's name in the archive
	Reason string
}

func (e *UnsafeEntryError) Error() string {
	return fmt.Sprintf("archive: refusing entry %q: %s", e.Name, e.Reason)
}

func refuse(name, format string, args ...any) error {
	return &UnsafeEntryError{Name: name, Reason: fmt.Sprintf(format, args...)}
}

// ErrLimitExceeded is wrapped by the error of an Extract stopped by
// WithMaxBytes or WithMaxFiles.
var ErrLimitExceeded = errors.New("archive: limit exceeded")

// Defaults of the Extract limits.
const (
	DefaultMaxBytes int64 = 10 << 30
	DefaultMaxFiles       = 1_000_000
)

// Option configures Extract.
type Option func(*extractConfig)

type extractConfig struct {
	maxBytes int64
	maxFiles int
}

// WithMaxBytes bounds the uncompressed size (DefaultMaxBytes unless set),
// against decompression bombs. It bounds both the tar stream after gzip
// (file contents plus 512-byte headers and padding) and the bytes written
// to files (which a sparse entry or hard links copied can make larger than
// the stream). n must be positive.
func WithMaxBytes(n int64) Option {
	return func(c *extractConfig) { c.maxBytes = n }
}

// WithMaxFiles bounds the number of entries, of any type
// (DefaultMaxFiles unless set). n must be positive.
func WithMaxFiles(n int) Option {
	return func(c *extractConfig) { c.maxFiles = n }
}

// PackOption configures PackDir.
type PackOption func(*packConfig)

type packConfig struct {
	ignore []string
}

// WithIgnore leaves out of the archive every file or directory (with its
// contents) that has a path component matching one of the patterns, with
// path.Match, as Python's shutil.ignore_patterns does: ".git",
// "__pycache__", "*.pyc".
func WithIgnore(patterns []string) PackOption {
	return func(c *packConfig) { c.ignore = append(c.ignore, patterns...) }
}

// localName returns the cleaned form of an entry name, or why it is
// refused: empty, absolute, or leaving the destination. "a/../b" is b;
// "." (the destination itself) is returned as ".".
func localName(name string) (string, string) {
	switch {
	case name == "":
		return "", "the name is empty"
	case strings.ContainsRune(name, 0):
		return "", "the name contains a NUL byte"
	case isAbs(name):
		return "", "the name is absolute"
	case hasBackslash(name):
		return "", `the name contains \, a separator on Windows`
	}
	clean := path.Clean(name)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return "", "the name leaves the destination through .."
	}
	return clean, ""
}

func isAbs(name string) bool {
	return strings.HasPrefix(name, "/") || filepath.IsAbs(name) || filepath.VolumeName(name) != ""
}

// hasBackslash reports a backslash where the OS reads it as a separator;
// elsewhere it is an ordinary character of a file name.
func hasBackslash(name string) bool {
	return filepath.Separator == '\\' && strings.ContainsRune(name, '\\')
}

// linkTargetProblem says why the symlink target of a link at name (a
// cleaned, local name) could resolve outside the destination, or "".
//
// A target is accepted when it is relative, its ".." components all come
// first and climb no higher than the destination, from the link's
// directory. A ".." after a normal component is refused even when it looks
// harmless: the OS resolves "x/.." from the target of x when x is itself a
// symlink, which a lexical check cannot see. Under this rule every link
// stays inside, since a target that only descends after climbing meets
// only links that stay inside too.
func linkTargetProblem(name, target string) string {
	switch {
	case target == "":
		return "the symlink target is empty"
	case strings.ContainsRune(target, 0):
		return "the symlink target contains a NUL byte"
	case isAbs(target):
		return fmt.Sprintf("the symlink target %q is absolute", target)
	case strings.ContainsRune(target, '\\'):
		return fmt.Sprintf(`the symlink target %q contains \, a separator on Windows`, target)
	}
	depth := 0
	if dir := path.Dir(name); dir != "." {
		depth = strings.Count(dir, "/") + 1
	}
	up, down := 0, false
	for c := range strings.SplitSeq(target, "/") {
		switch c {
		case "", ".":
		case "..":
			if down {
				return fmt.Sprintf("the symlink target %q has .. after a directory name, which another symlink could turn outside the destination", target)
			}
			up++
			if up > depth {
				return fmt.Sprintf("the symlink target %q resolves outside the destination", target)
			}
		default:
			down = true
		}
	}
	return ""
}
