package emulator_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	sdktypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/internal/testenv"
)

// endpoint is a local endpoint on a data directory that a test can stop
// and start again.
type endpoint struct {
	srv *httptest.Server
	api *sagemaker.Client
}

func startOn(t *testing.T, dir string, clock *manualClock) *endpoint {
	t.Helper()
	emu := emulator.New(emulator.WithDataDir(dir), emulator.WithSimulation(),
		emulator.WithStepTime(time.Minute), emulator.WithClock(clock.Now))
	srv := httptest.NewServer(emu)
	t.Cleanup(func() { srv.Close(); emu.Close() })
	return &endpoint{srv, sagemaker.NewFromConfig(testenv.Config(srv.URL))}
}

func mustDescribe(t *testing.T, api *sagemaker.Client, name string) *sagemaker.DescribeTrainingJobOutput {
	t.Helper()
	out, err := api.DescribeTrainingJob(context.Background(), &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String(name)})
	if err != nil {
		t.Fatalf("describe %s: %v", name, err)
	}
	return out
}

func tagKeys(t *testing.T, api *sagemaker.Client, arn string) string {
	t.Helper()
	out, err := api.ListTags(context.Background(), &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("tags of %s: %v", arn, err)
	}
	var keys []string
	for _, tg := range out.Tags {
		keys = append(keys, *tg.Key+"="+*tg.Value)
	}
	return strings.Join(keys, ",")
}

func createModel(ctx context.Context, api *sagemaker.Client, name string) (string, error) {
	out, err := api.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String(name), ExecutionRoleArn: aws.String(role),
		PrimaryContainer: &sdktypes.ContainerDefinition{Image: aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:1")},
		Tags:             []sdktypes.Tag{{Key: aws.String("team"), Value: aws.String("ml")}}})
	if err != nil {
		return "", err
	}
	return *out.ModelArn, nil
}

func TestDurableStateSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	clock := &manualClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	ctx := context.Background()
	ep := startOn(t, dir, clock)
	api := ep.api
	for _, name := range []string{"done", "running", "stopping"} {
		if _, err := api.CreateTrainingJob(ctx, trainingRequest(name).ToSDK()); err != nil {
			t.Fatal(err)
		}
		if name == "done" {
			clock.Add(time.Hour)
			if st := mustDescribe(t, api, "done").TrainingJobStatus; st != sdktypes.TrainingJobStatusCompleted {
				t.Fatalf("done: %s", st)
			}
		}
	}
	if _, err := api.StopTrainingJob(ctx, &sagemaker.StopTrainingJobInput{TrainingJobName: aws.String("stopping")}); err != nil {
		t.Fatal(err)
	}
	modelARN, err := createModel(ctx, api, "m")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: aws.String(modelARN),
		Tags: []sdktypes.Tag{{Key: aws.String("stage"), Value: aws.String("dev")}, {Key: aws.String("owner"), Value: aws.String("me")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.DeleteTags(ctx, &sagemaker.DeleteTagsInput{ResourceArn: aws.String(modelARN), TagKeys: []string{"owner"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := createModel(ctx, api, "gone"); err != nil {
		t.Fatal(err)
	}
	if _, err := api.DeleteModel(ctx, &sagemaker.DeleteModelInput{ModelName: aws.String("gone")}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateEndpointConfig(ctx, &sagemaker.CreateEndpointConfigInput{EndpointConfigName: aws.String("cfg"),
		ProductionVariants: []sdktypes.ProductionVariant{{VariantName: aws.String("v"), ModelName: aws.String("m"),
			InstanceType: sdktypes.ProductionVariantInstanceTypeMlM5Large, InitialInstanceCount: aws.Int32(1)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateEndpoint(ctx, &sagemaker.CreateEndpointInput{EndpointName: aws.String("creating"), EndpointConfigName: aws.String("cfg")}); err != nil {
		t.Fatal(err)
	}
	before := mustDescribe(t, api, "done")

	ep.srv.Close()
	api = startOn(t, dir, clock).api

	after := mustDescribe(t, api, "done")
	if after.TrainingJobStatus != sdktypes.TrainingJobStatusCompleted || len(after.SecondaryStatusTransitions) != 5 ||
		!after.CreationTime.Equal(*before.CreationTime) || *after.TrainingJobArn != *before.TrainingJobArn ||
		*after.ResourceConfig.VolumeSizeInGB != 10 || *after.StoppingCondition.MaxRuntimeInSeconds != 3600 {
		t.Fatalf("a completed job comes back as it was:\nbefore %+v\nafter  %+v", before, after)
	}
	running := mustDescribe(t, api, "running")
	if running.TrainingJobStatus != sdktypes.TrainingJobStatusFailed || running.SecondaryStatus != sdktypes.SecondaryStatusFailed ||
		!strings.Contains(aws.ToString(running.FailureReason), "restarted while this job was running") {
		t.Fatalf("a running job ends Failed saying why: %s %s %q", running.TrainingJobStatus, running.SecondaryStatus, aws.ToString(running.FailureReason))
	}
	if st := mustDescribe(t, api, "stopping").TrainingJobStatus; st != sdktypes.TrainingJobStatusStopping {
		t.Fatalf("stopping: %s", st)
	}
	if got := tagKeys(t, api, modelARN); got != "team=ml,stage=dev" {
		t.Fatalf("model tags %q", got)
	}
	if _, err := api.DescribeModel(ctx, &sagemaker.DescribeModelInput{ModelName: aws.String("gone")}); err == nil {
		t.Fatal("a deleted model stays deleted")
	}
	e, err := api.DescribeEndpoint(ctx, &sagemaker.DescribeEndpointInput{EndpointName: aws.String("creating")})
	if err != nil || e.EndpointStatus != sdktypes.EndpointStatusCreating {
		t.Fatalf("endpoint %v %v", e, err)
	}
	jobs, err := api.ListTrainingJobs(ctx, &sagemaker.ListTrainingJobsInput{SortBy: sdktypes.SortByName, SortOrder: sdktypes.SortOrderAscending})
	if err != nil || len(jobs.TrainingJobSummaries) != 3 || *jobs.TrainingJobSummaries[0].TrainingJobName != "done" {
		t.Fatalf("list %+v %v", jobs, err)
	}
	if _, err := api.CreateTrainingJob(ctx, trainingRequest("done").ToSDK()); err == nil || !strings.Contains(err.Error(), "ResourceInUse") {
		t.Fatalf("a stored job's name is taken: %v", err)
	}

	// Transitions under way go on after the restart.
	clock.Add(time.Hour)
	if st := mustDescribe(t, api, "stopping").TrainingJobStatus; st != sdktypes.TrainingJobStatusStopped {
		t.Fatalf("the stop goes on: %s", st)
	}
	e, err = api.DescribeEndpoint(ctx, &sagemaker.DescribeEndpointInput{EndpointName: aws.String("creating")})
	if err != nil || e.EndpointStatus != sdktypes.EndpointStatusInService {
		t.Fatalf("endpoint %v %v", e, err)
	}

	// And a third start sees what the second one did.
	api = startOn(t, dir, clock).api
	if st := mustDescribe(t, api, "stopping").TrainingJobStatus; st != sdktypes.TrainingJobStatusStopped {
		t.Fatalf("stopped: %s", st)
	}
	running2 := mustDescribe(t, api, "running")
	if running2.TrainingJobStatus != sdktypes.TrainingJobStatusFailed || !running2.LastModifiedTime.Equal(*running.LastModifiedTime) {
		t.Fatalf("the failed job is stored as failed: %s %v %v", running2.TrainingJobStatus, running2.LastModifiedTime, running.LastModifiedTime)
	}
}

// TestDurableWriteFailureChangesNothing makes the data directory
// unwritable: every change answers InternalFailure and is undone, in
// memory and on disk.
func TestDurableWriteFailureChangesNothing(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "data")
	clock := &manualClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	ctx := context.Background()
	api := startOn(t, dir, clock).api
	if _, err := api.CreateTrainingJob(ctx, trainingRequest("kept").ToSDK()); err != nil {
		t.Fatal(err)
	}
	modelARN, err := createModel(ctx, api, "m")
	if err != nil {
		t.Fatal(err)
	}
	// Writing the state now fails (the directory is gone) — with or
	// without root privileges.
	if err := os.Rename(dir, filepath.Join(base, "aside")); err != nil {
		t.Fatal(err)
	}
	internal := func(what string, err error) {
		t.Helper()
		if code, status := apiError(err); code != "InternalFailure" || status != 500 {
			t.Fatalf("%s: want InternalFailure 500, got %v", what, err)
		}
	}
	_, err = api.CreateTrainingJob(ctx, trainingRequest("lost").ToSDK())
	internal("create", err)
	_, err = api.StopTrainingJob(ctx, &sagemaker.StopTrainingJobInput{TrainingJobName: aws.String("kept")})
	internal("stop", err)
	_, err = api.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: aws.String(modelARN), Tags: []sdktypes.Tag{{Key: aws.String("team"), Value: aws.String("other")}, {Key: aws.String("x"), Value: aws.String("y")}}})
	internal("add tags", err)
	_, err = api.DeleteTags(ctx, &sagemaker.DeleteTagsInput{ResourceArn: aws.String(modelARN), TagKeys: []string{"team"}})
	internal("delete tags", err)
	_, err = api.DeleteModel(ctx, &sagemaker.DeleteModelInput{ModelName: aws.String("m")})
	internal("delete", err)

	check := func(api *sagemaker.Client, kept sdktypes.TrainingJobStatus) {
		t.Helper()
		if _, err := api.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String("lost")}); err == nil {
			t.Fatal("a create that answered 500 left a job behind")
		}
		if st := mustDescribe(t, api, "kept").TrainingJobStatus; st != kept {
			t.Fatalf("a stop that answered 500 changed the job: %s", st)
		}
		if got := tagKeys(t, api, modelARN); got != "team=ml" {
			t.Fatalf("tag changes that answered 500 stuck: %q", got)
		}
		jobs, err := api.ListTrainingJobs(ctx, &sagemaker.ListTrainingJobsInput{})
		if err != nil || len(jobs.TrainingJobSummaries) != 1 {
			t.Fatalf("list %+v %v", jobs, err)
		}
		if _, err := api.DescribeModel(ctx, &sagemaker.DescribeModelInput{ModelName: aws.String("m")}); err != nil {
			t.Fatalf("a delete that answered 500 removed the model: %v", err)
		}
	}
	check(api, sdktypes.TrainingJobStatusInProgress) // in memory
	// The same name can be created once the directory is back.
	if err := os.Rename(filepath.Join(base, "aside"), dir); err != nil {
		t.Fatal(err)
	}
	// On disk: the job was running when the endpoint stopped, not stopping.
	check(startOn(t, dir, clock).api, sdktypes.TrainingJobStatusFailed)
	if _, err := api.CreateTrainingJob(ctx, trainingRequest("lost").ToSDK()); err != nil {
		t.Fatalf("after the failure: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("the data directory holds only the state, got %v", entries)
	}
}

func TestDurableUnreadableStateIsNotOverwritten(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sagemaker-state.json")
	if err := os.WriteFile(file, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	clock := &manualClock{t: time.Now()}
	api := startOn(t, dir, clock).api
	_, err := api.CreateTrainingJob(context.Background(), trainingRequest("j").ToSDK())
	if code, status := apiError(err); code != "InternalFailure" || status != 500 || !strings.Contains(err.Error(), "sagemaker-state.json") {
		t.Fatalf("want InternalFailure naming the state file, got %v", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "{not json" {
		t.Fatalf("the state was overwritten: %q", b)
	}
}

// gate is an executor whose runs end when the test says so.
type gate struct {
	release map[string]chan struct{}
}

func (g *gate) CanRun(*emulator.TrainingRun) bool { return true }

func (g *gate) Run(ctx context.Context, run *emulator.TrainingRun, log func(string)) error {
	log("training " + run.Name)
	select {
	case <-g.release[run.Name]:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TestDurableExecutorOutcome checks the changes an executor makes in the
// background: once a Describe has answered Completed, a restart still
// says Completed; a job its executor was still running comes back Failed.
func TestDurableExecutorOutcome(t *testing.T) {
	dir := t.TempDir()
	g := &gate{release: map[string]chan struct{}{"finishes": make(chan struct{}), "interrupted": make(chan struct{})}}
	ctx := context.Background()
	emu := emulator.New(emulator.WithDataDir(dir), emulator.WithExecutor(g))
	srv := httptest.NewServer(emu)
	t.Cleanup(func() { srv.Close(); emu.Close() })
	api := sagemaker.NewFromConfig(testenv.Config(srv.URL))
	for _, name := range []string{"finishes", "interrupted"} {
		if _, err := api.CreateTrainingJob(ctx, trainingRequest(name).ToSDK()); err != nil {
			t.Fatal(err)
		}
	}
	close(g.release["finishes"])
	var done *sagemaker.DescribeTrainingJobOutput
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		done = mustDescribe(t, api, "finishes")
		if done.TrainingJobStatus != sdktypes.TrainingJobStatusInProgress || time.Now().After(deadline) {
			break
		}
	}
	if done.TrainingJobStatus != sdktypes.TrainingJobStatusCompleted {
		t.Fatalf("finishes: %s %q", done.TrainingJobStatus, aws.ToString(done.FailureReason))
	}
	srv.Close()
	emu.Close() // stops "interrupted", which stays as it was: running

	api = startOn(t, dir, &manualClock{t: time.Now()}).api
	after := mustDescribe(t, api, "finishes")
	if after.TrainingJobStatus != sdktypes.TrainingJobStatusCompleted || aws.ToString(after.ModelArtifacts.S3ModelArtifacts) != aws.ToString(done.ModelArtifacts.S3ModelArtifacts) {
		t.Fatalf("what a client saw must survive the restart: %s %q", after.TrainingJobStatus, aws.ToString(after.ModelArtifacts.S3ModelArtifacts))
	}
	// So must the job's model and its log lines.
	ep := startOn(t, dir, &manualClock{t: time.Now()})
	artifact := aws.ToString(after.ModelArtifacts.S3ModelArtifacts)
	bucket, key, _ := strings.Cut(strings.TrimPrefix(artifact, "s3://"), "/")
	obj, err := svcS3(testenv.Config(ep.srv.URL)).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("the model %s after the restart: %v", artifact, err)
	}
	obj.Body.Close()
	logs, err := cloudwatchlogs.NewFromConfig(testenv.Config(ep.srv.URL)).FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{
		LogGroupName: aws.String("/aws/sagemaker/TrainingJobs"), LogStreamNamePrefix: aws.String("finishes/")})
	if err != nil || len(logs.Events) == 0 || !strings.Contains(aws.ToString(logs.Events[0].Message), "training finishes") {
		t.Fatalf("the job's log lines after the restart: %+v %v", logs, err)
	}
	if st := mustDescribe(t, api, "interrupted"); st.TrainingJobStatus != sdktypes.TrainingJobStatusFailed ||
		!strings.Contains(aws.ToString(st.FailureReason), "restarted") {
		t.Fatalf("interrupted: %s %q", st.TrainingJobStatus, aws.ToString(st.FailureReason))
	}
}

// TestCloseStopsRunningJobs: Close ends the runs of executors and waits
// for them, leaving their jobs as they were; a job created afterwards
// fails at once, saying why.
func TestCloseStopsRunningJobs(t *testing.T) {
	g := &gate{release: map[string]chan struct{}{"running": make(chan struct{})}}
	emu := emulator.New(emulator.WithExecutor(g))
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	api := sagemaker.NewFromConfig(testenv.Config(srv.URL))
	ctx := context.Background()
	if _, err := api.CreateTrainingJob(ctx, trainingRequest("running").ToSDK()); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error)
	go func() { closed <- emu.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not stop the running job")
	}
	if st := mustDescribe(t, api, "running"); st.TrainingJobStatus != sdktypes.TrainingJobStatusInProgress {
		t.Fatalf("Close changed the job: %s %q", st.TrainingJobStatus, aws.ToString(st.FailureReason))
	}
	if _, err := api.CreateTrainingJob(ctx, trainingRequest("late").ToSDK()); err != nil {
		t.Fatal(err)
	}
	if st := mustDescribe(t, api, "late"); st.TrainingJobStatus != sdktypes.TrainingJobStatusFailed || !strings.Contains(aws.ToString(st.FailureReason), "shutting down") {
		t.Fatalf("a job created after Close: %s %q", st.TrainingJobStatus, aws.ToString(st.FailureReason))
	}
	if err := emu.Close(); err != nil {
		t.Fatal(err)
	}
}
