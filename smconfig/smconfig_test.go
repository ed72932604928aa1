package smconfig_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/smconfig"
)

const role = "arn:aws:iam::123456789012:role/SageMakerRole"

// env is an environment for WithLookupEnv.
func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func write(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// load reads content as the only (user) file, hermetically.
func load(t *testing.T, content string) (*smconfig.Config, string, error) {
	t.Helper()
	file := write(t, filepath.Join(t.TempDir(), "config.yaml"), content)
	conf, err := smconfig.Load(context.Background(), smconfig.WithUserFile(file), smconfig.WithAdminFile(""), smconfig.WithLookupEnv(nil))
	return conf, file, err
}

const full = `SchemaVersion: '1.0'
SageMaker:
  PythonSDK:
    Modules:
      Session:
        DefaultS3Bucket: my-bucket
        DefaultS3ObjectKeyPrefix: team/a
      ModelTrainer:
        role: arn:aws:iam::123456789012:role/Trainer
        baseJobName: nightly
        sourceCode:
          source_dir: ./src
          requirements: requirements.txt
          entry_script: train.py
          command: null
          ignore_patterns: [.git, "*.pyc"]
        compute:
          instance_type: ml.g5.xlarge
          instance_count: 2
          volume_size_in_gb: 50.0
          volume_kms_key_id: kms-vol
          keep_alive_period_in_seconds: 600
          instance_groups:
            - {instance_type: ml.m5.xlarge, instance_count: 1, instance_group_name: g1}
          training_plan_arn: arn:plan
          instance_placement_config:
            enable_multiple_jobs: true
            placement_specifications: [{ultra_server_id: u1, instance_count: 4}]
          enable_managed_spot_training: true
        networking:
          security_group_ids: [sg-1]
          subnets: [subnet-1, subnet-2]
          enable_network_isolation: false
          enable_inter_container_traffic_encryption: true
        stoppingCondition: {max_runtime_in_seconds: 7200, max_wait_time_in_seconds: 9000, max_pending_time_in_seconds: 100}
        trainingImage: 123456789012.dkr.ecr.us-east-1.amazonaws.com/img:1
        trainingImageConfig:
          training_repository_access_mode: Vpc
          training_repository_auth_config: {training_repository_credentials_provider_arn: arn:lambda}
        algorithmName: null
        outputDataConfig: {s3_output_path: s3://b/out, kms_key_id: kms-out, compression_type: NONE}
        checkpointConfig: {s3_uri: s3://b/ckpt, local_path: /opt/ml/checkpoints}
        trainingInputMode: FastFile
        environment: {MODE: fast, LR: 1.0}
        hyperparameters: {lr: 1.50, epochs: 10, name: "<x>", layers: [1, 2.0], nested: {a: null}}
  TrainingJob:
    RoleArn: arn:aws:iam::123456789012:role/SageMakerRole
    EnableNetworkIsolation: true
    EnableInterContainerTrafficEncryption: false
    VpcConfig:
      Subnets: [subnet-a]
      SecurityGroupIds: [sg-a, sg-b]
    OutputDataConfig: {KmsKeyId: kms-1}
    ResourceConfig: {VolumeKmsKeyId: kms-2}
    ProfilerConfig: {DisableProfiler: true}
    Environment: {LR: 1.0, EPOCHS: 10, NAME: x}
    Tags:
      - {Key: team, Value: platform}
      - {Key: cost-center, Value: 42}
`

func TestLoadUserFile(t *testing.T) {
	conf, file, err := load(t, full)
	if err != nil {
		t.Fatal(err)
	}
	if got := conf.Files(); len(got) != 1 || got[0] != file {
		t.Fatalf("files %v", got)
	}
	if got := conf.Session(); got != (smconfig.Session{DefaultS3Bucket: "my-bucket", DefaultS3ObjectKeyPrefix: "team/a"}) {
		t.Fatalf("session %+v", got)
	}
	wantMT := smconfig.ModelTrainer{
		Role:        "arn:aws:iam::123456789012:role/Trainer",
		BaseJobName: "nightly",
		SourceCode:  &smconfig.SourceCode{SourceDir: "./src", Requirements: "requirements.txt", EntryScript: "train.py", IgnorePatterns: []string{".git", "*.pyc"}},
		Compute: &smconfig.Compute{
			InstanceType: "ml.g5.xlarge", InstanceCount: aws.Int32(2), VolumeSizeInGB: aws.Int32(50), VolumeKmsKeyId: "kms-vol",
			KeepAlivePeriodInSeconds: aws.Int32(600),
			InstanceGroups:           []shapes.InstanceGroup{{InstanceType: "ml.m5.xlarge", InstanceCount: aws.Int32(1), InstanceGroupName: "g1"}},
			TrainingPlanArn:          "arn:plan",
			InstancePlacementConfig: &shapes.InstancePlacementConfig{EnableMultipleJobs: aws.Bool(true),
				PlacementSpecifications: []shapes.PlacementSpecification{{UltraServerId: "u1", InstanceCount: aws.Int32(4)}}},
			EnableManagedSpotTraining: aws.Bool(true),
		},
		Networking: &smconfig.Networking{SecurityGroupIds: []string{"sg-1"}, Subnets: []string{"subnet-1", "subnet-2"},
			EnableNetworkIsolation: aws.Bool(false), EnableInterContainerTrafficEncryption: aws.Bool(true)},
		StoppingCondition: &shapes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(7200), MaxWaitTimeInSeconds: aws.Int32(9000), MaxPendingTimeInSeconds: aws.Int32(100)},
		TrainingImage:     "123456789012.dkr.ecr.us-east-1.amazonaws.com/img:1",
		TrainingImageConfig: &shapes.TrainingImageConfig{TrainingRepositoryAccessMode: "Vpc",
			TrainingRepositoryAuthConfig: &shapes.TrainingRepositoryAuthConfig{TrainingRepositoryCredentialsProviderArn: "arn:lambda"}},
		OutputDataConfig:  &shapes.OutputDataConfig{S3OutputPath: "s3://b/out", KmsKeyId: "kms-out", CompressionType: "NONE"},
		CheckpointConfig:  &shapes.CheckpointConfig{S3Uri: "s3://b/ckpt", LocalPath: "/opt/ml/checkpoints"},
		TrainingInputMode: "FastFile",
		Environment:       map[string]string{"MODE": "fast", "LR": "1.0"},
		Hyperparameters: map[string]json.RawMessage{
			"lr": json.RawMessage(`1.50`), "epochs": json.RawMessage(`10`), "name": json.RawMessage(`"<x>"`),
			"layers": json.RawMessage(`[1,2.0]`), "nested": json.RawMessage(`{"a":null}`),
		},
	}
	if d := cmp.Diff(wantMT, conf.ModelTrainer()); d != "" {
		t.Fatalf("ModelTrainer (-want +got):\n%s", d)
	}
	wantJob := &shapes.CreateTrainingJobInput{
		RoleArn:                               role,
		EnableNetworkIsolation:                aws.Bool(true),
		EnableInterContainerTrafficEncryption: aws.Bool(false),
		VpcConfig:                             &shapes.VpcConfig{Subnets: []string{"subnet-a"}, SecurityGroupIds: []string{"sg-a", "sg-b"}},
		OutputDataConfig:                      &shapes.OutputDataConfig{KmsKeyId: "kms-1"},
		ResourceConfig:                        &shapes.ResourceConfig{VolumeKmsKeyId: "kms-2"},
		ProfilerConfig:                        &shapes.ProfilerConfig{DisableProfiler: aws.Bool(true)},
		Environment:                           map[string]string{"LR": "1.0", "EPOCHS": "10", "NAME": "x"},
		Tags:                                  []shapes.Tag{{Key: "team", Value: "platform"}, {Key: "cost-center", Value: "42"}},
	}
	if d := cmp.Diff(wantJob, conf.TrainingJob()); d != "" {
		t.Fatalf("TrainingJob (-want +got):\n%s", d)
	}
}

