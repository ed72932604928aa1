package sagemaker

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smcore-go/smcore/internal/trainingcontract"
)

// DockerExecutor runs each host of a training job as a container of the
// job's TrainingImage, through the docker CLI, as SageMaker runs it: the
// host's root (staged as ProcessExecutor stages it: channels, config
// files) mounted at /opt/ml, the SM_* variables naming /opt/ml paths, the
// image's own entrypoint with the argument "train" (or the job's
// ContainerEntrypoint and ContainerArguments instead), host networking
// with every host's name (algo-1 … algo-N) resolving to 127.0.0.1, and
// the host's GPUs for a job on a GPU instance type when this machine has
// some. The container's output is the host's log stream; the host's model
// folder is packed and its output/failure read as in process mode.
//
// Each container carries the labels io.smcore.smlocal.marker (a random
// token of its own, also its SMLOCAL_JOB), io.smcore.smlocal.job and
// io.smcore.smlocal.host; the executor only ever removes containers it
// made, by name or by that token. A stop, the maximum runtime, another
// host's failure and Server.Close remove the job's containers (docker rm
// -f); so does, on Unix, a watchdog when the server dies, and, with a
// data directory, the next start for a container whose removal a crash
// prevented.
//
// The daemon must run on this machine (the roots are bind-mounted by their
// paths here). A request runs any image it names, with host networking,
// as the image's user: whoever can send a signed request can do what the
// daemon lets a container do (see docs/emulator.md).
type DockerExecutor struct {
	// Host is the daemon's address, as DOCKER_HOST takes it
	// (unix:///run/docker.sock, …); "" leaves it to the CLI (the
	// server's DOCKER_HOST, or the CLI's context).
	Host string
	// CLI is the docker command; "" is "docker", found on PATH.
	CLI string
	// GPUs is docker's --gpus for every job ("all", "device=0,1"), or
	// "none" for none; "" gives "all" to a job whose instance type has
	// GPUs (ml.p*, ml.g*, local_gpu) when nvidia-smi lists some here.
	GPUs string
	// Labels are added to every container it makes.
	Labels map[string]string
	// CreateArgs are more options of docker create, before the image
	// (--shm-size 2g, --ipc host, --user 1000, …).
	CreateArgs []string
}

// Labels of the containers a DockerExecutor makes.
const (
	dockerMarkerLabel = "io.smcore.smlocal.marker"
	dockerJobLabel    = "io.smcore.smlocal.job"
	dockerHostLabel   = "io.smcore.smlocal.host"
)

// dockerTimeout bounds a docker command that should return at once (not
// a pull, not a job's run).
const dockerTimeout = 2 * time.Minute

// CanRun accepts jobs that name an image.
func (DockerExecutor) CanRun(run *TrainingRun) bool { return run.Image != "" }

// ServerVersion is the daemon's version: an error says why the daemon
// cannot be reached.
func (d DockerExecutor) ServerVersion(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, dockerTimeout)
	defer cancel()
	return d.output(ctx, "version", "--format", "{{.Server.Version}}")
}

// Run runs the host's container to its end: the image is pulled if the
// daemon lacks it, the container created, started with its output
// attached, and removed once it has ended or ctx ends.
func (d DockerExecutor) Run(ctx context.Context, run *TrainingRun, log func(string)) error {
	if run.Image == "" {
		return errors.New("the job names no TrainingImage to run")
	}
	if run.Root == "" {
		return errors.New("the run has no root to mount at /opt/ml")
	}
	root, err := filepath.Abs(run.Root)
	if err != nil {
		return fmt.Errorf("the host's root: %w", err)
	}
	marker := newJobMarker()
	token := strings.TrimPrefix(marker, jobMarkerVar+"=")
	name := dockerName(run, token)
	if run.onProcs != nil {
		// Before the container exists: a crash from now on leaves a
		// record, and the next start removes the container by its token.
		run.onProcs(marker, nil)
	}
	if err := d.ensureImage(ctx, run.Image, log); err != nil {
		return err
	}
	gpus := d.gpus(ctx, run, log)

	envDir, err := os.MkdirTemp("", "smlocal-env-")
	if err != nil {
		return fmt.Errorf("the container's env file: %w", err)
	}
	defer os.RemoveAll(envDir)
	spec, err := d.createSpec(run, root, name, token, gpus, filepath.Join(envDir, "env"), containerEnviron(run, marker))
	if err != nil {
		return err
	}
	// The env file, not -e NAME=value: a value on the command line is
	// every local user's to read (ps).
	if err := os.WriteFile(filepath.Join(envDir, "env"), spec.envFile, 0o600); err != nil {
		return fmt.Errorf("the container's env file: %w", err)
	}
	wd := d.startWatchdog(name)
	defer func() {
		// Removed whatever happened; then the files it wrote as root
		// given back, so that they can be packed and removed.
		d.remove(name)
		wd.done()
		if uid := os.Geteuid(); runtime.GOOS == "linux" && uid > 0 {
			d.giveBack(run.Image, root, token, uid, os.Getegid(), log)
		}
	}()
	// Not cancelled with ctx: a create the CLI gave up on may still
	// complete in the daemon, after a removal by name (the image is
	// local by now, so it is quick).
	cctx, cancel := context.WithTimeout(context.Background(), dockerTimeout)
	_, err = d.outputEnv(cctx, spec.cliEnv, spec.args...)
	cancel()
	os.RemoveAll(envDir) // the variables are the container's now
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return d.attach(ctx, name, log)
}

