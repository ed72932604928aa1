package emulator_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/shapes"
)

// checkPrivate fails unless every file under dir is 0600 and every
// directory 0700.
func checkPrivate(t *testing.T, dir string) (files int) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		info, _ := d.Info()
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		} else {
			files++
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s is %v, want %v", p, info.Mode().Perm(), want)
		}
		return nil
	})
	return files
}

// TestDataDirIsPrivate: everything the endpoint writes in its data
// directory — the journal holding a job's Environment secret, S3 objects,
// logs, the record of a running job's processes — is 0600, directories
// 0700; a directory made looser before is made private at start.
func TestDataDirIsPrivate(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(filepath.Join(data, "s3"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(data, "logs.jsonl"), nil, 0o644)
	ep, c := startProc(t, emulator.WithDataDir(data))
	job := runToEnd(t, c, shJob("private", `echo "token is $API_TOKEN"; echo m > "$SM_MODEL_DIR/m"`, map[string]string{"API_TOKEN": "s3cr3t"}, 600))
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("job %s: %s", job.TrainingJobStatus, job.FailureReason)
	}
	// A running job's record of its processes.
	pidFile := filepath.Join(t.TempDir(), "pids")
	running, err := c.CreateTrainingJob(context.Background(), shJob("private-running", `echo $$ > "$PIDS"; sleep 300`, map[string]string{"PIDS": pidFile}, 600))
	if err != nil {
		t.Fatal(err)
	}
	readPids(t, pidFile, 1)
	// The server records the processes once it has started them, which can
	// come after the script has written its pid: wait for the record.
	var err2 error
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err2 = os.Stat(filepath.Join(data, "jobs")); err2 == nil || time.Now().After(deadline) {
			break
		}
	}
	if err2 != nil {
		t.Errorf("no record of the running job's processes: %v", err2)
	}
	if n := checkPrivate(t, data); n < 4 {
		t.Errorf("only %d files in the data directory", n)
	}
	if b, _ := os.ReadFile(filepath.Join(data, "sagemaker-journal.jsonl")); !bytes.Contains(b, []byte("s3cr3t")) {
		t.Log("the journal does not hold the Environment (the check above is then weaker)")
	}
	running.Stop(context.Background())
	ep.Server.Close()
	checkPrivate(t, data)
}

// TestJournalOfNULBytesIsAnErrorAtStart: a journal that is all NUL bytes
// (what a crash or a failing disk can leave), or ends in them, is an error
// at start — LoadError says so and SageMaker answers InternalFailure
// naming the file — never an empty state, and the file is left as it was.
func TestJournalOfNULBytesIsAnErrorAtStart(t *testing.T) {
	for name, damage := range map[string]func([]byte) []byte{
		"all NUL":  func(b []byte) []byte { return make([]byte, len(b)) },
		"NUL tail": func(b []byte) []byte { return append(b, make([]byte, 300)...) },
	} {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			data := t.TempDir()
			ctx := context.Background()
			a := emulatortest.Start(t, emulator.WithDataDir(data))
			if _, err := sagemaker.NewFromConfig(a.Config).CreateExperiment(ctx, &sagemaker.CreateExperimentInput{ExperimentName: aws.String("kept")}); err != nil {
				t.Fatal(err)
			}
			a.Server.AppendLog("", "g", "s", time.Now(), "a line")
			if _, err := cloudwatchlogs.NewFromConfig(a.Config).DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{}); err != nil {
				t.Fatal(err)
			}
			a.Server.Close()
			for _, f := range []string{"sagemaker-journal.jsonl", "logs.jsonl"} {
				p := filepath.Join(data, f)
				b, err := os.ReadFile(p)
				if err != nil || len(b) == 0 {
					t.Fatalf("%s: %v (%d bytes)", f, err, len(b))
				}
				if err := os.WriteFile(p, damage(b), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			journal, _ := os.ReadFile(filepath.Join(data, "sagemaker-journal.jsonl"))
			b := emulatortest.Start(t, emulator.WithDataDir(data))
			if err := b.Server.LoadError(); err == nil || !strings.Contains(err.Error(), "sagemaker-journal.jsonl") || !strings.Contains(err.Error(), "logs.jsonl") ||
				!strings.Contains(err.Error(), "NUL") {
				t.Fatalf("LoadError: %v", err)
			}
			_, err := sagemaker.NewFromConfig(b.Config).ListExperiments(ctx, &sagemaker.ListExperimentsInput{})
			if code, status := apiError(err); code != "InternalFailure" || status != 500 || !strings.Contains(err.Error(), "sagemaker-journal.jsonl") {
				t.Fatalf("SageMaker: want InternalFailure naming the journal, got %v", err)
			}
			_, err = cloudwatchlogs.NewFromConfig(b.Config).DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
			if code, status := apiError(err); status != 500 || !strings.Contains(err.Error(), "logs.jsonl") {
				t.Fatalf("Logs: want a 500 naming the journal, got %s %d %v", code, status, err)
			}
			sagemaker.NewFromConfig(b.Config).CreateExperiment(ctx, &sagemaker.CreateExperimentInput{ExperimentName: aws.String("new")})
			if after, _ := os.ReadFile(filepath.Join(data, "sagemaker-journal.jsonl")); !bytes.Equal(after, journal) {
				t.Fatal("the damaged journal was changed")
			}
		})
	}
}

