package highlevel_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/highlevel"
	"github.com/smcore-go/smcore/logtail"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

// lines collects a job's log lines.
type lines struct {
	mu sync.Mutex
	l  []string
}

func (l *lines) add(line logtail.Line) { l.mu.Lock(); l.l = append(l.l, line.Message); l.mu.Unlock() }
func (l *lines) text() string          { l.mu.Lock(); defer l.mu.Unlock(); return strings.Join(l.l, "\n") }

func shJob(src string, hps map[string]any) highlevel.TrainerConfig {
	return highlevel.TrainerConfig{
		CreateTrainingJobInput: shapes.CreateTrainingJobInput{
			AlgorithmSpecification: &shapes.AlgorithmSpecification{TrainingImage: "local/sh:latest",
				MetricDefinitions: []shapes.MetricDefinition{{Name: "loss", Regex: `loss=([0-9.]+)`}}},
			RoleArn: "SageMakerRole",
		},
		SourceCode:      &highlevel.SourceCode{SourceDir: src, EntryScript: "train.sh"},
		HyperParameters: hps,
	}
}

func TestTrainEndToEnd(t *testing.T) {
	ep := local(t, true)
	src := tree(t, map[string]string{
		"train.sh": `#!/bin/sh
set -e
echo "training with $*"
echo "secret: $SM_HP_API_TOKEN"
cp "$SM_CHANNEL_TRAIN/data.csv" "$SM_MODEL_DIR/data.csv"
printf '%s' "$SM_HP_EPOCHS" > "$SM_MODEL_DIR/epochs"
mkdir -p "$SM_MODEL_DIR/sub" && echo nested > "$SM_MODEL_DIR/sub/file"
echo "loss=0.25"
`,
		".git/config":       "not uploaded",
		"__pycache__/x.pyc": "not uploaded",
		"lib/helper.sh":     "echo helper",
		"nested/.git/HEAD":  "not uploaded",
	})
	dep := tree(t, map[string]string{"util.sh": "echo util"})
	data := tree(t, map[string]string{"data.csv": "1,2,3\n"})
	cfg := shJob(src, map[string]any{"epochs": 3, "api_token": "tok-123456789"})
	cfg.SourceCode.Dependencies = []string{dep}
	cfg.InputData = []highlevel.InputData{{ChannelName: "train", DataSource: data}}
	var logs lines
	var mu sync.Mutex
	var stages []string
	tr := trainer(t, ep, cfg, highlevel.WithLogs(logs.add), highlevel.WithProgress(func(p highlevel.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Stage == highlevel.StageWait {
			stages = append(stages, p.Status+"/"+p.SecondaryStatus)
		} else if p.Done || p.Stage == highlevel.StageCreate {
			stages = append(stages, p.Stage.String()+":"+p.Channel)
		}
	}))
	ctx := context.Background()
	job, err := tr.Train(ctx)
	if err != nil {
		t.Fatalf("%v\nlogs:\n%s", err, logs.text())
	}
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("status %s", job.TrainingJobStatus)
	}
	out := logs.text()
	for _, want := range []string{"training with --api_token ******** --epochs 3", "secret: ********", "loss=0.25"} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "tok-123456789") {
		t.Errorf("the secret reached the logs")
	}
	if len(job.FinalMetricDataList) != 1 || aws.ToFloat32(job.FinalMetricDataList[0].Value) != 0.25 {
		t.Errorf("metrics %+v", job.FinalMetricDataList)
	}
	mu.Lock()
	got := strings.Join(stages, " ")
	mu.Unlock()
	for _, want := range []string{"upload:train", "upload:code", "upload:sm_drivers", "create:", "Completed/Completed"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress %q lacks %q", got, want)
		}
	}
	// What was uploaded as code: the ignore patterns applied, the
	// dependency beside the sources.
	keys, err := ep.Server.ListObjects(ctx, "sagemaker-us-east-1-123456789012", "")
	if err != nil {
		t.Fatal(err)
	}
	var code []string
	for _, k := range keys {
		if i := strings.Index(k, "/input/code/"); i >= 0 {
			code = append(code, k[i+len("/input/code/"):])
		}
	}
	if want := []string{filepath.Base(dep) + "/util.sh", "lib/helper.sh", "train.sh"}; !equal(sorted(code), sorted(want)) {
		t.Errorf("code channel %v, want %v", code, want)
	}
	dir := t.TempDir()
	if err := tr.DownloadModel(ctx, job, dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"data.csv": "1,2,3\n", "epochs": "3", "sub/file": "nested\n"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(b) != want {
			t.Errorf("model file %s: %q, %v", name, b, err)
		}
	}
}

