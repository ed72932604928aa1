package smconfig

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/smcore-go/smcore/shapes"
)

// The SageMaker.<Resource> sections of the Python schema (config_schema.py),
// each decoded into the create request it gives defaults for. The keys,
// types and limits are the schema's; every section is closed (an unknown
// key is an error) and null is never a value, as there.

// sections are the resource sections' decoded values; nil for a section
// the files do not have (or have empty).
type sections struct {
	trainingJob        *shapes.CreateTrainingJobInput
	model              *shapes.CreateModelInput
	endpointConfig     *shapes.CreateEndpointConfigInput
	endpoint           *shapes.CreateEndpointInput
	processingJob      *shapes.CreateProcessingJobInput
	transformJob       *shapes.CreateTransformJobInput
	autoMLJob          *shapes.CreateAutoMLJobInput
	autoMLJobV2        *shapes.CreateAutoMLJobV2Input
	compilationJob     *shapes.CreateCompilationJobInput
	edgePackagingJob   *shapes.CreateEdgePackagingJobInput
	pipeline           *shapes.CreatePipelineInput
	featureGroup       *shapes.CreateFeatureGroupInput
	monitoringSchedule *shapes.CreateMonitoringScheduleInput
	modelPackage       *shapes.CreateModelPackageInput
}

// resourceSections returns the fields of the SageMaker mapping that hold
// resource sections.
func (d decoder) resourceSections(s *sections) map[string]field {
	return map[string]field{
		"TrainingJob":      section(d, &s.trainingJob, d.trainingJob),
		"Model":            section(d, &s.model, d.model),
		"EndpointConfig":   section(d, &s.endpointConfig, d.endpointConfig),
		"Endpoint":         section(d, &s.endpoint, func(e *shapes.CreateEndpointInput) map[string]field { return map[string]field{"Tags": tags(&e.Tags)} }),
		"ProcessingJob":    section(d, &s.processingJob, d.processingJob),
		"TransformJob":     section(d, &s.transformJob, d.transformJob),
		"AutoMLJob":        section(d, &s.autoMLJob, d.autoMLJob),
		"AutoMLJobV2":      section(d, &s.autoMLJobV2, d.autoMLJobV2),
		"CompilationJob":   section(d, &s.compilationJob, d.compilationJob),
		"EdgePackagingJob": section(d, &s.edgePackagingJob, d.edgePackagingJob),
		"Pipeline": section(d, &s.pipeline, func(p *shapes.CreatePipelineInput) map[string]field {
			return map[string]field{"RoleArn": str(&p.RoleArn, roleArn), "Tags": tags(&p.Tags)}
		}),
		"FeatureGroup":       section(d, &s.featureGroup, d.featureGroup),
		"MonitoringSchedule": section(d, &s.monitoringSchedule, d.monitoringSchedule),
		"ModelPackage":       section(d, &s.modelPackage, d.modelPackage),
	}
}

// section decodes a mapping into a new T, which *dst then points to unless
// the mapping set nothing.
func section[T any](d decoder, dst **T, fields func(*T) map[string]field) field {
	return func(p string, v any) *Error {
		t := new(T)
		if err := d.object(object{fields: fields(t)})(p, v); err != nil {
			return err
		}
		if !reflect.ValueOf(t).Elem().IsZero() {
			*dst = t
		}
		return nil
	}
}

// nested decodes a mapping into a new T that *dst points to.
func nested[T any](d decoder, dst **T, fields func(*T) map[string]field) field {
	return func(p string, v any) *Error {
		t := new(T)
		*dst = t
		return d.object(object{fields: fields(t)})(p, v)
	}
}

// items reads a list of lo to hi mappings (hi 0: any number), each with
// the fields fields returns.
func items[T any](d decoder, dst *[]T, lo, hi int, fields func(*T) map[string]field) field {
	return func(p string, v any) *Error {
		list, ok := v.([]any)
		if !ok {
			return wrongType(p, "a list", v)
		}
		if len(list) < lo || hi > 0 && len(list) > hi {
			return &Error{Path: p, Problem: itemCount(lo, hi, len(list))}
		}
		out := make([]T, len(list))
		for i, it := range list {
			if err := d.object(object{fields: fields(&out[i])})(p+"["+strconv.Itoa(i)+"]", it); err != nil {
				return err
			}
		}
		*dst = out
		return nil
	}
}