// The accessors hand out fresh values: changing one changes no Config.
func TestValuesAreFresh(t *testing.T) {
	conf, _, err := load(t, full)
	if err != nil {
		t.Fatal(err)
	}
	job := conf.TrainingJob()
	job.Environment["LR"] = "changed"
	job.Tags[0].Value = "changed"
	*job.EnableNetworkIsolation = false
	mt := conf.ModelTrainer()
	*mt.Compute.InstanceCount = 99
	mt.Hyperparameters["lr"] = json.RawMessage("0")
	again, mt2 := conf.TrainingJob(), conf.ModelTrainer()
	if again.Environment["LR"] != "1.0" || again.Tags[0].Value != "platform" || !*again.EnableNetworkIsolation ||
		*mt2.Compute.InstanceCount != 2 || string(mt2.Hyperparameters["lr"]) != "1.50" {
		t.Fatalf("a returned value was shared: %+v %+v", again, mt2)
	}
}

func TestLoadFolderJSONAndOverrides(t *testing.T) {
	dir := t.TempDir()
	jsonForm := `{"SchemaVersion": "1.0", "SageMaker": {"TrainingJob": {"RoleArn": "` + role + `", "Environment": {"LR": 1.0}}}}`
	write(t, filepath.Join(dir, "user", "config.yaml"), jsonForm)
	write(t, filepath.Join(dir, "admin.json"), `{"SchemaVersion": "1.0", "SageMaker": {"TrainingJob": {"EnableNetworkIsolation": true}}}`)
	ctx := context.Background()
	for name, opts := range map[string][]smconfig.Option{
		"options": {smconfig.WithUserFile(filepath.Join(dir, "user")), smconfig.WithAdminFile(filepath.Join(dir, "admin.json")), smconfig.WithLookupEnv(nil)},
		"environment": {smconfig.WithLookupEnv(env(
			"SAGEMAKER_USER_CONFIG_OVERRIDE", filepath.Join(dir, "user"),
			"SAGEMAKER_ADMIN_CONFIG_OVERRIDE", filepath.Join(dir, "admin.json")))},
		// An option wins over the environment.
		"options over environment": {smconfig.WithUserFile(filepath.Join(dir, "user")), smconfig.WithAdminFile(filepath.Join(dir, "admin.json")),
			smconfig.WithLookupEnv(env("SAGEMAKER_USER_CONFIG_OVERRIDE", "/nonexistent", "SAGEMAKER_ADMIN_CONFIG_OVERRIDE", "/nonexistent"))},
	} {
		t.Run(name, func(t *testing.T) {
			conf, err := smconfig.Load(ctx, opts...)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{filepath.Join(dir, "admin.json"), filepath.Join(dir, "user", "config.yaml")}
			if d := cmp.Diff(want, conf.Files()); d != "" {
				t.Fatalf("files (-want +got):\n%s", d)
			}
			job := conf.TrainingJob()
			if job.RoleArn != role || job.Environment["LR"] != "1.0" || job.EnableNetworkIsolation == nil || !*job.EnableNetworkIsolation {
				t.Fatalf("job %s", shapes.Format(job))
			}
		})
	}
}

