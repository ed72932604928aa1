package smconfig_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"

	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/smconfig"
)

// s3Files starts the local endpoint, puts the objects (key: content) in
// bucket cfg and returns an S3 client for it.
func s3Files(t *testing.T, objects map[string]string) *s3.Client {
	t.Helper()
	ep := emulatortest.Start(t)
	client := s3.NewFromConfig(ep.Config, func(o *s3.Options) { o.UsePathStyle = true })
	ctx := context.Background()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("cfg")}); err != nil {
		t.Fatal(err)
	}
	for key, content := range objects {
		if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cfg"), Key: aws.String(key), Body: strings.NewReader(content)}); err != nil {
			t.Fatal(err)
		}
	}
	return client
}

func TestS3Sources(t *testing.T) {
	client := s3Files(t, map[string]string{
		"admin.yaml": "SchemaVersion: '1.0'\nSageMaker:\n  Model: {EnableNetworkIsolation: true, ExecutionRoleArn: arn:aws:iam::123456789012:role/Admin}\n",
		// A folder holding config.yaml, next to another object.
		"team/config.yaml": "SchemaVersion: '1.0'\nSageMaker:\n  Model: {ExecutionRoleArn: arn:aws:iam::123456789012:role/Team}\n",
		"team/notes.txt":   "not a config file",
		"bad/config.yaml":  "SchemaVersion: '1.0'\nSageMaker:\n  TransformJob: {Environment: {A: [1]}}\n",
		"empty.yaml":       "",
	})
	ctx := context.Background()
	for _, tc := range []struct {
		name, admin, user string
		files             []string
		role              string
		isolated          bool
	}{
		{"object and folder", "s3://cfg/admin.yaml", "s3://cfg/team", []string{"s3://cfg/admin.yaml", "s3://cfg/team/config.yaml"}, "arn:aws:iam::123456789012:role/Team", true},
		{"folder with slash", "", "s3://cfg/team/", []string{"s3://cfg/team/config.yaml"}, "arn:aws:iam::123456789012:role/Team", false},
		{"object only", "", "s3://cfg/admin.yaml", []string{"s3://cfg/admin.yaml"}, "arn:aws:iam::123456789012:role/Admin", true},
		{"empty object", "s3://cfg/empty.yaml", "s3://cfg/admin.yaml", []string{"s3://cfg/empty.yaml", "s3://cfg/admin.yaml"}, "arn:aws:iam::123456789012:role/Admin", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conf, err := smconfig.Load(ctx, smconfig.WithS3Client(client), smconfig.WithAdminFile(tc.admin), smconfig.WithUserFile(tc.user), smconfig.WithLookupEnv(nil))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.files, conf.Files()); d != "" {
				t.Fatalf("files (-want +got):\n%s", d)
			}
			m := conf.Model()
			if m.ExecutionRoleArn != tc.role || (m.EnableNetworkIsolation != nil && *m.EnableNetworkIsolation) != tc.isolated {
				t.Fatalf("model %+v", m)
			}
		})
	}

	// The override variables name S3 URIs too; the user's file wins.
	local := write(t, filepath.Join(t.TempDir(), "config.yaml"), "SchemaVersion: '1.0'\nSageMaker:\n  Model: {ExecutionRoleArn: arn:aws:iam::123456789012:role/Local}\n")
	conf, err := smconfig.Load(ctx, smconfig.WithS3Client(client), smconfig.WithLookupEnv(env(
		"SAGEMAKER_ADMIN_CONFIG_OVERRIDE", "s3://cfg/admin.yaml", "SAGEMAKER_USER_CONFIG_OVERRIDE", local)))
	if err != nil {
		t.Fatal(err)
	}
	if m := conf.Model(); m.ExecutionRoleArn != "arn:aws:iam::123456789012:role/Local" || !*m.EnableNetworkIsolation {
		t.Fatalf("model %+v", m)
	}

	for _, tc := range []struct {
		name, uri, file, path, problem string
		notExist                       bool
	}{
		{"no object", "s3://cfg/nope", "s3://cfg/nope", "", "no such object, nor s3://cfg/nope/config.yaml (named by WithUserFile)", true},
		{"folder without config.yaml", "s3://cfg/team/notes/", "s3://cfg/team/notes/config.yaml", "", "no such object (named by WithUserFile)", true},
		{"no bucket", "s3://other/config.yaml", "s3://other/config.yaml", "", "no such bucket (named by WithUserFile)", true},
		{"no bucket name", "s3:///config.yaml", "s3:///config.yaml", "", "want an S3 URI s3://bucket/key (named by WithUserFile)", false},
		{"invalid file", "s3://cfg/bad", "s3://cfg/bad/config.yaml", "SageMaker.TransformJob.Environment.A", "want a string, got a list", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := smconfig.Load(ctx, smconfig.WithS3Client(client), smconfig.WithAdminFile(""), smconfig.WithUserFile(tc.uri), smconfig.WithLookupEnv(nil))
			var ce *smconfig.Error
			if !errors.As(err, &ce) || ce.File != tc.file || ce.Path != tc.path || ce.Problem != tc.problem {
				t.Fatalf("got %#v", err)
			}
			if errors.Is(err, fs.ErrNotExist) != tc.notExist {
				t.Fatalf("errors.Is(fs.ErrNotExist) = %v: %v", !tc.notExist, err)
			}
		})
	}
}

