package smconfig_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/smconfig"
)

// allSections holds every key of every resource section of the Python
// schema.
const allSections = `SchemaVersion: '1.0'
SageMaker:
  Model:
    Containers: [{Environment: {A: "1"}}, {Environment: {B: 2.0}}]
    EnableNetworkIsolation: true
    ExecutionRoleArn: arn:aws:iam::123456789012:role/Model
    PrimaryContainer: {Environment: {P: x}}
    VpcConfig: {SecurityGroupIds: [sg-m], Subnets: [subnet-m]}
    Tags: [{Key: k, Value: model}]
  EndpointConfig:
    AsyncInferenceConfig: {OutputConfig: {KmsKeyId: kms-async}}
    DataCaptureConfig: {KmsKeyId: kms-capture}
    KmsKeyId: kms-endpoint
    ProductionVariants: [{CoreDumpConfig: {KmsKeyId: kms-core}}]
    Tags: [{Key: k, Value: endpoint-config}]
  Endpoint:
    Tags: [{Key: k, Value: endpoint}]
  ProcessingJob:
    Environment: {E: processing}
    NetworkConfig:
      EnableInterContainerTrafficEncryption: true
      EnableNetworkIsolation: false
      VpcConfig: {SecurityGroupIds: [sg-p], Subnets: [subnet-p]}
    ProcessingInputs:
      - DatasetDefinition: {AthenaDatasetDefinition: {KmsKeyId: kms-athena}}
      - DatasetDefinition: {RedshiftDatasetDefinition: {KmsKeyId: kms-redshift, ClusterRoleArn: arn:aws:iam::123456789012:role/Redshift}}
    ProcessingOutputConfig: {KmsKeyId: kms-processing-out}
    ProcessingResources: {ClusterConfig: {VolumeKmsKeyId: kms-processing-vol}}
    RoleArn: arn:aws:iam::123456789012:role/Processing
    Tags: [{Key: k, Value: processing}]
  TransformJob:
    DataCaptureConfig: {KmsKeyId: kms-batch-capture}
    Environment: {E: transform}
    TransformOutput: {KmsKeyId: kms-transform-out}
    TransformResources: {VolumeKmsKeyId: kms-transform-vol}
    Tags: [{Key: k, Value: transform}]
  AutoMLJob:
    AutoMLJobConfig:
      SecurityConfig:
        EnableInterContainerTrafficEncryption: true
        VolumeKmsKeyId: kms-automl-vol
        VpcConfig: {SecurityGroupIds: [sg-a], Subnets: [subnet-a]}
    OutputDataConfig: {KmsKeyId: kms-automl-out}
    RoleArn: arn:aws:iam::123456789012:role/AutoML
    Tags: [{Key: k, Value: automl}]
  AutoMLJobV2:
    SecurityConfig: {EnableInterContainerTrafficEncryption: false, VolumeKmsKeyId: kms-v2-vol, VpcConfig: {Subnets: [subnet-v2]}}
    OutputDataConfig: {KmsKeyId: kms-v2-out}
    RoleArn: arn:aws:iam::123456789012:role/AutoMLV2
    Tags: [{Key: k, Value: automl-v2}]
  CompilationJob:
    OutputConfig: {KmsKeyId: kms-neo}
    RoleArn: arn:aws:iam::123456789012:role/Neo
    VpcConfig: {SecurityGroupIds: [sg-n], Subnets: [subnet-n]}
    Tags: [{Key: k, Value: compilation}]
  EdgePackagingJob:
    OutputConfig: {KmsKeyId: kms-edge}
    ResourceKey: kms-edge-resource
    RoleArn: arn:aws:iam::123456789012:role/Edge
    Tags: [{Key: k, Value: edge}]
  Pipeline:
    RoleArn: arn:aws:iam::123456789012:role/Pipeline
    Tags: [{Key: k, Value: pipeline}]
  FeatureGroup:
    OfflineStoreConfig: {S3StorageConfig: {KmsKeyId: kms-offline}}
    OnlineStoreConfig: {SecurityConfig: {KmsKeyId: kms-online}}
    RoleArn: arn:aws:iam::123456789012:role/Features
    Tags: [{Key: k, Value: feature-group}]
  MonitoringSchedule:
    MonitoringScheduleConfig:
      MonitoringJobDefinition:
        Environment: {E: monitoring}
        MonitoringOutputConfig: {KmsKeyId: kms-monitor-out}
        MonitoringResources: {ClusterConfig: {VolumeKmsKeyId: kms-monitor-vol}}
        NetworkConfig: {EnableNetworkIsolation: true}
        RoleArn: arn:aws:iam::123456789012:role/Monitor
    Tags: [{Key: k, Value: monitoring}]
  ModelPackage:
    InferenceSpecification:
      Containers: [{Environment: {E: package}}]
    ValidationSpecification:
      ValidationProfiles:
        - TransformJobDefinition:
            Environment: {E: validation}
            TransformOutput: {KmsKeyId: kms-validation-out}
            TransformResources: {VolumeKmsKeyId: kms-validation-vol}
      ValidationRole: arn:aws:iam::123456789012:role/Validation
`

