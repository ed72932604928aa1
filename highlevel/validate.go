package highlevel

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/smcore-go/smcore/internal/trainingcontract"
)

// channelName is the API's pattern for ChannelName.
var channelName = regexp.MustCompile(`^[A-Za-z0-9\.\-_]+$`)

// Validate checks the configuration as NewModelTrainer does, without I/O
// beyond looking at local paths: every broken rule is reported, each a
// *ConfigError naming its field. (The request's own constraints are
// checked on the final request, by Train and DryRun.)
func (c *TrainerConfig) Validate() error {
	var errs configErrors
	spec := c.AlgorithmSpecification
	switch {
	case spec == nil || spec.TrainingImage == "" && spec.AlgorithmName == "":
		errs.add("AlgorithmSpecification", "set TrainingImage or AlgorithmName")
	case spec.TrainingImage != "" && spec.AlgorithmName != "":
		errs.add("AlgorithmSpecification", "set TrainingImage or AlgorithmName, not both")
	}
	if c.BaseJobName != "" && cleanName(c.BaseJobName) == "" {
		errs.add("BaseJobName", "%q has no letter or digit to name a job with", c.BaseJobName)
	}
	if sc := c.SourceCode; sc != nil {
		c.validateSource(&errs, sc)
		if spec != nil && (len(spec.ContainerEntrypoint) > 0 || len(spec.ContainerArguments) > 0) {
			errs.add("AlgorithmSpecification.ContainerEntrypoint", "is set by the trainer to run SourceCode: leave it (and ContainerArguments) unset")
		}
	}
	if d := c.Distributed; d != nil {
		switch {
		case d.Torchrun != nil && d.MPI != nil:
			errs.add("Distributed", "set Torchrun or MPI, not both")
		case d.Torchrun == nil && d.MPI == nil:
			errs.add("Distributed", "set Torchrun or MPI")
		}
		if c.SourceCode == nil || c.SourceCode.EntryScript == "" {
			errs.add("Distributed", "needs SourceCode.EntryScript: the launcher runs the entry script on every host")
		}
		if d.Torchrun != nil && d.Torchrun.ProcessCountPerNode < 0 {
			errs.add("Distributed.Torchrun.ProcessCountPerNode", "must not be negative")
		}
		if d.MPI != nil && d.MPI.ProcessCountPerNode < 0 {
			errs.add("Distributed.MPI.ProcessCountPerNode", "must not be negative")
		}
	}
	seen := map[string]string{}
	for i, ch := range c.InputDataConfig {
		c.checkChannelName(&errs, fmt.Sprintf("InputDataConfig[%d].ChannelName", i), ch.ChannelName, seen)
	}
	for i, in := range c.InputData {
		c.validateInput(&errs, fmt.Sprintf("InputData[%d]", i), in, seen)
	}
	for k := range c.HyperParameters {
		if _, ok := c.CreateTrainingJobInput.HyperParameters[k]; ok {
			errs.add("HyperParameters."+k, "is also set in the request's HyperParameters: set it once")
		}
	}
	if c.HyperParametersFile != "" {
		if _, err := os.Stat(c.HyperParametersFile); err != nil {
			errs.add("HyperParametersFile", "%v", err)
		}
	}
	if b := c.EnableManagedSpotTraining; b != nil && *b {
		sc := c.StoppingCondition
		runtime := int32(defaultMaxRuntime)
		if sc != nil && sc.MaxRuntimeInSeconds != nil {
			runtime = *sc.MaxRuntimeInSeconds
		}
		switch {
		case sc == nil || sc.MaxWaitTimeInSeconds == nil:
			errs.add("StoppingCondition.MaxWaitTimeInSeconds", "is required with EnableManagedSpotTraining (at least MaxRuntimeInSeconds, %d)", runtime)
		case *sc.MaxWaitTimeInSeconds < runtime:
			errs.add("StoppingCondition.MaxWaitTimeInSeconds", "%d is less than MaxRuntimeInSeconds %d: managed spot training waits at least as long as it runs", *sc.MaxWaitTimeInSeconds, runtime)
		}
	}
	return errs.err()
}

func (c *TrainerConfig) checkChannelName(errs *configErrors, field, name string, seen map[string]string) {
	switch {
	case name == "":
		errs.add(field, "is required")
		return
	case !channelName.MatchString(name) || len(name) > 64:
		errs.add(field, "%q: a channel name is 1-64 of [A-Za-z0-9.-_]", name)
	case c.SourceCode != nil && (name == trainingcontract.CodeChannel || name == trainingcontract.DriversChannel):
		errs.add(field, "%q is the channel the trainer adds for SourceCode: choose another name", name)
	}
	if prev, ok := seen[name]; ok {
		errs.add(field, "channel %q is also %s", name, prev)
	}
	seen[name] = field
}

