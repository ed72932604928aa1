package emulator

import (
	"slices"
	"time"

	"github.com/smcore-go/smcore/emulator/internal/sagemaker"
)

// The training executors are SageMaker's (internal/sagemaker); these are
// their names here. Their fields and methods are documented on the types
// they name (go doc github.com/smcore-go/smcore/emulator/internal/sagemaker.TrainingRun,
// or the links pkg.go.dev shows).
type (
	// TrainingRun is what an executor gets to run one host of a training
	// job: the job's settings (Name, Image, Entrypoint, Arguments,
	// HyperParameters, Environment), the host's place among the job's
	// hosts (Host, Hosts, HostIndex, InstanceType), its channels and its
	// prepared /opt/ml-style Root, and Env, the host process's whole
	// environment. A job of several instances is one run per host, all
	// started together.
	TrainingRun = sagemaker.TrainingRun
	// Executor runs training jobs. The first executor whose CanRun accepts
	// a job (shown its first host's run) runs it; a job no executor
	// accepts fails saying so (or completes as simulated with
	// WithSimulation).
	Executor = sagemaker.Executor
	// ProcessExecutor runs a job's ContainerEntrypoint and
	// ContainerArguments (or the command WithImageCommands gives its
	// image, or smcore's classic runner for a classic script-mode job) as
	// host processes, one per instance, with the /opt/ml paths of the host
	// given by environment variables. It runs request-supplied commands as
	// the server's user: serve it on loopback only, with credentials of
	// your own (see docs/emulator.md).
	ProcessExecutor = sagemaker.ProcessExecutor
	// DockerExecutor runs each host of a training job as a container of
	// the job's image, as SageMaker does (see docs/emulator.md). Its
	// fields: Host (the daemon, as DOCKER_HOST takes it), CLI (the docker
	// command), GPUs (docker's --gpus; "" passes all GPUs to GPU instance
	// types when nvidia-smi lists some), Labels (added to every
	// container) and CreateArgs (more options of docker create).
	DockerExecutor = sagemaker.DockerExecutor
)

// WithLogDelay makes log events readable only d after they were put (by
// PutLogEvents or AppendLog), by the server's clock: the service's
// ingestion lag, for testing readers that must not lose a job's last lines.
func WithLogDelay(d time.Duration) Option { return func(s *Server) { s.logDelay = d } }

// WithImageCommands maps training images to local commands, for jobs
// that name no ContainerEntrypoint (built-in algorithms, algorithm
// resources, images of one's own): ProcessExecutor runs the command of
// the job's image in the image's place, with the job's ContainerArguments
// or else "train", as SageMaker runs an image. A key is an image URI, or
// a prefix of one ending in '*' ("…/sagemaker-xgboost:*"); an exact key
// wins over prefixes, and the longest prefix over shorter ones. An entry
// with no command is ignored. Later calls add to the table.
func WithImageCommands(table map[string][]string) Option {
	return func(s *Server) {
		if s.imageCommands == nil {
			s.imageCommands = map[string][]string{}
		}
		for image, cmd := range table {
			if len(cmd) > 0 && cmd[0] != "" {
				s.imageCommands[image] = slices.Clone(cmd)
			}
		}
	}
}

// WithExecutor adds an executor for training jobs (tried in order).
func WithExecutor(e Executor) Option { return func(s *Server) { s.executors = append(s.executors, e) } }

// WithWorkDir sets where job roots are made (default: a temporary folder).
func WithWorkDir(dir string) Option { return func(s *Server) { s.workDir = dir } }

// WithJobEnv names variables of the server's own environment that
// training jobs also get (an exact name, or a prefix ending in '*':
// "PIP_*"). Without it a job gets none of them. The SM_* variables, the
// credentials for the endpoint and the request's Environment take
// precedence over them.
func WithJobEnv(names ...string) Option {
	return func(s *Server) { s.jobEnv = append(s.jobEnv, names...) }
}

// WithEndpointURL tells training jobs where the endpoint is served
// (AWS_ENDPOINT_URL in their environment); smlocal sets it.
func WithEndpointURL(url string) Option { return func(s *Server) { s.endpointURL = url } }

// WithDataDir keeps the endpoint's resources and tags, S3 buckets and
// objects, and log groups, streams and events in dir (created if missing),
// so that they survive a restart: New loads them, and every change is
// written there before it is answered (each service keeps its own part of it). If what is in dir cannot be read, the service it
// belongs to answers 500 saying why rather than starting empty over it.
func WithDataDir(dir string) Option {
	return func(s *Server) {
		s.dataDir = dir
	}
}
