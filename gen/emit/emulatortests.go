package emit

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/plan"
	"github.com/smcore-go/smcore/gen/resource"
	"github.com/smcore-go/smcore/internal/samples"
)

const (
	resourcesPath = "github.com/smcore-go/smcore/resources"
	testingPath   = "testing"
)

// EmulatorTests emits the local endpoint's generated tests:
//
//   - zz_codec_test.go (package emulator): for every operation, the typed
//     SDK method sends a sample request to a fresh endpoint; the endpoint
//     must decode it, the SDK must decode the answer, and the answer must
//     be the one the operation's role in the table calls for.
//   - zz_lifecycle_test.go (package emulator_test): for every creatable
//     resource kind, package resources and the SDK take one resource
//     through create, refresh, get, list, wait, delete and wait for delete.
//
// Sample requests come from internal/samples and are written into the
// tests as JSON, so the tests need neither the model nor reflection.
func EmulatorTests(p *plan.Plan) ([]File, error) {
	g := &emuTestGen{p: p, svc: p.Service}
	return runParallel([]func() (File, error){g.codecFile, g.lifecycleFile})
}

type emuTestGen struct {
	p   *plan.Plan
	svc *model.Service
}

// createOf returns the create of r when it takes a request.
func createOf(r *plan.Resource) *plan.Create {
	if r != nil && r.Create != nil && r.Create.Op.Input != nil {
		return r.Create
	}
	return nil
}

// sampleJSON is the sample request of shape s as compact JSON.
func sampleJSON(s *model.Shape) (string, error) {
	_, js, err := sampleOf(s)
	return js, err
}

// sampleOf returns the sample request of shape s and its compact JSON.
func sampleOf(s *model.Shape) (any, string, error) {
	v := samples.Value(&model.Member{Target: s})
	b, err := json.Marshal(v)
	if err != nil {
		return nil, "", fmt.Errorf("sample of %s: %w", s.Name, err)
	}
	return v, string(b), nil
}

// rawString renders s as a raw string literal where it can be one.
func rawString(s string) jen.Code {
	if strings.ContainsAny(s, "`\r") {
		return jen.Lit(s)
	}
	return jen.Op("`" + s + "`")
}

// leavesRequiredUnset reports whether the sample v of shape s lacks a
// required member at some depth (samples stop at a depth limit) or leaves
// one an empty string: the SDK's own validation may refuse such a request
// before it is sent.
func leavesRequiredUnset(s *model.Shape, v any) bool {
	switch s.Kind {
	case model.KindStructure, model.KindUnion:
		obj, _ := v.(map[string]any)
		for _, m := range s.Members {
			mv, ok := obj[m.Name]
			if !ok {
				if m.Required {
					return true
				}
				continue
			}
			if m.Required && mv == "" || leavesRequiredUnset(m.Target, mv) {
				return true
			}
		}
	case model.KindList:
		for _, e := range asSlice(v) {
			if leavesRequiredUnset(s.ListMember.Target, e) {
				return true
			}
		}
	case model.KindMap:
		obj, _ := v.(map[string]any)
		for _, e := range obj {
			if leavesRequiredUnset(s.MapValue.Target, e) {
				return true
			}
		}
	}
	return false
}

func asSlice(v any) []any {
	l, _ := v.([]any)
	return l
}

// ---------------------------------------------------------------- codec

// codecWant is what an operation's test expects from a fresh endpoint:
// one of the helpers' constants (codecResult, codecAnyAnswer,
// codecSDKMayRefuse) or an error code, and why.
type codecWant struct {
	constant, code, why string
}

func (w codecWant) render() jen.Code {
	if w.constant != "" {
		return jen.Id(w.constant)
	}
	return jen.Lit(w.code)
}

