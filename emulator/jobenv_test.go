package emulator_test

import (
	"strings"
	"testing"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/shapes"
)

// TestJobEnvironmentIsNotTheServers: a job gets the base, the allow-listed
// variables, the endpoint's credentials, the SM_* variables and its
// Environment — never the rest of the server's environment, so a secret
// of the shell that started the endpoint reaches neither the job nor its
// logs.
func TestJobEnvironmentIsNotTheServers(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "server-secret-do-not-leak")
	t.Setenv("SMCORE_TEST_TOKEN", "another-server-secret")
	t.Setenv("SMCORE_TEST_ALLOWED", "allowed-value")
	t.Setenv("SMCORE_PREFIX_ONE", "prefixed-value")
	ep, c := startProc(t, emulator.WithJobEnv("SMCORE_TEST_ALLOWED", "SMCORE_PREFIX_*"), emulator.WithEndpointURL("http://127.0.0.1:1"))
	job := runToEnd(t, c, shJob("env-job", `env | sort; echo "home=$HOME pwd=$(pwd)"`, map[string]string{"FROM_REQUEST": "req-value"}, 600))
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("job %s: %s", job.TrainingJobStatus, job.FailureReason)
	}
	logs := strings.Join(jobLogs(t, ep.Config, "env-job"), "\n")
	for _, secret := range []string{"server-secret-do-not-leak", "another-server-secret", "SMCORE_TEST_TOKEN"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the server's %q reached the job:\n%s", secret, logs)
		}
	}
	for _, want := range []string{
		"SMCORE_TEST_ALLOWED=allowed-value", "SMCORE_PREFIX_ONE=prefixed-value", "FROM_REQUEST=req-value",
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION=us-east-1", "AWS_ENDPOINT_URL=http://127.0.0.1:1",
		"LANG=C.UTF-8", "PATH=", "SM_MODEL_DIR=", "TRAINING_JOB_NAME=env-job", "TMPDIR=",
		"SM_CURRENT_HOST=algo-1", "SM_CURRENT_HOST_RANK=0", "SM_HOSTS=[\"algo-1\"]", "SM_MASTER_ADDR=127.0.0.1", "SM_MASTER_PORT=", "SM_OUTPUT_FAILURE=",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("the job's environment lacks %q:\n%s", want, logs)
		}
	}
	// HOME and the working directory are the job root.
	for _, l := range strings.Split(logs, "\n") {
		if rest, ok := strings.CutPrefix(l, "home="); ok {
			home, pwd, _ := strings.Cut(rest, " pwd=")
			if home == "" || home != pwd {
				t.Errorf("HOME %q, working directory %q", home, pwd)
			}
		}
	}
}
