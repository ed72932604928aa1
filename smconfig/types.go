package smconfig

import (
	"encoding/json"

	"github.com/smcore-go/smcore/shapes"
)

// Session holds SageMaker.PythonSDK.Modules.Session: where the SDK stages
// data and writes output when a job does not say. SageMaker Studio
// writes these.
type Session struct {
	DefaultS3Bucket          string // DefaultS3Bucket; "" means sagemaker-{region}-{account}
	DefaultS3ObjectKeyPrefix string // DefaultS3ObjectKeyPrefix
}

// ModelTrainer holds SageMaker.PythonSDK.Modules.ModelTrainer: defaults
// for the trainer's own settings, which win over the SageMaker.TrainingJob
// values. Keys are the trainer's attributes in camelCase; nested keys are
// the Python config classes' fields, in snake_case (source_dir,
// instance_type, ...). Unset values are zero: "", nil.
type ModelTrainer struct {
	Role                string                      // role
	BaseJobName         string                      // baseJobName
	SourceCode          *SourceCode                 // sourceCode
	Compute             *Compute                    // compute
	Networking          *Networking                 // networking
	StoppingCondition   *shapes.StoppingCondition   // stoppingCondition: max_runtime_in_seconds, max_wait_time_in_seconds, max_pending_time_in_seconds
	TrainingImage       string                      // trainingImage
	TrainingImageConfig *shapes.TrainingImageConfig // trainingImageConfig: training_repository_access_mode, training_repository_auth_config.training_repository_credentials_provider_arn
	AlgorithmName       string                      // algorithmName
	OutputDataConfig    *shapes.OutputDataConfig    // outputDataConfig: s3_output_path, kms_key_id, compression_type
	CheckpointConfig    *shapes.CheckpointConfig    // checkpointConfig: s3_uri, local_path
	TrainingInputMode   shapes.TrainingInputMode    // trainingInputMode
	Environment         map[string]string           // environment
	// Hyperparameters (hyperparameters) are free-form, as in Python: each
	// value is the JSON of what the file holds, numbers as written (lr:
	// 1.50 is 1.50, not 1.5), for the trainer to turn into strings.
	Hyperparameters map[string]json.RawMessage
}

// SourceCode mirrors the Python SourceCode config class.
type SourceCode struct {
	SourceDir      string   // source_dir: a local folder, an S3 prefix, or a .tar.gz
	Requirements   string   // requirements: a file in SourceDir
	EntryScript    string   // entry_script
	Command        string   // command: a shell command, instead of EntryScript
	IgnorePatterns []string // ignore_patterns; nil means the trainer's default list
}

// Compute mirrors the Python Compute config class: the training job's
// ResourceConfig plus managed spot training.
type Compute struct {
	InstanceType              shapes.TrainingInstanceType     // instance_type
	InstanceCount             *int32                          // instance_count
	VolumeSizeInGB            *int32                          // volume_size_in_gb
	VolumeKmsKeyId            string                          // volume_kms_key_id
	KeepAlivePeriodInSeconds  *int32                          // keep_alive_period_in_seconds
	InstanceGroups            []shapes.InstanceGroup          // instance_groups: instance_type, instance_count, instance_group_name
	TrainingPlanArn           string                          // training_plan_arn
	InstancePlacementConfig   *shapes.InstancePlacementConfig // instance_placement_config: enable_multiple_jobs, placement_specifications (ultra_server_id, instance_count)
	EnableManagedSpotTraining *bool                           // enable_managed_spot_training
}

// Networking mirrors the Python Networking config class: the training
// job's VpcConfig plus its two network flags.
type Networking struct {
	SecurityGroupIds                      []string // security_group_ids
	Subnets                               []string // subnets
	EnableNetworkIsolation                *bool    // enable_network_isolation
	EnableInterContainerTrafficEncryption *bool    // enable_inter_container_traffic_encryption
}

// Session returns the SageMaker.PythonSDK.Modules.Session values.
func (c *Config) Session() Session { return c.values().session }

// ModelTrainer returns the SageMaker.PythonSDK.Modules.ModelTrainer
// values, fresh on each call.
func (c *Config) ModelTrainer() ModelTrainer { return c.values().trainer }

// The resource sections. Each returns the section's values as the create
// request they give defaults for, fresh on each call, or nil when the
// files have none; CreateDefaults applies them.

// TrainingJob returns SageMaker.TrainingJob.
func (c *Config) TrainingJob() *shapes.CreateTrainingJobInput { return c.values().trainingJob }

// Model returns SageMaker.Model.
func (c *Config) Model() *shapes.CreateModelInput { return c.values().model }

// EndpointConfig returns SageMaker.EndpointConfig.
func (c *Config) EndpointConfig() *shapes.CreateEndpointConfigInput {
	return c.values().endpointConfig
}

// Endpoint returns SageMaker.Endpoint.
func (c *Config) Endpoint() *shapes.CreateEndpointInput { return c.values().endpoint }

// ProcessingJob returns SageMaker.ProcessingJob.
func (c *Config) ProcessingJob() *shapes.CreateProcessingJobInput { return c.values().processingJob }

// TransformJob returns SageMaker.TransformJob.
func (c *Config) TransformJob() *shapes.CreateTransformJobInput { return c.values().transformJob }

// AutoMLJob returns SageMaker.AutoMLJob.
func (c *Config) AutoMLJob() *shapes.CreateAutoMLJobInput { return c.values().autoMLJob }

// AutoMLJobV2 returns SageMaker.AutoMLJobV2.
func (c *Config) AutoMLJobV2() *shapes.CreateAutoMLJobV2Input { return c.values().autoMLJobV2 }

// CompilationJob returns SageMaker.CompilationJob.
func (c *Config) CompilationJob() *shapes.CreateCompilationJobInput {
	return c.values().compilationJob
}

// EdgePackagingJob returns SageMaker.EdgePackagingJob.
func (c *Config) EdgePackagingJob() *shapes.CreateEdgePackagingJobInput {
	return c.values().edgePackagingJob
}

// Pipeline returns SageMaker.Pipeline.
func (c *Config) Pipeline() *shapes.CreatePipelineInput { return c.values().pipeline }

// FeatureGroup returns SageMaker.FeatureGroup.
func (c *Config) FeatureGroup() *shapes.CreateFeatureGroupInput { return c.values().featureGroup }

// MonitoringSchedule returns SageMaker.MonitoringSchedule.
func (c *Config) MonitoringSchedule() *shapes.CreateMonitoringScheduleInput {
	return c.values().monitoringSchedule
}

// ModelPackage returns SageMaker.ModelPackage.
func (c *Config) ModelPackage() *shapes.CreateModelPackageInput { return c.values().modelPackage }
