package highlevel

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"

	"github.com/smcore-go/smcore/internal/pyjson"
	"github.com/smcore-go/smcore/internal/yamljson"
)

// hyperParameters are the request's string hyperparameters: the
// HyperParametersFile's, then HyperParameters over them, each encoded as
// the Python SDK's ModelTrainer does (EncodeHyperParameter), plus the
// request's own. Nil when there are none.
func (t *ModelTrainer) hyperParameters() (map[string]string, error) {
	out := maps.Clone(t.cfg.CreateTrainingJobInput.HyperParameters)
	set := func(k string, v any, field string) error {
		s, err := EncodeHyperParameter(v)
		if err != nil {
			return &ConfigError{Field: field, Rule: err.Error()}
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = s
		return nil
	}
	if f := t.cfg.HyperParametersFile; f != "" {
		file, err := LoadHyperParameters(f)
		if err != nil {
			return nil, &ConfigError{Field: "HyperParametersFile", Rule: err.Error()}
		}
		for k, v := range file {
			if _, ok := t.cfg.HyperParameters[k]; ok {
				continue
			}
			if err := set(k, v, "HyperParametersFile: "+k); err != nil {
				return nil, err
			}
		}
	}
	for k, v := range t.cfg.HyperParameters {
		if err := set(k, v, "HyperParameters."+k); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// EncodeHyperParameter is a hyperparameter's value on the wire, as the
// Python SDK's ModelTrainer sends it: a string as it is (no quotes), any
// other value as Python's json.dumps writes it.
//
//	"adam"                  → adam
//	10                      → 10
//	0.1                     → 0.1
//	1.0 (float64)           → 1.0
//	json.Number("1.50")     → 1.50 (a literal from a file, kept)
//	true                    → true
//	[]int{1, 2}             → [1, 2]
//	map[string]any{"a": 1}  → {"a": 1}
//	"<tag>"                 → <tag>
func EncodeHyperParameter(v any) (string, error) { return pyjson.HyperParameter(v) }

// LoadHyperParameters reads a JSON or YAML file holding a mapping of
// hyperparameters. Each value is kept as its JSON text (json.RawMessage), so
// numbers keep their literal (1.0 stays 1.0) and mappings their order.
func LoadHyperParameters(file string) (map[string]any, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	js := b
	if !json.Valid(b) {
		if js, err = yamljson.ToJSON(b); err != nil {
			return nil, fmt.Errorf("%s: must be a valid JSON or YAML file: %w", file, err)
		}
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(js, &raw); err != nil || raw == nil {
		return nil, fmt.Errorf("%s: must hold a mapping of hyperparameter names to values", file)
	}
	m := make(map[string]any, len(raw))
	for k, v := range raw {
		m[k] = v // literals and key order as written: EncodeHyperParameter reformats
	}
	return m, nil
}