func itemCount(lo, hi, n int) string {
	switch {
	case hi == 0:
		return fmt.Sprintf("want at least %d items, got %d", lo, n)
	case lo == hi:
		return fmt.Sprintf("want exactly %d item, got %d", lo, n)
	}
	return fmt.Sprintf("want %d to %d items, got %d", lo, hi, n)
}

// The schema's shared definitions.

func kmsKeyID(dst *string) field { return str(dst, length(0, 2048)) }

func role(dst *string) field { return str(dst, roleArn) }

// environment reads the schema's environment-LengthN-PropertiesM: names of
// at most maxName characters, values of at most maxValue, at most
// maxEntries of them.
func (d decoder) environment(dst *map[string]string, maxName, maxValue, maxEntries int) field {
	return d.textMap(dst, envNameOf(maxName), length(0, maxValue), maxEntries)
}

// vpcConfig reads the schema's vpcConfig into the members of a VpcConfig
// or a NeoVpcConfig.
func vpcConfig(securityGroupIDs, subnets *[]string) map[string]field {
	return map[string]field{
		"SecurityGroupIds": strList(securityGroupIDs, vpcID, 1, 5),
		"Subnets":          strList(subnets, vpcID, 1, 16),
	}
}

func (d decoder) vpc(dst **shapes.VpcConfig) field {
	return nested(d, dst, func(c *shapes.VpcConfig) map[string]field { return vpcConfig(&c.SecurityGroupIds, &c.Subnets) })
}

// networkConfig reads the NetworkConfig of processing and monitoring jobs.
func (d decoder) networkConfig(dst **shapes.NetworkConfig) field {
	return nested(d, dst, func(n *shapes.NetworkConfig) map[string]field {
		return map[string]field{
			"EnableInterContainerTrafficEncryption": boolean(&n.EnableInterContainerTrafficEncryption),
			"EnableNetworkIsolation":                boolean(&n.EnableNetworkIsolation),
			"VpcConfig":                             d.vpc(&n.VpcConfig),
		}
	})
}

// autoMLSecurityConfig reads AutoMLJob.AutoMLJobConfig.SecurityConfig and
// AutoMLJobV2.SecurityConfig.
func (d decoder) autoMLSecurityConfig(dst **shapes.AutoMLSecurityConfig) field {
	return nested(d, dst, func(s *shapes.AutoMLSecurityConfig) map[string]field {
		return map[string]field{
			"EnableInterContainerTrafficEncryption": boolean(&s.EnableInterContainerTrafficEncryption),
			"VolumeKmsKeyId":                        kmsKeyID(&s.VolumeKmsKeyId),
			"VpcConfig":                             d.vpc(&s.VpcConfig),
		}
	})
}

func (d decoder) autoMLOutputDataConfig(dst **shapes.AutoMLOutputDataConfig) field {
	return nested(d, dst, func(o *shapes.AutoMLOutputDataConfig) map[string]field {
		return map[string]field{"KmsKeyId": kmsKeyID(&o.KmsKeyId)}
	})
}

// container reads the schema's container: an Environment.
func (d decoder) container(env *map[string]string) map[string]field {
	return map[string]field{"Environment": d.environment(env, 1024, 1024, 16)}
}

// The sections.

// trainingJob decodes SageMaker.TrainingJob.
func (d decoder) trainingJob(job *shapes.CreateTrainingJobInput) map[string]field {
	return map[string]field{
		"EnableInterContainerTrafficEncryption": boolean(&job.EnableInterContainerTrafficEncryption),
		"EnableNetworkIsolation":                boolean(&job.EnableNetworkIsolation),
		"Environment":                           d.environment(&job.Environment, 512, 512, 48),
		"OutputDataConfig": nested(d, &job.OutputDataConfig, func(c *shapes.OutputDataConfig) map[string]field {
			return map[string]field{"KmsKeyId": kmsKeyID(&c.KmsKeyId)}
		}),
		"ResourceConfig": nested(d, &job.ResourceConfig, func(c *shapes.ResourceConfig) map[string]field {
			return map[string]field{"VolumeKmsKeyId": kmsKeyID(&c.VolumeKmsKeyId)}
		}),
		"ProfilerConfig": nested(d, &job.ProfilerConfig, func(c *shapes.ProfilerConfig) map[string]field {
			return map[string]field{"DisableProfiler": boolean(&c.DisableProfiler)}
		}),
		"RoleArn":   role(&job.RoleArn),
		"VpcConfig": d.vpc(&job.VpcConfig),
		"Tags":      tags(&job.Tags),
	}
}

