package highlevel_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/highlevel"
	"github.com/smcore-go/smcore/shapes"
)

const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-repo/trainer:1.0@sha256:abc"

func spec() *shapes.AlgorithmSpecification {
	return &shapes.AlgorithmSpecification{TrainingImage: image}
}

func TestDryRunDefaultsOnly(t *testing.T) {
	ep := local(t, false)
	tr := trainer(t, ep, highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{
		AlgorithmSpecification: spec(), RoleArn: "SageMakerRole"}})
	dr, err := tr.DryRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if dr.JobName != "trainer-job-20261202103000-aaaa" {
		t.Errorf("job name %s", dr.JobName)
	}
	golden(t, "defaults", dr.Body)
	if len(dr.Uploads) != 0 {
		t.Errorf("uploads %v", dr.Uploads)
	}
	// A dry run writes nothing: not even the default bucket.
	if _, err := ep.Server.ListObjects(context.Background(), "sagemaker-us-east-1-123456789012", ""); err == nil {
		t.Error("the dry run created the default bucket")
	}
}

func TestDryRunFullConfiguration(t *testing.T) {
	ep := local(t, false)
	src := tree(t, map[string]string{"train.py": "", "requirements.txt": "numpy\n"})
	data := tree(t, map[string]string{"a.csv": "1,2\n"})
	cfg := highlevel.TrainerConfig{
		CreateTrainingJobInput: shapes.CreateTrainingJobInput{
			AlgorithmSpecification: &shapes.AlgorithmSpecification{TrainingImage: image,
				MetricDefinitions: []shapes.MetricDefinition{{Name: "loss", Regex: "loss=([0-9.]+)"}}},
			RoleArn: "arn:aws:iam::123456789012:role/Custom",
			ResourceConfig: &shapes.ResourceConfig{InstanceType: shapes.TrainingInstanceTypeMlG5Xlarge, InstanceCount: aws.Int32(2),
				VolumeSizeInGB: aws.Int32(100), VolumeKmsKeyId: "vol-key", KeepAlivePeriodInSeconds: aws.Int32(600)},
			VpcConfig:                             &shapes.VpcConfig{Subnets: []string{"subnet-1"}, SecurityGroupIds: []string{"sg-1"}},
			EnableNetworkIsolation:                aws.Bool(true),
			EnableInterContainerTrafficEncryption: aws.Bool(true),
			EnableManagedSpotTraining:             aws.Bool(true),
			StoppingCondition:                     &shapes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(7200), MaxWaitTimeInSeconds: aws.Int32(9000)},
			OutputDataConfig:                      &shapes.OutputDataConfig{S3OutputPath: "s3://out/models", KmsKeyId: "out-key"},
			RetryStrategy:                         &shapes.RetryStrategy{MaximumRetryAttempts: aws.Int32(2)},
			InfraCheckConfig:                      &shapes.InfraCheckConfig{EnableInfraCheck: aws.Bool(true)},
			RemoteDebugConfig:                     &shapes.RemoteDebugConfig{EnableRemoteDebug: aws.Bool(true)},
			SessionChainingConfig:                 &shapes.SessionChainingConfig{EnableSessionTagChaining: aws.Bool(true)},
			Environment:                           map[string]string{"MODE": "full"},
			Tags:                                  []shapes.Tag{{Key: "team", Value: "ml"}},
		},
		BaseJobName: "full_config",
		SourceCode:  &highlevel.SourceCode{SourceDir: src, EntryScript: "train.py", Requirements: "requirements.txt"},
		InputData: []highlevel.InputData{
			{ChannelName: "train", DataSource: data},
			{ChannelName: "test", DataSource: "s3://data/test/", ContentType: "text/csv"},
		},
		HyperParameters: map[string]any{"epochs": 10, "lr": 1.0, "layers": []int{1, 2}, "optimizer": "adam", "flag": true},
	}
	tr := trainer(t, ep, cfg, highlevel.WithDefaultBucket("staging", "team/x"))
	dr, err := tr.DryRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "full", dr.Body)
	want := []highlevel.Upload{
		{Channel: "train", Source: data, URI: "s3://staging/team/x/full-config/full-config-20261202103000-aaaa/input/train/"},
		{Channel: "code", Source: src, URI: "s3://staging/team/x/full-config/full-config-20261202103000-aaaa/input/code/"},
		{Channel: "sm_drivers", URI: "s3://staging/team/x/full-config/full-config-20261202103000-aaaa/input/sm_drivers/"},
	}
	if len(dr.Uploads) != len(want) {
		t.Fatalf("uploads %+v", dr.Uploads)
	}
	for i := range want {
		if u := dr.Uploads[i]; u.Channel != want[i].Channel || u.Source != want[i].Source || u.URI != want[i].URI {
			t.Errorf("upload %d: %+v, want %+v", i, dr.Uploads[i], want[i])
		}
	}
}

