package emulator_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

// Helpers of the trust-boundary tests (environment, process tree, output,
// model packing, data at rest).

// startProc runs an endpoint whose training jobs are host processes.
func startProc(t *testing.T, opts ...emulator.Option) (*emulatortest.Endpoint, *resources.Client) {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	base := []emulator.Option{emulator.WithExecutor(emulator.ProcessExecutor{}), emulator.WithWorkDir(t.TempDir())}
	ep := emulatortest.Start(t, append(base, opts...)...)
	return ep, resources.NewFromConfig(ep.Config)
}

// shJob is a training job that runs script with sh -c, with a loss metric.
func shJob(name, script string, env map[string]string, maxRuntime int32) *shapes.CreateTrainingJobInput {
	req := trainingRequest(name)
	req.Tags = nil
	req.AlgorithmSpecification.ContainerEntrypoint = []string{"sh", "-c", script}
	req.AlgorithmSpecification.MetricDefinitions = []shapes.MetricDefinition{{Name: "train:loss", Regex: `loss=([0-9.]+)`}}
	req.Environment = env
	req.OutputDataConfig = &shapes.OutputDataConfig{S3OutputPath: "s3://out/jobs"}
	req.StoppingCondition = &shapes.StoppingCondition{MaxRuntimeInSeconds: &maxRuntime}
	return req
}

var quick = waiters.WithDelays(10*time.Millisecond, 50*time.Millisecond)

// runToEnd creates the job and waits for its end; a failure is not an
// error here (the caller looks at the job).
func runToEnd(t *testing.T, c *resources.Client, req *shapes.CreateTrainingJobInput) *resources.TrainingJob {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	job, err := c.CreateTrainingJob(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	var fe *waiters.FailedError
	if err := job.Wait(ctx, quick); err != nil && !errors.As(err, &fe) {
		t.Fatalf("wait for %s: %v", req.TrainingJobName, err)
	}
	return job
}

// jobLogs reads every log event of a job through the SDK, in order.
func jobLogs(t *testing.T, cfg aws.Config, job string) []string {
	t.Helper()
	ctx := context.Background()
	// The SDK's standard retryer: net/http can close a connection while a
	// large answer is still being read (a request-write race on the
	// client, aws/aws-sdk-go-v2#2737), which the SDK retries by default
	// and the endpoint's test config (no retries) would report.
	cw := cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) { o.Retryer = retry.NewStandard() })
	var out []string
	in := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/aws/sagemaker/TrainingJobs"), LogStreamNamePrefix: aws.String(job + "/")}
	for {
		page, err := cw.FilterLogEvents(ctx, in)
		if err != nil {
			t.Fatalf("logs of %s: %v", job, err)
		}
		for _, e := range page.Events {
			out = append(out, aws.ToString(e.Message))
		}
		if page.NextToken == nil || aws.ToString(page.NextToken) == aws.ToString(in.NextToken) {
			return out
		}
		in.NextToken = page.NextToken
	}
}

// alive reports whether pid is a live process (not gone, not a zombie).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || (s[i+2] != 'Z' && s[i+2] != 'X')
}

// withEnviron lists the live processes whose environment holds kv.
func withEnviron(kv string) []int {
	if !strings.Contains(kv, "=") || strings.HasSuffix(kv, "=") {
		panic("withEnviron: want NAME=value, got " + kv) // "" would match every process
	}
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil {
			continue
		}
		for _, v := range strings.Split(string(b), "\x00") {
			if v == kv && alive(pid) {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}

// readPids waits for a job's script to write its pids to file.
func readPids(t *testing.T, file string, n int) []int {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile(file)
		var pids []int
		for _, f := range strings.Fields(string(b)) {
			if p, err := strconv.Atoi(f); err == nil {
				pids = append(pids, p)
			}
		}
		if len(pids) >= n {
			return pids
		}
	}
	t.Fatalf("%s: the job did not write %d pids", file, n)
	return nil
}
