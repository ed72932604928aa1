package resources_test

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

func summaries(names ...string) string {
	var parts []string
	for _, n := range names {
		parts = append(parts, `{"TrainingJobName":"`+n+`","TrainingJobArn":"arn:`+n+`","CreationTime":1,"TrainingJobStatus":"Completed"}`)
	}
	return strings.Join(parts, ",")
}

// A list starts at the request's NextToken, pages with its MaxResults, and
// reports each page's tokens so that it can be resumed.
func TestListStartsAtRequestTokenAndReportsPages(t *testing.T) {
	s, c := newScript(t, map[string][]reply{"ListTrainingJobs": {
		{200, `{"TrainingJobSummaries":[` + summaries("c", "d") + `],"NextToken":"t3"}`},
		{200, `{"TrainingJobSummaries":[` + summaries("e") + `]}`},
	}})
	var pages []resources.Page
	var names []string
	for j, err := range c.ListTrainingJobs(context.Background(), &shapes.ListTrainingJobsInput{NextToken: "t2", MaxResults: aws.Int32(2)},
		resources.OnPage(func(p resources.Page) { pages = append(pages, p) })) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, j.TrainingJobName)
	}
	if strings.Join(names, ",") != "c,d,e" {
		t.Fatalf("names %v", names)
	}
	b := s.bodies["ListTrainingJobs"]
	if len(b) != 2 || b[0]["NextToken"] != "t2" || b[0]["MaxResults"] != 2.0 || b[1]["NextToken"] != "t3" || b[1]["MaxResults"] != 2.0 {
		t.Fatalf("requests %v", b)
	}
	want := []resources.Page{{Token: "t2", Next: "t3", Items: 2}, {Token: "t3", Items: 1}}
	if !reflect.DeepEqual(pages, want) {
		t.Fatalf("pages %+v, want %+v", pages, want)
	}
}

// Operations of a resource that have a paginator follow every page too
// (HyperParameterTuningJob.ListTrainingJobs used to return one page), with
// the resource's identifiers filled in.
func TestResourceListsFollowEveryPage(t *testing.T) {
	s, c := newScript(t, map[string][]reply{
		"DescribeHyperParameterTuningJob": {{200, `{"HyperParameterTuningJobName":"hp","HyperParameterTuningJobArn":"arn:hp","HyperParameterTuningJobStatus":"InProgress","CreationTime":1,
			"HyperParameterTuningJobConfig":{"Strategy":"Bayesian","ResourceLimits":{"MaxParallelTrainingJobs":1}},"TrainingJobStatusCounters":{},"ObjectiveStatusCounters":{}}`}},
		"ListTrainingJobsForHyperParameterTuningJob": {
			{200, `{"TrainingJobSummaries":[{"TrainingJobName":"a","TrainingJobArn":"arn:a","CreationTime":1,"TrainingJobStatus":"Completed","TunedHyperParameters":{}}],"NextToken":"p2"}`},
			{200, `{"TrainingJobSummaries":[{"TrainingJobName":"b","TrainingJobArn":"arn:b","CreationTime":1,"TrainingJobStatus":"Completed","TunedHyperParameters":{}}]}`},
		},
	})
	ctx := context.Background()
	hp, err := c.GetHyperParameterTuningJob(ctx, "hp")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range hp.ListTrainingJobs(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	b := s.bodies["ListTrainingJobsForHyperParameterTuningJob"]
	if n != 2 || len(b) != 2 || b[0]["HyperParameterTuningJobName"] != "hp" || b[1]["NextToken"] != "p2" {
		t.Fatalf("%d items, requests %v", n, b)
	}
}

// A present number is range-checked even when it is zero, before anything
// is sent.
func TestZeroIsRangeChecked(t *testing.T) {
	s, c := newScript(t, map[string][]reply{})
	ctx := context.Background()
	var ve *shapes.ValidationError
	for _, err := range c.ListTrainingJobs(ctx, &shapes.ListTrainingJobsInput{MaxResults: aws.Int32(0)}) {
		if !errors.As(err, &ve) || ve.Violations[0].Path != "ListTrainingJobsInput.MaxResults" || ve.Violations[0].Rule != "range" {
			t.Fatalf("MaxResults 0: %v", err)
		}
	}
	req := trainingRequest("j")
	req.StoppingCondition = &shapes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(0)}
	if _, err := c.CreateTrainingJob(ctx, req); !errors.As(err, &ve) || !strings.Contains(err.Error(), "StoppingCondition.MaxRuntimeInSeconds: must be >= 1, got 0") {
		t.Fatalf("MaxRuntimeInSeconds 0: %v", err)
	}
	if len(s.bodies) != 0 {
		t.Fatalf("invalid requests were sent: %v", s.bodies)
	}
}