func TestDryRunDistributed(t *testing.T) {
	ep := local(t, false)
	src := tree(t, map[string]string{"train.py": ""})
	for name, d := range map[string]*highlevel.Distributed{
		"torchrun": {Torchrun: &highlevel.Torchrun{ProcessCountPerNode: 4, SMP: map[string]any{"tensor_parallel_degree": 2}}},
		"mpi":      {MPI: &highlevel.MPI{ProcessCountPerNode: 2, MPIAdditionalOptions: []string{"-x", "FOO"}}},
	} {
		tr := trainer(t, ep, highlevel.TrainerConfig{
			CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec(), RoleArn: "R12345678901234567890",
				ResourceConfig: &shapes.ResourceConfig{InstanceType: shapes.TrainingInstanceTypeMlP4d24xlarge, InstanceCount: aws.Int32(2)}},
			SourceCode:  &highlevel.SourceCode{SourceDir: src, EntryScript: "train.py"},
			Distributed: d,
		})
		dr, err := tr.DryRun(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		golden(t, name, dr.Body)
		env := string(dr.Uploads[len(dr.Uploads)-1].Files["env.sh"])
		for _, want := range map[string][]string{
			"torchrun": {"SMCORE_DISTRIBUTED=torchrun\n", "SMCORE_PROCESSES_PER_HOST=4\n", "SMCORE_HOSTS='algo-1 algo-2'\n"},
			"mpi":      {"SMCORE_DISTRIBUTED=mpi\n", "SMCORE_PROCESSES_PER_HOST=2\n", "SMCORE_MPI_OPTIONS='-x FOO'\n"},
		}[name] {
			if !strings.Contains(env, want) {
				t.Errorf("%s: env.sh lacks %q:\n%s", name, want, env)
			}
		}
	}
}

