package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/smithy-go"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/internal/testenv"
)

var credsRE = regexp.MustCompile(`credentials (\S+)/(\S+)\)`)

// startOutput runs smlocal with args until the test ends and returns its
// URL and what it printed at start.
func startOutput(t *testing.T, args ...string) (url, out string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a := &announce{url: make(chan string, 1)}
	var stderr bytes.Buffer
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), a, &stderr) }()
	t.Cleanup(func() {
		cancel()
		<-errc
	})
	select {
	case url = <-a.url:
	case err := <-errc:
		t.Fatalf("smlocal ended at start: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("smlocal did not announce its endpoint")
	}
	// The lines after the URL's follow at once.
	last := ""
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		a.mu.Lock()
		out = a.buf.String()
		a.mu.Unlock()
		if strings.Contains(out, "listening on") && out == last {
			break
		}
		last = out
	}
	return url, out
}

// TestProcessMakesRandomCredentials: with -process and no credentials
// given, smlocal makes random ones and prints them: the public test/test
// is refused, the printed ones work; it says that requests run commands
// and that it listens on loopback only.
func TestProcessMakesRandomCredentials(t *testing.T) {
	url, out := startOutput(t, "-process")
	m := credsRE.FindStringSubmatch(out)
	if m == nil || m[1] == "test" || m[2] == "test" || len(m[1]) < 16 || len(m[2]) < 32 {
		t.Fatalf("credentials printed: %v\n%s", m, out)
	}
	for _, want := range []string{"loopback only", "runs the commands it names as", "made at random"} {
		if !strings.Contains(out, want) {
			t.Errorf("the start message does not say %q:\n%s", want, out)
		}
	}
	ctx := context.Background()
	_, err := sagemaker.NewFromConfig(testenv.Config(url)).ListTrainingJobs(ctx, &sagemaker.ListTrainingJobsInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "UnrecognizedClientException" {
		t.Fatalf("test/test: want UnrecognizedClientException, got %v", err)
	}
	cfg := testenv.Config(url)
	cfg.Credentials = credentials.NewStaticCredentialsProvider(m[1], m[2], "")
	if _, err := sagemaker.NewFromConfig(cfg).ListTrainingJobs(ctx, &sagemaker.ListTrainingJobsInput{}); err != nil {
		t.Fatalf("the printed credentials: %v", err)
	}

	// Credentials given are kept; without -process the default stays.
	_, out = startOutput(t, "-process", "-access-key", "mine", "-secret-key", "secret-of-mine")
	if m := credsRE.FindStringSubmatch(out); m == nil || m[1] != "mine" || m[2] != "secret-of-mine" || strings.Contains(out, "made at random") {
		t.Errorf("given credentials: %v\n%s", m, out)
	}
	_, out = startOutput(t)
	if m := credsRE.FindStringSubmatch(out); m == nil || m[1] != "test" || m[2] != "test" || strings.Contains(out, "runs the commands") {
		t.Errorf("without -process: %v\n%s", m, out)
	}
}

// TestNonLoopbackIsAnnounced: listening beyond loopback is said at start.
func TestNonLoopbackIsAnnounced(t *testing.T) {
	_, out := startOutput(t, "-addr", "0.0.0.0:0")
	if !strings.Contains(out, "WARNING: listening on") || !strings.Contains(out, "not loopback") {
		t.Fatalf("start message:\n%s", out)
	}
}

// TestUnreadableDataDirRefusesToStart: a journal of NUL bytes stops
// smlocal at start, naming the file, and leaves the file as it was.
func TestUnreadableDataDirRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	journal := filepath.Join(dir, "sagemaker-journal.jsonl")
	if err := os.WriteFile(journal, make([]byte, 512), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, stderr bytes.Buffer
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-data-dir", dir}, &out, &stderr)
	if err == nil || !strings.Contains(err.Error(), "sagemaker-journal.jsonl") || !strings.Contains(err.Error(), "NUL") {
		t.Fatalf("want an error naming the journal, got %v\n%s", err, out.String())
	}
	if b, _ := os.ReadFile(journal); !bytes.Equal(b, make([]byte, 512)) {
		t.Fatal("the journal was changed")
	}
}

// TestExecutorFlags: -executor chooses what runs jobs (-process is
// -executor process); contradictions and docker options without docker
// refuse to start, and so does a docker daemon that cannot be reached.
func TestExecutorFlags(t *testing.T) {
	_, out := startOutput(t, "-executor", "process")
	if !strings.Contains(out, "-executor process: a CreateTrainingJob request runs the commands it names as") || !strings.Contains(out, "made at random") {
		t.Errorf("-executor process:\n%s", out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-executor", "vm"}, `-executor "vm": want process, docker or none`},
		{[]string{"-process", "-executor", "docker"}, "contradicts -executor docker"},
		{[]string{"-executor", "process", "-docker-host", "unix:///x.sock"}, "-docker-host is for -executor docker"},
		{[]string{"-docker-arg=--ipc=host"}, "-docker-arg is for -executor docker"},
		{[]string{"-executor", "docker", "-docker-host", "unix://" + filepath.Join(t.TempDir(), "none.sock")}, "the docker daemon cannot be reached"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, tc.args...), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want an error saying %q", tc.args, err, tc.want)
		}
	}
}

// TestDockerExecutorAnnounced: with a docker daemon (DOCKER_HOST),
// -executor docker says what a request can do and makes random
// credentials.
func TestDockerExecutorAnnounced(t *testing.T) {
	if _, err := (emulator.DockerExecutor{}).ServerVersion(context.Background()); err != nil {
		testenv.Unavailable(t, "docker: no daemon reachable (DOCKER_HOST=%q): %v; tools/dockerd-local.sh start runs a private one", os.Getenv("DOCKER_HOST"), err)
	}
	_, out := startOutput(t, "-executor", "docker")
	if !strings.Contains(out, "-executor docker: a CreateTrainingJob request runs the image it names on the docker daemon") || !strings.Contains(out, "made at random") {
		t.Errorf("start message:\n%s", out)
	}
	if m := credsRE.FindStringSubmatch(out); m == nil || m[1] == "test" {
		t.Errorf("credentials: %v", m)
	}
}
