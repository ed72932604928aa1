// Command trainingjob creates a training job with package resources, waits
// for it with progress logging, and lists jobs — against the local
// endpoint started in-process, so it needs no AWS account:
//
//	go run ./examples/trainingjob
//
// Against AWS, build cfg with config.LoadDefaultConfig instead.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "trainingjob:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	// A local endpoint that completes jobs as simulated (no executor runs them).
	ep, err := emulator.Start(ctx, emulator.WithSimulation(), emulator.WithStepTime(200*time.Millisecond))
	if err != nil {
		return err
	}
	defer ep.Stop(context.Background())
	cfg := ep.Config // against AWS: config.LoadDefaultConfig(ctx)
	logger := slog.New(slog.NewTextHandler(os.Stdout, nil))
	// Every wait of this client polls fast and logs its progress.
	c := resources.NewFromConfig(cfg, resources.WithWaitOptions(waiters.WithDelays(100*time.Millisecond, time.Second), waiters.WithLogger(logger)))

	job, err := c.CreateTrainingJob(ctx, &shapes.CreateTrainingJobInput{
		TrainingJobName: "example-job",
		RoleArn:         "arn:aws:iam::123456789012:role/SageMakerRole",
		AlgorithmSpecification: &shapes.AlgorithmSpecification{
			TrainingImage:     "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
			TrainingInputMode: shapes.TrainingInputModeFile,
		},
		ResourceConfig: &shapes.ResourceConfig{
			InstanceType: shapes.TrainingInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(1), VolumeSizeInGB: aws.Int32(30),
		},
		OutputDataConfig:  &shapes.OutputDataConfig{S3OutputPath: "s3://example-bucket/output"},
		StoppingCondition: &shapes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(3600)},
		HyperParameters:   map[string]string{"num_round": "10"},
	})
	if err != nil {
		return err
	}
	fmt.Println("created", job.ResourceARN())

	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := job.Wait(ctx); err != nil {
		return err
	}
	fmt.Println("final status:", job.TrainingJobStatus)
	for s, err := range c.ListTrainingJobs(ctx, nil) {
		if err != nil {
			return err
		}
		fmt.Printf("listed %s %s\n", s.TrainingJobName, s.TrainingJobStatus)
	}
	return nil
}
