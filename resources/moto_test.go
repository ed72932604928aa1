package resources_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/smcore-go/smcore/internal/testenv"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

const role = "arn:aws:iam::123456789012:role/SageMakerRole"

func trainingRequest(name string) *shapes.CreateTrainingJobInput {
	return &shapes.CreateTrainingJobInput{
		TrainingJobName: name,
		RoleArn:         role,
		AlgorithmSpecification: &shapes.AlgorithmSpecification{
			TrainingImage:     "123456789012.dkr.ecr.us-east-1.amazonaws.com/algo:1",
			TrainingInputMode: shapes.TrainingInputModeFile,
		},
		ResourceConfig: &shapes.ResourceConfig{
			InstanceType: shapes.TrainingInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(1), VolumeSizeInGB: aws.Int32(10),
		},
		OutputDataConfig:  &shapes.OutputDataConfig{S3OutputPath: "s3://bucket/output"},
		StoppingCondition: &shapes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(3600)},
		HyperParameters:   map[string]string{"epochs": "0", "flag": ""},
	}
}

func fastWait() []waiters.Option {
	return []waiters.Option{waiters.WithDelays(10*time.Millisecond, 50*time.Millisecond)}
}

func TestTrainingJobLifecycleAgainstMoto(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := resources.NewFromConfig(testenv.Moto(t))

	job, err := c.CreateTrainingJob(ctx, trainingRequest("job-a"))
	if err != nil {
		t.Fatal(err)
	}
	if job.TrainingJobName != "job-a" || job.ResourceName() != "job-a" || job.ResourceARN() == "" {
		t.Fatalf("described fields: name %q arn %q", job.TrainingJobName, job.ResourceARN())
	}
	// Zero values survive the trip: "0" and "" hyperparameters.
	if job.HyperParameters["epochs"] != "0" {
		t.Errorf("hyperparameters: %v", job.HyperParameters)
	}
	got, err := c.GetTrainingJob(ctx, "job-a")
	if err != nil || got.ResourceARN() != job.ResourceARN() {
		t.Fatalf("get: %v", err)
	}
	if err := job.Wait(ctx, fastWait()...); err != nil {
		t.Fatalf("wait: %v (status %s)", err, job.TrainingJobStatus)
	}

	for i := range 4 {
		if _, err := c.CreateTrainingJob(ctx, trainingRequest(fmt.Sprintf("job-b%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for s, err := range c.ListTrainingJobs(ctx, &shapes.ListTrainingJobsInput{MaxResults: aws.Int32(2)}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, s.TrainingJobName)
	}
	if len(names) != 5 {
		t.Fatalf("listed %v, want 5 jobs across pages", names)
	}
	n := 0
	for _, err := range c.ListTrainingJobs(ctx, &shapes.ListTrainingJobsInput{MaxResults: aws.Int32(2)}, resources.WithLimit(3)) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 {
		t.Fatalf("limit 3 gave %d", n)
	}
	for s, err := range c.ListTrainingJobs(ctx, &shapes.ListTrainingJobsInput{NameContains: "job-a"}) {
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.TrainingJobFromSummary(ctx, s)
		if err != nil || r.TrainingJobName != "job-a" {
			t.Fatalf("from summary: %v", err)
		}
	}

	_, err = c.GetTrainingJob(ctx, "no-such-job")
	if !errors.Is(err, resources.ErrNotFound) {
		t.Fatalf("missing job: want ErrNotFound, got %v", err)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationException" {
		t.Fatalf("the service error must stay in the chain: %v", err)
	}
}

func TestCreateValidatesBeforeCalling(t *testing.T) {
	c := resources.NewFromConfig(testenv.Config("http://127.0.0.1:1")) // nothing listens: a call would fail differently
	req := trainingRequest("bad")
	req.ResourceConfig.InstanceCount = aws.Int32(-1)
	_, err := c.CreateTrainingJob(context.Background(), req)
	var ve *shapes.ValidationError
	if !errors.As(err, &ve) || ve.Violations[0].Path != "CreateTrainingJobInput.ResourceConfig.InstanceCount" {
		t.Fatalf("want a validation error, got %v", err)
	}
}

func TestModelAndEndpointAgainstMoto(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := resources.NewFromConfig(testenv.Moto(t))
	m, err := c.CreateModel(ctx, &shapes.CreateModelInput{
		ModelName:        "m1",
		ExecutionRoleArn: role,
		PrimaryContainer: &shapes.ContainerDefinition{Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := c.CreateEndpointConfig(ctx, &shapes.CreateEndpointConfigInput{
		EndpointConfigName: "cfg1",
		ProductionVariants: []shapes.ProductionVariant{{VariantName: "v1", ModelName: "m1", InstanceType: shapes.ProductionVariantInstanceTypeMlM5Large, InitialInstanceCount: aws.Int32(1)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := c.CreateEndpoint(ctx, &shapes.CreateEndpointInput{EndpointName: "ep1", EndpointConfigName: cfg.ResourceName()})
	if err != nil {
		t.Fatal(err)
	}
	if err := ep.WaitForStatus(ctx, shapes.EndpointStatusInService, fastWait()...); err != nil {
		t.Fatalf("wait in service: %v", err)
	}
	if err := ep.WaitUntilInService(ctx, fastWait()...); err != nil {
		t.Fatalf("model waiter: %v", err)
	}
	if err := ep.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ep.WaitForDelete(ctx, fastWait()...); err != nil {
		t.Fatalf("wait for delete: %v", err)
	}
	if err := m.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Refresh(ctx); !errors.Is(err, resources.ErrNotFound) {
		t.Fatalf("deleted model: want ErrNotFound, got %v", err)
	}
}

func TestExperimentsAgainstMoto(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := resources.NewFromConfig(testenv.Moto(t))
	for _, n := range []string{"exp-1", "exp-2", "exp-3"} {
		if _, err := c.CreateExperiment(ctx, &shapes.CreateExperimentInput{ExperimentName: n}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for s, err := range c.ListExperiments(ctx, &shapes.ListExperimentsInput{MaxResults: aws.Int32(1)}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, s.ExperimentName)
	}
	if len(got) != 3 {
		t.Fatalf("listed %v", got)
	}
	e, err := c.GetExperiment(ctx, "exp-2")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	// moto 5.2.1 answers DescribeExperiment of a missing experiment with an
	// HTML 500 page, so the deletion is checked through the list.
	left := 0
	for s, err := range c.ListExperiments(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if s.ExperimentName == "exp-2" {
			t.Fatal("deleted experiment still listed")
		}
		left++
	}
	if left != 2 {
		t.Fatalf("%d experiments left, want 2", left)
	}
}
