package emulator

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
)

// TrainingRun is what an executor gets to run one training job: the
// job's settings and a prepared /opt/ml-style root.
type TrainingRun struct {
	Name            string
	Image           string   // AlgorithmSpecification.TrainingImage
	Entrypoint      []string // AlgorithmSpecification.ContainerEntrypoint
	Arguments       []string // AlgorithmSpecification.ContainerArguments
	HyperParameters map[string]string
	Environment     map[string]string
	Channels        []string // channel names, staged under Root/input/data/<name>
	Root            string   // the job's /opt/ml
	Host            string   // "algo-1"
	// Env is the whole environment of the job's process, set by the
	// server before Run (see jobenv.go): a fixed base, the variables
	// WithJobEnv names, credentials for the endpoint, the SM_* variables
	// and Environment — never the rest of the server's environment.
	Env []string

	// onProcs, with a data directory, records the processes of the run's
	// tree as they are found (jobprocs.go).
	onProcs func(marker string, ids []procID)
}

// Executor runs training jobs. The first executor whose CanRun accepts a
// job runs it; a job no executor accepts fails saying so (or completes
// as simulated with WithSimulation).
type Executor interface {
	CanRun(run *TrainingRun) bool
	// Run runs the job to its end, writing each output line to log. A
	// non-nil error fails the job; ctx ends when the job is stopped or
	// runs past MaxRuntimeInSeconds.
	Run(ctx context.Context, run *TrainingRun, log func(line string)) error
}

// WithExecutor adds an executor for training jobs (tried in order).
func WithExecutor(e Executor) Option { return func(s *Server) { s.executors = append(s.executors, e) } }

// WithWorkDir sets where job roots are made (default: a temporary folder).
func WithWorkDir(dir string) Option { return func(s *Server) { s.workDir = dir } }

// ProcessExecutor runs a job's ContainerEntrypoint and ContainerArguments
// as a host process — the image is not used — with the /opt/ml paths
// given by environment variables (SM_MODEL_DIR, SM_CHANNEL_<NAME>,
// SM_OUTPUT_DATA_DIR, SM_HPS, …) and the working directory at the root.
// The process gets run.Env (without one, the base and the SM_* variables
// and Environment), never the server's own environment.
//
// It runs request-supplied commands as the server's user: serve it on
// loopback only, with credentials of your own (see docs/emulator.md).
type ProcessExecutor struct{}

// CanRun accepts jobs that name an entrypoint.
func (ProcessExecutor) CanRun(run *TrainingRun) bool { return len(run.Entrypoint) > 0 }

