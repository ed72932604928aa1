package trainingcontract

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"
)

//go:embed driver/sm_train.sh
var driverScript []byte

// DriverScript is the driver, sm_train.sh: a POSIX sh script with LF line
// endings whatever the platform that uploads it.
func DriverScript() []byte { return withFilter(driverScript) }

// DriverFile and EnvFile are the driver's files in the sm_drivers channel.
const (
	DriverFile = "sm_train.sh"
	EnvFile    = "env.sh"
)

// Entrypoint is the ContainerEntrypoint and ContainerArguments that run
// the driver from the sm_drivers channel: in a container at /opt/ml, and
// as a host process wherever SM_INPUT_DATA_DIR says.
func Entrypoint() (entrypoint, arguments []string) {
	return []string{"/bin/sh", "-c"},
		[]string{`exec /bin/sh "${SM_INPUT_DATA_DIR:-/opt/ml/input/data}/` + DriversChannel + `/` + DriverFile + `"`}
}

// Distribution is how the driver launches a distributed entry script.
type Distribution string

const (
	Torchrun Distribution = "torchrun"
	MPI      Distribution = "mpi"
)

// Driver is what the driver runs, and the job's static facts it exports.
type Driver struct {
	// EntryScript is a .py or .sh file, relative to the source folder.
	EntryScript string
	// Command is a shell command that runs instead of EntryScript;
	// CommandArgs appends the hyperparameters to it as --name value.
	Command     string
	CommandArgs bool
	// Requirements is a pip requirements file in the source folder,
	// installed into a per-job virtual environment before the run.
	Requirements string
	// SourceArchive is a .tar.gz in the source folder to unpack there
	// first (a source given as an archive).
	SourceArchive string

	Distribution Distribution
	// ProcessesPerHost is torchrun's --nproc_per_node and MPI's slots
	// per host; 0 means one per GPU (or Neuron core), else 1.
	ProcessesPerHost int
	// MPIOptions are extra mpirun arguments.
	MPIOptions []string
	// DistributedConfig is exported as SM_DISTRIBUTED_CONFIG (JSON).
	DistributedConfig map[string]any

	// HyperParameters are the request's, as sent.
	HyperParameters map[string]string
	// Hydra passes hyperparameters as name=value arguments (Hydra's
	// override syntax) instead of --name value.
	Hydra bool
	// Channels are the request's channel names, in order.
	Channels []string
	// InstanceCount is the job's number of hosts (all instance groups).
	InstanceCount int
	// FormatJSON writes a JSON value as the job's tools expect it (the
	// trainers pass Python's json.dumps formatting); nil means
	// encoding/json.
	FormatJSON func(v any) (string, error)
}

// Validate reports what makes d unrunnable.
func (d Driver) Validate() error {
	switch {
	case d.Command == "" && d.EntryScript == "":
		return fmt.Errorf("the driver needs an entry script or a command")
	case d.EntryScript != "" && !strings.HasSuffix(d.EntryScript, ".py") && !strings.HasSuffix(d.EntryScript, ".sh"):
		return fmt.Errorf("entry script %q: must end in .py or .sh", d.EntryScript)
	case d.Distribution != "" && d.EntryScript == "":
		return fmt.Errorf("a %s run needs an entry script", d.Distribution)
	case d.Distribution != "" && d.Distribution != Torchrun && d.Distribution != MPI:
		return fmt.Errorf("unknown distribution %q (want %q or %q)", d.Distribution, Torchrun, MPI)
	case d.ProcessesPerHost < 0:
		return fmt.Errorf("processes per host %d: must not be negative", d.ProcessesPerHost)
	case d.InstanceCount < 1:
		return fmt.Errorf("instance count %d: must be at least 1", d.InstanceCount)
	}
	for _, p := range []string{d.EntryScript, d.Requirements, d.SourceArchive} {
		if p != "" && (path.IsAbs(p) || strings.HasPrefix(path.Clean(p), "..")) {
			return fmt.Errorf("%q: must be a path inside the source folder", p)
		}
	}
	return nil
}

// Files are the sm_drivers channel's files: the driver and env.sh.
func (d Driver) Files() (map[string][]byte, error) {
	env, err := d.EnvScript()
	if err != nil {
		return nil, err
	}
	return map[string][]byte{DriverFile: DriverScript(), EnvFile: env}, nil
}

// HyperParameterArgs are the hyperparameters as command-line arguments,
// --name value (or, for Hydra, name=value), by name.
func HyperParameterArgs(hps map[string]string, hydra bool) []string {
	var args []string
	for _, k := range sortedKeys(hps) {
		if hydra {
			args = append(args, k+"="+hps[k])
		} else {
			args = append(args, "--"+k, hps[k])
		}
	}
	return args
}