// Patterns are checked with WithStrictValidation; without it the service
// decides. Enums are checked only with WithStrictEnums.
func TestStrictValidationOption(t *testing.T) {
	req := trainingRequest("bad name!")
	s, c := newScript(t, map[string][]reply{"CreateTrainingJob": {{400, `{"__type":"ValidationException","message":"bad name"}`}}})
	if _, err := c.CreateTrainingJob(context.Background(), req); err == nil || s.calls["CreateTrainingJob"] != 1 {
		t.Fatalf("lenient client: %v, %d calls", err, s.calls["CreateTrainingJob"])
	}
	strict := resources.New(c.SageMaker(), resources.WithStrictValidation())
	var ve *shapes.ValidationError
	if _, err := strict.CreateTrainingJob(context.Background(), req); !errors.As(err, &ve) || ve.Violations[0].Rule != "pattern" ||
		ve.Violations[0].Path != "CreateTrainingJobInput.TrainingJobName" {
		t.Fatalf("strict client: %v", err)
	}
	odd := trainingRequest("j")
	odd.ResourceConfig.InstanceType = "ml.future.xlarge"
	enums := resources.New(c.SageMaker(), resources.WithStrictValidation(), resources.WithStrictEnums())
	if _, err := enums.CreateTrainingJob(context.Background(), odd); !errors.As(err, &ve) || ve.Violations[0].Rule != "enum" {
		t.Fatalf("strict enums: %v", err)
	}
	if s.calls["CreateTrainingJob"] != 1 {
		t.Fatalf("a strict client sent an invalid request: %d calls", s.calls["CreateTrainingJob"])
	}
}

// Get<R>With keeps the optional Describe members, so Refresh and waits
// describe the same version; Gets take parents first, enums typed.
func TestGetWithKeepsSelectorsAndParentsComeFirst(t *testing.T) {
	s, c := newScript(t, map[string][]reply{
		"DescribeImageVersion": {{200, `{"ImageArn":"arn:i","ImageVersionArn":"arn:i/3","ImageVersionStatus":"CREATED","Version":3,"BaseImage":"b","CreationTime":1,"LastModifiedTime":1}`}},
		"DescribeDevice":       {{200, `{"DeviceName":"dev","DeviceFleetName":"fleet","RegistrationTime":1}`}},
		"DescribeApp":          {{200, `{"AppName":"default","AppType":"JupyterServer","DomainId":"d-1","SpaceName":"sp","Status":"InService"}`}},
	})
	ctx := context.Background()
	iv, err := c.GetImageVersionWith(ctx, &shapes.DescribeImageVersionInput{ImageName: "img", Version: aws.Int32(3)})
	if err != nil {
		t.Fatal(err)
	}
	if err := iv.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for i, b := range s.bodies["DescribeImageVersion"] {
		if b["ImageName"] != "img" || b["Version"] != 3.0 {
			t.Fatalf("describe %d: %v", i, b)
		}
	}
	if _, err := c.GetDevice(ctx, "fleet", "dev"); err != nil {
		t.Fatal(err)
	}
	if b := s.bodies["DescribeDevice"][0]; b["DeviceFleetName"] != "fleet" || b["DeviceName"] != "dev" {
		t.Fatalf("device: %v", b)
	}
	app, err := c.GetAppWith(ctx, &shapes.DescribeAppInput{DomainId: "d-1", AppType: shapes.AppTypeJupyterServer, AppName: "default", SpaceName: "sp"})
	if err != nil {
		t.Fatal(err)
	}
	if b := s.bodies["DescribeApp"][0]; b["SpaceName"] != "sp" || b["AppType"] != "JupyterServer" || app.ResourceName() != "default" {
		t.Fatalf("app: %v", b)
	}
	if _, err := c.GetApp(ctx, "d-1", shapes.AppTypeJupyterServer, "default"); err != nil {
		t.Fatal(err)
	}
}

