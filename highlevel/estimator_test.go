package highlevel_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/highlevel"
	"github.com/smcore-go/smcore/shapes"
)

const pytorchImage = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.8.0-cpu-py312"

func estimatorConfig() highlevel.EstimatorConfig {
	return highlevel.EstimatorConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{
		AlgorithmSpecification: &shapes.AlgorithmSpecification{TrainingImage: pytorchImage},
		RoleArn:                "SageMakerRole",
		ResourceConfig:         &shapes.ResourceConfig{InstanceType: shapes.TrainingInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(1)},
	}}
}

func newEstimator(t *testing.T, cfg highlevel.EstimatorConfig, opts ...highlevel.Option) (*highlevel.Estimator, error) {
	t.Helper()
	ep := local(t, false, emulator.WithSimulation(), emulator.WithStepTime(20*time.Millisecond))
	return highlevel.NewEstimator(context.Background(), cfg, append(algoOpts(ep), opts...)...)
}

// The generic estimator without script mode: plain hyperparameters, the
// classic defaults.
func TestEstimatorRequest(t *testing.T) {
	cfg := estimatorConfig()
	cfg.HyperParameters = map[string]any{"optimizer": "adam", "lr": 0.1, "layers": []int{1, 2}}
	e, err := newEstimator(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	dr, err := e.DryRun(context.Background(), highlevel.Single("s3://data/train/"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "estimator", dr.Body)
	if dr.JobName != "pytorch-training-2026-12-02-10-30-00-000" {
		t.Errorf("job name %s", dr.JobName)
	}
}

// Script mode: sourcedir.tar.gz (the source folder's top level and the
// dependencies under their names), the toolkit's reserved
// hyperparameters, every value JSON-encoded.
func TestEstimatorScriptMode(t *testing.T) {
	src := tree(t, map[string]string{"train.py": "print('hi')", "requirements.txt": "", "utils/io.py": "", ".git/HEAD": "x"})
	dep := tree(t, map[string]string{"helpers.py": ""})
	cfg := estimatorConfig()
	cfg.EntryPoint, cfg.SourceDir, cfg.Dependencies = "train.py", src, []string{dep}
	cfg.HyperParameters = map[string]any{"optimizer": "adam", "epochs": 3}
	cfg.Distribution = &highlevel.EstimatorDistribution{TorchDistributed: true}
	cfg.OutputDataConfig = &shapes.OutputDataConfig{S3OutputPath: "s3://out-bucket/models/x"}
	e, err := newEstimator(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	dr, err := e.DryRun(context.Background(), highlevel.Inputs{"train": "s3://d/train/", "test": "s3://d/test/"})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "estimator-script", dr.Body)
	var tarball []byte
	for _, u := range dr.Uploads {
		if u.Channel == "source" {
			// The output path's bucket, without its prefix, as the classic SDK.
			if u.URI != "s3://out-bucket/pytorch-training-2026-12-02-10-30-00-000/source/" {
				t.Errorf("source upload %s", u.URI)
			}
			tarball = u.Files["sourcedir.tar.gz"]
		}
	}
	names := tarNames(t, tarball)
	if want := filepath.Base(dep) + "/," + filepath.Base(dep) + "/helpers.py,requirements.txt,train.py,utils/,utils/io.py"; strings.Join(names, ",") != want {
		t.Errorf("sourcedir.tar.gz holds %v, want %s", names, want)
	}
	// The plain encoding on request.
	cfg.Encoding = highlevel.EncodingPlain
	e, _ = newEstimator(t, cfg)
	dr, err = e.DryRun(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := dr.Request.HyperParameters; got["optimizer"] != "adam" || got["sagemaker_program"] != `"train.py"` {
		t.Errorf("plain encoding: %v", got)
	}
}

func tarNames(t *testing.T, b []byte) []string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
	sort.Strings(names)
	return names
}

func TestEstimatorValidation(t *testing.T) {
	src := tree(t, map[string]string{"train.py": ""})
	for _, c := range []struct {
		mod   func(*highlevel.EstimatorConfig)
		field string
		rule  string
	}{
		{func(c *highlevel.EstimatorConfig) { c.AlgorithmSpecification = nil }, "AlgorithmSpecification.TrainingImage", "is required"},
		{func(c *highlevel.EstimatorConfig) { c.ResourceConfig = nil }, "ResourceConfig", "set InstanceType and InstanceCount"},
		{func(c *highlevel.EstimatorConfig) { c.SourceDir = src }, "EntryPoint", "is required with SourceDir"},
		{func(c *highlevel.EstimatorConfig) { c.SourceDir, c.EntryPoint = src, "missing.py" }, "EntryPoint", "is not a file in SourceDir"},
		{func(c *highlevel.EstimatorConfig) { c.SourceDir, c.EntryPoint = "s3://b/code/", "train.py" }, "SourceDir", "an s3:// source is a .tar.gz"},
		{func(c *highlevel.EstimatorConfig) { c.Encoding = "yaml" }, "Encoding", `"yaml": use "json" or "plain"`},
		{func(c *highlevel.EstimatorConfig) {
			c.SourceDir, c.EntryPoint = src, "train.py"
			c.HyperParameters = map[string]any{"sagemaker_program": "x"}
		}, "HyperParameters.sagemaker_program", "are the estimator's in script mode"},
		{func(c *highlevel.EstimatorConfig) {
			c.Distribution = &highlevel.EstimatorDistribution{TorchDistributed: true}
		}, "Distribution", "needs EntryPoint"},
	} {
		cfg := estimatorConfig()
		c.mod(&cfg)
		_, err := highlevel.NewEstimator(context.Background(), cfg, highlevel.WithoutConfigFile(), highlevel.WithAWSConfig(aws.Config{}))
		var ce *highlevel.ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%s: want a *ConfigError, got %v", c.field, err)
			continue
		}
		contains(t, err, c.field+": ", c.rule)
	}
}

// A local input is uploaded; the job runs (simulated here: the image is
// not run).
func TestEstimatorFit(t *testing.T) {
	data := tree(t, map[string]string{"a.csv": "1\n"})
	e, err := newEstimator(t, estimatorConfig())
	if err != nil {
		t.Fatal(err)
	}
	job, err := e.Fit(context.Background(), highlevel.Single(data))
	if err != nil {
		t.Fatal(err)
	}
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Errorf("status %s", job.TrainingJobStatus)
	}
	ch := job.InputDataConfig[0]
	if ch.ChannelName != "training" || !strings.HasSuffix(ch.DataSource.S3DataSource.S3Uri, "/input/training/") {
		t.Errorf("channel %+v %s", ch, ch.DataSource.S3DataSource.S3Uri)
	}
}

