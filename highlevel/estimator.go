package highlevel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/smcore-go/smcore/internal/archive"
	"github.com/smcore-go/smcore/internal/pyjson"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
)

// HyperParameterEncoding is how an Estimator writes hyperparameter values
// on the wire (they are strings there).
type HyperParameterEncoding string

const (
	// EncodingJSON writes every value as JSON, strings quoted ("adam" →
	// "\"adam\""): the classic SDK's framework estimators and script mode.
	// The SageMaker training toolkit in the framework images decodes
	// them; a custom image sees the quotes.
	EncodingJSON HyperParameterEncoding = "json"
	// EncodingPlain writes strings as they are and other values as JSON
	// (as ModelTrainer does). The toolkit falls back to the raw text of a
	// value that is not JSON, so script mode works with it too.
	EncodingPlain HyperParameterEncoding = "plain"
)

// Inputs are a Fit's channels: channel name → an s3:// URI or a local
// file or folder (uploaded).
type Inputs map[string]string

// TrainingChannel is the classic SDK's channel for a single input.
const TrainingChannel = "training"

// Single is one input as the channel "training", as the classic SDK's
// fit("s3://…") does.
func Single(uri string) Inputs { return Inputs{TrainingChannel: uri} }

// EstimatorConfig describes a classic Estimator (the SageMaker Python SDK
// v2's): an image (AlgorithmSpecification.TrainingImage) and, for script
// mode, an entry point with its source folder. ResourceConfig's instance
// type and count are required, as the classic SDK requires them.
type EstimatorConfig struct {
	shapes.CreateTrainingJobInput

	// BaseJobName prefixes job names; default: the image's repository.
	BaseJobName string `json:"BaseJobName,omitzero"`
	// EntryPoint is the script the framework image runs (script mode),
	// relative to SourceDir when there is one.
	EntryPoint string `json:"EntryPoint,omitzero"`
	// SourceDir is a local folder whose top-level contents are packed
	// with Dependencies into sourcedir.tar.gz, or an s3:// .tar.gz used as
	// it is.
	SourceDir    string   `json:"SourceDir,omitzero"`
	Dependencies []string `json:"Dependencies,omitzero"`
	// CodeLocation is where sourcedir.tar.gz goes (s3://bucket[/prefix]);
	// default: the output path's bucket, else the default bucket.
	CodeLocation string `json:"CodeLocation,omitzero"`
	// ContainerLogLevel is sagemaker_container_log_level (default 20).
	ContainerLogLevel int `json:"ContainerLogLevel,omitzero"`
	// HyperParameters are written as Encoding says; the default is
	// EncodingJSON in script mode (as the classic SDK) and EncodingPlain
	// otherwise.
	HyperParameters map[string]any         `json:"HyperParameters,omitzero"`
	Encoding        HyperParameterEncoding `json:"Encoding,omitzero"`
	// Distribution asks the framework image to launch the script on every
	// host.
	Distribution *EstimatorDistribution `json:"Distribution,omitzero"`
}

// EstimatorDistribution is the classic SDK's distribution argument, sent
// as the toolkit's sagemaker_* hyperparameters.
type EstimatorDistribution struct {
	TorchDistributed bool `json:"TorchDistributed,omitzero"` // torchrun (PyTorch ≥ 1.13 images)
	DataParallel     bool `json:"DataParallel,omitzero"`     // SageMaker distributed data parallel
	ParameterServer  bool `json:"ParameterServer,omitzero"`  // TensorFlow parameter servers
	// MPI runs the script under mpirun with ProcessesPerHost processes
	// on every host.
	MPI *EstimatorMPI `json:"MPI,omitzero"`
}

// EstimatorMPI is MPI distribution.
type EstimatorMPI struct {
	ProcessesPerHost int    `json:"ProcessesPerHost,omitzero"`
	CustomMPIOptions string `json:"CustomMPIOptions,omitzero"`
}

// Estimator is the classic SDK's Estimator: Fit(inputs) runs a job from
// an image, in script mode when EntryPoint is set. Staging, waiting,
// logs, Attach and DownloadModel are the ModelTrainer's.
type Estimator struct {
	*session
	cfg EstimatorConfig
}

