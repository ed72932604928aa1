package emulator_test

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smcore-go/smcore/shapes"
)

// TestModelSymlinkInsideIsPacked: symbolic links in the model directory
// that point inside it are packed as symbolic links, relative to the link
// (an absolute target into the tree too), next to the files.
func TestModelSymlinkInsideIsPacked(t *testing.T) {
	ep, c := startProc(t)
	script := `cd "$SM_MODEL_DIR" && echo weights > weights.bin && mkdir sub && ln -s weights.bin latest && ln -s ../weights.bin sub/up && ln -s "$SM_MODEL_DIR/weights.bin" abs && ln -s sub dirlink`
	job := runToEnd(t, c, shJob("links-inside", script, nil, 600))
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("job %s: %s", job.TrainingJobStatus, job.FailureReason)
	}
	obj, err := s3.NewFromConfig(ep.Config, func(o *s3.Options) { o.UsePathStyle = true }).GetObject(context.Background(),
		&s3.GetObjectInput{Bucket: aws.String("out"), Key: aws.String("jobs/links-inside/output/model.tar.gz")})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Body.Close()
	zr, err := gzip.NewReader(obj.Body)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch h.Typeflag {
		case tar.TypeSymlink:
			got[h.Name] = "-> " + h.Linkname
		case tar.TypeReg:
			b, _ := io.ReadAll(tr)
			got[h.Name] = string(b)
		default:
			got[h.Name] = "type " + string(h.Typeflag)
		}
	}
	want := map[string]string{"weights.bin": "weights\n", "latest": "-> weights.bin", "sub/up": "-> ../weights.bin", "abs": "-> weights.bin", "dirlink": "-> sub"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("model.tar.gz holds %v", got)
	}
}

// TestModelSymlinkOutsideFailsSayingWhy: a symbolic link that leaves the
// model directory fails the job with a FailureReason naming it, not a tar
// error.
func TestModelSymlinkOutsideFailsSayingWhy(t *testing.T) {
	_, c := startProc(t)
	for name, link := range map[string]string{
		"link-abs":   `ln -s /etc/hostname "$SM_MODEL_DIR/leak"`,
		"link-up":    `ln -s ../input/config "$SM_MODEL_DIR/leak"`,
		"link-via":   `ln -s ../output "$SM_MODEL_DIR/out" && ln -s out/x "$SM_MODEL_DIR/leak"`,
		"named-pipe": `mkfifo "$SM_MODEL_DIR/leak"`,
	} {
		job := runToEnd(t, c, shJob(name, "echo w > \"$SM_MODEL_DIR/w\" && "+link, nil, 600))
		r := job.FailureReason
		t.Logf("%s: %s", name, r)
		if job.TrainingJobStatus != shapes.TrainingJobStatusFailed || !strings.HasPrefix(r, "AlgorithmError: the model directory holds") ||
			!strings.Contains(r, "leak") && !strings.Contains(r, "out,") || strings.Contains(r, "archive/tar") {
			t.Errorf("%s: %s %q", name, job.TrainingJobStatus, r)
		}
	}
}
