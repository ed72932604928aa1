package smconfig

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
)

// CreateDefaults returns the resource sections (SageMaker.TrainingJob,
// SageMaker.Model, SageMaker.EndpointConfig, ...) as create defaults for
// a resources.Client, one function for every create request they cover:
//
//	client := resources.NewFromConfig(awsCfg, resources.WithCreateDefaults(conf.CreateDefaults()))
//
// Each create request then gets the file's values for the members it
// leaves unset: resources merges them deep (explicit values win, an
// Environment gets the keys it lacks). Beyond that, as the Python SDK
// does:
//
//   - Tags are merged by key (Session._append_sagemaker_config_tags): a tag
//     from the file is added unless the request has a tag with its key,
//     even when the request has tags of its own.
//   - Lists (EndpointConfig.ProductionVariants, Model.Containers,
//     ProcessingJob.ProcessingInputs, ModelPackage containers and
//     validation profiles) are merged item by item, the file's first item
//     into the request's first and so on, and only into items that can
//     take the value (update_list_of_dicts_with_values_from_config).
//   - A structure the file's keys cannot make valid alone (a
//     DataCaptureConfig, an OnlineStoreConfig, a ProcessingOutputConfig,
//     ...) is filled only when the request has one; VpcConfig,
//     NetworkConfig and the AutoML security settings, whose members are all
//     optional, are added when the request has none. The VpcConfig of a
//     model or a compilation job is taken only whole.
//   - A KMS key for instance volumes is left out for instance types with
//     local NVMe storage, which take none.
//
// docs/config-file.md lists every key and how it applies. Requests of
// other types are untouched. The function reads no file: the values are
// those Load read.
func (c *Config) CreateDefaults() resources.CreateDefaults {
	return func(ctx context.Context, in any) (any, error) {
		switch r := in.(type) {
		case *shapes.CreateTrainingJobInput:
			return some(c.trainingJobDefaults(ctx, r, c.values().trainingJob)), nil
		case *shapes.CreateModelInput:
			return some(c.modelDefaults(ctx, r, c.values().model)), nil
		case *shapes.CreateEndpointConfigInput:
			return some(c.endpointConfigDefaults(ctx, r, c.values().endpointConfig)), nil
		case *shapes.CreateEndpointInput:
			def := c.values().endpoint
			if def != nil {
				c.mergeTags(ctx, "CreateEndpointInput", &r.Tags, &def.Tags)
			}
			return some(def), nil
		case *shapes.CreateProcessingJobInput:
			return some(c.processingJobDefaults(ctx, r, c.values().processingJob)), nil
		case *shapes.CreateTransformJobInput:
			return some(c.transformJobDefaults(ctx, r, c.values().transformJob)), nil
		case *shapes.CreateAutoMLJobInput:
			def := c.values().autoMLJob
			if def != nil {
				c.mergeTags(ctx, "CreateAutoMLJobInput", &r.Tags, &def.Tags)
				keepIf(r.OutputDataConfig != nil, &def.OutputDataConfig)
			}
			return some(def), nil
		case *shapes.CreateAutoMLJobV2Input:
			def := c.values().autoMLJobV2
			if def != nil {
				c.mergeTags(ctx, "CreateAutoMLJobV2Input", &r.Tags, &def.Tags)
				keepIf(r.OutputDataConfig != nil, &def.OutputDataConfig)
			}
			return some(def), nil
		case *shapes.CreateCompilationJobInput:
			def := c.values().compilationJob
			if def != nil {
				c.mergeTags(ctx, "CreateCompilationJobInput", &r.Tags, &def.Tags)
				keepIf(r.OutputConfig != nil, &def.OutputConfig)
				keepIf(r.VpcConfig == nil, &def.VpcConfig) // taken whole, as Python does
			}
			return some(def), nil
		case *shapes.CreateEdgePackagingJobInput:
			def := c.values().edgePackagingJob
			if def != nil {
				c.mergeTags(ctx, "CreateEdgePackagingJobInput", &r.Tags, &def.Tags)
				keepIf(r.OutputConfig != nil, &def.OutputConfig)
			}
			return some(def), nil
		case *shapes.CreatePipelineInput:
			def := c.values().pipeline
			if def != nil {
				c.mergeTags(ctx, "CreatePipelineInput", &r.Tags, &def.Tags)
			}
			return some(def), nil
		case *shapes.CreateFeatureGroupInput:
			def := c.values().featureGroup
			if def != nil {
				c.mergeTags(ctx, "CreateFeatureGroupInput", &r.Tags, &def.Tags)
				keepIf(r.OnlineStoreConfig != nil, &def.OnlineStoreConfig)
				keepIf(r.OfflineStoreConfig != nil, &def.OfflineStoreConfig)
			}
			return some(def), nil
		case *shapes.CreateMonitoringScheduleInput:
			return some(c.monitoringScheduleDefaults(ctx, r, c.values().monitoringSchedule)), nil
		case *shapes.CreateModelPackageInput:
			return some(c.modelPackageDefaults(ctx, r, c.values().modelPackage)), nil
		}
		return nil, nil
	}
}

