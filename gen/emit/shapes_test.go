package emit

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/plan"
	"github.com/smcore-go/smcore/gen/resource"
	"github.com/smcore-go/smcore/gen/sdkinfo"
)

var update = flag.Bool("update", false, "rewrite golden files")

func loadFixture(t *testing.T, format string) *model.Service {
	t.Helper()
	svc, err := model.Load(filepath.Join("testdata", "fixture", format))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func fixtureSDK(t *testing.T) *sdkinfo.SDK {
	t.Helper()
	sdk, err := sdkinfo.Load(filepath.Join("testdata", "fixture", "sdk"))
	if err != nil {
		t.Fatal(err)
	}
	return sdk
}

// shapes plans and renders package shapes from svc (set and sdk may be nil).
func shapes(t *testing.T, svc *model.Service, set *resource.Set, sdk *sdkinfo.SDK, origin Origin) ([]File, *Report, error) {
	t.Helper()
	sp, err := plan.BuildShapes(svc, set, sdk)
	if err != nil {
		return nil, nil, err
	}
	return Shapes(sp, origin)
}

func fixtureSet(t *testing.T, svc *model.Service) *resource.Set {
	t.Helper()
	set, err := resource.Discover(svc, &resource.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestShapesGolden compares the emitter's output on a small fixture model
// with the files in testdata/golden (go test ./gen/emit -update rewrites them).
func TestShapesGolden(t *testing.T) {
	svc := loadFixture(t, "botocore")
	files, rep, err := shapes(t, svc, fixtureSet(t, svc), fixtureSDK(t), Origin{Version: "fixture 1", Name: "fixture/service-2.json"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.SDKMissing) != 0 || len(rep.BadPatterns) != 0 {
		t.Fatalf("unexpected report: %+v", rep)
	}
	if rep.Structures != 7 || rep.Unions != 1 || rep.Enums != 1 {
		t.Fatalf("counts: %+v", rep)
	}
	compareGolden(t, "shapes", files)
}

// TestResourcesGolden compares the resources emitter's output on the
// fixture model with testdata/golden/resources.
func TestResourcesGolden(t *testing.T) {
	svc := loadFixture(t, "botocore")
	set, err := resource.Discover(svc, &resource.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Resources) != 1 || set.Resources[0].Name != "Widget" {
		t.Fatalf("resources: %+v", set.Resources)
	}
	p, err := plan.Build(svc, set)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Resources(p)
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, File{Name: "coverage.md", Data: []byte(Coverage(p))})
	table, err := EmulatorTable(p)
	if err != nil {
		t.Fatal(err)
	}
	tests, err := EmulatorTests(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(table, tests...) {
		files = append(files, File{Name: "emulator_" + f.Name, Data: f.Data})
	}
	compareGolden(t, "resources", files)
}

// compareGolden compares files with testdata/golden/<name>, or rewrites
// them there with -update.
func compareGolden(t *testing.T, name string, files []File) {
	t.Helper()
	dir := filepath.Join("testdata", "golden", name)
	if *update {
		os.RemoveAll(dir)
		os.MkdirAll(dir, 0o755)
	}
	for _, f := range files {
		golden := filepath.Join(dir, f.Name+".golden")
		if *update {
			if err := os.WriteFile(golden, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./gen/emit -update)", err)
		}
		if !bytes.Equal(want, f.Data) {
			t.Errorf("%s differs from %s (run go test ./gen/emit -update and review the diff):\n%s", f.Name, golden, firstDiff(string(want), string(f.Data)))
		}
	}
}

// TestShapesSameFromBothFormats is the naming proof: the same API in
// botocore and Smithy form gives the same Go code, byte for byte, except
// for the record of the model's source.
func TestShapesSameFromBothFormats(t *testing.T) {
	sdk := fixtureSDK(t)
	origin := Origin{Version: "fixture 1"}
	sa, sb := loadFixture(t, "botocore"), loadFixture(t, "smithy")
	a, _, err := shapes(t, sa, fixtureSet(t, sa), sdk, origin)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := shapes(t, sb, fixtureSet(t, sb), sdk, origin)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d files vs %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Name != b[i].Name {
			t.Fatalf("file %d: %s vs %s", i, a[i].Name, b[i].Name)
		}
		if a[i].Name == "zz_model.go" {
			continue
		}
		if !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s differs between formats:\n%s", a[i].Name, firstDiff(string(a[i].Data), string(b[i].Data)))
		}
	}
}

// TestShapesDeterministic: two runs give identical bytes.
func TestShapesDeterministic(t *testing.T) {
	sdk := fixtureSDK(t)
	svc := loadFixture(t, "smithy")
	set := fixtureSet(t, svc)
	a, _, _ := shapes(t, svc, set, sdk, Origin{})
	for range 3 {
		b, _, _ := shapes(t, svc, set, sdk, Origin{})
		for i := range a {
			if !bytes.Equal(a[i].Data, b[i].Data) {
				t.Fatalf("%s differs between runs", a[i].Name)
			}
		}
	}
}

// TestShapesWithoutResources: the fixture without a resource set declares
// the same types, in zz_shared.go and zz_enums.go.
func TestShapesWithoutResources(t *testing.T) {
	sdk := fixtureSDK(t)
	svc := loadFixture(t, "botocore")
	with, _, err := shapes(t, svc, fixtureSet(t, svc), sdk, Origin{})
	if err != nil {
		t.Fatal(err)
	}
	without, _, err := shapes(t, loadFixture(t, "botocore"), nil, sdk, Origin{})
	if err != nil {
		t.Fatal(err)
	}
	decl := regexp.MustCompile(`(?m)^(?:type|func) (?:\([^)]*\) )?\w+`)
	decls := func(files []File) (names, all []string) {
		for _, f := range files {
			names = append(names, f.Name)
			all = append(all, decl.FindAllString(string(f.Data), -1)...)
		}
		slices.Sort(all)
		return names, all
	}
	wn, wd := decls(with)
	on, od := decls(without)
	if !slices.Contains(wn, "zz_widget.go") {
		t.Errorf("with resources: files %v, want zz_widget.go", wn)
	}
	if want := []string{"zz_enums.go", "zz_shared.go", "zz_shapes_test.go", "zz_model.go", "zz_conv.go"}; !slices.Equal(on, want) {
		t.Errorf("without resources: files %v, want %v", on, want)
	}
	if !slices.Equal(wd, od) {
		t.Errorf("the layouts declare different things:\n%v\n%v", wd, od)
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, al[i], bl[i])
		}
	}
	return "lengths differ"
}