func TestChannelMerging(t *testing.T) {
	ep := local(t, false)
	data := tree(t, map[string]string{"x.csv": ""})
	file := filepath.Join(tree(t, map[string]string{"one.csv": "1"}), "one.csv")
	src := tree(t, map[string]string{"train.sh": ""})
	tr := trainer(t, ep, highlevel.TrainerConfig{
		CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec(), RoleArn: "arn:aws:iam::1:role/x12345678",
			InputDataConfig: []shapes.Channel{{ChannelName: "raw", DataSource: &shapes.DataSource{FileSystemDataSource: &shapes.FileSystemDataSource{
				FileSystemId: "fs-12345678", FileSystemAccessMode: "ro", FileSystemType: "EFS", DirectoryPath: "/data"}}}}},
		SourceCode: &highlevel.SourceCode{SourceDir: src, EntryScript: "train.sh"},
		InputData: []highlevel.InputData{
			{ChannelName: "train", DataSource: "s3://a/train/"},
			{ChannelName: "validation", DataSource: data},
		},
	}, highlevel.WithDefaultBucket("b", ""))
	dr, err := tr.DryRun(context.Background(),
		highlevel.WithInputData(highlevel.InputData{ChannelName: "validation", DataSource: file}, highlevel.InputData{ChannelName: "extra", DataSource: "s3://a/extra"}))
	if err != nil {
		t.Fatal(err)
	}
	var names, uris []string
	for _, c := range dr.Request.InputDataConfig {
		names = append(names, c.ChannelName)
		if c.DataSource.S3DataSource != nil {
			uris = append(uris, c.DataSource.S3DataSource.S3Uri)
		}
	}
	if got, want := names, []string{"raw", "train", "validation", "extra", "code", "sm_drivers"}; !equal(got, want) {
		t.Errorf("channels %v, want %v", got, want)
	}
	if uris[1] != "s3://b/trainer-job/trainer-job-20261202103000-aaaa/input/validation/one.csv" {
		t.Errorf("a run's local file channel: %s", uris[1])
	}
	for _, u := range dr.Uploads {
		if u.Source == data {
			t.Errorf("the replaced channel's folder is still uploaded: %+v", u)
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCheckpointAndTensorBoardDefaults(t *testing.T) {
	ep := local(t, false)
	tr := trainer(t, ep, highlevel.TrainerConfig{
		CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec(), RoleArn: "role-name-x",
			CheckpointConfig: &shapes.CheckpointConfig{}, TensorBoardOutputConfig: &shapes.TensorBoardOutputConfig{}},
		BaseJobName: "ckpt",
	})
	dr, err := tr.DryRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := dr.Request
	if got := r.CheckpointConfig.S3Uri; got != "s3://sagemaker-us-east-1-123456789012/ckpt/ckpt-20261202103000-aaaa/checkpoints" {
		t.Errorf("checkpoint %s", got)
	}
	if got := r.TensorBoardOutputConfig.S3OutputPath; got != "s3://sagemaker-us-east-1-123456789012/ckpt" {
		t.Errorf("tensorboard %s", got)
	}
	if r.RoleArn != "arn:aws:iam::123456789012:role/role-name-x" {
		t.Errorf("role %s", r.RoleArn)
	}
}

func TestInvalidConfigurations(t *testing.T) {
	src := tree(t, map[string]string{"train.py": "", "sub/x.txt": ""})
	outside := filepath.Join(t.TempDir(), "o.py")
	os.WriteFile(outside, nil, 0o644)
	spot := aws.Bool(true)
	for _, c := range []struct {
		cfg   highlevel.TrainerConfig
		field string
		rule  string
	}{
		{highlevel.TrainerConfig{}, "AlgorithmSpecification", "set TrainingImage or AlgorithmName"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: &shapes.AlgorithmSpecification{TrainingImage: "i", AlgorithmName: "a"}}}, "AlgorithmSpecification", "not both"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec()}, SourceCode: &highlevel.SourceCode{SourceDir: src, EntryScript: "../o.py"}}, "SourceCode.EntryScript", "inside SourceDir"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec()}, SourceCode: &highlevel.SourceCode{SourceDir: src, EntryScript: "missing.py"}}, "SourceCode.EntryScript", "not in SourceDir"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec()}, SourceCode: &highlevel.SourceCode{SourceDir: src, EntryScript: "sub/x.txt"}}, "SourceCode.EntryScript", ".py or .sh"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec()}, SourceCode: &highlevel.SourceCode{EntryScript: "train.py"}}, "SourceCode.SourceDir", "is required"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec()}, SourceCode: &highlevel.SourceCode{SourceDir: src, Command: "python x"}, Distributed: &highlevel.Distributed{Torchrun: &highlevel.Torchrun{}}}, "Distributed", "needs SourceCode.EntryScript"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec()}, SourceCode: &highlevel.SourceCode{SourceDir: src, EntryScript: "train.py"}, Distributed: &highlevel.Distributed{}}, "Distributed", "set Torchrun or MPI"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec()}, SourceCode: &highlevel.SourceCode{SourceDir: "s3://b/code"}}, "SourceCode.SourceDir", "prefix ending in '/'"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec()}, InputData: []highlevel.InputData{{ChannelName: "a", DataSource: "/does/not/exist"}}}, "InputData[0].DataSource", "no such file"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec()}, InputData: []highlevel.InputData{{ChannelName: "a", DataSource: "s3://x/"}, {ChannelName: "a", DataSource: "s3://y/"}}}, "InputData[1].ChannelName", "also InputData[0]"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec()}, SourceCode: &highlevel.SourceCode{SourceDir: src, EntryScript: "train.py"}, InputData: []highlevel.InputData{{ChannelName: "code", DataSource: "s3://x/"}}}, "InputData[0].ChannelName", "channel the trainer adds"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec(), EnableManagedSpotTraining: spot}}, "StoppingCondition.MaxWaitTimeInSeconds", "is required with EnableManagedSpotTraining"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec(), EnableManagedSpotTraining: spot,
			StoppingCondition: &shapes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(100), MaxWaitTimeInSeconds: aws.Int32(50)}}}, "StoppingCondition.MaxWaitTimeInSeconds", "less than MaxRuntimeInSeconds 100"},
		{highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec(), HyperParameters: map[string]string{"a": "1"}}, HyperParameters: map[string]any{"a": 2}}, "HyperParameters.a", "set it once"},
	} {
		_, err := highlevel.NewModelTrainer(context.Background(), c.cfg, highlevel.WithoutConfigFile(), highlevel.WithAWSConfig(aws.Config{}))
		var ce *highlevel.ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%s: want a *ConfigError, got %v", c.field, err)
			continue
		}
		contains(t, err, c.field+": ", c.rule)
	}
}