// some returns p as an interface, nil (untyped) when p is nil.
func some[T any](p *T) any {
	if p == nil {
		return nil
	}
	return p
}

// keepIf clears *member, a structure of the file's defaults, unless ok.
func keepIf[T any](ok bool, member **T) {
	if !ok {
		*member = nil
	}
}

func (c *Config) trainingJobDefaults(ctx context.Context, in, def *shapes.CreateTrainingJobInput) *shapes.CreateTrainingJobInput {
	if def == nil {
		return nil
	}
	c.mergeTags(ctx, "CreateTrainingJobInput", &in.Tags, &def.Tags)
	keepIf(in.OutputDataConfig != nil, &def.OutputDataConfig)
	keepIf(in.ResourceConfig != nil, &def.ResourceConfig)
	// Session.get_train_request: no volume key from the file for an
	// instance type with NVMe storage. ResourceConfig holds only that key.
	if in.ResourceConfig != nil && !instanceSupportsKMS(string(in.ResourceConfig.InstanceType)) {
		def.ResourceConfig = nil
	}
	return def
}

func (c *Config) modelDefaults(ctx context.Context, in, def *shapes.CreateModelInput) *shapes.CreateModelInput {
	if def == nil {
		return nil
	}
	c.mergeTags(ctx, "CreateModelInput", &in.Tags, &def.Tags)
	keepIf(in.VpcConfig == nil, &def.VpcConfig) // Session.create_model takes it whole
	keepIf(in.PrimaryContainer != nil, &def.PrimaryContainer)
	if merged, ok := mergeItems(in.Containers, def.Containers, func(item, file shapes.ContainerDefinition) (shapes.ContainerDefinition, bool) {
		var ok bool
		item.Environment, ok = fillMap(item.Environment, file.Environment)
		return item, ok
	}); ok {
		in.Containers = merged
		c.debug(ctx, "smconfig: config values merged into list items", "request", "CreateModelInput", "member", "Containers")
	}
	def.Containers = nil
	return def
}

func (c *Config) endpointConfigDefaults(ctx context.Context, in, def *shapes.CreateEndpointConfigInput) *shapes.CreateEndpointConfigInput {
	if def == nil {
		return nil
	}
	c.mergeTags(ctx, "CreateEndpointConfigInput", &in.Tags, &def.Tags)
	keepIf(in.DataCaptureConfig != nil, &def.DataCaptureConfig)
	keepIf(in.AsyncInferenceConfig != nil, &def.AsyncInferenceConfig)
	// The endpoint's storage key, only when a variant's instance type
	// takes one (none for serverless variants, which have no instance
	// type, or for NVMe instance types).
	if !slices.ContainsFunc(in.ProductionVariants, func(v shapes.ProductionVariant) bool {
		return v.InstanceType != "" && instanceSupportsKMS(string(v.InstanceType))
	}) {
		def.KmsKeyId = ""
	}
	// A variant's CoreDumpConfig.KmsKeyId goes only into a CoreDumpConfig
	// with a DestinationS3Uri, the member the API requires with it.
	if merged, ok := mergeItems(in.ProductionVariants, def.ProductionVariants, func(item, file shapes.ProductionVariant) (shapes.ProductionVariant, bool) {
		if file.CoreDumpConfig == nil || item.CoreDumpConfig == nil || item.CoreDumpConfig.DestinationS3Uri == "" {
			return item, false
		}
		var ok bool
		item.CoreDumpConfig, ok = fill(item.CoreDumpConfig, func(cd *shapes.ProductionVariantCoreDumpConfig) bool {
			return fillString(&cd.KmsKeyId, file.CoreDumpConfig.KmsKeyId)
		})
		return item, ok
	}); ok {
		in.ProductionVariants = merged
		c.debug(ctx, "smconfig: config values merged into list items", "request", "CreateEndpointConfigInput", "member", "ProductionVariants")
	}
	def.ProductionVariants = nil
	return def
}

