package sagemaker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/smcore-go/smcore/internal/archive"
	"github.com/smcore-go/smcore/internal/trainingcontract"
)

// A job that names no ContainerEntrypoint runs its image's own
// entrypoint on SageMaker, which a host process cannot do. In process
// mode such a job runs, in this order:
//
//  1. the command WithImageCommands gives its image (for a job with
//     AlgorithmName, the algorithm's TrainingSpecification.TrainingImage),
//     with the job's ContainerArguments, or "train" as SageMaker passes
//     an image;
//  2. for a classic script-mode job — its HyperParameters hold
//     sagemaker_submit_directory and sagemaker_program, as the classic
//     SageMaker Python SDK sends them to a framework image — smcore's
//     stand-in for the image's training toolkit: sourcedir.tar.gz is
//     read from the endpoint's S3 and unpacked into <host root>/code, and
//     sm_classic.sh installs requirements.txt and runs the program with
//     the decoded hyperparameters (internal/trainingcontract);
//  3. otherwise no executor accepts it, and it fails saying what would
//     run it (or completes as simulated with WithSimulation).

// imageCommand is the command the table gives image, or nil.
func imageCommand(table map[string][]string, image string) []string {
	if image == "" {
		return nil
	}
	if cmd, ok := table[image]; ok && !strings.HasSuffix(image, "*") {
		return cmd
	}
	var best string
	found := false
	for k := range table {
		if p, wild := strings.CutSuffix(k, "*"); wild && strings.HasPrefix(image, p) && (!found || len(k) > len(best)) {
			best, found = k, true
		}
	}
	if !found {
		return nil
	}
	return table[best]
}

// algorithmImage is the TrainingImage of the algorithm a training job
// names (by name, in the job's region, or by ARN); known is false when
// the endpoint has no such algorithm. Call with s.mu held.
func (s *Service) algorithmImage(job *record, name string) (image string, known bool) {
	var alg *record
	if strings.HasPrefix(name, "arn:") {
		alg = s.byARN[name]
	} else {
		alg = s.records["Algorithm"][recordKey(job.region(), []string{name})]
	}
	if alg == nil || alg.spec.Name != "Algorithm" || !s.advance(alg) {
		return "", false
	}
	return str(asMap(alg.doc["TrainingSpecification"])["TrainingImage"]), true
}

// resolveRun fills in what a job without ContainerEntrypoint runs: its
// algorithm's image, the image's command, or the classic runner. Call
// with s.mu held.
func (s *Service) resolveRun(r *record, run *TrainingRun) {
	spec := asMap(r.doc["AlgorithmSpecification"])
	if run.Image == "" {
		if name := str(spec["AlgorithmName"]); name != "" {
			run.Image, _ = s.algorithmImage(r, name)
		}
	}
	if len(run.Entrypoint) > 0 {
		return
	}
	if cmd := imageCommand(s.ImageCommands, run.Image); cmd != nil {
		run.command = slices.Clone(cmd)
		return
	}
	if c, ok := trainingcontract.ParseClassic(run.HyperParameters); ok {
		run.classic = &c
		run.getObject = s.S3.GetObject
	}
}

// unrunnableReason is the FailureReason of a training job no executor
// accepts: why, and what would run it. Call with s.mu held.
func (s *Service) unrunnableReason(r *record) string {
	const prefix = "ClientError: no executor of the local endpoint can run this job: "
	const simulate = "enable simulation (emulator.WithSimulation, smlocal -simulate) to complete it without running anything"
	if len(s.Executors) == 0 {
		return prefix + "the endpoint runs no training jobs. To run it, start the endpoint in process mode " +
			"(emulator.WithExecutor(emulator.ProcessExecutor{}), smlocal -process) or Docker mode; or " + simulate
	}
	spec := asMap(r.doc["AlgorithmSpecification"])
	if len(asList(spec["ContainerEntrypoint"])) > 0 {
		return prefix + "none of the endpoint's executors accepts it; " + simulate
	}
	image := fmt.Sprintf("its training image %q", str(spec["TrainingImage"]))
	if name := str(spec["AlgorithmName"]); name != "" {
		switch img, known := s.algorithmImage(r, name); {
		case !known:
			image = fmt.Sprintf("its algorithm %q is not one the endpoint has (CreateAlgorithm), so its image is unknown", name)
		default:
			image = fmt.Sprintf("the training image %q of its algorithm %q", img, name)
		}
	}
	return prefix + "it names no ContainerEntrypoint, so the image's own entrypoint would run, which a host process cannot; " +
		"it is not a classic script-mode job (no " + trainingcontract.SubmitDirectoryHP + " and " + trainingcontract.ProgramHP +
		" hyperparameters); and " + image + " has no command in the endpoint's image table. To run it, map the image to a local command " +
		"(emulator.WithImageCommands, smlocal -image-command), run the endpoint in Docker mode, or " + simulate
}

