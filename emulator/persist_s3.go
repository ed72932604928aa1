package emulator

import (
	"bytes"
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
	"strings"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Durable S3 (WithDataDir).
//
// durableS3 is a gofakes3 backend over the in-memory one: reads go to
// memory, and every change (bucket created or deleted, object put, copied
// or deleted) is written to the data directory before the call returns, so
// gofakes3 answers 2xx only for a durable change. A change that cannot be
// written is undone in memory and answers InternalError (500).
//
// Layout under <data>/s3: buckets.json (names and creation times) and
// objects/<sha256 of bucket/key>, each a JSON header line (bucket, key,
// metadata, modification time) followed by the object's bytes, written
// whole (temporary file, fsync, rename). Changes are serialized, so memory
// and disk never disagree about the order of two writes.
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
	mem   *s3mem.Backend
	dir   string // <data>/s3
	clock *serverTime

	mu      sync.Mutex                      // serializes changes
	objects map[string]map[string]time.Time // bucket -> key -> modified, as stored
	buckets map[string]time.Time            // bucket -> created, as stored
	broken  map[string]error                // object file -> why it cannot be read
}

var _ gofakes3.Backend = (*durableS3)(nil)

type s3Header struct {
	Bucket   string            `json:"bucket"`
	Key      string            `json:"key"`
	Meta     map[string]string `json:"meta,omitempty"`
	Modified time.Time         `json:"modified"`
	// The bytes that follow (files written before these were kept are
	// read without the check).
	Size   *int64 `json:"size,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

type s3Bucket struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

func (d *durableS3) objectPath(bucket, key string) string {
	sum := sha256.Sum256([]byte(bucket + "/" + key)) // bucket names have no '/'
	return filepath.Join(d.dir, s3ObjectsDir, hex.EncodeToString(sum[:]))
}

// Reads go to memory.

func (d *durableS3) ListBuckets() ([]gofakes3.BucketInfo, error) { return sortedBuckets(d.mem) }
func (d *durableS3) BucketExists(name string) (bool, error)      { return d.mem.BucketExists(name) }
func (d *durableS3) ListBucket(name string, prefix *gofakes3.Prefix, page gofakes3.ListBucketPage) (*gofakes3.ObjectList, error) {
	return d.mem.ListBucket(name, prefix, page)
}
func (d *durableS3) GetObject(bucket, key string, rng *gofakes3.ObjectRangeRequest) (*gofakes3.Object, error) {
	if err := d.unreadable(bucket, key); err != nil {
		return nil, err
	}
	return d.mem.GetObject(bucket, key, rng)
}
func (d *durableS3) HeadObject(bucket, key string) (*gofakes3.Object, error) {
	if err := d.unreadable(bucket, key); err != nil {
		return nil, err
	}
	return d.mem.HeadObject(bucket, key)
}

// unreadable is the error of an object whose file could not be read at
// start: S3's InternalError (500) naming the object and the file. Only
// that object fails; a put or a delete of it replaces or removes the file.
func (d *durableS3) unreadable(bucket, key string) error {
	d.mu.Lock()
	err := d.broken[d.objectPath(bucket, key)]
	d.mu.Unlock()
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
	if err := writeFileAtomic(d.dir, s3BucketsFile, b); err != nil {
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
	d.objects[name] = map[string]time.Time{}
	return nil
}

func (d *durableS3) DeleteBucket(name string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.buckets[name]; !ok {
		return gofakes3.BucketNotFound(name)
	}
	if len(d.objects[name]) > 0 {
		return gofakes3.ResourceError(gofakes3.ErrBucketNotEmpty, name)
	}
	return d.dropBucket(name)
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
	d.mem.ForceDeleteBucket(name)
	for key := range d.objects[name] {
		os.Remove(d.objectPath(name, key))
		delete(d.broken, d.objectPath(name, key))
	}
	delete(d.objects, name)
	syncDir(filepath.Join(d.dir, s3ObjectsDir))
	return nil
}

// saved is an object as it was before a change, to undo the change.
type saved struct {
	meta     map[string]string
	data     []byte
	modified time.Time
}

func (d *durableS3) save(bucket, key string) (*saved, error) {
	modified, ok := d.objects[bucket][key]
	if !ok {
		return nil, nil
	}
	obj, err := d.mem.GetObject(bucket, key, nil)
	if err != nil {
		return nil, err
	}
	defer obj.Contents.Close()
	data, err := io.ReadAll(obj.Contents)
	if err != nil {
		return nil, err
	}
	return &saved{maps.Clone(obj.Metadata), data, modified}, nil
}

// restore puts back in memory what save returned (nil: no object).
func (d *durableS3) restore(bucket, key string, old *saved) {
	if old == nil {
		d.mem.DeleteObject(bucket, key)
		delete(d.objects[bucket], key)
		return
	}
	d.clock.at(old.modified, func() {
		d.mem.PutObject(bucket, key, old.meta, bytes.NewReader(old.data), int64(len(old.data)), nil)
	})
	d.objects[bucket][key] = old.modified
}

func (d *durableS3) PutObject(bucket, key string, meta map[string]string, input io.Reader, size int64, cond *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	data, err := gofakes3.ReadAll(input, size)
	if err != nil {
		return gofakes3.PutObjectResult{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.buckets[bucket]; !ok {
		return gofakes3.PutObjectResult{}, gofakes3.BucketNotFound(bucket)
	}
	old, err := d.save(bucket, key)
	if err != nil {
		return gofakes3.PutObjectResult{}, err
	}
	now := d.clock.now()
	var res gofakes3.PutObjectResult
	d.clock.at(now, func() { res, err = d.mem.PutObject(bucket, key, meta, bytes.NewReader(data), size, cond) })
	if err != nil {
		return res, err
	}
	// What memory holds now: the new metadata merged over the old.
	head, err := d.mem.HeadObject(bucket, key)
	if err == nil {
		err = d.writeObject(s3Header{Bucket: bucket, Key: key, Meta: head.Metadata, Modified: now}, data)
	}
	if err != nil {
		d.restore(bucket, key, old)
		return gofakes3.PutObjectResult{}, err
	}
	d.objects[bucket][key] = now
	delete(d.broken, d.objectPath(bucket, key)) // replaced
	return res, nil
}

func (d *durableS3) writeObject(h s3Header, data []byte) error {
	size, sum := int64(len(data)), sha256.Sum256(data)
	h.Size, h.SHA256 = &size, hex.EncodeToString(sum[:])
	hb, _ := json.Marshal(h) // strings and a time: it cannot fail
	b := make([]byte, 0, len(hb)+1+len(data))
	b = append(append(append(b, hb...), '\n'), data...)
	p := d.objectPath(h.Bucket, h.Key)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Dir(p), filepath.Base(p), b)
}

func (d *durableS3) CopyObject(srcBucket, srcKey, dstBucket, dstKey string, meta map[string]string) (gofakes3.CopyObjectResult, error) {
	return gofakes3.CopyObject(d, srcBucket, srcKey, dstBucket, dstKey, meta) // through PutObject
}

func (d *durableS3) DeleteObject(bucket, key string) (gofakes3.ObjectDeleteResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.buckets[bucket]; !ok {
		return gofakes3.ObjectDeleteResult{}, gofakes3.BucketNotFound(bucket)
	}
	return d.deleteObject(bucket, key)
}

func (d *durableS3) deleteObject(bucket, key string) (gofakes3.ObjectDeleteResult, error) {
	if p := d.objectPath(bucket, key); d.broken[p] != nil {
		// An object that could not be read: deleting it removes its file.
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return gofakes3.ObjectDeleteResult{}, err
		}
		syncDir(filepath.Dir(p))
		delete(d.broken, p)
		d.mem.DeleteObject(bucket, key)
		delete(d.objects[bucket], key)
		return gofakes3.ObjectDeleteResult{}, nil
	}
	old, err := d.save(bucket, key)
	if err != nil {
		return gofakes3.ObjectDeleteResult{}, err
	}
	res, err := d.mem.DeleteObject(bucket, key)
	if err != nil || old == nil {
		return res, err
	}
	p := d.objectPath(bucket, key)
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		d.restore(bucket, key, old)
		return gofakes3.ObjectDeleteResult{}, err
	}
	syncDir(filepath.Dir(p))
	delete(d.objects[bucket], key)
	return res, nil
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

// load reads <data>/s3 into memory (nothing there: no buckets). Object
// files of a bucket that no longer exists, and temporary files of writes
// that never finished, are removed. An object file that cannot be read
// fails that object only (broken; GetObject and HeadObject of it answer
// InternalError): if its header names it, it is listed, with no bytes.
// A bucket list that cannot be read fails the whole of S3.
func (d *durableS3) load() error {
	d.objects, d.buckets, d.broken = map[string]map[string]time.Time{}, map[string]time.Time{}, map[string]error{}
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
		d.buckets[bk.Name], d.objects[bk.Name] = bk.Created, map[string]time.Time{}
	}
	dir := filepath.Join(d.dir, s3ObjectsDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if strings.HasSuffix(e.Name(), ".tmp") {
			os.Remove(p)
			continue
		}
		h, data, err := readObjectFile(p)
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
		if err != nil {
			d.broken[p] = fmt.Errorf("%s: %w", p, err)
			data = nil // listed, not served
		}
		var perr error
		d.clock.at(h.Modified, func() {
			_, perr = d.mem.PutObject(h.Bucket, h.Key, h.Meta, bytes.NewReader(data), int64(len(data)), nil)
		})
		if perr != nil {
			d.broken[p] = fmt.Errorf("%s: %w", p, perr)
			continue
		}
		d.objects[h.Bucket][h.Key] = h.Modified
	}
	return nil
}

// unreadableObjects lists why object files could not be read at start.
func (d *durableS3) unreadableObjects() []error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []error
	for _, p := range slices.Sorted(maps.Keys(d.broken)) {
		out = append(out, d.broken[p])
	}
	return out
}

func readObjectFile(p string) (s3Header, []byte, error) {
	var h s3Header
	b, err := os.ReadFile(p)
	if err != nil {
		return h, nil, err
	}
	line, data, ok := bytes.Cut(b, []byte("\n"))
	if !ok {
		return h, nil, errors.New("no header line")
	}
	if err := json.Unmarshal(line, &h); err != nil {
		return s3Header{}, nil, fmt.Errorf("header: %w", err)
	}
	if h.Size != nil && *h.Size != int64(len(data)) {
		return h, nil, fmt.Errorf("the header says %d bytes, the file holds %d", *h.Size, len(data))
	}
	if sum := sha256.Sum256(data); h.SHA256 != "" && h.SHA256 != hex.EncodeToString(sum[:]) {
		return h, nil, errors.New("the bytes do not match the header's sha256")
	}
	return h, data, nil
}
