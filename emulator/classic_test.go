package emulator_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/shapes"
)

// classicTrainPy is a classic script-mode entry point: it parses its
// hyperparameters as the framework examples do, uses the package its
// requirements.txt installed, and writes its model.
const classicTrainPy = `import argparse, json, os, sys
import smcore_classic_utils

p = argparse.ArgumentParser()
p.add_argument("--optimizer")
p.add_argument("--epochs", type=int)
args = p.parse_args()
print("argv", sys.argv[1:], flush=True)
with open(os.path.join(os.environ["SM_MODEL_DIR"], "model.json"), "w") as f:
    json.dump({
        "optimizer": args.optimizer, "epochs": args.epochs, "argv": sys.argv[1:],
        "SM_HP_OPTIMIZER": os.environ["SM_HP_OPTIMIZER"], "SM_HPS": json.loads(os.environ["SM_HPS"]),
        "SM_USER_ENTRY_POINT": os.environ["SM_USER_ENTRY_POINT"], "SM_MODULE_DIR": os.environ["SM_MODULE_DIR"],
        "helper": smcore_classic_utils.answer(), "venv": sys.prefix != sys.base_prefix,
    }, f, sort_keys=True)
`

// classicWheel is a pure-Python wheel (a zip with its metadata), so that
// pip installs it with no index and builds nothing.
func classicWheel(t *testing.T) (name string, body []byte) {
	t.Helper()
	const pkg, version = "smcore_classic_utils", "0.1.0"
	info := pkg + "-" + version + ".dist-info"
	files := [][2]string{
		{pkg + "/__init__.py", "def answer():\n    return 42\n"},
		{info + "/METADATA", "Metadata-Version: 2.1\nName: smcore-classic-utils\nVersion: " + version + "\n"},
		{info + "/WHEEL", "Wheel-Version: 1.0\nGenerator: smcore-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var record strings.Builder
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f[1]))
		sum := sha256.Sum256([]byte(f[1]))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", f[0], base64.RawURLEncoding.EncodeToString(sum[:]), len(f[1]))
	}
	fmt.Fprintf(&record, "%s/RECORD,,\n", info)
	w, err := zw.Create(info + "/RECORD")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(record.String()))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return pkg + "-" + version + "-py3-none-any.whl", buf.Bytes()
}

// targz packs files (name → body) as sourcedir.tar.gz holds a source
// folder's top level.
func targz(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(body)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	gz.Close()
	return buf.Bytes()
}

// classicJob is a job as the classic SDK's PyTorch estimator sends it: a
// framework image, no entrypoint, every hyperparameter JSON-encoded.
func classicJob(name, submit string, hps map[string]string) *shapes.CreateTrainingJobInput {
	req := shJob(name, "", nil, 300)
	req.AlgorithmSpecification.ContainerEntrypoint = nil
	req.AlgorithmSpecification.MetricDefinitions = nil
	req.AlgorithmSpecification.TrainingImage = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.8.0-cpu-py312"
	req.HyperParameters = map[string]string{
		"sagemaker_submit_directory":    `"` + submit + `"`,
		"sagemaker_program":             `"train.py"`,
		"sagemaker_container_log_level": "20",
		"sagemaker_job_name":            `"` + name + `"`,
		"sagemaker_region":              `"us-east-1"`,
	}
	for k, v := range hps {
		req.HyperParameters[k] = v
	}
	return req
}

