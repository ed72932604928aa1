package highlevel

import (
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/logtail"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/smconfig"
	"github.com/smcore-go/smcore/waiters"
)

// Option configures a ModelTrainer.
type Option func(*options)

type options struct {
	cfg         *aws.Config
	endpointURL string
	sm          *resources.Client
	s3          S3API
	sts         STSAPI
	logs        logtail.API
	logger      *slog.Logger
	now         func() time.Time
	rand        io.Reader
	progress    func(Progress)
	logLine     func(logtail.Line)
	logOpts     []logtail.Option
	waitOpts    []waiters.Option
	defaults    []resources.CreateDefaults
	bucket      string
	prefix      string
	bucketSet   bool
	conf        *smconfig.Config
	confLoaded  bool
	noConf      bool
	concurrency int
}

// WithAWSConfig sets the AWS configuration (default:
// config.LoadDefaultConfig: profiles, region, AWS_ENDPOINT_URL, …).
func WithAWSConfig(cfg aws.Config) Option { return func(o *options) { o.cfg = &cfg } }

// WithEndpointURL sends every call (SageMaker, S3 in path style, STS,
// CloudWatch Logs) to one endpoint, such as the local endpoint
// (`go run ./tools/smlocal`). The local endpoint is only ever used when
// chosen this way or through the AWS configuration.
func WithEndpointURL(url string) Option { return func(o *options) { o.endpointURL = url } }

// WithClient sets the resources client for SageMaker calls; its own
// options (create defaults, logger, validation) apply.
func WithClient(c *resources.Client) Option { return func(o *options) { o.sm = c } }

// WithS3Client, WithSTSClient and WithLogsClient set the clients for
// staging and artifacts, for the account ID, and for job logs.
func WithS3Client(c S3API) Option         { return func(o *options) { o.s3 = c } }
func WithSTSClient(c STSAPI) Option       { return func(o *options) { o.sts = c } }
func WithLogsClient(c logtail.API) Option { return func(o *options) { o.logs = c } }

// WithLogger logs what the trainer decides (defaults applied, uploads,
// the request) at debug level, and the wait's progress.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithClock and WithRandom replace the sources of job names' timestamps
// and suffixes.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }
func WithRandom(r io.Reader) Option         { return func(o *options) { o.rand = r } }

// WithProgress reports uploads and the job's status changes.
func WithProgress(f func(Progress)) Option { return func(o *options) { o.progress = f } }

// WithLogs delivers the job's log lines while Train or Attach waits.
// Without it no logs are read.
func WithLogs(f func(logtail.Line)) Option { return func(o *options) { o.logLine = f } }

// WithLogOptions tunes the log tailer (how long it drains the last
// lines, its clock).
func WithLogOptions(opts ...logtail.Option) Option {
	return func(o *options) { o.logOpts = append(o.logOpts, opts...) }
}

// WithWaitOptions tunes the wait for the job (poll delays, clock).
func WithWaitOptions(opts ...waiters.Option) Option {
	return func(o *options) { o.waitOpts = append(o.waitOpts, opts...) }
}

// WithCreateDefaults adds defaults for the request, applied as
// resources.WithCreateDefaults does (only to unset members), after the
// config file's.
func WithCreateDefaults(d ...resources.CreateDefaults) Option {
	return func(o *options) { o.defaults = append(o.defaults, d...) }
}

// WithDefaultBucket sets the bucket (and key prefix) for staged inputs and
// default output paths, instead of sagemaker-{region}-{account} or the
// config file's SageMaker.PythonSDK.Modules.Session.DefaultS3Bucket.
func WithDefaultBucket(bucket, prefix string) Option {
	return func(o *options) { o.bucket, o.prefix, o.bucketSet = bucket, prefix, true }
}

// WithConfigFile uses an already loaded SageMaker config file instead of
// loading the user's (smconfig.Load).
func WithConfigFile(c *smconfig.Config) Option {
	return func(o *options) { o.conf, o.confLoaded = c, true }
}

// WithoutConfigFile reads no SageMaker config file.
func WithoutConfigFile() Option { return func(o *options) { o.noConf = true } }

// WithUploadConcurrency sets how many files upload at once (default 8).
func WithUploadConcurrency(n int) Option { return func(o *options) { o.concurrency = n } }

// TrainOption changes one Train call.
type TrainOption func(*trainOptions)

type trainOptions struct {
	jobName string
	inputs  []InputData
	noWait  bool
}

// WithJobName names the job instead of generating a name (NewJobName
// generates one ahead of time).
func WithJobName(name string) TrainOption { return func(t *trainOptions) { t.jobName = name } }

// WithInputData adds channels for this run; a channel named like one of
// the configuration's replaces it in place.
func WithInputData(in ...InputData) TrainOption {
	return func(t *trainOptions) { t.inputs = append(t.inputs, in...) }
}

// WithoutWait returns as soon as the job is created.
func WithoutWait() TrainOption { return func(t *trainOptions) { t.noWait = true } }
