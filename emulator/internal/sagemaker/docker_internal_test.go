package sagemaker

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// dockerRun is a run of the second of two hosts, as train makes it.
func dockerRun() *TrainingRun {
	return &TrainingRun{
		Name: "job", Image: "img:1", Host: "algo-2", Hosts: []string{"algo-1", "algo-2"}, HostIndex: 1,
		InstanceType: "ml.m5.large", Root: "/work/smlocal-job-1/algo-2", Channels: []string{"train"},
		HyperParameters: map[string]string{"lr": "0.1"},
		Environment:     map[string]string{"MODE": "fast", "SM_MODEL_DIR": "/elsewhere"},
		masterPort:      7001,
		envCfg:          jobEnvConfig{creds: Credentials{"AK", "SECRETKEY"}, region: "eu-west-1", endpoint: "http://127.0.0.1:4566"},
	}
}

func TestContainerEnvironNamesOptML(t *testing.T) {
	run := dockerRun()
	env := containerEnviron(run, "SMLOCAL_JOB=abc")
	last := lastValues(env)
	get := func(k string) (string, bool) {
		for _, kv := range last {
			if n, v, _ := strings.Cut(kv, "="); n == k {
				return v, true
			}
		}
		return "", false
	}
	for k, want := range map[string]string{
		"SM_CHANNEL_TRAIN": "/opt/ml/input/data/train", "SM_INPUT_CONFIG_DIR": "/opt/ml/input/config",
		"SM_MODEL_DIR":    "/elsewhere", // the request's Environment wins, as in process mode
		"SM_CURRENT_HOST": "algo-2", "SM_MASTER_ADDR": "127.0.0.1", "SM_MASTER_PORT": "7001", "TRAINING_JOB_NAME": "job",
		"AWS_ACCESS_KEY_ID": "AK", "AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "MODE": "fast",
	} {
		if got, _ := get(k); got != want {
			t.Errorf("%s=%q, want %q", k, got, want)
		}
	}
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "LANG"} {
		if v, ok := get(k); ok {
			t.Errorf("%s=%q: the image's own should stay", k, v)
		}
	}
	for _, kv := range env {
		if strings.Contains(kv, run.Root) {
			t.Errorf("%s names the host's root", kv)
		}
	}
	if env[len(env)-1] != "SMLOCAL_JOB=abc" {
		t.Errorf("the marker is not last: %q", env)
	}
}

func TestDockerCreateSpec(t *testing.T) {
	d := DockerExecutor{Labels: map[string]string{"team": "ml"}, CreateArgs: []string{"--shm-size", "1g"}}
	run := dockerRun()
	env := []string{"A=1", "B=two\nlines", "A=3", "C=x"}
	spec, err := d.createSpec(run, "/w/a,b", "smlocal-job-algo-2-0123abcd", "tok", "", "/tmp/env", env)
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Join(spec.args, " ")
	for _, want := range []string{
		"create --pull never --name smlocal-job-algo-2-0123abcd --label team=ml --label io.smcore.smlocal.marker=tok --label io.smcore.smlocal.job=job --label io.smcore.smlocal.host=algo-2",
		"-e B --env-file /tmp/env --network host --hostname algo-2 --add-host algo-1:127.0.0.1 --add-host algo-2:127.0.0.1",
		`--mount type=bind,"source=/w/a,b",target=/opt/ml --shm-size 1g img:1 train`,
	} {
		if !strings.Contains(args, want) {
			t.Errorf("args lack %q:\n%s", want, args)
		}
	}
	if strings.Contains(args, "--gpus") || strings.Contains(args, "--entrypoint") {
		t.Errorf("args: %s", args)
	}
	if string(spec.envFile) != "A=3\nC=x\n" || !slices.Equal(spec.cliEnv, []string{"B=two\nlines"}) {
		t.Errorf("env file %q, from the CLI's environment %q", spec.envFile, spec.cliEnv)
	}

	run.Entrypoint, run.Arguments = []string{"/bin/sh", "-c"}, []string{"exec train.sh"}
	spec, _ = d.createSpec(run, "/w", "n", "tok", "all", "/tmp/env", nil)
	if args := strings.Join(spec.args, " "); !strings.HasSuffix(args, "--gpus all --shm-size 1g --entrypoint /bin/sh img:1 -c exec train.sh") {
		t.Errorf("with an entrypoint: %s", args)
	}
	run.Entrypoint, run.Arguments = nil, []string{"serve", "--x"}
	spec, _ = d.createSpec(run, "/w", "n", "tok", "", "/tmp/env", nil)
	if args := strings.Join(spec.args, " "); !strings.HasSuffix(args, "img:1 serve --x") {
		t.Errorf("with arguments only: %s", args)
	}

	for _, bad := range [][]string{{"PATH=a\nb"}, {"DOCKER_HOST=a\rb"}, {"BAD NAME=1"}, {"1X=1"}} {
		if _, err := d.createSpec(run, "/w", "n", "tok", "", "/tmp/env", bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestDockerGPUs(t *testing.T) {
	run := dockerRun()
	var notes []string
	note := func(l string) { notes = append(notes, l) }
	ctx := context.Background()
	if g := (DockerExecutor{GPUs: "none"}).gpus(ctx, run, note); g != "" {
		t.Errorf("none: %q", g)
	}
	if g := (DockerExecutor{GPUs: "device=0"}).gpus(ctx, run, note); g != "device=0" {
		t.Errorf("device=0: %q", g)
	}
	if g := (DockerExecutor{}).gpus(ctx, run, note); g != "" || len(notes) != 0 {
		t.Errorf("a CPU instance: %q %q", g, notes)
	}
	for typ, want := range map[string]bool{"ml.p4d.24xlarge": true, "ml.g5.xlarge": true, "local_gpu": true, "ml.m5.large": false, "ml.trn1.2xlarge": false, "ml.c5.xlarge": false} {
		if gpuInstanceType(typ) != want {
			t.Errorf("gpuInstanceType(%s) = %v", typ, !want)
		}
	}
	run.InstanceType = "ml.g5.xlarge"
	if g := (DockerExecutor{}).gpus(ctx, run, note); hostGPUs(ctx) == 0 && (g != "" || len(notes) != 1) {
		t.Errorf("a GPU instance on a machine without: %q %q", g, notes)
	} else if hostGPUs(ctx) > 0 && g != "all" {
		t.Errorf("a GPU instance on a machine with GPUs: %q", g)
	}
}

func TestDockerName(t *testing.T) {
	if got := dockerName(&TrainingRun{Name: "my-job", Host: "algo-3"}, "0123456789abcdef"); got != "smlocal-my-job-algo-3-01234567" {
		t.Errorf("name %q", got)
	}
}
