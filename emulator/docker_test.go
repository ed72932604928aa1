//go:build linux

package emulator_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/emulator/internal/dockertest"
	"github.com/smcore-go/smcore/internal/testenv"
	"github.com/smcore-go/smcore/internal/trainingcontract"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
)

// Docker mode's tests run real containers on the daemon DOCKER_HOST names
// (tools/dockerd-local.sh starts a private one; .ci/run does). Nothing is
// pulled: the image is built here from a static busybox with docker
// import. Without a daemon (or a static busybox) they skip, saying why;
// in CI they fail.

// dockerTest is a test's daemon, image and label: every container the
// test's executors make carries the label, and the test looks at those
// only.
type dockerTest struct {
	ex    emulator.DockerExecutor
	image string
	label string // key=value
}

// entryScript is the test image's entrypoint: what a SageMaker image run
// as `docker run IMAGE train` does. It writes its arguments into the
// model folder; ENTRY_FAIL=1 fails with a failure file, ENTRY_FAIL=2
// exits 4 without one.
func startDocker(t *testing.T, opts ...emulator.Option) (*dockerTest, *emulatortest.Endpoint, *resources.Client) {
	t.Helper()
	dt := newDockerTest(t)
	base := []emulator.Option{emulator.WithExecutor(dt.ex), emulator.WithWorkDir(t.TempDir())}
	ep := emulatortest.Start(t, append(base, opts...)...)
	return dt, ep, resources.NewFromConfig(ep.Config)
}

// newDockerTest finds the daemon and builds the image, or skips (fails
// in CI).
func newDockerTest(t *testing.T) *dockerTest {
	t.Helper()
	if _, err := exec.LookPath("docker"); err != nil {
		testenv.Unavailable(t, "docker: the docker CLI is not on PATH (Debian: apt-get install docker.io)")
	}
	var b [8]byte
	rand.Read(b[:])
	key, val := "io.smcore.test", hex.EncodeToString(b[:])
	dt := &dockerTest{ex: emulator.DockerExecutor{Labels: map[string]string{key: val}}, label: key + "=" + val}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := dt.ex.ServerVersion(ctx); err != nil {
		testenv.Unavailable(t, "docker: no daemon reachable (DOCKER_HOST=%q): %v; tools/dockerd-local.sh start runs a private one", os.Getenv("DOCKER_HOST"), err)
	}
	dt.image = dockertest.Image(t)
	t.Cleanup(func() {
		// Whatever a failed test left of its containers (only the test's own).
		if ids := dt.containers(t, false); len(ids) > 0 {
			dockertest.Docker(t, nil, append([]string{"rm", "--force"}, ids...)...)
		}
	})
	return dt
}

// docker runs the docker CLI (on the daemon of DOCKER_HOST) and returns its
// output.
func (dt *dockerTest) containers(t *testing.T, running bool) []string {
	t.Helper()
	args := []string{"ps", "--quiet", "--filter", "label=" + dt.label}
	if !running {
		args = append(args, "--all")
	}
	return strings.Fields(dockertest.Docker(t, nil, args...))
}

// waitRunning waits until n of the test's containers run.
func (dt *dockerTest) waitRunning(t *testing.T, n int) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); len(dt.containers(t, true)) < n; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of the test's containers run, want %d", len(dt.containers(t, true)), n)
		}
	}
}

// testImage imports (once per content) smcore-test/busybox:<hash>: a
// static busybox with its applets in /bin, /tmp, a root user, and
// entryScript as the entrypoint.
// dockerJob is a job of n hosts of the test image.
func (dt *dockerTest) job(name string, n int32, env map[string]string, maxRuntime int32) *shapes.CreateTrainingJobInput {
	req := shJob(name, "", env, maxRuntime)
	req.AlgorithmSpecification.TrainingImage = dt.image
	req.AlgorithmSpecification.ContainerEntrypoint = nil
	req.ResourceConfig.InstanceCount = aws.Int32(n)
	return req
}

