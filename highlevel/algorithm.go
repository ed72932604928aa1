package highlevel

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
)

// The classic SDK's estimator defaults (SageMaker Python SDK v2).
const (
	classicMaxRuntime = 86400
	classicMaxBase    = 39
)

// AlgorithmEstimatorConfig describes training with an algorithm resource
// (your own, or a Marketplace product). Its embedded request is sent as
// it is, with AlgorithmSpecification.AlgorithmName set to Algorithm;
// ResourceConfig's instance type and count are required, as the classic
// SDK requires them.
type AlgorithmEstimatorConfig struct {
	shapes.CreateTrainingJobInput

	// Algorithm is the algorithm's name or ARN.
	Algorithm string `json:"Algorithm"`
	// BaseJobName prefixes job names; default: the algorithm's name.
	BaseJobName string `json:"BaseJobName,omitzero"`
	// HyperParameters are checked against the algorithm's
	// SupportedHyperParameters and encoded as EncodeHyperParameter does;
	// the algorithm's defaults fill the missing ones.
	HyperParameters map[string]any `json:"HyperParameters,omitzero"`
	// InputData are channels from S3 URIs or local paths, checked against
	// the algorithm's TrainingChannels at Fit.
	InputData []InputData `json:"InputData,omitzero"`
}

// AlgorithmEstimator trains with an algorithm resource. Unlike the Python
// SDK v3 (which dropped it) it checks everything the algorithm declares
// before anything is created: input mode, instance type, distributed
// support, every hyperparameter and every channel.
type AlgorithmEstimator struct {
	*session
	cfg  AlgorithmEstimatorConfig
	algo *resources.Algorithm
	hps  map[string]string // checked, with the algorithm's defaults
}

// NewAlgorithmEstimator describes the algorithm and checks cfg against
// it; every broken rule is reported (*ConfigError values joined, each
// naming the field, the hyperparameter or the channel, and what is
// allowed).
func NewAlgorithmEstimator(ctx context.Context, cfg AlgorithmEstimatorConfig, opts ...Option) (*AlgorithmEstimator, error) {
	if cfg.Algorithm == "" {
		return nil, &ConfigError{Field: "Algorithm", Rule: "is required: the algorithm's name or ARN"}
	}
	s, err := newSession(ctx, opts)
	if err != nil {
		return nil, err
	}
	algo, err := s.sm.GetAlgorithm(ctx, cfg.Algorithm)
	if err != nil {
		return nil, fmt.Errorf("highlevel: describing algorithm %s: %w", cfg.Algorithm, err)
	}
	e := &AlgorithmEstimator{session: s, cfg: cfg, algo: algo}
	if e.hps, err = e.validate(); err != nil {
		return nil, err
	}
	return e, nil
}

// Algorithm is the described algorithm.
func (e *AlgorithmEstimator) Algorithm() *resources.Algorithm { return e.algo }

func (e *AlgorithmEstimator) spec() *shapes.TrainingSpecification {
	if e.algo.TrainingSpecification == nil {
		return &shapes.TrainingSpecification{}
	}
	return e.algo.TrainingSpecification
}

func (e *AlgorithmEstimator) inputMode() shapes.TrainingInputMode {
	if s := e.cfg.AlgorithmSpecification; s != nil && s.TrainingInputMode != "" {
		return s.TrainingInputMode
	}
	return shapes.TrainingInputModeFile
}