// NewEstimator checks cfg (every broken rule, each a *ConfigError) and
// builds the estimator.
func NewEstimator(ctx context.Context, cfg EstimatorConfig, opts ...Option) (*Estimator, error) {
	s, err := newSession(ctx, opts)
	if err != nil {
		return nil, err
	}
	e := &Estimator{session: s, cfg: cfg}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return e, nil
}

// Validate checks the configuration as NewEstimator does.
func (c *EstimatorConfig) Validate() error {
	var errs configErrors
	spec := c.AlgorithmSpecification
	switch {
	case spec == nil || spec.TrainingImage == "":
		errs.add("AlgorithmSpecification.TrainingImage", "is required: the image to train with")
	case spec.AlgorithmName != "":
		errs.add("AlgorithmSpecification.AlgorithmName", "an Estimator trains with an image: use AlgorithmEstimator for an algorithm")
	}
	rc := c.ResourceConfig
	if rc == nil || len(rc.InstanceGroups) == 0 && (rc.InstanceType == "" || rc.InstanceCount == nil) {
		errs.add("ResourceConfig", "set InstanceType and InstanceCount (or InstanceGroups)")
	}
	switch c.Encoding {
	case "", EncodingJSON, EncodingPlain:
	default:
		errs.add("Encoding", "%q: use %q or %q", c.Encoding, EncodingJSON, EncodingPlain)
	}
	if c.EntryPoint == "" && (c.SourceDir != "" || len(c.Dependencies) > 0) {
		errs.add("EntryPoint", "is required with SourceDir or Dependencies")
	}
	if c.EntryPoint != "" {
		ep := filepath.ToSlash(c.EntryPoint)
		switch dir := c.SourceDir; {
		case strings.HasPrefix(dir, "s3://"):
			if !strings.HasSuffix(dir, ".tar.gz") {
				errs.add("SourceDir", "%q: an s3:// source is a .tar.gz", dir)
			}
		case dir != "":
			if path.IsAbs(ep) || strings.HasPrefix(path.Clean(ep), "../") {
				errs.add("EntryPoint", "%q: must be a path inside SourceDir", c.EntryPoint)
			} else if st, err := os.Stat(filepath.Join(dir, c.EntryPoint)); err != nil || st.IsDir() {
				errs.add("EntryPoint", "%q is not a file in SourceDir %s", c.EntryPoint, dir)
			}
		default:
			if st, err := os.Stat(c.EntryPoint); err != nil || st.IsDir() {
				errs.add("EntryPoint", "%q is not a file", c.EntryPoint)
			}
		}
		for i, d := range c.Dependencies {
			if _, err := os.Stat(d); err != nil {
				errs.add(fmt.Sprintf("Dependencies[%d]", i), "%v", err)
			}
		}
	}
	if c.CodeLocation != "" && !strings.HasPrefix(c.CodeLocation, "s3://") {
		errs.add("CodeLocation", "%q: must be an s3:// URI", c.CodeLocation)
	}
	if d := c.Distribution; d != nil {
		if c.EntryPoint == "" {
			errs.add("Distribution", "needs EntryPoint: the framework image launches the script")
		}
		if d.MPI != nil && d.MPI.ProcessesPerHost < 0 {
			errs.add("Distribution.MPI.ProcessesPerHost", "must not be negative")
		}
	}
	for k := range c.HyperParameters {
		if _, ok := c.CreateTrainingJobInput.HyperParameters[k]; ok {
			errs.add("HyperParameters."+k, "is also set in the request's HyperParameters: set it once")
		}
		if strings.HasPrefix(k, "sagemaker_") && c.EntryPoint != "" {
			errs.add("HyperParameters."+k, "sagemaker_* hyperparameters are the estimator's in script mode")
		}
	}
	return errs.err()
}

func (e *Estimator) encoding() HyperParameterEncoding {
	switch {
	case e.cfg.Encoding != "":
		return e.cfg.Encoding
	case e.cfg.EntryPoint != "":
		return EncodingJSON
	}
	return EncodingPlain
}

// imageRepository is the classic SDK's base name from an image: the
// repository's last part, without registry or tag.
var imageRepository = regexp.MustCompile(`^(?:.+/)?([^:/@]+)(?::[^:/]+)?(?:@.+)?$`)

