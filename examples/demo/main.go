// Command demo is `make demo`: a real training job, end to end, on the
// local SageMaker endpoint started in-process. No AWS account is needed.
//
// It writes a small project (a logistic-regression script in plain Python
// and a local package it requires, built here as a wheel so that pip
// installs it offline), generates its data, and runs it with
// highlevel.ModelTrainer: the inputs are uploaded to the endpoint's S3,
// the job runs smcore's driver as a host process (the endpoint's process
// executor), the logs stream here, the metrics are captured from them, and
// the model is downloaded and checked.
//
// It needs Linux (or macOS) with python3 and its venv module.
package main

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/highlevel"
	"github.com/smcore-go/smcore/logtail"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

//go:embed project
var project embed.FS

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	if _, err := exec.LookPath("python3"); err != nil {
		return errors.New("the demo's training script needs python3 on PATH (Debian: apt-get install python3 python3-venv)")
	}
	start := time.Now()
	work, err := os.MkdirTemp("", "smcore-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	// The local endpoint, with the process executor: jobs run for real.
	ep, err := emulator.Start(ctx, emulator.WithExecutor(emulator.ProcessExecutor{}),
		emulator.WithWorkDir(filepath.Join(work, "jobs")), emulator.WithJobEnv("PIP_*"))
	if err != nil {
		return err
	}
	defer ep.Stop(context.Background())
	fmt.Printf("local SageMaker endpoint at %s\n", ep.URL)

	src, data, err := writeProject(work)
	if err != nil {
		return err
	}
	test := dataset(rand.New(rand.NewPCG(2, 2)), 200)

	cfg := highlevel.TrainerConfig{
		CreateTrainingJobInput: shapes.CreateTrainingJobInput{
			AlgorithmSpecification: &shapes.AlgorithmSpecification{
				// The process executor runs the driver on this machine; on
				// SageMaker this would be an image with python3.
				TrainingImage: "local/python:3",
				MetricDefinitions: []shapes.MetricDefinition{
					{Name: "train:loss", Regex: `train_loss=([0-9.]+)`},
					{Name: "test:loss", Regex: `test_loss=([0-9.]+)`},
					{Name: "test:accuracy", Regex: `test_accuracy=([0-9.]+)`},
				},
			},
			RoleArn: "SageMakerRole", // a role name becomes the account's role ARN
		},
		BaseJobName: "smcore-demo",
		SourceCode:  &highlevel.SourceCode{SourceDir: src, EntryScript: "train.py", Requirements: "requirements.txt"},
		InputData: []highlevel.InputData{
			{ChannelName: "train", DataSource: filepath.Join(data, "train")},
			{ChannelName: "test", DataSource: filepath.Join(data, "test")},
		},
		HyperParameters: map[string]any{"epochs": 60, "learning-rate": 0.5},
	}
	tr, err := highlevel.NewModelTrainer(ctx, cfg,
		highlevel.WithAWSConfig(ep.Config),
		highlevel.WithoutConfigFile(), // the demo is the same on every machine
		highlevel.WithLogs(func(l logtail.Line) { fmt.Println("  |", l.Message) }),
		highlevel.WithLogOptions(logtail.WithDrainQuiet(500*time.Millisecond)),
		highlevel.WithWaitOptions(waiters.WithDelays(200*time.Millisecond, time.Second)),
		highlevel.WithProgress(func(p highlevel.Progress) {
			switch {
			case p.Stage == highlevel.StageUpload && p.Done:
				fmt.Printf("uploaded %-10s %d files to %s\n", p.Channel, p.Files, p.URI)
			case p.Stage == highlevel.StageCreate:
				fmt.Printf("creating training job %s\n", p.JobName)
			case p.Stage == highlevel.StageWait:
				fmt.Printf("[%5.1fs] %s / %s\n", p.Elapsed.Seconds(), p.Status, p.SecondaryStatus)
			}
		}),
		highlevel.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))),
	)
	if err != nil {
		return err
	}
	job, err := tr.Train(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("\ntraining job %s: %s\n", job.ResourceName(), job.TrainingJobStatus)
	fmt.Println("metrics:")
	for _, m := range job.FinalMetricDataList {
		fmt.Printf("  %-14s %v\n", m.MetricName, *m.Value)
	}
	fmt.Println("model artifacts:", job.ModelArtifacts.S3ModelArtifacts)

	dir := filepath.Join(work, "model")
	if err := tr.DownloadModel(ctx, job, dir); err != nil {
		return err
	}
	acc, err := check(filepath.Join(dir, "model.json"), test)
	if err != nil {
		return err
	}
	fmt.Printf("downloaded the model; its accuracy on fresh data, computed here in Go: %.3f\n", acc)
	if acc < 0.85 {
		return fmt.Errorf("the model's accuracy %.3f is below 0.85", acc)
	}
	fmt.Printf("done in %.1fs\n", time.Since(start).Seconds())
	return nil
}

type row struct {
	x1, x2 float64
	y      int
}

// dataset draws two Gaussian clouds, label 1 around (1, 1) and 0 around
// (-1, -1).
func dataset(r *rand.Rand, n int) []row {
	rows := make([]row, n)
	for i := range rows {
		y := i % 2
		c := float64(2*y - 1)
		rows[i] = row{c + r.NormFloat64()*0.8, c + r.NormFloat64()*0.8, y}
	}
	return rows
}

func writeCSV(path string, rows []row) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	for _, r := range rows {
		fmt.Fprintf(f, "%.5f,%.5f,%d\n", r.x1, r.x2, r.y)
	}
	return f.Close()
}

// writeProject writes the training project (with the wheel of its local
// requirement) and its data, returning their folders.
func writeProject(work string) (src, data string, err error) {
	src = filepath.Join(work, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", "", err
	}
	script, err := project.ReadFile("project/train.py")
	if err != nil {
		return "", "", err
	}
	if err := os.WriteFile(filepath.Join(src, "train.py"), script, 0o644); err != nil {
		return "", "", err
	}
	wheel, err := buildWheel(src)
	if err != nil {
		return "", "", err
	}
	// --no-index: pip installs the local wheel and never asks an index.
	req := "--no-index\n./" + wheel + "\n"
	if err := os.WriteFile(filepath.Join(src, "requirements.txt"), []byte(req), 0o644); err != nil {
		return "", "", err
	}
	data = filepath.Join(work, "data")
	r := rand.New(rand.NewPCG(1, 1))
	if err := writeCSV(filepath.Join(data, "train", "part-0.csv"), dataset(r, 300)); err != nil {
		return "", "", err
	}
	if err := writeCSV(filepath.Join(data, "train", "part-1.csv"), dataset(r, 300)); err != nil {
		return "", "", err
	}
	if err := writeCSV(filepath.Join(data, "test", "test.csv"), dataset(r, 200)); err != nil {
		return "", "", err
	}
	return src, data, nil
}

// check scores the trained model on rows.
func check(path string, rows []row) (float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("the model has no model.json: %w", err)
	}
	var m struct {
		Weights []float64 `json:"weights"`
		Bias    float64   `json:"bias"`
	}
	if err := json.Unmarshal(b, &m); err != nil || len(m.Weights) != 2 {
		return 0, fmt.Errorf("model.json is not a model: %s", b)
	}
	right := 0
	for _, r := range rows {
		p := 1 / (1 + math.Exp(-(m.Weights[0]*r.x1 + m.Weights[1]*r.x2 + m.Bias)))
		if (p >= 0.5) == (r.y == 1) {
			right++
		}
	}
	return float64(right) / float64(len(rows)), nil
}