func TestDefaultLocations(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the Linux layout")
	}
	ctx := context.Background()
	home, xdg, sys := t.TempDir(), t.TempDir(), t.TempDir()
	user := write(t, filepath.Join(home, ".config", "sagemaker", "config.yaml"), "SchemaVersion: '1.0'\nSageMaker: {TrainingJob: {RoleArn: "+role+"}}\n")
	admin := write(t, filepath.Join(sys, "sagemaker", "config.yaml"), "SchemaVersion: '1.0'\nSageMaker: {TrainingJob: {EnableNetworkIsolation: true}}\n")

	conf, err := smconfig.Load(ctx, smconfig.WithLookupEnv(env("HOME", home, "XDG_CONFIG_DIRS", ":"+sys+":/etc/xdg")))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{admin, user}, conf.Files()); d != "" {
		t.Fatalf("files (-want +got):\n%s", d)
	}
	// WithHomeDir wins over $HOME; XDG_CONFIG_HOME over both.
	conf, err = smconfig.Load(ctx, smconfig.WithLookupEnv(env("HOME", "/nonexistent")), smconfig.WithHomeDir(home), smconfig.WithAdminFile(""))
	if err != nil || len(conf.Files()) != 1 || conf.Files()[0] != user {
		t.Fatalf("WithHomeDir: %v %v", conf.Files(), err)
	}
	conf, err = smconfig.Load(ctx, smconfig.WithLookupEnv(env("HOME", home, "XDG_CONFIG_HOME", xdg)), smconfig.WithAdminFile(""))
	if err != nil || len(conf.Files()) != 0 {
		t.Fatalf("XDG_CONFIG_HOME holds no file: %v %v", conf.Files(), err)
	}
	// Missing default files are no error: an empty Config.
	conf, err = smconfig.Load(ctx, smconfig.WithLookupEnv(env("HOME", t.TempDir(), "XDG_CONFIG_DIRS", t.TempDir())))
	if err != nil || len(conf.Files()) != 0 || conf.TrainingJob() != nil || conf.Session() != (smconfig.Session{}) {
		t.Fatalf("missing defaults: %v %v", conf.Files(), err)
	}
	// No home at all: no user file looked for.
	if _, err := smconfig.Load(ctx, smconfig.WithLookupEnv(nil), smconfig.WithAdminFile("")); err != nil {
		t.Fatal(err)
	}
}

