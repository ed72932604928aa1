package sagemaker

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smcore-go/smcore/internal/trainingcontract"
)

// TrainingRun is what an executor gets to run one host of a training job:
// the job's settings, the host's place among the job's hosts and its
// prepared /opt/ml-style root. A job of several instances is one run per
// host, all started together.
type TrainingRun struct {
	Name            string
	Image           string   // AlgorithmSpecification.TrainingImage, or the TrainingImage of the algorithm AlgorithmName names
	Entrypoint      []string // AlgorithmSpecification.ContainerEntrypoint
	Arguments       []string // AlgorithmSpecification.ContainerArguments
	HyperParameters map[string]string
	Environment     map[string]string
	Channels        []string // the channels this host gets, staged under Root/input/data/<name>
	Root            string   // this host's /opt/ml: <job root>/<Host>
	Host            string   // this host: "algo-1", "algo-2", …
	Hosts           []string // every host of the job, in order: Hosts[HostIndex] is Host
	HostIndex       int      // the host's rank (SM_CURRENT_HOST_RANK)
	InstanceType    string   // this host's instance type (its instance group's)
	// Env is the whole environment of the host's process, set by the
	// server before Run (see jobenv.go): a fixed base, the variables
	// WithJobEnv names, credentials for the endpoint, the SM_* variables
	// (SM_MASTER_ADDR and SM_MASTER_PORT among them) and Environment —
	// never the rest of the server's environment.
	Env []string

	config     *trainingcontract.Config // the host's config files; nil: derived from the fields above
	masterPort int                      // SM_MASTER_PORT; 0: none
	envCfg     jobEnvConfig             // what the server adds to the job's environment (a container's, docker.go)
	plan       hostPlan                 // the job's hosts (on the run CanRun sees)
	planErr    error

	// onProcs, with a data directory, records the processes of the run's
	// tree as they are found (jobprocs.go).
	onProcs func(marker string, ids []procID)

	// What ProcessExecutor runs for a job without ContainerEntrypoint
	// (classic.go): the image's command of WithImageCommands, or the
	// classic runner, whose source comes from the endpoint's S3.
	command   []string
	classic   *trainingcontract.Classic
	getObject func(ctx context.Context, bucket, key string) (io.ReadCloser, error)
}

// Executor runs training jobs. The first executor whose CanRun accepts a
// job (shown its first host's run) runs it; a job no executor accepts
// fails saying so (or completes as simulated with WithSimulation).
type Executor interface {
	CanRun(run *TrainingRun) bool
	// Run runs one host of the job to its end, writing each output line
	// to log. It is called once per host, concurrently for a job of
	// several. A non-nil error fails the job; ctx ends when the job is
	// stopped, runs past MaxRuntimeInSeconds, or another of its hosts
	// failed.
	Run(ctx context.Context, run *TrainingRun, log func(line string)) error
}

// ProcessExecutor runs a job's ContainerEntrypoint and ContainerArguments
// as host processes, one per instance — the image is not used — with the
// /opt/ml paths of the host given by environment variables (SM_MODEL_DIR,
// SM_CHANNEL_<NAME>, SM_OUTPUT_DATA_DIR, SM_HPS, …) and the working
// directory at the host's root. The process gets run.Env (without one, the
// base and the SM_* variables and Environment), never the server's own
// environment.
//
// A job without ContainerEntrypoint runs the command WithImageCommands
// gives its image, or, for a classic script-mode job (its hyperparameters
// name sagemaker_submit_directory and sagemaker_program), smcore's
// classic runner on the job's source (classic.go).
//
// It runs request-supplied commands as the server's user: serve it on
// loopback only, with credentials of your own (see docs/emulator.md).
type ProcessExecutor struct{}

// CanRun accepts jobs that name an entrypoint, whose image has a command,
// or that are classic script-mode jobs.
func (ProcessExecutor) CanRun(run *TrainingRun) bool {
	return len(run.Entrypoint) > 0 || len(run.command) > 0 || run.classic != nil
}