func (c *Config) processingJobDefaults(ctx context.Context, in, def *shapes.CreateProcessingJobInput) *shapes.CreateProcessingJobInput {
	if def == nil {
		return nil
	}
	c.mergeTags(ctx, "CreateProcessingJobInput", &in.Tags, &def.Tags)
	keepIf(in.ProcessingOutputConfig != nil, &def.ProcessingOutputConfig)
	keepIf(in.ProcessingResources != nil, &def.ProcessingResources)
	if merged, ok := mergeItems(in.ProcessingInputs, def.ProcessingInputs, mergeProcessingInput); ok {
		in.ProcessingInputs = merged
		c.debug(ctx, "smconfig: config values merged into list items", "request", "CreateProcessingJobInput", "member", "ProcessingInputs")
	}
	def.ProcessingInputs = nil
	return def
}

// mergeProcessingInput merges the file's DatasetDefinition keys into an
// input with the same kind of dataset definition. As in Python, the merge
// is not done when it would leave the input with both an S3Input and a
// DatasetDefinition, or both an Athena and a Redshift definition.
func mergeProcessingInput(item, file shapes.ProcessingInput) (shapes.ProcessingInput, bool) {
	fd, dd := file.DatasetDefinition, item.DatasetDefinition
	switch {
	case fd == nil || dd == nil || item.S3Input != nil:
		return item, false
	case fd.AthenaDatasetDefinition != nil && (fd.RedshiftDatasetDefinition != nil || dd.RedshiftDatasetDefinition != nil),
		fd.RedshiftDatasetDefinition != nil && dd.AthenaDatasetDefinition != nil:
		return item, false
	}
	var ok bool
	item.DatasetDefinition, ok = fill(dd, func(dd *shapes.DatasetDefinition) bool {
		var a, r bool
		if fa := fd.AthenaDatasetDefinition; fa != nil && dd.AthenaDatasetDefinition != nil {
			dd.AthenaDatasetDefinition, a = fill(dd.AthenaDatasetDefinition, func(ad *shapes.AthenaDatasetDefinition) bool {
				return fillString(&ad.KmsKeyId, fa.KmsKeyId)
			})
		}
		if fr := fd.RedshiftDatasetDefinition; fr != nil && dd.RedshiftDatasetDefinition != nil {
			dd.RedshiftDatasetDefinition, r = fill(dd.RedshiftDatasetDefinition, func(rd *shapes.RedshiftDatasetDefinition) bool {
				k := fillString(&rd.KmsKeyId, fr.KmsKeyId)
				return fillString(&rd.ClusterRoleArn, fr.ClusterRoleArn) || k
			})
		}
		return a || r
	})
	return item, ok
}

func (c *Config) transformJobDefaults(ctx context.Context, in, def *shapes.CreateTransformJobInput) *shapes.CreateTransformJobInput {
	if def == nil {
		return nil
	}
	c.mergeTags(ctx, "CreateTransformJobInput", &in.Tags, &def.Tags)
	keepIf(in.DataCaptureConfig != nil, &def.DataCaptureConfig)
	keepIf(in.TransformOutput != nil, &def.TransformOutput)
	keepIf(in.TransformResources != nil, &def.TransformResources)
	return def
}