// attach starts the created container with its output going to log
// (stdout and stderr, as one stream) and waits for it to end, or removes
// it when ctx ends.
func (d DockerExecutor) attach(ctx context.Context, name string, log func(string)) error {
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd := exec.Command(d.cli(), "start", "--attach", name)
	cmd.Env = d.cliEnv(nil)
	cmd.Stdout, cmd.Stderr = pw, pw
	err = cmd.Start()
	pw.Close()
	if err != nil {
		pr.Close()
		return fmt.Errorf("docker start: %w", err)
	}
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		splitOutput(pr, log)
	}()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	var cancelled bool
	select {
	case <-waited:
	case <-ctx.Done():
		cancelled = true
		d.remove(name) // ends the container, and with it the CLI's attachment
		select {
		case <-waited:
		case <-time.After(dockerTimeout):
			cmd.Process.Kill()
			<-waited
		}
	}
	select {
	case <-drained:
	case <-time.After(drainWait):
		pr.Close()
		<-drained
	}
	pr.Close()
	if cancelled {
		return ctx.Err()
	}
	return d.exitError(name)
}

// exitError is how the container ended: nil for status 0.
func (d DockerExecutor) exitError(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), dockerTimeout)
	defer cancel()
	out, err := d.output(ctx, "inspect", "--format", "{{.State.ExitCode}} {{.State.OOMKilled}} {{.State.Error}}", name)
	if err != nil {
		return fmt.Errorf("the container's exit status: %w", err)
	}
	f := strings.SplitN(out, " ", 3)
	code, err := strconv.Atoi(f[0])
	if len(f) < 2 || err != nil {
		return fmt.Errorf("the container's exit status: docker inspect says %q", out)
	}
	switch {
	case len(f) == 3 && strings.TrimSpace(f[2]) != "":
		return fmt.Errorf("the container did not start: %s", strings.TrimSpace(f[2]))
	case f[1] == "true":
		return fmt.Errorf("the container ran out of memory (exit status %d)", code)
	case code != 0:
		return fmt.Errorf("the container exited with status %d", code)
	}
	return nil
}

// dockerNamePart keeps what a container name may hold.
var dockerNamePart = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// dockerName is the host's container's name: smlocal-<job>-<host>-<token's
// start>, so that a listing says whose it is.
func dockerName(run *TrainingRun, token string) string {
	job := dockerNamePart.ReplaceAllString(firstNonEmpty(run.Name, "job"), "_")
	host := dockerNamePart.ReplaceAllString(firstNonEmpty(run.Host, "algo-1"), "_")
	return "smlocal-" + job + "-" + host + "-" + token[:min(8, len(token))]
}

// containerEnviron is the environment of a host's container: what a
// process gets (jobenv.go) but the base — the image has its own PATH and
// HOME — with the /opt/ml paths, and the host's marker last.
func containerEnviron(run *TrainingRun, marker string) []string {
	return append(contractEnviron(run, run.envCfg, trainingcontract.Layout{}), marker)
}

// dockerSpec is a docker create command.
type dockerSpec struct {
	args    []string // the CLI's arguments
	envFile []byte   // the --env-file's text
	cliEnv  []string // variables docker create passes on by name (-e NAME): those an env file cannot hold
}

