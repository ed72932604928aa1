// Package modelsrc finds the SageMaker API models smcore is generated and
// tested from: the pinned botocore model in Python's site-packages, the
// copies in ../shared/models, and the one inside the aws-sdk-go v1 module.
package modelsrc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// PinnedBotocore is the botocore release whose SageMaker model the committed
// generated code comes from.
const PinnedBotocore = "1.43.11"

// PinnedOperations is the operation count of the pinned model.
const PinnedOperations = 396

// ErrNotFound is returned when a model cannot be located on this machine.
var ErrNotFound = errors.New("model not found")

// Pinned returns the folder of the pinned SageMaker model
// (botocore/data/sagemaker/2017-07-24) and the botocore version found. It
// asks python3 where botocore is; a missing or different botocore is an
// error that says how to get the right one.
func Pinned() (dir string, err error) {
	const how = "install it with `pip install botocore==" + PinnedBotocore + "` (or `pip download botocore==" + PinnedBotocore +
		"` and unpack the wheel), or pass another model with `make generate MODEL=path`"
	py, err := exec.LookPath("python3")
	if err != nil {
		return "", fmt.Errorf("pinned model: python3 not on PATH, so botocore %s cannot be found: %s: %w", PinnedBotocore, how, ErrNotFound)
	}
	var out, stderr bytes.Buffer
	cmd := exec.Command(py, "-c", "import botocore,os;print(botocore.__version__);print(os.path.dirname(botocore.__file__))")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("pinned model: python3 cannot import botocore (%s): %s: %w", strings.TrimSpace(stderr.String()), how, ErrNotFound)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		return "", fmt.Errorf("pinned model: unexpected answer from python3: %q", out.String())
	}
	if v := strings.TrimSpace(lines[0]); v != PinnedBotocore {
		return "", fmt.Errorf("pinned model: botocore %s is installed, smcore is generated from %s: %s: %w", v, PinnedBotocore, how, ErrNotFound)
	}
	dir = filepath.Join(strings.TrimSpace(lines[1]), "data", "sagemaker", "2017-07-24")
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("pinned model: botocore %s has no SageMaker model at %s: %s: %w", PinnedBotocore, dir, how, ErrNotFound)
	}
	return dir, nil
}

// Shared returns ../shared/models/<name> (botocore-2026-04 or
// smithy-2025-04) found from the repository root or any folder under it.
func Shared(name string) (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(filepath.Dir(root), "shared", "models", name)
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("shared model %s: %w (%v)", name, ErrNotFound, err)
	}
	return dir, nil
}

// AWSSDKGoV1 returns the SageMaker model folder inside the Go module
// github.com/aws/aws-sdk-go@v1.55.8, downloading the module through the Go
// module proxy when it is not in the module cache.
func AWSSDKGoV1() (string, error) {
	dir, err := ModuleDir("github.com/aws/aws-sdk-go@v1.55.8")
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "models", "apis", "sagemaker", "2017-07-24"), nil
}

// ModuleDir returns the module cache folder of module@version, downloading
// it if needed.
func ModuleDir(modAtVersion string) (string, error) {
	var out, stderr bytes.Buffer
	cmd := exec.Command("go", "mod", "download", "-json", modAtVersion)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	runErr := cmd.Run()
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out.Bytes(), &info); err != nil || info.Dir == "" {
		msg := strings.TrimSpace(info.Error + " " + stderr.String())
		if runErr != nil && msg == "" {
			msg = runErr.Error()
		}
		return "", fmt.Errorf("go mod download %s: %s: %w", modAtVersion, msg, ErrNotFound)
	}
	return info.Dir, nil
}

// RepoRoot returns the folder holding smcore's go.mod, searched upwards from
// the working directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/smcore-go/smcore\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("smcore repository root not found above the working directory: %w", ErrNotFound)
		}
		dir = parent
	}
}
