package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/smithy-go"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

const role = "arn:aws:iam::123456789012:role/SageMakerRole"

func fast() []waiters.Option {
	return []waiters.Option{waiters.WithDelays(5*time.Millisecond, 20*time.Millisecond)}
}

func trainingRequest(name string) *shapes.CreateTrainingJobInput {
	return &shapes.CreateTrainingJobInput{
		TrainingJobName: name,
		RoleArn:         role,
		AlgorithmSpecification: &shapes.AlgorithmSpecification{
			TrainingImage: "123456789012.dkr.ecr.us-east-1.amazonaws.com/algo:1", TrainingInputMode: shapes.TrainingInputModeFile,
		},
		ResourceConfig:    &shapes.ResourceConfig{InstanceType: shapes.TrainingInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(1), VolumeSizeInGB: aws.Int32(10)},
		OutputDataConfig:  &shapes.OutputDataConfig{S3OutputPath: "s3://bucket/output"},
		StoppingCondition: &shapes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(3600)},
		Tags:              []shapes.Tag{{Key: "team", Value: "ml"}},
	}
}

func TestTrainingJobWithoutExecutorFailsSayingWhy(t *testing.T) {
	ep := emulatortest.Start(t)
	c := resources.NewFromConfig(ep.Config)
	ctx := context.Background()
	job, err := c.CreateTrainingJob(ctx, trainingRequest("j1"))
	if err != nil {
		t.Fatal(err)
	}
	err = job.Wait(ctx, fast()...)
	var fe *waiters.FailedError
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, "no executor") {
		t.Fatalf("want a failure naming the missing executor, got %v", err)
	}
}

func TestSimulatedTrainingJobLifecycle(t *testing.T) {
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithStepTime(5*time.Millisecond))
	c := resources.NewFromConfig(ep.Config)
	ctx := context.Background()
	job, err := c.CreateTrainingJob(ctx, trainingRequest("j1"))
	if err != nil {
		t.Fatal(err)
	}
	if job.TrainingJobStatus != shapes.TrainingJobStatusInProgress || job.ResourceARN() != "arn:aws:sagemaker:us-east-1:123456789012:training-job/j1" {
		t.Fatalf("status %s arn %s", job.TrainingJobStatus, job.ResourceARN())
	}
	var secondaries []string
	err = job.Wait(ctx, append(fast(), waiters.WithProgress(func(e waiters.Event) {
		if e.Err == nil {
			secondaries = append(secondaries, e.SecondaryStatus)
		}
	}))...)
	if err != nil {
		t.Fatal(err)
	}
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted || len(job.SecondaryStatusTransitions) != 5 {
		t.Fatalf("status %s transitions %d", job.TrainingJobStatus, len(job.SecondaryStatusTransitions))
	}
	if m := job.SecondaryStatusTransitions[4].StatusMessage; !strings.Contains(m, "Simulated") {
		t.Fatalf("a simulated job must say so: %q", m)
	}
	if _, err := c.CreateTrainingJob(ctx, trainingRequest("j1")); err == nil || !strings.Contains(err.Error(), "ResourceInUse") {
		t.Fatalf("duplicate: %v", err)
	}
	var tags []*shapes.Tag
	for tag, err := range c.ListTags(ctx, &shapes.ListTagsInput{ResourceArn: job.ResourceARN()}) {
		if err != nil {
			t.Fatal(err)
		}
		tags = append(tags, tag)
	}
	if len(tags) != 1 { // team; no creation token unless WithCreationToken
		t.Fatalf("tags %v", tags)
	}
}

func TestStopAndNotFound(t *testing.T) {
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithStepTime(time.Hour))
	c := resources.NewFromConfig(ep.Config)
	ctx := context.Background()
	job, err := c.CreateTrainingJob(ctx, trainingRequest("j2"))
	if err != nil {
		t.Fatal(err)
	}
	if err := job.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	job.Refresh(ctx)
	if job.TrainingJobStatus != shapes.TrainingJobStatusStopping {
		t.Fatalf("status %s", job.TrainingJobStatus)
	}
	_, err = c.GetTrainingJob(ctx, "nope")
	var ae smithy.APIError
	if !errors.Is(err, resources.ErrNotFound) || !errors.As(err, &ae) || ae.ErrorCode() != "ValidationException" {
		t.Fatalf("not found in the service's form: %v", err)
	}
}

func TestValidationLikeTheService(t *testing.T) {
	ep := emulatortest.Start(t)
	api := sagemaker.NewFromConfig(ep.Config)
	in := trainingRequest("bad_name!").ToSDK()
	in.ResourceConfig.InstanceType = "ml.imaginary.huge"
	in.ResourceConfig.InstanceCount = aws.Int32(-2)
	_, err := api.CreateTrainingJob(context.Background(), in)
	var ae smithy.APIError
	msg := ""
	if errors.As(err, &ae) {
		msg = ae.ErrorMessage()
	}
	if ae == nil || ae.ErrorCode() != "ValidationException" || !strings.Contains(msg, "TrainingJobName: must match") ||
		!strings.Contains(msg, "ResourceConfig.InstanceType: must be one of") || !strings.Contains(msg, "InstanceCount: must be >= 0, got -2") {
		t.Fatalf("want a strict validation error, got %v", err)
	}
}

