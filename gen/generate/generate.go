// Package generate runs the generator pipeline: load the model, read the
// SDK's types, emit, and write the files, all or nothing.
package generate

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/smcore-go/smcore/gen/emit"
	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/plan"
	"github.com/smcore-go/smcore/gen/resource"
	"github.com/smcore-go/smcore/gen/sdkinfo"
)

// Options configure a run.
type Options struct {
	Model  string      // model file or folder
	Origin emit.Origin // how generated files name the model; a Name ending in "/" gets the main file's name
	Out    string      // repository root; packages are written below it
	SDKDir string      // SDK module folder; found with `go list` when empty
	// StrictSDK makes any shape or member the SDK lacks an error (for the
	// pinned model, which the pinned SDK must cover).
	StrictSDK bool
	// StrictOverrides makes an entry of overrides.json whose target is not
	// in the model an error (for the pinned model, which the file is written
	// for, so that stale entries get cleaned). Otherwise such entries are
	// skipped and listed in Result.SkippedOverrides.
	StrictOverrides bool
	// DryRun generates without writing (for timing and checks).
	DryRun bool
	// ShapesOnly skips resource discovery and package resources (for models
	// other than SageMaker's, whose resources the overrides do not fit).
	ShapesOnly bool
	// Overrides replace gen/resource/overrides.json (for fixture models).
	Overrides *resource.Overrides
}

// Result tells what a run did.
type Result struct {
	Service   *model.Service
	Report    *emit.Report
	Resources *resource.Set
	Plan      *plan.Plan   // nil in ShapesOnly runs
	Shapes    *plan.Shapes // the plan of package shapes
	// SkippedOverrides are the override entries skipped because their
	// target is not in the model (Resources.SkippedOverrides); always empty
	// with StrictOverrides.
	SkippedOverrides []string
	Files            map[string][]byte // path relative to Out -> content
	Removed          []string          // stale generated files deleted
	Stages           []Stage
}

// Stage is one timed step.
type Stage struct {
	Name     string
	Duration time.Duration
}

// Run generates every package from the model.
func Run(opt Options) (*Result, error) {
	res := &Result{Files: map[string][]byte{}}
	t0 := time.Now()
	mark := func(name string) {
		now := time.Now()
		res.Stages = append(res.Stages, Stage{name, now.Sub(t0)})
		t0 = now
	}
	svc, err := model.Load(opt.Model)
	if err != nil {
		return nil, err
	}
	res.Service = svc
	// A name ending in "/" is a folder to which the main file's name is added.
	if opt.Origin.Name == "" || strings.HasSuffix(opt.Origin.Name, "/") {
		opt.Origin.Name += svc.Source.Files[0]
	}
	mark("load model")

	dir := opt.SDKDir
	if dir == "" {
		if dir, _, err = sdkinfo.Find(); err != nil {
			return nil, err
		}
	}
	sdk, err := sdkinfo.Load(dir)
	if err != nil {
		return nil, err
	}
	mark("read SDK types")

	// Resources are discovered and planned first: shapes are laid out by
	// resource. Then package shapes is planned, and every emitter renders
	// its plan.
	var set *resource.Set
	var p *plan.Plan
	if !opt.ShapesOnly {
		ov := opt.Overrides
		if ov == nil {
			if ov, err = resource.DefaultOverrides(); err != nil {
				return nil, err
			}
		}
		if set, err = resource.DiscoverWith(svc, ov, resource.DiscoverOptions{StrictOverrides: opt.StrictOverrides}); err != nil {
			return nil, err
		}
		res.Resources = set
		res.SkippedOverrides = set.SkippedOverrides
		if p, err = plan.Build(svc, set); err != nil {
			return nil, err
		}
		res.Plan = p
	}
	sp, err := plan.BuildShapes(svc, set, sdk)
	if err != nil {
		return nil, err
	}
	res.Shapes = sp
	mark("discover and plan")
	files, rep, err := emit.Shapes(sp, opt.Origin)
	if err != nil {
		return nil, err
	}
	res.Report = rep
	for _, f := range files {
		res.Files[filepath.Join("shapes", f.Name)] = f.Data
	}
	mark("emit shapes")
	if set != nil {
		rfiles, err := emit.Resources(p)
		if err != nil {
			return nil, err
		}
		for _, f := range rfiles {
			res.Files[filepath.Join("resources", f.Name)] = f.Data
		}
		res.Files[filepath.Join("docs", "coverage.md")] = []byte(emit.Coverage(p))
		efiles, err := emit.EmulatorTable(p)
		if err != nil {
			return nil, err
		}
		tfiles, err := emit.EmulatorTests(p)
		if err != nil {
			return nil, err
		}
		for _, f := range efiles {
			res.Files[filepath.Join(filepath.FromSlash(EmulatorTableDir), f.Name)] = f.Data
		}
		for _, f := range tfiles {
			res.Files[filepath.Join("emulator", f.Name)] = f.Data
		}
		mark("emit resources")
	}
	if opt.StrictSDK && len(rep.SDKMissing) > 0 {
		return nil, fmt.Errorf("the SDK lacks %d shapes or members of the model (first: %s); the pinned model must be fully covered", len(rep.SDKMissing), rep.SDKMissing[0])
	}
	if opt.DryRun {
		return res, nil
	}
	removed, err := write(opt.Out, res.Files, []string{"shapes", "resources", "emulator", filepath.FromSlash(EmulatorTableDir)})
	if err != nil {
		return nil, err
	}
	res.Removed = removed
	mark("write")
	return res, nil
}

// IsGenerated reports whether Go source carries smgen's header.
func IsGenerated(src []byte) bool {
	return bytes.HasPrefix(src, []byte("// "+emit.Header+"\n"))
}

// write stores files under root and deletes generated files in dirs that
// this run did not produce. Files are first written beside their target and
// then renamed, so a failed run leaves the old files in place.
// EmulatorTableDir is where the endpoint's table goes: its SageMaker
// service. The tests that go through the whole endpoint stay in emulator.
const EmulatorTableDir = "emulator/internal/sagemaker"

func write(root string, files map[string][]byte, dirs []string) ([]string, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	var tmps []string
	cleanup := func() {
		for _, t := range tmps {
			os.Remove(t)
		}
	}
	for _, n := range names {
		p := filepath.Join(root, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			cleanup()
			return nil, err
		}
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, files[n]) {
			continue
		}
		tmp := p + ".smgen-tmp"
		if err := os.WriteFile(tmp, files[n], 0o644); err != nil {
			cleanup()
			return nil, err
		}
		tmps = append(tmps, tmp)
	}
	for _, t := range tmps {
		if err := os.Rename(t, strings.TrimSuffix(t, ".smgen-tmp")); err != nil {
			cleanup()
			return nil, err
		}
	}
	var removed []string
	for _, d := range dirs {
		ents, err := os.ReadDir(filepath.Join(root, d))
		if err != nil {
			continue
		}
		for _, e := range ents {
			rel := filepath.Join(d, e.Name())
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || files[rel] != nil {
				continue
			}
			p := filepath.Join(root, rel)
			if head, err := readHead(p); err == nil && IsGenerated(head) {
				if err := os.Remove(p); err != nil {
					return removed, err
				}
				removed = append(removed, rel)
			}
		}
	}
	return removed, nil
}

func readHead(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 128)
	n, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return buf[:n], err
}