func sorted(s []string) []string {
	s = append([]string(nil), s...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

func TestTrainFailingScript(t *testing.T) {
	ep := local(t, true)
	src := tree(t, map[string]string{"train.sh": "#!/bin/sh\necho 'ValueError: bad learning rate' >&2\nexit 3\n"})
	tr := trainer(t, ep, shJob(src, nil))
	job, err := tr.Train(context.Background())
	var fe *waiters.FailedError
	if !errors.As(err, &fe) {
		t.Fatalf("want a *waiters.FailedError, got %v", err)
	}
	if job == nil || job.TrainingJobStatus != shapes.TrainingJobStatusFailed {
		t.Fatalf("job %+v", job)
	}
	for _, want := range []string{"AlgorithmError", "status 3", "ValueError: bad learning rate"} {
		if !strings.Contains(job.FailureReason, want) || !strings.Contains(fe.Reason, want) {
			t.Errorf("FailureReason %q (error %q) lacks %q", job.FailureReason, fe.Reason, want)
		}
	}
	if err := tr.DownloadModel(context.Background(), job, t.TempDir()); !errors.Is(err, highlevel.ErrNoArtifacts) {
		t.Errorf("DownloadModel of a failed job: %v", err)
	}
}

func TestStopCancelAttachAndMaxRuntime(t *testing.T) {
	ep := local(t, true)
	src := tree(t, map[string]string{"train.sh": "#!/bin/sh\necho started\nsleep \"${SM_HP_SLEEP:-30}\"\necho done > \"$SM_MODEL_DIR/done\"\n"})
	ctx := context.Background()

	// Cancelling the wait leaves the job running; Attach waits for its end.
	var logs lines
	tr := trainer(t, ep, shJob(src, map[string]any{"sleep": 2}), highlevel.WithLogs(logs.add))
	cctx, cancel := context.WithCancel(ctx)
	var once sync.Once
	tr2 := trainer(t, ep, shJob(src, map[string]any{"sleep": 2}), highlevel.WithProgress(func(p highlevel.Progress) {
		if p.Stage == highlevel.StageWait && p.SecondaryStatus == "Training" {
			once.Do(cancel)
		}
	}), highlevel.WithRandom(&counter{n: 7}))
	job, err := tr2.Train(cctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled wait: %v", err)
	}
	job, err = tr.Attach(ctx, job.ResourceName())
	if err != nil || job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("attach: %v, %+v", err, job)
	}
	if !strings.Contains(logs.text(), "started") {
		t.Errorf("Attach delivered no logs: %q", logs.text())
	}

	// Stop ends the job.
	tr3 := trainer(t, ep, shJob(src, nil), highlevel.WithRandom(&counter{n: 9}))
	job, err = tr3.Train(ctx, highlevel.WithoutWait())
	if err != nil {
		t.Fatal(err)
	}
	if err := job.WaitForStatus(ctx, shapes.TrainingJobStatusInProgress, waiters.WithDelays(20*time.Millisecond, 100*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if err := job.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	job, err = tr3.Attach(ctx, job.ResourceName())
	if err != nil || job.TrainingJobStatus != shapes.TrainingJobStatusStopped {
		t.Fatalf("after Stop: %v, %+v", err, job.TrainingJobStatus)
	}

	// MaxRuntimeInSeconds ends it too.
	cfg := shJob(src, nil)
	cfg.StoppingCondition = &shapes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(1)}
	tr4 := trainer(t, ep, cfg, highlevel.WithRandom(&counter{n: 11}))
	job, err = tr4.Train(ctx)
	if err != nil || job.TrainingJobStatus != shapes.TrainingJobStatusStopped || job.SecondaryStatus != shapes.SecondaryStatusMaxRuntimeExceeded {
		t.Fatalf("max runtime: %v, %s/%s", err, job.TrainingJobStatus, job.SecondaryStatus)
	}
}

// Two hosts in process mode: each runs the driver with its own host and
// rank, both meet at the master's port, and both hosts' model files
// arrive in model.tar.gz.
func TestTrainTwoHosts(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is needed for the two-host test")
		}
		t.Skip("python3 is not installed")
	}
	ep := local(t, true)
	src := tree(t, map[string]string{"train.py": `import os, socket, sys, time
host, rank = os.environ["SM_CURRENT_HOST"], int(os.environ["SM_CURRENT_HOST_RANK"])
addr, port = os.environ["SM_MASTER_ADDR"], int(os.environ["SM_MASTER_PORT"])
model = os.environ["SM_MODEL_DIR"]
if rank == 0:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(8)
    s.settimeout(60)
    peers = []
    while len(peers) < int(os.environ["SM_HOST_COUNT"]) - 1:
        c, _ = s.accept()
        peers.append(c.recv(64).decode())
        c.close()
    open(os.path.join(model, "peers"), "w").write(",".join(sorted(peers)))
else:
    for _ in range(600):
        try:
            c = socket.create_connection((addr, port), timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    c.sendall(host.encode())
    c.close()
open(os.path.join(model, host), "w").write(f"rank {rank} of {os.environ['SM_HOST_COUNT']} args {sys.argv[1:]}")
`})
	cfg := highlevel.TrainerConfig{
		CreateTrainingJobInput: shapes.CreateTrainingJobInput{
			AlgorithmSpecification: &shapes.AlgorithmSpecification{TrainingImage: "local/python:3"},
			RoleArn:                "SageMakerRole",
			ResourceConfig:         &shapes.ResourceConfig{InstanceType: shapes.TrainingInstanceTypeMlM5Large, InstanceCount: aws.Int32(2)},
		},
		SourceCode:      &highlevel.SourceCode{SourceDir: src, EntryScript: "train.py"},
		HyperParameters: map[string]any{"lr": 0.5},
	}
	var logs lines
	tr := trainer(t, ep, cfg, highlevel.WithLogs(logs.add))
	job, err := tr.Train(context.Background())
	if err != nil {
		t.Fatalf("%v\n%s", err, logs.text())
	}
	dir := t.TempDir()
	if err := tr.DownloadModel(context.Background(), job, dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"peers":  "algo-2",
		"algo-1": "rank 0 of 2 args ['--lr', '0.5']",
		"algo-2": "rank 1 of 2 args ['--lr', '0.5']",
	} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(b) != want {
			t.Errorf("%s: %q, %v; want %q", name, b, err, want)
		}
	}
}

