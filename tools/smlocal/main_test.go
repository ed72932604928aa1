package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	sdktypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/smcore-go/smcore/internal/testenv"
)

// announce captures the command's output and hands over the endpoint URL
// it prints.
type announce struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	url  chan string // buffered; receives the URL once
	sent bool
}

var urlRE = regexp.MustCompile(`endpoint at (http://\S+)`)

func (a *announce) Write(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.buf.Write(p)
	if m := urlRE.FindSubmatch(a.buf.Bytes()); m != nil && !a.sent {
		a.url <- string(m[1])
		a.sent = true
	}
	return len(p), nil
}

// start runs smlocal with args until the returned stop is called; stop
// returns what run returned.
func start(t *testing.T, args ...string) (url string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	out := &announce{url: urls}
	var stderr bytes.Buffer
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), out, &stderr) }()
	select {
	case url = <-urls:
	case err := <-errc:
		cancel()
		t.Fatalf("smlocal ended at start: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("smlocal did not announce its endpoint")
	}
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-errc:
			return err
		case <-time.After(30 * time.Second):
			t.Fatal("smlocal did not stop")
			return nil
		}
	}
	t.Cleanup(func() { stop() })
	return url, stop
}

// TestRestartKeepsEverything runs a real training job (a host process)
// through smlocal with a data directory, stops smlocal the way a signal
// does, starts it again and finds the job, its metrics, its model in S3 and
// its log lines as they were.
func TestRestartKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	url, stop := start(t, "-data-dir", dir, "-process", "-step", "10ms", "-access-key", "test", "-secret-key", "test")
	cfg := testenv.Config(url)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	const bucket = "sagemaker-us-east-1-123456789012"
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("train/data.csv"), Body: strings.NewReader("1,2\n")}); err != nil {
		t.Fatal(err)
	}
	sm := sagemaker.NewFromConfig(cfg)
	_, err := sm.CreateTrainingJob(ctx, &sagemaker.CreateTrainingJobInput{
		TrainingJobName: aws.String("restart-job"),
		RoleArn:         aws.String("arn:aws:iam::123456789012:role/SageMakerRole"),
		AlgorithmSpecification: &sdktypes.AlgorithmSpecification{
			TrainingImage: aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1"), TrainingInputMode: sdktypes.TrainingInputModeFile,
			ContainerEntrypoint: []string{"sh", "-c", `echo "loss=0.25"; cp "$SM_CHANNEL_TRAIN/data.csv" "$SM_MODEL_DIR/"`},
			MetricDefinitions:   []sdktypes.MetricDefinition{{Name: aws.String("loss"), Regex: aws.String(`loss=(\S+)`)}},
		},
		InputDataConfig: []sdktypes.Channel{{ChannelName: aws.String("train"), DataSource: &sdktypes.DataSource{S3DataSource: &sdktypes.S3DataSource{
			S3DataType: sdktypes.S3DataTypeS3Prefix, S3Uri: aws.String("s3://" + bucket + "/train/")}}}},
		OutputDataConfig: &sdktypes.OutputDataConfig{S3OutputPath: aws.String("s3://" + bucket + "/out")},
		ResourceConfig: &sdktypes.ResourceConfig{InstanceType: sdktypes.TrainingInstanceTypeMlM5Large, InstanceCount: aws.Int32(1),
			VolumeSizeInGB: aws.Int32(10)},
		StoppingCondition: &sdktypes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(600)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var job *sagemaker.DescribeTrainingJobOutput
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		job, err = sm.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String("restart-job")})
		if err != nil {
			t.Fatal(err)
		}
		if job.TrainingJobStatus != sdktypes.TrainingJobStatusInProgress || time.Now().After(deadline) {
			break
		}
	}
	if job.TrainingJobStatus != sdktypes.TrainingJobStatusCompleted {
		t.Fatalf("job: %s %q", job.TrainingJobStatus, aws.ToString(job.FailureReason))
	}
	if err := stop(); err != nil {
		t.Fatalf("stopping smlocal: %v", err)
	}

	url, _ = start(t, "-data-dir", dir, "-process", "-step", "10ms", "-access-key", "test", "-secret-key", "test")
	cfg = testenv.Config(url)
	sm = sagemaker.NewFromConfig(cfg)
	after, err := sm.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String("restart-job")})
	if err != nil {
		t.Fatal(err)
	}
	if after.TrainingJobStatus != sdktypes.TrainingJobStatusCompleted || len(after.FinalMetricDataList) != 1 ||
		aws.ToFloat32(after.FinalMetricDataList[0].Value) != 0.25 {
		t.Fatalf("after the restart: %s %+v", after.TrainingJobStatus, after.FinalMetricDataList)
	}
	artifact := aws.ToString(after.ModelArtifacts.S3ModelArtifacts)
	key := strings.TrimPrefix(artifact, "s3://"+bucket+"/")
	obj, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("the model %s after the restart: %v", artifact, err)
	}
	model, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if len(model) == 0 || key != "out/restart-job/output/model.tar.gz" {
		t.Fatalf("model %s: %d bytes", artifact, len(model))
	}
	logs, err := cloudwatchlogs.NewFromConfig(cfg).FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{
		LogGroupName: aws.String("/aws/sagemaker/TrainingJobs"), LogStreamNamePrefix: aws.String("restart-job/algo-1-")})
	if err != nil || len(logs.Events) == 0 || aws.ToString(logs.Events[0].Message) != "loss=0.25" {
		t.Fatalf("log lines after the restart: %+v %v", logs, err)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-fault-service", "S3"}, {"-no-such-flag"}, {"-addr", "256.0.0.1:1"},
		{"-image-command", "no-command"}, {"-image-command", "=cmd"}, {"-image-command", "img= "}} {
		var out, stderr bytes.Buffer
		if err := run(context.Background(), args, &out, &stderr); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}
