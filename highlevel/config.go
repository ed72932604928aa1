package highlevel

import (
	"github.com/smcore-go/smcore/shapes"
)

// TrainerConfig describes a ModelTrainer. Its embedded request is the
// CreateTrainingJob request itself: every member set there is sent as is
// (AlgorithmSpecification.TrainingImage or AlgorithmName, ResourceConfig,
// VpcConfig, StoppingCondition, OutputDataConfig, CheckpointConfig,
// TensorBoardOutputConfig, RetryStrategy, InfraCheckConfig,
// RemoteDebugConfig, SessionChainingConfig, Environment, Tags, …), and the
// trainer fills what is unset (see docs/training.md for each default).
// The other fields are what the service does not have: source code, a
// distributed launcher, data from local paths, typed hyperparameters.
//
// In YAML or JSON (LoadTrainerConfig) the request's members keep the API's
// names at the top level beside the trainer's own.
type TrainerConfig struct {
	shapes.CreateTrainingJobInput

	// BaseJobName prefixes generated job names and the staging paths;
	// default: from the image's repository or the algorithm's name.
	BaseJobName string `json:"BaseJobName,omitzero"`
	// SourceCode is the training script and what it needs; without it the
	// image's own entrypoint runs.
	SourceCode *SourceCode `json:"SourceCode,omitzero"`
	// Distributed launches the entry script on every host with torchrun
	// or mpirun.
	Distributed *Distributed `json:"Distributed,omitzero"`
	// InputData are channels from S3 URIs or local paths (uploaded), after
	// the request's InputDataConfig.
	InputData []InputData `json:"InputData,omitzero"`
	// HyperParameters are encoded as the Python SDK's ModelTrainer does: a
	// string as it is, anything else as Python's json.dumps writes it
	// (1.0 stays 1.0, [1, 2] keeps its space). They are merged with the
	// request's (string) HyperParameters; a name in both is an error.
	HyperParameters map[string]any `json:"HyperParameters,omitzero"`
	// HyperParametersFile is a JSON or YAML file holding a mapping of
	// hyperparameters, literals kept as written; HyperParameters win over
	// its values.
	HyperParametersFile string `json:"HyperParametersFile,omitzero"`
}

// SourceCode is the code a job runs: a folder uploaded as the code channel
// and run by smcore's driver.
type SourceCode struct {
	// SourceDir is a local folder, a local .tar.gz, an s3:// prefix ending
	// in '/', or an s3:// .tar.gz.
	SourceDir string `json:"SourceDir,omitzero"`
	// Requirements is a pip requirements file inside SourceDir, installed
	// into a virtual environment of the job before it runs.
	Requirements string `json:"Requirements,omitzero"`
	// EntryScript is a .py or .sh file inside SourceDir, run with the
	// hyperparameters as --name value arguments.
	EntryScript string `json:"EntryScript,omitzero"`
	// Command is a shell command run instead of EntryScript (from
	// SourceDir); CommandArgs appends the hyperparameters to it.
	Command     string `json:"Command,omitzero"`
	CommandArgs bool   `json:"CommandArgs,omitzero"`
	// HydraArgs passes the hyperparameters as name=value arguments,
	// Hydra's override syntax, instead of --name value (Python SDK #5023).
	HydraArgs bool `json:"HydraArgs,omitzero"`
	// IgnorePatterns name files and folders of SourceDir (and
	// Dependencies) not uploaded, matched against every path element with
	// path.Match; nil means DefaultIgnorePatterns.
	IgnorePatterns []string `json:"IgnorePatterns,omitzero"`
	// Dependencies are more local files or folders uploaded into the code
	// channel under their own names (a shared library beside the project).
	Dependencies []string `json:"Dependencies,omitzero"`
}

// DefaultIgnorePatterns are left out of uploaded source code unless
// SourceCode.IgnorePatterns says otherwise (the Python SDK's list).
func DefaultIgnorePatterns() []string {
	return []string{".env", ".git", "__pycache__", ".DS_Store", ".cache", ".ipynb_checkpoints"}
}

// Distributed chooses one launcher for the entry script.
type Distributed struct {
	Torchrun *Torchrun `json:"Torchrun,omitzero"`
	MPI      *MPI      `json:"MPI,omitzero"`
}

// Torchrun runs the entry script with torchrun on every host.
type Torchrun struct {
	// ProcessCountPerNode is --nproc_per_node; 0 means one per GPU (or
	// Neuron core), else 1.
	ProcessCountPerNode int `json:"ProcessCountPerNode,omitzero"`
	// SMP is SageMaker model parallelism's settings, sent as the
	// mp_parameters hyperparameter (JSON).
	SMP map[string]any `json:"SMP,omitzero"`
}

// MPI runs the entry script with mpirun from the first host.
type MPI struct {
	// ProcessCountPerNode is the slots per host; 0 means one per GPU,
	// else 1.
	ProcessCountPerNode int `json:"ProcessCountPerNode,omitzero"`
	// MPIAdditionalOptions are more mpirun arguments.
	MPIAdditionalOptions []string `json:"MPIAdditionalOptions,omitzero"`
}

// InputData is a channel whose data is at an S3 URI or a local path.
type InputData struct {
	ChannelName string `json:"ChannelName"`
	// DataSource is an s3:// URI (used as is) or a local file or folder
	// (uploaded under {BaseJobName}/{job}/input/{ChannelName} in the
	// staging bucket).
	DataSource  string `json:"DataSource"`
	ContentType string `json:"ContentType,omitzero"`
}