// Run starts the process and waits for it. The host's whole process tree
// ends with it: when the process exits, when ctx ends (a stop, the
// maximum runtime, another host's failure, Server.Close) and, on Linux,
// when the server dies (proc_linux.go). Its output is then read to its
// end, for at most drainWait.
func (ProcessExecutor) Run(ctx context.Context, run *TrainingRun, log func(string)) error {
	env := run.Env
	if env == nil {
		env = jobEnviron(run, jobEnvConfig{})
	}
	if run.Root != "" {
		if err := os.MkdirAll(filepath.Join(run.Root, "tmp"), 0o700); err != nil {
			return fmt.Errorf("the host's tmp folder: %w", err)
		}
	}
	if d := run.sharedDir(); d != "" {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("the hosts' shared folder: %w", err)
		}
	}
	argv, env, err := run.process(ctx, env, log)
	if err != nil {
		return err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = run.Root
	marker := newJobMarker()
	cmd.Env = append(slices.Clip(env), marker)
	// An *os.File, so that Wait waits for the process and not for whoever
	// else holds the pipe.
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	var changed func([]procID)
	if run.onProcs != nil {
		changed = func(ids []procID) { run.onProcs(marker, ids) }
	}
	tree, waited, err := startTree(cmd, marker, changed)
	pw.Close()
	if err != nil {
		pr.Close()
		return err
	}
	defer tree.close()
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		splitOutput(pr, log)
	}()
	select {
	case err = <-waited:
	case <-ctx.Done():
		tree.kill()
		err = <-waited
	}
	// The process has ended, and so does the rest of its tree, as a
	// container's does when its main process exits.
	tree.kill()
	select {
	case <-drained:
	case <-time.After(drainWait):
		pr.Close() // a process that escaped the tree still holds the output
		<-drained
		log(fmt.Sprintf("smlocal: stopped reading the job's output %v after its process ended: a process outside its tree still holds it", drainWait))
	}
	pr.Close()
	return err
}

// drainWait bounds how long a job's output is read after its process tree
// has ended.
const drainWait = 2 * time.Second

// contract is the host's config: the one its files were written from, or
// one made of the run's fields (a run made by hand).
func (run *TrainingRun) contract() trainingcontract.Config {
	if run.config != nil {
		return *run.config
	}
	host := firstNonEmpty(run.Host, "algo-1")
	hosts := run.Hosts
	if len(hosts) == 0 {
		hosts = []string{host}
	}
	in := map[string]trainingcontract.ChannelConfig{}
	for _, c := range run.Channels {
		in[c] = trainingcontract.ChannelConfig{TrainingInputMode: "File"}
	}
	return trainingcontract.Config{HyperParameters: run.HyperParameters, InputData: in, JobName: run.Name,
		Resource: trainingcontract.ResourceConfig{CurrentHost: host, CurrentInstanceType: run.InstanceType, Hosts: hosts}}
}

// forHost is the run of the i-th host of the job, rooted at root.
func (run *TrainingRun) forHost(i int, root string) *TrainingRun {
	return &TrainingRun{
		Name: run.Name, Image: run.Image,
		Entrypoint: slices.Clone(run.Entrypoint), Arguments: slices.Clone(run.Arguments),
		HyperParameters: maps.Clone(run.HyperParameters), Environment: maps.Clone(run.Environment),
		Root: root, Host: run.plan.hosts[i], Hosts: slices.Clone(run.plan.hosts), HostIndex: i,
		InstanceType: run.plan.types[i], masterPort: run.masterPort,
		command: slices.Clone(run.command), classic: run.classic, getObject: run.getObject,
	}
}

// training is a running job's handle.
type training struct {
	cancel  context.CancelCauseFunc
	mu      sync.Mutex
	metrics map[int]map[string]float64 // by host index: each metric's last value
}

var (
	errStopped    = errors.New("stopped")
	errMaxRuntime = errors.New("max runtime exceeded")
	errShutdown   = errors.New("the local endpoint is shutting down")
)