func (c *Config) monitoringScheduleDefaults(ctx context.Context, in, def *shapes.CreateMonitoringScheduleInput) *shapes.CreateMonitoringScheduleInput {
	if def == nil {
		return nil
	}
	c.mergeTags(ctx, "CreateMonitoringScheduleInput", &in.Tags, &def.Tags)
	// The job definition's keys go only into a request's own definition:
	// a schedule may name a separate one (MonitoringJobDefinitionName).
	if in.MonitoringScheduleConfig == nil || in.MonitoringScheduleConfig.MonitoringJobDefinition == nil {
		def.MonitoringScheduleConfig = nil
	} else if def.MonitoringScheduleConfig != nil && def.MonitoringScheduleConfig.MonitoringJobDefinition != nil {
		j, fj := in.MonitoringScheduleConfig.MonitoringJobDefinition, def.MonitoringScheduleConfig.MonitoringJobDefinition
		keepIf(j.MonitoringOutputConfig != nil, &fj.MonitoringOutputConfig)
		keepIf(j.MonitoringResources != nil, &fj.MonitoringResources)
	}
	return def
}

func (c *Config) modelPackageDefaults(ctx context.Context, in, def *shapes.CreateModelPackageInput) *shapes.CreateModelPackageInput {
	if def == nil {
		return nil
	}
	if spec, fspec := in.InferenceSpecification, def.InferenceSpecification; spec != nil && fspec != nil {
		// Only into containers with an Image, the member the API requires.
		if merged, ok := mergeItems(spec.Containers, fspec.Containers, func(item, file shapes.ModelPackageContainerDefinition) (shapes.ModelPackageContainerDefinition, bool) {
			if item.Image == "" {
				return item, false
			}
			var ok bool
			item.Environment, ok = fillMap(item.Environment, file.Environment)
			return item, ok
		}); ok {
			cp := *spec
			cp.Containers = merged
			in.InferenceSpecification = &cp
			c.debug(ctx, "smconfig: config values merged into list items", "request", "CreateModelPackageInput", "member", "InferenceSpecification.Containers")
		}
	}
	def.InferenceSpecification = nil
	if spec, fspec := in.ValidationSpecification, def.ValidationSpecification; spec == nil || fspec == nil {
		def.ValidationSpecification = nil
	} else {
		// Only into profiles with a ProfileName and a
		// TransformJobDefinition, the members the API requires.
		if merged, ok := mergeItems(spec.ValidationProfiles, fspec.ValidationProfiles, func(item, file shapes.ModelPackageValidationProfile) (shapes.ModelPackageValidationProfile, bool) {
			if item.ProfileName == "" || item.TransformJobDefinition == nil || file.TransformJobDefinition == nil {
				return item, false
			}
			var ok bool
			item.TransformJobDefinition, ok = fill(item.TransformJobDefinition, func(t *shapes.TransformJobDefinition) bool {
				return mergeTransformJobDefinition(t, file.TransformJobDefinition)
			})
			return item, ok
		}); ok {
			cp := *spec
			cp.ValidationProfiles = merged
			in.ValidationSpecification = &cp
			c.debug(ctx, "smconfig: config values merged into list items", "request", "CreateModelPackageInput", "member", "ValidationSpecification.ValidationProfiles")
		}
		fspec.ValidationProfiles = nil
		keepIf(fspec.ValidationRole != "", &def.ValidationSpecification)
	}
	return def
}

// mergeTransformJobDefinition fills t (a copy) from the file's: the
// Environment keys it lacks, and the KMS keys of its TransformOutput and
// TransformResources.
func mergeTransformJobDefinition(t, file *shapes.TransformJobDefinition) bool {
	var env, out, res bool
	t.Environment, env = fillMap(t.Environment, file.Environment)
	if t.TransformOutput != nil && file.TransformOutput != nil {
		t.TransformOutput, out = fill(t.TransformOutput, func(o *shapes.TransformOutput) bool {
			return fillString(&o.KmsKeyId, file.TransformOutput.KmsKeyId)
		})
	}
	if t.TransformResources != nil && file.TransformResources != nil {
		t.TransformResources, res = fill(t.TransformResources, func(r *shapes.TransformResources) bool {
			return fillString(&r.VolumeKmsKeyId, file.TransformResources.VolumeKmsKeyId)
		})
	}
	return env || out || res
}

