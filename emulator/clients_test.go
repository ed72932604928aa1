package emulator_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/internal/testenv"
)

// cliEnv points a process at the endpoint with the test credentials.
func cliEnv() []string {
	env := []string{"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return env
}

// TestAWSCLITrainingJobLifecycle drives a training job with the AWS CLI:
// create, describe, list with pagination, stop, and the CLI's own waiter.
func TestAWSCLITrainingJobLifecycle(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil {
		testenv.Unavailable(t, "AWS CLI not found")
	}
	// A clock the test moves keeps each step deterministic however slowly
	// the CLI starts.
	clock := &manualClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithStepTime(time.Second), emulator.WithClock(clock.Now))
	run := func(args ...string) map[string]any {
		t.Helper()
		cmd := exec.Command(aws, append([]string{"--endpoint-url", ep.URL, "--output", "json", "sagemaker"}, args...)...)
		cmd.Env = cliEnv()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("aws %v: %v\n%s", args, err, out)
		}
		var m map[string]any
		if len(strings.TrimSpace(string(out))) > 0 {
			if err := json.Unmarshal(out, &m); err != nil {
				t.Fatalf("aws %v: %v\n%s", args, err, out)
			}
		}
		return m
	}
	for _, name := range []string{"cli-a", "cli-b", "cli-c"} {
		out := run("create-training-job", "--training-job-name", name, "--role-arn", role,
			"--algorithm-specification", "TrainingImage=123456789012.dkr.ecr.us-east-1.amazonaws.com/algo:1,TrainingInputMode=File",
			"--resource-config", "InstanceType=ml.m5.xlarge,InstanceCount=1,VolumeSizeInGB=10",
			"--output-data-config", "S3OutputPath=s3://bucket/out",
			"--stopping-condition", "MaxRuntimeInSeconds=3600")
		if !strings.HasSuffix(out["TrainingJobArn"].(string), "training-job/"+name) {
			t.Fatalf("create: %v", out)
		}
	}
	if st := run("describe-training-job", "--training-job-name", "cli-a")["TrainingJobStatus"]; st != "InProgress" {
		t.Fatalf("status %v", st)
	}
	// The CLI follows NextToken itself with --page-size 1.
	list := run("list-training-jobs", "--page-size", "1")
	if n := len(list["TrainingJobSummaries"].([]any)); n != 3 {
		t.Fatalf("listed %d jobs", n)
	}
	run("stop-training-job", "--training-job-name", "cli-c")
	clock.Add(time.Hour) // let the jobs finish first: the CLI's waiter sleeps 120 s between polls
	run("wait", "training-job-completed-or-stopped", "--training-job-name", "cli-a")
	run("wait", "training-job-completed-or-stopped", "--training-job-name", "cli-c")
	if st := run("describe-training-job", "--training-job-name", "cli-c")["TrainingJobStatus"]; st != "Stopped" {
		t.Fatalf("job after stop: %v", st)
	}
	if st := run("describe-training-job", "--training-job-name", "cli-a")["TrainingJobStatus"]; st != "Completed" {
		t.Fatalf("job: %v", st)
	}
}

type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const boto3Script = `
import boto3, sys, time
c = boto3.client("sagemaker", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test")
for n in ["py-a", "py-b", "py-c"]:
    c.create_training_job(TrainingJobName=n, RoleArn="arn:aws:iam::123456789012:role/SageMakerRole",
        AlgorithmSpecification={"TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/algo:1", "TrainingInputMode": "File"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
        OutputDataConfig={"S3OutputPath": "s3://bucket/out"}, StoppingCondition={"MaxRuntimeInSeconds": 3600})
d = c.describe_training_job(TrainingJobName="py-a")
assert d["TrainingJobStatus"] == "InProgress", d["TrainingJobStatus"]
assert d["CreationTime"].year >= 2024, d["CreationTime"]
names = [s["TrainingJobName"] for p in c.get_paginator("list_training_jobs").paginate(PaginationConfig={"PageSize": 1}) for s in p["TrainingJobSummaries"]]
assert sorted(names) == ["py-a", "py-b", "py-c"], names
c.stop_training_job(TrainingJobName="py-c")
w = c.get_waiter("training_job_completed_or_stopped")
w.wait(TrainingJobName="py-c", WaiterConfig={"Delay": 1, "MaxAttempts": 10})
assert c.describe_training_job(TrainingJobName="py-c")["TrainingJobStatus"] == "Stopped"
try:
    c.describe_training_job(TrainingJobName="missing")
    raise SystemExit("no error for a missing job")
except c.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "ValidationException", e.response
print("ok")
`

// TestBoto3TrainingJobLifecycle does the same with boto3.
func TestBoto3TrainingJobLifecycle(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		testenv.Unavailable(t, "python3 not found")
	}
	if exec.Command(py, "-c", "import boto3").Run() != nil {
		testenv.Unavailable(t, "boto3 not installed")
	}
	// One-second steps: the jobs are still running when the script stops
	// one, and the stop completes within the waiter's attempts.
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithStepTime(time.Second))
	cmd := exec.Command(py, "-c", boto3Script, ep.URL)
	cmd.Env = cliEnv()
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ok") {
		t.Fatalf("boto3: %v\n%s", err, out)
	}
}
