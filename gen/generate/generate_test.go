package generate

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smcore-go/smcore/gen/emit"
	"github.com/smcore-go/smcore/gen/modelsrc"
	"github.com/smcore-go/smcore/gen/resource"
)

func TestRunWritesRemovesStaleAndIsDeterministic(t *testing.T) {
	out := t.TempDir()
	shapes := filepath.Join(out, "shapes")
	if err := os.MkdirAll(shapes, 0o755); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(shapes, "zz_old.go")
	hand := filepath.Join(shapes, "handwritten.go")
	os.WriteFile(stale, []byte("// "+emit.Header+"\n\npackage shapes\n"), 0o644)
	os.WriteFile(hand, []byte("package shapes\n"), 0o644)
	// A generated test of an operation the model no longer has goes too.
	emu := filepath.Join(out, "emulator")
	os.MkdirAll(emu, 0o755)
	staleTest := filepath.Join(emu, "zz_old_test.go")
	os.WriteFile(staleTest, []byte("// "+emit.Header+"\n\npackage emulator\n"), 0o644)
	opt := Options{
		Model:     filepath.Join("..", "emit", "testdata", "fixture", "botocore"),
		SDKDir:    filepath.Join("..", "emit", "testdata", "fixture", "sdk"),
		Out:       out,
		Origin:    emit.Origin{Version: "fixture", Name: "fixture/service-2.json"},
		Overrides: &resource.Overrides{},
	}
	res, err := Run(opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale generated file not removed")
	}
	if _, err := os.Stat(hand); err != nil {
		t.Errorf("hand-written file removed: %v", err)
	}
	if _, err := os.Stat(staleTest); !os.IsNotExist(err) {
		t.Errorf("stale generated test not removed")
	}
	if len(res.Removed) != 2 || res.Removed[0] != filepath.Join("shapes", "zz_old.go") || res.Removed[1] != filepath.Join("emulator", "zz_old_test.go") {
		t.Errorf("Removed = %v", res.Removed)
	}
	emuFirst := readAll(t, emu)
	for _, name := range []string{"zz_codec_test.go", "zz_lifecycle_test.go"} {
		if !IsGenerated(emuFirst[name]) {
			t.Errorf("emulator/%s not written with the generated header", name)
		}
	}
	table := filepath.Join(out, filepath.FromSlash(EmulatorTableDir))
	tableFirst := readAll(t, table)
	if !IsGenerated(tableFirst["zz_table.go"]) || !bytes.HasPrefix(tableFirst["zz_table.go"][bytes.IndexByte(tableFirst["zz_table.go"], '\n')+2:], []byte("package sagemaker\n")) {
		t.Errorf("%s/zz_table.go not written as package sagemaker with the generated header", EmulatorTableDir)
	}
	first := readAll(t, shapes)
	if len(first) < 5 {
		t.Fatalf("only %d files written", len(first))
	}
	for name, data := range first {
		if name != "handwritten.go" && !IsGenerated(data) {
			t.Errorf("%s lacks the generated header", name)
		}
		if strings.Contains(string(data), out) {
			t.Errorf("%s contains an absolute path", name)
		}
	}
	if _, err := Run(opt); err != nil {
		t.Fatal(err)
	}
	for name, data := range readAll(t, shapes) {
		if string(first[name]) != string(data) {
			t.Errorf("%s changed on regeneration", name)
		}
	}
	for name, data := range readAll(t, emu) {
		if string(emuFirst[name]) != string(data) {
			t.Errorf("emulator/%s changed on regeneration", name)
		}
	}
	for name, data := range readAll(t, table) {
		if string(tableFirst[name]) != string(data) {
			t.Errorf("%s/%s changed on regeneration", EmulatorTableDir, name)
		}
	}
}

func TestRunFailsCleanlyOnBadModel(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "service-2.json"), []byte(`{"metadata":{},"operations":{},"shapes":{"A":{"type":"list","member":{"shape":"Nope"}}}}`), 0o644)
	out := t.TempDir()
	_, err := Run(Options{Model: dir, Out: out, Overrides: &resource.Overrides{}, SDKDir: filepath.Join("..", "emit", "testdata", "fixture", "sdk")})
	if err == nil || !strings.Contains(err.Error(), "service-2.json") || !strings.Contains(err.Error(), "Nope") {
		t.Fatalf("want an error naming the file and the shape, got %v", err)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Fatalf("a failed run wrote %d entries", len(ents))
	}
}

func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// TestStaleOverridesFatalOnlyWhenStrict generates (without writing) from
// the aws-sdk-go v1.55.8 model, which predates
// DescribeTrainingPlanExtensionHistory: with StrictOverrides (the pinned
// model's setting) the stale entry fails the run; without it the entry is
// skipped and reported in Result.SkippedOverrides.
func TestStaleOverridesFatalOnlyWhenStrict(t *testing.T) {
	d, err := modelsrc.AWSSDKGoV1()
	dir := need(t, d, err)
	opt := Options{Model: dir, DryRun: true, Out: t.TempDir(), StrictOverrides: true}
	const stale = "DescribeTrainingPlanExtensionHistory"
	res, err := Run(opt)
	if err == nil || !strings.Contains(err.Error(), "operation "+stale+" is not in the model") {
		t.Fatalf("strict run: err = %v, want the stale override named", err)
	}
	opt.StrictOverrides = false
	res, err = Run(opt)
	if err != nil {
		t.Fatalf("lenient run: %v", err)
	}
	if !slices.ContainsFunc(res.SkippedOverrides, func(s string) bool { return strings.Contains(s, stale) }) {
		t.Errorf("SkippedOverrides = %q, want %s", res.SkippedOverrides, stale)
	}
	if !slices.Equal(res.SkippedOverrides, res.Resources.SkippedOverrides) {
		t.Errorf("Result.SkippedOverrides %q != Resources.SkippedOverrides %q", res.SkippedOverrides, res.Resources.SkippedOverrides)
	}
}

// TestPinnedShapesLayout: for the pinned model, no generated file of
// package shapes exceeds 8,000 lines (what an editor and a reviewer take),
// and every resource's shapes have the file named as its file in package
// resources.
func TestPinnedShapesLayout(t *testing.T) {
	d, err := modelsrc.Pinned()
	dir := need(t, d, err)
	res, err := Run(Options{Model: dir, DryRun: true, Out: t.TempDir(), StrictSDK: true, StrictOverrides: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range res.Files {
		if n := strings.Count(string(data), "\n"); strings.HasPrefix(name, "shapes"+string(filepath.Separator)) && n > 8000 {
			t.Errorf("%s has %d lines, more than 8,000", name, n)
		}
	}
	// A group too big for one file is split into zz_<group>_<range>.go
	// (the client operations' shapes are); Model's is zz_model_resource.go.
	var shapes []string
	for name := range res.Files {
		if filepath.Dir(name) == "shapes" {
			shapes = append(shapes, filepath.Base(name))
		}
	}
	for name := range res.Files {
		base := filepath.Base(name)
		if filepath.Dir(name) != "resources" || !strings.HasPrefix(base, "zz_") {
			continue
		}
		group := strings.TrimSuffix(base, ".go")
		if !slices.ContainsFunc(shapes, func(s string) bool { return s == base || strings.HasPrefix(s, group+"_") }) {
			t.Errorf("resources/%s has no shapes/%s", base, base)
		}
	}
}
