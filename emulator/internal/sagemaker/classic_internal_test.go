package sagemaker

import (
	"slices"
	"testing"
)

func TestClassicImageCommandLookup(t *testing.T) {
	table := map[string][]string{
		"reg/xgboost:1.7-1": {"exact"},
		"reg/xgboost:*":     {"tag"},
		"reg/*":             {"registry"},
		"reg/star*":         {"star"},
	}
	for image, want := range map[string]string{
		"reg/xgboost:1.7-1": "exact", "reg/xgboost:1.5": "tag", "reg/pytorch:2": "registry",
		"reg/empty": "registry", "reg/stars": "star", "other/x": "", "": "",
	} {
		got := imageCommand(table, image)
		if want == "" && got != nil || want != "" && !slices.Equal(got, []string{want}) {
			t.Errorf("%q: got %q, want %q", image, got, want)
		}
	}
}
