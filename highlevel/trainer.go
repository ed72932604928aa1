package highlevel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/smcore-go/smcore/logtail"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/smconfig"
)

// userAgentKey marks the trainers' calls in the User-Agent header.
const userAgentKey = "smcore-trainer"

// STSAPI is the part of the STS client a trainer calls (the account ID
// for default bucket and role ARNs).
type STSAPI interface {
	GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, optFns ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// ModelTrainer runs training jobs from a TrainerConfig: it fills the
// defaults, uploads local inputs and source code, creates the job, and
// waits for it with its logs. It is safe for concurrent use; each Train
// makes its own job.
type ModelTrainer struct {
	*session
	cfg TrainerConfig
}

// session is what every trainer shares: the clients, the config file,
// the caller's account, staging, waiting and artifacts.
type session struct {
	o      options
	aws    aws.Config
	sm     *resources.Client
	s3     S3API
	sts    STSAPI
	logs   logtail.API
	conf   *smconfig.Config
	logger *slog.Logger

	mu        sync.Mutex
	account   string // from STS, once
	partition string
}

// NewModelTrainer checks cfg (every rule at once, as *ConfigError values
// joined) and builds a trainer. Without WithAWSConfig it loads the
// standard AWS configuration; without WithConfigFile or
// WithoutConfigFile it reads the user's SageMaker config file. Nothing is
// sent to AWS.
func NewModelTrainer(ctx context.Context, cfg TrainerConfig, opts ...Option) (*ModelTrainer, error) {
	s, err := newSession(ctx, opts)
	if err != nil {
		return nil, err
	}
	t := &ModelTrainer{session: s, cfg: cfg}
	t.applyTrainerDefaults()
	if err := t.cfg.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

// newSession applies the options: the config file, the AWS
// configuration and the clients.
func newSession(ctx context.Context, opts []Option) (*session, error) {
	t := &session{}
	for _, opt := range opts {
		opt(&t.o)
	}
	t.logger = t.o.logger
	if t.logger == nil {
		t.logger = slog.New(slog.DiscardHandler)
	}
	if t.o.cfg != nil {
		t.aws = *t.o.cfg
	} else if t.o.sm == nil || t.o.s3 == nil || t.o.sts == nil {
		c, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("highlevel: loading the AWS configuration: %w", err)
		}
		t.aws = c
	}
	ua := awsmiddleware.AddUserAgentKeyValue(userAgentKey, resources.Version)
	t.s3 = t.o.s3
	if t.s3 == nil {
		t.s3 = s3.NewFromConfig(t.aws, func(o *s3.Options) {
			o.APIOptions = append(o.APIOptions, ua)
			if t.o.endpointURL != "" {
				o.BaseEndpoint = aws.String(t.o.endpointURL)
			}
			// A custom endpoint (the local endpoint, a proxy) serves
			// buckets by path, not by host name.
			o.UsePathStyle = o.UsePathStyle || o.BaseEndpoint != nil
		})
	}
	t.sts = t.o.sts
	if t.sts == nil {
		t.sts = sts.NewFromConfig(t.aws, func(o *sts.Options) {
			o.APIOptions = append(o.APIOptions, ua)
			if t.o.endpointURL != "" {
				o.BaseEndpoint = aws.String(t.o.endpointURL)
			}
		})
	}
	t.logs = t.o.logs
	if t.logs == nil {
		t.logs = cloudwatchlogs.NewFromConfig(t.aws, func(o *cloudwatchlogs.Options) {
			o.APIOptions = append(o.APIOptions, ua)
			if t.o.endpointURL != "" {
				o.BaseEndpoint = aws.String(t.o.endpointURL)
			}
		})
	}
	if !t.o.noConf {
		if t.o.confLoaded {
			t.conf = t.o.conf
		} else {
			// A config file at an s3:// URI is read with the trainer's S3
			// client.
			lopts := []smconfig.Option{smconfig.WithS3Client(t.s3)}
			if t.o.logger != nil {
				lopts = append(lopts, smconfig.WithLogger(t.o.logger))
			}
			c, err := smconfig.Load(ctx, lopts...)
			if err != nil {
				return nil, err
			}
			t.conf = c
		}
	}
	t.sm = t.o.sm
	if t.sm == nil {
		api := sagemaker.NewFromConfig(t.aws, func(o *sagemaker.Options) {
			o.APIOptions = append(o.APIOptions, ua)
			if t.o.endpointURL != "" {
				o.BaseEndpoint = aws.String(t.o.endpointURL)
			}
		})
		ropts := []resources.Option{resources.WithLogger(t.o.logger)}
		if t.conf != nil {
			ropts = append(ropts, resources.WithCreateDefaults(t.conf.CreateDefaults()))
		}
		ropts = append(ropts, resources.WithCreateDefaults(t.o.defaults...))
		t.sm = resources.New(api, ropts...)
	}
	return t, nil
}

// Config is the trainer's configuration with the config file's
// ModelTrainer defaults applied.
func (t *ModelTrainer) Config() TrainerConfig { return t.cfg }

// NewJobName generates a job name the way Train does, so that it is
// known before the job starts: pass it to Train with WithJobName.
func (t *ModelTrainer) NewJobName() (string, error) {
	return jobName(t.baseJobName(), t.now(), t.o.rand)
}

func (t *session) now() time.Time {
	if t.o.now != nil {
		return t.o.now()
	}
	return time.Now()
}

func (t *ModelTrainer) baseJobName() string {
	if t.cfg.BaseJobName != "" {
		return cleanName(t.cfg.BaseJobName)
	}
	spec := t.cfg.AlgorithmSpecification
	if spec == nil {
		return "training-job"
	}
	return baseJobName(spec.TrainingImage, spec.AlgorithmName)
}

// DryRunResult is what Train would send: the request as the SDK
// serializes it (after the config file's and other create defaults), and
// the uploads it would make.
type DryRunResult struct {
	JobName string
	// Request is Body decoded into the generated type.
	Request *shapes.CreateTrainingJobInput
	// Body is the CreateTrainingJob request body exactly as the SDK's
	// serializer produced it, with the API's member names.
	Body    json.RawMessage
	Uploads []Upload
}

// Upload is one local path a run stages to S3.
type Upload struct {
	Channel string
	Source  string // a local path ("" for the generated driver files)
	URI     string // where it goes
	// Files are the generated files (the driver and its env.sh), by name.
	Files map[string][]byte
}

// DryRun builds the request Train would send and stops before sending
// it. It may call STS (for the account) and HeadBucket; it writes
// nothing.
func (t *ModelTrainer) DryRun(ctx context.Context, opts ...TrainOption) (*DryRunResult, error) {
	p, body, err := t.prepare(ctx, opts, false)
	if err != nil {
		return nil, err
	}
	return p.result(body)
}

// prepare plans a run and checks its request as the service would get it,
// returning the serialized body.
func (t *ModelTrainer) prepare(ctx context.Context, opts []TrainOption, checkName bool) (*plan, []byte, error) {
	p, err := t.plan(ctx, opts, checkName)
	if err != nil {
		return nil, nil, err
	}
	body, err := t.finish(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	return p, body, nil
}

func (p *plan) result(body []byte) (*DryRunResult, error) {
	var req shapes.CreateTrainingJobInput
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, fmt.Errorf("highlevel: decoding the serialized request: %w", err)
	}
	r := &DryRunResult{JobName: p.jobName, Request: &req, Body: body}
	for _, u := range p.uploads {
		r.Uploads = append(r.Uploads, Upload{Channel: u.channel, Source: u.source, URI: u.uri(), Files: u.files})
	}
	return r, nil
}

// Train runs one training job: the request is built and checked (the
// same as DryRun: nothing is uploaded for a request the service would
// refuse), the default bucket is created if missing, local inputs are
// uploaded, the job is created, and Train waits for it to end, delivering
// its logs (WithLogs) and progress (WithProgress).
//
// It returns the job, also when it failed (then with a
// *waiters.FailedError carrying the FailureReason). Cancelling ctx ends
// the wait, never the job: Attach resumes waiting.
func (t *ModelTrainer) Train(ctx context.Context, opts ...TrainOption) (*resources.TrainingJob, error) {
	var to trainOptions
	for _, o := range opts {
		o(&to)
	}
	p, body, err := t.prepare(ctx, opts, true)
	if err != nil {
		return nil, err
	}
	return t.run(ctx, p, body, to)
}

// Attach gets a job by name and waits for it to end as Train does,
// delivering its logs and progress: to resume after a cancelled wait, or
// to follow a job started elsewhere.
func (t *session) Attach(ctx context.Context, jobName string) (*resources.TrainingJob, error) {
	job, err := t.sm.GetTrainingJob(ctx, jobName)
	if err != nil {
		return nil, err
	}
	return job, t.wait(ctx, job)
}

// capture runs CreateTrainingJob through the resources client (create
// defaults, validation) and the SDK's serializer, and returns the body
// instead of sending it.
func (t *session) capture(ctx context.Context, req *shapes.CreateTrainingJobInput) ([]byte, error) {
	var body []byte
	_, err := t.sm.CreateTrainingJob(ctx, req, captureBody(&body))
	if !errors.Is(err, errDryRun) {
		if err == nil {
			return nil, errors.New("highlevel: dry run: the request was sent")
		}
		return nil, err
	}
	return body, nil
}

// resolvedAccount is the caller's account and partition, from STS once.
func (t *session) resolvedAccount(ctx context.Context) (account, partition string, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.account != "" {
		return t.account, t.partition, nil
	}
	out, err := t.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", "", fmt.Errorf("highlevel: finding the account (sts:GetCallerIdentity): %w", err)
	}
	t.account = aws.ToString(out.Account)
	t.partition = "aws"
	if parts := strings.SplitN(aws.ToString(out.Arn), ":", 3); len(parts) == 3 && parts[1] != "" {
		t.partition = parts[1]
	}
	return t.account, t.partition, nil
}

func (t *session) report(p Progress) {
	if t.o.progress != nil {
		t.o.progress(p)
	}
}

// run stages a prepared plan, creates its job and waits for it.
func (t *session) run(ctx context.Context, p *plan, body []byte, to trainOptions) (*resources.TrainingJob, error) {
	t.logger.DebugContext(ctx, "smcore: training job request", "job", p.jobName, "request", string(body))
	if err := t.stage(ctx, p); err != nil {
		return nil, err
	}
	t.report(Progress{Stage: StageCreate, JobName: p.jobName})
	job, err := t.sm.CreateTrainingJob(ctx, p.req)
	if err != nil {
		return nil, &CreateError{JobName: p.jobName, Staged: p.staged(), Err: err}
	}
	if to.noWait {
		return job, nil
	}
	return job, t.wait(ctx, job)
}
