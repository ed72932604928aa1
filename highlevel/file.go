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
	var cfg TrainerConfig
	err := decodeTrainer(data, &cfg, &cfg.HyperParameters)
	return cfg, err
}

// decodeTrainer decodes a YAML or JSON document into cfg strictly, its
// HyperParameters into hps as JSON text (literals and key order as
// written). A top-level Kind is left to the caller.
func decodeTrainer(data []byte, cfg any, hps *map[string]any) error {
	js, err := yamljson.ToJSON(data)
	if err != nil {
		return err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(js, &top); err != nil {
		return fmt.Errorf("trainer configuration: want a mapping: %w", err)
	}
	rawHPs := top["HyperParameters"]
	delete(top, "HyperParameters")
	delete(top, "Kind")
	rest, err := json.Marshal(top)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(rest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		return fmt.Errorf("trainer configuration: %w", err)
	}
	if rawHPs != nil {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(rawHPs, &m); err != nil {
			return fmt.Errorf("trainer configuration: HyperParameters: want a mapping: %w", err)
		}
		*hps = make(map[string]any, len(m))
		for k, v := range m {
			(*hps)[k] = v
		}
	}
	return nil
}

// The kinds of trainer a trainer file describes (its top-level Kind).
const (
	KindModelTrainer       = "ModelTrainer"
	KindEstimator          = "Estimator"
	KindAlgorithmEstimator = "AlgorithmEstimator"
)

// TrainerFile is a trainer file of any kind: Kind (default ModelTrainer)
// says which of the configurations is set. An Estimator's file may hold
// Inputs, its Fit's channels.
type TrainerFile struct {
	Kind               string
	ModelTrainer       *TrainerConfig
	Estimator          *EstimatorConfig
	AlgorithmEstimator *AlgorithmEstimatorConfig
	Inputs             Inputs
}

// LoadTrainerFile reads a trainer file of any kind (see
// LoadTrainerConfig for the rules; Kind picks the configuration type).
func LoadTrainerFile(file string) (*TrainerFile, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	js, err := yamljson.ToJSON(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var head struct {
		Kind   string
		Inputs Inputs
	}
	if err := json.Unmarshal(js, &head); err != nil {
		return nil, fmt.Errorf("%s: Kind and Inputs: %w", file, err)
	}
	dir := filepath.Dir(file)
	f := &TrainerFile{Kind: head.Kind}
	if f.Kind == "" {
		f.Kind = KindModelTrainer
	}
	switch f.Kind {
	case KindModelTrainer:
		var c TrainerConfig
		err = decodeTrainer(js, &c, &c.HyperParameters)
		c.resolvePaths(dir)
		f.ModelTrainer = &c
	case KindEstimator:
		var c struct {
			EstimatorConfig
			Inputs Inputs `json:"Inputs,omitzero"`
		}
		err = decodeTrainer(js, &c, &c.HyperParameters)
		local := func(p *string) {
			if *p != "" && !strings.Contains(*p, "://") && !filepath.IsAbs(*p) {
				*p = filepath.Join(dir, *p)
			}
		}
		local(&c.SourceDir)
		if c.SourceDir == "" {
			local(&c.EntryPoint)
		}
		for i := range c.Dependencies {
			local(&c.Dependencies[i])
		}
		for k, v := range c.Inputs {
			local(&v)
			c.Inputs[k] = v
		}
		f.Estimator, f.Inputs = &c.EstimatorConfig, c.Inputs
	case KindAlgorithmEstimator:
		var c AlgorithmEstimatorConfig
		err = decodeTrainer(js, &c, &c.HyperParameters)
		for i := range c.InputData {
			if p := c.InputData[i].DataSource; p != "" && !strings.Contains(p, "://") && !filepath.IsAbs(p) {
				c.InputData[i].DataSource = filepath.Join(dir, p)
			}
		}
		f.AlgorithmEstimator = &c
	default:
		return nil, fmt.Errorf("%s: Kind %q: want %s, %s or %s", file, f.Kind, KindModelTrainer, KindEstimator, KindAlgorithmEstimator)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return f, nil
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