// process is the command line and environment of a host's process: the
// job's entrypoint, its image's command, or the classic runner, which it
// prepares first (the job's source unpacked, the runner written).
func (run *TrainingRun) process(ctx context.Context, env []string, log func(string)) ([]string, []string, error) {
	switch {
	case len(run.Entrypoint) > 0:
		return append(slices.Clone(run.Entrypoint), run.Arguments...), env, nil
	case len(run.command) > 0:
		args := run.Arguments
		if len(args) == 0 {
			args = []string{"train"}
		}
		return append(slices.Clone(run.command), args...), env, nil
	case run.classic != nil:
		return run.prepareClassic(ctx, env, log)
	}
	return nil, nil, errors.New("the job names no ContainerEntrypoint to run, its image has no command, and it is not a classic script-mode job")
}

// Where a classic job's source and the runner go in a host's root.
const (
	classicCodeDir   = "code"   // /opt/ml/code in a framework image
	classicRunnerDir = "smcore" // the runner (a toolkit's place: in the image)
)

// prepareClassic unpacks the job's sourcedir.tar.gz into the host's code
// folder and writes the runner; it returns the runner's command line and
// environment.
func (run *TrainingRun) prepareClassic(ctx context.Context, env []string, log func(string)) ([]string, []string, error) {
	c := run.classic
	if err := c.Validate(); err != nil {
		return nil, nil, fmt.Errorf("classic script-mode job: %w", err)
	}
	if run.Root == "" {
		return nil, nil, errors.New("classic script-mode job: the host has no root to unpack its source into")
	}
	src, err := run.openSubmitDirectory(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %q: %w", trainingcontract.SubmitDirectoryHP, c.SubmitDirectory, err)
	}
	code := filepath.Join(run.Root, classicCodeDir)
	err = archive.Extract(ctx, src, code)
	src.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("unpacking %s %q: %w", trainingcontract.SubmitDirectoryHP, c.SubmitDirectory, err)
	}
	runner := filepath.Join(run.Root, classicRunnerDir, trainingcontract.ClassicFile)
	if err := os.MkdirAll(filepath.Dir(runner), 0o755); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(runner, trainingcontract.ClassicScript(), 0o644); err != nil {
		return nil, nil, err
	}
	env = c.Environ(env, code)
	log(trainingcontract.Mask(fmt.Sprintf("smlocal: classic script-mode job: %s unpacked into %s; running %s with smcore's classic runner (the image's training toolkit does not run in process mode)",
		c.SubmitDirectory, code, c.Program), env))
	if names := distributedParams(c.Framework); len(names) > 0 {
		log(fmt.Sprintf("smlocal: the classic runner launches no distributed training (%s): the program runs once on each host", strings.Join(names, ", ")))
	}
	return []string{"/bin/sh", runner}, env, nil
}

// openSubmitDirectory opens the job's sourcedir.tar.gz: an object of the
// endpoint's S3, or a file of the host's /opt/ml tree (a job with network
// isolation gets it in its code channel).
func (run *TrainingRun) openSubmitDirectory(ctx context.Context) (io.ReadCloser, error) {
	uri := run.classic.SubmitDirectory
	if rel, ok := strings.CutPrefix(uri, trainingcontract.Root+"/"); ok {
		rel = path.Clean(rel)
		if rel == ".." || strings.HasPrefix(rel, "../") {
			return nil, errors.New("the path leaves " + trainingcontract.Root)
		}
		return os.Open(filepath.Join(run.Root, filepath.FromSlash(rel)))
	}
	bucket, key, ok := splitS3(uri)
	if !ok || key == "" {
		return nil, fmt.Errorf("the local endpoint reads a job's source from an s3:// object of its own S3 (or a file under %s)", trainingcontract.Root)
	}
	if run.getObject == nil {
		return nil, errors.New("the executor has no S3 to read it from")
	}
	return run.getObject(ctx, bucket, key)
}

// distributedParams are the reserved hyperparameters that ask the toolkit
// for a distributed launch, which the classic runner does not do.
func distributedParams(framework map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(framework)) {
		if strings.HasSuffix(k, "_enabled") && trainingcontract.DecodeHyperParameter(framework[k]) == "true" {
			out = append(out, k)
		}
	}
	return out
}