// createSpec is the docker create of a host's container. env is the
// container's environment; its variables go into the env file at
// envPath, but those a line of it cannot hold (a line break, a carriage
// return, invalid UTF-8, more than the CLI reads of a line), which the CLI
// passes on from its own environment.
func (d DockerExecutor) createSpec(run *TrainingRun, root, name, token, gpus, envPath string, env []string) (dockerSpec, error) {
	args := []string{"create", "--pull", "never", "--name", name}
	for _, k := range slices.Sorted(maps.Keys(d.Labels)) {
		args = append(args, "--label", k+"="+d.Labels[k])
	}
	host := firstNonEmpty(run.Host, "algo-1")
	args = append(args, "--label", dockerMarkerLabel+"="+token, "--label", dockerJobLabel+"="+run.Name,
		"--label", dockerHostLabel+"="+host)
	var spec dockerSpec
	var file bytes.Buffer
	for _, kv := range lastValues(env) {
		k, v, _ := strings.Cut(kv, "=")
		if !validEnvName(k) {
			return dockerSpec{}, fmt.Errorf("the variable %q cannot be given to a container: a name is letters, digits and '_'", k)
		}
		if !strings.ContainsAny(v, "\n\r") && utf8.ValidString(v) && len(kv) < maxEnvLine {
			file.WriteString(kv + "\n")
			continue
		}
		if cliVariable(k) {
			return dockerSpec{}, fmt.Errorf("the variable %s holds a line break (or is longer than %d bytes), and docker reads a variable of that name itself: it cannot be given to a container", k, maxEnvLine)
		}
		spec.cliEnv = append(spec.cliEnv, kv)
		args = append(args, "-e", k)
	}
	args = append(args, "--env-file", envPath, "--network", "host", "--hostname", host)
	hosts := run.Hosts
	if len(hosts) == 0 {
		hosts = []string{host}
	}
	for _, h := range hosts {
		args = append(args, "--add-host", h+":127.0.0.1")
	}
	args = append(args, "--mount", bindMount(root, trainingcontract.Root))
	if gpus != "" {
		args = append(args, "--gpus", gpus)
	}
	args = append(args, d.CreateArgs...)
	cmd := run.Arguments
	if len(run.Entrypoint) > 0 {
		args = append(args, "--entrypoint", run.Entrypoint[0])
		cmd = append(slices.Clone(run.Entrypoint[1:]), run.Arguments...)
	} else if len(cmd) == 0 {
		cmd = []string{"train"} // SageMaker's `docker run IMAGE train`
	}
	spec.args = append(append(args, run.Image), cmd...)
	spec.envFile = file.Bytes()
	return spec, nil
}

// maxEnvLine is the longest line put into an env file (the CLI reads
// lines of at most 64 KiB).
const maxEnvLine = 32 << 10

// lastValues keeps the last value of each variable of env, in the order
// of their first appearance: a later group replaces an earlier one's.
func lastValues(env []string) []string {
	at := map[string]int{}
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if i, ok := at[k]; ok {
			out[i] = kv
			continue
		}
		at[k] = len(out)
		out = append(out, kv)
	}
	return out
}

func validEnvName(k string) bool {
	if k == "" || '0' <= k[0] && k[0] <= '9' {
		return false
	}
	for _, c := range []byte(k) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// cliVariable reports whether the docker CLI reads a variable of that
// name itself (so that a job's value cannot pass through its
// environment).
func cliVariable(k string) bool {
	u := strings.ToUpper(k)
	return strings.HasPrefix(u, "DOCKER_") || strings.HasPrefix(u, "XDG_") || strings.HasSuffix(u, "_PROXY") ||
		slices.Contains([]string{"PATH", "HOME", "TMPDIR", "USER", "SHELL"}, u)
}

// bindMount is a --mount of dir at target, quoted as docker's CSV syntax
// needs when dir holds a ',' or a '"'.
func bindMount(dir, target string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"type=bind", "source=" + dir, "target=" + target})
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

// ensureImage pulls the image unless the daemon has it.
func (d DockerExecutor) ensureImage(ctx context.Context, image string, log func(string)) error {
	ictx, cancel := context.WithTimeout(ctx, dockerTimeout)
	_, err := d.output(ictx, "image", "inspect", "--format", "{{.Id}}", image)
	cancel()
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if !strings.Contains(strings.ToLower(err.Error()), "no such image") {
		return err
	}
	log("smlocal: pulling " + image)
	if _, err := d.output(ctx, "pull", "--quiet", image); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("the docker daemon has no image %s, and pulling it failed: %w", image, err)
	}
	return nil
}

// gpus is the --gpus of the host's container ("": none).
func (d DockerExecutor) gpus(ctx context.Context, run *TrainingRun, log func(string)) string {
	switch d.GPUs {
	case "none":
		return ""
	case "":
		if !gpuInstanceType(run.InstanceType) {
			return ""
		}
		if hostGPUs(ctx) > 0 {
			return "all"
		}
		log(fmt.Sprintf("smlocal: %s has GPUs, this machine none (nvidia-smi lists none): the container runs without", run.InstanceType))
		return ""
	}
	return d.GPUs
}

// gpuInstanceType reports whether instances of the type have GPUs: the
// P and G families, and the Python SDK's local_gpu.
func gpuInstanceType(t string) bool {
	return strings.HasPrefix(t, "ml.p") || strings.HasPrefix(t, "ml.g") || t == "local_gpu"
}

