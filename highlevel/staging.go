package highlevel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// S3API is the part of the S3 client a trainer calls: the transfer
// manager's operations for uploads and downloads, and the bucket checks.
type S3API interface {
	transfermanager.S3APIClient
	HeadBucket(ctx context.Context, in *s3.HeadBucketInput, optFns ...func(*s3.Options)) (*s3.HeadBucketOutput, error)
	CreateBucket(ctx context.Context, in *s3.CreateBucketInput, optFns ...func(*s3.Options)) (*s3.CreateBucketOutput, error)
}

// defaultBucket is the bucket for staged inputs and default output
// paths: WithDefaultBucket, else the config file's
// SageMaker.PythonSDK.Modules.Session.DefaultS3Bucket (and its
// DefaultS3ObjectKeyPrefix), else sagemaker-{region}-{account}.
func (t *session) defaultBucket(ctx context.Context) (bucket, prefix string, err error) {
	switch {
	case t.o.bucketSet:
		bucket, prefix = t.o.bucket, t.o.prefix
	case t.conf != nil && t.conf.Session().DefaultS3Bucket != "":
		s := t.conf.Session()
		bucket, prefix = s.DefaultS3Bucket, s.DefaultS3ObjectKeyPrefix
	default:
		account, _, err := t.resolvedAccount(ctx)
		if err != nil {
			return "", "", err
		}
		if t.aws.Region == "" {
			return "", "", errors.New("highlevel: no region is configured (AWS_REGION, a profile's region, or WithAWSConfig), so there is no default bucket")
		}
		bucket = "sagemaker-" + t.aws.Region + "-" + account
		if t.conf != nil {
			prefix = t.conf.Session().DefaultS3ObjectKeyPrefix
		}
	}
	return bucket, strings.Trim(prefix, "/"), nil
}

// ensureBucket creates the default bucket when it does not exist, and
// checks that one that does belongs to the caller's account.
func (t *session) ensureBucket(ctx context.Context, bucket string) error {
	account, _, err := t.resolvedAccount(ctx)
	if err != nil {
		return err
	}
	_, err = t.s3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket), ExpectedBucketOwner: aws.String(account)})
	if err == nil {
		return nil
	}
	var api smithy.APIError
	if !errors.As(err, &api) {
		return fmt.Errorf("highlevel: checking bucket %s: %w", bucket, err)
	}
	switch api.ErrorCode() {
	case "NotFound", "NoSuchBucket", "404":
	case "Forbidden", "AccessDenied", "403":
		return fmt.Errorf("highlevel: bucket %s exists but does not belong to account %s (or it may not be read): choose another with WithDefaultBucket: %w", bucket, account, err)
	default:
		return fmt.Errorf("highlevel: checking bucket %s: %w", bucket, err)
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(bucket)}
	if r := t.aws.Region; r != "" && r != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(r)}
	}
	if _, err := t.s3.CreateBucket(ctx, in); err != nil {
		var owned *s3types.BucketAlreadyOwnedByYou
		if errors.As(err, &owned) {
			return nil
		}
		return fmt.Errorf("highlevel: creating bucket %s: %w", bucket, err)
	}
	t.logger.DebugContext(ctx, "smcore: created the default bucket", "bucket", bucket)
	return nil
}

// stage uploads a plan's local inputs, source code and driver files.
func (t *session) stage(ctx context.Context, p *plan) error {
	if len(p.uploads) == 0 {
		return nil
	}
	if p.bucket != "" {
		if err := t.ensureBucket(ctx, p.bucket); err != nil {
			return err
		}
	}
	conc := t.o.concurrency
	if conc <= 0 {
		conc = 8
	}
	tm := transfermanager.New(t.s3, func(o *transfermanager.Options) { o.Concurrency = conc })
	var done []string
	for _, u := range p.uploads {
		n, bytes, err := t.upload(ctx, tm, u)
		if err != nil {
			return &StagingError{JobName: p.jobName, URI: u.uri(), Uploaded: done, Err: err}
		}
		done = append(done, u.uri())
		t.logger.DebugContext(ctx, "smcore: staged", "channel", u.channel, "source", u.source, "uri", u.uri(), "files", n, "bytes", bytes)
		t.report(Progress{Stage: StageUpload, JobName: p.jobName, Channel: u.channel, Source: u.source, URI: u.uri(), Files: n, Bytes: bytes, Done: true})
	}
	return nil
}

func (t *session) upload(ctx context.Context, tm *transfermanager.Client, u upload) (files, size int64, err error) {
	switch {
	case u.files != nil:
		names := make([]string, 0, len(u.files))
		for name := range u.files {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			b := u.files[name]
			if _, err := tm.UploadObject(ctx, &transfermanager.UploadObjectInput{Bucket: aws.String(u.bucket), Key: aws.String(u.key + name), Body: bytes.NewReader(b)}); err != nil {
				return files, size, err
			}
			files++
			size += int64(len(b))
		}
		return files, size, nil
	case strings.HasSuffix(u.key, "/"):
		var bytesDone, objects atomic.Int64
		listener := &dirProgress{onObject: func(b int64) {
			objects.Add(1)
			total := bytesDone.Add(b)
			t.report(Progress{Stage: StageUpload, Channel: u.channel, Source: u.source, URI: u.uri(), Files: objects.Load(), Bytes: total})
		}}
		out, err := tm.UploadDirectory(ctx, &transfermanager.UploadDirectoryInput{
			Bucket:    aws.String(u.bucket),
			Source:    aws.String(u.source),
			Recursive: aws.Bool(true),
			KeyPrefix: aws.String(strings.TrimSuffix(u.key, "/")),
			Filter:    ignoreFilter{root: u.source, patterns: u.ignore},
		}, func(o *transfermanager.Options) { o.DirectoryProgressListeners.Register(listener) })
		if err != nil {
			return objects.Load(), bytesDone.Load(), err
		}
		return out.ObjectsUploaded, bytesDone.Load(), nil
	default:
		f, err := os.Open(u.source)
		if err != nil {
			return 0, 0, err
		}
		defer f.Close()
		st, _ := f.Stat()
		if _, err := tm.UploadObject(ctx, &transfermanager.UploadObjectInput{Bucket: aws.String(u.bucket), Key: aws.String(u.key), Body: f}); err != nil {
			return 0, 0, err
		}
		return 1, st.Size(), nil
	}
}

// ignoreFilter leaves out files any of whose path elements (below root)
// matches a pattern.
type ignoreFilter struct {
	root     string
	patterns []string
}

func (f ignoreFilter) FilterFile(p string) bool {
	rel, err := filepath.Rel(f.root, p)
	if err != nil {
		return true
	}
	for _, elem := range strings.Split(filepath.ToSlash(rel), "/") {
		for _, pat := range f.patterns {
			if ok, _ := path.Match(pat, elem); ok {
				return false
			}
		}
	}
	return true
}

// dirProgress counts a directory upload's objects.
type dirProgress struct{ onObject func(bytes int64) }

func (d *dirProgress) OnObjectsTransferred(_ context.Context, e *transfermanager.ObjectsTransferredEvent) {
	d.onObject(e.BytesTransferred)
}