// EnvScript is env.sh: the job's static SM_* environment, every value
// shell-quoted, paths derived from the SM_* path variables when the
// executor sets them and from /opt/ml otherwise.
func (d Driver) EnvScript() ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	format := d.FormatJSON
	if format == nil {
		format = func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		}
	}
	var b strings.Builder
	b.WriteString("# Written by smcore: the training job's static environment (see sm_train.sh).\n")
	def := func(name, value string) { // a path the executor may set
		fmt.Fprintf(&b, "%s=\"${%s:-%s}\"\nexport %s\n", name, name, value, name)
	}
	set := func(name, value string) {
		fmt.Fprintf(&b, "%s=%s\nexport %s\n", name, Quote(value), name)
	}
	def("SM_INPUT_DIR", Root+"/input")
	def("SM_INPUT_DATA_DIR", "$SM_INPUT_DIR/data")
	def("SM_INPUT_CONFIG_DIR", "$SM_INPUT_DIR/config")
	def("SM_MODEL_DIR", Root+"/model")
	def("SM_OUTPUT_DIR", Root+"/output")
	def("SM_OUTPUT_DATA_DIR", "$SM_OUTPUT_DIR/data")
	def("SM_OUTPUT_FAILURE", "$SM_OUTPUT_DIR/failure")
	def("SM_CHECKPOINT_DIR", Root+"/checkpoints")
	def("SM_LOG_LEVEL", "20")
	def("SM_MASTER_ADDR", "algo-1")
	def("SM_MASTER_PORT", "7777")

	channels := append([]string(nil), d.Channels...)
	chJSON, err := format(channels)
	if err != nil {
		return nil, err
	}
	set("SM_CHANNELS", chJSON)
	for _, c := range channels {
		def("SM_CHANNEL_"+EnvName(c), "$SM_INPUT_DATA_DIR/"+c)
	}

	hps := map[string]any{}
	for k, v := range d.HyperParameters {
		var decoded any
		if json.Unmarshal([]byte(v), &decoded) == nil {
			hps[k] = json.RawMessage(v)
		} else {
			hps[k] = v
		}
	}
	hpJSON, err := format(hps)
	if err != nil {
		return nil, fmt.Errorf("hyperparameters: %w", err)
	}
	set("SM_HPS", hpJSON)
	for _, k := range sortedKeys(d.HyperParameters) {
		set("SM_HP_"+EnvName(k), d.HyperParameters[k])
	}
	set("SMCORE_HP_ARGS", QuoteList(HyperParameterArgs(d.HyperParameters, d.Hydra)))

	hosts := HostNames(d.InstanceCount)
	hostsJSON, err := format(hosts)
	if err != nil {
		return nil, err
	}
	set("SM_HOSTS", hostsJSON)
	set("SM_HOST_COUNT", strconv.Itoa(len(hosts)))
	set("SMCORE_HOSTS", strings.Join(hosts, " "))

	def("SM_SOURCE_DIR", "$SM_INPUT_DATA_DIR/"+CodeChannel)
	set("SM_ENTRY_SCRIPT", d.EntryScript)
	if d.Command != "" {
		set("SMCORE_COMMAND", d.Command)
		if d.CommandArgs {
			set("SMCORE_COMMAND_ARGS", "1")
		}
	}
	if d.Requirements != "" {
		set("SMCORE_REQUIREMENTS", d.Requirements)
	}
	if d.SourceArchive != "" {
		set("SMCORE_SOURCE_ARCHIVE", d.SourceArchive)
	}
	if d.Distribution != "" {
		set("SMCORE_DISTRIBUTED", string(d.Distribution))
		def("SM_DISTRIBUTED_DRIVER_DIR", "$SM_INPUT_DATA_DIR/"+DriversChannel)
		cfg := d.DistributedConfig
		if cfg == nil {
			cfg = map[string]any{}
		}
		cfgJSON, err := format(cfg)
		if err != nil {
			return nil, fmt.Errorf("distributed config: %w", err)
		}
		set("SM_DISTRIBUTED_CONFIG", cfgJSON)
		if d.ProcessesPerHost > 0 {
			set("SMCORE_PROCESSES_PER_HOST", strconv.Itoa(d.ProcessesPerHost))
		}
		if len(d.MPIOptions) > 0 {
			set("SMCORE_MPI_OPTIONS", QuoteList(d.MPIOptions))
		}
	}
	return []byte(b.String()), nil
}
