package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
)

// run runs the CLI with args against a local endpoint.
func run(t *testing.T, ep *emulatortest.Endpoint, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("SAGEMAKER_USER_CONFIG_OVERRIDE", "")
	t.Setenv("HOME", t.TempDir())
	var out, errb bytes.Buffer
	root := newRoot(&out, &errb)
	root.SetArgs(append(args, "--endpoint-url", ep.URL))
	err = root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

// The dry run's output is a contract: the request as JSON with the API's
// member names, hyperparameter literals as the file writes them.
func TestTrainDryRun(t *testing.T) {
	ep := emulatortest.Start(t)
	out, errs, err := run(t, ep, "train", "-f", "testdata/trainer.yaml", "--dry-run")
	if err != nil {
		t.Fatalf("%v\n%s", err, errs)
	}
	var req map[string]any
	if err := json.Unmarshal([]byte(out), &req); err != nil {
		t.Fatalf("the output is not JSON: %v\n%s", err, out)
	}
	hp := req["HyperParameters"].(map[string]any)
	for k, want := range map[string]string{"epochs": "10", "lr": "1.0", "decay": "1.50", "layers": "[1, 2]", "name": "1.0", "nested": `{"b": 1.0, "a": [true, null]}`} {
		if hp[k] != want {
			t.Errorf("HyperParameters.%s = %q, want %q", k, hp[k], want)
		}
	}
	if req["TrainingJobName"] != "cli-demo-job" || req["RoleArn"] != "arn:aws:iam::123456789012:role/SageMakerRole" {
		t.Errorf("request %v", req)
	}
	var names []string
	for _, c := range req["InputDataConfig"].([]any) {
		names = append(names, c.(map[string]any)["ChannelName"].(string))
	}
	if strings.Join(names, ",") != "train,extra,code,sm_drivers" {
		t.Errorf("channels %v", names)
	}
	if tags := req["Tags"].([]any); len(tags) != 1 || tags[0].(map[string]any)["Value"] != "" {
		t.Errorf("tags %v: an empty value is sent", tags)
	}
	// Nothing was written.
	if _, err := ep.Server.ListObjects(context.Background(), "sagemaker-us-east-1-123456789012", ""); err == nil {
		t.Error("the dry run created the staging bucket")
	}
}

func TestTrainRuns(t *testing.T) {
	ep := emulatortest.Start(t, emulator.WithExecutor(emulator.ProcessExecutor{}))
	ctx := context.Background()
	if err := ep.Server.EnsureBucket(ctx, "bucket"); err != nil {
		t.Fatal(err)
	}
	if err := ep.Server.PutObject(ctx, "bucket", "extra/x.txt", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	out, errs, err := run(t, ep, "train", "-f", "testdata/trainer.yaml")
	if err != nil {
		t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, out, errs)
	}
	if !strings.Contains(out, "loss=0.5") {
		t.Errorf("the job's log is not on stdout:\n%s", out)
	}
	if !strings.Contains(errs, "training job cli-demo-job: Completed, model s3://") {
		t.Errorf("stderr:\n%s", errs)
	}
}

func TestTrainErrors(t *testing.T) {
	ep := emulatortest.Start(t)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("AlgorithmSpecification: {TrainingImage: x}\nSourceCode: {SourceDir: ., EntryScript: missing.py}\nUnknownField: 1\n"), 0o644)
	_, _, err := run(t, ep, "train", "-f", bad, "--dry-run")
	if err == nil || !strings.Contains(err.Error(), "UnknownField") {
		t.Errorf("an unknown field: %v", err)
	}
	os.WriteFile(bad, []byte("AlgorithmSpecification: {TrainingImage: x}\nSourceCode: {SourceDir: ., EntryScript: missing.py}\n"), 0o644)
	_, _, err = run(t, ep, "train", "-f", bad, "--dry-run")
	if err == nil || !strings.Contains(err.Error(), "SourceCode.EntryScript") {
		t.Errorf("a missing entry script: %v", err)
	}
	if _, _, err := run(t, ep, "train"); err == nil || !strings.Contains(err.Error(), `"file" not set`) {
		t.Errorf("no -f: %v", err)
	}
}

func TestTrainDryRunEstimator(t *testing.T) {
	ep := emulatortest.Start(t)
	out, errs, err := run(t, ep, "train", "-f", "testdata/estimator.yaml", "--dry-run")
	if err != nil {
		t.Fatalf("%v\n%s", err, errs)
	}
	var req map[string]any
	if err := json.Unmarshal([]byte(out), &req); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	hp := req["HyperParameters"].(map[string]any)
	if hp["lr"] != "1.0" || hp["optimizer"] != `"adam"` || hp["sagemaker_program"] != `"train.sh"` {
		t.Errorf("hyperparameters %v", hp)
	}
	if ch := req["InputDataConfig"].([]any); len(ch) != 1 || ch[0].(map[string]any)["ChannelName"] != "training" {
		t.Errorf("channels %v", ch)
	}
	bad := filepath.Join(t.TempDir(), "k.yaml")
	os.WriteFile(bad, []byte("Kind: Tuner\n"), 0o644)
	if _, _, err := run(t, ep, "train", "-f", bad, "--dry-run"); err == nil || !strings.Contains(err.Error(), `Kind "Tuner"`) {
		t.Errorf("an unknown kind: %v", err)
	}
}
