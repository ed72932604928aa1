// Package smconfig reads the SageMaker Python SDK's config file (its
// "intelligent defaults"), so that a Go program uses the defaults its
// users, their administrators and SageMaker Studio already wrote for
// Python:
//
//	conf, err := smconfig.Load(ctx)
//	...
//	client := resources.NewFromConfig(awsCfg, resources.WithCreateDefaults(conf.CreateDefaults()))
//
// Nothing is global: each Load reads the files again, and each Config
// applies only to the clients it is given to.
//
// # Files
//
// Load reads two files, YAML or JSON, in this order; values of the later
// one win (mappings are merged key by key, other values replaced whole):
//
//   - the admin file: $SAGEMAKER_ADMIN_CONFIG_OVERRIDE, or WithAdminFile,
//     or the default location;
//   - the user file: $SAGEMAKER_USER_CONFIG_OVERRIDE, or WithUserFile,
//     or the default location.
//
// A path may name a file, a folder holding config.yaml, or an S3 URI
// (s3://bucket/key: the object with that key, else the object
// config.yaml under it as a folder, read with the client given by
// WithS3Client); an empty variable counts as unset. A missing file at a
// default location is skipped; a missing file or object named by a
// variable or an option is an error. The default locations are those of
// the Python SDK (platformdirs' user and site config folders for
// "sagemaker"):
//
//	               user file                                              admin file
//	Linux, Unix    $XDG_CONFIG_HOME/sagemaker/config.yaml,                 first of $XDG_CONFIG_DIRS + /sagemaker/config.yaml,
//	               else ~/.config/sagemaker/config.yaml                    else /etc/xdg/sagemaker/config.yaml
//	macOS          ~/Library/Application Support/sagemaker/config.yaml    /Library/Application Support/sagemaker/config.yaml
//	               (the XDG variables win, as on Linux)
//	Windows        %LOCALAPPDATA%\sagemaker\sagemaker\config.yaml          %PROGRAMDATA%\sagemaker\sagemaker\config.yaml
//
// # Keys
//
// A file holds SchemaVersion: '1.0' (a string, quoted: the Python schema
// rejects the number 1.0) and a SageMaker mapping. An empty file, or {},
// adds nothing and needs no SchemaVersion, as in Python. These keys are
// read, checked and typed (docs/config-file.md has them all in one
// table):
//
//	key (under SageMaker.)                  type                                     read by
//	PythonSDK.Modules.Session.
//	  DefaultS3Bucket                       S3 bucket name                           Config.Session
//	  DefaultS3ObjectKeyPrefix              string, 1-1024 characters                Config.Session
//	PythonSDK.Modules.ModelTrainer.                                                  Config.ModelTrainer
//	  role, baseJobName, trainingImage,     string
//	  algorithmName, trainingInputMode
//	  sourceCode                            source_dir, requirements, entry_script,
//	                                        command: string; ignore_patterns: list
//	                                        of strings
//	  compute                               instance_type, volume_kms_key_id,
//	                                        training_plan_arn: string;
//	                                        instance_count, volume_size_in_gb,
//	                                        keep_alive_period_in_seconds: integer;
//	                                        enable_managed_spot_training: boolean;
//	                                        instance_groups: list of
//	                                        {instance_type, instance_count,
//	                                        instance_group_name};
//	                                        instance_placement_config:
//	                                        {enable_multiple_jobs,
//	                                        placement_specifications: list of
//	                                        {ultra_server_id, instance_count}}
//	  networking                            security_group_ids, subnets: list of
//	                                        strings; enable_network_isolation,
//	                                        enable_inter_container_traffic_encryption:
//	                                        boolean
//	  stoppingCondition                     max_runtime_in_seconds,
//	                                        max_wait_time_in_seconds,
//	                                        max_pending_time_in_seconds: integer
//	  trainingImageConfig                   training_repository_access_mode: string;
//	                                        training_repository_auth_config:
//	                                        {training_repository_credentials_provider_arn}
//	  outputDataConfig                      s3_output_path, kms_key_id,
//	                                        compression_type: string
//	  checkpointConfig                      s3_uri, local_path: string
//	  environment                           mapping of strings
//	  hyperparameters                       mapping, free-form (json.RawMessage)
//
// and every resource section of the Python schema, each decoded into the
// create request it gives defaults for (Config.TrainingJob, Config.Model,
// ...) and applied by Config.CreateDefaults; docs/config-file.md has the
// table of their keys:
//
//	SageMaker.TrainingJob          RoleArn, EnableNetworkIsolation, EnableInterContainerTrafficEncryption,
//	                               Environment, OutputDataConfig.KmsKeyId, ResourceConfig.VolumeKmsKeyId,
//	                               ProfilerConfig.DisableProfiler, VpcConfig, Tags
//	SageMaker.Model                ExecutionRoleArn, EnableNetworkIsolation, PrimaryContainer.Environment,
//	                               Containers[].Environment, VpcConfig, Tags
//	SageMaker.EndpointConfig       KmsKeyId, DataCaptureConfig.KmsKeyId, AsyncInferenceConfig.OutputConfig.KmsKeyId,
//	                               ProductionVariants[].CoreDumpConfig.KmsKeyId, Tags
//	SageMaker.Endpoint             Tags
//	SageMaker.ProcessingJob        RoleArn, Environment, NetworkConfig (EnableInterContainerTrafficEncryption,
//	                               EnableNetworkIsolation, VpcConfig), ProcessingInputs[].DatasetDefinition
//	                               (AthenaDatasetDefinition.KmsKeyId, RedshiftDatasetDefinition.KmsKeyId and
//	                               .ClusterRoleArn), ProcessingOutputConfig.KmsKeyId,
//	                               ProcessingResources.ClusterConfig.VolumeKmsKeyId, Tags
//	SageMaker.TransformJob         Environment, DataCaptureConfig.KmsKeyId, TransformOutput.KmsKeyId,
//	                               TransformResources.VolumeKmsKeyId, Tags
//	SageMaker.AutoMLJob            RoleArn, OutputDataConfig.KmsKeyId, AutoMLJobConfig.SecurityConfig
//	                               (EnableInterContainerTrafficEncryption, VolumeKmsKeyId, VpcConfig), Tags
//	SageMaker.AutoMLJobV2          RoleArn, OutputDataConfig.KmsKeyId, SecurityConfig (as above), Tags
//	SageMaker.CompilationJob       RoleArn, OutputConfig.KmsKeyId, VpcConfig, Tags
//	SageMaker.EdgePackagingJob     RoleArn, OutputConfig.KmsKeyId, ResourceKey, Tags
//	SageMaker.Pipeline             RoleArn, Tags
//	SageMaker.FeatureGroup         RoleArn, OnlineStoreConfig.SecurityConfig.KmsKeyId,
//	                               OfflineStoreConfig.S3StorageConfig.KmsKeyId, Tags
//	SageMaker.MonitoringSchedule   MonitoringScheduleConfig.MonitoringJobDefinition: RoleArn, Environment,
//	                               MonitoringOutputConfig.KmsKeyId, MonitoringResources.ClusterConfig.VolumeKmsKeyId,
//	                               NetworkConfig; Tags
//	SageMaker.ModelPackage         InferenceSpecification.Containers[].Environment,
//	                               ValidationSpecification.ValidationRole, ValidationSpecification.ValidationProfiles[]
//	                               .TransformJobDefinition (Environment, TransformOutput.KmsKeyId,
//	                               TransformResources.VolumeKmsKeyId)
//
// Their types and limits are the Python schema's: role ARNs match its
// pattern, KMS keys are at most 2048 characters, a VpcConfig has 1-5
// security groups and 1-16 subnets, Tags are at most 50 {Key, Value}, each
// Environment has the schema's limits for its request.
//
// Precedence: a value the program sets explicitly wins over a
// ModelTrainer key, which wins over a TrainingJob key; the user file wins
// over the admin file. CreateDefaults says how each section is merged
// into a request.
//
// Unknown keys are errors naming the key path: at the root (anything
// but SchemaVersion, CustomParameters and SageMaker) and in the sections
// above (Session, ModelTrainer and its nested mappings, the resource
// sections). The Python schema leaves ModelTrainer free-form, so Python
// ignores a misspelt key there; here it is reported. Other keys under
// SageMaker, SageMaker.PythonSDK and SageMaker.PythonSDK.Modules
// (RemoteFunction, NotebookJob, Serve, TelemetryOptOut, PythonSDK.Resources,
// sections of a newer schema) are accepted and ignored, unchecked, unless
// they differ from a known key only in case or underscores
// (SageMaker.EndPointConfig), which is reported as a misspelling.
//
// # Values
//
// Files are parsed as YAML 1.2 (go.yaml.in/yaml/v3) with the literal text
// of numbers kept: where a string is expected in Environment,
// CustomParameters and Tags, a number stands for its text as written
// (LR: 1.0 is "1.0", not "1"), and hyperparameters keep numbers as
// written. Other forms of YAML numbers (0x1F, 1_000) are converted to
// decimal, so quote such values. Unlike PyYAML (YAML 1.1), yes, no, on and
// off are strings: a boolean key given yes is an error saying so. In
// the resource sections and Session null is an error, as in the Python
// schema; in ModelTrainer a null value counts as unset, as it does
// for the Python trainer.
//
// An invalid file is an *Error:
//
//	/home/me/.config/sagemaker/config.yaml: SageMaker.TrainingJob.EnableNetworkIsolation: want a boolean, got "yes" (YAML 1.2 reads it as a string: write true or false)
package smconfig