func tag(v string) []shapes.Tag { return []shapes.Tag{{Key: "k", Value: v}} }

func TestLoadEverySection(t *testing.T) {
	conf, _, err := load(t, allSections)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"Model", conf.Model(), &shapes.CreateModelInput{
			Containers:             []shapes.ContainerDefinition{{Environment: map[string]string{"A": "1"}}, {Environment: map[string]string{"B": "2.0"}}},
			EnableNetworkIsolation: aws.Bool(true),
			ExecutionRoleArn:       "arn:aws:iam::123456789012:role/Model",
			PrimaryContainer:       &shapes.ContainerDefinition{Environment: map[string]string{"P": "x"}},
			VpcConfig:              &shapes.VpcConfig{SecurityGroupIds: []string{"sg-m"}, Subnets: []string{"subnet-m"}},
			Tags:                   tag("model"),
		}},
		{"EndpointConfig", conf.EndpointConfig(), &shapes.CreateEndpointConfigInput{
			AsyncInferenceConfig: &shapes.AsyncInferenceConfig{OutputConfig: &shapes.AsyncInferenceOutputConfig{KmsKeyId: "kms-async"}},
			DataCaptureConfig:    &shapes.DataCaptureConfig{KmsKeyId: "kms-capture"},
			KmsKeyId:             "kms-endpoint",
			ProductionVariants:   []shapes.ProductionVariant{{CoreDumpConfig: &shapes.ProductionVariantCoreDumpConfig{KmsKeyId: "kms-core"}}},
			Tags:                 tag("endpoint-config"),
		}},
		{"Endpoint", conf.Endpoint(), &shapes.CreateEndpointInput{Tags: tag("endpoint")}},
		{"ProcessingJob", conf.ProcessingJob(), &shapes.CreateProcessingJobInput{
			Environment: map[string]string{"E": "processing"},
			NetworkConfig: &shapes.NetworkConfig{EnableInterContainerTrafficEncryption: aws.Bool(true), EnableNetworkIsolation: aws.Bool(false),
				VpcConfig: &shapes.VpcConfig{SecurityGroupIds: []string{"sg-p"}, Subnets: []string{"subnet-p"}}},
			ProcessingInputs: []shapes.ProcessingInput{
				{DatasetDefinition: &shapes.DatasetDefinition{AthenaDatasetDefinition: &shapes.AthenaDatasetDefinition{KmsKeyId: "kms-athena"}}},
				{DatasetDefinition: &shapes.DatasetDefinition{RedshiftDatasetDefinition: &shapes.RedshiftDatasetDefinition{KmsKeyId: "kms-redshift", ClusterRoleArn: "arn:aws:iam::123456789012:role/Redshift"}}},
			},
			ProcessingOutputConfig: &shapes.ProcessingOutputConfig{KmsKeyId: "kms-processing-out"},
			ProcessingResources:    &shapes.ProcessingResources{ClusterConfig: &shapes.ProcessingClusterConfig{VolumeKmsKeyId: "kms-processing-vol"}},
			RoleArn:                "arn:aws:iam::123456789012:role/Processing",
			Tags:                   tag("processing"),
		}},
		{"TransformJob", conf.TransformJob(), &shapes.CreateTransformJobInput{
			DataCaptureConfig:  &shapes.BatchDataCaptureConfig{KmsKeyId: "kms-batch-capture"},
			Environment:        map[string]string{"E": "transform"},
			TransformOutput:    &shapes.TransformOutput{KmsKeyId: "kms-transform-out"},
			TransformResources: &shapes.TransformResources{VolumeKmsKeyId: "kms-transform-vol"},
			Tags:               tag("transform"),
		}},
		{"AutoMLJob", conf.AutoMLJob(), &shapes.CreateAutoMLJobInput{
			AutoMLJobConfig: &shapes.AutoMLJobConfig{SecurityConfig: &shapes.AutoMLSecurityConfig{
				EnableInterContainerTrafficEncryption: aws.Bool(true), VolumeKmsKeyId: "kms-automl-vol",
				VpcConfig: &shapes.VpcConfig{SecurityGroupIds: []string{"sg-a"}, Subnets: []string{"subnet-a"}}}},
			OutputDataConfig: &shapes.AutoMLOutputDataConfig{KmsKeyId: "kms-automl-out"},
			RoleArn:          "arn:aws:iam::123456789012:role/AutoML",
			Tags:             tag("automl"),
		}},
		{"AutoMLJobV2", conf.AutoMLJobV2(), &shapes.CreateAutoMLJobV2Input{
			SecurityConfig: &shapes.AutoMLSecurityConfig{EnableInterContainerTrafficEncryption: aws.Bool(false), VolumeKmsKeyId: "kms-v2-vol",
				VpcConfig: &shapes.VpcConfig{Subnets: []string{"subnet-v2"}}},
			OutputDataConfig: &shapes.AutoMLOutputDataConfig{KmsKeyId: "kms-v2-out"},
			RoleArn:          "arn:aws:iam::123456789012:role/AutoMLV2",
			Tags:             tag("automl-v2"),
		}},
		{"CompilationJob", conf.CompilationJob(), &shapes.CreateCompilationJobInput{
			OutputConfig: &shapes.OutputConfig{KmsKeyId: "kms-neo"},
			RoleArn:      "arn:aws:iam::123456789012:role/Neo",
			VpcConfig:    &shapes.NeoVpcConfig{SecurityGroupIds: []string{"sg-n"}, Subnets: []string{"subnet-n"}},
			Tags:         tag("compilation"),
		}},
		{"EdgePackagingJob", conf.EdgePackagingJob(), &shapes.CreateEdgePackagingJobInput{
			OutputConfig: &shapes.EdgeOutputConfig{KmsKeyId: "kms-edge"},
			ResourceKey:  "kms-edge-resource",
			RoleArn:      "arn:aws:iam::123456789012:role/Edge",
			Tags:         tag("edge"),
		}},
		{"Pipeline", conf.Pipeline(), &shapes.CreatePipelineInput{RoleArn: "arn:aws:iam::123456789012:role/Pipeline", Tags: tag("pipeline")}},
		{"FeatureGroup", conf.FeatureGroup(), &shapes.CreateFeatureGroupInput{
			OfflineStoreConfig: &shapes.OfflineStoreConfig{S3StorageConfig: &shapes.S3StorageConfig{KmsKeyId: "kms-offline"}},
			OnlineStoreConfig:  &shapes.OnlineStoreConfig{SecurityConfig: &shapes.OnlineStoreSecurityConfig{KmsKeyId: "kms-online"}},
			RoleArn:            "arn:aws:iam::123456789012:role/Features",
			Tags:               tag("feature-group"),
		}},
		{"MonitoringSchedule", conf.MonitoringSchedule(), &shapes.CreateMonitoringScheduleInput{
			MonitoringScheduleConfig: &shapes.MonitoringScheduleConfig{MonitoringJobDefinition: &shapes.MonitoringJobDefinition{
				Environment:            map[string]string{"E": "monitoring"},
				MonitoringOutputConfig: &shapes.MonitoringOutputConfig{KmsKeyId: "kms-monitor-out"},
				MonitoringResources:    &shapes.MonitoringResources{ClusterConfig: &shapes.MonitoringClusterConfig{VolumeKmsKeyId: "kms-monitor-vol"}},
				NetworkConfig:          &shapes.NetworkConfig{EnableNetworkIsolation: aws.Bool(true)},
				RoleArn:                "arn:aws:iam::123456789012:role/Monitor",
			}},
			Tags: tag("monitoring"),
		}},
		{"ModelPackage", conf.ModelPackage(), &shapes.CreateModelPackageInput{
			InferenceSpecification: &shapes.InferenceSpecification{Containers: []shapes.ModelPackageContainerDefinition{{Environment: map[string]string{"E": "package"}}}},
			ValidationSpecification: &shapes.ModelPackageValidationSpecification{
				ValidationProfiles: []shapes.ModelPackageValidationProfile{{TransformJobDefinition: &shapes.TransformJobDefinition{
					Environment:        map[string]string{"E": "validation"},
					TransformOutput:    &shapes.TransformOutput{KmsKeyId: "kms-validation-out"},
					TransformResources: &shapes.TransformResources{VolumeKmsKeyId: "kms-validation-vol"},
				}}},
				ValidationRole: "arn:aws:iam::123456789012:role/Validation",
			},
		}},
	} {
		if d := cmp.Diff(tc.want, tc.got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
	if conf.TrainingJob() != nil {
		t.Errorf("no TrainingJob section, got %s", shapes.Format(conf.TrainingJob()))
	}
}

// An empty section is no section.
func TestEmptySectionIsNil(t *testing.T) {
	conf, _, err := load(t, "SchemaVersion: '1.0'\nSageMaker: {Model: {}, EndpointConfig: {}}\n")
	if err != nil {
		t.Fatal(err)
	}
	if conf.Model() != nil || conf.EndpointConfig() != nil {
		t.Fatalf("%v %v", conf.Model(), conf.EndpointConfig())
	}
}

func TestInvalidSections(t *testing.T) {
	const head = "SchemaVersion: '1.0'\nSageMaker:\n"
	sec := func(name, body string) string {
		return head + "  " + name + ":\n    " + strings.ReplaceAll(body, "\n", "\n    ") + "\n"
	}
	for _, tc := range []struct {
		name, content, path, problem string
	}{
		{"model isolation string", sec("Model", "EnableNetworkIsolation: 'yes'"), "SageMaker.Model.EnableNetworkIsolation",
			`want a boolean, got "yes" (YAML 1.2 reads it as a string: write true or false)`},
		{"model container env list", sec("Model", "Containers: [{Environment: {A: x}}, {Environment: [x]}]"), "SageMaker.Model.Containers[1].Environment",
			"want a mapping of strings, got a list"},
		{"model containers not a list", sec("Model", "Containers: {Environment: {A: x}}"), "SageMaker.Model.Containers", "want a list, got a mapping"},
		{"model container unknown key", sec("Model", "PrimaryContainer: {Image: x}"), "SageMaker.Model.PrimaryContainer.Image", "unknown key (known: Environment)"},
		{"model role", sec("Model", "ExecutionRoleArn: role"), "SageMaker.Model.ExecutionRoleArn", `want an IAM role ARN (arn:aws:iam::123456789012:role/Name), got "role"`},
		{"endpoint config kms number", sec("EndpointConfig", "KmsKeyId: 12"), "SageMaker.EndpointConfig.KmsKeyId", "want a string, got 12"},
		{"endpoint config variant kms", sec("EndpointConfig", "ProductionVariants: [{CoreDumpConfig: {KmsKeyId: true}}]"),
			"SageMaker.EndpointConfig.ProductionVariants[0].CoreDumpConfig.KmsKeyId", "want a string, got true"},
		{"endpoint config variant key", sec("EndpointConfig", "ProductionVariants: [{InstanceType: ml.m5.large}]"),
			"SageMaker.EndpointConfig.ProductionVariants[0].InstanceType", "unknown key (known: CoreDumpConfig)"},
		{"endpoint config null", sec("EndpointConfig", "DataCaptureConfig: null"), "SageMaker.EndpointConfig.DataCaptureConfig", "want a mapping, got null"},
		{"processing inputs too many", sec("ProcessingJob", "ProcessingInputs: [{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}]"),
			"SageMaker.ProcessingJob.ProcessingInputs", "want 0 to 10 items, got 11"},
		{"processing redshift role", sec("ProcessingJob", "ProcessingInputs: [{DatasetDefinition: {RedshiftDatasetDefinition: {ClusterRoleArn: [r]}}}]"),
			"SageMaker.ProcessingJob.ProcessingInputs[0].DatasetDefinition.RedshiftDatasetDefinition.ClusterRoleArn", "want a string, got a list"},
		{"processing network", sec("ProcessingJob", "NetworkConfig: {EnableNetworkIsolation: 1}"), "SageMaker.ProcessingJob.NetworkConfig.EnableNetworkIsolation", "want a boolean, got 1"},
		{"processing env too long", sec("ProcessingJob", "Environment: {X: "+strings.Repeat("x", 257)+"}"), "SageMaker.ProcessingJob.Environment.X", "want 0 to 256 characters, got 257"},
		{"transform env value", sec("TransformJob", "Environment: {A: {b: c}}"), "SageMaker.TransformJob.Environment.A", "want a string, got a mapping"},
		{"transform resources key", sec("TransformJob", "TransformResources: {KmsKeyId: k}"), "SageMaker.TransformJob.TransformResources.KmsKeyId",
			"unknown key (known: VolumeKmsKeyId)"},
		{"transform output kms too long", sec("TransformJob", "TransformOutput: {KmsKeyId: "+strings.Repeat("k", 2049)+"}"),
			"SageMaker.TransformJob.TransformOutput.KmsKeyId", "want 0 to 2048 characters, got 2049"},
		{"automl vpc", sec("AutoMLJob", "AutoMLJobConfig: {SecurityConfig: {VpcConfig: {Subnets: []}}}"),
			"SageMaker.AutoMLJob.AutoMLJobConfig.SecurityConfig.VpcConfig.Subnets", "want 1 to 16 items, got 0"},
		{"automl v2 flag", sec("AutoMLJobV2", "SecurityConfig: {EnableInterContainerTrafficEncryption: 'false'}"),
			"SageMaker.AutoMLJobV2.SecurityConfig.EnableInterContainerTrafficEncryption", `want a boolean, got "false" (a quoted string: drop the quotes)`},
		{"compilation vpc", sec("CompilationJob", "VpcConfig: {SecurityGroupIds: sg}"), "SageMaker.CompilationJob.VpcConfig.SecurityGroupIds", `want a list of strings, got "sg"`},
		{"edge resource key", sec("EdgePackagingJob", "ResourceKey: [k]"), "SageMaker.EdgePackagingJob.ResourceKey", "want a string, got a list"},
		{"pipeline tags", sec("Pipeline", "Tags: {Key: a, Value: b}"), "SageMaker.Pipeline.Tags", "want a list of {Key, Value}, got a mapping"},
		{"feature group kms", sec("FeatureGroup", "OnlineStoreConfig: {SecurityConfig: {KmsKeyId: 1}}"),
			"SageMaker.FeatureGroup.OnlineStoreConfig.SecurityConfig.KmsKeyId", "want a string, got 1"},
		{"monitoring env", sec("MonitoringSchedule", "MonitoringScheduleConfig: {MonitoringJobDefinition: {Environment: {A: true}}}"),
			"SageMaker.MonitoringSchedule.MonitoringScheduleConfig.MonitoringJobDefinition.Environment.A", "want a string, got true"},
		{"model package no containers", sec("ModelPackage", "InferenceSpecification: {Containers: []}"),
			"SageMaker.ModelPackage.InferenceSpecification.Containers", "want 1 to 15 items, got 0"},
		{"model package two profiles", sec("ModelPackage", "ValidationSpecification: {ValidationProfiles: [{}, {}]}"),
			"SageMaker.ModelPackage.ValidationSpecification.ValidationProfiles", "want exactly 1 item, got 2"},
		{"model package tags", sec("ModelPackage", "Tags: []"), "SageMaker.ModelPackage.Tags", "unknown key (known: InferenceSpecification, ValidationSpecification)"},
		{"misspelt section", head + "  EndPointConfig: {KmsKeyId: k}\n", "SageMaker.EndPointConfig", "unknown key (did you mean EndpointConfig?)"},
		{"misspelt module", head + "  PythonSDK: {Modules: {session: {}}}\n", "SageMaker.PythonSDK.Modules.session", "unknown key (did you mean Session?)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, file, err := load(t, tc.content)
			var ce *smconfig.Error
			if !errors.As(err, &ce) {
				t.Fatalf("want an *smconfig.Error, got %v", err)
			}
			if ce.File != file || ce.Path != tc.path || ce.Problem != tc.problem {
				t.Fatalf("\n got path %q problem %q\nwant path %q problem %q", ce.Path, ce.Problem, tc.path, tc.problem)
			}
			if want := file + ": " + tc.path + ": " + tc.problem; err.Error() != want {
				t.Fatalf("\n got %s\nwant %s", err, want)
			}
		})
	}
}