func TestUserOverAdmin(t *testing.T) {
	dir := t.TempDir()
	admin := write(t, filepath.Join(dir, "admin.yaml"), `SchemaVersion: '1.0'
SageMaker:
  PythonSDK: {Modules: {Session: {DefaultS3Bucket: admin-bucket, DefaultS3ObjectKeyPrefix: admin}}}
  TrainingJob:
    RoleArn: arn:aws:iam::123456789012:role/Admin
    EnableNetworkIsolation: true
    Environment: {A: admin, B: admin}
    VpcConfig: {Subnets: [subnet-admin], SecurityGroupIds: [sg-admin]}
    Tags: [{Key: owner, Value: admin}, {Key: cost, Value: "1"}]
`)
	user := write(t, filepath.Join(dir, "user.yaml"), `SchemaVersion: '1.0'
SageMaker:
  PythonSDK: {Modules: {Session: {DefaultS3Bucket: user-bucket}}}
  TrainingJob:
    RoleArn: arn:aws:iam::123456789012:role/User
    Environment: {B: user}
    VpcConfig: {Subnets: [subnet-user]}
    Tags: [{Key: owner, Value: user}]
`)
	conf, err := smconfig.Load(context.Background(), smconfig.WithAdminFile(admin), smconfig.WithUserFile(user), smconfig.WithLookupEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := conf.Session(); got != (smconfig.Session{DefaultS3Bucket: "user-bucket", DefaultS3ObjectKeyPrefix: "admin"}) {
		t.Fatalf("session %+v", got)
	}
	want := &shapes.CreateTrainingJobInput{
		RoleArn:                "arn:aws:iam::123456789012:role/User",
		EnableNetworkIsolation: aws.Bool(true),
		Environment:            map[string]string{"A": "admin", "B": "user"},
		VpcConfig:              &shapes.VpcConfig{Subnets: []string{"subnet-user"}, SecurityGroupIds: []string{"sg-admin"}},
		Tags:                   []shapes.Tag{{Key: "owner", Value: "user"}}, // lists are replaced, as in Python
	}
	if d := cmp.Diff(want, conf.TrainingJob()); d != "" {
		t.Fatalf("merged (-want +got):\n%s", d)
	}
}

func TestEmptyFilesAddNothing(t *testing.T) {
	for _, content := range []string{"", "# only a comment\n", "{}", "---\n"} {
		conf, file, err := load(t, content)
		if err != nil {
			t.Fatalf("%q: %v", content, err)
		}
		if got := conf.Files(); len(got) != 1 || got[0] != file || conf.TrainingJob() != nil || conf.ModelTrainer().Compute != nil {
			t.Fatalf("%q: files %v job %v", content, got, conf.TrainingJob())
		}
	}
}

func TestOtherSectionsAreIgnored(t *testing.T) {
	conf, _, err := load(t, `SchemaVersion: '1.0'
CustomParameters: {Team: ml, Level: 3}
SageMaker:
  SomethingNewer: 12
  PythonSDK:
    Resources: {TrainingJob: {role_arn: x}}
    Modules:
      RemoteFunction: {Dependencies: requirements.txt}
      TelemetryOptOut: true
      ModelTrainer: {role: null, compute: null, sourceCode: {source_dir: null}}
  TrainingJob: {RoleArn: `+role+`}
`)
	if err != nil {
		t.Fatal(err)
	}
	if mt := conf.ModelTrainer(); mt.Role != "" || mt.Compute != nil || mt.SourceCode == nil || mt.SourceCode.SourceDir != "" {
		t.Fatalf("nulls in ModelTrainer are unset: %+v", mt)
	}
	if conf.TrainingJob().RoleArn != role {
		t.Fatal(conf.TrainingJob())
	}
}

func TestMissingAndUnsupportedSources(t *testing.T) {
	ctx := context.Background()
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	emptyDir := t.TempDir()
	for _, tc := range []struct {
		name     string
		opts     []smconfig.Option
		file     string
		problem  string
		notExist bool
	}{
		{"option", []smconfig.Option{smconfig.WithUserFile(missing)}, missing, "no such file (named by WithUserFile)", true},
		{"folder without config.yaml", []smconfig.Option{smconfig.WithAdminFile(emptyDir)}, filepath.Join(emptyDir, "config.yaml"), "no such file (named by WithAdminFile)", true},
		{"environment", []smconfig.Option{smconfig.WithLookupEnv(env("SAGEMAKER_USER_CONFIG_OVERRIDE", missing))}, missing, "no such file (named by $SAGEMAKER_USER_CONFIG_OVERRIDE)", true},
		{"s3", []smconfig.Option{smconfig.WithLookupEnv(env("SAGEMAKER_USER_CONFIG_OVERRIDE", "s3://bucket/config"))}, "s3://bucket/config",
			"reading a config file from S3 needs an S3 client: pass smconfig.WithS3Client(s3.NewFromConfig(awsCfg)) (named by $SAGEMAKER_USER_CONFIG_OVERRIDE)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := append([]smconfig.Option{smconfig.WithLookupEnv(nil), smconfig.WithAdminFile(""), smconfig.WithHomeDir(t.TempDir())}, tc.opts...)
			_, err := smconfig.Load(ctx, opts...)
			var ce *smconfig.Error
			if !errors.As(err, &ce) || ce.File != tc.file || ce.Problem != tc.problem || ce.Path != "" {
				t.Fatalf("got %#v", err)
			}
			if errors.Is(err, fs.ErrNotExist) != tc.notExist {
				t.Fatalf("errors.Is(fs.ErrNotExist) = %v", !tc.notExist)
			}
			if want := tc.file + ": " + tc.problem; err.Error() != want {
				t.Fatalf("\n got %s\nwant %s", err, want)
			}
		})
	}
}