// model decodes SageMaker.Model.
func (d decoder) model(m *shapes.CreateModelInput) map[string]field {
	return map[string]field{
		"Containers": items(d, &m.Containers, 0, 15, func(c *shapes.ContainerDefinition) map[string]field {
			return d.container(&c.Environment)
		}),
		"EnableNetworkIsolation": boolean(&m.EnableNetworkIsolation),
		"ExecutionRoleArn":       role(&m.ExecutionRoleArn),
		"PrimaryContainer": nested(d, &m.PrimaryContainer, func(c *shapes.ContainerDefinition) map[string]field {
			return d.container(&c.Environment)
		}),
		"VpcConfig": d.vpc(&m.VpcConfig),
		"Tags":      tags(&m.Tags),
	}
}

// endpointConfig decodes SageMaker.EndpointConfig.
func (d decoder) endpointConfig(ec *shapes.CreateEndpointConfigInput) map[string]field {
	return map[string]field{
		"AsyncInferenceConfig": nested(d, &ec.AsyncInferenceConfig, func(a *shapes.AsyncInferenceConfig) map[string]field {
			return map[string]field{
				"OutputConfig": nested(d, &a.OutputConfig, func(o *shapes.AsyncInferenceOutputConfig) map[string]field {
					return map[string]field{"KmsKeyId": kmsKeyID(&o.KmsKeyId)}
				}),
			}
		}),
		"DataCaptureConfig": nested(d, &ec.DataCaptureConfig, func(c *shapes.DataCaptureConfig) map[string]field {
			return map[string]field{"KmsKeyId": kmsKeyID(&c.KmsKeyId)}
		}),
		"KmsKeyId": kmsKeyID(&ec.KmsKeyId),
		"ProductionVariants": items(d, &ec.ProductionVariants, 0, 0, func(pv *shapes.ProductionVariant) map[string]field {
			return map[string]field{
				"CoreDumpConfig": nested(d, &pv.CoreDumpConfig, func(c *shapes.ProductionVariantCoreDumpConfig) map[string]field {
					return map[string]field{"KmsKeyId": kmsKeyID(&c.KmsKeyId)}
				}),
			}
		}),
		"Tags": tags(&ec.Tags),
	}
}

// processingJob decodes SageMaker.ProcessingJob.
func (d decoder) processingJob(pj *shapes.CreateProcessingJobInput) map[string]field {
	return map[string]field{
		"Environment":   d.environment(&pj.Environment, 256, 256, 100),
		"NetworkConfig": d.networkConfig(&pj.NetworkConfig),
		"ProcessingInputs": items(d, &pj.ProcessingInputs, 0, 10, func(in *shapes.ProcessingInput) map[string]field {
			return map[string]field{
				"DatasetDefinition": nested(d, &in.DatasetDefinition, func(dd *shapes.DatasetDefinition) map[string]field {
					return map[string]field{
						"AthenaDatasetDefinition": nested(d, &dd.AthenaDatasetDefinition, func(a *shapes.AthenaDatasetDefinition) map[string]field {
							return map[string]field{"KmsKeyId": kmsKeyID(&a.KmsKeyId)}
						}),
						"RedshiftDatasetDefinition": nested(d, &dd.RedshiftDatasetDefinition, func(r *shapes.RedshiftDatasetDefinition) map[string]field {
							return map[string]field{"KmsKeyId": kmsKeyID(&r.KmsKeyId), "ClusterRoleArn": role(&r.ClusterRoleArn)}
						}),
					}
				}),
			}
		}),
		"ProcessingOutputConfig": nested(d, &pj.ProcessingOutputConfig, func(o *shapes.ProcessingOutputConfig) map[string]field {
			return map[string]field{"KmsKeyId": kmsKeyID(&o.KmsKeyId)}
		}),
		"ProcessingResources": nested(d, &pj.ProcessingResources, func(r *shapes.ProcessingResources) map[string]field {
			return map[string]field{
				"ClusterConfig": nested(d, &r.ClusterConfig, func(c *shapes.ProcessingClusterConfig) map[string]field {
					return map[string]field{"VolumeKmsKeyId": kmsKeyID(&c.VolumeKmsKeyId)}
				}),
			}
		}),
		"RoleArn": role(&pj.RoleArn),
		"Tags":    tags(&pj.Tags),
	}
}

