package s3

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smcore-go/smcore/emulator/internal/disk"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Durable S3 (WithDataDir).
//
// durableS3 is a gofakes3 backend whose objects' bytes live in files in the
// data directory, never in memory. gofakes3's in-memory backend is the
// index (buckets, keys, metadata, modification times, listings), every
// object in it stored with no bytes; a table beside it says where each
// object's bytes are and their size and MD5 (the ETag). Every change is on
// disk before memory changes and before the call returns, so gofakes3
// answers 2xx only for a durable change, and one that cannot be written
// changes nothing and answers InternalError (500).
//
// Layout under <data>/s3: buckets.json (names and creation times) and
// objects/<sha256 of bucket/key>, one file per object, written once: a
// head line (JSON: format 2, bucket, key), the bytes, a trailer line
// (JSON: metadata, modification time, size, SHA-256, MD5) and the length of
// the trailer line (16 hex digits and a newline). An upload streams into a
// temporary file beside its place as it is verified (a large one is
// synced then); then, with other changes held off, the trailer is added
// (the metadata a put keeps depends on the object it replaces), the file
// is synced, renamed into place and the directory synced. Files written
// before (a JSON header line with the metadata, then the bytes) are read
// and served where they are.
//
// Reads open the files through the objects directory as opened once (at
// start, or at the first put), an os.Root: a GetObject streams the file
// (or the requested range of it) and never leaves that directory. Writes
// go by path, so a data directory that has gone away fails them.
//
// Not kept: multipart uploads in progress (gofakes3 holds their parts in
// memory; a completed upload is an ordinary put and is kept), and bucket
// versioning, which this backend does not offer.

const (
	s3Dir         = "s3"
	s3BucketsFile = "buckets.json"
	s3ObjectsDir  = "objects"
)

// serverTime is the server's clock in gofakes3's terms. pin, when set,
// overrides it: durableS3 pins the time of a change so that memory and
// disk record the same instant, and the stored one on restore.
type serverTime struct {
	now func() time.Time
	mu  sync.Mutex
	pin *time.Time
}

func (t *serverTime) Now() time.Time {
	t.mu.Lock()
	p := t.pin
	t.mu.Unlock()
	if p != nil {
		return *p
	}
	return t.now()
}

func (t *serverTime) Since(u time.Time) time.Duration { return t.Now().Sub(u) }

// at runs f with the clock pinned to when.
func (t *serverTime) at(when time.Time, f func()) {
	t.mu.Lock()
	t.pin = &when
	t.mu.Unlock()
	defer func() {
		t.mu.Lock()
		t.pin = nil
		t.mu.Unlock()
	}()
	f()
}

type durableS3 struct {
	mem   *s3mem.Backend // the index; objects there have no bytes
	dir   string         // <data>/s3
	clock *serverTime
	root  *os.Root // <data>/s3/objects once it exists; reads go through it

	// mu makes the index, the table and the files agree: a change holds it
	// from its last checks to its last file operation, a read while it
	// looks up an object and opens its file.
	mu      sync.RWMutex
	objects map[string]map[string]s3File // bucket -> key -> its bytes
	buckets map[string]time.Time         // bucket -> created, as stored
	broken  map[string]error             // object file -> why it cannot be read
}

var _ gofakes3.Backend = (*durableS3)(nil)

// s3File is where an object's bytes are in its file.
type s3File struct {
	off, size int64
	md5       []byte
}

