package highlevel_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/highlevel"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

// algorithm creates an algorithm resource with a typical training
// specification on ep.
func algorithm(t *testing.T, ep *emulatortest.Endpoint, name string) {
	t.Helper()
	_, err := resources.NewFromConfig(ep.Config).CreateAlgorithm(context.Background(), &shapes.CreateAlgorithmInput{
		AlgorithmName: name,
		TrainingSpecification: &shapes.TrainingSpecification{
			TrainingImage:                  "123456789012.dkr.ecr.us-east-1.amazonaws.com/algo:1",
			SupportedTrainingInstanceTypes: []shapes.TrainingInstanceType{shapes.TrainingInstanceTypeMlM5Xlarge, shapes.TrainingInstanceTypeMlC5Xlarge},
			SupportsDistributedTraining:    aws.Bool(false),
			SupportedHyperParameters: []shapes.HyperParameterSpecification{
				{Name: "epochs", Type: shapes.ParameterTypeInteger, DefaultValue: "10",
					Range: &shapes.ParameterRange{IntegerParameterRangeSpecification: &shapes.IntegerParameterRangeSpecification{MinValue: "1", MaxValue: "100"}}},
				{Name: "lr", Type: shapes.ParameterTypeContinuous, IsRequired: aws.Bool(true),
					Range: &shapes.ParameterRange{ContinuousParameterRangeSpecification: &shapes.ContinuousParameterRangeSpecification{MinValue: "0", MaxValue: "1"}}},
				{Name: "optimizer", Type: shapes.ParameterTypeCategorical, DefaultValue: "adam",
					Range: &shapes.ParameterRange{CategoricalParameterRangeSpecification: &shapes.CategoricalParameterRangeSpecification{Values: []string{"adam", "sgd"}}}},
				{Name: "note", Type: shapes.ParameterTypeFreeText},
			},
			TrainingChannels: []shapes.ChannelSpecification{
				{Name: "train", IsRequired: aws.Bool(true), SupportedContentTypes: []string{"text/csv"}, SupportedInputModes: []shapes.TrainingInputMode{shapes.TrainingInputModeFile}},
				{Name: "validation", SupportedContentTypes: []string{"text/csv"}, SupportedInputModes: []shapes.TrainingInputMode{shapes.TrainingInputModeFile, shapes.TrainingInputModePipe}},
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func algoConfig(hps map[string]any) highlevel.AlgorithmEstimatorConfig {
	return highlevel.AlgorithmEstimatorConfig{
		CreateTrainingJobInput: shapes.CreateTrainingJobInput{RoleArn: "SageMakerRole",
			ResourceConfig: &shapes.ResourceConfig{InstanceType: shapes.TrainingInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(1)}},
		Algorithm:       "my-algo",
		HyperParameters: hps,
		InputData:       []highlevel.InputData{{ChannelName: "train", DataSource: "s3://data/train/", ContentType: "text/csv"}},
	}
}

func algoOpts(ep *emulatortest.Endpoint) []highlevel.Option {
	return []highlevel.Option{highlevel.WithAWSConfig(ep.Config), highlevel.WithoutConfigFile(),
		highlevel.WithClock(func() time.Time { return fixedNow }),
		highlevel.WithWaitOptions(waiters.WithDelays(50*time.Millisecond, 200*time.Millisecond))}
}

func TestAlgorithmEstimatorRequest(t *testing.T) {
	ep := local(t, false)
	algorithm(t, ep, "my-algo")
	e, err := highlevel.NewAlgorithmEstimator(context.Background(), algoConfig(map[string]any{"lr": 0.5, "note": "first"}), algoOpts(ep)...)
	if err != nil {
		t.Fatal(err)
	}
	dr, err := e.DryRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "algorithm", dr.Body)
	if dr.JobName != "my-algo-2026-12-02-10-30-00-000" {
		t.Errorf("job name %s", dr.JobName)
	}
}

func TestAlgorithmEstimatorValidation(t *testing.T) {
	ep := local(t, false)
	algorithm(t, ep, "my-algo")
	for _, c := range []struct {
		mod   func(*highlevel.AlgorithmEstimatorConfig)
		field string
		rule  string
	}{
		{func(c *highlevel.AlgorithmEstimatorConfig) { c.HyperParameters = map[string]any{} }, "HyperParameters.lr", "is required by algorithm my-algo"},
		{func(c *highlevel.AlgorithmEstimatorConfig) { c.HyperParameters["epochs"] = 0 }, "HyperParameters.epochs", "0 is outside [1, 100]"},
		{func(c *highlevel.AlgorithmEstimatorConfig) { c.HyperParameters["epochs"] = 1.5 }, "HyperParameters.epochs", `"1.5" is not an integer`},
		{func(c *highlevel.AlgorithmEstimatorConfig) { c.HyperParameters["lr"] = 2 }, "HyperParameters.lr", "2 is outside [0, 1]"},
		{func(c *highlevel.AlgorithmEstimatorConfig) { c.HyperParameters["optimizer"] = "rmsprop" }, "HyperParameters.optimizer", `"rmsprop" is not one of adam, sgd`},
		{func(c *highlevel.AlgorithmEstimatorConfig) { c.HyperParameters["depth"] = 3 }, "HyperParameters.depth", "no such hyperparameter: it has epochs, lr, note, optimizer"},
		{func(c *highlevel.AlgorithmEstimatorConfig) {
			c.ResourceConfig.InstanceType = shapes.TrainingInstanceTypeMlP32xlarge
		}, "ResourceConfig.InstanceType", "ml.p3.2xlarge is not supported by algorithm my-algo: use one of ml.m5.xlarge, ml.c5.xlarge"},
		{func(c *highlevel.AlgorithmEstimatorConfig) { c.ResourceConfig.InstanceCount = aws.Int32(2) }, "ResourceConfig.InstanceCount", "does not support distributed training"},
		{func(c *highlevel.AlgorithmEstimatorConfig) {
			c.AlgorithmSpecification = &shapes.AlgorithmSpecification{TrainingInputMode: shapes.TrainingInputModePipe}
		}, "AlgorithmSpecification.TrainingInputMode", "Pipe is not supported by channel train"},
		{func(c *highlevel.AlgorithmEstimatorConfig) { c.ResourceConfig = nil }, "ResourceConfig", "set InstanceType and InstanceCount"},
	} {
		cfg := algoConfig(map[string]any{"lr": 0.5})
		c.mod(&cfg)
		_, err := highlevel.NewAlgorithmEstimator(context.Background(), cfg, algoOpts(ep)...)
		var ce *highlevel.ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%s: want a *ConfigError, got %v", c.field, err)
			continue
		}
		contains(t, err, c.field+": ", c.rule)
	}
	// Channels are checked when the run's channels are known.
	for _, c := range []struct {
		inputs []highlevel.InputData
		field  string
		rule   string
	}{
		{[]highlevel.InputData{{ChannelName: "validation", DataSource: "s3://d/v/"}}, "InputData.train", "channel train is required"},
		{[]highlevel.InputData{{ChannelName: "train", DataSource: "s3://d/t/"}, {ChannelName: "extra", DataSource: "s3://d/x/"}}, "InputData.extra", "has no such channel: it has train, validation"},
		{[]highlevel.InputData{{ChannelName: "train", DataSource: "s3://d/t/", ContentType: "image/png"}}, "InputData.train.ContentType", "image/png is not supported: use one of text/csv"},
	} {
		cfg := algoConfig(map[string]any{"lr": 0.5})
		cfg.InputData = c.inputs
		e, err := highlevel.NewAlgorithmEstimator(context.Background(), cfg, algoOpts(ep)...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.DryRun(context.Background())
		contains(t, err, c.field+": ", c.rule)
	}
	if _, err := highlevel.NewAlgorithmEstimator(context.Background(), highlevel.AlgorithmEstimatorConfig{Algorithm: "missing"}, algoOpts(ep)...); !errors.Is(err, resources.ErrNotFound) {
		t.Errorf("an unknown algorithm: %v", err)
	}
}

func TestAlgorithmEstimatorFit(t *testing.T) {
	ep := local(t, false, emulator.WithSimulation(), emulator.WithStepTime(20*time.Millisecond))
	algorithm(t, ep, "my-algo")
	e, err := highlevel.NewAlgorithmEstimator(context.Background(), algoConfig(map[string]any{"lr": 0.5}), algoOpts(ep)...)
	if err != nil {
		t.Fatal(err)
	}
	job, err := e.Fit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted || job.AlgorithmSpecification.AlgorithmName == "" || job.HyperParameters["epochs"] != "10" {
		t.Errorf("job %s: %s, %+v, %v", job.ResourceName(), job.TrainingJobStatus, job.AlgorithmSpecification, job.HyperParameters)
	}
	// A second Fit in the same millisecond gets the next one.
	job2, err := e.Fit(context.Background(), highlevel.WithoutWait())
	if err != nil {
		t.Fatal(err)
	}
	if job2.ResourceName() != "my-algo-2026-12-02-10-30-00-001" {
		t.Errorf("second job %s", job2.ResourceName())
	}
}