// dockerTrainScript is the entry script of TestDockerDriverOnTwoHosts: under
// smcore's driver, in the container, it checks the /opt/ml layout, the
// config files, the channels, the environment and the network, and has
// the hosts meet at algo-1:SM_MASTER_PORT.
const dockerTrainScript = `#!/bin/sh
set -u
fail() { echo "check failed on $(hostname): $*" >&2; printf '%s\n' "$*" > /opt/ml/output/failure; exit 1; }
want() { [ "$2" = "$3" ] || fail "$1 is '$2', want '$3'"; }
cfg=/opt/ml/input/config
for f in resourceconfig hyperparameters inputdataconfig trainingjobconfig; do
	[ -r "$cfg/$f.json" ] || fail "no $cfg/$f.json"
done
rc=$(cat "$cfg/resourceconfig.json")
case $rc in *'"current_host":"'"$SM_CURRENT_HOST"'"'*'"hosts":["algo-1","algo-2"]'*) ;; *) fail "resourceconfig.json: $rc" ;; esac
case $(cat "$cfg/hyperparameters.json") in *'"epochs":"3"'*) ;; *) fail "hyperparameters.json: $(cat "$cfg/hyperparameters.json")" ;; esac
want hostname "$(hostname)" "$SM_CURRENT_HOST"
want SM_MODEL_DIR "$SM_MODEL_DIR" /opt/ml/model
want SM_INPUT_DIR "$SM_INPUT_DIR" /opt/ml/input
want SM_INPUT_CONFIG_DIR "$SM_INPUT_CONFIG_DIR" /opt/ml/input/config
want SM_OUTPUT_DATA_DIR "$SM_OUTPUT_DATA_DIR" /opt/ml/output/data
want SM_OUTPUT_FAILURE "$SM_OUTPUT_FAILURE" /opt/ml/output/failure
want SM_CHANNEL_TRAIN "$SM_CHANNEL_TRAIN" /opt/ml/input/data/train
want SM_CHANNEL_CODE "$SM_CHANNEL_CODE" /opt/ml/input/data/code
want PWD "$PWD" /opt/ml/input/data/code
want SM_HOSTS "$SM_HOSTS" '["algo-1","algo-2"]'
want SM_HP_EPOCHS "$SM_HP_EPOCHS" 3
want TRAINING_JOB_NAME "$TRAINING_JOB_NAME" dkr
want SM_MASTER_ADDR "$SM_MASTER_ADDR" 127.0.0.1
want data "$(cat "$SM_CHANNEL_TRAIN/data.csv")" 1,2,3
want JOB_NOTE "$JOB_NOTE" "$(printf 'two\nlines')"
want HOME "$HOME" /root
[ -n "$AWS_ACCESS_KEY_ID" ] && [ -n "$AWS_SECRET_ACCESS_KEY" ] || fail "no credentials for the endpoint"
if env | grep -v '^HOST_ROOT=' | grep -qF "$HOST_ROOT"; then fail "a host path reached the environment: $(env | grep -F "$HOST_ROOT")"; fi
# Host networking: the endpoint on loopback answers (unsigned, it refuses).
wget -O /dev/null "$AWS_ENDPOINT_URL/" 2>&1 | grep -q 'returned error: HTTP/1.[01] [0-9]' || fail "the endpoint at $AWS_ENDPOINT_URL cannot be reached"
# The hosts meet at algo-1, which resolves to loopback.
if [ "$SM_CURRENT_HOST_RANK" = 0 ]; then
	nc -l -p "$SM_MASTER_PORT" -e sh -c 'cat > /opt/ml/model/met.txt' || fail "listening on $SM_MASTER_PORT"
else
	i=0
	until echo "$SM_CURRENT_HOST" | nc algo-1 "$SM_MASTER_PORT" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "algo-1:$SM_MASTER_PORT did not answer"
		sleep 0.1
	done
fi
echo "host=$SM_CURRENT_HOST rank=$SM_CURRENT_HOST_RANK of=$SM_HOST_COUNT args=$*" > "$SM_MODEL_DIR/$SM_CURRENT_HOST.txt"
printf '%s' "$JOB_TRICKY" > "$SM_MODEL_DIR/tricky.txt"
echo "loss=0.$SM_CURRENT_HOST_RANK"
`