// TestDurableS3CorruptObjectFailsOnlyIt: an object file that is all NUL
// bytes, and one cut short (its header's size and sha256 no longer match),
// fail those objects only: GetObject and HeadObject of them answer
// InternalError naming the object, other objects and buckets work, and a
// put replaces a damaged object.
func TestDurableS3CorruptObjectFailsOnlyIt(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	a := emulatortest.Start(t, emulator.WithDataDir(data))
	s3a := svcS3(a.Config)
	if _, err := s3a.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bkt")}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"good", "zeroed", "cut"} {
		if _, err := s3a.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String(k), Body: strings.NewReader("the bytes of " + k)}); err != nil {
			t.Fatal(err)
		}
	}
	a.Server.Close()
	file := func(key string) string {
		sum := sha256.Sum256([]byte("bkt/" + key))
		return filepath.Join(data, "s3", "objects", hex.EncodeToString(sum[:]))
	}
	b, _ := os.ReadFile(file("zeroed"))
	os.WriteFile(file("zeroed"), make([]byte, len(b)), 0o600)
	b, _ = os.ReadFile(file("cut"))
	os.WriteFile(file("cut"), b[:len(b)-3], 0o600)

	ep := emulatortest.Start(t, emulator.WithDataDir(data))
	c := svcS3(ep.Config)
	if err := ep.Server.LoadError(); err != nil {
		t.Fatalf("LoadError: %v", err)
	}
	if out, err := c.ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil || len(out.Buckets) != 1 {
		t.Fatalf("ListBuckets: %v", err)
	}
	got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("good")})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if string(body) != "the bytes of good" {
		t.Fatalf("good: %q", body)
	}
	for _, k := range []string{"zeroed", "cut"} {
		_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String(k)})
		if code, status := apiError(err); code != "InternalError" || status != 500 || !strings.Contains(err.Error(), "s3://bkt/"+k) {
			t.Errorf("GetObject %s: want InternalError naming it, got %v", k, err)
		}
		_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String(k)})
		if _, status := apiError(err); status != 500 {
			t.Errorf("HeadObject %s: want a 500, got %v", k, err)
		}
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("zeroed"), Body: strings.NewReader("again")}); err != nil {
		t.Fatal(err)
	}
	got, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("zeroed")})
	if err != nil {
		t.Fatalf("after a put: %v", err)
	}
	body, _ = io.ReadAll(got.Body)
	got.Body.Close()
	if string(body) != "again" {
		t.Fatalf("after a put: %q", body)
	}
}
