package generate

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smcore-go/smcore/gen/emit"
	"github.com/smcore-go/smcore/gen/modelsrc"
	"github.com/smcore-go/smcore/gen/sdkinfo"
)

// need fails in CI and skips elsewhere when a model cannot be found.
func need(t *testing.T, dir string, err error) string {
	t.Helper()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return dir
}

// realModel is one of the four real SageMaker models smcore is tested with.
type realModel struct {
	name   string
	find   func() (string, error)
	ops    int // expected operation count; 0: not checked
	pinned bool
}

var realModels = []realModel{
	{"pinned botocore " + modelsrc.PinnedBotocore, modelsrc.Pinned, modelsrc.PinnedOperations, true},
	{"botocore-2026-04", func() (string, error) { return modelsrc.Shared("botocore-2026-04") }, 382, false},
	{"smithy-2025-04", func() (string, error) { return modelsrc.Shared("smithy-2025-04") }, 358, false},
	{"aws-sdk-go v1.55.8", modelsrc.AWSSDKGoV1, 335, false},
}

// handWrittenDirs are the folders whose hand-written files the generated
// packages need beside them, each with its subfolders.
var handWrittenDirs = []string{"shapes", "resources", "waiters", "emulator", "internal", "logtail"}

// builtPkgs are what TestAllModelsBuild builds and vets in each copy.
var builtPkgs = []string{"./shapes", "./resources", "./waiters", "./emulator/..."}

// TestAllModelsBuild generates every package (shapes, resources, the
// emulator's table and generated tests, docs) from each real model into a
// temporary copy of the module that has only the hand-written files, and
// runs go build and go vet (which compiles the test files too) there:
// whatever a model produces must compile with the hand-written half and the
// pinned SDK. Only the pinned model is strict (every shape in the SDK, every
// override matching); the others skip and report. It takes minutes, so
// -short skips it; make test runs it. At most two models run at once.
func TestAllModelsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: generates and builds every package from four models (make test runs it)")
	}
	root, err := modelsrc.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	sdkDir, _, err := sdkinfo.Find()
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := copiedDirs(root)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	sem := make(chan struct{}, 2)
	t.Run("models", func(t *testing.T) {
		for _, m := range realModels {
			t.Run(m.name, func(t *testing.T) {
				t.Parallel()
				sem <- struct{}{}
				defer func() { <-sem }()
				buildModel(t, root, sdkDir, dirs, m)
			})
		}
	})
	t.Logf("all models: %v", time.Since(start).Round(time.Second))
}

func buildModel(t *testing.T, root, sdkDir string, dirs []string, m realModel) {
	d, err := m.find()
	modelDir := need(t, d, err)
	t0 := time.Now()
	tmp := t.TempDir()
	if err := copyHandWritten(root, tmp, dirs); err != nil {
		t.Fatal(err)
	}
	opt := Options{Model: modelDir, Out: tmp, SDKDir: sdkDir, Origin: emit.Origin{Version: m.name}}
	if m.pinned {
		opt.StrictSDK, opt.StrictOverrides = true, true
		opt.Origin.Name = "botocore/data/sagemaker/2017-07-24/"
	}
	res, err := Run(opt)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if m.ops != 0 && len(res.Service.Operations) != m.ops {
		t.Errorf("%d operations, want %d", len(res.Service.Operations), m.ops)
	}
	rep := res.Report
	if m.pinned && (len(rep.SDKMissing) > 0 || len(res.SkippedOverrides) > 0) {
		t.Errorf("pinned model: SDK lacks %v, overrides skipped %v", rep.SDKMissing, res.SkippedOverrides)
	}
	for _, want := range []string{"shapes/zz_model.go", "resources/zz_client_ops.go", "emulator/internal/sagemaker/zz_table.go", "emulator/zz_codec_test.go", "emulator/zz_lifecycle_test.go", "docs/coverage.md"} {
		if len(res.Files[filepath.FromSlash(want)]) == 0 {
			t.Errorf("%s not generated", want)
		}
	}
	t.Logf("%d operations; %d structures, %d unions, %d enums; %d resources; %d members skipped for the SDK (e.g. %s); skipped overrides: %q; generated %d files in %v",
		len(res.Service.Operations), rep.Structures, rep.Unions, rep.Enums, len(res.Resources.Resources), len(rep.SDKMissing), first(rep.SDKMissing), res.SkippedOverrides, len(res.Files), time.Since(t0).Round(time.Millisecond))

	for _, step := range [][]string{append([]string{"build"}, builtPkgs...), append([]string{"vet"}, builtPkgs...)} {
		t1 := time.Now()
		out, err := goCmd(tmp, step...)
		if err == nil {
			t.Logf("go %s: %v", step[0], time.Since(t1).Round(time.Millisecond))
			continue
		}
		if step[0] == "vet" {
			// vet shows only a package's first type error: compile the
			// tests again with -e for all of them.
			if all, err2 := goCmd(tmp, append([]string{"test", "-count=1", "-vet=off", "-gcflags=-e", "-run=^$", "-exec=/bin/true"}, builtPkgs...)...); err2 != nil {
				out += "\n" + all
			}
		}
		t.Errorf("go %s of the code generated from %s failed (%v)\n%s", strings.Join(step, " "), m.name, err, classify(tmp, out))
		return
	}
}