// codecWant says what op's test expects; sample is its sample request.
func (g *emuTestGen) codecWant(op *model.Operation, sample any) (codecWant, error) {
	role, ok := g.p.Roles[op.Name]
	if !ok {
		return codecWant{}, fmt.Errorf("operation %s has no role in the endpoint's table", op.Name)
	}
	if op.Input != nil && leavesRequiredUnset(op.Input, sample) {
		return codecWant{constant: "codecSDKMayRefuse", why: "the sample leaves a required member unset"}, nil
	}
	r := role.Resource
	switch role.Kind {
	case "create":
		return codecWant{constant: "codecResult", why: "a fresh endpoint creates the " + r.Name}, nil
	case "list":
		// The endpoint scopes a list by an identifier or by a string member
		// of the create request (emulator/internal/sagemaker/sagemaker.go, list).
		create := createOf(r)
		for _, m := range op.Input.Members {
			if !m.Required || slices.ContainsFunc(r.Identifiers, func(id *model.Member) bool { return id.Name == m.Name }) {
				continue
			}
			if create == nil || create.Op.Input.Member(m.Name) == nil || !plan.IsStringish(m.Target) {
				return codecWant{constant: "codecAnyAnswer", why: "its required member " + m.Name + " is a filter the endpoint does not apply"}, nil
			}
		}
		return codecWant{constant: "codecResult", why: "a fresh endpoint lists no " + r.Name}, nil
	case "describe", "update", "delete", "stop", "start":
		return codecWant{code: r.NotFound.Code, why: "a fresh endpoint has no " + r.Name}, nil
	case "addtags", "listtags", "deletetags":
		// As the service does for a resource that does not exist
		// (github.com/aws/amazon-sagemaker-feedback/issues/108).
		return codecWant{code: "ValidationException", why: "the sample ARN names no resource"}, nil
	}
	return codecWant{code: "NotImplemented", why: "the endpoint does not implement it"}, nil
}

func (g *emuTestGen) codecFile() (File, error) {
	f := newFile("emulator")
	f.ImportName(shapesPath, "shapes")
	f.Comment("One test per operation proves the wire codec: the SDK's typed method sends a")
	f.Comment("sample request to a fresh endpoint, which must decode it, and the SDK must decode")
	f.Comment("the answer, which must be the one the operation's role in the table calls for.")
	f.Comment("Helpers: codec_helpers_test.go.")
	f.Line()
	results := 0
	var body []jen.Code
	for _, op := range g.svc.SortedOperations() {
		var value any
		var sample string
		if op.Input != nil {
			var err error
			if value, sample, err = sampleOf(op.Input); err != nil {
				return File{}, err
			}
		}
		want, err := g.codecWant(op, value)
		if err != nil {
			return File{}, err
		}
		var stmts []jen.Code
		stmts = append(stmts, jen.Id("api").Op(":=").Id("codecClient").Call(jen.Id("t")))
		in := jen.Op("&").Qual(sdkPath, op.Name+"Input").Values()
		if op.Input != nil {
			role := g.p.Roles[op.Name]
			var link []jen.Code
			if role.Resource != nil && role.Resource.Prereq != nil && role.Kind == "create" {
				p := role.Resource.Prereq
				pre := p.Kind.Create.Op
				preSample, err := sampleJSON(pre.Input)
				if err != nil {
					return File{}, err
				}
				stmts = append(stmts,
					jen.Comment("First the "+p.Kind.Name+": "+p.Reason+"."),
					jen.Id("pre").Op(":=").New(sh(pre.Input.Name)),
					jen.Id("codecSample").Call(jen.Id("t"), jen.Id("pre"), rawString(preSample)),
					jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("api").Dot(pre.Name).Call(jen.Id("t").Dot("Context").Call(), jen.Id("pre").Dot("ToSDK").Call()),
						jen.Err().Op("!=").Nil()).Block(
						jen.Id("t").Dot("Fatalf").Call(jen.Lit(pre.Name+": %v"), jen.Err())),
				)
				dst, src := op.Input.Member(p.Member), pre.Input.Member(p.Member)
				field := plan.FieldName(p.Member)
				if plan.Plain(dst, false) == plan.Plain(src, false) {
					link = append(link, jen.Id("in").Dot(field).Op("=").Id("pre").Dot(field))
				} else {
					link = append(link, setString(dst, jen.Id("in").Dot(field), getString(src, jen.Id("pre").Dot(field))))
				}
			}
			stmts = append(stmts,
				jen.Id("in").Op(":=").New(sh(op.Input.Name)),
				jen.Id("codecSample").Call(jen.Id("t"), jen.Id("in"), rawString(sample)),
			)
			stmts = append(stmts, link...)
			in = jen.Id("in").Dot("ToSDK").Call()
		}
		if want.constant == "codecResult" {
			results++
		}
		stmts = append(stmts,
			jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("api").Dot(op.Name).Call(jen.Id("t").Dot("Context").Call(), in),
			jen.Id("codecAnswer").Call(jen.Id("t"), jen.Err(), want.render()),
		)
		body = append(body,
			jen.Comment(fmt.Sprintf("TestCodec_%s: %s.", op.Name, want.why)).Line().
				Func().Id("TestCodec_"+op.Name).Params(jen.Id("t").Op("*").Qual(testingPath, "T")).Block(stmts...).Line())
	}
	f.Comment("codecResults is how many of these tests expect a result rather than an error.")
	f.Const().Id("codecResults").Op("=").Lit(results)
	f.Line()
	for _, b := range body {
		f.Add(b)
	}
	return render("zz_codec_test.go", f)
}

