package emulator_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/logtail"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

// trainScript is a training "algorithm": it reads its channel, prints
// metrics, and writes a model (or a failure file and a non-zero exit).
const trainScript = `set -e
echo "training $TRAINING_JOB_NAME on $SM_CURRENT_HOST with epochs=$SM_HP_EPOCHS"
cat "$SM_CHANNEL_TRAIN/data.csv" | wc -l | sed 's/^/rows: /'
test -f "$SM_INPUT_CONFIG_DIR/hyperparameters.json"
if [ "$SM_HP_MODE" = "fail" ]; then echo "bad input shape" > /dev/null; printf 'ValueError: bad input shape' > output/failure; exit 3; fi
if [ "$SM_HP_MODE" = "sleep" ]; then sleep 30; fi
echo "epoch=1 loss=0.9"
echo "epoch=2 loss=0.25"
echo "weights" > "$SM_MODEL_DIR/model.txt"
`

// scriptPath holds trainScript, written once per test binary run.
var scriptPath = sync.OnceValue(func() string {
	p := filepath.Join(os.TempDir(), "smcore-train-test.sh")
	os.WriteFile(p, []byte(trainScript), 0o644)
	return p
})

func scriptJob(name, mode string, maxRuntime int32) *shapes.CreateTrainingJobInput {
	req := trainingRequest(name)
	req.Tags = nil
	req.AlgorithmSpecification.ContainerEntrypoint = []string{"sh", scriptPath()}
	req.AlgorithmSpecification.MetricDefinitions = []shapes.MetricDefinition{{Name: "train:loss", Regex: `loss=([0-9.]+)`}}
	req.HyperParameters = map[string]string{"epochs": "2", "mode": mode}
	req.InputDataConfig = []shapes.Channel{{ChannelName: "train", DataSource: &shapes.DataSource{S3DataSource: &shapes.S3DataSource{
		S3DataType: shapes.S3DataTypeS3Prefix, S3Uri: "s3://data/train/"}}}}
	req.OutputDataConfig = &shapes.OutputDataConfig{S3OutputPath: "s3://out/jobs"}
	req.StoppingCondition = &shapes.StoppingCondition{MaxRuntimeInSeconds: &maxRuntime}
	return req
}

func startWithData(t *testing.T) (*emulatortest.Endpoint, *resources.Client) {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	ep := emulatortest.Start(t, emulator.WithExecutor(emulator.ProcessExecutor{}), emulator.WithWorkDir(t.TempDir()))
	ctx := context.Background()
	if err := ep.Server.EnsureBucket(ctx, "data"); err != nil {
		t.Fatal(err)
	}
	if err := ep.Server.PutObject(ctx, "data", "train/data.csv", strings.NewReader("1,2\n3,4\n5,6\n")); err != nil {
		t.Fatal(err)
	}
	return ep, resources.NewFromConfig(ep.Config)
}

func TestProcessExecutorRunsTheJob(t *testing.T) {
	ep, c := startWithData(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	job, err := c.CreateTrainingJob(ctx, scriptJob("script-ok", "ok", 600))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var lines []string
	tail := logtail.Follow(cloudwatchlogs.NewFromConfig(ep.Config), job, func(l logtail.Line) {
		mu.Lock()
		lines = append(lines, l.Message)
		mu.Unlock()
	}, logtail.WithDrainQuiet(50*time.Millisecond))
	if err := job.Wait(ctx, waiters.WithDelays(10*time.Millisecond, 50*time.Millisecond), waiters.WithLogs(tail)); err != nil {
		t.Fatalf("wait: %v (reason %q)", err, job.FailureReason)
	}
	mu.Lock()
	got := strings.Join(lines, "\n")
	mu.Unlock()
	for _, want := range []string{"training script-ok on algo-1 with epochs=2", "rows: 3", "epoch=2 loss=0.25"} {
		if !strings.Contains(got, want) {
			t.Errorf("logs lack %q:\n%s", want, got)
		}
	}
	if len(job.FinalMetricDataList) != 1 || job.FinalMetricDataList[0].MetricName != "train:loss" || *job.FinalMetricDataList[0].Value != 0.25 {
		t.Errorf("metrics: %+v", job.FinalMetricDataList)
	}
	art := job.ModelArtifacts.S3ModelArtifacts
	if art != "s3://out/jobs/script-ok/output/model.tar.gz" {
		t.Fatalf("artifact %q", art)
	}
	obj, err := s3.NewFromConfig(ep.Config, func(o *s3.Options) { o.UsePathStyle = true }).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("out"), Key: aws.String("jobs/script-ok/output/model.tar.gz")})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Body.Close()
	if files := untar(t, obj.Body); files["model.txt"] != "weights\n" {
		t.Fatalf("model.tar.gz holds %v", files)
	}
	var secondaries []string
	for _, tr := range job.SecondaryStatusTransitions {
		secondaries = append(secondaries, string(tr.Status))
	}
	if strings.Join(secondaries, ",") != "Starting,Downloading,Training,Uploading,Completed" {
		t.Errorf("secondary statuses %v", secondaries)
	}
}

func TestProcessExecutorFailureReasonFromFailureFile(t *testing.T) {
	_, c := startWithData(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	job, err := c.CreateTrainingJob(ctx, scriptJob("script-fail", "fail", 600))
	if err != nil {
		t.Fatal(err)
	}
	err = job.Wait(ctx, waiters.WithDelays(10*time.Millisecond, 50*time.Millisecond))
	var fe *waiters.FailedError
	if !errors.As(err, &fe) || fe.Reason != "AlgorithmError: ValueError: bad input shape" {
		t.Fatalf("want the failure file's reason, got %v", err)
	}
}

func TestProcessExecutorStopAndMaxRuntime(t *testing.T) {
	_, c := startWithData(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fast := waiters.WithDelays(10*time.Millisecond, 50*time.Millisecond)
	job, err := c.CreateTrainingJob(ctx, scriptJob("script-stop", "sleep", 600))
	if err != nil {
		t.Fatal(err)
	}
	if err := job.WaitForStatus(ctx, shapes.TrainingJobStatusInProgress, fast); err != nil {
		t.Fatal(err)
	}
	for job.SecondaryStatus != shapes.SecondaryStatusTraining {
		time.Sleep(10 * time.Millisecond)
		job.Refresh(ctx)
	}
	if err := job.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := job.Wait(ctx, fast); err != nil || job.TrainingJobStatus != shapes.TrainingJobStatusStopped {
		t.Fatalf("stop: %v, status %s", err, job.TrainingJobStatus)
	}
	slow, err := c.CreateTrainingJob(ctx, scriptJob("script-timeout", "sleep", 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := slow.Wait(ctx, fast); err != nil || slow.TrainingJobStatus != shapes.TrainingJobStatusStopped || slow.SecondaryStatus != shapes.SecondaryStatusMaxRuntimeExceeded {
		t.Fatalf("max runtime: %v, status %s/%s", err, slow.TrainingJobStatus, slow.SecondaryStatus)
	}
}

func untar(t *testing.T, r io.Reader) map[string]string {
	t.Helper()
	zr, err := gzip.NewReader(r)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	out := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		io.Copy(&b, tr)
		out[filepath.ToSlash(h.Name)] = b.String()
	}
}