// runnable returns the executor for a training job and its first host's
// run, or nil.
func (s *Service) runnable(r *record) (Executor, *TrainingRun) {
	spec, _ := r.doc["AlgorithmSpecification"].(map[string]any)
	run := &TrainingRun{Name: r.name, Image: str(spec["TrainingImage"]),
		HyperParameters: map[string]string{}, Environment: map[string]string{}}
	run.plan, run.planErr = planHosts(r.doc)
	if run.planErr != nil {
		run.plan, _ = planHosts(nil) // the job fails once started; CanRun sees one host
	}
	run.Host, run.Hosts, run.InstanceType = run.plan.hosts[0], slices.Clone(run.plan.hosts), run.plan.types[0]
	for _, v := range asList(spec["ContainerEntrypoint"]) {
		run.Entrypoint = append(run.Entrypoint, str(v))
	}
	for _, v := range asList(spec["ContainerArguments"]) {
		run.Arguments = append(run.Arguments, str(v))
	}
	for k, v := range asMap(r.doc["HyperParameters"]) {
		run.HyperParameters[k] = str(v)
	}
	for k, v := range asMap(r.doc["Environment"]) {
		run.Environment[k] = str(v)
	}
	for _, c := range channelSpecs(r.doc) {
		if slices.Contains(c.receivers(run.plan), 0) {
			run.Channels = append(run.Channels, c.name)
		}
	}
	s.resolveRun(r, run)
	for _, e := range s.Executors {
		if e.CanRun(run) {
			return e, run
		}
	}
	return nil, nil
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// jobLog writes a job's lines to its hosts' log streams
// (<job>/algo-i-<epoch>) and reads its metrics from the job's own lines.
type jobLog struct {
	s       *Service
	region  string // the job's
	streams []string
	defs    []metricDef
	tr      *training
}

const trainingLogGroup = "/aws/sagemaker/TrainingJobs"

// output is what host i's output lines go through.
func (l *jobLog) output(i int) func(string) {
	return func(line string) {
		l.s.Logs.Append(l.region, trainingLogGroup, l.streams[i], l.s.Now(), line)
		for _, d := range l.defs {
			if m := d.re.FindStringSubmatch(line); len(m) > 1 {
				if f, err := strconv.ParseFloat(m[1], 64); err == nil {
					l.tr.mu.Lock()
					if l.tr.metrics[i] == nil {
						l.tr.metrics[i] = map[string]float64{}
					}
					l.tr.metrics[i][d.name] = f
					l.tr.mu.Unlock()
				}
			}
		}
	}
}

// note writes a line of the server's own into host i's log, its values of
// secret variables masked (it may quote what the job wrote).
func (l *jobLog) note(i int, env []string, line string) {
	l.s.Logs.Append(l.region, trainingLogGroup, l.streams[i], l.s.Now(), trainingcontract.Mask(line, env))
}

// finalMetrics is each metric's last value on the first host that
// reported it. Call with l.tr.mu held.
func (l *jobLog) finalMetrics(now time.Time) []any {
	var list []any
	for _, d := range l.defs {
		for i := range l.streams {
			if v, ok := l.tr.metrics[i][d.name]; ok {
				list = append(list, map[string]any{"MetricName": d.name, "Value": v, "Timestamp": epoch(now)})
				break
			}
		}
	}
	return list
}

// startTraining runs a training job with an executor in the background:
// stage the channels from S3, run every host, upload the model, record
// the outcome. Call with s.mu held.
func (s *Service) startTraining(r *record, ex Executor, run *TrainingRun) {
	if s.closed {
		r.reason = "InternalServerError: the local endpoint is shutting down"
		r.setStatus(s.Now(), r.spec.Failed, "Failed", "The local endpoint is shutting down")
		return
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	if sc := asMap(r.doc["StoppingCondition"]); sc != nil {
		if n, ok := intOf(sc["MaxRuntimeInSeconds"]); ok && n > 0 {
			var c2 context.CancelFunc
			ctx, c2 = context.WithTimeoutCause(ctx, time.Duration(n)*time.Second, errMaxRuntime)
			_ = c2 // released when the run ends: cancel below cancels the parent
		}
	}
	tr := &training{cancel: cancel, metrics: map[int]map[string]float64{}}
	r.training = tr
	r.setStatus(s.Now(), "", "Starting", "Preparing the instances for training")
	logs := &jobLog{s: s, region: r.region(), defs: metricDefs(r.doc), tr: tr}
	for _, h := range run.plan.hosts {
		logs.streams = append(logs.streams, fmt.Sprintf("%s/%s-%d", r.name, h, s.Now().Unix()))
	}
	doc := maps.Clone(r.doc) // the run reads its settings without the lock; updates replace top-level members only
	s.runs.Add(1)
	go func() {
		defer s.runs.Done()
		defer cancel(nil)
		err := s.train(ctx, r, doc, ex, run, logs)
		s.mu.Lock()
		defer s.mu.Unlock()
		now := s.Now()
		r.training = nil
		if errors.Is(context.Cause(ctx), errShutdown) {
			// Left as it was: the job was running when the endpoint
			// stopped (with a data dir, a restart ends it Failed).
			return
		}
		tr.mu.Lock()
		if list := logs.finalMetrics(now); len(list) > 0 {
			r.doc["FinalMetricDataList"] = list
		}
		tr.mu.Unlock()
		switch cause := context.Cause(ctx); {
		case errors.Is(cause, errStopped) || r.status == r.spec.Stopping:
			// A StopTrainingJob answered 200 ends Stopped, even when the
			// run finished between the answer and the cancel.
			r.setStatus(now, r.spec.Stopped, "Stopped", "Training job stopped")
		case err == nil:
			r.setStatus(now, r.spec.Ready, "Completed", "Training job completed")
		case errors.Is(cause, errMaxRuntime):
			r.setStatus(now, r.spec.Stopped, "MaxRuntimeExceeded", "Training job reached MaxRuntimeInSeconds")
		default:
			r.reason = err.Error()
			r.setStatus(now, r.spec.Failed, "Failed", "Training job failed")
		}
	}()
}

// train makes a root per host, stages the inputs and config files, runs
// the hosts and uploads their merged model.
func (s *Service) train(ctx context.Context, r *record, doc map[string]any, ex Executor, first *TrainingRun, logs *jobLog) error {
	if first.planErr != nil {
		return fmt.Errorf("ClientError: ResourceConfig: %w", first.planErr)
	}
	plan := first.plan
	base := s.WorkDir
	if base == "" {
		base = os.TempDir()
	}
	if err := os.MkdirAll(base, 0o700); err != nil {
		return fmt.Errorf("InternalServerError: job root: %w", err)
	}
	root, err := os.MkdirTemp(base, "smlocal-"+first.Name+"-")
	if err != nil {
		return fmt.Errorf("InternalServerError: job root: %w", err)
	}
	var recorded []func()
	defer func() {
		os.RemoveAll(root)
		for _, done := range recorded {
			done() // after the root: a crash before leaves it to the next start
		}
	}()
	port, err := freeLoopbackPort()
	if err != nil {
		return fmt.Errorf("InternalServerError: %w", err)
	}
	first.masterPort = port
	layouts := make([]trainingcontract.Layout, len(plan.hosts))
	for i, h := range plan.hosts {
		layouts[i] = trainingcontract.Layout{Dir: filepath.Join(root, h)}
		for _, d := range append(layouts[i].Dirs(), filepath.Join(layouts[i].Dir, "tmp")) {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return fmt.Errorf("InternalServerError: %w", err)
			}
		}
	}
	s.secondary(r, "Downloading", "Downloading input data")
	inputs, channels, err := s.stageChannels(ctx, channelSpecs(doc), plan, layouts)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("ClientError: %w", err)
	}
	iface := loopbackInterface()
	// The job's SDK calls go to the job's own region, as on SageMaker.
	envCfg := jobEnvConfig{allow: s.JobEnv, creds: s.Creds, region: cmp.Or(r.region(), s.Default), endpoint: s.EndpointURL}
	runs := make([]*TrainingRun, len(plan.hosts))
	outputs := make([]func(string), len(plan.hosts))
	for i, h := range plan.hosts {
		run := first.forHost(i, layouts[i].Dir)
		run.Channels = channels[i]
		run.config = &trainingcontract.Config{
			HyperParameters: run.HyperParameters,
			InputData:       inputs[i],
			JobName:         run.Name,
			Resource: trainingcontract.ResourceConfig{
				CurrentHost: h, CurrentInstanceType: plan.types[i], CurrentGroupName: plan.groups[i],
				Hosts: plan.hosts, InstanceGroups: plan.config, NetworkInterfaceName: iface,
			},
		}
		if err := layouts[i].WriteConfig(*run.config); err != nil {
			return fmt.Errorf("InternalServerError: %s's config files: %w", h, err)
		}
		run.Env, run.envCfg = jobEnviron(run, envCfg), envCfg
		if s.store != nil {
			var done func()
			run.onProcs, done = s.recordProcs(run.Name, h, root)
			recorded = append(recorded, done)
		}
		runs[i], outputs[i] = run, logs.output(i)
	}
	s.secondary(r, "Training", "Training in progress")
	ending := func(i int, failed *hostError) {
		logs.note(i, runs[i].Env, fmt.Sprintf("smlocal: ending %s: %s failed: %s", runs[i].Host, runs[failed.index].Host, hostFailure(failed, layouts[failed.index])))
	}
	if err := runHosts(ctx, ex, runs, outputs, ending); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var he *hostError
		if !errors.As(err, &he) {
			return fmt.Errorf("AlgorithmError: %w", err)
		}
		msg := hostFailure(he, layouts[he.index])
		if len(runs) > 1 {
			msg = runs[he.index].Host + ": " + msg
		}
		return fmt.Errorf("AlgorithmError: %s", msg)
	}
	s.secondary(r, "Uploading", "Uploading generated training model")
	out := str(asMap(doc["OutputDataConfig"])["S3OutputPath"])
	bucket, prefix, ok := splitS3(out)
	if !ok {
		return fmt.Errorf("ClientError: OutputDataConfig.S3OutputPath %q is not an s3:// URI", out)
	}
	var buf bytes.Buffer
	models := make([]string, len(layouts))
	for i, l := range layouts {
		models[i] = l.ModelDir()
	}
	if err := packModels(&buf, models, plan.hosts); err != nil {
		if me := (*modelError)(nil); errors.As(err, &me) {
			return fmt.Errorf("AlgorithmError: %s", me.msg)
		}
		return fmt.Errorf("InternalServerError: packing the model: %w", err)
	}
	key := path.Join(prefix, first.Name, "output", "model.tar.gz")
	if err := s.S3.EnsureBucket(ctx, bucket); err != nil {
		return fmt.Errorf("ClientError: %w", err)
	}
	if err := s.S3.PutObject(ctx, bucket, key, &buf); err != nil {
		return fmt.Errorf("InternalServerError: uploading the model: %w", err)
	}
	s.mu.Lock()
	r.doc["ModelArtifacts"] = map[string]any{"S3ModelArtifacts": "s3://" + bucket + "/" + key}
	s.store.markDirty(r) // a Describe may answer with it before the job ends
	s.mu.Unlock()
	return nil
}

