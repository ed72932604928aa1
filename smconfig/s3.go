package smconfig

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3Getter is what Load needs of an S3 client to read a config file from
// S3. *s3.Client satisfies it.
type S3Getter interface {
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// WithS3Client reads config files named by s3:// URIs with c, which must
// reach the buckets' region:
//
//	smconfig.Load(ctx, smconfig.WithS3Client(s3.NewFromConfig(awsCfg)))
//
// Without it an S3 URI is an error: Load makes no AWS client of its own.
func WithS3Client(c S3Getter) Option {
	if v := reflect.ValueOf(c); v.Kind() == reflect.Pointer && v.IsNil() {
		c = nil // a nil *s3.Client is no client
	}
	return func(o *options) { o.s3 = c }
}

// isS3 reports whether path is an S3 URI.
func isS3(path string) bool {
	return len(path) >= 5 && strings.EqualFold(path[:5], "s3://")
}

// readS3 reads the config file an S3 URI names: the object with that key,
// or, when there is none (or the key ends in /), the object config.yaml
// under it as a folder. It returns the URI read.
func (s source) readS3(ctx context.Context, client S3Getter) (string, []byte, error) {
	bucket, key, _ := strings.Cut(s.path[len("s3://"):], "/")
	if bucket == "" {
		return s.path, nil, &Error{File: s.path, Problem: "want an S3 URI s3://bucket/key" + s.named()}
	}
	if client == nil {
		return s.path, nil, &Error{File: s.path, Problem: "reading a config file from S3 needs an S3 client: pass smconfig.WithS3Client(s3.NewFromConfig(awsCfg))" + s.named()}
	}
	uri := func(k string) string { return "s3://" + bucket + "/" + k }
	folder := strings.TrimSuffix(key, "/") + "/" + fileName
	if key == "" || strings.HasSuffix(key, "/") {
		folder = key + fileName
		data, err := getObject(ctx, client, bucket, folder)
		if err != nil {
			return uri(folder), nil, s3Error(uri(folder), err, s.named())
		}
		return uri(folder), data, nil
	}
	data, err := getObject(ctx, client, bucket, key)
	if err == nil {
		return uri(key), data, nil
	}
	if !missing(err) || errorCode(err) == "NoSuchBucket" || ctx.Err() != nil {
		return uri(key), nil, s3Error(uri(key), err, s.named())
	}
	// No object with that key (or no permission to see one): a folder.
	data, ferr := getObject(ctx, client, bucket, folder)
	if ferr == nil {
		return uri(folder), data, nil
	}
	if !missing(ferr) {
		return uri(folder), nil, s3Error(uri(folder), ferr, s.named())
	}
	e := &Error{File: s.path, Problem: "no such object, nor " + uri(folder) + s.named(), Err: errors.Join(err, ferr)}
	if notFound(err) && notFound(ferr) {
		e.Err = fmt.Errorf("%w: %w", fs.ErrNotExist, e.Err)
	}
	return s.path, nil, e
}

// getObject returns the object's content, at most maxFileSize bytes.
func getObject(ctx context.Context, client S3Getter, bucket, key string) ([]byte, error) {
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return nil, err
	}
	if out == nil || out.Body == nil {
		return []byte{}, nil
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, errTooLarge
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

var errTooLarge = fmt.Errorf("larger than %d MiB: not a config file", maxFileSize>>20)

// s3Error is an *Error for a failed GetObject, wrapping fs.ErrNotExist as
// well when the object does not exist.
func s3Error(uri string, err error, named string) *Error {
	if errors.Is(err, errTooLarge) {
		return &Error{File: uri, Problem: err.Error()}
	}
	e := &Error{File: uri, Problem: "cannot read: " + err.Error() + named, Err: err}
	if notFound(err) {
		e.Problem = "no such object" + named
		if errorCode(err) == "NoSuchBucket" {
			e.Problem = "no such bucket" + named
		}
		e.Err = fmt.Errorf("%w: %w", fs.ErrNotExist, err)
	}
	return e
}

// errorCode is the S3 error code of err, or "".
func errorCode(err error) string {
	var api interface{ ErrorCode() string }
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// notFound reports whether S3 answered that the object or bucket does
// not exist.
func notFound(err error) bool {
	var status interface{ HTTPStatusCode() int }
	return errors.As(err, &status) && status.HTTPStatusCode() == http.StatusNotFound
}

// missing reports whether the object may simply not be there: not found,
// or forbidden, which is S3's answer for a missing key to a caller
// without s3:ListBucket.
func missing(err error) bool {
	var status interface{ HTTPStatusCode() int }
	return errors.As(err, &status) && (status.HTTPStatusCode() == http.StatusNotFound || status.HTTPStatusCode() == http.StatusForbidden)
}