// A classic script-mode job runs end to end in process mode: its source
// from the endpoint's S3, its requirements (a local wheel, offline) in
// the job's virtual environment, its program with the decoded
// hyperparameters, its model packed.
func TestClassicScriptModeJob(t *testing.T) {
	python(t)
	ep, c := startProc(t)
	ctx := context.Background()
	s3c := s3.NewFromConfig(ep.Config, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("code")}); err != nil {
		t.Fatal(err)
	}
	wheel, body := classicWheel(t)
	src := targz(t, map[string][]byte{
		"train.py":         []byte(classicTrainPy),
		"requirements.txt": []byte("./" + wheel + "\n"),
		wheel:              body,
	})
	const submit = "s3://code/classic-1/source/sourcedir.tar.gz"
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("code"), Key: aws.String("classic-1/source/sourcedir.tar.gz"), Body: bytes.NewReader(src)}); err != nil {
		t.Fatal(err)
	}
	req := classicJob("classic-1", submit, map[string]string{"optimizer": `"adam"`, "epochs": "3"})
	req.Environment = map[string]string{"PIP_NO_INDEX": "1"} // offline: the wheel is in the archive
	start := time.Now()
	job := runToEnd(t, c, req)
	t.Logf("the classic job ran in %v", time.Since(start))
	logs := strings.Join(jobLogs(t, ep.Config, "classic-1"), "\n")
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("%s: %s\n%s", job.TrainingJobStatus, job.FailureReason, logs)
	}
	for _, want := range []string{
		"smlocal: classic script-mode job: " + submit + " unpacked into ",
		"installing requirements.txt into ",
		"argv ['--epochs', '3', '--optimizer', 'adam']",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("the logs lack %q:\n%s", want, logs)
		}
	}
	model := modelFiles(t, ep, "classic-1")["model.json"]
	want := `{"SM_HPS": {"epochs": 3, "optimizer": "adam"}, "SM_HP_OPTIMIZER": "adam", "SM_MODULE_DIR": "` + submit + `", ` +
		`"SM_USER_ENTRY_POINT": "train.py", "argv": ["--epochs", "3", "--optimizer", "adam"], "epochs": 3, "helper": 42, "optimizer": "adam", "venv": true}`
	if model != want {
		t.Errorf("model.json:\n got %s\nwant %s", model, want)
	}
}

// A failing program, and a source that is not there, fail the job saying
// why.
func TestClassicScriptModeFailures(t *testing.T) {
	ep, c := startProc(t)
	ctx := context.Background()
	if err := ep.Server.EnsureBucket(ctx, "code"); err != nil {
		t.Fatal(err)
	}
	src := targz(t, map[string][]byte{"train.sh": []byte("echo 'ValueError: bad shape' >&2\nexit 2\n")})
	if err := ep.Server.PutObject(ctx, "code", "src.tar.gz", bytes.NewReader(src)); err != nil {
		t.Fatal(err)
	}
	req := classicJob("classic-fail", "s3://code/src.tar.gz", nil)
	req.HyperParameters["sagemaker_program"] = `"train.sh"`
	job := runToEnd(t, c, req)
	if job.TrainingJobStatus != shapes.TrainingJobStatusFailed ||
		!strings.HasPrefix(job.FailureReason, "AlgorithmError: the training script exited with status 2") ||
		!strings.Contains(job.FailureReason, "ValueError: bad shape") {
		t.Errorf("failing program: %s %q", job.TrainingJobStatus, job.FailureReason)
	}

	job = runToEnd(t, c, classicJob("classic-nosource", "s3://code/missing.tar.gz", nil))
	if job.TrainingJobStatus != shapes.TrainingJobStatusFailed ||
		!strings.Contains(job.FailureReason, `sagemaker_submit_directory "s3://code/missing.tar.gz"`) {
		t.Errorf("missing source: %s %q", job.TrainingJobStatus, job.FailureReason)
	}

	// An archive that reaches outside the code folder is refused.
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	tw.WriteHeader(&tar.Header{Name: "../../escape.py", Mode: 0o644, Typeflag: tar.TypeReg})
	tw.Close()
	gz.Close()
	if err := ep.Server.PutObject(ctx, "code", "evil.tar.gz", &buf); err != nil {
		t.Fatal(err)
	}
	job = runToEnd(t, c, classicJob("classic-evil", "s3://code/evil.tar.gz", nil))
	if job.TrainingJobStatus != shapes.TrainingJobStatusFailed || !strings.Contains(job.FailureReason, "refusing entry") {
		t.Errorf("unsafe archive: %s %q", job.TrainingJobStatus, job.FailureReason)
	}
}

