package highlevel_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/highlevel"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

// A training script run by a ModelTrainer against the local endpoint
// (started in-process here; against AWS, leave out WithAWSConfig and the
// standard configuration is used).
func ExampleModelTrainer() {
	ctx := context.Background()
	ep, err := emulator.Start(ctx, emulator.WithExecutor(emulator.ProcessExecutor{}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ep.Stop(ctx)

	// The project: one script that writes its model.
	src, _ := os.MkdirTemp("", "example-src-")
	defer os.RemoveAll(src)
	os.WriteFile(filepath.Join(src, "train.sh"), []byte(`#!/bin/sh
echo "epochs=$SM_HP_EPOCHS"
echo "weights for $SM_HP_EPOCHS epochs" > "$SM_MODEL_DIR/model.txt"
`), 0o644)

	tr, err := highlevel.NewModelTrainer(ctx, highlevel.TrainerConfig{
		CreateTrainingJobInput: shapes.CreateTrainingJobInput{
			AlgorithmSpecification: &shapes.AlgorithmSpecification{TrainingImage: "my-registry/trainer:latest"},
			RoleArn:                "SageMakerRole",
		},
		SourceCode:      &highlevel.SourceCode{SourceDir: src, EntryScript: "train.sh"},
		HyperParameters: map[string]any{"epochs": 3},
	},
		highlevel.WithAWSConfig(ep.Config),
		highlevel.WithoutConfigFile(),
		highlevel.WithWaitOptions(waiters.WithDelays(100*time.Millisecond, time.Second)),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	job, err := tr.Train(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(job.TrainingJobStatus)

	dir, _ := os.MkdirTemp("", "example-model-")
	defer os.RemoveAll(dir)
	if err := tr.DownloadModel(ctx, job, dir); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(filepath.Join(dir, "model.txt"))
	fmt.Print(string(b))
	// Output:
	// Completed
	// weights for 3 epochs
}