func goCmd(dir string, args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// errLine matches a compiler or vet error "dir/file.go:12:34: message",
// optionally prefixed by "vet: ".
var errLine = regexp.MustCompile(`^(?:vet: )?(\S+\.go):(\d+):(\d+): (.*)$`)

// classify sorts the errors of a failed build by the file they are in: a
// generated one (gen/emit wrote it from this model) or a hand-written one
// (written against the pinned model; it may use what this model types
// differently). Each error is listed once.
func classify(tmp, out string) string {
	var gen, hand, other []string
	seen := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		m := errLine.FindStringSubmatch(line)
		if m == nil {
			if line != "" && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "ok ") && !strings.HasPrefix(line, "FAIL") && !strings.HasPrefix(line, "?") {
				other = append(other, line)
			}
			continue
		}
		key := m[1] + ":" + m[2] + ":" + m[3] + ": " + m[4]
		if seen[key] {
			continue
		}
		seen[key] = true
		head, err := readHead(filepath.Join(tmp, m[1]))
		if err == nil && IsGenerated(head) {
			gen = append(gen, key)
		} else {
			hand = append(hand, key)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d errors in generated files (gen/emit's output for this model):\n", len(gen))
	for _, e := range gen[:min(len(gen), 100)] {
		b.WriteString("    " + e + "\n")
	}
	fmt.Fprintf(&b, "%d errors in hand-written files (written against the pinned model: they may use a member or type this model lacks or types differently):\n", len(hand))
	for _, e := range hand[:min(len(hand), 100)] {
		b.WriteString("    " + e + "\n")
	}
	if len(other) > 0 {
		fmt.Fprintf(&b, "other output:\n    %s\n", limitLines(strings.Join(other, "\n    "), 50))
	}
	return b.String()
}

// copiedDirs returns the module folders (relative to root) to copy: the
// hand-written folders with their subfolders, and every package of the
// module the built packages and their tests import (such as gen/model,
// which internal/testmodel uses).
func copiedDirs(root string) ([]string, error) {
	seen := map[string]bool{}
	var dirs []string
	add := func(rel string) {
		if !seen[rel] {
			seen[rel] = true
			dirs = append(dirs, rel)
		}
	}
	for _, d := range handWrittenDirs {
		err := filepath.WalkDir(filepath.Join(root, d), func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() {
				if e.Name() == "testdata" {
					return filepath.SkipDir
				}
				rel, _ := filepath.Rel(root, p)
				add(rel)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	args := append([]string{"list", "-deps", "-test", "-f", "{{if .Module}}{{if .Module.Main}}{{.Dir}}{{end}}{{end}}"}, builtPkgs...)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps: %v: %s", err, stderr.String())
	}
	for _, line := range strings.Fields(string(out)) {
		rel, err := filepath.Rel(root, line)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		add(rel)
	}
	return dirs, nil
}

// copyHandWritten copies go.mod, go.sum and the files of dirs that smgen
// did not write (its generated files are left out, so that only this run's
// output is beside them).
func copyHandWritten(root, dst string, dirs []string) error {
	for _, f := range []string{"go.mod", "go.sum"} {
		if err := copyFile(filepath.Join(root, f), filepath.Join(dst, f)); err != nil {
			return err
		}
	}
	for _, d := range dirs {
		ents, err := os.ReadDir(filepath.Join(root, d))
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, d), 0o755); err != nil {
			return err
		}
		for _, e := range ents {
			if !e.Type().IsRegular() {
				continue
			}
			src := filepath.Join(root, d, e.Name())
			if strings.HasSuffix(e.Name(), ".go") {
				head, err := readHead(src)
				if err != nil {
					return err
				}
				if IsGenerated(head) {
					continue
				}
			}
			if err := copyFile(src, filepath.Join(dst, d, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// limitLines keeps the first n lines of s.
func limitLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) <= n {
		return strings.Join(lines, "\n")
	}
	return strings.Join(lines[:n], "\n") + fmt.Sprintf("\n... (%d more lines)", len(lines)-n)
}

func first(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return s[0]
}
