package model

import "testing"

func TestZZCF(t *testing.T) {
	b, err := Load("../../../shared/models/botocore-2026-04")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load("../../../shared/models/smithy-2025-04")
	if err != nil {
		t.Fatal(err)
	}
	t.Log(len(b.Operations), len(b.Shapes), len(b.Waiters), len(s.Operations), len(s.Shapes))
}