func TestListFiltersAndPaging(t *testing.T) {
	ep := emulatortest.Start(t, emulator.WithSimulation())
	c := resources.NewFromConfig(ep.Config)
	ctx := context.Background()
	for i := range 7 {
		if _, err := c.CreateTrainingJob(ctx, trainingRequest(fmt.Sprintf("job-%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for s, err := range c.ListTrainingJobs(ctx, &shapes.ListTrainingJobsInput{SortBy: shapes.SortByName, SortOrder: shapes.SortOrderAscending, MaxResults: aws.Int32(3)}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, s.TrainingJobName)
	}
	if strings.Join(names, ",") != "job-0,job-1,job-2,job-3,job-4,job-5,job-6" {
		t.Fatalf("names %v", names)
	}
	n := 0
	for _, err := range c.ListTrainingJobs(ctx, &shapes.ListTrainingJobsInput{NameContains: "job-3"}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Fatalf("NameContains matched %d", n)
	}
	for _, err := range c.ListTrainingJobs(ctx, &shapes.ListTrainingJobsInput{WarmPoolStatusEquals: shapes.WarmPoolResourceStatusAvailable}) {
		if err == nil || !strings.Contains(err.Error(), "does not support the filter WarmPoolStatusEquals") {
			t.Fatalf("an unsupported filter must be an error, got %v", err)
		}
		break
	}
}

// TestListScopedByCreateMember: a list scoped by a member of the create
// request (the executions of one pipeline) lists only what was created
// with that value.
func TestListScopedByCreateMember(t *testing.T) {
	ep := emulatortest.Start(t, emulator.WithSimulation())
	api := sagemaker.NewFromConfig(ep.Config)
	ctx := context.Background()
	for i, p := range []string{"pipe-a", "pipe-b", "pipe-a"} {
		if _, err := api.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String(p),
			ClientRequestToken: aws.String(fmt.Sprintf("token-%d-0123456789abcdef0123456789", i))}); err != nil {
			t.Fatal(err)
		}
	}
	for p, want := range map[string]int{"pipe-a": 2, "pipe-b": 1, "pipe-c": 0} {
		out, err := api.ListPipelineExecutions(ctx, &sagemaker.ListPipelineExecutionsInput{PipelineName: aws.String(p)})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.PipelineExecutionSummaries) != want {
			t.Errorf("%s: %d executions, want %d", p, len(out.PipelineExecutionSummaries), want)
		}
	}
}

func TestEndpointLifecycle(t *testing.T) {
	ep := emulatortest.Start(t, emulator.WithStepTime(5*time.Millisecond))
	c := resources.NewFromConfig(ep.Config)
	ctx := context.Background()
	if _, err := c.CreateModel(ctx, &shapes.CreateModelInput{ModelName: "m", ExecutionRoleArn: role,
		PrimaryContainer: &shapes.ContainerDefinition{Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:1"}}); err != nil {
		t.Fatal(err)
	}
	cfg, err := c.CreateEndpointConfig(ctx, &shapes.CreateEndpointConfigInput{EndpointConfigName: "cfg",
		ProductionVariants: []shapes.ProductionVariant{{VariantName: "v", ModelName: "m", InstanceType: shapes.ProductionVariantInstanceTypeMlM5Large, InitialInstanceCount: aws.Int32(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := c.CreateEndpoint(ctx, &shapes.CreateEndpointInput{EndpointName: "ep", EndpointConfigName: cfg.ResourceName()})
	if err != nil {
		t.Fatal(err)
	}
	if e.EndpointStatus != shapes.EndpointStatusCreating {
		t.Fatalf("status %s", e.EndpointStatus)
	}
	if err := e.WaitUntilInService(ctx, fast()...); err != nil {
		t.Fatal(err)
	}
	if err := e.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.WaitForDelete(ctx, fast()...); err != nil {
		t.Fatal(err)
	}
}

func TestSignatureIsVerified(t *testing.T) {
	ep := emulatortest.Start(t)
	for _, creds := range []aws.Credentials{{AccessKeyID: "test", SecretAccessKey: "wrong"}, {AccessKeyID: "other", SecretAccessKey: "test"}} {
		cfg := ep.Config.Copy()
		cfg.Credentials = credentials.StaticCredentialsProvider{Value: creds}
		_, err := sagemaker.NewFromConfig(cfg).ListTrainingJobs(context.Background(), &sagemaker.ListTrainingJobsInput{})
		var re interface{ HTTPStatusCode() int }
		if !errors.As(err, &re) || re.HTTPStatusCode() != 403 {
			t.Fatalf("%v: want 403, got %v", creds.AccessKeyID, err)
		}
	}
	resp, err := http.Post(ep.URL, "application/x-amz-json-1.1", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != 403 || resp.Header.Get("X-Amzn-ErrorType") != "MissingAuthenticationTokenException" {
		t.Fatalf("unsigned: %v %v", resp, err)
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func TestEndpointDescribesItsConfigsVariants(t *testing.T) {
	ep := emulatortest.Start(t)
	c := resources.NewFromConfig(ep.Config)
	ctx := context.Background()
	if _, err := c.CreateEndpoint(ctx, &shapes.CreateEndpointInput{EndpointName: "e", EndpointConfigName: "missing"}); err == nil || !strings.Contains(err.Error(), "Could not find endpoint configuration") {
		t.Fatalf("a missing config must be refused: %v", err)
	}
	if _, err := c.CreateEndpointConfig(ctx, &shapes.CreateEndpointConfigInput{EndpointConfigName: "cfg",
		ProductionVariants: []shapes.ProductionVariant{{VariantName: "v1", ModelName: "m", InstanceType: shapes.ProductionVariantInstanceTypeMlM5Large, InitialInstanceCount: aws.Int32(2)}}}); err != nil {
		t.Fatal(err)
	}
	e, err := c.CreateEndpoint(ctx, &shapes.CreateEndpointInput{EndpointName: "e", EndpointConfigName: "cfg"})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.ProductionVariants) != 1 || e.ProductionVariants[0].VariantName != "v1" || *e.ProductionVariants[0].CurrentInstanceCount != 2 {
		t.Fatalf("variants: %+v", e.ProductionVariants)
	}
}
