package highlevel

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/imageuris"
	"github.com/smcore-go/smcore/shapes"
)

// FrameworkConfig is a framework estimator's configuration: the
// Estimator's, in script mode (EntryPoint is required), with the
// framework's versions choosing the image. An explicit
// AlgorithmSpecification.TrainingImage wins over the choice.
type FrameworkConfig struct {
	EstimatorConfig
	// FrameworkVersion is the framework's ("2.8.0", or an alias "2.8");
	// for HuggingFace, the transformers version.
	FrameworkVersion string `json:"FrameworkVersion,omitzero"`
	// PyVersion is the image's Python ("py312"); XGBoost and SKLearn
	// have only py3.
	PyVersion string `json:"PyVersion,omitzero"`
	// PyTorchVersion is HuggingFace's base ("2.8.0").
	PyTorchVersion string `json:"PyTorchVersion,omitzero"`
}

// The frameworks of the classic SDK's framework estimators, as imageuris
// names them.
const (
	FrameworkPyTorch     = "pytorch"
	FrameworkTensorFlow  = "tensorflow"
	FrameworkHuggingFace = "huggingface"
	FrameworkXGBoost     = "xgboost"
	FrameworkSKLearn     = "sklearn"
)

// NewPyTorch, NewTensorFlow, NewHuggingFace, NewXGBoost and NewSKLearn
// are the classic SDK's framework estimators: an Estimator in script mode
// whose image comes from imageuris for the job's region and instance type.
func NewPyTorch(ctx context.Context, cfg FrameworkConfig, opts ...Option) (*Estimator, error) {
	return newFramework(ctx, FrameworkPyTorch, cfg, opts)
}

func NewTensorFlow(ctx context.Context, cfg FrameworkConfig, opts ...Option) (*Estimator, error) {
	return newFramework(ctx, FrameworkTensorFlow, cfg, opts)
}

func NewHuggingFace(ctx context.Context, cfg FrameworkConfig, opts ...Option) (*Estimator, error) {
	return newFramework(ctx, FrameworkHuggingFace, cfg, opts)
}

func NewXGBoost(ctx context.Context, cfg FrameworkConfig, opts ...Option) (*Estimator, error) {
	if cfg.PyVersion == "" {
		cfg.PyVersion = "py3"
	}
	return newFramework(ctx, FrameworkXGBoost, cfg, opts)
}

func NewSKLearn(ctx context.Context, cfg FrameworkConfig, opts ...Option) (*Estimator, error) {
	if cfg.PyVersion == "" {
		cfg.PyVersion = "py3"
	}
	return newFramework(ctx, FrameworkSKLearn, cfg, opts)
}

func newFramework(ctx context.Context, framework string, cfg FrameworkConfig, opts []Option) (*Estimator, error) {
	var errs configErrors
	if cfg.EntryPoint == "" {
		errs.add("EntryPoint", "is required: a %s estimator runs a script", framework)
	}
	explicit := cfg.AlgorithmSpecification != nil && cfg.AlgorithmSpecification.TrainingImage != ""
	if !explicit {
		if cfg.FrameworkVersion == "" {
			errs.add("FrameworkVersion", "is required (or set AlgorithmSpecification.TrainingImage)")
		}
		if cfg.PyVersion == "" {
			errs.add("PyVersion", "is required (or set AlgorithmSpecification.TrainingImage)")
		}
		if framework == FrameworkHuggingFace && cfg.PyTorchVersion == "" {
			errs.add("PyTorchVersion", "is required: the HuggingFace image's PyTorch")
		}
	}
	if rc := cfg.ResourceConfig; framework == FrameworkSKLearn && rc != nil {
		if aws.ToInt32(rc.InstanceCount) > 1 {
			errs.add("ResourceConfig.InstanceCount", "scikit-learn trains on one instance")
		}
		if t := string(rc.InstanceType); strings.HasPrefix(t, "ml.g") || strings.HasPrefix(t, "ml.p") {
			errs.add("ResourceConfig.InstanceType", "%s: scikit-learn images are for CPU instances", t)
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	s, err := newSession(ctx, opts)
	if err != nil {
		return nil, err
	}
	if !explicit {
		req := imageuris.Request{Framework: framework, Region: s.aws.Region, Version: cfg.FrameworkVersion,
			PythonVersion: cfg.PyVersion, Scope: "training"}
		if rc := cfg.ResourceConfig; rc != nil {
			req.InstanceType = string(rc.InstanceType)
			if req.InstanceType == "" && len(rc.InstanceGroups) > 0 {
				req.InstanceType = string(rc.InstanceGroups[0].InstanceType)
			}
		}
		if framework == FrameworkHuggingFace {
			req.BaseFrameworkVersion = "pytorch" + cfg.PyTorchVersion
		}
		if d := cfg.Distribution; d != nil && d.DataParallel {
			req.SMDistributed = true
		}
		image, err := imageuris.Retrieve(req)
		if err != nil {
			return nil, &ConfigError{Field: "FrameworkVersion", Rule: err.Error()}
		}
		spec := shapes.AlgorithmSpecification{}
		if cfg.AlgorithmSpecification != nil {
			spec = *cfg.AlgorithmSpecification
		}
		spec.TrainingImage = image
		cfg.AlgorithmSpecification = &spec
	}
	e := &Estimator{session: s, cfg: cfg.EstimatorConfig}
	if err := e.cfg.Validate(); err != nil {
		return nil, err
	}
	return e, nil
}

// NewBuiltinAlgorithm is an Estimator for one of SageMaker's built-in
// algorithms (imageuris.Algorithms: "kmeans", "linear-learner", "xgboost",
// …) at version ("" for the latest), its image chosen for the job's region
// and instance type. Hyperparameters are sent plain (the algorithms read
// them as text).
func NewBuiltinAlgorithm(ctx context.Context, algorithm, version string, cfg EstimatorConfig, opts ...Option) (*Estimator, error) {
	if cfg.AlgorithmSpecification != nil && cfg.AlgorithmSpecification.TrainingImage != "" {
		return nil, &ConfigError{Field: "AlgorithmSpecification.TrainingImage", Rule: "is chosen by the algorithm: leave it unset"}
	}
	s, err := newSession(ctx, opts)
	if err != nil {
		return nil, err
	}
	req := imageuris.Request{Framework: algorithm, Region: s.aws.Region, Version: version, Scope: "training"}
	if rc := cfg.ResourceConfig; rc != nil {
		req.InstanceType = string(rc.InstanceType)
	}
	image, err := imageuris.Retrieve(req)
	if err != nil {
		return nil, &ConfigError{Field: "algorithm", Rule: err.Error()}
	}
	spec := shapes.AlgorithmSpecification{}
	if cfg.AlgorithmSpecification != nil {
		spec = *cfg.AlgorithmSpecification
	}
	spec.TrainingImage = image
	cfg.AlgorithmSpecification = &spec
	if cfg.Encoding == "" {
		cfg.Encoding = EncodingPlain
	}
	if cfg.BaseJobName == "" {
		cfg.BaseJobName = algorithm
	}
	e := &Estimator{session: s, cfg: cfg}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return e, nil
}