// transformOutputAndResources are the members TransformJob and a model
// package's TransformJobDefinition share.
func (d decoder) transformOutputAndResources(out **shapes.TransformOutput, res **shapes.TransformResources) map[string]field {
	return map[string]field{
		"TransformOutput": nested(d, out, func(o *shapes.TransformOutput) map[string]field {
			return map[string]field{"KmsKeyId": kmsKeyID(&o.KmsKeyId)}
		}),
		"TransformResources": nested(d, res, func(r *shapes.TransformResources) map[string]field {
			return map[string]field{"VolumeKmsKeyId": kmsKeyID(&r.VolumeKmsKeyId)}
		}),
	}
}

// transformJob decodes SageMaker.TransformJob.
func (d decoder) transformJob(tj *shapes.CreateTransformJobInput) map[string]field {
	f := d.transformOutputAndResources(&tj.TransformOutput, &tj.TransformResources)
	f["DataCaptureConfig"] = nested(d, &tj.DataCaptureConfig, func(c *shapes.BatchDataCaptureConfig) map[string]field {
		return map[string]field{"KmsKeyId": kmsKeyID(&c.KmsKeyId)}
	})
	f["Environment"] = d.environment(&tj.Environment, 1024, 10240, 16)
	f["Tags"] = tags(&tj.Tags)
	return f
}

// autoMLJob decodes SageMaker.AutoMLJob.
func (d decoder) autoMLJob(j *shapes.CreateAutoMLJobInput) map[string]field {
	return map[string]field{
		"AutoMLJobConfig": nested(d, &j.AutoMLJobConfig, func(c *shapes.AutoMLJobConfig) map[string]field {
			return map[string]field{"SecurityConfig": d.autoMLSecurityConfig(&c.SecurityConfig)}
		}),
		"OutputDataConfig": d.autoMLOutputDataConfig(&j.OutputDataConfig),
		"RoleArn":          role(&j.RoleArn),
		"Tags":             tags(&j.Tags),
	}
}

// autoMLJobV2 decodes SageMaker.AutoMLJobV2.
func (d decoder) autoMLJobV2(j *shapes.CreateAutoMLJobV2Input) map[string]field {
	return map[string]field{
		"SecurityConfig":   d.autoMLSecurityConfig(&j.SecurityConfig),
		"OutputDataConfig": d.autoMLOutputDataConfig(&j.OutputDataConfig),
		"RoleArn":          role(&j.RoleArn),
		"Tags":             tags(&j.Tags),
	}
}

// compilationJob decodes SageMaker.CompilationJob.
func (d decoder) compilationJob(j *shapes.CreateCompilationJobInput) map[string]field {
	return map[string]field{
		"OutputConfig": nested(d, &j.OutputConfig, func(o *shapes.OutputConfig) map[string]field {
			return map[string]field{"KmsKeyId": kmsKeyID(&o.KmsKeyId)}
		}),
		"RoleArn": role(&j.RoleArn),
		"VpcConfig": nested(d, &j.VpcConfig, func(c *shapes.NeoVpcConfig) map[string]field {
			return vpcConfig(&c.SecurityGroupIds, &c.Subnets)
		}),
		"Tags": tags(&j.Tags),
	}
}

// edgePackagingJob decodes SageMaker.EdgePackagingJob.
func (d decoder) edgePackagingJob(j *shapes.CreateEdgePackagingJobInput) map[string]field {
	return map[string]field{
		"OutputConfig": nested(d, &j.OutputConfig, func(o *shapes.EdgeOutputConfig) map[string]field {
			return map[string]field{"KmsKeyId": kmsKeyID(&o.KmsKeyId)}
		}),
		"ResourceKey": kmsKeyID(&j.ResourceKey),
		"RoleArn":     role(&j.RoleArn),
		"Tags":        tags(&j.Tags),
	}
}