func (e *Estimator) baseJobName() string {
	base := e.cfg.BaseJobName
	if base == "" {
		if m := imageRepository.FindStringSubmatch(e.cfg.AlgorithmSpecification.TrainingImage); m != nil {
			base = m[1]
		}
	}
	if base = cleanName(base); base == "" {
		base = "training-job"
	}
	return base
}

// DryRun builds the request Fit would send and stops before sending it
// (see ModelTrainer.DryRun). The source archive is built in memory.
func (e *Estimator) DryRun(ctx context.Context, inputs Inputs, opts ...TrainOption) (*DryRunResult, error) {
	p, body, err := e.prepare(ctx, inputs, opts, false)
	if err != nil {
		return nil, err
	}
	return p.result(body)
}

// Fit trains: the request is checked, sourcedir.tar.gz and local inputs
// are uploaded, the job is created and (unless WithoutWait) waited for
// with its logs.
func (e *Estimator) Fit(ctx context.Context, inputs Inputs, opts ...TrainOption) (*resources.TrainingJob, error) {
	var to trainOptions
	for _, o := range opts {
		o(&to)
	}
	p, body, err := e.prepare(ctx, inputs, opts, true)
	if err != nil {
		return nil, err
	}
	return e.run(ctx, p, body, to)
}

// classicName is the first free classic job name at the session's clock.
func (t *session) classicName(ctx context.Context, base string, checkName bool) (string, error) {
	now := t.now()
	for attempt := 0; ; attempt++ {
		name := classicJobName(base, now)
		if !checkName || attempt == 3 {
			return name, nil
		}
		if _, err := t.sm.GetTrainingJob(ctx, name); errors.Is(err, resources.ErrNotFound) {
			return name, nil
		} else if err != nil {
			return "", fmt.Errorf("highlevel: checking that job name %s is free: %w", name, err)
		}
		now = now.Add(time.Millisecond)
	}
}

