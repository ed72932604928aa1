package sagemaker

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
	"slices"
	"strings"
)

// modelError is a model directory that cannot be packed; its text is
// the job's FailureReason after "AlgorithmError: ".
type modelError struct{ msg string }

func (e *modelError) Error() string { return e.msg }

// modelFile is an entry of a host's model directory that goes into the
// archive.
type modelFile struct {
	host    int    // the host's index
	dir     string // the host's model directory
	realDir string // dir with its symbolic links resolved
	path    string
	info    fs.FileInfo
}

// packModels packs the hosts' model directories (one per host, in host
// order) into w as one model.tar.gz, as SageMaker packs /opt/ml/model. The
// directories are merged as the SageMaker Python SDK's local mode merges
// them: the first host's files, then each later host's, a later file
// replacing a same-named one — and whatever of an earlier host's is in its
// way (its folder of that name, or a file where it has a folder).
//
// A symbolic link that points inside its directory is packed as a
// symbolic link (its target made relative to the link: the archive
// unpacks anywhere); one that points outside — or anything that is not a
// file, a directory or a symbolic link — is refused with a *modelError
// saying which and why (and, with several hosts, whose).
func packModels(w io.Writer, dirs, hosts []string) error {
	files := map[string]modelFile{}
	folders := map[string]bool{} // folders of the files added so far
	for i, dir := range dirs {
		realDir, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return err
		}
		err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			name := filepath.ToSlash(rel)
			if folders[name] { // an earlier host's folder of this name
				for n := range files {
					if strings.HasPrefix(n, name+"/") {
						delete(files, n)
					}
				}
			}
			for f := path.Dir(name); f != "."; f = path.Dir(f) {
				delete(files, f) // an earlier host's file where this one has a folder
				folders[f] = true
			}
			files[name] = modelFile{host: i, dir: dir, realDir: realDir, path: p, info: info}
			return nil
		})
		if err != nil {
			return err
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	// A folder's files together, as a walk of one directory orders them.
	slices.SortFunc(names, func(a, b string) int {
		return strings.Compare(strings.ReplaceAll(a, "/", "\x00"), strings.ReplaceAll(b, "/", "\x00"))
	})
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	for _, name := range names {
		f := files[name]
		if err := packFile(tw, name, f); err != nil {
			if me := (*modelError)(nil); errors.As(err, &me) && len(dirs) > 1 {
				me.msg = hosts[f.host] + ": " + me.msg
			}
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// packFile writes one entry of a model directory into tw.
func packFile(tw *tar.Writer, name string, f modelFile) error {
	switch mode := f.info.Mode(); {
	case mode&fs.ModeSymlink != 0:
		target, err := os.Readlink(f.path)
		if err != nil {
			return err
		}
		link, ok := linkInside(f.dir, f.realDir, f.path, target)
		if !ok {
			return &modelError{fmt.Sprintf("the model directory holds a symbolic link, %s, to %s, which is outside it: "+
				"only what the directory holds is packed into model.tar.gz; put the file itself there, or link to a file inside it", name, target)}
		}
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: link, Mode: 0o777, ModTime: f.info.ModTime(), Format: tar.FormatPAX})
	case mode.IsRegular():
		hdr, err := tar.FileInfoHeader(f.info, "")
		if err != nil {
			return err
		}
		hdr.Name = name
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		file, err := os.Open(f.path)
		if err != nil {
			return err
		}
		defer file.Close()
		_, err = io.CopyN(tw, file, hdr.Size) // the size in the header, even if the file grew since
		return err
	default:
		return &modelError{fmt.Sprintf("the model directory holds %s, which is a %s: only files, directories and symbolic links can be packed into model.tar.gz", name, fileKind(mode))}
	}
}

// linkInside reports whether the symbolic link at p (inside dir, which
// resolves to realDir) with the given target points inside dir, and the
// target relative to the link's folder. The target is judged by its path,
// and also where it resolves to if it exists (a link through another link
// that leaves dir is outside).
func linkInside(dir, realDir, p, target string) (string, bool) {
	abs := target
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(filepath.Dir(p), target)
	}
	abs = filepath.Clean(abs)
	within := func(root, q string) bool {
		rel, err := filepath.Rel(root, q)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	if !within(dir, abs) {
		// An absolute target may name the tree by its resolved path.
		rel, err := filepath.Rel(realDir, abs)
		if err != nil || !within(realDir, abs) {
			return "", false
		}
		abs = filepath.Join(dir, rel)
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil && !within(realDir, resolved) {
		return "", false
	}
	link, err := filepath.Rel(filepath.Dir(p), abs)
	if err != nil {
		return "", false
	}
	return filepath.ToSlash(link), true
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}
