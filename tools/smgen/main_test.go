package main

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/smcore-go/smcore/gen/emit"
	"github.com/smcore-go/smcore/gen/generate"
	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/modelsrc"
)

// TestOnlyThePinnedModelIsStrict: stale overrides stay fatal for the
// pinned model (so they get cleaned) and are skipped for any -model.
func TestOnlyThePinnedModelIsStrict(t *testing.T) {
	opt, err := options("/some/model", ".", "", true)
	if err != nil {
		t.Fatal(err)
	}
	if opt.StrictSDK || opt.StrictOverrides {
		t.Errorf("-model: StrictSDK, StrictOverrides = %v, %v; want false, false", opt.StrictSDK, opt.StrictOverrides)
	}
	opt, err = options("", ".", "", true)
	if errors.Is(err, modelsrc.ErrNotFound) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !opt.StrictSDK || !opt.StrictOverrides {
		t.Errorf("pinned: StrictSDK, StrictOverrides = %v, %v; want true, true", opt.StrictSDK, opt.StrictOverrides)
	}
}

func TestSkippedOverridesAreReported(t *testing.T) {
	res := &generate.Result{
		Service: &model.Service{Source: model.Source{Format: model.FormatBotocore, Files: []string{"service-2.json"}}},
		Report:  &emit.Report{},
		SkippedOverrides: []string{
			"operation DescribeTrainingPlanExtensionHistory is not in the model: skipped",
		},
	}
	md := reportMarkdown(res)
	if !strings.Contains(md, "## Skipped overrides (1)") || !strings.Contains(md, "- `operation DescribeTrainingPlanExtensionHistory is not in the model: skipped`") {
		t.Errorf("report lacks the skipped overrides section:\n%s", md)
	}
	var stderr bytes.Buffer
	printSkipped(&stderr, res)
	if !strings.Contains(stderr.String(), "1 overrides.json entries") || !strings.Contains(stderr.String(), "DescribeTrainingPlanExtensionHistory") {
		t.Errorf("stderr = %q", stderr.String())
	}

	// The pinned model never skips one: its report has no such section.
	res.SkippedOverrides = nil
	if md := reportMarkdown(res); strings.Contains(md, "Skipped overrides") {
		t.Errorf("report without skipped overrides has the section:\n%s", md)
	}
	stderr.Reset()
	if printSkipped(&stderr, res); stderr.Len() != 0 {
		t.Errorf("stderr = %q, want nothing", stderr.String())
	}
}
