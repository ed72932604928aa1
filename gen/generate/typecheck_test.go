package generate

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smcore-go/smcore/gen/emit"
	"github.com/smcore-go/smcore/gen/model"
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

// TestRealModelsTypeCheck generates package shapes from each real model
// and type-checks it against the pinned SDK. Members the SDK lacks are
// skipped and reported; only the pinned model must have none.
func TestRealModelsTypeCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks four generated packages")
	}
	root, err := modelsrc.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	sdkDir, _, err := sdkinfo.Find()
	if err != nil {
		t.Fatal(err)
	}
	sdk, err := sdkinfo.Load(sdkDir)
	if err != nil {
		t.Fatal(err)
	}
	models := []struct {
		name   string
		find   func() (string, error)
		ops    int
		pinned bool
	}{
		{"pinned botocore 1.43.11", modelsrc.Pinned, modelsrc.PinnedOperations, true},
		{"botocore-2026-04", func() (string, error) { return modelsrc.Shared("botocore-2026-04") }, 382, false},
		{"smithy-2025-04", func() (string, error) { return modelsrc.Shared("smithy-2025-04") }, 358, false},
		{"aws-sdk-go v1.55.8", modelsrc.AWSSDKGoV1, 0, false},
	}
	for _, m := range models {
		t.Run(m.name, func(t *testing.T) {
			d, err := m.find()
			dir := need(t, d, err)
			svc, err := model.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if m.ops != 0 && len(svc.Operations) != m.ops {
				t.Errorf("%d operations, want %d", len(svc.Operations), m.ops)
			}
			files, rep, err := emit.Shapes(svc, sdk, emit.Origin{Version: m.name})
			if err != nil {
				t.Fatal(err)
			}
			if m.pinned && len(rep.SDKMissing) > 0 {
				t.Errorf("pinned model: the SDK lacks %v", rep.SDKMissing)
			}
			t.Logf("%d structures, %d unions, %d enums; %d skipped for the SDK, e.g. %s", rep.Structures, rep.Unions, rep.Enums, len(rep.SDKMissing), first(rep.SDKMissing))
			var srcs []source
			for _, f := range files {
				if !strings.HasSuffix(f.Name, "_test.go") {
					srcs = append(srcs, source{f.Name, f.Data})
				}
			}
			// The hand-written half of the package.
			hand, _ := filepath.Glob(filepath.Join(root, "shapes", "*.go"))
			for _, h := range hand {
				b, err := os.ReadFile(h)
				if err != nil {
					t.Fatal(err)
				}
				if !IsGenerated(b) && !strings.HasSuffix(h, "_test.go") {
					srcs = append(srcs, source{filepath.Base(h), b})
				}
			}
			start := time.Now()
			if errs := typeCheck(root, "shapes", srcs); len(errs) > 0 {
				for _, e := range errs[:min(10, len(errs))] {
					t.Error(e)
				}
				t.Fatalf("%d type errors", len(errs))
			}
			t.Logf("type-checked in %v", time.Since(start).Round(time.Millisecond))
		})
	}
}

type source struct {
	name string
	data []byte
}

// typeCheck type-checks one package from source against the export data of
// its imports (built, or taken from the build cache, by go list -export), so
// that the generated package itself is never compiled.
func typeCheck(dir, pkgName string, srcs []source) []error {
	fset := token.NewFileSet()
	var files []*ast.File
	imports := map[string]bool{}
	var errs []error
	for _, s := range srcs {
		f, err := parser.ParseFile(fset, s.name, s.data, parser.SkipObjectResolution)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			imports[p] = true
		}
	}
	if len(errs) > 0 {
		return errs
	}
	args := []string{"list", "-export", "-deps", "-f", "{{.ImportPath}}={{.Export}}"}
	for p := range imports {
		args = append(args, p)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return []error{fmt.Errorf("go list -export: %v", err)}
	}
	exports := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			exports[k] = v
		}
	}
	conf := types.Config{
		Importer: importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
			f, ok := exports[path]
			if !ok || f == "" {
				return nil, fmt.Errorf("no export data for %s", path)
			}
			return os.Open(f)
		}),
		Error: func(err error) { errs = append(errs, err) },
	}
	conf.Check(pkgName, fset, files, nil)
	return errs
}

func first(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return s[0]
}