// TestDockerDriverOnTwoHosts stages a job as a trainer does — the driver's
// files as channel sm_drivers, the entry script as channel code — and runs
// it with trainingcontract.Entrypoint in two containers of the image:
// each checks its /opt/ml tree and environment (dockerTrainScript), they meet
// at algo-1, and both hosts' model files and log streams arrive.
func TestDockerDriverOnTwoHosts(t *testing.T) {
	dt, ep, c := startDocker(t)
	ctx := context.Background()
	channels := []string{"train", trainingcontract.CodeChannel, trainingcontract.DriversChannel}
	driver, err := trainingcontract.Driver{EntryScript: "train.sh", InstanceCount: 2, Channels: channels,
		HyperParameters: map[string]string{"epochs": "3"}}.Files()
	if err != nil {
		t.Fatal(err)
	}
	if err := ep.Server.EnsureBucket(ctx, "data"); err != nil {
		t.Fatal(err)
	}
	put := func(key, body string) {
		if err := ep.Server.PutObject(ctx, "data", key, strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	}
	for name, b := range driver {
		put("dkr/sm_drivers/"+name, string(b))
	}
	put("dkr/code/train.sh", dockerTrainScript)
	put("dkr/train/data.csv", "1,2,3")
	// HOST_ROOT lets the script check that no other variable names a host path.
	const tricky = ` lead "q" 'x' #c $HOME \t=end `
	req := dt.job("dkr", 2, map[string]string{"JOB_NOTE": "two\nlines", "JOB_TRICKY": tricky, "HOST_ROOT": os.TempDir()}, 120)
	req.AlgorithmSpecification.ContainerEntrypoint, req.AlgorithmSpecification.ContainerArguments = trainingcontract.Entrypoint()
	req.HyperParameters = map[string]string{"epochs": "3"}
	for _, ch := range channels {
		req.InputDataConfig = append(req.InputDataConfig, shapes.Channel{ChannelName: ch, DataSource: &shapes.DataSource{S3DataSource: &shapes.S3DataSource{
			S3DataType: shapes.S3DataTypeS3Prefix, S3Uri: "s3://data/dkr/" + ch + "/"}}})
	}
	begin := time.Now()
	job := runToEnd(t, c, req)
	t.Logf("the job took %v", time.Since(begin))
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("job %s: %s\n%s", job.TrainingJobStatus, job.FailureReason, strings.Join(jobLogs(t, ep.Config, "dkr"), "\n"))
	}
	files := modelFiles(t, ep, "dkr")
	for i, h := range []string{"algo-1", "algo-2"} {
		if want := "host=" + h + " rank=" + strconv.Itoa(i) + " of=2 args=--epochs 3\n"; files[h+".txt"] != want {
			t.Errorf("%s.txt: %q, want %q", h, files[h+".txt"], want)
		}
		if _, ok := files["entry-args-"+h]; ok {
			t.Errorf("the image's entrypoint ran on %s, not ContainerEntrypoint", h)
		}
	}
	if files["tricky.txt"] != tricky {
		t.Errorf("a variable's value arrived as %q, want %q", files["tricky.txt"], tricky)
	}
	if files["met.txt"] != "algo-2\n" {
		t.Errorf("met.txt: %q, want algo-2 (the hosts did not meet at algo-1)", files["met.txt"])
	}
	streams := logStreams(t, ep, "dkr")
	re := regexp.MustCompile(`^dkr/algo-[12]-[0-9]+$`)
	if len(streams) != 2 || !re.MatchString(streams[0]) || !re.MatchString(streams[1]) || !strings.HasPrefix(streams[0], "dkr/algo-1-") {
		t.Errorf("log streams %v, want dkr/algo-{1,2}-<epoch>", streams)
	}
	for i, s := range streams {
		logs := strings.Join(streamLogs(t, ep, s), "\n")
		if want := "smcore driver: job dkr on algo-" + strconv.Itoa(i+1) + " (rank " + strconv.Itoa(i) + " of 2"; !strings.Contains(logs, want) {
			t.Errorf("stream %s lacks %q:\n%s", s, want, logs)
		}
		if other := "on algo-" + strconv.Itoa(2-i) + " (rank"; strings.Contains(logs, other) {
			t.Errorf("stream %s holds the other host's lines:\n%s", s, logs)
		}
	}
	if len(job.FinalMetricDataList) != 1 || aws.ToFloat32(job.FinalMetricDataList[0].Value) != 0 {
		t.Errorf("metrics %+v", job.FinalMetricDataList)
	}
	if ids := dt.containers(t, false); len(ids) != 0 {
		t.Errorf("containers left after the job: %v", ids)
	}
}