// getString reads the string member m of a shapes value (expr); m is set
// (a required member of a sample request).
func getString(m *model.Member, expr *jen.Statement) *jen.Statement {
	if !plan.Plain(m, false) {
		expr = jen.Op("*").Add(expr)
	}
	return expr
}

// setString assigns the string v to the string member m of a shapes value.
func setString(m *model.Member, dst *jen.Statement, v jen.Code) jen.Code {
	if plan.Plain(m, false) {
		return dst.Op("=").Add(v)
	}
	return dst.Op("=").New(v)
}

// ---------------------------------------------------------------- lifecycle

func (g *emuTestGen) lifecycleFile() (File, error) {
	f := jen.NewFile("emulator_test")
	f.HeaderComment(Header)
	f.ImportName(shapesPath, "shapes")
	f.ImportName(resourcesPath, "resources")
	f.Comment("One test per creatable resource kind takes a resource through its lifecycle with")
	f.Comment("package resources and the SDK against a fresh endpoint, from a sample request")
	f.Comment("built from the model. Helpers: lifecycle_helpers_test.go.")
	var skipped []string
	for _, r := range g.p.Resources {
		if r.LifecycleExcluded != "" {
			skipped = append(skipped, r.Name+": "+r.LifecycleExcluded)
		}
	}
	if len(skipped) > 0 {
		f.Comment("")
		f.Comment("Not tested (lifecycleExcluded in gen/resource/overrides.json):")
		for _, s := range skipped {
			f.Comment("  - " + s)
		}
	}
	f.Line()
	kinds := 0
	var body []jen.Code
	for _, r := range g.p.Resources {
		if createOf(r) == nil || r.LifecycleExcluded != "" {
			continue
		}
		fn, err := g.lifecycle(r)
		if err != nil {
			return File{}, fmt.Errorf("lifecycle test of %s: %w", r.Name, err)
		}
		body = append(body, fn)
		kinds++
	}
	f.Comment("lifecycleKinds is how many resource kinds these tests take through their lifecycle.")
	f.Const().Id("lifecycleKinds").Op("=").Lit(kinds)
	f.Line()
	for _, b := range body {
		f.Add(b)
	}
	return render("zz_lifecycle_test.go", f)
}

// verb returns r's short or full verb method of the given kind, or nil.
func verb(r *plan.Resource, kind string) *plan.Method {
	for _, m := range r.Methods {
		if m.Form == plan.FormVerb && m.Kind == kind {
			return m
		}
	}
	return nil
}

// listOf returns r's paged list, or nil.
func listOf(r *plan.Resource) *plan.Method {
	for _, m := range r.Methods {
		if m.Form == plan.FormList {
			return m
		}
	}
	return nil
}

