package plan

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/naming"
	"github.com/smcore-go/smcore/gen/resource"
)

// The layout of package shapes is part of its plan, decided from the model
// and the resource set before anything is rendered (layoutShapes):
//
//   - zz_<resource>.go, named as in package resources (zz_training_job.go):
//     the input and output of every operation assigned to the resource, and
//     every structure, union and enum reachable only from those operations;
//   - zz_client_ops.go: the same for the client operations (set.Client);
//   - zz_errors.go: the errors the service returns;
//   - zz_shared.go: the structures and unions reachable from the
//     operations of several of the above; zz_enums.go: such enums.
//
// A resource named like a shared group or a fixed file gets a "_resource"
// suffix: SageMaker's Model is zz_model_resource.go, since zz_model.go is
// the model record. Without a resource set (ShapesOnly) every structure,
// union and error is in zz_shared.go and every enum in zz_enums.go.
// A group estimated at more than maxFileLines is split into
// zz_<group>_<first>-<last>.go by ranges of lower-case name prefixes: whole
// letters merged in order while they fit, a letter too big alone split the
// same way by two-letter prefixes, and so on. The same model gives the same
// files, and a new shape changes only its own file unless its range
// crosses the bound. The test table (generatedShapes) is split the same
// way into zz_shapes_<first>-<last>_test.go.

// maxFileLines bounds a file's estimated size (fileLines). For the pinned
// model the formatted files are 0.97 to 1.12 times their estimate, so a
// bound of 6,000 keeps every file under 7,000 lines, well below the 8,000
// that editors and reviewers take (gen/generate's TestPinnedShapesLayout).
const maxFileLines = 6000

// testRowLines is the size of a generatedShapes row with a round trip.
const testRowLines = 10

// shapeLayout is where every emitted shape goes.
type shapeLayout struct {
	files  []string                  // shape files, sorted
	shapes map[string][]*model.Shape // file -> shapes, in the order they are written
	// tests are the parts of the test table; one part with an empty name
	// is the whole table in zz_shapes_test.go.
	tests []chunk
}

// chunk is one range of a group: its name ("a", "a-c", "ca-cl"; empty
// for the whole group) and its shapes.
type chunk struct {
	name   string
	shapes []*model.Shape
}

// fixedFiles are the other files of package shapes (FileConv, FileModel,
// FileShapesTest); a group must not take one of these names.
var fixedFiles = map[string]bool{"conv": true, "model": true, "shapes_test": true}

// groupNames are the shared groups; a resource of that name (or of a
// fixed file's) gets a "_resource" suffix.
var groupNames = map[string]bool{"client_ops": true, "errors": true, "shared": true, "enums": true}

// layout places every planned shape in its file and splits the test table.
func (b *shapesBuilder) layout(emitted []*model.Shape, set *resource.Set) error {
	lay, err := layoutShapes(b.svc, emitted, set, func(s *model.Shape) int { return fileLines(b.out.ByModel[s]) })
	if err != nil {
		return err
	}
	for _, name := range lay.files {
		f := &ShapeFile{Name: name}
		for _, s := range lay.shapes[name] {
			ps := b.out.ByModel[s]
			ps.File = name
			f.Shapes = append(f.Shapes, ps)
		}
		b.out.Files = append(b.out.Files, f)
	}
	for _, c := range lay.tests {
		tp := &TestPart{File: FileShapesTest, Range: c.name}
		if len(lay.tests) > 1 {
			tp.File, tp.Var = "zz_shapes_"+rangeName(c.name)+"_test.go", testRowsVar(c.name)
		}
		for _, s := range c.shapes {
			tp.Shapes = append(tp.Shapes, b.out.ByModel[s])
		}
		b.out.Tests = append(b.out.Tests, tp)
	}
	return nil
}

// testRowsVar names the variable of a part of the test table: "ca-cl" is
// generatedShapesCaCl.
func testRowsVar(name string) string {
	v := "generatedShapes"
	for _, p := range strings.Split(name, "-") {
		v += strings.ToUpper(p[:1]) + p[1:]
	}
	return v
}