func TestInvalidFiles(t *testing.T) {
	const head = "SchemaVersion: '1.0'\nSageMaker:\n"
	tj := func(s string) string {
		return head + "  TrainingJob:\n    " + strings.ReplaceAll(s, "\n", "\n    ") + "\n"
	}
	mt := func(s string) string {
		return head + "  PythonSDK:\n    Modules:\n      ModelTrainer:\n        " + strings.ReplaceAll(s, "\n", "\n        ") + "\n"
	}
	many := "Environment:\n"
	for i := range 49 {
		many += fmt.Sprintf("  V%d: x\n", i)
	}
	for _, tc := range []struct {
		name, content, path, problem string
	}{
		{"bad yaml", head + "  TrainingJob:\n    RoleArn: [a\n", "", "not valid YAML: line 4: did not find expected ',' or ']'"},
		{"duplicate key", tj("RoleArn: " + role + "\nRoleArn: x"), "", `not valid YAML: line 5, column 5: duplicate key "RoleArn" (first at line 4, column 5)`},
		{"binary", tj("RoleArn: !!binary aGk="), "", "not valid YAML: line 4, column 14: !!binary values are not supported: JSON has no binary type"},
		{"no schema version", "SageMaker: {}\n", "SchemaVersion", "missing: a config file starts with SchemaVersion: '1.0'"},
		{"unquoted schema version", "SchemaVersion: 1.0\n", "SchemaVersion", "want the string '1.0', got the number 1.0 (quote it: SchemaVersion: '1.0')"},
		{"other schema version", "SchemaVersion: '2.0'\n", "SchemaVersion", `want '1.0', got "2.0"`},
		{"top level list", "- a\n", "", "want a mapping, got a list"},
		{"misspelt top level", "SchemaVersion: '1.0'\nSagemaker: {}\n", "Sagemaker", "unknown key (did you mean SageMaker?)"},
		{"yes is no boolean", tj("EnableNetworkIsolation: yes"), "SageMaker.TrainingJob.EnableNetworkIsolation",
			`want a boolean, got "yes" (YAML 1.2 reads it as a string: write true or false)`},
		{"quoted boolean", tj("EnableInterContainerTrafficEncryption: 'true'"), "SageMaker.TrainingJob.EnableInterContainerTrafficEncryption",
			`want a boolean, got "true" (a quoted string: drop the quotes)`},
		{"section null", head + "  TrainingJob:\n", "SageMaker.TrainingJob", "want a mapping, got null"},
		{"role number", tj("RoleArn: 123"), "SageMaker.TrainingJob.RoleArn", "want a string, got 123"},
		{"role pattern", tj("RoleArn: my-role"), "SageMaker.TrainingJob.RoleArn", `want an IAM role ARN (arn:aws:iam::123456789012:role/Name), got "my-role"`},
		{"misspelt key", tj("RoleARN: " + role), "SageMaker.TrainingJob.RoleARN", "unknown key (did you mean RoleArn?)"},
		{"unknown key", tj("InstanceType: ml.m5.xlarge"), "SageMaker.TrainingJob.InstanceType",
			"unknown key (known: EnableInterContainerTrafficEncryption, EnableNetworkIsolation, Environment, OutputDataConfig, ProfilerConfig, ResourceConfig, RoleArn, Tags, VpcConfig)"},
		{"unknown nested key", tj("ResourceConfig: {VolumeSizeInGB: 30}"), "SageMaker.TrainingJob.ResourceConfig.VolumeSizeInGB", "unknown key (known: VolumeKmsKeyId)"},
		{"subnets not a list", tj("VpcConfig: {Subnets: subnet-1}"), "SageMaker.TrainingJob.VpcConfig.Subnets", `want a list of strings, got "subnet-1"`},
		{"no security groups", tj("VpcConfig: {SecurityGroupIds: []}"), "SageMaker.TrainingJob.VpcConfig.SecurityGroupIds", "want 1 to 5 items, got 0"},
		{"bad subnet", tj("VpcConfig: {Subnets: [ok, 'not ok']}"), "SageMaker.TrainingJob.VpcConfig.Subnets[1]", `want an ID of up to 32 letters, digits and '-', got "not ok"`},
		{"tag without value", tj("Tags: [{Key: a, Value: b}, {Key: c}]"), "SageMaker.TrainingJob.Tags[1].Value", "missing"},
		{"tag extra key", tj("Tags: [{Key: a, Value: b, Note: c}]"), "SageMaker.TrainingJob.Tags[0].Note", "unknown key (known: Key, Value)"},
		{"tag not a mapping", tj("Tags: [a]"), "SageMaker.TrainingJob.Tags[0]", `want a mapping {Key, Value}, got "a"`},
		{"tag bad text", tj("Tags: [{Key: 'a!', Value: b}]"), "SageMaker.TrainingJob.Tags[0].Key", `want letters, digits, spaces and _.:/=+-@, got "a!"`},
		{"environment boolean", tj("Environment: {DEBUG: true}"), "SageMaker.TrainingJob.Environment.DEBUG", "want a string, got true"},
		{"environment null", tj("Environment: {DEBUG: }"), "SageMaker.TrainingJob.Environment.DEBUG", "want a string, got null"},
		{"environment name", tj("Environment: {1X: a}"), `SageMaker.TrainingJob.Environment["1X"]`, "want a variable name (a letter or _, then letters, digits, _)"},
		{"environment too long", tj("Environment: {X: " + strings.Repeat("x", 513) + "}"), "SageMaker.TrainingJob.Environment.X", "want 0 to 512 characters, got 513"},
		{"environment too many", tj(many), "SageMaker.TrainingJob.Environment", "want at most 48 entries, got 49"},
		{"kms key not a string", tj("OutputDataConfig: {KmsKeyId: [k]}"), "SageMaker.TrainingJob.OutputDataConfig.KmsKeyId", "want a string, got a list"},
		{"bucket", head + "  PythonSDK: {Modules: {Session: {DefaultS3Bucket: My_Bucket}}}\n", "SageMaker.PythonSDK.Modules.Session.DefaultS3Bucket",
			`want an S3 bucket name (3 to 63 of a-z, 0-9, '.', '-'), got "My_Bucket"`},
		{"empty prefix", head + "  PythonSDK: {Modules: {Session: {DefaultS3ObjectKeyPrefix: ''}}}\n", "SageMaker.PythonSDK.Modules.Session.DefaultS3ObjectKeyPrefix",
			"want 1 to 1024 characters, got 0"},
		{"session unknown", head + "  PythonSDK: {Modules: {Session: {Bucket: b}}}\n", "SageMaker.PythonSDK.Modules.Session.Bucket",
			"unknown key (known: DefaultS3Bucket, DefaultS3ObjectKeyPrefix)"},
		{"trainer snake case", mt("base_job_name: x"), "SageMaker.PythonSDK.Modules.ModelTrainer.base_job_name", "unknown key (did you mean baseJobName?)"},
		{"trainer camel case nested", mt("compute: {instanceType: ml.m5.xlarge}"), "SageMaker.PythonSDK.Modules.ModelTrainer.compute.instanceType",
			"unknown key (did you mean instance_type?)"},
		{"trainer count string", mt("compute: {instance_count: '2'}"), "SageMaker.PythonSDK.Modules.ModelTrainer.compute.instance_count", `want an integer, got "2"`},
		{"trainer count fraction", mt("compute: {instance_count: 2.5}"), "SageMaker.PythonSDK.Modules.ModelTrainer.compute.instance_count", "want an integer, got 2.5"},
		{"trainer count too big", mt("compute: {volume_size_in_gb: 3000000000}"), "SageMaker.PythonSDK.Modules.ModelTrainer.compute.volume_size_in_gb",
			"want a 32-bit integer, got 3000000000"},
		{"trainer group", mt("compute: {instance_groups: [{instance_type: a, name: b}]}"), "SageMaker.PythonSDK.Modules.ModelTrainer.compute.instance_groups[0].name",
			"unknown key (known: instance_count, instance_group_name, instance_type)"},
		{"trainer hyperparameters list", mt("hyperparameters: [a]"), "SageMaker.PythonSDK.Modules.ModelTrainer.hyperparameters", "want a mapping, got a list"},
		{"trainer itself null", head + "  PythonSDK: {Modules: {ModelTrainer: }}\n", "SageMaker.PythonSDK.Modules.ModelTrainer", "want a mapping, got null"},
		{"distributed is not read", mt("distributed: {process_count_per_node: 2}"), "SageMaker.PythonSDK.Modules.ModelTrainer.distributed",
			"unknown key (known: algorithmName, baseJobName, checkpointConfig, compute, environment, hyperparameters, networking, outputDataConfig, role, sourceCode, stoppingCondition, trainingImage, trainingImageConfig, trainingInputMode)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, file, err := load(t, tc.content)
			var ce *smconfig.Error
			if !errors.As(err, &ce) {
				t.Fatalf("want an *smconfig.Error, got %v", err)
			}
			if ce.File != file || ce.Path != tc.path || ce.Problem != tc.problem {
				t.Fatalf("\n got file %s path %q problem %q\nwant file %s path %q problem %q", ce.File, ce.Path, ce.Problem, file, tc.path, tc.problem)
			}
			want := file + ": " + tc.problem
			if tc.path != "" {
				want = file + ": " + tc.path + ": " + tc.problem
			}
			if err.Error() != want {
				t.Fatalf("\n got %s\nwant %s", err, want)
			}
		})
	}
}

