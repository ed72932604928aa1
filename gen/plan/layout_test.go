package plan

import (
	"maps"
	"strings"
	"testing"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/resource"
)

// TestLayoutRules: operation shapes and what only one resource's (or the
// client's) operations reach go with it, errors to zz_errors.go, what
// several reach to zz_shared.go and zz_enums.go; a resource named like a
// fixed file gets a suffix; without a resource set everything is shared.
func TestLayoutRules(t *testing.T) {
	str := func(name string, m ...*model.Shape) *model.Shape {
		s := &model.Shape{Name: name, Kind: model.KindStructure}
		for _, x := range m {
			s.Members = append(s.Members, &model.Member{Name: x.Name, Target: x})
		}
		return s
	}
	mode := &model.Shape{Name: "Mode", Kind: model.KindEnum, Enum: []model.EnumValue{{Value: "a"}}}
	only := &model.Shape{Name: "JobOnly", Kind: model.KindEnum, Enum: []model.EnumValue{{Value: "b"}}}
	common := str("Common", mode)
	jobConfig := str("JobConfig", only)
	list := &model.Shape{Name: "CommonList", Kind: model.KindList, ListMember: &model.Member{Name: "member", Target: common}}
	notFound := &model.Shape{Name: "NotFound", Kind: model.KindStructure, Error: &model.ErrorInfo{Fault: "client"}}
	op := func(name string, in, out *model.Shape) *model.Operation {
		return &model.Operation{Name: name, Input: in, Output: out, Errors: []*model.Shape{notFound}}
	}
	descJob := op("DescribeJob", str("DescribeJobInput"), str("DescribeJobOutput", jobConfig, list))
	descModel := op("DescribeModel", str("DescribeModelInput"), str("DescribeModelOutput", common))
	search := op("Search", str("SearchInput", common), str("SearchOutput"))
	svc := &model.Service{Operations: map[string]*model.Operation{}}
	for _, o := range []*model.Operation{descJob, descModel, search} {
		svc.Operations[o.Name] = o
	}
	set := &resource.Set{
		Resources: []*resource.Resource{{Name: "Job", Describe: &resource.Method{Op: descJob}}, {Name: "Model", Describe: &resource.Method{Op: descModel}}},
		Client:    []*model.Operation{search},
	}
	var emitted []*model.Shape
	for _, s := range svc.Reachable() {
		if s.Kind == model.KindStructure || s.Kind == model.KindEnum {
			emitted = append(emitted, s)
		}
	}
	files := func(set *resource.Set) map[string]string {
		lay, err := layoutShapes(svc, emitted, set, func(*model.Shape) int { return 1 })
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, f := range lay.files {
			var names []string
			for _, s := range lay.shapes[f] {
				names = append(names, s.Name)
			}
			out[f] = strings.Join(names, " ")
		}
		return out
	}
	want := map[string]string{
		"zz_job.go":            "DescribeJobInput DescribeJobOutput JobConfig JobOnly",
		"zz_model_resource.go": "DescribeModelInput DescribeModelOutput",
		"zz_client_ops.go":     "SearchInput SearchOutput",
		"zz_errors.go":         "NotFound",
		"zz_shared.go":         "Common",
		"zz_enums.go":          "Mode",
	}
	if got := files(set); !maps.Equal(got, want) {
		t.Errorf("with resources:\n got %v\nwant %v", got, want)
	}
	want = map[string]string{
		"zz_shared.go": "DescribeJobInput DescribeJobOutput DescribeModelInput DescribeModelOutput SearchInput SearchOutput Common JobConfig NotFound",
		"zz_enums.go":  "JobOnly Mode",
	}
	if got := files(nil); !maps.Equal(got, want) {
		t.Errorf("without resources:\n got %v\nwant %v", got, want)
	}
}

// TestChunkByName: ranges of name prefixes, within the limit, in order,
// covering every shape once; one more shape changes one chunk.
func TestChunkByName(t *testing.T) {
	var shapes []*model.Shape
	add := func(names ...string) {
		for _, n := range names {
			shapes = append(shapes, &model.Shape{Name: n, Kind: model.KindStructure})
		}
	}
	add("Alpha", "Apple", "Beta", "Cab", "Cat", "Ccc", "Cda", "Cdb", "Cdc", "Cdd", "Delta", "JsonA", "JsonB", "JsonC", "JsonD", "Jt", "Zed")
	one := func(*model.Shape) int { return 1 }
	chunks := func() map[string]string {
		out := map[string]string{}
		var seen []string
		for _, c := range chunkByName(shapes, one, 3) {
			var names []string
			for _, s := range c.shapes {
				names = append(names, s.Name)
			}
			if len(names) > 3 {
				t.Errorf("chunk %s holds %d shapes", c.name, len(names))
			}
			seen = append(seen, names...)
			out[c.name] = strings.Join(names, " ")
		}
		if len(seen) != len(shapes) {
			t.Errorf("chunks hold %d shapes, want %d", len(seen), len(shapes))
		}
		return out
	}
	want := map[string]string{
		"a-b": "Alpha Apple Beta", "ca-cc": "Cab Cat Ccc", "cda-cdc": "Cda Cdb Cdc", "cdd": "Cdd", "d": "Delta",
		"jsona-jsonc": "JsonA JsonB JsonC", "jsond": "JsonD", "jt": "Jt", "z": "Zed",
	}
	if got := chunks(); !maps.Equal(got, want) {
		t.Errorf("chunks:\n got %v\nwant %v", got, want)
	}
	add("Dog")
	want["d"] = "Delta Dog"
	if got := chunks(); !maps.Equal(got, want) {
		t.Errorf("after adding Dog:\n got %v\nwant %v", got, want)
	}
	if got := chunkByName(shapes, one, 100); len(got) != 1 || got[0].name != "" {
		t.Errorf("shapes that fit: %d chunks, first %q; want one unnamed", len(got), got[0].name)
	}
}

// TestFileNamesAvoidBuildConstraints: no generated name ends in a GOOS,
// GOARCH or _test segment by accident.
func TestFileNamesAvoidBuildConstraints(t *testing.T) {
	for in, want := range map[string]string{"js": "js-js", "a-c": "a-c", "test": "test-test", "d": "d"} {
		if got := rangeName(in); got != want {
			t.Errorf("rangeName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"shared_a-c": "shared_a-c", "load_test": "load_test_shapes", "device_linux": "device_linux_shapes", "training_job": "training_job"} {
		if got := safeBase(in); got != want {
			t.Errorf("safeBase(%q) = %q, want %q", in, got, want)
		}
	}
	if got := testRowsVar("ca-cl"); got != "generatedShapesCaCl" {
		t.Errorf("testRowsVar = %s", got)
	}
}