// hostFailure is why a host failed: its failure file, or the executor's
// error.
func hostFailure(he *hostError, l trainingcontract.Layout) string {
	if b, err := os.ReadFile(l.FailureFile()); err == nil && len(bytes.TrimSpace(b)) > 0 {
		return strings.TrimSpace(string(b))
	}
	return he.err.Error()
}

// stage copies the objects keys (under prefix in bucket) into dir, each at
// its path below the prefix; the folder is made even for no object (a
// host's empty shard).
func (s *Service) stage(ctx context.Context, bucket, prefix string, keys []string, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, k := range keys {
		rel := strings.TrimPrefix(strings.TrimPrefix(k, prefix), "/")
		if rel == "" {
			rel = path.Base(k)
		}
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if !strings.HasPrefix(dst, filepath.Clean(dir)+string(filepath.Separator)) {
			return fmt.Errorf("object key %q leaves the channel folder", k)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		rc, err := s.S3.GetObject(ctx, bucket, k)
		if err != nil {
			return err
		}
		f, err := os.Create(dst)
		if err == nil {
			_, err = io.Copy(f, rc)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) secondary(r *record, status, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.setStatus(s.Now(), "", status, message)
}

func splitS3(uri string) (bucket, key string, ok bool) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return "", "", false
	}
	bucket, key, _ = strings.Cut(rest, "/")
	return bucket, strings.TrimSuffix(key, "/"), bucket != ""
}

type metricDef struct {
	name string
	re   *regexp.Regexp
}

// metricDefs compiles AlgorithmSpecification.MetricDefinitions; a regex Go
// cannot compile is skipped.
func metricDefs(doc map[string]any) []metricDef {
	var out []metricDef
	for _, m := range asList(asMap(doc["AlgorithmSpecification"])["MetricDefinitions"]) {
		md := asMap(m)
		re, err := regexp.Compile(str(md["Regex"]))
		if err == nil {
			out = append(out, metricDef{str(md["Name"]), re})
		}
	}
	return out
}