func (e *Estimator) prepare(ctx context.Context, inputs Inputs, opts []TrainOption, checkName bool) (*plan, []byte, error) {
	var to trainOptions
	for _, o := range opts {
		o(&to)
	}
	c := e.cfg
	p, err := e.begin(ctx, c.CreateTrainingJobInput, e.baseJobName(), to, func() (string, error) { return e.classicName(ctx, e.baseJobName(), checkName) })
	if err != nil {
		return nil, nil, err
	}
	req := p.req
	if err := e.requestDefaults(ctx, p, true); err != nil {
		return nil, nil, err
	}
	hps, err := e.hyperParameters()
	if err != nil {
		return nil, nil, err
	}
	if c.EntryPoint != "" {
		if err := e.scriptMode(ctx, p, hps); err != nil {
			return nil, nil, err
		}
	}
	req.HyperParameters = hps
	if len(hps) == 0 {
		req.HyperParameters = nil
	}
	var in []InputData
	for _, name := range slices.Sorted(maps.Keys(inputs)) {
		in = append(in, InputData{ChannelName: name, DataSource: inputs[name]})
	}
	var errs configErrors
	seen := map[string]string{}
	for i, ch := range req.InputDataConfig {
		(&TrainerConfig{}).checkChannelName(&errs, fmt.Sprintf("InputDataConfig[%d].ChannelName", i), ch.ChannelName, seen)
	}
	for _, x := range in {
		(&TrainerConfig{}).validateInput(&errs, "Inputs."+x.ChannelName, x, seen)
	}
	if err := errs.err(); err != nil {
		return nil, nil, err
	}
	if err := e.channels(ctx, p, in, to.inputs); err != nil {
		return nil, nil, err
	}
	body, err := e.finish(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	return p, body, nil
}

// hyperParameters are the request's and the configured ones, encoded.
func (e *Estimator) hyperParameters() (map[string]string, error) {
	out := maps.Clone(e.cfg.CreateTrainingJobInput.HyperParameters)
	if out == nil {
		out = map[string]string{}
	}
	enc := e.encoding()
	for k, v := range e.cfg.HyperParameters {
		var s string
		var err error
		if enc == EncodingJSON {
			s, err = pyjson.Marshal(v)
		} else {
			s, err = EncodeHyperParameter(v)
		}
		if err != nil {
			return nil, &ConfigError{Field: "HyperParameters." + k, Rule: err.Error()}
		}
		out[k] = s
	}
	return out, nil
}

// scriptMode plans sourcedir.tar.gz and adds the toolkit's reserved
// hyperparameters and the distribution's.
func (e *Estimator) scriptMode(ctx context.Context, p *plan, hps map[string]string) error {
	c := e.cfg
	program := filepath.ToSlash(c.EntryPoint)
	var submit string
	if strings.HasPrefix(c.SourceDir, "s3://") {
		submit = c.SourceDir
	} else {
		var buf bytes.Buffer
		var sources []archive.Source
		if c.SourceDir != "" {
			sources = append(sources, archive.Source{Path: c.SourceDir})
		} else {
			sources = append(sources, archive.Source{Path: c.EntryPoint})
			program = filepath.Base(c.EntryPoint)
		}
		for _, d := range c.Dependencies {
			sources = append(sources, archive.Source{Path: d, Name: filepath.Base(filepath.Clean(d))})
		}
		if err := archive.Pack(&buf, sources, archive.WithIgnore(DefaultIgnorePatterns())); err != nil {
			return &ConfigError{Field: "SourceDir", Rule: err.Error()}
		}
		bucket, prefix, err := e.codeLocation(ctx, p)
		if err != nil {
			return err
		}
		key := path.Join(prefix, p.jobName, "source") + "/"
		u := upload{channel: "source", files: map[string][]byte{"sourcedir.tar.gz": buf.Bytes()}, bucket: bucket, key: key}
		p.uploads = append(p.uploads, u)
		submit = u.uri() + "sourcedir.tar.gz"
	}
	level := c.ContainerLogLevel
	if level == 0 {
		level = 20
	}
	region := e.aws.Region
	reserved := map[string]any{
		"sagemaker_program":             program,
		"sagemaker_submit_directory":    submit,
		"sagemaker_container_log_level": level,
		"sagemaker_job_name":            p.jobName,
		"sagemaker_region":              region,
	}
	rc := p.req.ResourceConfig
	if d := c.Distribution; d != nil {
		switch {
		case d.TorchDistributed:
			reserved["sagemaker_torch_distributed_enabled"] = true
			reserved["sagemaker_instance_type"] = string(rc.InstanceType)
		case d.DataParallel:
			reserved["sagemaker_distributed_dataparallel_enabled"] = true
			reserved["sagemaker_instance_type"] = string(rc.InstanceType)
		}
		if d.ParameterServer {
			reserved["sagemaker_parameter_server_enabled"] = true
		}
		if m := d.MPI; m != nil {
			reserved["sagemaker_mpi_enabled"] = true
			if m.ProcessesPerHost > 0 {
				reserved["sagemaker_mpi_num_of_processes_per_host"] = m.ProcessesPerHost
			}
			if m.CustomMPIOptions != "" {
				reserved["sagemaker_mpi_custom_mpi_options"] = m.CustomMPIOptions
			}
		}
	}
	for k, v := range reserved {
		s, err := pyjson.Marshal(v) // the toolkit decodes these
		if err != nil {
			return err
		}
		hps[k] = s
	}
	return nil
}

// codeLocation is the bucket and key prefix of sourcedir.tar.gz, as the
// classic SDK chooses them: CodeLocation, else the bucket of an output
// path the caller set (without its prefix), else the default bucket and
// its prefix.
func (e *Estimator) codeLocation(ctx context.Context, p *plan) (bucket, prefix string, err error) {
	split := func(uri string) (string, string) {
		b, k, _ := strings.Cut(strings.TrimPrefix(uri, "s3://"), "/")
		return b, strings.Trim(k, "/")
	}
	switch {
	case e.cfg.CodeLocation != "":
		b, k := split(e.cfg.CodeLocation)
		return b, k, nil
	case e.cfg.OutputDataConfig != nil && e.cfg.OutputDataConfig.S3OutputPath != "":
		b, _ := split(e.cfg.OutputDataConfig.S3OutputPath)
		return b, "", nil
	}
	if _, err := e.bucketRoot(ctx, p); err != nil {
		return "", "", err
	}
	return p.bucket, p.prefix, nil
}
