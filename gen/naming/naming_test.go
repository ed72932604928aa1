package naming

import "testing"

func TestPascal(t *testing.T) {
	for in, want := range map[string]string{
		"ml.m5.xlarge":      "MlM5Xlarge",
		"CREATE_FAILED":     "CreateFailed",
		"InProgress":        "InProgress",
		"S3Object":          "S3Object",
		"ml.p4de.24xlarge":  "MlP4de24xlarge",
		"application/jsonl": "ApplicationJsonl",
		"":                  "",
		"x-amz-Äpfel":       "XAmzPfel",
	} {
		if got := Pascal(in); got != want {
			t.Errorf("Pascal(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEnumConstsCollisions(t *testing.T) {
	got := EnumConsts("Mode", []string{"a_b", "A-B", "AB", "--", "A.B"})
	want := map[string]string{"--": "ModeValue0", "A-B": "ModeAB", "A.B": "ModeAB2", "AB": "ModeAb", "a_b": "ModeAB3"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("EnumConsts[%q] = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	// Model order must not matter.
	again := EnumConsts("Mode", []string{"A.B", "AB", "--", "a_b", "A-B"})
	for k := range want {
		if got[k] != again[k] {
			t.Errorf("order changed %q: %q vs %q", k, got[k], again[k])
		}
	}
}