// featureGroup decodes SageMaker.FeatureGroup.
func (d decoder) featureGroup(fg *shapes.CreateFeatureGroupInput) map[string]field {
	return map[string]field{
		"OfflineStoreConfig": nested(d, &fg.OfflineStoreConfig, func(c *shapes.OfflineStoreConfig) map[string]field {
			return map[string]field{
				"S3StorageConfig": nested(d, &c.S3StorageConfig, func(s *shapes.S3StorageConfig) map[string]field {
					return map[string]field{"KmsKeyId": kmsKeyID(&s.KmsKeyId)}
				}),
			}
		}),
		"OnlineStoreConfig": nested(d, &fg.OnlineStoreConfig, func(c *shapes.OnlineStoreConfig) map[string]field {
			return map[string]field{
				"SecurityConfig": nested(d, &c.SecurityConfig, func(s *shapes.OnlineStoreSecurityConfig) map[string]field {
					return map[string]field{"KmsKeyId": kmsKeyID(&s.KmsKeyId)}
				}),
			}
		}),
		"RoleArn": role(&fg.RoleArn),
		"Tags":    tags(&fg.Tags),
	}
}

// monitoringSchedule decodes SageMaker.MonitoringSchedule.
func (d decoder) monitoringSchedule(ms *shapes.CreateMonitoringScheduleInput) map[string]field {
	return map[string]field{
		"MonitoringScheduleConfig": nested(d, &ms.MonitoringScheduleConfig, func(c *shapes.MonitoringScheduleConfig) map[string]field {
			return map[string]field{
				"MonitoringJobDefinition": nested(d, &c.MonitoringJobDefinition, func(j *shapes.MonitoringJobDefinition) map[string]field {
					return map[string]field{
						"Environment": d.environment(&j.Environment, 256, 256, 50),
						"MonitoringOutputConfig": nested(d, &j.MonitoringOutputConfig, func(o *shapes.MonitoringOutputConfig) map[string]field {
							return map[string]field{"KmsKeyId": kmsKeyID(&o.KmsKeyId)}
						}),
						"MonitoringResources": nested(d, &j.MonitoringResources, func(r *shapes.MonitoringResources) map[string]field {
							return map[string]field{
								"ClusterConfig": nested(d, &r.ClusterConfig, func(c *shapes.MonitoringClusterConfig) map[string]field {
									return map[string]field{"VolumeKmsKeyId": kmsKeyID(&c.VolumeKmsKeyId)}
								}),
							}
						}),
						"NetworkConfig": d.networkConfig(&j.NetworkConfig),
						"RoleArn":       role(&j.RoleArn),
					}
				}),
			}
		}),
		"Tags": tags(&ms.Tags),
	}
}

// modelPackage decodes SageMaker.ModelPackage (which has no Tags in the
// schema).
func (d decoder) modelPackage(mp *shapes.CreateModelPackageInput) map[string]field {
	return map[string]field{
		"InferenceSpecification": nested(d, &mp.InferenceSpecification, func(s *shapes.InferenceSpecification) map[string]field {
			return map[string]field{
				"Containers": items(d, &s.Containers, 1, 15, func(c *shapes.ModelPackageContainerDefinition) map[string]field {
					return d.container(&c.Environment)
				}),
			}
		}),
		"ValidationSpecification": nested(d, &mp.ValidationSpecification, func(s *shapes.ModelPackageValidationSpecification) map[string]field {
			return map[string]field{
				"ValidationProfiles": items(d, &s.ValidationProfiles, 1, 1, func(vp *shapes.ModelPackageValidationProfile) map[string]field {
					return map[string]field{
						"TransformJobDefinition": nested(d, &vp.TransformJobDefinition, func(t *shapes.TransformJobDefinition) map[string]field {
							f := d.transformOutputAndResources(&t.TransformOutput, &t.TransformResources)
							f["Environment"] = d.environment(&t.Environment, 1024, 10240, 16)
							return f
						}),
					}
				}),
				"ValidationRole": role(&s.ValidationRole),
			}
		}),
	}
}
