package highlevel_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/smcore-go/smcore/highlevel"
)

// The wire form of hyperparameters, as the Python SDK's ModelTrainer
// sends them (str as is, else json.dumps).
func TestEncodeHyperParameter(t *testing.T) {
	type opts struct {
		Depth int    `json:"depth"`
		Kind  string `json:"kind,omitempty"`
	}
	for _, c := range []struct {
		in   any
		want string
	}{
		{"adam", "adam"},
		{"", ""},
		{"1.0", "1.0"},
		{`say "hi"`, `say "hi"`},
		{10, "10"},
		{int64(-3), "-3"},
		{0.1, "0.1"},
		{1.0, "1.0"},
		{1e-05, "1e-05"},
		{1e16, "1e+16"},
		{123456789012345.0, "123456789012345.0"},
		{float32(0.1), "0.1"},
		{math.Inf(1), "Infinity"},
		{true, "true"},
		{nil, "null"},
		{[]int{1, 2}, "[1, 2]"},
		{[]any{"a", 1.5, false}, `["a", 1.5, false]`},
		{map[string]any{"b": 1, "a": []float64{0.5}}, `{"a": [0.5], "b": 1}`},
		{opts{Depth: 3}, `{"depth": 3}`},
		{[]string{"<b>", "é"}, `["<b>", "\u00e9"]`},
		{json.Number("1.50"), "1.50"},
		{json.RawMessage(`{"z": 1.0, "a": [1,2]}`), `{"z": 1.0, "a": [1, 2]}`},
		{json.RawMessage(`"text"`), "text"},
	} {
		got, err := highlevel.EncodeHyperParameter(c.in)
		if err != nil || got != c.want {
			t.Errorf("EncodeHyperParameter(%#v) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := highlevel.EncodeHyperParameter(func() {}); err == nil {
		t.Error("a func encoded")
	}
}

func TestLoadHyperParametersKeepsLiterals(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"hp.yaml": "lr: 1.0\ndecay: 1.50\nname: adam\nquoted: '1.0'\nlayers: [1, 2]\nnested: {b: 1.0, a: true}\n",
		"hp.json": `{"lr": 1.0, "decay": 1.50, "name": "adam", "quoted": "1.0", "layers": [1,2], "nested": {"b": 1.0, "a": true}}`,
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		hps, err := highlevel.LoadHyperParameters(p)
		if err != nil {
			t.Fatal(err)
		}
		for k, want := range map[string]string{"lr": "1.0", "decay": "1.50", "name": "adam", "quoted": "1.0", "layers": "[1, 2]", "nested": `{"b": 1.0, "a": true}`} {
			got, err := highlevel.EncodeHyperParameter(hps[k])
			if err != nil || got != want {
				t.Errorf("%s: %s = %q, %v; want %q", name, k, got, err, want)
			}
		}
	}
	bad := filepath.Join(dir, "list.yaml")
	os.WriteFile(bad, []byte("- 1\n- 2\n"), 0o644)
	if _, err := highlevel.LoadHyperParameters(bad); err == nil {
		t.Error("a list was taken as hyperparameters")
	}
}