// streamLogs are the messages of one log stream, read through the SDK.
func streamLogs(t *testing.T, ep *emulatortest.Endpoint, stream string) []string {
	t.Helper()
	out, err := cloudwatchlogs.NewFromConfig(ep.Config).GetLogEvents(context.Background(), &cloudwatchlogs.GetLogEventsInput{
		LogGroupName: aws.String("/aws/sagemaker/TrainingJobs"), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("logs of %s: %v", stream, err)
	}
	var lines []string
	for _, e := range out.Events {
		lines = append(lines, aws.ToString(e.Message))
	}
	return lines
}

// TestDockerImageEntrypointGetsTrain: a job without ContainerEntrypoint
// runs the image's own entrypoint with the argument "train", as SageMaker
// does.
func TestDockerImageEntrypointGetsTrain(t *testing.T) {
	dt, ep, c := startDocker(t)
	job := runToEnd(t, c, dt.job("entry", 1, nil, 120))
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("job %s: %s\n%s", job.TrainingJobStatus, job.FailureReason, strings.Join(jobLogs(t, ep.Config, "entry"), "\n"))
	}
	if got := modelFiles(t, ep, "entry")["entry-args-algo-1"]; got != "train\n" {
		t.Errorf("the entrypoint's arguments: %q, want train", got)
	}
	if logs := strings.Join(jobLogs(t, ep.Config, "entry"), "\n"); !strings.Contains(logs, "entry: trained on algo-1") {
		t.Errorf("logs: %q", logs)
	}
}

