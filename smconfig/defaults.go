package smconfig

import (
	"context"

	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
)

// CreateDefaults returns the SageMaker.TrainingJob values as create
// defaults for a resources.Client:
//
//	client := resources.NewFromConfig(awsCfg, resources.WithCreateDefaults(conf.CreateDefaults()))
//
// Each CreateTrainingJob request then gets the file's values for the
// members it leaves unset (resources merges them, deep: explicit values
// win, an Environment gets the keys it lacks). Tags are merged as the
// Python SDK merges them (Session._append_sagemaker_config_tags): a tag
// from the file is added unless the request has a tag with its key, even
// when the request has tags of its own. Other requests are untouched. The
// function reads no file: the values are those Load read.
func (c *Config) CreateDefaults() resources.CreateDefaults {
	return resources.DefaultsFor(func(ctx context.Context, in *shapes.CreateTrainingJobInput) (*shapes.CreateTrainingJobInput, error) {
		def := c.TrainingJob()
		if def == nil {
			return nil, nil
		}
		if len(def.Tags) > 0 && len(in.Tags) > 0 {
			// resources takes a list only when the request has none, so the
			// merged list goes into the request itself: a copy the client
			// owns, given a new backing array so that the caller's stays
			// as it was.
			merged, added := mergeTags(in.Tags, def.Tags)
			in.Tags = merged
			def.Tags = nil
			if len(added) > 0 {
				c.debug(ctx, "smconfig: config tags added", "request", "CreateTrainingJobInput", "keys", added)
			}
		}
		return def, nil
	})
}

// mergeTags returns the request's tags followed by the config tags whose
// keys the request lacks, in a new slice, and the keys added.
func mergeTags(request, config []shapes.Tag) ([]shapes.Tag, []string) {
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