// s3Header is the head line of an object file: in format 2 (V 2) bucket
// and key only, the rest in the trailer; in the format before (V 0), all
// of it.
type s3Header struct {
	V        int               `json:"v,omitempty"`
	Bucket   string            `json:"bucket"`
	Key      string            `json:"key"`
	Meta     map[string]string `json:"meta,omitempty"`
	Modified time.Time         `json:"modified"`
	// The bytes that follow (files written before these were kept are
	// read without the check).
	Size   *int64 `json:"size,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

// s3Head is the head line of a format 2 object file.
type s3Head struct {
	V      int    `json:"v"`
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
}

// s3Trailer is the trailer line of a format 2 object file.
type s3Trailer struct {
	Meta     map[string]string `json:"meta,omitempty"`
	Modified time.Time         `json:"modified"`
	Size     int64             `json:"size"`
	SHA256   string            `json:"sha256"`
	MD5      string            `json:"md5"`
}

const (
	// An upload at least this large is synced before its commit, so that
	// the commit's sync (with other changes held off) is short; a smaller
	// one costs a single sync.
	earlySyncSize = 1 << 20

	s3FileFormat  = 2
	s3FooterLen   = 17      // the trailer line's length: 16 hex digits, '\n'
	maxS3HeadLine = 4 << 20 // a header holds the metadata: request headers, < 1 MiB
)

type s3Bucket struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

func objectName(bucket, key string) string {
	sum := sha256.Sum256([]byte(bucket + "/" + key)) // bucket names have no '/'
	return hex.EncodeToString(sum[:])
}

func (d *durableS3) objectPath(bucket, key string) string {
	return filepath.Join(d.dir, s3ObjectsDir, objectName(bucket, key))
}

// Reads go to the index, and to the object's file for its bytes.

func (d *durableS3) ListBuckets() ([]gofakes3.BucketInfo, error) { return sortedBuckets(d.mem) }
func (d *durableS3) BucketExists(name string) (bool, error)      { return d.mem.BucketExists(name) }

func (d *durableS3) ListBucket(name string, prefix *gofakes3.Prefix, page gofakes3.ListBucketPage) (*gofakes3.ObjectList, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	list, err := d.mem.ListBucket(name, prefix, page)
	if err != nil {
		return nil, err
	}
	for _, c := range list.Contents {
		if f, ok := d.objects[name][c.Key]; ok {
			c.Size, c.ETag = f.size, gofakes3.FormatETag(f.md5)
		}
	}
	return list, nil
}

func (d *durableS3) HeadObject(bucket, key string) (*gofakes3.Object, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if err := d.unreadable(bucket, key); err != nil {
		return nil, err
	}
	obj, err := d.mem.HeadObject(bucket, key)
	if err != nil {
		return nil, err
	}
	f := d.objects[bucket][key]
	obj.Size, obj.Hash = f.size, f.md5
	return obj, nil
}

func (d *durableS3) GetObject(bucket, key string, rng *gofakes3.ObjectRangeRequest) (*gofakes3.Object, error) {
	obj, loc, file, err := d.open(bucket, key)
	if err != nil {
		return nil, err
	}
	r, err := rng.Range(loc.size)
	if err != nil {
		file.Close()
		return nil, err
	}
	start, n := int64(0), loc.size
	if r != nil {
		start, n = r.Start, r.Length
	}
	obj.Range = r
	obj.Contents = fileBytes{io.NewSectionReader(file, loc.off+start, n), file}
	return obj, nil
}

// open finds an object and opens its file: once open, the file is the
// object's bytes even if a put replaces it or a delete removes it.
func (d *durableS3) open(bucket, key string) (*gofakes3.Object, s3File, *os.File, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if err := d.unreadable(bucket, key); err != nil {
		return nil, s3File{}, nil, err
	}
	obj, err := d.mem.GetObject(bucket, key, nil)
	if err != nil {
		return nil, s3File{}, nil, err
	}
	loc := d.objects[bucket][key]
	var file *os.File
	err = fs.ErrNotExist
	if d.root != nil { // it is there once an object is
		file, err = d.root.Open(objectName(bucket, key))
	}
	if err != nil {
		return nil, s3File{}, nil, gofakes3.ErrorMessage(gofakes3.ErrInternal, fmt.Sprintf(
			"the local endpoint cannot read object s3://%s/%s from its data directory: %v", bucket, key, err))
	}
	obj.Size, obj.Hash = loc.size, loc.md5
	return obj, loc, file, nil
}

// fileBytes is an object's bytes in its file, which Close closes.
type fileBytes struct {
	*io.SectionReader
	f *os.File
}

func (b fileBytes) Close() error { return b.f.Close() }

// unreadable is the error of an object whose file could not be read at
// start: S3's InternalError (500) naming the object and the file. Only
// that object fails; a put or a delete of it replaces or removes the file.
// d.mu held.
func (d *durableS3) unreadable(bucket, key string) error {
	err := d.broken[d.objectPath(bucket, key)]
	if err == nil {
		return nil
	}
	return gofakes3.ErrorMessage(gofakes3.ErrInternal, fmt.Sprintf(
		"the local endpoint cannot read object s3://%s/%s from its data directory: %v", bucket, key, err))
}

// writeBuckets stores the bucket list as it would be with b changed.
func (d *durableS3) writeBuckets(change func(map[string]time.Time)) error {
	next := maps.Clone(d.buckets)
	change(next)
	list := make([]s3Bucket, 0, len(next))
	for _, name := range slices.Sorted(maps.Keys(next)) {
		list = append(list, s3Bucket{name, next[name]})
	}
	b, _ := json.Marshal(list) // strings and times: it cannot fail
	if err := os.MkdirAll(d.dir, 0o700); err != nil {
		return err
	}
	if err := disk.WriteAtomic(d.dir, s3BucketsFile, b); err != nil {
		return err
	}
	d.buckets = next
	return nil
}

func (d *durableS3) CreateBucket(name string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.clock.now()
	var err error
	d.clock.at(now, func() { err = d.mem.CreateBucket(name) })
	if err != nil {
		return err
	}
	if err := d.writeBuckets(func(m map[string]time.Time) { m[name] = now }); err != nil {
		d.mem.ForceDeleteBucket(name) // empty: it was just made
		return err
	}
	d.objects[name] = map[string]s3File{}
	return nil
}

func (d *durableS3) DeleteBucket(name string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.buckets[name]; !ok {
		return gofakes3.BucketNotFound(name)
	}
	if len(d.keys(name)) > 0 {
		return gofakes3.ResourceError(gofakes3.ErrBucketNotEmpty, name)
	}
	return d.dropBucket(name)
}

// keys lists a bucket's keys, those of objects that could not be read at
// start included.
func (d *durableS3) keys(bucket string) []string {
	list, err := d.mem.ListBucket(bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		return nil
	}
	keys := make([]string, 0, len(list.Contents))
	for _, c := range list.Contents {
		keys = append(keys, c.Key)
	}
	return keys
}

func (d *durableS3) ForceDeleteBucket(name string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.buckets[name]; !ok {
		return gofakes3.BucketNotFound(name)
	}
	return d.dropBucket(name)
}

// dropBucket removes a bucket and what it holds. Once the bucket list no
// longer names it, the bucket is gone; object files left behind by a
// failure after that are removed on the next load.
func (d *durableS3) dropBucket(name string) error {
	if err := d.writeBuckets(func(m map[string]time.Time) { delete(m, name) }); err != nil {
		return err
	}
	keys := d.keys(name)
	d.mem.ForceDeleteBucket(name)
	for _, key := range keys {
		os.Remove(d.objectPath(name, key))
		delete(d.broken, d.objectPath(name, key))
	}
	delete(d.objects, name)
	disk.SyncDir(filepath.Join(d.dir, s3ObjectsDir))
	return nil
}

func (d *durableS3) PutObject(bucket, key string, meta map[string]string, input io.Reader, size int64, cond *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	var res gofakes3.PutObjectResult
	if ok, _ := d.mem.BucketExists(bucket); !ok {
		return res, gofakes3.BucketNotFound(bucket) // before receiving it all
	}
	up, err := d.receive(bucket, key, input, size)
	if err != nil {
		return res, err
	}
	defer up.discard()
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.buckets[bucket]; !ok {
		return res, gofakes3.BucketNotFound(bucket)
	}
	head, herr := d.mem.HeadObject(bucket, key)
	if cond != nil {
		info := &gofakes3.ConditionalObjectInfo{Exists: herr == nil, Hash: d.objects[bucket][key].md5}
		if err := gofakes3.CheckPutConditions(cond, info); err != nil {
			return res, err
		}
	}
	// gofakes3's rule (MergeMetadata): what a put does not set is kept
	// from the object it replaces.
	if herr == nil {
		for k, v := range head.Metadata {
			if _, ok := meta[k]; !ok {
				meta[k] = v
			}
		}
	}
	if d.root == nil { // the first object
		root, err := os.OpenRoot(filepath.Join(d.dir, s3ObjectsDir))
		if err != nil {
			return res, err
		}
		d.root = root
	}
	now := d.clock.now()
	p := d.objectPath(bucket, key)
	if err := up.commit(s3Trailer{Meta: meta, Modified: now}, p); err != nil {
		return res, err
	}
	var perr error
	d.clock.at(now, func() { _, perr = d.mem.PutObject(bucket, key, meta, bytes.NewReader(nil), 0, nil) })
	if perr != nil {
		// Cannot happen (the bucket exists, no conditions); the file
		// stands, and the next start serves it.
		return res, perr
	}
	d.objects[bucket][key] = up.loc
	delete(d.broken, p) // replaced
	return res, nil
}

// upload is an object's file being written.
type upload struct {
	f      *os.File // the temporary file; nil once renamed
	loc    s3File
	sha256 []byte
}

// receive streams an object's bytes into a temporary file in the objects
// directory, after the head line, and syncs it if it is large. input must
// end after size bytes: reading its end is when a verifying body (s3Body,
// gofakes3's MD5 check) reports a failure.
func (d *durableS3) receive(bucket, key string, input io.Reader, size int64) (*upload, error) {
	dir := filepath.Join(d.dir, s3ObjectsDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, objectName(bucket, key)+".*.tmp")
	if err != nil {
		return nil, err
	}
	up := &upload{f: f}
	head, _ := json.Marshal(s3Head{V: s3FileFormat, Bucket: bucket, Key: key}) // strings: it cannot fail
	head = append(head, '\n')
	if _, err := f.Write(head); err != nil {
		up.discard()
		return nil, err
	}
	sha, sum := sha256.New(), md5.New()
	n, err := io.CopyBuffer(io.MultiWriter(f, sha, sum), io.LimitReader(input, size), make([]byte, 256<<10))
	if err == nil && n < size {
		err = gofakes3.ErrIncompleteBody
	}
	if err == nil {
		var extra int64
		if extra, err = io.Copy(io.Discard, input); err == nil && extra > 0 {
			err = gofakes3.ErrIncompleteBody
		}
	}
	if err == nil && size >= earlySyncSize {
		err = f.Sync() // the bulk of it, before other changes are held off
	}
	if err != nil {
		up.discard()
		return nil, err
	}
	up.loc = s3File{off: int64(len(head)), size: size, md5: sum.Sum(nil)}
	up.sha256 = sha.Sum(nil)
	return up, nil
}

// commit ends the file with its trailer, syncs it and renames it to path.
func (up *upload) commit(t s3Trailer, path string) error {
	t.Size, t.SHA256, t.MD5 = up.loc.size, hex.EncodeToString(up.sha256), hex.EncodeToString(up.loc.md5)
	line, _ := json.Marshal(t) // strings, numbers and a time: it cannot fail
	line = append(line, '\n')
	line = fmt.Appendf(line, "%016x\n", len(line))
	if _, err := up.f.Write(line); err != nil {
		return err
	}
	if err := up.f.Sync(); err != nil {
		return err
	}
	if err := up.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(up.f.Name(), path); err != nil {
		return err
	}
	up.f = nil
	disk.SyncDir(filepath.Dir(path))
	return nil
}

// discard removes the temporary file unless it was committed.
func (up *upload) discard() {
	if up.f != nil {
		up.f.Close()
		os.Remove(up.f.Name())
		up.f = nil
	}
}

func (d *durableS3) CopyObject(srcBucket, srcKey, dstBucket, dstKey string, meta map[string]string) (gofakes3.CopyObjectResult, error) {
	return gofakes3.CopyObject(d, srcBucket, srcKey, dstBucket, dstKey, meta) // a GetObject streamed into a PutObject
}

func (d *durableS3) DeleteObject(bucket, key string) (gofakes3.ObjectDeleteResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.buckets[bucket]; !ok {
		return gofakes3.ObjectDeleteResult{}, gofakes3.BucketNotFound(bucket)
	}
	return d.deleteObject(bucket, key)
}

// deleteObject removes an object's file, then the object (d.mu held). A
// file that could not be read at start goes the same way.
func (d *durableS3) deleteObject(bucket, key string) (gofakes3.ObjectDeleteResult, error) {
	p := d.objectPath(bucket, key)
	if _, err := d.mem.HeadObject(bucket, key); err == nil || d.broken[p] != nil {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return gofakes3.ObjectDeleteResult{}, err
		}
		disk.SyncDir(filepath.Dir(p))
		delete(d.broken, p)
		delete(d.objects[bucket], key)
	}
	return d.mem.DeleteObject(bucket, key)
}

func (d *durableS3) DeleteMulti(bucket string, keys ...string) (gofakes3.MultiDeleteResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var res gofakes3.MultiDeleteResult
	if _, ok := d.buckets[bucket]; !ok {
		return res, gofakes3.BucketNotFound(bucket)
	}
	for _, key := range keys {
		if _, err := d.deleteObject(bucket, key); err != nil {
			res.Error = append(res.Error, gofakes3.ErrorResultFromError(err))
			continue
		}
		res.Deleted = append(res.Deleted, gofakes3.ObjectID{Key: key})
	}
	return res, nil
}

// load reads <data>/s3 into memory (nothing there: no buckets), the
// objects' metadata only, checking each file's bytes against the SHA-256
// it records. Object files of a bucket that no longer exists, and
// temporary files of writes that never finished, are removed. An object
// file that cannot be read fails that object only (broken; GetObject and
// HeadObject of it answer InternalError): if its head line names it, it is
// listed, with no bytes. A bucket list that cannot be read fails the whole
// of S3.
func (d *durableS3) load() error {
	d.objects, d.buckets, d.broken = map[string]map[string]s3File{}, map[string]time.Time{}, map[string]error{}
	dir := filepath.Join(d.dir, s3ObjectsDir)
	root, err := os.OpenRoot(dir)
	switch {
	case err == nil:
		d.root = root
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	b, err := os.ReadFile(filepath.Join(d.dir, s3BucketsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var list []s3Bucket
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("%s: %w", s3BucketsFile, err)
	}
	for _, bk := range list {
		d.clock.at(bk.Created, func() { err = d.mem.CreateBucket(bk.Name) })
		if err != nil {
			return fmt.Errorf("%s: bucket %q: %w", s3BucketsFile, bk.Name, err)
		}
		d.buckets[bk.Name], d.objects[bk.Name] = bk.Created, map[string]s3File{}
	}
	if d.root == nil {
		return nil // no object yet
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if strings.HasSuffix(e.Name(), ".tmp") {
			os.Remove(p)
			continue
		}
		h, loc, err := readObjectFile(root, e.Name())
		if err != nil && h.Key == "" {
			d.broken[p] = fmt.Errorf("%s: %w", p, err) // which object it holds is unknown
			continue
		}
		if _, ok := d.buckets[h.Bucket]; !ok {
			os.Remove(p)
			continue
		}
		if d.objectPath(h.Bucket, h.Key) != p {
			d.broken[p] = fmt.Errorf("%s: holds s3://%s/%s, which belongs elsewhere", p, h.Bucket, h.Key)
			continue
		}
		var perr error
		d.clock.at(h.Modified, func() {
			_, perr = d.mem.PutObject(h.Bucket, h.Key, h.Meta, bytes.NewReader(nil), 0, nil)
		})
		switch {
		case perr != nil:
			d.broken[p] = fmt.Errorf("%s: %w", p, perr)
		case err != nil:
			d.broken[p] = fmt.Errorf("%s: %w", p, err) // listed, not served
		default:
			d.objects[h.Bucket][h.Key] = loc
		}
	}
	return nil
}

// unreadableObjects lists why object files could not be read at start.
func (d *durableS3) unreadableObjects() []error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []error
	for _, p := range slices.Sorted(maps.Keys(d.broken)) {
		out = append(out, d.broken[p])
	}
	return out
}

// readObjectFile reads an object file's metadata and checks its bytes
// (streamed, never held) against the size and SHA-256 it records. On an
// error h still names the object if the head line could be read.
func readObjectFile(root *os.Root, name string) (h s3Header, loc s3File, err error) {
	f, err := root.Open(name)
	if err != nil {
		return h, loc, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return h, loc, err
	}
	total := info.Size()
	line, err := bufio.NewReader(io.LimitReader(f, maxS3HeadLine)).ReadBytes('\n')
	if err != nil {
		return h, loc, errors.New("no header line")
	}
	if err := json.Unmarshal(line, &h); err != nil {
		return s3Header{}, loc, fmt.Errorf("header: %w", err)
	}
	loc.off = int64(len(line))
	var wantSHA, wantMD5 string
	switch h.V {
	case 0: // the format before: all of it in the header, then the bytes
		loc.size = total - loc.off
		if h.Size != nil && *h.Size != loc.size {
			return h, loc, fmt.Errorf("the header says %d bytes, the file holds %d", *h.Size, loc.size)
		}
		wantSHA = h.SHA256
	case s3FileFormat:
		h.Modified = info.ModTime() // until the trailer says
		t, end, err := readTrailer(f, loc.off, total)
		if err != nil {
			return h, loc, err
		}
		h.Meta, h.Modified = t.Meta, t.Modified
		if loc.size = end - loc.off; loc.size != t.Size {
			return h, loc, fmt.Errorf("the trailer says %d bytes, the file holds %d", t.Size, loc.size)
		}
		wantSHA, wantMD5 = t.SHA256, t.MD5
	default:
		return h, loc, fmt.Errorf("unknown object file format %d", h.V)
	}
	sha, sum := sha256.New(), md5.New()
	if _, err := io.Copy(io.MultiWriter(sha, sum), io.NewSectionReader(f, loc.off, loc.size)); err != nil {
		return h, loc, err
	}
	if wantSHA != "" && hex.EncodeToString(sha.Sum(nil)) != wantSHA {
		return h, loc, errors.New("the bytes do not match the header's sha256")
	}
	loc.md5 = sum.Sum(nil)
	if wantMD5 != "" && hex.EncodeToString(loc.md5) != wantMD5 {
		return h, loc, errors.New("the bytes do not match the trailer's md5")
	}
	return h, loc, nil
}

// readTrailer reads the trailer of a format 2 file of total bytes whose
// bytes start at off; end is where they end.
func readTrailer(f *os.File, off, total int64) (t s3Trailer, end int64, err error) {
	cut := errors.New("the file is cut short: no trailer")
	if total-off < s3FooterLen {
		return t, 0, cut
	}
	var foot [s3FooterLen]byte
	if _, err := f.ReadAt(foot[:], total-s3FooterLen); err != nil {
		return t, 0, err
	}
	n, err := strconv.ParseInt(string(foot[:s3FooterLen-1]), 16, 64)
	if err != nil || foot[s3FooterLen-1] != '\n' || n < 2 || n > maxS3HeadLine || n > total-off-s3FooterLen {
		return t, 0, cut
	}
	end = total - s3FooterLen - n
	line := make([]byte, n)
	if _, err := f.ReadAt(line, end); err != nil {
		return t, 0, err
	}
	if line[n-1] != '\n' {
		return t, 0, cut
	}
	if err := json.Unmarshal(line, &t); err != nil {
		return t, 0, fmt.Errorf("trailer: %w", err)
	}
	return t, end, nil
}