// An algorithm resource whose image the table maps to a local command
// runs that command, with "train" as SageMaker runs an image.
func TestClassicImageCommandForAlgorithm(t *testing.T) {
	const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-algo:1.0"
	script := `echo "algo $1 epochs=$SM_HP_EPOCHS image-args=$#"; echo trained > "$SM_MODEL_DIR/algo.txt"`
	ep, c := startProc(t, emulator.WithImageCommands(map[string][]string{
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/my-algo:*": {"/bin/sh", "-c", script, "sh"},
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/*":         {"/bin/sh", "-c", "echo the shorter prefix ran; exit 1"},
	}))
	ctx := context.Background()
	_, err := c.CreateAlgorithm(ctx, &shapes.CreateAlgorithmInput{
		AlgorithmName: "my-algo",
		TrainingSpecification: &shapes.TrainingSpecification{
			TrainingImage:                  image,
			SupportedTrainingInstanceTypes: []shapes.TrainingInstanceType{shapes.TrainingInstanceTypeMlM5Xlarge},
			TrainingChannels: []shapes.ChannelSpecification{{Name: "train", SupportedContentTypes: []string{"text/csv"},
				SupportedInputModes: []shapes.TrainingInputMode{shapes.TrainingInputModeFile}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	req := shJob("algo-job", "", nil, 120)
	req.AlgorithmSpecification = &shapes.AlgorithmSpecification{AlgorithmName: "my-algo", TrainingInputMode: shapes.TrainingInputModeFile}
	req.HyperParameters = map[string]string{"epochs": "2"}
	job := runToEnd(t, c, req)
	logs := strings.Join(jobLogs(t, ep.Config, "algo-job"), "\n")
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("%s: %s\n%s", job.TrainingJobStatus, job.FailureReason, logs)
	}
	if !strings.Contains(logs, "algo train epochs=2 image-args=1") {
		t.Errorf("logs:\n%s", logs)
	}
	if got := modelFiles(t, ep, "algo-job")["algo.txt"]; got != "trained\n" {
		t.Errorf("algo.txt: %q", got)
	}

	// The table's command also stands for an image named directly, with
	// the job's ContainerArguments instead of "train".
	req = shJob("image-job", "", nil, 120)
	req.AlgorithmSpecification.ContainerEntrypoint = nil
	req.AlgorithmSpecification.TrainingImage = image
	req.AlgorithmSpecification.ContainerArguments = []string{"fit", "--fast"}
	job = runToEnd(t, c, req)
	if logs := strings.Join(jobLogs(t, ep.Config, "image-job"), "\n"); job.TrainingJobStatus != shapes.TrainingJobStatusCompleted ||
		!strings.Contains(logs, "algo fit epochs= image-args=2") {
		t.Errorf("%s %q:\n%s", job.TrainingJobStatus, job.FailureReason, logs)
	}
}

// A job that process mode cannot run fails saying what it lacks and what
// would run it; with simulation it completes as simulated, as before.
func TestClassicUnrunnableJobSaysWhy(t *testing.T) {
	_, c := startProc(t)
	req := shJob("builtin", "", nil, 60)
	req.AlgorithmSpecification.ContainerEntrypoint = nil
	req.AlgorithmSpecification.TrainingImage = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
	req.HyperParameters = map[string]string{"num_round": "10"}
	job := runToEnd(t, c, req)
	if job.TrainingJobStatus != shapes.TrainingJobStatusFailed {
		t.Fatalf("status %s", job.TrainingJobStatus)
	}
	for _, want := range []string{"ClientError: no executor", "no ContainerEntrypoint", "not a classic script-mode job",
		`"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"`, "emulator.WithImageCommands", "Docker mode", "emulator.WithSimulation"} {
		if !strings.Contains(job.FailureReason, want) {
			t.Errorf("the reason lacks %q: %s", want, job.FailureReason)
		}
	}

	req = shJob("unknown-algo", "", nil, 60)
	req.AlgorithmSpecification = &shapes.AlgorithmSpecification{AlgorithmName: "nope", TrainingInputMode: shapes.TrainingInputModeFile}
	if job := runToEnd(t, c, req); !strings.Contains(job.FailureReason, `its algorithm "nope" is not one the endpoint has`) {
		t.Errorf("unknown algorithm: %q", job.FailureReason)
	}

	_, c = startProc(t, emulator.WithSimulation(), emulator.WithStepTime(5*time.Millisecond))
	req = shJob("builtin-sim", "", nil, 60)
	req.AlgorithmSpecification.ContainerEntrypoint = nil
	if job := runToEnd(t, c, req); job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Errorf("simulated: %s %q", job.TrainingJobStatus, job.FailureReason)
	}
}
