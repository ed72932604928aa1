package resource

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/smcore-go/smcore/internal/testmodel"
)

// staleOverrides returns the default overrides plus one stale entry of each
// kind, and the words each skip message must contain.
func staleOverrides(t *testing.T) (*Overrides, [][]string) {
	t.Helper()
	ov, err := DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	op := ov.Operations["ListCandidatesForAutoMLJob"]
	ov.Operations["DescribeNoSuchThing"] = op // operation not in the model
	op.Resource = "NoSuchResource"
	// An existing Describe operation assigned to a resource the model lacks.
	ov.Operations["DescribePipelineDefinitionForExecution"] = op
	ov.NotFound["NoSuchNotFound"] = ov.NotFound["TrainingJob"]
	ov.ExtraResources["NoSuchExtra"] = ov.ExtraResources["MonitoringExecution"]
	return ov, [][]string{
		// In the order of Set.SkippedOverrides: by section, then name.
		{"extra resource", "NoSuchExtra"},
		{"not-found rule", "NoSuchNotFound"},
		{"operation", "DescribeNoSuchThing", "not in the model"},
		{"operation", "DescribePipelineDefinitionForExecution", "NoSuchResource"},
	}
}

// TestLenientDiscoverySkipsStaleOverrides: for a model other than the
// pinned one, an override whose target is absent is skipped and reported,
// and discovery then acts as if the entry were not in the file.
func TestLenientDiscoverySkipsStaleOverrides(t *testing.T) {
	svc := testmodel.Pinned(t)
	ov, wants := staleOverrides(t)
	set, err := DiscoverWith(svc, ov, DiscoverOptions{})
	if err != nil {
		t.Fatalf("lenient discovery failed: %v", err)
	}
	if len(set.SkippedOverrides) != len(wants) {
		t.Fatalf("SkippedOverrides = %q, want %d entries", set.SkippedOverrides, len(wants))
	}
	for i, words := range wants {
		for _, w := range words {
			if !strings.Contains(set.SkippedOverrides[i], w) {
				t.Errorf("SkippedOverrides[%d] = %q, want it to name %q", i, set.SkippedOverrides[i], w)
			}
		}
	}
	if _, ok := ov.Operations["DescribeNoSuchThing"]; !ok {
		t.Error("DiscoverWith changed the caller's overrides")
	}

	// The same as a strict discovery with the stale entries removed from
	// the file: DescribePipelineDefinitionForExecution, no longer assigned,
	// is then a resource of its own.
	clean, _ := DefaultOverrides()
	delete(clean.Operations, "DescribePipelineDefinitionForExecution")
	want, err := Discover(svc, clean)
	if err != nil {
		t.Fatal(err)
	}
	if got, w := claims(set), claims(want); !maps.Equal(got, w) {
		t.Errorf("lenient discovery differs from strict discovery without the stale entries:\n got %d claims\nwant %d", len(got), len(w))
		for k, v := range w {
			if got[k] != v {
				t.Errorf("  %s: got %q, want %q", k, got[k], v)
			}
		}
	}
	if !slices.ContainsFunc(set.Resources, func(r *Resource) bool { return r.Name == "PipelineDefinitionForExecution" }) {
		t.Error("a skipped Describe override must let its operation name a resource again")
	}
}

// claims maps each operation to "Resource.Method", or "client".
func claims(s *Set) map[string]string {
	m := map[string]string{}
	for _, r := range s.Resources {
		if r.Describe != nil {
			m[r.Describe.Op.Name] = r.Name + "." + r.Describe.Name
		}
		for _, x := range r.Methods {
			m[x.Op.Name] = r.Name + "." + x.Name
		}
	}
	for _, op := range s.Client {
		m[op.Name] = "client"
	}
	return m
}

// TestStrictDiscoveryNamesEveryStaleOverride: for the pinned model a stale
// entry stays fatal, and the error lists all of them, so one run shows
// everything to clean.
func TestStrictDiscoveryNamesEveryStaleOverride(t *testing.T) {
	svc := testmodel.Pinned(t)
	ov, wants := staleOverrides(t)
	_, err := DiscoverWith(svc, ov, DiscoverOptions{StrictOverrides: true})
	if err == nil {
		t.Fatal("strict discovery accepted stale overrides")
	}
	for _, words := range wants {
		for _, w := range words {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not name %q", err, w)
			}
		}
	}
}

// TestLenientDiscoveryWithoutAnOperation removes an overridden operation
// from the pinned model, as older models lack
// DescribeTrainingPlanExtensionHistory: strict discovery fails as before,
// lenient discovery skips the entry.
func TestLenientDiscoveryWithoutAnOperation(t *testing.T) {
	pinned := testmodel.Pinned(t)
	svc := *pinned
	svc.Operations = maps.Clone(pinned.Operations)
	const gone = "DescribeTrainingPlanExtensionHistory"
	if svc.Operations[gone] == nil {
		t.Fatalf("pinned model has no %s", gone)
	}
	delete(svc.Operations, gone)
	ov, _ := DefaultOverrides()
	if _, err := Discover(&svc, ov); err == nil || !strings.Contains(err.Error(), "operation "+gone+" is not in the model") {
		t.Fatalf("strict: %v", err)
	}
	set, err := DiscoverWith(&svc, ov, DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.SkippedOverrides) != 1 || !strings.Contains(set.SkippedOverrides[0], gone) {
		t.Errorf("SkippedOverrides = %q", set.SkippedOverrides)
	}
}