// Create defaults fill only unset members, deep, without touching the
// caller's request; explicit values win.
func TestCreateDefaultsFillOnlyUnsetMembers(t *testing.T) {
	s, c0 := newScript(t, map[string][]reply{
		"CreateTrainingJob":   {{200, `{"TrainingJobArn":"arn:j"}`}},
		"DescribeTrainingJob": {job("InProgress", "Starting", "")},
	})
	var logged strings.Builder
	c := resources.New(c0.SageMaker(), resources.WithLogger(slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		resources.WithCreateDefaults(
			resources.DefaultsFor(func(_ context.Context, in *shapes.CreateModelInput) (*shapes.CreateModelInput, error) {
				return nil, errors.New("never called for a training job")
			}),
			resources.DefaultsFor(func(_ context.Context, in *shapes.CreateTrainingJobInput) (*shapes.CreateTrainingJobInput, error) {
				return &shapes.CreateTrainingJobInput{
					RoleArn:                "arn:aws:iam::123456789012:role/default",
					EnableNetworkIsolation: aws.Bool(true),
					Environment:            map[string]string{"A": "default", "B": "default"},
					ResourceConfig:         &shapes.ResourceConfig{VolumeKmsKeyId: "kms-default", VolumeSizeInGB: aws.Int32(99)},
				}, nil
			})))
	req := trainingRequest("j")
	req.RoleArn = ""
	req.Environment = map[string]string{"A": "mine"}
	before := shapes.Format(req)
	if _, err := c.CreateTrainingJob(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if after := shapes.Format(req); after != before {
		t.Fatalf("the caller's request changed:\n%s\n%s", before, after)
	}
	b := s.bodies["CreateTrainingJob"][0]
	rc := b["ResourceConfig"].(map[string]any)
	env := b["Environment"].(map[string]any)
	if b["RoleArn"] != "arn:aws:iam::123456789012:role/default" || b["EnableNetworkIsolation"] != true ||
		env["A"] != "mine" || env["B"] != "default" || rc["VolumeKmsKeyId"] != "kms-default" || rc["VolumeSizeInGB"] != 10.0 {
		t.Fatalf("sent %v", b)
	}
	if !strings.Contains(logged.String(), "CreateTrainingJobInput.RoleArn") {
		t.Fatalf("applied defaults not logged: %s", logged.String())
	}
	failing := resources.New(c0.SageMaker(), resources.WithCreateDefaults(resources.DefaultsFor(
		func(context.Context, *shapes.CreateTrainingJobInput) (*shapes.CreateTrainingJobInput, error) {
			return nil, errors.New("config file broken")
		})))
	if _, err := failing.CreateTrainingJob(context.Background(), trainingRequest("j2")); err == nil || !strings.Contains(err.Error(), "config file broken") {
		t.Fatalf("a failing default must stop the create: %v", err)
	}
}

// A required member is sent even when empty: a Tag's Value "".
func TestRequiredEmptyMemberIsSent(t *testing.T) {
	s, c := newScript(t, map[string][]reply{"AddTags": {{200, `{"Tags":[]}`}}})
	if _, err := c.AddTags(context.Background(), &shapes.AddTagsInput{ResourceArn: "arn:x", Tags: []shapes.Tag{{Key: "k"}}}); err != nil {
		t.Fatal(err)
	}
	tags := s.bodies["AddTags"][0]["Tags"].([]any)
	if v, ok := tags[0].(map[string]any)["Value"]; !ok || v != "" {
		t.Fatalf("sent %v", tags)
	}
}

// Client-wide wait options come before a wait's own.
func TestClientWaitOptions(t *testing.T) {
	_, c0 := newScript(t, map[string][]reply{"DescribeTrainingJob": {job("InProgress", "Training", ""), job("Completed", "Completed", "")}})
	var events int
	c := resources.New(c0.SageMaker(), resources.WithWaitOptions(fast(waiters.WithProgress(func(waiters.Event) { events++ }))...))
	j, err := c.GetTrainingJob(context.Background(), "j")
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Wait(context.Background()); err != nil || events == 0 {
		t.Fatalf("wait: %v, %d events", err, events)
	}
}

// Every resource with a Delete can go through one generic clean-up.
func TestGenericCleanup(t *testing.T) {
	s, c := newScript(t, map[string][]reply{
		"DescribeModel":          {{200, `{"ModelName":"m","ModelArn":"arn:m","CreationTime":1}`}},
		"DescribeEndpointConfig": {{200, `{"EndpointConfigName":"e","EndpointConfigArn":"arn:e","ProductionVariants":[],"CreationTime":1}`}},
		"DeleteModel":            {{200, `{}`}},
		"DeleteEndpointConfig":   {{400, `{"__type":"ValidationException","message":"Could not find endpoint configuration \"e\"."}`}},
	})
	ctx := context.Background()
	m, _ := c.GetModel(ctx, "m")
	e, _ := c.GetEndpointConfig(ctx, "e")
	cleanup := func(rs ...resources.Deleter) error {
		var errs []error
		for _, r := range rs {
			if err := r.Delete(ctx); !errors.Is(err, resources.ErrNotFound) {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	}
	if err := cleanup(m, e); err != nil {
		t.Fatal(err)
	}
	if s.calls["DeleteModel"] != 1 || s.calls["DeleteEndpointConfig"] != 1 {
		t.Fatalf("calls %v", s.calls)
	}
	var ae smithy.APIError
	err := e.Delete(ctx)
	var re *resources.Error
	if !errors.As(err, &ae) || !errors.As(err, &re) || re.Code() != "ValidationException" || strings.Count(err.Error(), "DeleteEndpointConfig") != 1 {
		t.Fatalf("error %v", err)
	}
}

// The short verb forms work wherever the resource can fill the request:
// an idempotency token is left to the SDK (Pipeline.Delete), a required
// member comes from the description (HubContent.Delete's version), and
// selectors a create took are kept for the describe after it (CreateApp's
// SpaceName).
func TestShortFormsFillWhatTheResourceKnows(t *testing.T) {
	s, c := newScript(t, map[string][]reply{
		"DescribePipeline":   {{200, `{"PipelineName":"p","PipelineArn":"arn:p","PipelineStatus":"Active"}`}},
		"DeletePipeline":     {{200, `{"PipelineArn":"arn:p"}`}},
		"DescribeHubContent": {{200, `{"HubName":"h","HubArn":"arn:h","HubContentName":"hc","HubContentArn":"arn:hc","HubContentVersion":"2.0.0","HubContentType":"Model","DocumentSchemaVersion":"1","HubContentDocument":"{}","HubContentStatus":"Available","CreationTime":1}`}},
		"DeleteHubContent":   {{200, `{}`}},
		"CreateApp":          {{200, `{"AppArn":"arn:app"}`}},
		"DescribeApp":        {{200, `{"AppName":"a","AppType":"JupyterLab","DomainId":"d-1","SpaceName":"sp","Status":"InService"}`}},
	})
	ctx := context.Background()
	p, err := c.GetPipeline(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Delete(ctx); err != nil {
		t.Fatalf("Pipeline.Delete: %v", err)
	}
	if tok, _ := s.bodies["DeletePipeline"][0]["ClientRequestToken"].(string); tok == "" {
		t.Fatalf("the SDK must fill the idempotency token: %v", s.bodies["DeletePipeline"][0])
	}
	hc, err := c.GetHubContent(ctx, "h", shapes.HubContentTypeModel, "hc")
	if err != nil {
		t.Fatal(err)
	}
	if err := hc.Delete(ctx); err != nil {
		t.Fatalf("HubContent.Delete: %v", err)
	}
	if b := s.bodies["DeleteHubContent"][0]; b["HubContentVersion"] != "2.0.0" || b["HubName"] != "h" || b["HubContentType"] != "Model" {
		t.Fatalf("DeleteHubContent %v", b)
	}
	if _, err := c.CreateApp(ctx, &shapes.CreateAppInput{DomainId: "d-1", AppType: shapes.AppTypeJupyterLab, AppName: "a", SpaceName: "sp"}); err != nil {
		t.Fatal(err)
	}
	if b := s.bodies["DescribeApp"][0]; b["SpaceName"] != "sp" {
		t.Fatalf("the describe after CreateApp lost the space: %v", b)
	}
}

// Of a model waiter's error acceptors, the one for the resource's
// not-found form decides: ImageDeleted succeeds when the image is gone.
func TestModelWaiterNotFoundAcceptor(t *testing.T) {
	_, c := newScript(t, map[string][]reply{"DescribeImage": {
		{200, `{"ImageName":"i","ImageArn":"arn:i","ImageStatus":"DELETING","CreationTime":1,"LastModifiedTime":1}`},
		{400, `{"__type":"ResourceNotFound","message":"Image i does not exist"}`},
	}})
	ctx := context.Background()
	img, err := c.GetImage(ctx, "i")
	if err != nil {
		t.Fatal(err)
	}
	if err := img.WaitUntilDeleted(ctx, fast()...); err != nil {
		t.Fatalf("ImageDeleted: %v", err)
	}
}

// A union the request sets is not merged with a default's other member.
func TestCreateDefaultsKeepASetUnionWhole(t *testing.T) {
	s, c0 := newScript(t, map[string][]reply{
		"CreateAutoMLJobV2":   {{200, `{"AutoMLJobArn":"arn:a"}`}},
		"DescribeAutoMLJobV2": {{200, `{"AutoMLJobName":"a","AutoMLJobArn":"arn:a","AutoMLJobStatus":"InProgress","AutoMLJobSecondaryStatus":"Starting","RoleArn":"r","CreationTime":1,"LastModifiedTime":1,"AutoMLJobInputDataConfig":[],"OutputDataConfig":{"S3OutputPath":"s3://b/o"}}`}},
	})
	c := resources.New(c0.SageMaker(), resources.WithCreateDefaults(resources.DefaultsFor(
		func(context.Context, *shapes.CreateAutoMLJobV2Input) (*shapes.CreateAutoMLJobV2Input, error) {
			return &shapes.CreateAutoMLJobV2Input{AutoMLProblemTypeConfig: &shapes.AutoMLProblemTypeConfig{
				ImageClassificationJobConfig: &shapes.ImageClassificationJobConfig{}}}, nil
		})))
	in := &shapes.CreateAutoMLJobV2Input{
		AutoMLJobName: "a",
		RoleArn:       "arn:aws:iam::123456789012:role/r",
		AutoMLJobInputDataConfig: []shapes.AutoMLJobChannel{{ChannelType: shapes.AutoMLChannelTypeTraining,
			DataSource: &shapes.AutoMLDataSource{S3DataSource: &shapes.AutoMLS3DataSource{S3DataType: shapes.AutoMLS3DataTypeS3Prefix, S3Uri: "s3://b/d"}}}},
		OutputDataConfig:        &shapes.AutoMLOutputDataConfig{S3OutputPath: "s3://b/o"},
		AutoMLProblemTypeConfig: &shapes.AutoMLProblemTypeConfig{TabularJobConfig: &shapes.TabularJobConfig{TargetAttributeName: "y"}},
	}
	if !shapes.IsUnion(in.AutoMLProblemTypeConfig) {
		t.Fatal("AutoMLProblemTypeConfig must be a union")
	}
	if _, err := c.CreateAutoMLJobV2(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	sent := s.bodies["CreateAutoMLJobV2"][0]["AutoMLProblemTypeConfig"].(map[string]any)
	if _, ok := sent["ImageClassificationJobConfig"]; ok || len(sent) != 1 {
		t.Fatalf("a default member was merged into the request's union: %v", sent)
	}
	if in.AutoMLProblemTypeConfig.ImageClassificationJobConfig != nil {
		t.Fatal("the caller's union was changed")
	}
}
