// Package trainingcontract is the SageMaker training contract as smcore
// implements it: the /opt/ml layout of a host, the config files SageMaker
// writes into it, the SM_* environment, the driver that the trainers
// (highlevel) upload and the local endpoint's executors run, and the
// local endpoint's stand-in for a framework image's toolkit, which runs
// classic script-mode jobs (classic.go). Both sides
// import this package; neither imports the other.
//
// Nothing here talks to AWS or reads the caller's environment.
package trainingcontract

import (
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Root is where SageMaker mounts a training container's tree.
const Root = "/opt/ml"

// The channels the trainers add after the user's.
const (
	CodeChannel    = "code"
	DriversChannel = "sm_drivers"
)

// Layout is the /opt/ml tree of one host, rooted at Dir ("" means Root).
// The local endpoint's process executor roots each host in its own
// folder and tells the job through the variables of Env.
type Layout struct{ Dir string }

func (l Layout) join(elem ...string) string {
	if l.Dir == "" {
		return path.Join(append([]string{Root}, elem...)...)
	}
	return filepath.Join(append([]string{l.Dir}, elem...)...)
}

func (l Layout) ModelDir() string              { return l.join("model") }
func (l Layout) InputDir() string              { return l.join("input") }
func (l Layout) InputDataDir() string          { return l.join("input", "data") }
func (l Layout) InputConfigDir() string        { return l.join("input", "config") }
func (l Layout) ChannelDir(name string) string { return l.join("input", "data", name) }
func (l Layout) OutputDir() string             { return l.join("output") }
func (l Layout) OutputDataDir() string         { return l.join("output", "data") }
func (l Layout) FailureFile() string           { return l.join("output", "failure") }
func (l Layout) CheckpointDir() string         { return l.join("checkpoints") }
func (l Layout) TensorBoardDir() string        { return l.join("output", "tensorboard") }

// Dirs are the folders a host's tree starts with.
func (l Layout) Dirs() []string {
	return []string{l.ModelDir(), l.InputDataDir(), l.InputConfigDir(), l.OutputDataDir(), l.CheckpointDir()}
}

// Env gives a job the layout's paths. The driver reads these (falling back
// to Root) so that the same driver runs in a container and as a host
// process.
func (l Layout) Env() []string {
	return []string{
		"SM_MODEL_DIR=" + l.ModelDir(),
		"SM_INPUT_DIR=" + l.InputDir(),
		"SM_INPUT_DATA_DIR=" + l.InputDataDir(),
		"SM_INPUT_CONFIG_DIR=" + l.InputConfigDir(),
		"SM_OUTPUT_DIR=" + l.OutputDir(),
		"SM_OUTPUT_DATA_DIR=" + l.OutputDataDir(),
		"SM_OUTPUT_FAILURE=" + l.FailureFile(),
		"SM_CHECKPOINT_DIR=" + l.CheckpointDir(),
	}
}

// HostNames are the hosts of a job of n instances: algo-1 … algo-n.
func HostNames(n int) []string {
	hosts := make([]string, n)
	for i := range hosts {
		hosts[i] = "algo-" + strconv.Itoa(i+1)
	}
	return hosts
}

// SortHosts orders host names by their number (algo-2 before algo-10;
// Python's sorted() puts algo-10 first, which misnumbers ranks past 9).
func SortHosts(hosts []string) {
	slices.SortFunc(hosts, func(a, b string) int {
		na, oka := hostNumber(a)
		nb, okb := hostNumber(b)
		if oka && okb && na != nb {
			return na - nb
		}
		return strings.Compare(a, b)
	})
}

func hostNumber(h string) (int, bool) {
	i := strings.LastIndexByte(h, '-')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(h[i+1:])
	return n, err == nil
}

// EnvName is a name's form in SM_CHANNEL_<NAME> and SM_HP_<NAME>: upper
// case, every character a shell variable name cannot hold (a channel's
// '-' or '.') turned into '_', so that the driver can export it.
func EnvName(name string) string {
	b := []byte(strings.ToUpper(name))
	for i, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

// Sensitive reports whether a hyperparameter's or variable's name marks
// its value as secret: the names the Python SDK masks.
func Sensitive(name string) bool {
	u := strings.ToUpper(name)
	for _, w := range sensitiveWords {
		if strings.Contains(u, w) {
			return true
		}
	}
	return false
}

// sensitiveWords are the name parts whose values are masked in logs (the
// driver's awk filter holds the same list).
var sensitiveWords = [...]string{"SECRET", "PASSWORD", "TOKEN", "KEY", "PRIVATE", "CREDS", "CREDENTIALS"}

// MinMaskedLength is the shortest value masked: shorter ones ("1", "true")
// would blank out unrelated text.
const MinMaskedLength = 8

// Mask replaces, in line, every value of env (NAME=value entries) whose
// name is Sensitive and which is at least MinMaskedLength long. The
// driver does the same in the job; the local endpoint uses it for lines
// it writes itself.
func Mask(line string, env []string) string {
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if ok && len(v) >= MinMaskedLength && Sensitive(k) {
			line = strings.ReplaceAll(line, v, "********")
		}
	}
	return line
}