// Without WithS3Client an S3 URI is an error that says what to do, and
// Load calls no AWS service.
func TestS3SourceNeedsAClient(t *testing.T) {
	_, err := smconfig.Load(context.Background(), smconfig.WithUserFile("s3://cfg/config.yaml"), smconfig.WithAdminFile(""), smconfig.WithLookupEnv(nil))
	want := "s3://cfg/config.yaml: reading a config file from S3 needs an S3 client: pass smconfig.WithS3Client(s3.NewFromConfig(awsCfg)) (named by WithUserFile)"
	if err == nil || err.Error() != want {
		t.Fatalf("\n got %v\nwant %s", err, want)
	}
}

// fakeS3 answers GetObject from objects; other keys are forbidden, as S3
// answers a caller without s3:ListBucket.
type fakeS3 struct {
	objects map[string]string
	keys    []string
}

func (f *fakeS3) GetObject(ctx context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	f.keys = append(f.keys, *in.Key)
	content, ok := f.objects[*in.Key]
	if !ok {
		return nil, &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: http.StatusForbidden}},
			Err:      errors.New("AccessDenied"),
		}
	}
	return &s3.GetObjectOutput{Body: io.NopCloser(strings.NewReader(content))}, nil
}

// A forbidden key is tried as a folder too; when both are forbidden the
// error is no fs.ErrNotExist. Oversized objects are refused.
func TestS3ForbiddenAndLarge(t *testing.T) {
	ctx := context.Background()
	f := &fakeS3{objects: map[string]string{
		"dir/config.yaml": "SchemaVersion: '1.0'\nSageMaker: {Pipeline: {RoleArn: arn:aws:iam::123456789012:role/P}}\n",
		"big.yaml":        strings.Repeat("#", 4<<20+1),
	}}
	conf, err := smconfig.Load(ctx, smconfig.WithS3Client(f), smconfig.WithUserFile("s3://b/dir"), smconfig.WithAdminFile(""), smconfig.WithLookupEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if conf.Pipeline().RoleArn != "arn:aws:iam::123456789012:role/P" || !slices.Equal(f.keys, []string{"dir", "dir/config.yaml"}) {
		t.Fatalf("pipeline %+v after GetObject of %v", conf.Pipeline(), f.keys)
	}
	_, err = smconfig.Load(ctx, smconfig.WithS3Client(f), smconfig.WithUserFile("s3://b/none"), smconfig.WithAdminFile(""), smconfig.WithLookupEnv(nil))
	var ce *smconfig.Error
	if !errors.As(err, &ce) || ce.Problem != "no such object, nor s3://b/none/config.yaml (named by WithUserFile)" || errors.Is(err, fs.ErrNotExist) ||
		!strings.Contains(ce.Err.Error(), "AccessDenied") {
		t.Fatalf("got %v", err)
	}
	_, err = smconfig.Load(ctx, smconfig.WithS3Client(f), smconfig.WithUserFile("s3://b/big.yaml"), smconfig.WithAdminFile(""), smconfig.WithLookupEnv(nil))
	if err == nil || err.Error() != "s3://b/big.yaml: larger than 4 MiB: not a config file" {
		t.Fatalf("got %v", err)
	}
}

// A nil *s3.Client counts as no client.
func TestS3NilClient(t *testing.T) {
	_, err := smconfig.Load(context.Background(), smconfig.WithS3Client((*s3.Client)(nil)), smconfig.WithUserFile("s3://cfg/config.yaml"),
		smconfig.WithAdminFile(""), smconfig.WithLookupEnv(nil))
	var ce *smconfig.Error
	if !errors.As(err, &ce) || !strings.HasPrefix(ce.Problem, "reading a config file from S3 needs an S3 client") {
		t.Fatalf("got %v", err)
	}
}
