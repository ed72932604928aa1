package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var (
	fixtureBotocore = filepath.Join("..", "..", "gen", "modeldiff", "testdata", "sameapi", "botocore")
	fixtureSmithy   = filepath.Join("..", "..", "gen", "modeldiff", "testdata", "sameapi", "smithy", "fixture.json")
)

func TestDiff(t *testing.T) {
	var b bytes.Buffer
	if err := runDiff(&b, fixtureBotocore, fixtureSmithy, "text"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"old: botocore model service-2.json", "new: smithy model fixture.json", "No changes."} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	if err := runDiff(&b, fixtureBotocore, fixtureSmithy, "markdown"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "# Model diff\n") {
		t.Errorf("markdown:\n%s", b.String())
	}
	if err := runDiff(&b, fixtureBotocore, fixtureSmithy, "html"); err == nil || !strings.Contains(err.Error(), "want text or markdown") {
		t.Errorf("-diff-format html: err = %v", err)
	}
	if err := runDiff(&b, filepath.Join(t.TempDir(), "missing"), fixtureSmithy, "text"); err == nil || !strings.Contains(err.Error(), "old model") {
		t.Errorf("missing old model: err = %v", err)
	}
}

// TestDiffCommand runs smgen -diff as a user does: a report, exit status 0,
// and nothing written.
func TestDiffCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds smgen")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "smgen")
	if out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	oldAbs, _ := filepath.Abs(fixtureBotocore)
	newAbs, _ := filepath.Abs(fixtureSmithy)
	for _, args := range [][]string{
		{"-diff", "-diff-format", "markdown", oldAbs, newAbs},
		{"-diff", oldAbs, newAbs, "-diff-format", "markdown"},
	} {
		cmd := exec.Command(exe, args...)
		cmd.Dir = dir // where a stray write would land
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("smgen %q: %v\n%s", args, err, out)
		}
		if !strings.HasPrefix(string(out), "# Model diff\n") || !strings.Contains(string(out), "No changes.") {
			t.Errorf("smgen %q:\n%s", args, out)
		}
	}
	for _, args := range [][]string{{"-diff", fixtureBotocore}, {fixtureBotocore}} {
		cmd := exec.Command(exe, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err == nil {
			t.Errorf("smgen %q: no error", args)
		} else if !strings.Contains(stderr.String(), "smgen:") {
			t.Errorf("smgen %q: stderr %q", args, stderr.String())
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("smgen -diff wrote files: %v", ents)
	}
}