// layoutShapes assigns every emitted shape to its file; size estimates a
// shape's lines (fileLines). set is nil for a model without resources.
func layoutShapes(svc *model.Service, emitted []*model.Shape, set *resource.Set, size func(*model.Shape) int) (*shapeLayout, error) {
	opShape := map[*model.Shape]bool{}
	for _, op := range svc.Operations {
		opShape[op.Input], opShape[op.Output] = true, true
	}
	group := map[*model.Shape]string{}
	if set != nil {
		owners, opGroup := shapeOwners(set)
		for _, s := range emitted {
			switch o := owners[s]; {
			case opGroup[s] != "":
				group[s] = opGroup[s]
			case s.Error != nil:
				group[s] = "errors"
			case len(o) == 1:
				group[s] = o[0]
			case s.Kind == model.KindEnum:
				group[s] = "enums"
			default:
				group[s] = "shared"
			}
		}
	} else {
		for _, s := range emitted {
			group[s] = "shared"
			if s.Kind == model.KindEnum {
				group[s] = "enums"
			}
		}
	}
	members := map[string][]*model.Shape{}
	for _, s := range emitted {
		members[group[s]] = append(members[group[s]], s)
	}
	lay := &shapeLayout{shapes: map[string][]*model.Shape{}}
	byRole := func(a, b *model.Shape) int {
		role := func(s *model.Shape) int {
			switch {
			case s.Kind == model.KindEnum:
				return 2
			case opShape[s]:
				return 0
			}
			return 1
		}
		return cmp.Or(cmp.Compare(role(a), role(b)), cmp.Compare(a.Name, b.Name))
	}
	for _, g := range slices.Sorted(maps.Keys(members)) {
		for _, c := range chunkByName(members[g], size, maxFileLines) {
			base := g
			if c.name != "" {
				base += "_" + rangeName(c.name)
			}
			name := "zz_" + safeBase(base) + ".go"
			if lay.shapes[name] != nil || fixedFiles[strings.TrimSuffix(strings.TrimPrefix(name, "zz_"), ".go")] {
				return nil, fmt.Errorf("shapes layout: two groups of shapes map to %s", name)
			}
			slices.SortStableFunc(c.shapes, byRole)
			lay.shapes[name] = c.shapes
			lay.files = append(lay.files, name)
		}
	}
	slices.Sort(lay.files)
	var rows []*model.Shape
	for _, s := range emitted {
		if s.Kind != model.KindEnum {
			rows = append(rows, s)
		}
	}
	lay.tests = chunkByName(rows, func(*model.Shape) int { return testRowLines }, maxFileLines)
	return lay, nil
}

// shapeOwners returns, for every shape reachable from an operation's input
// or output, the groups whose operations reach it: resource file names
// (snake case) and "client_ops", sorted; and the group of every
// operation's input and output, which stay with their operation.
func shapeOwners(set *resource.Set) (owners map[*model.Shape][]string, opGroup map[*model.Shape]string) {
	owners, opGroup = map[*model.Shape][]string{}, map[*model.Shape]string{}
	var walk func(s *model.Shape, owner string)
	walk = func(s *model.Shape, owner string) {
		if s == nil || slices.Contains(owners[s], owner) {
			return
		}
		owners[s] = append(owners[s], owner)
		for _, m := range s.Members {
			walk(m.Target, owner)
		}
		for _, m := range []*model.Member{s.ListMember, s.MapKey, s.MapValue} {
			if m != nil {
				walk(m.Target, owner)
			}
		}
	}
	ops := func(ops []*model.Operation, owner string) {
		for _, op := range ops {
			for _, s := range []*model.Shape{op.Input, op.Output} {
				if s != nil {
					opGroup[s] = owner
				}
			}
			walk(op.Input, owner)
			walk(op.Output, owner)
		}
	}
	for _, r := range set.Resources {
		base := naming.Snake(r.Name)
		if groupNames[base] || fixedFiles[base] {
			base += "_resource"
		}
		var rops []*model.Operation
		if r.Describe != nil {
			rops = append(rops, r.Describe.Op)
		}
		for _, m := range r.Methods {
			rops = append(rops, m.Op)
		}
		ops(rops, base)
	}
	ops(set.Client, "client_ops")
	for _, o := range owners {
		slices.Sort(o)
	}
	return owners, opGroup
}