// TestDockerFailure: a container that fails with /opt/ml/output/failure
// fails the job with that file's text; without one, with its exit
// status; an entrypoint that is not there and an image that cannot be
// pulled, saying so.
func TestDockerFailure(t *testing.T) {
	dt, ep, c := startDocker(t)
	for _, tc := range []struct{ fail, want string }{
		{"1", "AlgorithmError: entry: algo-1 failed on purpose"},
		{"2", "AlgorithmError: the container exited with status 4"},
	} {
		name := "fail-" + tc.fail
		job := runToEnd(t, c, dt.job(name, 1, map[string]string{"ENTRY_FAIL": tc.fail}, 120))
		if job.TrainingJobStatus != shapes.TrainingJobStatusFailed || job.FailureReason != tc.want {
			t.Errorf("%s: %s %q, want Failed %q\n%s", name, job.TrainingJobStatus, job.FailureReason, tc.want, strings.Join(jobLogs(t, ep.Config, name), "\n"))
		}
	}
	// An entrypoint the image lacks: the daemon's reason.
	req := dt.job("no-entry", 1, nil, 120)
	req.AlgorithmSpecification.ContainerEntrypoint = []string{"/no/such/entry"}
	job := runToEnd(t, c, req)
	if job.TrainingJobStatus != shapes.TrainingJobStatusFailed ||
		!strings.HasPrefix(job.FailureReason, "AlgorithmError: the container did not start: ") || !strings.Contains(job.FailureReason, "/no/such/entry") {
		t.Errorf("no entrypoint: %s %q", job.TrainingJobStatus, job.FailureReason)
	}
	t.Logf("no entrypoint: %s", job.FailureReason)
	// An image the daemon lacks is pulled; from a registry that is not
	// there (a closed loopback port) that fails, saying so.
	req = dt.job("no-image", 1, nil, 120)
	req.AlgorithmSpecification.TrainingImage = "127.0.0.1:1/smcore-absent:1"
	job = runToEnd(t, c, req)
	if job.TrainingJobStatus != shapes.TrainingJobStatusFailed ||
		!strings.HasPrefix(job.FailureReason, "AlgorithmError: the docker daemon has no image 127.0.0.1:1/smcore-absent:1, and pulling it failed: docker pull:") {
		t.Errorf("no image: %s %q", job.TrainingJobStatus, job.FailureReason)
	}
	if logs := strings.Join(jobLogs(t, ep.Config, "no-image"), "\n"); !strings.Contains(logs, "smlocal: pulling 127.0.0.1:1/smcore-absent:1") {
		t.Errorf("no image: logs %q", logs)
	}
	if ids := dt.containers(t, false); len(ids) != 0 {
		t.Errorf("containers left after the jobs: %v", ids)
	}
}

// TestDockerEndRemovesContainers: a stop, the maximum runtime and the
// endpoint's Close remove a running job's containers.
func TestDockerEndRemovesContainers(t *testing.T) {
	for _, how := range []string{"stop", "max-runtime", "close"} {
		t.Run(how, func(t *testing.T) {
			dt, ep, c := startDocker(t)
			runtime := int32(600)
			if how == "max-runtime" {
				runtime = 3
			}
			req := dt.job("long-"+how, 2, nil, runtime)
			req.AlgorithmSpecification.ContainerEntrypoint = []string{"/bin/sh", "-c", "echo started; exec sleep 600"}
			ctx := context.Background()
			job, err := c.CreateTrainingJob(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			dt.waitRunning(t, 2)
			begin := time.Now()
			switch how {
			case "stop":
				if err := job.Stop(ctx); err != nil {
					t.Fatal(err)
				}
			case "close":
				ep.Server.Close()
				if ids := dt.containers(t, false); len(ids) != 0 {
					t.Fatalf("containers left after Close: %v", ids)
				}
				return
			}
			wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			job.Wait(wctx, quick)
			if err := job.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			t.Logf("the job ended in %v: %s", time.Since(begin), job.TrainingJobStatus)
			if job.TrainingJobStatus != shapes.TrainingJobStatusStopped {
				t.Errorf("job %s, want Stopped: %s", job.TrainingJobStatus, job.FailureReason)
			}
			if ids := dt.containers(t, false); len(ids) != 0 {
				t.Errorf("containers left: %v", ids)
			}
			if logs := strings.Join(jobLogs(t, ep.Config, "long-"+how), "\n"); strings.Count(logs, "started") != 2 {
				t.Errorf("logs: %q", logs)
			}
		})
	}
}

// TestDockerCrashHelperProcess is the endpoint that the TestDockerServer…
// and TestDockerRestart… tests kill: it runs a job of one container and
// waits to be killed.
func TestDockerCrashHelperProcess(t *testing.T) {
	dir := os.Getenv("SMCORE_DOCKER_CRASH_HELPER")
	if dir == "" {
		t.Skip("the endpoint process of TestDockerServerKilledRemovesContainers")
	}
	k, v, _ := strings.Cut(os.Getenv("SMCORE_DOCKER_CRASH_LABEL"), "=")
	dt := &dockerTest{ex: emulator.DockerExecutor{Labels: map[string]string{k: v}}, image: os.Getenv("SMCORE_DOCKER_CRASH_IMAGE"), label: k + "=" + v}
	os.MkdirAll(filepath.Join(dir, "work"), 0o700)
	ep := emulatortest.Start(t, emulator.WithExecutor(dt.ex),
		emulator.WithWorkDir(filepath.Join(dir, "work")), emulator.WithDataDir(filepath.Join(dir, "data")))
	req := dt.job("crash-dkr", 1, nil, 600)
	req.AlgorithmSpecification.ContainerEntrypoint = []string{"/bin/sh", "-c", "exec sleep 600"}
	if _, err := resources.NewFromConfig(ep.Config).CreateTrainingJob(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	dt.waitRunning(t, 1)
	fmt.Println("READY")
	time.Sleep(5 * time.Minute)
}

// dockerCrashedServer runs TestDockerCrashHelperProcess in a process of its
// own until its container runs; it returns the process and its docker
// watchdogs' pids.
func dockerCrashedServer(t *testing.T, dt *dockerTest, dir string) (helper *exec.Cmd, watchdogs []int) {
	t.Helper()
	helper = startHelper(t, "TestDockerCrashHelperProcess", []string{"SMCORE_DOCKER_CRASH_HELPER=" + dir, "SMCORE_DOCKER_CRASH_LABEL=" + dt.label, "SMCORE_DOCKER_CRASH_IMAGE=" + dt.image},
		90*time.Second, "container ran")
	// The watchdogs are the helper's children running the watchdog script.
	watchdogs = childrenRunning(helper.Process.Pid, "smlocal-docker-watchdog")
	return helper, watchdogs
}

// TestDockerServerKilledRemovesContainers: when the endpoint's process is
// killed (SIGKILL), its watchdog removes the job's container.
func TestDockerServerKilledRemovesContainers(t *testing.T) {
	dt := newDockerTest(t)
	helper, watchdogs := dockerCrashedServer(t, dt, t.TempDir())
	if len(watchdogs) != 1 {
		t.Fatalf("watchdogs %v, want one", watchdogs)
	}
	helper.Process.Signal(syscall.SIGKILL)
	helper.Wait()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		ids := dt.containers(t, false)
		if len(ids) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("containers left 30 s after the server died: %v", ids)
		}
	}
}