// validate checks what does not depend on the run's channels and returns
// the hyperparameters to send.
func (e *AlgorithmEstimator) validate() (map[string]string, error) {
	var errs configErrors
	c, spec := &e.cfg, e.spec()
	if s := c.AlgorithmSpecification; s != nil && (s.TrainingImage != "" || s.AlgorithmName != "") {
		errs.add("AlgorithmSpecification", "the algorithm names the image: leave TrainingImage and AlgorithmName unset")
	}
	rc := c.ResourceConfig
	if rc == nil || len(rc.InstanceGroups) == 0 && (rc.InstanceType == "" || rc.InstanceCount == nil) {
		errs.add("ResourceConfig", "set InstanceType and InstanceCount (or InstanceGroups)")
	}
	if rc != nil {
		types := []shapes.TrainingInstanceType{rc.InstanceType}
		count := aws.ToInt32(rc.InstanceCount)
		for _, g := range rc.InstanceGroups {
			types = append(types, g.InstanceType)
			count += aws.ToInt32(g.InstanceCount)
		}
		for _, it := range types {
			if it != "" && len(spec.SupportedTrainingInstanceTypes) > 0 && !slices.Contains(spec.SupportedTrainingInstanceTypes, it) {
				errs.add("ResourceConfig.InstanceType", "%s is not supported by algorithm %s: use one of %s", it, e.algo.AlgorithmName, joinAny(spec.SupportedTrainingInstanceTypes))
			}
		}
		if count > 1 && !aws.ToBool(spec.SupportsDistributedTraining) {
			errs.add("ResourceConfig.InstanceCount", "%d instances: algorithm %s does not support distributed training", count, e.algo.AlgorithmName)
		}
	}
	mode := e.inputMode()
	for _, ch := range spec.TrainingChannels {
		if len(ch.SupportedInputModes) > 0 && !slices.Contains(ch.SupportedInputModes, mode) {
			errs.add("AlgorithmSpecification.TrainingInputMode", "%s is not supported by channel %s of algorithm %s: use one of %s", mode, ch.Name, e.algo.AlgorithmName, joinAny(ch.SupportedInputModes))
		}
	}
	hps := maps.Clone(c.CreateTrainingJobInput.HyperParameters)
	if hps == nil {
		hps = map[string]string{}
	}
	for k, v := range c.HyperParameters {
		if _, ok := hps[k]; ok {
			errs.add("HyperParameters."+k, "is also set in the request's HyperParameters: set it once")
			continue
		}
		s, err := EncodeHyperParameter(v)
		if err != nil {
			errs.add("HyperParameters."+k, "%v", err)
			continue
		}
		hps[k] = s
	}
	defs := map[string]shapes.HyperParameterSpecification{}
	for _, d := range spec.SupportedHyperParameters {
		defs[d.Name] = d
	}
	for _, k := range slices.Sorted(maps.Keys(hps)) {
		d, ok := defs[k]
		if !ok {
			errs.add("HyperParameters."+k, "algorithm %s has no such hyperparameter: it has %s", e.algo.AlgorithmName, strings.Join(slices.Sorted(maps.Keys(defs)), ", "))
			continue
		}
		if rule := checkHyperParameter(d, hps[k]); rule != "" {
			errs.add("HyperParameters."+k, "%s", rule)
		}
	}
	for _, d := range spec.SupportedHyperParameters {
		if _, ok := hps[d.Name]; ok {
			continue
		}
		switch {
		case d.DefaultValue != "":
			hps[d.Name] = d.DefaultValue
		case aws.ToBool(d.IsRequired):
			errs.add("HyperParameters."+d.Name, "is required by algorithm %s and has no default", e.algo.AlgorithmName)
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return hps, nil
}

// checkHyperParameter is the rule value breaks, or "".
func checkHyperParameter(d shapes.HyperParameterSpecification, value string) string {
	r := d.Range
	switch d.Type {
	case shapes.ParameterTypeInteger:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return fmt.Sprintf("%q is not an integer", value)
		}
		if r != nil && r.IntegerParameterRangeSpecification != nil {
			lo, _ := strconv.ParseInt(r.IntegerParameterRangeSpecification.MinValue, 10, 64)
			hi, _ := strconv.ParseInt(r.IntegerParameterRangeSpecification.MaxValue, 10, 64)
			if n < lo || n > hi {
				return fmt.Sprintf("%d is outside [%d, %d]", n, lo, hi)
			}
		}
	case shapes.ParameterTypeContinuous:
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || math.IsNaN(f) {
			return fmt.Sprintf("%q is not a number", value)
		}
		if r != nil && r.ContinuousParameterRangeSpecification != nil {
			lo, _ := strconv.ParseFloat(r.ContinuousParameterRangeSpecification.MinValue, 64)
			hi, _ := strconv.ParseFloat(r.ContinuousParameterRangeSpecification.MaxValue, 64)
			if f < lo || f > hi {
				return fmt.Sprintf("%s is outside [%s, %s]", value, r.ContinuousParameterRangeSpecification.MinValue, r.ContinuousParameterRangeSpecification.MaxValue)
			}
		}
	case shapes.ParameterTypeCategorical:
		if r != nil && r.CategoricalParameterRangeSpecification != nil {
			if vals := r.CategoricalParameterRangeSpecification.Values; !slices.Contains(vals, value) {
				return fmt.Sprintf("%q is not one of %s", value, strings.Join(vals, ", "))
			}
		}
	}
	return ""
}

func joinAny[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// baseJobName is BaseJobName, else the algorithm's name (an ARN's last
// part), cleaned to the name pattern.
func (e *AlgorithmEstimator) baseJobName() string {
	base := e.cfg.BaseJobName
	if base == "" {
		base = e.algo.AlgorithmName
		if i := strings.LastIndexByte(base, '/'); i >= 0 {
			base = base[i+1:]
		}
	}
	if base = cleanName(base); base == "" {
		base = "training-job"
	}
	return base
}

// classicJobName is the classic SDK's {base[:39]}-{UTC
// YYYY-MM-DD-HH-MM-SS-mmm}.
func classicJobName(base string, now time.Time) string {
	if len(base) > classicMaxBase {
		base = strings.TrimRight(base[:classicMaxBase], "-")
	}
	now = now.UTC()
	return fmt.Sprintf("%s-%s-%03d", base, now.Format("2006-01-02-15-04-05"), now.Nanosecond()/int(time.Millisecond))
}

// DryRun builds the request Fit would send and stops before sending it
// (see ModelTrainer.DryRun).
func (e *AlgorithmEstimator) DryRun(ctx context.Context, opts ...TrainOption) (*DryRunResult, error) {
	p, body, err := e.prepare(ctx, opts, false)
	if err != nil {
		return nil, err
	}
	return p.result(body)
}

// Fit trains as ModelTrainer.Train does: checked request, uploads, the
// job, the wait with logs.
func (e *AlgorithmEstimator) Fit(ctx context.Context, opts ...TrainOption) (*resources.TrainingJob, error) {
	var to trainOptions
	for _, o := range opts {
		o(&to)
	}
	p, body, err := e.prepare(ctx, opts, true)
	if err != nil {
		return nil, err
	}
	return e.run(ctx, p, body, to)
}

func (e *AlgorithmEstimator) prepare(ctx context.Context, opts []TrainOption, checkName bool) (*plan, []byte, error) {
	var to trainOptions
	for _, o := range opts {
		o(&to)
	}
	c := e.cfg
	p, err := e.begin(ctx, c.CreateTrainingJobInput, e.baseJobName(), to, func() (string, error) { return e.classicName(ctx, e.baseJobName(), checkName) })
	if err != nil {
		return nil, nil, err
	}
	req := p.req
	spec := shapes.AlgorithmSpecification{}
	if req.AlgorithmSpecification != nil {
		spec = *req.AlgorithmSpecification
	}
	spec.AlgorithmName = e.algo.AlgorithmArn
	spec.TrainingInputMode = e.inputMode()
	req.AlgorithmSpecification = &spec
	if e.algo.ProductId != "" && req.EnableNetworkIsolation == nil {
		req.EnableNetworkIsolation = aws.Bool(true) // Marketplace algorithms run isolated
	}
	if err := e.requestDefaults(ctx, p, true); err != nil {
		return nil, nil, err
	}
	req.HyperParameters = maps.Clone(e.hps)
	if len(req.HyperParameters) == 0 {
		req.HyperParameters = nil
	}
	if err := e.channels(ctx, p, c.InputData, to.inputs); err != nil {
		return nil, nil, err
	}
	if err := e.checkChannels(req.InputDataConfig); err != nil {
		return nil, nil, err
	}
	body, err := e.finish(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	return p, body, nil
}

// checkChannels checks a run's channels against the algorithm's.
func (e *AlgorithmEstimator) checkChannels(channels []shapes.Channel) error {
	var errs configErrors
	specs := map[string]shapes.ChannelSpecification{}
	for _, s := range e.spec().TrainingChannels {
		specs[s.Name] = s
	}
	given := map[string]bool{}
	for _, ch := range channels {
		given[ch.ChannelName] = true
		s, ok := specs[ch.ChannelName]
		if !ok {
			errs.add("InputData."+ch.ChannelName, "algorithm %s has no such channel: it has %s", e.algo.AlgorithmName, strings.Join(slices.Sorted(maps.Keys(specs)), ", "))
			continue
		}
		if ch.ContentType != "" && len(s.SupportedContentTypes) > 0 && !slices.Contains(s.SupportedContentTypes, ch.ContentType) {
			errs.add("InputData."+ch.ChannelName+".ContentType", "%s is not supported: use one of %s", ch.ContentType, strings.Join(s.SupportedContentTypes, ", "))
		}
	}
	for _, s := range e.spec().TrainingChannels {
		if aws.ToBool(s.IsRequired) && !given[s.Name] {
			errs.add("InputData."+s.Name, "channel %s is required by algorithm %s", s.Name, e.algo.AlgorithmName)
		}
	}
	return errs.err()
}
