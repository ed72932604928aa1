package highlevel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/smcore-go/smcore/internal/yamljson"
)

// LoadTrainerConfig reads a trainer described in YAML or JSON: the
// TrainerConfig fields by their names, the request's members by the
// API's (AlgorithmSpecification, ResourceConfig, …) at the top level.
// Hyperparameter values keep their literals as written (1.0 stays 1.0).
// Relative local paths (SourceCode.SourceDir and Dependencies, InputData
// sources, HyperParametersFile) are taken from the file's folder. An
// unknown field is an error.
//
//	BaseJobName: demo
//	AlgorithmSpecification:
//	  TrainingImage: 123456789012.dkr.ecr.us-east-1.amazonaws.com/train:latest
//	RoleArn: SageMakerRole
//	SourceCode: {SourceDir: ./src, EntryScript: train.py, Requirements: requirements.txt}
//	InputData:
//	  - {ChannelName: train, DataSource: ./data}
//	HyperParameters: {epochs: 10, lr: 1.0}
func LoadTrainerConfig(file string) (TrainerConfig, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return TrainerConfig{}, err
	}
	cfg, err := ParseTrainerConfig(b)
	if err != nil {
		return TrainerConfig{}, fmt.Errorf("%s: %w", file, err)
	}
	cfg.resolvePaths(filepath.Dir(file))
	return cfg, nil
}

// ParseTrainerConfig is LoadTrainerConfig for a document in memory
// (paths are left as written).
func ParseTrainerConfig(data []byte) (TrainerConfig, error) {
	js, err := yamljson.ToJSON(data)
	if err != nil {
		return TrainerConfig{}, err
	}
	// Hyperparameters are kept as JSON text: literals and key order as
	// written.
	var doc struct {
		TrainerConfig
		HyperParameters map[string]json.RawMessage `json:"HyperParameters,omitzero"`
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return TrainerConfig{}, fmt.Errorf("trainer configuration: %w", err)
	}
	cfg := doc.TrainerConfig
	if doc.HyperParameters != nil {
		cfg.HyperParameters = make(map[string]any, len(doc.HyperParameters))
		for k, v := range doc.HyperParameters {
			cfg.HyperParameters[k] = v
		}
	}
	return cfg, nil
}

func (c *TrainerConfig) resolvePaths(dir string) {
	local := func(p *string) {
		if *p != "" && !strings.Contains(*p, "://") && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	if sc := c.SourceCode; sc != nil {
		local(&sc.SourceDir)
		for i := range sc.Dependencies {
			local(&sc.Dependencies[i])
		}
	}
	for i := range c.InputData {
		local(&c.InputData[i].DataSource)
	}
	local(&c.HyperParametersFile)
}
