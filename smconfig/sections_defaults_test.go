package smconfig_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/smconfig"
)

// The resource sections' defaults reach the service through a real
// client: each request below leaves out what the file sets (the file's
// value is described back) or sets it (its own value wins).

const (
	fileRole  = "arn:aws:iam::123456789012:role/FromFile"
	otherRole = "arn:aws:iam::123456789012:role/Mine"
	image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:1"
)

// client starts the local endpoint and returns a client with conf's
// defaults.
func client(t *testing.T, conf *smconfig.Config) *resources.Client {
	t.Helper()
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithStepTime(time.Hour))
	return resources.NewFromConfig(ep.Config, resources.WithCreateDefaults(conf.CreateDefaults()))
}

// tagsOf lists a resource's tags as a map.
func tagsOf(t *testing.T, c *resources.Client, arn string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for tag, err := range c.ListTags(context.Background(), &shapes.ListTagsInput{ResourceArn: arn}) {
		if err != nil {
			t.Fatal(err)
		}
		out[tag.Key] = tag.Value
	}
	return out
}

func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

func TestModelDefaults(t *testing.T) {
	conf := loadFile(t, `SchemaVersion: '1.0'
SageMaker:
  Model:
    ExecutionRoleArn: `+fileRole+`
    EnableNetworkIsolation: true
    PrimaryContainer: {Environment: {A: file, B: file}}
    Containers: [{Environment: {C: file}}]
    VpcConfig: {SecurityGroupIds: [sg-file], Subnets: [subnet-file]}
    Tags: [{Key: team, Value: platform}, {Key: cost, Value: "1"}]
`)
	c := client(t, conf)
	ctx := context.Background()

	req := &shapes.CreateModelInput{
		ModelName:        "from-file",
		PrimaryContainer: &shapes.ContainerDefinition{Image: image, Environment: map[string]string{"A": "mine"}},
		Tags:             []shapes.Tag{{Key: "team", Value: "ml"}},
	}
	m, err := c.CreateModel(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "role", fileRole, m.ExecutionRoleArn)
	diff(t, "isolation", aws.Bool(true), m.EnableNetworkIsolation)
	diff(t, "primary container", &shapes.ContainerDefinition{Image: image, Environment: map[string]string{"A": "mine", "B": "file"}}, m.PrimaryContainer)
	diff(t, "containers: none from the file when the request has a primary container", []shapes.ContainerDefinition(nil), m.Containers)
	diff(t, "vpc", &shapes.VpcConfig{SecurityGroupIds: []string{"sg-file"}, Subnets: []string{"subnet-file"}}, m.VpcConfig)
	diff(t, "tags", map[string]string{"team": "ml", "cost": "1"}, tagsOf(t, c, m.ModelArn))
	diff(t, "the caller's request", map[string]string{"A": "mine"}, req.PrimaryContainer.Environment)

	m, err = c.CreateModel(ctx, &shapes.CreateModelInput{
		ModelName:              "explicit",
		ExecutionRoleArn:       otherRole,
		EnableNetworkIsolation: aws.Bool(false),
		Containers: []shapes.ContainerDefinition{
			{Image: image, ContainerHostname: "first"},
			{Image: image, ContainerHostname: "second"},
		},
		VpcConfig: &shapes.VpcConfig{SecurityGroupIds: []string{"sg-mine"}, Subnets: []string{"subnet-mine"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "explicit role", otherRole, m.ExecutionRoleArn)
	diff(t, "explicit isolation", aws.Bool(false), m.EnableNetworkIsolation)
	diff(t, "containers item by item", []shapes.ContainerDefinition{
		{Image: image, ContainerHostname: "first", Environment: map[string]string{"C": "file"}},
		{Image: image, ContainerHostname: "second"},
	}, m.Containers)
	diff(t, "no primary container", (*shapes.ContainerDefinition)(nil), m.PrimaryContainer)
	diff(t, "a VpcConfig is taken whole", &shapes.VpcConfig{SecurityGroupIds: []string{"sg-mine"}, Subnets: []string{"subnet-mine"}}, m.VpcConfig)
	diff(t, "tags of a request without any", map[string]string{"team": "platform", "cost": "1"}, tagsOf(t, c, m.ModelArn))
}

func TestEndpointConfigDefaults(t *testing.T) {
	conf := loadFile(t, `SchemaVersion: '1.0'
SageMaker:
  EndpointConfig:
    KmsKeyId: kms-endpoint
    DataCaptureConfig: {KmsKeyId: kms-capture}
    AsyncInferenceConfig: {OutputConfig: {KmsKeyId: kms-async}}
    ProductionVariants:
      - CoreDumpConfig: {KmsKeyId: kms-core-0}
      - CoreDumpConfig: {KmsKeyId: kms-core-1}
    Tags: [{Key: team, Value: platform}]
  Endpoint:
    Tags: [{Key: endpoint, Value: from-file}]
`)
	c := client(t, conf)
	ctx := context.Background()
	variant := func(name string, instanceType shapes.ProductionVariantInstanceType, core *shapes.ProductionVariantCoreDumpConfig) shapes.ProductionVariant {
		return shapes.ProductionVariant{VariantName: name, ModelName: "m", InstanceType: instanceType, InitialInstanceCount: aws.Int32(1), CoreDumpConfig: core}
	}
	capture := func(kms string) *shapes.DataCaptureConfig {
		return &shapes.DataCaptureConfig{InitialSamplingPercentage: aws.Int32(10), DestinationS3Uri: "s3://b/capture", KmsKeyId: kms,
			CaptureOptions: []shapes.CaptureOption{{CaptureMode: shapes.CaptureModeInput}}}
	}

	ec, err := c.CreateEndpointConfig(ctx, &shapes.CreateEndpointConfigInput{
		EndpointConfigName: "from-file",
		ProductionVariants: []shapes.ProductionVariant{
			variant("a", "ml.m5.large", &shapes.ProductionVariantCoreDumpConfig{DestinationS3Uri: "s3://b/core"}),
			variant("b", "ml.m5.large", nil),
		},
		DataCaptureConfig: capture(""),
	})
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "kms", "kms-endpoint", ec.KmsKeyId)
	diff(t, "variants item by item, only into a CoreDumpConfig", []shapes.ProductionVariant{
		variant("a", "ml.m5.large", &shapes.ProductionVariantCoreDumpConfig{DestinationS3Uri: "s3://b/core", KmsKeyId: "kms-core-0"}),
		variant("b", "ml.m5.large", nil),
	}, ec.ProductionVariants)
	diff(t, "data capture", capture("kms-capture"), ec.DataCaptureConfig)
	diff(t, "no async config made from the file alone", (*shapes.AsyncInferenceConfig)(nil), ec.AsyncInferenceConfig)
	diff(t, "tags", map[string]string{"team": "platform"}, tagsOf(t, c, ec.EndpointConfigArn))

	ec, err = c.CreateEndpointConfig(ctx, &shapes.CreateEndpointConfigInput{
		EndpointConfigName: "explicit",
		// An NVMe instance type takes no storage key.
		ProductionVariants:   []shapes.ProductionVariant{variant("a", "ml.g5.xlarge", &shapes.ProductionVariantCoreDumpConfig{DestinationS3Uri: "s3://b/core", KmsKeyId: "kms-mine"})},
		DataCaptureConfig:    capture("kms-mine"),
		AsyncInferenceConfig: &shapes.AsyncInferenceConfig{OutputConfig: &shapes.AsyncInferenceOutputConfig{S3OutputPath: "s3://b/async"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "no kms for g5", "", ec.KmsKeyId)
	diff(t, "explicit core dump key", "kms-mine", ec.ProductionVariants[0].CoreDumpConfig.KmsKeyId)
	diff(t, "explicit capture key", "kms-mine", ec.DataCaptureConfig.KmsKeyId)
	diff(t, "async output", &shapes.AsyncInferenceConfig{OutputConfig: &shapes.AsyncInferenceOutputConfig{S3OutputPath: "s3://b/async", KmsKeyId: "kms-async"}}, ec.AsyncInferenceConfig)

	e, err := c.CreateEndpoint(ctx, &shapes.CreateEndpointInput{EndpointName: "e", EndpointConfigName: "from-file", Tags: []shapes.Tag{{Key: "mine", Value: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "endpoint tags", map[string]string{"mine": "x", "endpoint": "from-file"}, tagsOf(t, c, e.EndpointArn))
}

func TestProcessingJobDefaults(t *testing.T) {
	conf := loadFile(t, `SchemaVersion: '1.0'
SageMaker:
  ProcessingJob:
    RoleArn: `+fileRole+`
    Environment: {A: file, B: file}
    NetworkConfig:
      EnableNetworkIsolation: true
      VpcConfig: {SecurityGroupIds: [sg-file], Subnets: [subnet-file]}
    ProcessingInputs:
      - DatasetDefinition: {AthenaDatasetDefinition: {KmsKeyId: kms-athena}}
      - DatasetDefinition: {RedshiftDatasetDefinition: {KmsKeyId: kms-redshift, ClusterRoleArn: `+fileRole+`}}
    ProcessingOutputConfig: {KmsKeyId: kms-output}
    ProcessingResources: {ClusterConfig: {VolumeKmsKeyId: kms-volume}}
    Tags: [{Key: team, Value: platform}]
`)
	c := client(t, conf)
	ctx := context.Background()
	athena := func(kms string) shapes.ProcessingInput {
		return shapes.ProcessingInput{InputName: "athena", DatasetDefinition: &shapes.DatasetDefinition{LocalPath: "/opt/ml/processing/athena",
			AthenaDatasetDefinition: &shapes.AthenaDatasetDefinition{Catalog: "c", Database: "d", QueryString: "select 1", OutputS3Uri: "s3://b/athena",
				OutputFormat: shapes.AthenaResultFormatParquet, KmsKeyId: kms}}}
	}
	s3Input := shapes.ProcessingInput{InputName: "s3", S3Input: &shapes.ProcessingS3Input{S3Uri: "s3://b/in", LocalPath: "/opt/ml/processing/in",
		S3DataType: shapes.ProcessingS3DataTypeS3Prefix, S3InputMode: shapes.ProcessingS3InputModeFile}}
	redshift := func(kms, role string) shapes.ProcessingInput {
		return shapes.ProcessingInput{InputName: "redshift", DatasetDefinition: &shapes.DatasetDefinition{LocalPath: "/opt/ml/processing/redshift",
			RedshiftDatasetDefinition: &shapes.RedshiftDatasetDefinition{ClusterId: "c", Database: "d", DbUser: "u", QueryString: "select 1",
				OutputS3Uri: "s3://b/redshift", OutputFormat: shapes.RedshiftResultFormatParquet, KmsKeyId: kms, ClusterRoleArn: role}}}
	}
	output := func(kms string) *shapes.ProcessingOutputConfig {
		return &shapes.ProcessingOutputConfig{KmsKeyId: kms, Outputs: []shapes.ProcessingOutput{{OutputName: "out",
			S3Output: &shapes.ProcessingS3Output{S3Uri: "s3://b/out", LocalPath: "/opt/ml/processing/out", S3UploadMode: shapes.ProcessingS3UploadModeEndOfJob}}}}
	}
	request := func(name string) *shapes.CreateProcessingJobInput {
		return &shapes.CreateProcessingJobInput{
			ProcessingJobName: name,
			AppSpecification:  &shapes.AppSpecification{ImageUri: image},
			ProcessingResources: &shapes.ProcessingResources{ClusterConfig: &shapes.ProcessingClusterConfig{
				InstanceCount: aws.Int32(1), InstanceType: shapes.ProcessingInstanceTypeMlM5Xlarge, VolumeSizeInGB: aws.Int32(30)}},
		}
	}

	req := request("from-file")
	req.ProcessingInputs = []shapes.ProcessingInput{athena(""), s3Input}
	req.ProcessingOutputConfig = output("")
	j, err := c.CreateProcessingJob(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "role", fileRole, j.RoleArn)
	diff(t, "environment", map[string]string{"A": "file", "B": "file"}, j.Environment)
	diff(t, "network config", &shapes.NetworkConfig{EnableNetworkIsolation: aws.Bool(true),
		VpcConfig: &shapes.VpcConfig{SecurityGroupIds: []string{"sg-file"}, Subnets: []string{"subnet-file"}}}, j.NetworkConfig)
	diff(t, "inputs item by item; an S3 input takes no dataset keys", []shapes.ProcessingInput{athena("kms-athena"), s3Input}, j.ProcessingInputs)
	diff(t, "output", output("kms-output"), j.ProcessingOutputConfig)
	diff(t, "volume key", "kms-volume", j.ProcessingResources.ClusterConfig.VolumeKmsKeyId)
	diff(t, "the caller's inputs", "", req.ProcessingInputs[0].DatasetDefinition.AthenaDatasetDefinition.KmsKeyId)
	diff(t, "tags", map[string]string{"team": "platform"}, tagsOf(t, c, j.ProcessingJobArn))

	req = request("explicit")
	req.RoleArn = otherRole
	req.Environment = map[string]string{"A": "mine"}
	req.NetworkConfig = &shapes.NetworkConfig{EnableNetworkIsolation: aws.Bool(false)}
	// The file's second item (Redshift) goes into the second input; its
	// first (Athena) does not go into a Redshift input.
	req.ProcessingInputs = []shapes.ProcessingInput{redshift("", "arn:aws:iam::123456789012:role/R0"), redshift("", "")}
	req.ProcessingResources.ClusterConfig.VolumeKmsKeyId = "kms-mine"
	j, err = c.CreateProcessingJob(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "explicit role", otherRole, j.RoleArn)
	diff(t, "environment gets the keys it lacks", map[string]string{"A": "mine", "B": "file"}, j.Environment)
	diff(t, "network config member by member", &shapes.NetworkConfig{EnableNetworkIsolation: aws.Bool(false),
		VpcConfig: &shapes.VpcConfig{SecurityGroupIds: []string{"sg-file"}, Subnets: []string{"subnet-file"}}}, j.NetworkConfig)
	diff(t, "redshift inputs", []shapes.ProcessingInput{redshift("", "arn:aws:iam::123456789012:role/R0"), redshift("kms-redshift", fileRole)}, j.ProcessingInputs)
	diff(t, "no output config from the file alone", (*shapes.ProcessingOutputConfig)(nil), j.ProcessingOutputConfig)
	diff(t, "explicit volume key", "kms-mine", j.ProcessingResources.ClusterConfig.VolumeKmsKeyId)
}

func TestTransformJobDefaults(t *testing.T) {
	conf := loadFile(t, `SchemaVersion: '1.0'
SageMaker:
  TransformJob:
    Environment: {A: file}
    DataCaptureConfig: {KmsKeyId: kms-capture}
    TransformOutput: {KmsKeyId: kms-output}
    TransformResources: {VolumeKmsKeyId: kms-volume}
    Tags: [{Key: team, Value: platform}]
`)
	c := client(t, conf)
	ctx := context.Background()
	request := func(name string) *shapes.CreateTransformJobInput {
		return &shapes.CreateTransformJobInput{
			TransformJobName: name,
			ModelName:        "m",
			TransformInput: &shapes.TransformInput{DataSource: &shapes.TransformDataSource{
				S3DataSource: &shapes.TransformS3DataSource{S3DataType: shapes.S3DataTypeS3Prefix, S3Uri: "s3://b/in"}}},
			TransformOutput:    &shapes.TransformOutput{S3OutputPath: "s3://b/out"},
			TransformResources: &shapes.TransformResources{InstanceType: shapes.TransformInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(1)},
		}
	}

	j, err := c.CreateTransformJob(ctx, request("from-file"))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "environment", map[string]string{"A": "file"}, j.Environment)
	diff(t, "output", &shapes.TransformOutput{S3OutputPath: "s3://b/out", KmsKeyId: "kms-output"}, j.TransformOutput)
	diff(t, "volume key", "kms-volume", j.TransformResources.VolumeKmsKeyId)
	diff(t, "no data capture from the file alone", (*shapes.BatchDataCaptureConfig)(nil), j.DataCaptureConfig)
	diff(t, "tags", map[string]string{"team": "platform"}, tagsOf(t, c, j.TransformJobArn))

	req := request("explicit")
	req.Environment = map[string]string{"A": "mine"}
	req.TransformOutput.KmsKeyId = "kms-mine"
	req.DataCaptureConfig = &shapes.BatchDataCaptureConfig{DestinationS3Uri: "s3://b/capture"}
	req.Tags = []shapes.Tag{{Key: "team", Value: "ml"}}
	j, err = c.CreateTransformJob(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "explicit environment", map[string]string{"A": "mine"}, j.Environment)
	diff(t, "explicit output key", "kms-mine", j.TransformOutput.KmsKeyId)
	diff(t, "data capture", &shapes.BatchDataCaptureConfig{DestinationS3Uri: "s3://b/capture", KmsKeyId: "kms-capture"}, j.DataCaptureConfig)
	diff(t, "explicit tag", map[string]string{"team": "ml"}, tagsOf(t, c, j.TransformJobArn))
	if req.DataCaptureConfig.KmsKeyId != "" {
		t.Errorf("the caller's request changed: %s", shapes.Format(req))
	}
}

func TestFeatureGroupDefaults(t *testing.T) {
	conf := loadFile(t, `SchemaVersion: '1.0'
SageMaker:
  FeatureGroup:
    RoleArn: `+fileRole+`
    OnlineStoreConfig: {SecurityConfig: {KmsKeyId: kms-online}}
    OfflineStoreConfig: {S3StorageConfig: {KmsKeyId: kms-offline}}
`)
	c := client(t, conf)
	ctx := context.Background()
	request := func(name string) *shapes.CreateFeatureGroupInput {
		return &shapes.CreateFeatureGroupInput{
			FeatureGroupName: name, RecordIdentifierFeatureName: "id", EventTimeFeatureName: "t",
			FeatureDefinitions: []shapes.FeatureDefinition{{FeatureName: "id", FeatureType: shapes.FeatureTypeString}, {FeatureName: "t", FeatureType: shapes.FeatureTypeString}},
		}
	}
	req := request("online")
	req.OnlineStoreConfig = &shapes.OnlineStoreConfig{EnableOnlineStore: aws.Bool(true)}
	fg, err := c.CreateFeatureGroup(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "role", fileRole, fg.RoleArn)
	diff(t, "online store", &shapes.OnlineStoreConfig{EnableOnlineStore: aws.Bool(true), SecurityConfig: &shapes.OnlineStoreSecurityConfig{KmsKeyId: "kms-online"}}, fg.OnlineStoreConfig)
	diff(t, "no offline store from the file alone", (*shapes.OfflineStoreConfig)(nil), fg.OfflineStoreConfig)
}

// The sections without a test against the local endpoint: what the hook
// gives resources, and what it merges into the request itself.
func TestOtherSectionDefaults(t *testing.T) {
	conf := loadFile(t, allSections)
	hook := conf.CreateDefaults()
	ctx := context.Background()
	apply := func(in any) any {
		t.Helper()
		def, err := hook(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return def
	}

	diff(t, "automl without output config", &shapes.CreateAutoMLJobInput{
		AutoMLJobConfig: &shapes.AutoMLJobConfig{SecurityConfig: &shapes.AutoMLSecurityConfig{
			EnableInterContainerTrafficEncryption: aws.Bool(true), VolumeKmsKeyId: "kms-automl-vol",
			VpcConfig: &shapes.VpcConfig{SecurityGroupIds: []string{"sg-a"}, Subnets: []string{"subnet-a"}}}},
		RoleArn: "arn:aws:iam::123456789012:role/AutoML",
		Tags:    tag("automl"),
	}, apply(&shapes.CreateAutoMLJobInput{}))
	diff(t, "automl v2 with output config", &shapes.AutoMLOutputDataConfig{KmsKeyId: "kms-v2-out"},
		apply(&shapes.CreateAutoMLJobV2Input{OutputDataConfig: &shapes.AutoMLOutputDataConfig{S3OutputPath: "s3://b/o"}}).(*shapes.CreateAutoMLJobV2Input).OutputDataConfig)
	diff(t, "compilation with its own VpcConfig", &shapes.CreateCompilationJobInput{
		OutputConfig: &shapes.OutputConfig{KmsKeyId: "kms-neo"}, RoleArn: "arn:aws:iam::123456789012:role/Neo",
	}, apply(&shapes.CreateCompilationJobInput{OutputConfig: &shapes.OutputConfig{}, VpcConfig: &shapes.NeoVpcConfig{}, Tags: tag("mine")}))
	diff(t, "edge packaging", &shapes.CreateEdgePackagingJobInput{ResourceKey: "kms-edge-resource", RoleArn: "arn:aws:iam::123456789012:role/Edge", Tags: tag("edge")},
		apply(&shapes.CreateEdgePackagingJobInput{}))
	diff(t, "pipeline", &shapes.CreatePipelineInput{RoleArn: "arn:aws:iam::123456789012:role/Pipeline", Tags: tag("pipeline")}, apply(&shapes.CreatePipelineInput{}))

	diff(t, "monitoring schedule naming a job definition", &shapes.CreateMonitoringScheduleInput{Tags: tag("monitoring")},
		apply(&shapes.CreateMonitoringScheduleInput{MonitoringScheduleConfig: &shapes.MonitoringScheduleConfig{MonitoringJobDefinitionName: "d"}}))
	diff(t, "monitoring schedule with a job definition", &shapes.MonitoringJobDefinition{
		Environment:         map[string]string{"E": "monitoring"},
		MonitoringResources: &shapes.MonitoringResources{ClusterConfig: &shapes.MonitoringClusterConfig{VolumeKmsKeyId: "kms-monitor-vol"}},
		NetworkConfig:       &shapes.NetworkConfig{EnableNetworkIsolation: aws.Bool(true)},
		RoleArn:             "arn:aws:iam::123456789012:role/Monitor",
	}, apply(&shapes.CreateMonitoringScheduleInput{MonitoringScheduleConfig: &shapes.MonitoringScheduleConfig{
		MonitoringJobDefinition: &shapes.MonitoringJobDefinition{MonitoringResources: &shapes.MonitoringResources{}}}}).(*shapes.CreateMonitoringScheduleInput).MonitoringScheduleConfig.MonitoringJobDefinition)

	mp := &shapes.CreateModelPackageInput{
		InferenceSpecification: &shapes.InferenceSpecification{Containers: []shapes.ModelPackageContainerDefinition{{Image: image, Environment: map[string]string{"X": "mine"}}}},
		ValidationSpecification: &shapes.ModelPackageValidationSpecification{ValidationProfiles: []shapes.ModelPackageValidationProfile{{
			ProfileName: "p", TransformJobDefinition: &shapes.TransformJobDefinition{TransformOutput: &shapes.TransformOutput{S3OutputPath: "s3://b/o"}},
		}}},
	}
	caller := *mp
	def := apply(mp).(*shapes.CreateModelPackageInput)
	diff(t, "model package defaults", &shapes.CreateModelPackageInput{ValidationSpecification: &shapes.ModelPackageValidationSpecification{
		ValidationRole: "arn:aws:iam::123456789012:role/Validation"}}, def)
	diff(t, "model package containers", []shapes.ModelPackageContainerDefinition{{Image: image, Environment: map[string]string{"X": "mine", "E": "package"}}},
		mp.InferenceSpecification.Containers)
	diff(t, "model package profile", &shapes.TransformJobDefinition{Environment: map[string]string{"E": "validation"},
		TransformOutput: &shapes.TransformOutput{S3OutputPath: "s3://b/o", KmsKeyId: "kms-validation-out"}}, mp.ValidationSpecification.ValidationProfiles[0].TransformJobDefinition)
	diff(t, "the caller's containers", map[string]string{"X": "mine"}, caller.InferenceSpecification.Containers[0].Environment)
	diff(t, "the caller's profile", "", caller.ValidationSpecification.ValidationProfiles[0].TransformJobDefinition.TransformOutput.KmsKeyId)

	// A container without an Image takes nothing.
	mp = &shapes.CreateModelPackageInput{InferenceSpecification: &shapes.InferenceSpecification{Containers: []shapes.ModelPackageContainerDefinition{{ModelDataUrl: "s3://b/m"}}}}
	apply(mp)
	diff(t, "container without image", map[string]string(nil), mp.InferenceSpecification.Containers[0].Environment)

	// Other requests are untouched.
	if def := apply(&shapes.CreateHubInput{}); def != nil {
		t.Errorf("CreateHubInput got %v", def)
	}
}

// A training job's volume key from the file is left out for instance
// types with NVMe storage, as Session.get_train_request does.
func TestTrainingVolumeKeyAndNVMe(t *testing.T) {
	conf := loadFile(t, "SchemaVersion: '1.0'\nSageMaker: {TrainingJob: {ResourceConfig: {VolumeKmsKeyId: kms-vol}, OutputDataConfig: {KmsKeyId: kms-out}}}\n")
	hook := conf.CreateDefaults()
	for instanceType, want := range map[shapes.TrainingInstanceType]bool{
		"ml.m5.xlarge": true, "ml.p4d.24xlarge": false, "ml.c5d.xlarge": false, "ml.g5.2xlarge": false,
		"ml.g6e.xlarge": false, "ml.p5.48xlarge": false, "ml.trn1.32xlarge": false, "ml.trn2.48xlarge": true, "": true,
	} {
		def, err := hook(context.Background(), &shapes.CreateTrainingJobInput{ResourceConfig: &shapes.ResourceConfig{InstanceType: instanceType}})
		if err != nil {
			t.Fatal(err)
		}
		job := def.(*shapes.CreateTrainingJobInput)
		if got := job.ResourceConfig != nil && job.ResourceConfig.VolumeKmsKeyId == "kms-vol"; got != want {
			t.Errorf("%q: volume key applied = %v, want %v", instanceType, got, want)
		}
		if job.OutputDataConfig != nil {
			t.Errorf("%q: an OutputDataConfig made from the file alone", instanceType)
		}
	}
}