func TestJobNames(t *testing.T) {
	ep := local(t, false)
	name := regexp.MustCompile(`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$`)
	for _, c := range []struct {
		spec *shapes.AlgorithmSpecification
		base string
		want string
	}{
		{spec(), "", "trainer-job-20261202103000-aaaa"},
		{&shapes.AlgorithmSpecification{AlgorithmName: "arn:aws:sagemaker:us-east-1:123456789012:algorithm/my_algo:v2"}, "", "my-algo-v2-job-20261202103000-aaaa"},
		{spec(), "a-very-long-base-job-name-that-goes-past-the-limit-of-the-name", "a-very-long-base-job-name-that-goes-past-th-20261202103000-aaaa"},
		{spec(), "under_score.dot", "under-score-dot-20261202103000-aaaa"},
	} {
		tr := trainer(t, ep, highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: c.spec}, BaseJobName: c.base})
		got, err := tr.NewJobName()
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want || !name.MatchString(got) {
			t.Errorf("%q: %s, want %s", c.base, got, c.want)
		}
	}
	// A generated name a job already has is never reused: the
	// second trainer, with the same clock and the same first random
	// bytes, gets the next suffix.
	ctx := context.Background()
	mk := func() *highlevel.ModelTrainer {
		return trainer(t, ep, highlevel.TrainerConfig{CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec(), RoleArn: "role-name-x"}},
			highlevel.WithRandom(&counter{}), highlevel.WithDefaultBucket("names", ""))
	}
	first, err := mk().Train(ctx, highlevel.WithoutWait())
	if err != nil {
		t.Fatal(err)
	}
	second, err := mk().Train(ctx, highlevel.WithoutWait())
	if err != nil {
		t.Fatal(err)
	}
	if first.ResourceName() != "trainer-job-20261202103000-aaaa" || second.ResourceName() != "trainer-job-20261202103000-bbbb" {
		t.Errorf("names %s and %s", first.ResourceName(), second.ResourceName())
	}
}

// counter yields 0 0 0 0, then 1 1 1 1, …: a suffix source whose every
// trainer starts alike.
type counter struct{ n byte }

func (c *counter) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = c.n
	}
	c.n++
	return len(p), nil
}

// With instance groups, the trainer's channels go to every group (Python
// SDK #6089) and no instance type or count is defaulted beside them.
func TestInstanceGroups(t *testing.T) {
	ep := local(t, false)
	src := tree(t, map[string]string{"train.py": ""})
	tr := trainer(t, ep, highlevel.TrainerConfig{
		CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec(), RoleArn: "role-name-x",
			ResourceConfig: &shapes.ResourceConfig{InstanceGroups: []shapes.InstanceGroup{
				{InstanceGroupName: "gpu", InstanceType: shapes.TrainingInstanceTypeMlG5Xlarge, InstanceCount: aws.Int32(2)},
				{InstanceGroupName: "cpu", InstanceType: shapes.TrainingInstanceTypeMlC5Xlarge, InstanceCount: aws.Int32(1)},
			}}},
		SourceCode: &highlevel.SourceCode{SourceDir: src, EntryScript: "train.py"},
		InputData:  []highlevel.InputData{{ChannelName: "train", DataSource: "s3://b/train/"}},
	})
	dr, err := tr.DryRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rc := dr.Request.ResourceConfig
	if rc.InstanceType != "" || rc.InstanceCount != nil {
		t.Errorf("instance type/count defaulted beside instance groups: %+v", rc)
	}
	for _, c := range dr.Request.InputDataConfig {
		got := c.DataSource.S3DataSource.InstanceGroupNames
		if c.ChannelName == "code" || c.ChannelName == "sm_drivers" {
			if !equal(got, []string{"gpu", "cpu"}) {
				t.Errorf("%s: instance groups %v", c.ChannelName, got)
			}
		} else if got != nil {
			t.Errorf("%s: the user's channel got groups %v", c.ChannelName, got)
		}
	}
	env := string(dr.Uploads[len(dr.Uploads)-1].Files["env.sh"])
	if !strings.Contains(env, "SMCORE_HOSTS='algo-1 algo-2 algo-3'") {
		t.Errorf("hosts of the groups: %s", env)
	}
}

func TestHydraArguments(t *testing.T) {
	ep := local(t, false)
	src := tree(t, map[string]string{"train.py": ""})
	tr := trainer(t, ep, highlevel.TrainerConfig{
		CreateTrainingJobInput: shapes.CreateTrainingJobInput{AlgorithmSpecification: spec(), RoleArn: "role-name-x"},
		SourceCode:             &highlevel.SourceCode{SourceDir: src, EntryScript: "train.py", HydraArgs: true},
		HyperParameters:        map[string]any{"optim.lr": 0.5, "model": "resnet"},
	})
	dr, err := tr.DryRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	env := string(dr.Uploads[len(dr.Uploads)-1].Files["env.sh"])
	if want := "SMCORE_HP_ARGS='model=resnet optim.lr=0.5'\n"; !strings.Contains(env, want) {
		t.Errorf("env.sh lacks %q:\n%s", want, env)
	}
}