// A YAML error keeps the parser's error underneath.
func TestYAMLErrorUnwraps(t *testing.T) {
	_, _, err := load(t, "a: b: c\n")
	var ce *smconfig.Error
	if !errors.As(err, &ce) || ce.Err == nil || !strings.Contains(err.Error(), "line 1: mapping values are not allowed") {
		t.Fatalf("%v", err)
	}
}

func TestLiteralsKept(t *testing.T) {
	conf, _, err := load(t, `SchemaVersion: '1.0'
SageMaker:
  TrainingJob:
    Environment: {LR: 1.0, DECAY: 1.50, N: 10, Q: '1.0', BIG: 12345678901234567890, E: 1e-5}
    Tags: [{Key: version, Value: 2.10}]
`)
	if err != nil {
		t.Fatal(err)
	}
	job := conf.TrainingJob()
	want := map[string]string{"LR": "1.0", "DECAY": "1.50", "N": "10", "Q": "1.0", "BIG": "12345678901234567890", "E": "1e-5"}
	if d := cmp.Diff(want, job.Environment); d != "" {
		t.Fatalf("environment (-want +got):\n%s", d)
	}
	if job.Tags[0].Value != "2.10" {
		t.Fatalf("tag %+v", job.Tags)
	}
}

func TestNilConfigHoldsNothing(t *testing.T) {
	var conf *smconfig.Config
	if conf.Files() != nil || conf.TrainingJob() != nil || conf.Session() != (smconfig.Session{}) || conf.ModelTrainer().Compute != nil {
		t.Fatal("a nil Config has values")
	}
	def, err := conf.CreateDefaults()(context.Background(), &shapes.CreateTrainingJobInput{})
	if def != nil || err != nil {
		t.Fatalf("%v %v", def, err)
	}
}

func TestLoadLogsAndHonoursContext(t *testing.T) {
	var logged bytes.Buffer
	file := write(t, filepath.Join(t.TempDir(), "config.yaml"), full)
	logger := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if _, err := smconfig.Load(context.Background(), smconfig.WithUserFile(file), smconfig.WithLookupEnv(nil),
		smconfig.WithAdminFile(""), smconfig.WithLogger(logger)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logged.String(), "smconfig: read config file") || !strings.Contains(logged.String(), file) {
		t.Fatalf("log: %s", logged.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := smconfig.Load(ctx, smconfig.WithUserFile(file), smconfig.WithLookupEnv(nil)); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: %v", err)
	}
}