func (c *TrainerConfig) validateInput(errs *configErrors, field string, in InputData, seen map[string]string) {
	c.checkChannelName(errs, field+".ChannelName", in.ChannelName, seen)
	switch {
	case in.DataSource == "":
		errs.add(field+".DataSource", "is required: an s3:// URI or a local path")
	case strings.HasPrefix(in.DataSource, "s3://"):
		if b, _, _ := strings.Cut(strings.TrimPrefix(in.DataSource, "s3://"), "/"); b == "" {
			errs.add(field+".DataSource", "%q names no bucket", in.DataSource)
		}
	case strings.Contains(in.DataSource, "://"):
		errs.add(field+".DataSource", "%q: only s3:// URIs and local paths are supported", in.DataSource)
	default:
		if _, err := os.Stat(in.DataSource); err != nil {
			errs.add(field+".DataSource", "%v", err)
		}
	}
}

func (c *TrainerConfig) validateSource(errs *configErrors, sc *SourceCode) {
	dir := sc.SourceDir
	if dir == "" {
		errs.add("SourceCode.SourceDir", "is required: a local folder, a local .tar.gz, or an s3:// prefix or .tar.gz")
	}
	switch {
	case sc.EntryScript == "" && sc.Command == "":
		errs.add("SourceCode", "set EntryScript or Command")
	case sc.EntryScript != "" && sc.Command != "":
		errs.add("SourceCode", "set EntryScript or Command, not both")
	}
	if sc.CommandArgs && sc.Command == "" {
		errs.add("SourceCode.CommandArgs", "applies to Command only (an entry script always gets the hyperparameters)")
	}
	if e := sc.EntryScript; e != "" && !strings.HasSuffix(e, ".py") && !strings.HasSuffix(e, ".sh") {
		errs.add("SourceCode.EntryScript", "%q: must be a .py or .sh file", e)
	}
	for _, f := range []struct{ field, p string }{{"SourceCode.EntryScript", sc.EntryScript}, {"SourceCode.Requirements", sc.Requirements}} {
		if f.p == "" {
			continue
		}
		if path.IsAbs(filepath.ToSlash(f.p)) || strings.HasPrefix(path.Clean(filepath.ToSlash(f.p)), "../") || path.Clean(filepath.ToSlash(f.p)) == ".." {
			errs.add(f.field, "%q: must be a path inside SourceDir", f.p)
			continue
		}
		if dir != "" && isLocalDir(dir) {
			st, err := os.Stat(filepath.Join(dir, f.p))
			switch {
			case err != nil:
				errs.add(f.field, "%q is not in SourceDir %s", f.p, dir)
			case st.IsDir():
				errs.add(f.field, "%q is a folder, not a file", f.p)
			}
		}
	}
	for _, p := range sc.IgnorePatterns {
		if _, err := path.Match(p, ""); err != nil {
			errs.add("SourceCode.IgnorePatterns", "%q: %v", p, err)
		}
	}
	if dir == "" {
		return
	}
	switch {
	case strings.HasPrefix(dir, "s3://"):
		if !strings.HasSuffix(dir, "/") && !strings.HasSuffix(dir, ".tar.gz") {
			errs.add("SourceCode.SourceDir", "%q: an s3:// source is a prefix ending in '/' or a .tar.gz", dir)
		}
		if len(sc.Dependencies) > 0 {
			errs.add("SourceCode.Dependencies", "need a local SourceDir (they are uploaded beside it)")
		}
	case strings.Contains(dir, "://"):
		errs.add("SourceCode.SourceDir", "%q: only s3:// URIs and local paths are supported", dir)
	default:
		st, err := os.Stat(dir)
		switch {
		case err != nil:
			errs.add("SourceCode.SourceDir", "%v", err)
		case !st.IsDir() && !strings.HasSuffix(dir, ".tar.gz"):
			errs.add("SourceCode.SourceDir", "%q is a file: give a folder or a .tar.gz", dir)
		case !st.IsDir() && len(sc.Dependencies) > 0:
			errs.add("SourceCode.Dependencies", "need SourceDir to be a folder")
		}
	}
	seen := map[string]bool{}
	for i, d := range sc.Dependencies {
		field := fmt.Sprintf("SourceCode.Dependencies[%d]", i)
		if _, err := os.Stat(d); err != nil {
			errs.add(field, "%v", err)
			continue
		}
		base := filepath.Base(filepath.Clean(d))
		if seen[base] {
			errs.add(field, "another dependency is also named %q (each goes into the code channel under its own name)", base)
		}
		seen[base] = true
		if isLocalDir(dir) {
			if _, err := os.Stat(filepath.Join(dir, base)); err == nil {
				errs.add(field, "SourceDir already holds %q: the dependency would replace it", base)
			}
		}
	}
}

func isLocalDir(p string) bool {
	if strings.Contains(p, "://") {
		return false
	}
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