// Run starts the process and waits for it. The job's whole process tree
// ends with it: when the process exits, when ctx ends (a stop, the
// maximum runtime, Server.Close) and, on Linux, when the server dies
// (proc_linux.go). Its output is then read to its end, for at most
// drainWait.
func (ProcessExecutor) Run(ctx context.Context, run *TrainingRun, log func(string)) error {
	args := append(append([]string{}, run.Entrypoint[1:]...), run.Arguments...)
	cmd := exec.Command(run.Entrypoint[0], args...)
	cmd.Dir = run.Root
	env := run.Env
	if env == nil {
		env = jobEnviron(run, jobEnvConfig{})
	}
	if run.Root != "" {
		if err := os.MkdirAll(filepath.Join(run.Root, "tmp"), 0o700); err != nil {
			return err
		}
	}
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

// trainingEnv is the SM_* environment of the SageMaker training toolkit.
func trainingEnv(run *TrainingRun) []string {
	hps, _ := json.Marshal(run.HyperParameters)
	env := []string{
		"SM_MODEL_DIR=" + filepath.Join(run.Root, "model"),
		"SM_OUTPUT_DATA_DIR=" + filepath.Join(run.Root, "output", "data"),
		"SM_OUTPUT_DIR=" + filepath.Join(run.Root, "output"),
		"SM_INPUT_DIR=" + filepath.Join(run.Root, "input"),
		"SM_INPUT_CONFIG_DIR=" + filepath.Join(run.Root, "input", "config"),
		"SM_CHANNELS=" + mustJSON(run.Channels),
		"SM_HPS=" + string(hps),
		"SM_CURRENT_HOST=" + run.Host,
		"SM_HOSTS=" + mustJSON([]string{run.Host}),
		"SM_NUM_GPUS=0",
		"SM_NUM_CPUS=1",
		"TRAINING_JOB_NAME=" + run.Name,
	}
	for _, c := range run.Channels {
		env = append(env, "SM_CHANNEL_"+strings.ToUpper(c)+"="+filepath.Join(run.Root, "input", "data", c))
	}
	for k, v := range run.HyperParameters {
		env = append(env, "SM_HP_"+strings.ToUpper(k)+"="+v)
	}
	for k, v := range run.Environment {
		env = append(env, k+"="+v)
	}
	return env
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// training is a running job's handle.
type training struct {
	cancel  context.CancelCauseFunc
	mu      sync.Mutex
	metrics map[string]float64
}

var (
	errStopped    = errors.New("stopped")
	errMaxRuntime = errors.New("max runtime exceeded")
	errShutdown   = errors.New("the local endpoint is shutting down")
)

// runnable returns the executor for a training job and its run, or nil.
func (s *Server) runnable(r *record) (Executor, *TrainingRun) {
	spec, _ := r.doc["AlgorithmSpecification"].(map[string]any)
	run := &TrainingRun{Name: r.name, Image: str(spec["TrainingImage"]), Host: "algo-1",
		HyperParameters: map[string]string{}, Environment: map[string]string{}}
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
	for _, c := range asList(r.doc["InputDataConfig"]) {
		run.Channels = append(run.Channels, str(asMap(c)["ChannelName"]))
	}
	for _, e := range s.executors {
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

// startTraining runs a training job with an executor in the background:
// stage the channels from S3, run, upload the model, record the outcome.
// Call with s.mu held.
func (s *Server) startTraining(r *record, ex Executor, run *TrainingRun) {
	if s.closed {
		r.reason = "InternalServerError: the local endpoint is shutting down"
		r.setStatus(s.now(), r.spec.Failed, "Failed", "The local endpoint is shutting down")
		return
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	if sc := asMap(r.doc["StoppingCondition"]); sc != nil {
		if n, err := strconv.Atoi(fmt.Sprint(sc["MaxRuntimeInSeconds"])); err == nil && n > 0 {
			var c2 context.CancelFunc
			ctx, c2 = context.WithTimeoutCause(ctx, time.Duration(n)*time.Second, errMaxRuntime)
			_ = c2 // released when the run ends: cancel below cancels the parent
		}
	}
	tr := &training{cancel: cancel, metrics: map[string]float64{}}
	r.training = tr
	r.setStatus(s.now(), "", "Starting", "Preparing the instances for training")
	stream := fmt.Sprintf("%s/%s-%d", r.name, run.Host, s.now().Unix())
	defs := metricDefs(r.doc)
	logLine := func(line string) {
		s.AppendLog("/aws/sagemaker/TrainingJobs", stream, s.now(), line)
		for _, d := range defs {
			if m := d.re.FindStringSubmatch(line); len(m) > 1 {
				if f, err := strconv.ParseFloat(m[1], 64); err == nil {
					tr.mu.Lock()
					tr.metrics[d.name] = f
					tr.mu.Unlock()
				}
			}
		}
	}
	doc := maps.Clone(r.doc) // the run reads its settings without the lock; updates replace top-level members only
	s.runs.Add(1)
	go func() {
		defer s.runs.Done()
		defer cancel(nil)
		err := s.train(ctx, r, doc, ex, run, logLine)
		s.mu.Lock()
		defer s.mu.Unlock()
		now := s.now()
		r.training = nil
		if errors.Is(context.Cause(ctx), errShutdown) {
			// Left as it was: the job was running when the endpoint
			// stopped (with a data dir, a restart ends it Failed).
			return
		}
		tr.mu.Lock()
		if len(tr.metrics) > 0 {
			var list []any
			for _, d := range defs {
				if v, ok := tr.metrics[d.name]; ok {
					list = append(list, map[string]any{"MetricName": d.name, "Value": v, "Timestamp": epoch(now)})
				}
			}
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

// train stages inputs, runs the executor and uploads the model.
func (s *Server) train(ctx context.Context, r *record, doc map[string]any, ex Executor, run *TrainingRun, log func(string)) error {
	base := s.workDir
	if base == "" {
		base = os.TempDir()
	}
	if err := os.MkdirAll(base, 0o700); err != nil {
		return fmt.Errorf("InternalServerError: job root: %w", err)
	}
	root, err := os.MkdirTemp(base, "smlocal-"+run.Name+"-")
	if err != nil {
		return fmt.Errorf("InternalServerError: job root: %w", err)
	}
	run.Root = root
	var recorded func()
	if s.store != nil {
		run.onProcs, recorded = s.recordProcs(run)
	}
	defer func() {
		os.RemoveAll(root)
		if recorded != nil {
			recorded() // after the root: a crash before leaves it to the next start
		}
	}()
	run.Env = jobEnviron(run, jobEnvConfig{allow: s.jobEnv, creds: s.creds, region: s.region, endpoint: s.endpointURL})
	for _, d := range []string{"model", "output/data", "input/config", "input/data", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return fmt.Errorf("InternalServerError: %w", err)
		}
	}
	s.secondary(r, "Downloading", "Downloading input data")
	for _, c := range asList(doc["InputDataConfig"]) {
		ch := asMap(c)
		uri := str(asMap(asMap(ch["DataSource"])["S3DataSource"])["S3Uri"])
		if err := s.stage(ctx, uri, filepath.Join(root, "input", "data", str(ch["ChannelName"]))); err != nil {
			return fmt.Errorf("ClientError: channel %s: %w", str(ch["ChannelName"]), err)
		}
	}
	cfg := map[string]any{
		"hyperparameters.json":   run.HyperParameters,
		"resourceconfig.json":    map[string]any{"current_host": run.Host, "hosts": []string{run.Host}},
		"inputdataconfig.json":   channelConfig(doc),
		"trainingjobconfig.json": map[string]any{"TrainingJobName": run.Name},
	}
	for name, v := range cfg {
		b, _ := json.MarshalIndent(v, "", "  ")
		if err := os.WriteFile(filepath.Join(root, "input", "config", name), b, 0o644); err != nil {
			return fmt.Errorf("InternalServerError: %w", err)
		}
	}
	s.secondary(r, "Training", "Training in progress")
	if err := ex.Run(ctx, run, log); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if b, rerr := os.ReadFile(filepath.Join(root, "output", "failure")); rerr == nil && len(bytes.TrimSpace(b)) > 0 {
			return fmt.Errorf("AlgorithmError: %s", strings.TrimSpace(string(b)))
		}
		return fmt.Errorf("AlgorithmError: %v", err)
	}
	s.secondary(r, "Uploading", "Uploading generated training model")
	out := str(asMap(doc["OutputDataConfig"])["S3OutputPath"])
	bucket, prefix, ok := splitS3(out)
	if !ok {
		return fmt.Errorf("ClientError: OutputDataConfig.S3OutputPath %q is not an s3:// URI", out)
	}
	var buf bytes.Buffer
	if err := tarGz(&buf, filepath.Join(root, "model")); err != nil {
		if me := (*modelError)(nil); errors.As(err, &me) {
			return fmt.Errorf("AlgorithmError: %s", me.msg)
		}
		return fmt.Errorf("InternalServerError: packing the model: %w", err)
	}
	key := path.Join(prefix, run.Name, "output", "model.tar.gz")
	if err := s.EnsureBucket(ctx, bucket); err != nil {
		return fmt.Errorf("ClientError: %w", err)
	}
	if err := s.PutObject(ctx, bucket, key, &buf); err != nil {
		return fmt.Errorf("InternalServerError: uploading the model: %w", err)
	}
	s.mu.Lock()
	r.doc["ModelArtifacts"] = map[string]any{"S3ModelArtifacts": "s3://" + bucket + "/" + key}
	s.store.markDirty(r) // a Describe may answer with it before the job ends
	s.mu.Unlock()
	return nil
}

func (s *Server) secondary(r *record, status, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.setStatus(s.now(), "", status, message)
}

func channelConfig(doc map[string]any) map[string]any {
	out := map[string]any{}
	for _, c := range asList(doc["InputDataConfig"]) {
		ch := asMap(c)
		out[str(ch["ChannelName"])] = map[string]any{"TrainingInputMode": firstNonEmpty(str(ch["InputMode"]), "File"), "ContentType": str(ch["ContentType"])}
	}
	return out
}

// stage copies every object under an s3:// prefix into dir.
func (s *Server) stage(ctx context.Context, uri, dir string) error {
	bucket, prefix, ok := splitS3(uri)
	if !ok {
		return fmt.Errorf("%q is not an s3:// URI", uri)
	}
	keys, err := s.ListObjects(ctx, bucket, prefix)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return fmt.Errorf("no object under %s", uri)
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
		rc, err := s.GetObject(ctx, bucket, k)
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

func splitS3(uri string) (bucket, key string, ok bool) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return "", "", false
	}
	bucket, key, _ = strings.Cut(rest, "/")
	return bucket, strings.TrimSuffix(key, "/"), bucket != ""
}

// modelError is a model directory that cannot be packed; its text is
// the job's FailureReason after "AlgorithmError: ".
type modelError struct{ msg string }

func (e *modelError) Error() string { return e.msg }

// tarGz packs dir's files into w, as SageMaker packs /opt/ml/model. A
// symbolic link that points inside dir is packed as a symbolic link (its
// target made relative to the link: the archive unpacks anywhere); one
// that points outside dir — or anything that is not a file, a directory or
// a symbolic link — is refused with a *modelError saying which and why.
func tarGz(w io.Writer, dir string) error {
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		name := filepath.ToSlash(rel)
		switch mode := info.Mode(); {
		case mode&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			link, ok := linkInside(dir, realDir, p, target)
			if !ok {
				return &modelError{fmt.Sprintf("the model directory holds a symbolic link, %s, to %s, which is outside it: "+
					"only what the directory holds is packed into model.tar.gz; put the file itself there, or link to a file inside it", name, target)}
			}
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: link, Mode: 0o777, ModTime: info.ModTime(), Format: tar.FormatPAX})
		case mode.IsRegular():
			hdr, err := tar.FileInfoHeader(info, "")
			if err != nil {
				return err
			}
			hdr.Name = name
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.CopyN(tw, f, hdr.Size) // the size in the header, even if the file grew since
			return err
		default:
			return &modelError{fmt.Sprintf("the model directory holds %s, which is a %s: only files, directories and symbolic links can be packed into model.tar.gz", name, fileKind(mode))}
		}
	})
	if err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// linkInside reports whether the symbolic link at p (inside dir, which
// resolves to realDir) with the given target points inside dir, and the
// target relative to the link's folder. The target is judged by its path,
// and also where it resolves to if it exists (a link through another link
// that leaves dir is outside).
func linkInside(dir, realDir, p, target string) (string, bool) {
	abs := target
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(filepath.Dir(p), target)
	}
	abs = filepath.Clean(abs)
	within := func(root, q string) bool {
		rel, err := filepath.Rel(root, q)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	if !within(dir, abs) {
		// An absolute target may name the tree by its resolved path.
		rel, err := filepath.Rel(realDir, abs)
		if err != nil || !within(realDir, abs) {
			return "", false
		}
		abs = filepath.Join(dir, rel)
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil && !within(realDir, resolved) {
		return "", false
	}
	link, err := filepath.Rel(filepath.Dir(p), abs)
	if err != nil {
		return "", false
	}
	return filepath.ToSlash(link), true
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
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