func (g *emuTestGen) lifecycle(r *plan.Resource) (jen.Code, error) {
	create := createOf(r).Op
	t := func() *jen.Statement { return jen.Id("t") }
	ctx := func() *jen.Statement { return jen.Id("ctx") }
	fatal := func(format string, args ...jen.Code) jen.Code {
		return t().Dot("Fatalf").Call(append([]jen.Code{jen.Lit(format)}, args...)...)
	}
	// must renders a call that must succeed; results is how many values it returns.
	must := func(label string, call jen.Code, results int) jen.Code {
		lhs := jen.Err()
		if results == 2 {
			lhs = jen.List(jen.Id("_"), jen.Err())
		}
		return jen.If(lhs.Op(":=").Add(call), jen.Err().Op("!=").Nil()).Block(fatal(label+": %v", jen.Err()))
	}
	sample, err := sampleJSON(create.Input)
	if err != nil {
		return nil, err
	}
	var steps []string
	stmts := []jen.Code{
		jen.List(jen.Id("c"), ctx()).Op(":=").Id("lifecycleClient").Call(t()),
		jen.Id("req").Op(":=").New(sh(create.Input.Name)),
		jen.Id("lifecycleSample").Call(t(), jen.Id("req"), rawString(sample)),
	}
	if p := r.Prereq; p != nil {
		pre := p.Kind.Create.Op
		preSample, err := sampleJSON(pre.Input)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts,
			jen.Comment("First the "+p.Kind.Name+": "+p.Reason+"."),
			jen.Id("preReq").Op(":=").New(sh(pre.Input.Name)),
			jen.Id("lifecycleSample").Call(t(), jen.Id("preReq"), rawString(preSample)),
			jen.Id("lifecycleValid").Call(t(), jen.Id("preReq")),
			jen.List(jen.Id("pre"), jen.Err()).Op(":=").Id("c").Dot(pre.Name).Call(ctx(), jen.Id("preReq")),
			jen.If(jen.Err().Op("!=").Nil()).Block(fatal(pre.Name+": %v", jen.Err())),
			setString(create.Input.Member(p.Member), jen.Id("req").Dot(plan.FieldName(p.Member)), jen.Id("pre").Dot("ResourceName").Call()),
		)
		steps = append(steps, "create (after its "+p.Kind.Name+")")
	} else {
		steps = append(steps, "create")
	}
	stmts = append(stmts,
		jen.Id("lifecycleValid").Call(t(), jen.Id("req")),
		jen.List(jen.Id("r"), jen.Err()).Op(":=").Id("c").Dot(create.Name).Call(ctx(), jen.Id("req")),
		jen.If(jen.Err().Op("!=").Nil()).Block(fatal(create.Name+": %v", jen.Err())),
	)
	var out *model.Shape
	if r.Describe != nil {
		out = r.Describe.Op.Output
		stmts = append(stmts, must("Refresh", jen.Id("r").Dot("Refresh").Call(ctx()), 1))
		steps = append(steps, "refresh")
		// Get takes the identifiers, parents first: the resource's name when
		// there is one, else the request's members when it has them all.
		var args []jen.Code
		if ps := r.Params; len(ps) == 1 && r.Selectors == nil {
			args = nil
		} else if len(ps) == 1 && ps[0].Member.Target.Kind == model.KindString {
			args = append(args, jen.Id("r").Dot("ResourceName").Call())
		} else {
			for _, id := range ps {
				m := create.Input.Member(id.Member.Name)
				if m == nil || !m.Required || !plan.IsStringish(m.Target) {
					args = nil
					break
				}
				args = append(args, convStr(id.Member, m, jen.Id("req").Dot(plan.FieldName(m.Name))))
			}
		}
		if len(args) > 0 {
			stmts = append(stmts, must("Get"+r.Name, jen.Id("c").Dot("Get"+r.Name).Call(append([]jen.Code{ctx()}, args...)...), 2))
			steps = append(steps, "get")
		}
	}
	if lm := listOf(r); lm != nil {
		l := r.List
		// A list scoped by required members (the executions of a pipeline)
		// takes them from the create request's members of the same name.
		name, lin := l.Method.Op.Name, l.Method.Op.Input
		arg, scoped := jen.Code(jen.Nil()), true
		var set []jen.Code
		for _, lm := range lin.Members {
			if !lm.Required {
				continue
			}
			cm := create.Input.Member(lm.Name)
			if cm == nil || !cm.Required || cm.Target != lm.Target || !plan.IsStringish(lm.Target) {
				scoped = false
				break
			}
			set = append(set, setString(lm, jen.Id("lreq").Dot(plan.FieldName(lm.Name)), getString(cm, jen.Id("req").Dot(plan.FieldName(cm.Name)))))
		}
		if scoped && len(set) > 0 {
			stmts = append(stmts, jen.Id("lreq").Op(":=").New(sh(lin.Name)))
			stmts = append(stmts, set...)
			arg = jen.Id("lreq")
		}
		if scoped {
			stmts = append(stmts, jen.Id("lifecycleListed").Call(t(), jen.Lit(name), jen.Id("c").Dot(name).Call(ctx(), arg)))
			steps = append(steps, "list")
		}
	}
	if r.Status != nil && out != nil && r.IsJob() {
		stmts = append(stmts, jen.Id("lifecycleWaited").Call(t(), jen.Id("r").Dot("Wait").Call(ctx(), jen.Id("lifecycleDelays").Op("..."))))
		steps = append(steps, "wait")
	}
	if del := verb(r, resource.KindDelete); del != nil {
		args := []jen.Code{ctx()}
		method := del.GoName
		if !del.Complete {
			delSample, err := sampleJSON(del.Op.Input)
			if err != nil {
				return nil, err
			}
			stmts = append(stmts,
				jen.Id("del").Op(":=").New(sh(del.Op.Input.Name)),
				jen.Id("lifecycleSample").Call(t(), jen.Id("del"), rawString(delSample)),
			)
			args = append(args, jen.Id("del"))
			method = del.With
		}
		stmts = append(stmts, must(method, jen.Id("r").Dot(method).Call(args...), 1))
		steps = append(steps, "delete")
		gone := func(label string, call jen.Code, results int) {
			lhs := jen.Err()
			if results == 2 {
				lhs = jen.List(jen.Id("_"), jen.Err())
			}
			stmts = append(stmts, jen.If(lhs.Op(":=").Add(call), jen.Op("!").Qual("errors", "Is").Call(jen.Err(), jen.Qual(resourcesPath, "ErrNotFound"))).Block(
				fatal(label+": want resources.ErrNotFound, got %v", jen.Err())))
		}
		switch {
		case r.Status != nil && out != nil:
			stmts = append(stmts, must("WaitForDelete", jen.Id("r").Dot("WaitForDelete").Call(ctx(), jen.Id("lifecycleDelays").Op("...")), 1))
			steps = append(steps, "wait for the delete")
		case r.Describe != nil:
			gone("Refresh after Delete", jen.Id("r").Dot("Refresh").Call(ctx()), 1)
			steps = append(steps, "find it gone")
		default:
			// Without a Describe, a second Delete is what can tell it is gone.
			gone("Delete again", jen.Id("r").Dot(method).Call(args...), 1)
			steps = append(steps, "find it gone")
		}
	}
	if r.Describe == nil && !slices.Contains(steps, "delete") {
		stmts = append(stmts, jen.Id("_").Op("=").Id("r")) // nothing else to do with it
	}
	doc := fmt.Sprintf("TestLifecycle_%s: %s.", r.Name, oneOfAll(steps))
	return jen.Comment(doc).Line().
		Func().Id("TestLifecycle_" + r.Name).Params(t().Op("*").Qual(testingPath, "T")).Block(stmts...).Line(), nil
}

// oneOfAll joins every item: "a, b and c".
func oneOfAll(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