// TestDockerRestartRemovesLeftoverContainers: when a crash leaves a job's
// container (here its watchdog is killed first), the next start with the
// data directory removes it, and the job is Failed as the restart rules
// say.
func TestDockerRestartRemovesLeftoverContainers(t *testing.T) {
	dt := newDockerTest(t)
	dir := t.TempDir()
	helper, watchdogs := dockerCrashedServer(t, dt, dir)
	for _, w := range watchdogs {
		syscall.Kill(w, syscall.SIGKILL)
	}
	helper.Process.Signal(syscall.SIGKILL)
	helper.Wait()
	time.Sleep(200 * time.Millisecond)
	if ids := dt.containers(t, true); len(ids) != 1 {
		t.Fatalf("running containers after the crash: %v, want the job's (the test shows nothing)", ids)
	}
	ep := emulatortest.Start(t, emulator.WithExecutor(dt.ex),
		emulator.WithWorkDir(filepath.Join(dir, "work")), emulator.WithDataDir(filepath.Join(dir, "data")))
	if ids := dt.containers(t, false); len(ids) != 0 {
		t.Errorf("containers left after the restart: %v", ids)
	}
	if roots, _ := filepath.Glob(filepath.Join(dir, "work", "smlocal-crash-dkr-*")); len(roots) != 0 {
		t.Errorf("job roots left after the restart: %v", roots)
	}
	job, err := resources.NewFromConfig(ep.Config).GetTrainingJob(context.Background(), "crash-dkr")
	if err != nil {
		t.Fatal(err)
	}
	if job.TrainingJobStatus != shapes.TrainingJobStatusFailed || !strings.Contains(job.FailureReason, "restarted") {
		t.Errorf("after the restart: %s %q", job.TrainingJobStatus, job.FailureReason)
	}
}
