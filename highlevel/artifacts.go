package highlevel

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smcore-go/smcore/internal/archive"
	"github.com/smcore-go/smcore/resources"
)

// ErrNoArtifacts is returned by DownloadModel for a job without model
// artifacts (one that has not completed, or failed before uploading).
var ErrNoArtifacts = errors.New("highlevel: the training job has no model artifacts")

// DownloadModel downloads a job's model.tar.gz and unpacks it into dir
// (created if missing). No entry may leave dir: absolute names, '..' and
// links out of it are refused with an *archive.UnsafeEntryError naming
// the entry.
func (t *session) DownloadModel(ctx context.Context, job *resources.TrainingJob, dir string) error {
	if job == nil || job.ModelArtifacts == nil || job.ModelArtifacts.S3ModelArtifacts == "" {
		return ErrNoArtifacts
	}
	uri := job.ModelArtifacts.S3ModelArtifacts
	rest, ok := strings.CutPrefix(uri, "s3://")
	bucket, key, _ := strings.Cut(rest, "/")
	if !ok || bucket == "" || key == "" {
		return fmt.Errorf("highlevel: model artifacts %q: not an s3:// object", uri)
	}
	out, err := t.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return fmt.Errorf("highlevel: downloading %s: %w", uri, err)
	}
	defer out.Body.Close()
	if err := archive.Extract(ctx, out.Body, dir); err != nil {
		return fmt.Errorf("highlevel: unpacking %s into %s: %w", uri, dir, err)
	}
	return nil
}