// mergeItems merges the file's list into the request's item by item, as
// Python's update_list_of_dicts_with_values_from_config does: file item i
// into request item i, for as many items as both lists have. merge
// returns the merged item and whether it changed. The result is a new
// slice, and ok reports whether any item changed; the request's list
// stays as it was.
func mergeItems[T any](list, file []T, merge func(item, file T) (T, bool)) (out []T, ok bool) {
	for i := range min(len(list), len(file)) {
		m, changed := merge(list[i], file[i])
		if !changed {
			continue
		}
		if out == nil {
			out = slices.Clone(list)
		}
		out[i] = m
	}
	return out, out != nil
}

// fill calls set on a copy of *p and returns the copy if set changed it,
// else p: values the caller shares are never written.
func fill[T any](p *T, set func(*T) bool) (*T, bool) {
	cp := *p
	if set(&cp) {
		return &cp, true
	}
	return p, false
}

// fillString sets *dst to v when *dst is unset.
func fillString(dst *string, v string) bool {
	if *dst != "" || v == "" {
		return false
	}
	*dst = v
	return true
}

// fillMap returns m with the entries of file whose keys it lacks, in a new
// map if any is added.
func fillMap(m, file map[string]string) (map[string]string, bool) {
	var out map[string]string
	for _, k := range slices.Sorted(maps.Keys(file)) {
		if _, ok := m[k]; ok {
			continue
		}
		if out == nil {
			out = make(map[string]string, len(m)+len(file))
			maps.Copy(out, m)
		}
		out[k] = file[k]
	}
	if out == nil {
		return m, false
	}
	return out, true
}

// mergeTags merges the file's tags into the request's by key. When the
// request has none, resources copies the file's list; when it has some,
// the merged list goes into the request itself (a copy the client owns,
// given a new backing array so that the caller's stays as it was).
func (c *Config) mergeTags(ctx context.Context, request string, in, def *[]shapes.Tag) {
	if len(*def) == 0 || len(*in) == 0 {
		return
	}
	merged, added := mergeTagLists(*in, *def)
	*in = merged
	*def = nil
	if len(added) > 0 {
		c.debug(ctx, "smconfig: config tags added", "request", request, "keys", added)
	}
}

// mergeTagLists returns the request's tags followed by the config tags
// whose keys the request lacks, in a new slice, and the keys added.
func mergeTagLists(request, config []shapes.Tag) ([]shapes.Tag, []string) {
	out := make([]shapes.Tag, 0, len(request)+len(config))
	out = append(out, request...)
	have := make(map[string]bool, len(request))
	for _, t := range request {
		have[t.Key] = true
	}
	var added []string
	for _, t := range config {
		if !have[t.Key] {
			have[t.Key] = true
			out = append(out, t)
			added = append(added, t.Key)
		}
	}
	return out, added
}

// instanceSupportsKMS reports whether an instance type takes a KMS key
// for its storage volume, by the Python SDK's rule
// (utils.instance_supports_kms): not the families with local NVMe
// storage (a "d" in the family: c5d, p4d, ...; g5, g6, p5, trn1), nor
// local mode. An empty or unparsed type counts as taking one.
func instanceSupportsKMS(instanceType string) bool {
	if strings.HasPrefix(instanceType, "local") {
		return false
	}
	parts := strings.Split(instanceType, ".")
	if len(parts) == 3 && parts[0] == "ml" {
		parts = parts[1:]
	}
	if len(parts) != 2 {
		return true
	}
	family := parts[0]
	if strings.Contains(family, "d") {
		return false
	}
	for _, p := range []string{"g5", "g6", "p5", "trn1"} {
		if strings.HasPrefix(family, p) {
			return false
		}
	}
	return true
}