// hostGPUs is the number of GPUs nvidia-smi lists on this machine.
func hostGPUs(ctx context.Context) int {
	smi, err := exec.LookPath("nvidia-smi")
	if err != nil {
		return 0
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, smi, "--list-gpus").Output()
	if err != nil {
		return 0
	}
	n := 0
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "GPU ") {
			n++
		}
	}
	return n
}

// remove removes a container of the executor's (by its name), ending it
// if it runs; a container that is not there is no error.
func (d DockerExecutor) remove(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), dockerTimeout)
	defer cancel()
	d.output(ctx, "rm", "--force", "--volumes", name)
}

// giveBack makes the server's user the owner of the files a container
// wrote into root as root, so that the server can pack and remove them:
// with a server that is not root and a daemon that does not map the
// container's root to the server's user (rootless Docker does), they are
// root's. A short container of the job's image runs chown -R uid:gid; an
// image without chown leaves them root's, and the log says so.
func (d DockerExecutor) giveBack(image, root, token string, uid, gid int, log func(string)) {
	if !ownedByOthers(root, uid) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), dockerTimeout)
	defer cancel()
	name := "smlocal-chown-" + token[:min(8, len(token))]
	_, err := d.output(ctx, "run", "--rm", "--pull", "never", "--name", name, "--label", dockerMarkerLabel+"="+token,
		"--network", "none", "--user", "0:0", "--entrypoint", "chown", "--mount", bindMount(root, trainingcontract.Root),
		image, "-R", fmt.Sprintf("%d:%d", uid, gid), trainingcontract.Root)
	if err != nil {
		d.remove(name)
		log(fmt.Sprintf("smlocal: the container's files in %s stay root's (chown in the image failed: %v); remove them as root", root, err))
	}
}

// ownedByOthers reports whether something in root belongs to another
// user than uid.
func ownedByOthers(root string, uid int) bool {
	found := false
	filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err != nil || found {
			return filepath.SkipAll
		}
		if info, err := e.Info(); err == nil && fileOwner(info) >= 0 && fileOwner(info) != uid {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// endLeftoverContainers removes, with each docker executor of the server,
// the containers labelled with a crashed run's marker (jobprocs.go), and
// returns how many.
func (s *Service) endLeftoverContainers(rec jobProcs) int {
	token, ok := strings.CutPrefix(rec.Marker, jobMarkerVar+"=")
	if !ok || len(token) < 16 || strings.Trim(token, "0123456789abcdef") != "" {
		return 0 // a token of newJobMarker's only: never a filter that matches more
	}
	n := 0
	for _, e := range s.Executors {
		var d DockerExecutor
		switch e := e.(type) {
		case DockerExecutor:
			d = e
		case *DockerExecutor:
			d = *e
		default:
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), dockerTimeout)
		out, err := d.output(ctx, "ps", "--all", "--quiet", "--no-trunc", "--filter", "label="+dockerMarkerLabel+"="+token)
		cancel()
		if err != nil {
			if s.Logger != nil {
				s.Logger.Warn("local endpoint: listing the containers a crashed job may have left failed; look for them by label", "job", rec.Job, "label", dockerMarkerLabel+"="+token, "err", err)
			}
			continue
		}
		for _, id := range strings.Fields(out) {
			d.remove(id)
			n++
		}
	}
	return n
}

func (d DockerExecutor) cli() string {
	if d.CLI != "" {
		return d.CLI
	}
	if p, err := exec.LookPath("docker"); err == nil {
		return p
	}
	return "docker"
}

// cliEnv is the CLI's environment: the server's, DOCKER_HOST set to Host,
// and extra.
func (d DockerExecutor) cliEnv(extra []string) []string {
	env := os.Environ()
	if d.Host != "" {
		env = slices.DeleteFunc(env, func(kv string) bool {
			return strings.HasPrefix(kv, "DOCKER_HOST=") || strings.HasPrefix(kv, "DOCKER_CONTEXT=")
		})
		env = append(env, "DOCKER_HOST="+d.Host)
	}
	return append(env, extra...)
}

// output runs the CLI and returns its output, trimmed; an error holds what
// it wrote to stderr.
func (d DockerExecutor) output(ctx context.Context, args ...string) (string, error) {
	return d.outputEnv(ctx, nil, args...)
}

func (d DockerExecutor) outputEnv(ctx context.Context, extra []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, d.cli(), args...)
	cmd.Env = d.cliEnv(extra)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("docker %s: %s", args[0], msg)
	}
	return strings.TrimSpace(stdout.String()), nil
}
