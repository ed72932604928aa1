package s3

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smcore-go/smcore/emulator/internal/region"
	"github.com/smcore-go/smcore/emulator/internal/sigv4"
)

func newService(dir string) *Service {
	return New(Config{ARNs: region.ARNs{Default: "us-east-1", Account: "111122223333"}, Now: time.Now, Dir: dir,
		Verifier: &sigv4.Verifier{AccessKeyID: "test", SecretAccessKey: "test"}})
}

func read(t *testing.T, s *Service, bucket, key string) string {
	t.Helper()
	rc, err := s.GetObject(t.Context(), bucket, key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGoAPI(t *testing.T) {
	s := newService("")
	ctx := t.Context()
	if err := s.PutObject(ctx, "missing", "k", strings.NewReader("x")); err == nil {
		t.Fatal("PutObject into a missing bucket")
	}
	for range 2 {
		if err := s.EnsureBucket(ctx, "data"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.EnsureBucket(ctx, "Not_A_Bucket"); err == nil {
		t.Error("an invalid bucket name was created")
	}
	for _, k := range []string{"train/b.csv", "train/a.csv", "test/c.csv"} {
		if err := s.PutObject(ctx, "data", k, strings.NewReader("content of "+k)); err != nil {
			t.Fatal(err)
		}
	}
	// A reader without Len is read whole first.
	if err := s.PutObject(ctx, "data", "train/r.csv", io.MultiReader(strings.NewReader("multi"))); err != nil {
		t.Fatal(err)
	}
	keys, err := s.ListObjects(ctx, "data", "train/")
	if err != nil || !slices.Equal(keys, []string{"train/a.csv", "train/b.csv", "train/r.csv"}) {
		t.Fatalf("ListObjects: %q %v", keys, err)
	}
	if got := read(t, s, "data", "train/r.csv"); got != "multi" {
		t.Errorf("GetObject: %q", got)
	}
	_, err = s.GetObject(ctx, "data", "nope")
	var e *Error
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &e) || e.Key != "nope" {
		t.Errorf("a missing key: %v", err)
	}
}

// serve sends an S3 request whose signature the router has checked.
func serve(s *Service, reg, method, path string, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	r = r.WithContext(region.With(r.Context(), reg))
	w := httptest.NewRecorder()
	s.Serve(w, r, &sigv4.Auth{Scope: sigv4.Scope{Service: "s3", Region: reg}, Payload: sigv4.UnsignedPayload})
	return w
}

func TestCreateBucketAgainIsTheOwners(t *testing.T) {
	s := newService("")
	if w := serve(s, "us-east-1", http.MethodPut, "/mine", nil); w.Code != 200 {
		t.Fatalf("CreateBucket: %d %s", w.Code, w.Body)
	}
	if w := serve(s, "us-east-1", http.MethodPut, "/mine", nil); w.Code != 200 {
		t.Errorf("again in us-east-1: %d %s", w.Code, w.Body)
	}
	if w := serve(s, "eu-west-1", http.MethodPut, "/mine", nil); w.Code != 409 || !strings.Contains(w.Body.String(), "<Code>BucketAlreadyOwnedByYou</Code>") {
		t.Errorf("again elsewhere: %d %s", w.Code, w.Body)
	}
}

func TestServePutGetAndErrorForm(t *testing.T) {
	s := newService("")
	if w := serve(s, "us-east-1", http.MethodPut, "/bkt", nil); w.Code != 200 {
		t.Fatalf("CreateBucket: %d %s", w.Code, w.Body)
	}
	if w := serve(s, "us-east-1", http.MethodPut, "/bkt/k.txt", []byte("hello")); w.Code != 200 {
		t.Fatalf("PutObject: %d %s", w.Code, w.Body)
	}
	if got := read(t, s, "bkt", "k.txt"); got != "hello" {
		t.Errorf("stored %q", got)
	}
	w := serve(s, "us-east-1", http.MethodGet, "/bkt/none", nil)
	if w.Code != 404 || !strings.Contains(w.Body.String(), "<Code>NoSuchKey</Code>") || w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("GetObject of a missing key: %d %v %s", w.Code, w.Header(), w.Body)
	}
}

func TestDataDirAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	s := newService(dir)
	ctx := t.Context()
	if err := s.EnsureBucket(ctx, "kept"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "b"} {
		if err := s.PutObject(ctx, "kept", k, strings.NewReader("bytes of "+k)); err != nil {
			t.Fatal(err)
		}
	}
	s2 := newService(dir)
	if err := s2.Err(); err != nil {
		t.Fatal(err)
	}
	if got := read(t, s2, "kept", "a"); got != "bytes of a" {
		t.Errorf("after a restart: %q", got)
	}
	// Every file is private; a damaged object fails that object only.
	var files []string
	filepath.WalkDir(filepath.Join(dir, s3Dir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, _ := d.Info(); fi.Mode().Perm() != 0o600 {
				t.Errorf("%s is %v", p, fi.Mode().Perm())
			}
			files = append(files, p)
		}
		return nil
	})
	var damaged bool
	for _, p := range files {
		if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("bytes of b")) {
			os.WriteFile(p, bytes.ReplaceAll(b, []byte("bytes of b"), []byte("bytes of c")), 0o600)
			damaged = true
		}
	}
	if !damaged {
		t.Fatalf("no object file holds b's bytes: %q", files)
	}
	s3 := newService(dir)
	if err := s3.Err(); err != nil {
		t.Errorf("one damaged object fails the store: %v", err)
	}
	if got := read(t, s3, "kept", "a"); got != "bytes of a" {
		t.Errorf("the intact object: %q", got)
	}
	if rc, err := s3.GetObject(ctx, "kept", "b"); err == nil {
		b, rerr := io.ReadAll(rc)
		rc.Close()
		if rerr == nil {
			t.Errorf("the damaged object was served: %q", b)
		}
	}
}