// chunkByName splits shapes into ranges of lower-case name prefixes of at
// most limit lines each (by size), or returns them as one unnamed chunk when
// they fit. A single shape larger than limit is a chunk of its own.
func chunkByName(shapes []*model.Shape, size func(*model.Shape) int, limit int) []chunk {
	total := 0
	for _, s := range shapes {
		total += size(s)
	}
	if total <= limit {
		return []chunk{{shapes: slices.Clone(shapes)}}
	}
	sorted := slices.Clone(shapes)
	slices.SortFunc(sorted, func(a, b *model.Shape) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	return splitRanges(sorted, 1, size, limit)
}

// splitRanges groups sorted shapes by their first n lower-case letters and
// merges consecutive groups while they fit; a group too big alone is split
// by n+1 letters.
func splitRanges(sorted []*model.Shape, n int, size func(*model.Shape) int, limit int) []chunk {
	type group struct {
		prefix string
		shapes []*model.Shape
		lines  int
	}
	var groups []group
	longest := 0
	for _, s := range sorted {
		name := strings.ToLower(s.Name)
		longest = max(longest, len(name))
		p := name[:min(n, len(name))]
		if len(groups) == 0 || groups[len(groups)-1].prefix != p {
			groups = append(groups, group{prefix: p})
		}
		g := &groups[len(groups)-1]
		g.shapes = append(g.shapes, s)
		g.lines += size(s)
	}
	var out []chunk
	var cur []group
	lines := 0
	flush := func() {
		if len(cur) == 0 {
			return
		}
		c := chunk{name: cur[0].prefix}
		if len(cur) > 1 {
			c.name += "-" + cur[len(cur)-1].prefix
		}
		for _, g := range cur {
			c.shapes = append(c.shapes, g.shapes...)
		}
		out = append(out, c)
		cur, lines = nil, 0
	}
	for _, g := range groups {
		if g.lines > limit && len(g.shapes) > 1 && n < longest {
			flush()
			out = append(out, splitRanges(g.shapes, n+1, size, limit)...)
			continue
		}
		if lines+g.lines > limit {
			flush()
		}
		cur = append(cur, g)
		lines += g.lines
	}
	flush()
	return out
}

// rangeName is a chunk's name in a file name: a single prefix that is a
// GOOS, a GOARCH or "test" is written as a range of one ("js-js"), so the
// go command does not read it as a build constraint.
func rangeName(r string) string {
	if goSuffix[r] {
		return r + "-" + r
	}
	return r
}

// safeBase keeps a file name from ending in a segment the go command reads
// as a build constraint or a test file (a resource named …Test or …Arm).
func safeBase(base string) string {
	if i := strings.LastIndexByte(base, '_'); goSuffix[base[i+1:]] {
		return base + "_shapes"
	}
	return base
}

// goSuffix are the file-name segments with a meaning to the go command.
var goSuffix = func() map[string]bool {
	m := map[string]bool{"test": true}
	for _, s := range strings.Fields(`aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos
		386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm`) {
		m[s] = true
	}
	return m
}()

// fileLines estimates the formatted lines of a shape's declarations from
// the model and the fields' planned docs: doc, fields with their docs,
// Validate and validate, and the SDK conversions (assumed present).
func fileLines(ps *Shape) int {
	s := ps.Model
	dep := 0
	if s.Deprecated != nil {
		dep = 2
	}
	if s.Kind == model.KindEnum {
		// doc, type, const block, Values with one value per line.
		return 8 + dep + 2*len(s.Enum) + 6
	}
	n := 5 + dep + 3 + 7 // doc, type braces and blank, Validate
	checks := 0
	for i, m := range s.Members {
		n += 1 + len(ps.Members[i].Doc)
		switch {
		case m.Required:
			checks += 4
		case !m.Effective().IsZero():
			checks += 3
		default:
			switch m.Target.Kind {
			case model.KindEnum, model.KindStructure, model.KindUnion:
				checks += 3
			case model.KindList, model.KindMap:
				checks += 5
			}
		}
	}
	if checks > 0 || s.Kind == model.KindUnion {
		n += 6 + checks
	}
	if s.Kind == model.KindUnion {
		return n + 3 + 3*len(s.Members) + 2*(3*len(s.Members)+9)
	}
	return n + 2*(len(s.Members)+8)
}
