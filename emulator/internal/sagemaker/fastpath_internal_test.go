package sagemaker

import (
	"strings"
	"testing"
)

func TestValidatedBodiesAreRemembered(t *testing.T) {
	s := newService(Config{})
	spec := opTable["DescribeTrainingJob"]
	good, bad := map[string]any{"TrainingJobName": "job-1"}, map[string]any{"TrainingJobName": "bad_name!"}
	for range 2 {
		if err := s.check(spec, good); err != nil {
			t.Fatal(err)
		}
		if err := s.check(spec, bad); err == nil || !strings.Contains(err.Error(), "must match") {
			t.Fatalf("an invalid body is rejected every time: %v", err)
		}
	}
	if !wasValid(validKey{spec: spec, k1: "TrainingJobName", v1: "job-1"}) {
		t.Fatal("a valid body is remembered")
	}
	if k, ok := flatKey(spec, map[string]any{"B": "2", "A": "1"}); !ok || k.k1 != "A" || k.k2 != "B" {
		t.Fatalf("two members are keyed in order: %+v", k)
	}
	for _, body := range []map[string]any{{"A": "1", "B": "2", "C": "3"}, {"N": 1}, {"M": map[string]any{}}} {
		if _, ok := flatKey(spec, body); ok {
			t.Fatalf("%v is not a flat body", body)
		}
	}
	// The same name is checked against each operation's own rules.
	if err := s.check(opTable["DescribeEndpoint"], map[string]any{"TrainingJobName": "job-1"}); err == nil {
		t.Fatal("a member the operation does not have is rejected")
	}
}