func TestFrameworkEstimators(t *testing.T) {
	ep := local(t, false)
	src := tree(t, map[string]string{"train.py": ""})
	base := func(it shapes.TrainingInstanceType) highlevel.FrameworkConfig {
		c := highlevel.FrameworkConfig{EstimatorConfig: estimatorConfig()}
		c.AlgorithmSpecification = nil
		c.ResourceConfig.InstanceType = it
		c.EntryPoint, c.SourceDir = "train.py", src
		return c
	}
	for _, c := range []struct {
		name string
		new  func(context.Context, highlevel.FrameworkConfig, ...highlevel.Option) (*highlevel.Estimator, error)
		mod  func(*highlevel.FrameworkConfig)
		want string
	}{
		{"pytorch gpu", highlevel.NewPyTorch, func(c *highlevel.FrameworkConfig) {
			c.FrameworkVersion, c.PyVersion, c.ResourceConfig.InstanceType = "2.8", "py312", shapes.TrainingInstanceTypeMlG5Xlarge
		}, "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.8-gpu-py312"},
		{"pytorch cpu", highlevel.NewPyTorch, func(c *highlevel.FrameworkConfig) { c.FrameworkVersion, c.PyVersion = "2.8.0", "py312" },
			"763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.8.0-cpu-py312"},
		{"xgboost", highlevel.NewXGBoost, func(c *highlevel.FrameworkConfig) { c.FrameworkVersion = "1.7-1" },
			"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"},
		{"explicit image", highlevel.NewPyTorch, func(c *highlevel.FrameworkConfig) {
			c.AlgorithmSpecification = &shapes.AlgorithmSpecification{TrainingImage: "my/image:1"}
		}, "my/image:1"},
	} {
		cfg := base(shapes.TrainingInstanceTypeMlM5Xlarge)
		c.mod(&cfg)
		e, err := c.new(context.Background(), cfg, algoOpts(ep)...)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		dr, err := e.DryRun(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := dr.Request.AlgorithmSpecification.TrainingImage; got != c.want {
			t.Errorf("%s: image %s, want %s", c.name, got, c.want)
		}
	}
	// Bad choices name the field and list what is valid.
	cfg := base(shapes.TrainingInstanceTypeMlM5Xlarge)
	cfg.FrameworkVersion, cfg.PyVersion = "0.1", "py312"
	_, err := highlevel.NewPyTorch(context.Background(), cfg, algoOpts(ep)...)
	contains(t, err, "FrameworkVersion: ", "2.8.0")
	cfg = base(shapes.TrainingInstanceTypeMlG5Xlarge)
	cfg.FrameworkVersion, cfg.ResourceConfig.InstanceCount = "1.2-1", aws.Int32(2)
	_, err = highlevel.NewSKLearn(context.Background(), cfg, algoOpts(ep)...)
	contains(t, err, "ResourceConfig.InstanceCount: scikit-learn trains on one instance", "ResourceConfig.InstanceType: ml.g5.xlarge")
	cfg = base(shapes.TrainingInstanceTypeMlM5Xlarge)
	cfg.EntryPoint = ""
	_, err = highlevel.NewHuggingFace(context.Background(), cfg, algoOpts(ep)...)
	contains(t, err, "EntryPoint: is required", "FrameworkVersion: is required", "PyVersion: is required", "PyTorchVersion: is required")
}

func TestBuiltinAlgorithm(t *testing.T) {
	ep := local(t, false)
	cfg := estimatorConfig()
	cfg.AlgorithmSpecification = nil
	cfg.HyperParameters = map[string]any{"k": 10, "feature_dim": 784}
	e, err := highlevel.NewBuiltinAlgorithm(context.Background(), "kmeans", "", cfg, algoOpts(ep)...)
	if err != nil {
		t.Fatal(err)
	}
	dr, err := e.DryRun(context.Background(), highlevel.Single("s3://d/train/"))
	if err != nil {
		t.Fatal(err)
	}
	if got := dr.Request.AlgorithmSpecification.TrainingImage; got != "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1" {
		t.Errorf("image %s", got)
	}
	if dr.Request.HyperParameters["k"] != "10" || dr.JobName != "kmeans-2026-12-02-10-30-00-000" {
		t.Errorf("request %v %s", dr.Request.HyperParameters, dr.JobName)
	}
	_, err = highlevel.NewBuiltinAlgorithm(context.Background(), "kmeans", "", func() highlevel.EstimatorConfig {
		c := estimatorConfig()
		c.AlgorithmSpecification = nil
		return c
	}(), append(algoOpts(ep), highlevel.WithAWSConfig(func() aws.Config { c := ep.Config; c.Region = "xx-nowhere-1"; return c }()))...)
	contains(t, err, "algorithm: ", "us-east-1")
}

// Script mode end to end in process mode: the local endpoint recognises
// the classic job and runs its program with the decoded hyperparameters.
func TestEstimatorScriptModeRuns(t *testing.T) {
	ep := local(t, true)
	src := tree(t, map[string]string{"train.py": `import json, os, sys
import smcore_testdep
open(os.path.join(os.environ["SM_MODEL_DIR"], "args.json"), "w").write(json.dumps({"args": sys.argv[1:], "hp": os.environ["SM_HP_OPTIMIZER"], "dep": smcore_testdep.VALUE}))
print("loss=0.5")
`})
	// A requirement installed offline: a local wheel, no index.
	whl := wheel(t, src, "smcore_testdep", "VALUE = 'installed'\n")
	os.WriteFile(filepath.Join(src, "requirements.txt"), []byte("--no-index\n./"+whl+"\n"), 0o644)
	data := tree(t, map[string]string{"a.csv": "1\n"})
	cfg := estimatorConfig()
	cfg.EntryPoint, cfg.SourceDir = "train.py", src
	cfg.HyperParameters = map[string]any{"optimizer": "adam", "epochs": 3}
	e, err := highlevel.NewEstimator(context.Background(), cfg, algoOpts(ep)...)
	if err != nil {
		t.Fatal(err)
	}
	job, err := e.Fit(context.Background(), highlevel.Single(data))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := e.DownloadModel(context.Background(), job, dir); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "args.json"))
	if want := `{"args": ["--epochs", "3", "--optimizer", "adam"], "hp": "adam", "dep": "installed"}`; string(b) != want {
		t.Errorf("the program saw %s, want %s", b, want)
	}
}

// An AlgorithmEstimator's job runs locally through the endpoint's image →
// command table.
func TestAlgorithmEstimatorRunsLocally(t *testing.T) {
	ep := local(t, true, emulator.WithImageCommands(map[string][]string{
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/algo:1": {"/bin/sh", "-c", `echo "lr=$SM_HP_LR" > "$SM_MODEL_DIR/out.txt"; echo "running $1"`, "sh"},
	}))
	algorithm(t, ep, "my-algo")
	cfg := algoConfig(map[string]any{"lr": 0.5})
	cfg.InputData[0].DataSource = tree(t, map[string]string{"a.csv": "1\n"}) // a local folder, uploaded
	e, err := highlevel.NewAlgorithmEstimator(context.Background(), cfg, algoOpts(ep)...)
	if err != nil {
		t.Fatal(err)
	}
	job, err := e.Fit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := e.DownloadModel(context.Background(), job, dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "out.txt")); string(b) != "lr=0.5\n" {
		t.Errorf("the algorithm's command wrote %q", b)
	}
}
