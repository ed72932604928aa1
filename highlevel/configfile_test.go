package highlevel_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/highlevel"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/smconfig"
)

const userConfig = `SchemaVersion: '1.0'
SageMaker:
  PythonSDK:
    Modules:
      Session:
        DefaultS3Bucket: studio-bucket
        DefaultS3ObjectKeyPrefix: users/ana
      ModelTrainer:
        role: arn:aws:iam::123456789012:role/FromModelTrainer
        baseJobName: from-file
        compute:
          instance_type: ml.c5.xlarge
          volume_size_in_gb: 45
  TrainingJob:
    RoleArn: arn:aws:iam::123456789012:role/FromTrainingJob
    EnableNetworkIsolation: true
    Environment:
      LR: 1.0
      SHARED: from-file
    VpcConfig:
      Subnets: [subnet-0123456789abcdef0]
      SecurityGroupIds: [sg-0123456789abcdef0]
    Tags:
      - {Key: cost-center, Value: ml}
      - {Key: team, Value: platform}
`

func TestConfigFileDefaults(t *testing.T) {
	ep := local(t, false)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(userConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	conf, err := smconfig.Load(context.Background(), smconfig.WithUserFile(dir), smconfig.WithAdminFile(""))
	if err != nil {
		t.Fatal(err)
	}
	cfg := highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{
		AlgorithmSpecification: spec(),
		Environment:            map[string]string{"SHARED": "explicit", "MINE": "x"},
		Tags:                   []shapes.Tag{{Key: "team", Value: "research"}},
		EnableNetworkIsolation: aws.Bool(false),
	}}
	var debug bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&debug, &slog.HandlerOptions{Level: slog.LevelDebug}))
	withFile, err := highlevel.NewModelTrainer(context.Background(), cfg, highlevel.WithAWSConfig(ep.Config), highlevel.WithConfigFile(conf),
		highlevel.WithClock(func() time.Time { return fixedNow }), highlevel.WithRandom(zeros{}), highlevel.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	dr, err := withFile.DryRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "configfile", dr.Body)
	// The defaults applied are in the debug log: the ModelTrainer keys the
	// trainer applied, the TrainingJob members the client filled.
	for _, want := range []string{"config-file defaults applied", "keys=\"[role baseJobName compute]\"", "create defaults applied", "VpcConfig"} {
		if !strings.Contains(debug.String(), want) {
			t.Errorf("the debug log lacks %q:\n%s", want, debug.String())
		}
	}
	r := dr.Request
	// ModelTrainer keys over TrainingJob keys; explicit values over both.
	if r.RoleArn != "arn:aws:iam::123456789012:role/FromModelTrainer" {
		t.Errorf("role %s", r.RoleArn)
	}
	if aws.ToBool(r.EnableNetworkIsolation) {
		t.Error("the explicit EnableNetworkIsolation false lost to the file")
	}
	if r.Environment["SHARED"] != "explicit" || r.Environment["MINE"] != "x" || r.Environment["LR"] != "1.0" {
		t.Errorf("environment %v: want a deep merge, the explicit value winning, 1.0 kept", r.Environment)
	}
	if r.ResourceConfig.InstanceType != shapes.TrainingInstanceTypeMlC5Xlarge || aws.ToInt32(r.ResourceConfig.VolumeSizeInGB) != 45 || aws.ToInt32(r.ResourceConfig.InstanceCount) != 1 {
		t.Errorf("compute %+v", r.ResourceConfig)
	}
	if r.OutputDataConfig.S3OutputPath != "s3://studio-bucket/users/ana/from-file" {
		t.Errorf("output %s", r.OutputDataConfig.S3OutputPath)
	}
	if r.VpcConfig == nil || r.VpcConfig.Subnets[0] != "subnet-0123456789abcdef0" {
		t.Errorf("vpc %+v", r.VpcConfig)
	}
	// Per client: a trainer without the file gets none of it.
	cfg.RoleArn = "explicit-role"
	without := trainer(t, ep, cfg)
	dr2, err := without.DryRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if dr2.Request.VpcConfig != nil || dr2.Request.RoleArn != "arn:aws:iam::123456789012:role/explicit-role" || len(dr2.Request.Tags) != 1 {
		t.Errorf("the other trainer got the file's values: %+v", dr2.Request)
	}
}

func TestConfigFileInvalid(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.yaml")
	os.WriteFile(file, []byte("SchemaVersion: '1.0'\nSageMaker:\n  TrainingJob:\n    EnableNetworkIsolation: yes\n"), 0o644)
	t.Setenv("SAGEMAKER_USER_CONFIG_OVERRIDE", file)
	t.Setenv("SAGEMAKER_ADMIN_CONFIG_OVERRIDE", "")
	_, err := highlevel.NewModelTrainer(context.Background(), highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec()}},
		highlevel.WithAWSConfig(aws.Config{}))
	contains(t, err, file, "SageMaker.TrainingJob.EnableNetworkIsolation")
}
