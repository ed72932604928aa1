package emulator_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
)

func modelRequest(name string) *shapes.CreateModelInput {
	return &shapes.CreateModelInput{ModelName: name, ExecutionRoleArn: role,
		PrimaryContainer: &shapes.ContainerDefinition{Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/algo:1"}}
}

// Two resources never share an ARN: ARNs lower-case the name, so a name
// that differs from an existing one only in case is refused; a kind whose
// names are case-sensitive (Model) is found by its exact name only, one
// whose names are not (Experiment, overrides.json caseInsensitiveNames) in
// any case, keeping the case it was created with.
func TestNamesNeverShareAnARN(t *testing.T) {
	ep := emulatortest.Start(t)
	c := resources.NewFromConfig(ep.Config)
	ctx := context.Background()
	m, err := c.CreateModel(ctx, modelRequest("CaseModel"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateModel(ctx, modelRequest("casemodel")); err == nil || !strings.Contains(err.Error(), "ResourceInUse") {
		t.Fatalf("a second model whose name differs only in case: %v", err)
	}
	if _, err := c.GetModel(ctx, "casemodel"); !errors.Is(err, resources.ErrNotFound) {
		t.Fatalf("model names are case-sensitive: %v", err)
	}
	if got, err := c.GetModel(ctx, "CaseModel"); err != nil || got.ModelName != "CaseModel" || got.ModelArn != m.ModelArn {
		t.Fatalf("describe: %v %+v", err, got)
	}
	if _, err := c.CreateExperiment(ctx, &shapes.CreateExperimentInput{ExperimentName: "MyExp"}); err != nil {
		t.Fatal(err)
	}
	e, err := c.GetExperiment(ctx, "myexp")
	if err != nil || e.ExperimentName != "MyExp" {
		t.Fatalf("experiment names are case-insensitive: %v %+v", err, e)
	}
}

// UpdateTrainingJob's ResourceConfig is a ResourceConfigForUpdate: it
// changes KeepAlivePeriodInSeconds and leaves the rest of the stored
// ResourceConfig as it was.
func TestUpdateChangesOnlyWhatItsShapeHolds(t *testing.T) {
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithStepTime(time.Hour))
	c := resources.NewFromConfig(ep.Config)
	ctx := context.Background()
	job, err := c.CreateTrainingJob(ctx, trainingRequest("keep-alive"))
	if err != nil {
		t.Fatal(err)
	}
	if err := job.Update(ctx, &shapes.UpdateTrainingJobInput{ResourceConfig: &shapes.ResourceConfigForUpdate{KeepAlivePeriodInSeconds: aws.Int32(60)}}); err != nil {
		t.Fatal(err)
	}
	rc := job.ResourceConfig
	if rc == nil || rc.InstanceType != shapes.TrainingInstanceTypeMlM5Xlarge || aws.ToInt32(rc.InstanceCount) != 1 || aws.ToInt32(rc.KeepAlivePeriodInSeconds) != 60 {
		t.Fatalf("ResourceConfig after the update: %s", shapes.Format(rc))
	}
}

// finishingExecutor ends its run successfully as soon as it is stopped:
// the run finishes between the Stop's answer and the cancel taking effect.
type finishingExecutor struct{ started chan struct{} }

func (finishingExecutor) CanRun(*emulator.TrainingRun) bool { return true }

func (e finishingExecutor) Run(ctx context.Context, _ *emulator.TrainingRun, _ func(string)) error {
	close(e.started)
	<-ctx.Done()
	return nil
}

// A StopTrainingJob answered 200 ends Stopped, never Completed; a stop of a
// job that has ended is refused.
func TestStopAnsweredEndsStopped(t *testing.T) {
	ex := finishingExecutor{started: make(chan struct{})}
	ep := emulatortest.Start(t, emulator.WithExecutor(ex))
	c := resources.NewFromConfig(ep.Config, resources.WithWaitOptions(fast()...))
	ctx := context.Background()
	job, err := c.CreateTrainingJob(ctx, trainingRequest("stop-race"))
	if err != nil {
		t.Fatal(err)
	}
	<-ex.started
	if err := job.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := job.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if job.TrainingJobStatus != shapes.TrainingJobStatusStopped {
		t.Fatalf("status after an acknowledged stop: %s (%s)", job.TrainingJobStatus, job.SecondaryStatus)
	}
	if err := job.Stop(ctx); err == nil || !strings.Contains(err.Error(), "ValidationException") {
		t.Fatalf("stopping a job that has ended: %v", err)
	}
}

// A resource's ARN carries the region and partition its create was signed
// for.
func TestSageMakerARNsCarryTheRequestsRegion(t *testing.T) {
	ep := emulatortest.Start(t)
	for region, prefix := range map[string]string{
		"us-west-2":     "arn:aws:sagemaker:us-west-2:",
		"cn-north-1":    "arn:aws-cn:sagemaker:cn-north-1:",
		"us-gov-west-1": "arn:aws-us-gov:sagemaker:us-gov-west-1:",
	} {
		cfg := ep.Config.Copy()
		cfg.Region = region
		c := resources.NewFromConfig(cfg)
		m, err := c.CreateModel(context.Background(), modelRequest("m-"+region))
		if err != nil {
			t.Fatalf("%s: %v", region, err)
		}
		if !strings.HasPrefix(m.ModelArn, prefix) {
			t.Fatalf("%s: ARN %s", region, m.ModelArn)
		}
	}
}

// SageMaker state is per region: a resource created in us-west-2 is not
// seen from eu-west-1, where the same name can be created again, and its
// tags are not reachable from another region either.
func TestSageMakerStateIsPerRegion(t *testing.T) {
	ep := emulatortest.Start(t)
	ctx := context.Background()
	in := func(region string) *resources.Client {
		cfg := ep.Config.Copy()
		cfg.Region = region
		return resources.NewFromConfig(cfg)
	}
	west, eu := in("us-west-2"), in("eu-west-1")
	m, err := west.CreateModel(ctx, modelRequest("shared-name"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eu.GetModel(ctx, "shared-name"); !errors.Is(err, resources.ErrNotFound) {
		t.Fatalf("a us-west-2 model seen from eu-west-1: %v", err)
	}
	for s, err := range eu.ListModels(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		t.Fatalf("eu-west-1 lists %s", s.ModelName)
	}
	m2, err := eu.CreateModel(ctx, modelRequest("shared-name"))
	if err != nil {
		t.Fatalf("the same name in another region: %v", err)
	}
	if m.ModelArn == m2.ModelArn {
		t.Fatalf("one ARN for two regions: %s", m.ModelArn)
	}
	for _, err := range eu.ListTags(ctx, &shapes.ListTagsInput{ResourceArn: m.ModelArn}) {
		if err == nil || !strings.Contains(err.Error(), "ValidationException") {
			t.Fatalf("tags of another region's resource: %v", err)
		}
		break
	}
	n := 0
	for _, err := range west.ListModels(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Fatalf("us-west-2 lists %d models", n)
	}
}
