package smconfig_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/smconfig"
)

func loadFile(t *testing.T, content string) *smconfig.Config {
	t.Helper()
	file := write(t, filepath.Join(t.TempDir(), "config.yaml"), content)
	conf, err := smconfig.Load(context.Background(), smconfig.WithUserFile(file), smconfig.WithAdminFile(""), smconfig.WithLookupEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	return conf
}

// request is a training job request without the members the config file
// fills.
func request(name string, tags ...shapes.Tag) *shapes.CreateTrainingJobInput {
	return &shapes.CreateTrainingJobInput{
		TrainingJobName: name,
		AlgorithmSpecification: &shapes.AlgorithmSpecification{
			TrainingImage: "123456789012.dkr.ecr.us-east-1.amazonaws.com/algo:1", TrainingInputMode: shapes.TrainingInputModeFile,
		},
		ResourceConfig:    &shapes.ResourceConfig{InstanceType: shapes.TrainingInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(1), VolumeSizeInGB: aws.Int32(10)},
		OutputDataConfig:  &shapes.OutputDataConfig{S3OutputPath: "s3://bucket/output"},
		StoppingCondition: &shapes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(3600)},
		Tags:              tags,
	}
}

// Config-file defaults reach the service through a real client, explicit
// values win, and two clients keep their own defaults.
func TestCreateDefaultsThroughAClient(t *testing.T) {
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithStepTime(time.Hour))
	ctx := context.Background()
	platform := loadFile(t, `SchemaVersion: '1.0'
SageMaker:
  TrainingJob:
    RoleArn: arn:aws:iam::123456789012:role/Platform
    EnableNetworkIsolation: true
    Environment: {LR: 1.0}
    Tags: [{Key: team, Value: platform}, {Key: cost-center, Value: 42}]
`)
	other := loadFile(t, `SchemaVersion: '1.0'
SageMaker:
  TrainingJob:
    RoleArn: arn:aws:iam::123456789012:role/Other
`)
	c1 := resources.NewFromConfig(ep.Config, resources.WithCreateDefaults(platform.CreateDefaults()))
	c2 := resources.NewFromConfig(ep.Config, resources.WithCreateDefaults(other.CreateDefaults()))

	tagsOf := func(job *resources.TrainingJob) map[string]string {
		t.Helper()
		out := map[string]string{}
		for tag, err := range c1.ListTags(ctx, &shapes.ListTagsInput{ResourceArn: job.ResourceARN()}) {
			if err != nil {
				t.Fatal(err)
			}
			out[tag.Key] = tag.Value
		}
		return out
	}

	req := request("from-file", shapes.Tag{Key: "team", Value: "ml"})
	callerTags := slices.Clone(req.Tags)
	job, err := c1.CreateTrainingJob(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if job.RoleArn != "arn:aws:iam::123456789012:role/Platform" || job.EnableNetworkIsolation == nil || !*job.EnableNetworkIsolation || job.Environment["LR"] != "1.0" {
		t.Fatalf("the file's values were not applied: %s", shapes.Format(job.DescribeTrainingJobOutput))
	}
	if got := tagsOf(job); len(got) != 2 || got["team"] != "ml" || got["cost-center"] != "42" {
		t.Fatalf("tags: want the request's team and the file's cost-center, got %v", got)
	}
	if !slices.Equal(req.Tags, callerTags) || req.RoleArn != "" || req.EnableNetworkIsolation != nil {
		t.Fatalf("the caller's request changed: %s", shapes.Format(req))
	}

	explicit := request("explicit")
	explicit.RoleArn = "arn:aws:iam::123456789012:role/Mine"
	explicit.EnableNetworkIsolation = aws.Bool(false)
	explicit.Environment = map[string]string{"LR": "0.5"}
	job, err = c1.CreateTrainingJob(ctx, explicit)
	if err != nil {
		t.Fatal(err)
	}
	if job.RoleArn != "arn:aws:iam::123456789012:role/Mine" || *job.EnableNetworkIsolation || job.Environment["LR"] != "0.5" {
		t.Fatalf("explicit values must win: %s", shapes.Format(job.DescribeTrainingJobOutput))
	}
	if got := tagsOf(job); len(got) != 2 || got["team"] != "platform" {
		t.Fatalf("a request without tags gets the file's: %v", got)
	}

	job, err = c2.CreateTrainingJob(ctx, request("other-client"))
	if err != nil {
		t.Fatal(err)
	}
	if job.RoleArn != "arn:aws:iam::123456789012:role/Other" || job.EnableNetworkIsolation != nil && *job.EnableNetworkIsolation {
		t.Fatalf("the second client got the first one's defaults: %s", shapes.Format(job.DescribeTrainingJobOutput))
	}
	if got := tagsOf(job); len(got) != 0 {
		t.Fatalf("the second client got the first one's tags: %v", got)
	}
}
