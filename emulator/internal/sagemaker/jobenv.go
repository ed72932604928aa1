package sagemaker

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/smcore-go/smcore/internal/trainingcontract"
)

// The environment of a training job host's process is what SageMaker
// gives a container, never the server's own environment (which may hold the
// caller's AWS credentials, tokens, …):
//
//  1. a fixed base: PATH (the server's, so that the host's tools are
//     found; a default if it has none), HOME and the working directory at
//     the host's root, LANG=C.UTF-8, TMPDIR=<host root>/tmp;
//  2. the server variables WithJobEnv names, and only those;
//  3. credentials for the local endpoint (AWS_ACCESS_KEY_ID,
//     AWS_SECRET_ACCESS_KEY, AWS_REGION and AWS_DEFAULT_REGION, the job's
//     region, and AWS_ENDPOINT_URL given WithEndpointURL), so that the
//     job's own SDK calls reach this endpoint, in its region, and nothing
//     else;
//  4. the training toolkit's variables (trainingcontract.ToolkitEnv: the
//     host's /opt/ml paths, channels, hyperparameters, hosts and rank,
//     TRAINING_JOB_NAME), then SM_MASTER_ADDR=127.0.0.1 and
//     SM_MASTER_PORT, the job's free loopback port, where its hosts meet,
//     and SMLOCAL_SHARED_DIR, a folder beside the hosts' roots that all
//     of them see (ProcessExecutor makes it): the hosts have no ssh
//     between them, and smcore's driver runs MPI jobs through it;
//  5. the request's Environment, as on SageMaker (pip's index and the
//     like reach a job this way), by name;
//  6. last, SMLOCAL_JOB, the marker ProcessExecutor ends the host's
//     process tree by (jobprocs.go), one per host.
//
// A later group replaces a variable of an earlier one.

// sharedDir is SMLOCAL_SHARED_DIR, "shared" beside the hosts' roots in
// the job's folder (no host is named so), for the runs Server.train makes
// (the only ones with a master port); "" for others.
func (run *TrainingRun) sharedDir() string {
	if run.masterPort == 0 || run.Root == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(run.Root), "shared")
}

// defaultPath is a job's PATH when the server has none.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// jobEnvConfig is what the server adds to a job's environment.
type jobEnvConfig struct {
	allow    []string // WithJobEnv
	creds    Credentials
	region   string
	endpoint string
}

// jobEnviron is the environment of a training job host's process (see
// above).
func jobEnviron(run *TrainingRun, cfg jobEnvConfig) []string {
	path := os.Getenv("PATH")
	if path == "" {
		path = defaultPath
	}
	env := []string{
		"PATH=" + path,
		"HOME=" + run.Root,
		"LANG=C.UTF-8",
		"TMPDIR=" + filepath.Join(run.Root, "tmp"),
	}
	return append(env, contractEnviron(run, cfg, trainingcontract.Layout{Dir: run.Root})...)
}

// contractEnviron is a job's environment past the base (groups 2 to 5
// above), its paths those of layout: the host's root for a process, /opt/ml
// for a container (docker.go).
func contractEnviron(run *TrainingRun, cfg jobEnvConfig, layout trainingcontract.Layout) []string {
	env := allowedEnv(os.Environ(), cfg.allow)
	if cfg.creds.AccessKeyID != "" {
		env = append(env, "AWS_ACCESS_KEY_ID="+cfg.creds.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+cfg.creds.SecretAccessKey)
	}
	if cfg.region != "" {
		env = append(env, "AWS_REGION="+cfg.region, "AWS_DEFAULT_REGION="+cfg.region)
	}
	if cfg.endpoint != "" {
		env = append(env, "AWS_ENDPOINT_URL="+cfg.endpoint)
	}
	env = append(env, trainingcontract.ToolkitEnv(layout, run.contract())...)
	if run.masterPort > 0 {
		env = append(env, "SM_MASTER_ADDR=127.0.0.1", "SM_MASTER_PORT="+strconv.Itoa(run.masterPort))
	}
	// A host folder: processes only (a container sees /opt/ml alone, and
	// its MPI goes over ssh as on SageMaker).
	if d := run.sharedDir(); d != "" && layout.Dir != "" {
		env = append(env, "SMLOCAL_SHARED_DIR="+d)
	}
	for _, k := range slices.Sorted(maps.Keys(run.Environment)) {
		env = append(env, k+"="+run.Environment[k])
	}
	return env
}

// allowedEnv returns the variables of environ that names allows.
func allowedEnv(environ, names []string) []string {
	if len(names) == 0 {
		return nil
	}
	var out []string
	for _, kv := range environ {
		k, _, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			continue
		}
		for _, n := range names {
			if p, wild := strings.CutSuffix(n, "*"); wild && p != "" && strings.HasPrefix(k, p) || !wild && k == n {
				out = append(out, kv)
				break
			}
		}
	}
	return out
}
