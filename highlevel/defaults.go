package highlevel

import (
	"context"
	"maps"

	"github.com/smcore-go/smcore/shapes"
)

// applyTrainerDefaults fills the configuration from the config file's
// SageMaker.PythonSDK.Modules.ModelTrainer keys, each only where the
// configuration leaves it unset (as the Python SDK applies them: before
// the SageMaker.TrainingJob keys, which the resources client adds to the
// request later). What it fills is logged at debug level.
func (t *ModelTrainer) applyTrainerDefaults() {
	if t.conf == nil {
		return
	}
	d := t.conf.ModelTrainer()
	c := &t.cfg
	var applied []string
	fill := func(key string, unset bool, set func()) {
		if unset {
			set()
			applied = append(applied, key)
		}
	}
	fill("role", c.RoleArn == "" && d.Role != "", func() { c.RoleArn = d.Role })
	fill("baseJobName", c.BaseJobName == "" && d.BaseJobName != "", func() { c.BaseJobName = d.BaseJobName })
	if sc := d.SourceCode; sc != nil {
		fill("sourceCode", c.SourceCode == nil, func() {
			c.SourceCode = &SourceCode{SourceDir: sc.SourceDir, Requirements: sc.Requirements, EntryScript: sc.EntryScript,
				Command: sc.Command, IgnorePatterns: sc.IgnorePatterns}
		})
	}
	if cp := d.Compute; cp != nil {
		fill("compute", c.ResourceConfig == nil, func() {
			c.ResourceConfig = &shapes.ResourceConfig{InstanceType: cp.InstanceType, InstanceCount: cp.InstanceCount,
				VolumeSizeInGB: cp.VolumeSizeInGB, VolumeKmsKeyId: cp.VolumeKmsKeyId, KeepAlivePeriodInSeconds: cp.KeepAlivePeriodInSeconds,
				InstanceGroups: cp.InstanceGroups, TrainingPlanArn: cp.TrainingPlanArn, InstancePlacementConfig: cp.InstancePlacementConfig}
		})
		fill("compute.enable_managed_spot_training", c.EnableManagedSpotTraining == nil && cp.EnableManagedSpotTraining != nil,
			func() { c.EnableManagedSpotTraining = cp.EnableManagedSpotTraining })
	}
	if n := d.Networking; n != nil {
		fill("networking", c.VpcConfig == nil && (len(n.Subnets) > 0 || len(n.SecurityGroupIds) > 0), func() {
			c.VpcConfig = &shapes.VpcConfig{Subnets: n.Subnets, SecurityGroupIds: n.SecurityGroupIds}
		})
		fill("networking.enable_network_isolation", c.EnableNetworkIsolation == nil && n.EnableNetworkIsolation != nil,
			func() { c.EnableNetworkIsolation = n.EnableNetworkIsolation })
		fill("networking.enable_inter_container_traffic_encryption", c.EnableInterContainerTrafficEncryption == nil && n.EnableInterContainerTrafficEncryption != nil,
			func() { c.EnableInterContainerTrafficEncryption = n.EnableInterContainerTrafficEncryption })
	}
	fill("stoppingCondition", c.StoppingCondition == nil && d.StoppingCondition != nil, func() { c.StoppingCondition = d.StoppingCondition })
	noImage := c.AlgorithmSpecification == nil || c.AlgorithmSpecification.TrainingImage == "" && c.AlgorithmSpecification.AlgorithmName == ""
	spec := func() *shapes.AlgorithmSpecification {
		if c.AlgorithmSpecification == nil {
			c.AlgorithmSpecification = &shapes.AlgorithmSpecification{}
		} else {
			s := *c.AlgorithmSpecification
			c.AlgorithmSpecification = &s
		}
		return c.AlgorithmSpecification
	}
	fill("trainingImage", noImage && d.TrainingImage != "", func() { spec().TrainingImage = d.TrainingImage })
	fill("algorithmName", noImage && d.TrainingImage == "" && d.AlgorithmName != "", func() { spec().AlgorithmName = d.AlgorithmName })
	fill("trainingImageConfig", d.TrainingImageConfig != nil && (c.AlgorithmSpecification == nil || c.AlgorithmSpecification.TrainingImageConfig == nil),
		func() { spec().TrainingImageConfig = d.TrainingImageConfig })
	fill("trainingInputMode", d.TrainingInputMode != "" && (c.AlgorithmSpecification == nil || c.AlgorithmSpecification.TrainingInputMode == ""),
		func() { spec().TrainingInputMode = d.TrainingInputMode })
	fill("outputDataConfig", c.OutputDataConfig == nil && d.OutputDataConfig != nil, func() { c.OutputDataConfig = d.OutputDataConfig })
	fill("checkpointConfig", c.CheckpointConfig == nil && d.CheckpointConfig != nil, func() { c.CheckpointConfig = d.CheckpointConfig })
	fill("environment", c.Environment == nil && d.Environment != nil, func() { c.Environment = maps.Clone(d.Environment) })
	fill("hyperparameters", c.HyperParameters == nil && c.CreateTrainingJobInput.HyperParameters == nil && c.HyperParametersFile == "" && d.Hyperparameters != nil,
		func() {
			c.HyperParameters = make(map[string]any, len(d.Hyperparameters))
			for k, v := range d.Hyperparameters {
				c.HyperParameters[k] = v
			}
		})
	if len(applied) > 0 {
		t.logger.DebugContext(context.Background(), "smcore: config-file defaults applied",
			"files", t.conf.Files(), "section", "SageMaker.PythonSDK.Modules.ModelTrainer", "keys", applied)
	}
}
