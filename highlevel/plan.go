package highlevel

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/internal/pyjson"
	"github.com/smcore-go/smcore/internal/trainingcontract"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
)

// The Python SDK's ModelTrainer defaults.
const (
	defaultInstanceType = shapes.TrainingInstanceTypeMlM5Xlarge
	defaultVolumeSize   = 30
	defaultMaxRuntime   = 3600
)

// plan is one run worked out: the request and what to upload for it.
type plan struct {
	jobName, base string
	bucket        string // the default bucket, "" when nothing needed it
	prefix        string // its key prefix
	req           *shapes.CreateTrainingJobInput
	uploads       []upload
}

// upload is one thing to stage: a local file or folder, or generated
// files.
type upload struct {
	channel string
	source  string // local path; "" for files
	files   map[string][]byte
	ignore  []string
	bucket  string
	key     string // a folder's prefix (ending in '/') or a file's key
}

func (u upload) uri() string { return "s3://" + u.bucket + "/" + u.key }

// staged lists where a plan's uploads went.
func (p *plan) staged() []string {
	var out []string
	for _, u := range p.uploads {
		out = append(out, u.uri())
	}
	return out
}

// plan builds a run's request. With checkName, a generated name already
// taken by a job is replaced.
func (t *ModelTrainer) plan(ctx context.Context, opts []TrainOption, checkName bool) (*plan, error) {
	var to trainOptions
	for _, o := range opts {
		o(&to)
	}
	c := t.cfg
	var errs configErrors
	if len(to.inputs) > 0 {
		seen := map[string]string{}
		for i, in := range to.inputs {
			c.validateInput(&errs, fmt.Sprintf("WithInputData[%d]", i), in, seen)
		}
		if err := errs.err(); err != nil {
			return nil, err
		}
	}
	p, err := t.begin(ctx, c.CreateTrainingJobInput, t.baseJobName(), to, func() (string, error) { return t.freeName(ctx, checkName) })
	if err != nil {
		return nil, err
	}
	req := p.req
	if err := t.requestDefaults(ctx, p, false); err != nil {
		return nil, err
	}
	spec := req.AlgorithmSpecification

	if req.CheckpointConfig != nil && req.CheckpointConfig.S3Uri == "" {
		root, err := t.bucketRoot(ctx, p)
		if err != nil {
			return nil, err
		}
		cp := *req.CheckpointConfig
		cp.S3Uri = root + "/" + p.base + "/" + p.jobName + "/checkpoints"
		req.CheckpointConfig = &cp
	}
	if req.TensorBoardOutputConfig != nil && req.TensorBoardOutputConfig.S3OutputPath == "" {
		root, err := t.bucketRoot(ctx, p)
		if err != nil {
			return nil, err
		}
		tb := *req.TensorBoardOutputConfig
		tb.S3OutputPath = root + "/" + p.base
		req.TensorBoardOutputConfig = &tb
	}

	hps, err := t.hyperParameters()
	if err != nil {
		return nil, err
	}
	req.HyperParameters = hps

	if err := t.channels(ctx, p, t.cfg.InputData, to.inputs); err != nil {
		return nil, err
	}
	if c.SourceCode != nil {
		if err := t.sourceChannels(ctx, p, spec); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// begin starts a plan: a copy of the request (its slices and maps are
// replaced, never appended to in place), the job's name (the run's, the
// request's, or a new one), the role's ARN.
func (t *session) begin(ctx context.Context, req shapes.CreateTrainingJobInput, base string, to trainOptions, newName func() (string, error)) (*plan, error) {
	p := &plan{base: base, jobName: to.jobName, req: &req}
	if p.jobName == "" {
		p.jobName = req.TrainingJobName
	}
	if p.jobName == "" {
		var err error
		if p.jobName, err = newName(); err != nil {
			return nil, err
		}
	}
	req.TrainingJobName = p.jobName
	if err := t.fillRole(ctx, &req); err != nil {
		return nil, err
	}
	return p, nil
}

// freeName is a new ModelTrainer job name; with check, one no job has.
func (t *ModelTrainer) freeName(ctx context.Context, check bool) (string, error) {
	for attempt := 0; ; attempt++ {
		name, err := t.NewJobName()
		if err != nil || !check || attempt == 3 {
			return name, err
		}
		if _, err := t.sm.GetTrainingJob(ctx, name); errors.Is(err, resources.ErrNotFound) {
			return name, nil
		} else if err != nil {
			return "", fmt.Errorf("highlevel: checking that job name %s is free: %w", name, err)
		}
	}
}

// requestDefaults fills the members every trainer defaults: input mode
// File, a 30 GB volume, the maximum runtime and the output path — the
// Python SDK's ModelTrainer values, or with classic its v2 estimators'
// (86400 s, output at the bucket's root, no instance chosen, no
// compression set).
func (t *session) requestDefaults(ctx context.Context, p *plan, classic bool) error {
	req := p.req
	spec := shapes.AlgorithmSpecification{}
	if req.AlgorithmSpecification != nil {
		spec = *req.AlgorithmSpecification
	}
	if spec.TrainingInputMode == "" {
		spec.TrainingInputMode = shapes.TrainingInputModeFile
	}
	req.AlgorithmSpecification = &spec

	rc := shapes.ResourceConfig{}
	if req.ResourceConfig != nil {
		rc = *req.ResourceConfig
	}
	if len(rc.InstanceGroups) == 0 && !classic {
		if rc.InstanceType == "" {
			rc.InstanceType = defaultInstanceType
		}
		if rc.InstanceCount == nil {
			rc.InstanceCount = aws.Int32(1)
		}
	}
	if rc.VolumeSizeInGB == nil {
		rc.VolumeSizeInGB = aws.Int32(defaultVolumeSize)
	}
	req.ResourceConfig = &rc

	runtime, path := int32(defaultMaxRuntime), "/"+p.base
	if classic {
		runtime, path = classicMaxRuntime, "/"
	}
	sc := shapes.StoppingCondition{}
	if req.StoppingCondition != nil {
		sc = *req.StoppingCondition
	}
	if sc.MaxRuntimeInSeconds == nil {
		sc.MaxRuntimeInSeconds = aws.Int32(runtime)
	}
	req.StoppingCondition = &sc

	out := shapes.OutputDataConfig{}
	if req.OutputDataConfig != nil {
		out = *req.OutputDataConfig
	}
	if out.S3OutputPath == "" {
		root, err := t.bucketRoot(ctx, p)
		if err != nil {
			return err
		}
		out.S3OutputPath = root + path
	}
	if out.CompressionType == "" && !classic {
		out.CompressionType = shapes.OutputCompressionTypeGzip
	}
	req.OutputDataConfig = &out
	return nil
}

// finish serializes a planned request through the resources client (see
// capture); an empty channel list is left out, as the service refuses it.
func (t *session) finish(ctx context.Context, p *plan) ([]byte, error) {
	if len(p.req.InputDataConfig) == 0 {
		p.req.InputDataConfig = nil
	}
	return t.capture(ctx, p.req)
}

// fillRole turns a bare role name into the role's ARN in the caller's
// account.
func (t *session) fillRole(ctx context.Context, req *shapes.CreateTrainingJobInput) error {
	if req.RoleArn == "" || strings.HasPrefix(req.RoleArn, "arn:") {
		return nil
	}
	account, partition, err := t.resolvedAccount(ctx)
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(req.RoleArn, "role/")
	req.RoleArn = fmt.Sprintf("arn:%s:iam::%s:role/%s", partition, account, name)
	return nil
}

// bucketRoot is s3://{bucket}[/{prefix}] of the default bucket.
func (t *session) bucketRoot(ctx context.Context, p *plan) (string, error) {
	if p.bucket == "" {
		b, prefix, err := t.defaultBucket(ctx)
		if err != nil {
			return "", err
		}
		p.bucket, p.prefix = b, prefix
	}
	root := "s3://" + p.bucket
	if p.prefix != "" {
		root += "/" + p.prefix
	}
	return root, nil
}

// stagingKey is the key prefix of a channel's staged data:
// [{prefix}/]{base}/{job}/input/{channel}/.
func (p *plan) stagingKey(channel string) string {
	k := path.Join(p.base, p.jobName, "input", channel) + "/"
	if p.prefix != "" {
		k = p.prefix + "/" + k
	}
	return k
}

// channels merges the user's channels: the request's InputDataConfig,
// then the configured inputs, then the run's, a later channel replacing a
// same-named one in place.
func (t *session) channels(ctx context.Context, p *plan, configured, extra []InputData) error {
	var list []shapes.Channel
	list = append(list, p.req.InputDataConfig...)
	add := func(in InputData) error {
		i := slices.IndexFunc(list, func(c shapes.Channel) bool { return c.ChannelName == in.ChannelName })
		if i >= 0 {
			p.uploads = slices.DeleteFunc(p.uploads, func(u upload) bool { return u.channel == in.ChannelName })
		}
		ch, err := t.inputChannel(ctx, p, in)
		if err != nil {
			return err
		}
		if i >= 0 {
			list[i] = ch
		} else {
			list = append(list, ch)
		}
		return nil
	}
	for _, in := range configured {
		if err := add(in); err != nil {
			return err
		}
	}
	for _, in := range extra {
		if err := add(in); err != nil {
			return err
		}
	}
	p.req.InputDataConfig = list
	return nil
}

func s3Channel(name, uri, contentType string) shapes.Channel {
	return shapes.Channel{
		ChannelName: name,
		DataSource: &shapes.DataSource{S3DataSource: &shapes.S3DataSource{
			S3DataType: shapes.S3DataTypeS3Prefix, S3Uri: uri, S3DataDistributionType: shapes.S3DataDistributionFullyReplicated,
		}},
		ContentType: contentType,
		InputMode:   shapes.TrainingInputModeFile,
	}
}

// inputChannel is an InputData's channel; a local path is planned for
// upload.
func (t *session) inputChannel(ctx context.Context, p *plan, in InputData) (shapes.Channel, error) {
	if strings.HasPrefix(in.DataSource, "s3://") {
		return s3Channel(in.ChannelName, in.DataSource, in.ContentType), nil
	}
	if _, err := t.bucketRoot(ctx, p); err != nil {
		return shapes.Channel{}, err
	}
	st, err := os.Stat(in.DataSource)
	if err != nil {
		return shapes.Channel{}, &ConfigError{Field: "InputData." + in.ChannelName + ".DataSource", Rule: err.Error()}
	}
	u := upload{channel: in.ChannelName, source: in.DataSource, bucket: p.bucket, key: p.stagingKey(in.ChannelName)}
	if !st.IsDir() {
		u.key += filepath.Base(in.DataSource)
	}
	p.uploads = append(p.uploads, u)
	return s3Channel(in.ChannelName, u.uri(), in.ContentType), nil
}

// sourceChannels adds the code and sm_drivers channels and points the
// container at the driver.
func (t *ModelTrainer) sourceChannels(ctx context.Context, p *plan, spec *shapes.AlgorithmSpecification) error {
	sc := t.cfg.SourceCode
	if _, err := t.bucketRoot(ctx, p); err != nil {
		return err
	}
	d := trainingcontract.Driver{
		EntryScript:  filepath.ToSlash(sc.EntryScript),
		Command:      sc.Command,
		CommandArgs:  sc.CommandArgs,
		Hydra:        sc.HydraArgs,
		Requirements: filepath.ToSlash(sc.Requirements),
		FormatJSON:   pyjson.Marshal,
	}
	var codeURI string
	switch dir := sc.SourceDir; {
	case strings.HasPrefix(dir, "s3://"):
		codeURI = dir
		if strings.HasSuffix(dir, ".tar.gz") {
			d.SourceArchive = path.Base(dir)
		}
	default:
		ignore := sc.IgnorePatterns
		if ignore == nil {
			ignore = DefaultIgnorePatterns()
		}
		key := p.stagingKey(trainingcontract.CodeChannel)
		codeURI = "s3://" + p.bucket + "/" + key
		if st, err := os.Stat(dir); err == nil && !st.IsDir() {
			d.SourceArchive = filepath.Base(dir)
			p.uploads = append(p.uploads, upload{channel: trainingcontract.CodeChannel, source: dir, bucket: p.bucket, key: key + d.SourceArchive})
		} else {
			p.uploads = append(p.uploads, upload{channel: trainingcontract.CodeChannel, source: dir, ignore: ignore, bucket: p.bucket, key: key})
		}
		for _, dep := range sc.Dependencies {
			base := filepath.Base(filepath.Clean(dep))
			u := upload{channel: trainingcontract.CodeChannel, source: dep, ignore: ignore, bucket: p.bucket, key: key + base}
			if isLocalDir(dep) {
				u.key += "/"
			}
			p.uploads = append(p.uploads, u)
		}
	}
	if dist := t.cfg.Distributed; dist != nil {
		switch {
		case dist.Torchrun != nil:
			d.Distribution = trainingcontract.Torchrun
			d.ProcessesPerHost = dist.Torchrun.ProcessCountPerNode
			d.DistributedConfig = map[string]any{"torchrun": dist.Torchrun}
			if dist.Torchrun.SMP != nil {
				mp, err := pyjson.Marshal(dist.Torchrun.SMP)
				if err != nil {
					return &ConfigError{Field: "Distributed.Torchrun.SMP", Rule: err.Error()}
				}
				if p.req.HyperParameters == nil {
					p.req.HyperParameters = map[string]string{}
				}
				p.req.HyperParameters["mp_parameters"] = mp
			}
		case dist.MPI != nil:
			d.Distribution = trainingcontract.MPI
			d.ProcessesPerHost = dist.MPI.ProcessCountPerNode
			d.MPIOptions = dist.MPI.MPIAdditionalOptions
			d.DistributedConfig = map[string]any{"mpi": dist.MPI}
		}
	}
	d.HyperParameters = p.req.HyperParameters
	rc := p.req.ResourceConfig
	d.InstanceCount = int(aws.ToInt32(rc.InstanceCount))
	var groups []string
	for _, g := range rc.InstanceGroups {
		d.InstanceCount += int(aws.ToInt32(g.InstanceCount))
		groups = append(groups, g.InstanceGroupName)
	}
	code := s3Channel(trainingcontract.CodeChannel, codeURI, "")
	drivers := s3Channel(trainingcontract.DriversChannel, "s3://"+p.bucket+"/"+p.stagingKey(trainingcontract.DriversChannel), "")
	if len(groups) > 0 {
		// Every host runs the driver, whatever the user's channels say
		// about groups (Python SDK #6089).
		code.DataSource.S3DataSource.InstanceGroupNames = groups
		drivers.DataSource.S3DataSource.InstanceGroupNames = slices.Clone(groups)
	}
	p.req.InputDataConfig = append(slices.Clip(p.req.InputDataConfig), code, drivers)
	for _, ch := range p.req.InputDataConfig {
		d.Channels = append(d.Channels, ch.ChannelName)
	}
	files, err := d.Files()
	if err != nil {
		return &ConfigError{Field: "SourceCode", Rule: err.Error()}
	}
	p.uploads = append(p.uploads, upload{channel: trainingcontract.DriversChannel, files: files, bucket: p.bucket, key: p.stagingKey(trainingcontract.DriversChannel)})
	spec.ContainerEntrypoint, spec.ContainerArguments = trainingcontract.Entrypoint()
	return nil
}
