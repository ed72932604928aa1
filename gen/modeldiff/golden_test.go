package modeldiff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/modelsrc"
	"github.com/smcore-go/smcore/internal/testmodel"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGoldenSharedToPinned diffs the shared botocore 1.42.91 model
// (../shared/models/botocore-2026-04) against the pinned botocore model:
// the report an API update from one to the other gives. Without either
// model it is skipped, except in CI (CI=true), where it fails.
func TestGoldenSharedToPinned(t *testing.T) {
	pinned := testmodel.Pinned(t)
	dir, err := modelsrc.Shared("botocore-2026-04")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v (required in CI)", err)
		}
		t.Skip(err)
	}
	old, err := model.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Compare(old, pinned).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "botocore-2026-04_to_pinned.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./gen/modeldiff -run Golden -update writes it)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("diff report differs from %s (-want +got; -update rewrites it):\n%s", golden, diff)
	}
}