// A failed upload says what was already uploaded, and no job is created.
func TestStagingFailure(t *testing.T) {
	calls := 0
	ep := local(t, true, emulator.WithFaults(emulator.Faults{
		Rules: []emulator.FaultRule{{Service: "s3", Operation: "PutObject", ServerErrorRate: 0.5}},
		Rand: func() float64 { // the first object uploads, the second fails
			calls++
			if calls == 1 {
				return 0.99
			}
			return 0
		},
	}))
	src := tree(t, map[string]string{"train.sh": "echo hi\n"})
	data := tree(t, map[string]string{"one.csv": "1\n"})
	cfg := shJob(src, nil)
	cfg.InputData = []highlevel.InputData{{ChannelName: "train", DataSource: data}}
	tr := trainer(t, ep, cfg)
	_, err := tr.Train(context.Background())
	var se *highlevel.StagingError
	if !errors.As(err, &se) {
		t.Fatalf("want a *StagingError, got %v", err)
	}
	if len(se.Uploaded) != 1 || !strings.HasSuffix(se.Uploaded[0], "/input/train/") || !strings.HasSuffix(se.URI, "/input/code/") {
		t.Errorf("staging error %+v", se)
	}
	contains(t, err, "already uploaded and left in place")
	for j, err := range resources.NewFromConfig(ep.Config).ListTrainingJobs(context.Background(), &shapes.ListTrainingJobsInput{}) {
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("a job was created: %s", j.TrainingJobName)
	}
}
