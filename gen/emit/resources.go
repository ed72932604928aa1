package emit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/naming"
	"github.com/smcore-go/smcore/gen/resource"
)

const (
	shapesPath  = "github.com/smcore-go/smcore/shapes"
	waitersPath = "github.com/smcore-go/smcore/waiters"
	contextPath = "context"
)

// resGen emits package resources from the discovered resource set.
type resGen struct {
	svc *model.Service
	set *resource.Set
	err error // set by an emitter that cannot render what the model asks
}

// Resources emits package resources: one file per resource and one for the
// client methods no resource claims.
func Resources(svc *model.Service, set *resource.Set) ([]File, error) {
	if err := svc.NameOperationShapes(); err != nil {
		return nil, err
	}
	var jobs []func() (File, error)
	for _, r := range set.Resources {
		jobs = append(jobs, func() (File, error) {
			g := &resGen{svc: svc, set: set}
			f := newFile("resources")
			if err := g.resource(f, r); err != nil {
				return File{}, fmt.Errorf("resource %s: %w", r.Name, err)
			}
			if g.err != nil {
				return File{}, fmt.Errorf("resource %s: %w", r.Name, g.err)
			}
			return render("zz_"+snake(r.Name)+".go", f)
		})
	}
	jobs = append(jobs, func() (File, error) {
		g := &resGen{svc: svc, set: set}
		f := newFile("resources")
		for _, op := range set.Client {
			g.clientOp(f, op)
		}
		if g.err != nil {
			return File{}, g.err
		}
		return render("zz_client_ops.go", f)
	})
	return runParallel(jobs)
}

func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if i > 0 && r >= 'A' && r <= 'Z' && (rs[i-1] < 'A' || rs[i-1] > 'Z' || (i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z')) {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	// Keep acronyms readable: "ARN" -> "arn".
	i := 0
	for i < len(r) && r[i] >= 'A' && r[i] <= 'Z' {
		i++
	}
	if i > 1 && i < len(r) {
		i--
	}
	if i == 0 {
		i = 1
	}
	return strings.ToLower(string(r[:i])) + string(r[i:])
}

func ctxParam() jen.Code { return jen.Id("ctx").Qual(contextPath, "Context") }
func optParam() jen.Code {
	return jen.Id("optFns").Op("...").Func().Params(jen.Op("*").Qual(sdkPath, "Options"))
}
func sh(name string) *jen.Statement { return jen.Qual(shapesPath, name) }

// idType is the Go type of an identifier parameter: string, or the enum.
func idType(m *model.Member) *jen.Statement { return baseTypeQual(m.Target) }

// convStr converts expr, a plain string or enum value of member src, to
// the type of member dst (both are string-like).
func convStr(dst, src *model.Member, expr *jen.Statement) *jen.Statement {
	switch {
	case dst.Target == src.Target:
		return expr
	case dst.Target.Kind == model.KindEnum:
		return sh(dst.Target.Name).Call(expr)
	case src.Target.Kind == model.KindEnum:
		return jen.String().Call(expr)
	}
	return expr
}

// asString renders a string-like value of member m as a string.
func asString(m *model.Member, expr *jen.Statement) *jen.Statement {
	if m.Target.Kind == model.KindEnum {
		return jen.String().Call(expr)
	}
	return expr
}

// fromString converts a string to the type of member m.
func fromString(m *model.Member, expr *jen.Statement) *jen.Statement {
	if m.Target.Kind == model.KindEnum {
		return sh(m.Target.Name).Call(expr)
	}
	return expr
}

func idField(name string) string { return "id" + name }

// hasSelectors reports whether the resource keeps its Describe input.
func hasSelectors(r *resource.Resource) bool { return r.Describe != nil && r.Describe.Op.Input != nil }

// idRef reads identifier id of the resource value r.
func idRef(r *resource.Resource, id string) *jen.Statement {
	if hasSelectors(r) {
		return jen.Id("r").Dot("in").Dot(naming.Exported(id))
	}
	return jen.Id("r").Dot(idField(id))
}

func paramName(id string) string {
	p := lowerFirst(id)
	switch p {
	case "type", "in", "c", "r", "ctx", "opts", "optFns", "out", "err", "req":
		p += "_"
	}
	return p
}

// access renders reading a member path of the resource's Describe fields
// as a string, with nil checks for nested structures.
func access(out *model.Shape, path []string) (jen.Code, bool) {
	if len(path) == 0 {
		return nil, false
	}
	cur := out
	expr := jen.Id("r")
	var guards []jen.Code
	for i, p := range path {
		m := cur.Member(p)
		if m == nil {
			return nil, false
		}
		expr = expr.Clone().Dot(naming.Exported(p))
		if i < len(path)-1 {
			guards = append(guards, expr.Clone().Op("==").Nil())
			cur = m.Target
			continue
		}
		if !isStringish(m.Target) {
			return nil, false
		}
		var body []jen.Code
		for _, gd := range guards {
			body = append(body, jen.If(gd).Block(jen.Return(jen.Lit(""))))
		}
		body = append(body, jen.Return(asString(m, expr.Clone())))
		return jen.Block(body...), true
	}
	return nil, false
}

func isStringish(s *model.Shape) bool { return s.Kind == model.KindString || s.Kind == model.KindEnum }

// iface is one of the hand-written interfaces of package resources that a
// resource type satisfies.
type iface struct{ name, why string }

func (g *resGen) resource(f *jen.File, r *resource.Resource) error {
	kind := r.Name
	var out *model.Shape
	if r.Describe != nil {
		out = r.Describe.Op.Output
	}
	params := r.Params()
	ifaces := []string{"Named"}

	// Type.
	doc := []string{fmt.Sprintf("%s is a SageMaker %s", kind, kind)}
	if out != nil {
		doc[0] += fmt.Sprintf(": the fields %s returns, and the client that fetched them.", r.Describe.Op.Name)
	} else {
		doc[0] += ": the model has no Describe operation for it, so it holds its identifiers only."
	}
	if len(params) > 0 {
		var ids []string
		for _, id := range params {
			ids = append(ids, id.Name)
		}
		doc = append(doc, "", "Identified by "+strings.Join(ids, ", ")+".")
	}
	docComment(f, doc)
	fields := []jen.Code{}
	if out != nil {
		fields = append(fields, sh(out.Name), jen.Line())
	}
	fields = append(fields, jen.Id("c").Op("*").Id("Client"))
	if hasSelectors(r) {
		fields = append(fields, jen.Id("in").Add(sh(r.Describe.Op.Input.Name)).Comment("what Refresh describes: identifiers and selectors"))
	} else {
		for _, id := range params {
			fields = append(fields, jen.Id(idField(id.Name)).Add(idType(id)))
		}
	}
	f.Type().Id(kind).Struct(fields...)
	f.Line()

	// Not-found rule.
	rule := "notFound" + kind
	codes := make([]jen.Code, len(r.NotFound.Codes))
	for i, c := range r.NotFound.Codes {
		codes[i] = jen.Lit(c)
	}
	prefixes := make([]jen.Code, len(r.NotFound.ValidationPrefixes))
	for i, p := range r.NotFound.ValidationPrefixes {
		prefixes[i] = jen.Lit(p)
	}
	f.Comment(fmt.Sprintf("%s is how the service says a %s does not exist (see gen/resource/overrides.json).", rule, kind))
	f.Var().Id(rule).Op("=").Id("notFound").Values(jen.Dict{
		jen.Id("codes"):    jen.Index().String().Values(codes...),
		jen.Id("prefixes"): jen.Index().String().Values(prefixes...),
	})
	f.Line()

	// Identity.
	name := jen.Lit("")
	if len(params) > 0 {
		last := params[len(params)-1]
		name = asString(last, idRef(r, last.Name))
	}
	f.Comment("ResourceName returns the identifier that names the resource (the last one when there are several).")
	f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("ResourceName").Params().String().Block(jen.Return(name))
	f.Line()
	if out != nil {
		if body, ok := access(out, r.ARN); ok {
			f.Comment("ResourceARN returns the resource's ARN, as last described.")
			f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("ResourceARN").Params().String().Add(body)
			f.Line()
			ifaces = append(ifaces, "WithARN")
		}
	}
	if r.LogGroup != "" {
		f.Comment(fmt.Sprintf("LogGroup is the CloudWatch Logs group a %s writes to (see logtail.Follow).", kind))
		f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("LogGroup").Params().String().Block(jen.Return(jen.Lit(r.LogGroup)))
		f.Line()
		f.Comment(fmt.Sprintf("LogStreamPrefix is what the names of the %s's log streams start with: its name and a slash.", kind))
		f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("LogStreamPrefix").Params().String().Block(jen.Return(jen.Id("r").Dot("ResourceName").Call().Op("+").Lit("/")))
		f.Line()
		ifaces = append(ifaces, "LogSource")
	}

	if r.Describe != nil {
		g.describe(f, r, rule, params)
		ifaces = append(ifaces, "Refresher")
	}

	for _, m := range r.Methods {
		switch {
		case m.Kind == resource.KindCreate:
			g.create(f, r, m)
		case m.Kind == resource.KindList && r.List != nil && r.List.Method == m:
			g.list(f, r, m)
		case m.Object:
			if n := g.objectOp(f, r, m, rule); n != "" {
				ifaces = append(ifaces, n)
			}
		default:
			g.clientOp(f, m.Op)
		}
	}
	if r.List != nil && r.Describe != nil {
		g.fromSummary(f, r, params)
	}
	if r.Status != nil && out != nil {
		g.waits(f, r, out)
		ifaces = append(ifaces, "Waiter")
		if r.Method(resource.KindDelete) != nil {
			ifaces = append(ifaces, "DeleteWaiter")
		}
	}
	f.Comment(fmt.Sprintf("The interfaces a %s satisfies, checked by the compiler.", kind))
	var defs []jen.Code
	for _, n := range ifaces {
		defs = append(defs, jen.Id("_").Id(n).Op("=").Parens(jen.Op("*").Id(kind)).Parens(jen.Nil()))
	}
	f.Var().Defs(defs...)
	f.Line()
	return nil
}

// describe emits Refresh, Get<R> and Get<R>With.
func (g *resGen) describe(f *jen.File, r *resource.Resource, rule string, params []*model.Member) {
	kind := r.Name
	op := r.Describe.Op
	out := op.Output
	in := jen.Op("&").Qual(sdkPath, op.Name+"Input").Values()
	if hasSelectors(r) {
		in = jen.Id("r").Dot("in").Dot("ToSDK").Call()
	}
	body := []jen.Code{
		jen.List(jen.Id("out"), jen.Err()).Op(":=").Id("r").Dot("c").Dot("api").Dot(op.Name).Call(jen.Id("ctx"), in, jen.Id("r").Dot("c").Dot("opts").Call(jen.Id("optFns")).Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Id("wrap").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.Lit(op.Name), jen.Op("&").Id(rule), jen.Err())),
		),
	}
	if out != nil {
		body = append(body, jen.Id("r").Dot(out.Name).Op("=").Op("*").Add(sh(out.Name+"FromSDK")).Call(jen.Id("out")))
	} else {
		body[0] = jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("r").Dot("c").Dot("api").Dot(op.Name).Call(jen.Id("ctx"), in, jen.Id("r").Dot("c").Dot("opts").Call(jen.Id("optFns")).Op("..."))
	}
	body = append(body, jen.Return(jen.Nil()))
	f.Comment(fmt.Sprintf("Refresh describes the %s again (%s, with the identifiers and selectors it was got with) and replaces its fields.", kind, op.Name))
	f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("Refresh").Params(ctxParam(), optParam()).Error().Block(body...)
	f.Line()

	get := "Get" + kind
	if !hasSelectors(r) {
		f.Comment(fmt.Sprintf("%s describes the %s with %s.", get, kind, op.Name))
		f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(get).Params(ctxParam(), optParam()).Params(jen.Op("*").Id(kind), jen.Error()).Block(
			jen.Id("r").Op(":=").Op("&").Id(kind).Values(jen.Dict{jen.Id("c"): jen.Id("c")}),
			jen.If(jen.Err().Op(":=").Id("r").Dot("Refresh").Call(jen.Id("ctx"), jen.Id("optFns").Op("...")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Return(jen.Id("r"), jen.Nil()),
		)
		f.Line()
		return
	}
	inName := op.Input.Name
	ps := []jen.Code{ctxParam()}
	dict := jen.Dict{}
	var names []string
	for _, id := range params {
		p := paramName(id.Name)
		ps = append(ps, jen.Id(p).Add(idType(id)))
		dict[jen.Id(naming.Exported(id.Name))] = jen.Id(p)
		names = append(names, id.Name)
	}
	ps = append(ps, optParam())
	f.Comment(fmt.Sprintf("%s describes the %s named by %s (%s).", get, kind, strings.Join(names, ", "), op.Name))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(get).Params(ps...).Params(jen.Op("*").Id(kind), jen.Error()).Block(
		jen.Return(jen.Id("c").Dot(get+"With").Call(jen.Id("ctx"), jen.Op("&").Add(sh(inName)).Values(dict), jen.Id("optFns").Op("..."))),
	)
	f.Line()
	f.Comment(fmt.Sprintf("%sWith describes the %s that in selects, optional members included; the %s keeps in,", get, kind, kind))
	f.Comment("so that Refresh and every wait describe the same.")
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(get+"With").Params(ctxParam(), jen.Id("in").Op("*").Add(sh(inName)), optParam()).Params(jen.Op("*").Id(kind), jen.Error()).Block(
		jen.Id("r").Op(":=").Op("&").Id(kind).Values(jen.Dict{jen.Id("c"): jen.Id("c")}),
		jen.If(jen.Id("in").Op("!=").Nil()).Block(jen.Id("r").Dot("in").Op("=").Op("*").Id("in")),
		jen.If(jen.Err().Op(":=").Id("c").Dot("validate").Call(jen.Op("&").Id("r").Dot("in")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.If(jen.Err().Op(":=").Id("r").Dot("Refresh").Call(jen.Id("ctx"), jen.Id("optFns").Op("...")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("r"), jen.Nil()),
	)
	f.Line()
}

// newResource renders the resource value a create makes, its identifiers
// taken from the request (req) or, when the request lacks them, from the
// create's converted output (res).
func newResource(r *resource.Resource, op *model.Operation) (init jen.Code, needOut, complete bool) {
	complete = true
	ids := jen.Dict{}
	for _, id := range r.Params() {
		var v *jen.Statement
		if im := op.Input.Member(id.Name); im != nil && isStringish(im.Target) {
			v = convStr(id, im, jen.Id("req").Dot(naming.Exported(id.Name)))
		} else if om := outMember(op, id.Name); om != nil {
			v = convStr(id, om, jen.Id("res").Dot(naming.Exported(id.Name)))
			needOut = true
		} else {
			complete = false
			continue
		}
		if hasSelectors(r) {
			ids[jen.Id(naming.Exported(id.Name))] = v
		} else {
			ids[jen.Id(idField(id.Name))] = v
		}
	}
	d := jen.Dict{jen.Id("c"): jen.Id("c")}
	if hasSelectors(r) {
		// Optional selectors the create also takes (App's SpaceName) are
		// kept, so that the describe after the create finds the resource.
		for _, sm := range r.Describe.Op.Input.Members {
			if sm.Required {
				continue
			}
			if cm := op.Input.Member(sm.Name); cm != nil && cm.Target == sm.Target {
				ids[jen.Id(naming.Exported(sm.Name))] = jen.Id("req").Dot(naming.Exported(sm.Name))
			}
		}
		d[jen.Id("in")] = sh(r.Describe.Op.Input.Name).Values(ids)
	} else {
		for k, v := range ids {
			d[k] = v
		}
	}
	return jen.Op("&").Id(r.Name).Values(d), needOut, complete
}

func outMember(op *model.Operation, name string) *model.Member {
	if op.Output == nil {
		return nil
	}
	if m := op.Output.Member(name); m != nil && isStringish(m.Target) {
		return m
	}
	return nil
}

// copyIn renders `req := shapes.X{}; if in != nil { req = *in }`: methods
// work on a copy, so the caller's input is left as it was.
func copyIn(input *model.Shape) []jen.Code {
	return []jen.Code{
		jen.Id("req").Op(":=").Add(sh(input.Name)).Values(),
		jen.If(jen.Id("in").Op("!=").Nil()).Block(jen.Id("req").Op("=").Op("*").Id("in")),
	}
}

func (g *resGen) create(f *jen.File, r *resource.Resource, m *resource.Method) {
	op := m.Op
	kind := r.Name
	fn := op.Name
	f.Comment(fmt.Sprintf("%s calls %s with in and returns the new %s%s. in is validated after the client's", fn, op.Name, kind, map[bool]string{true: ", described", false: ""}[r.Describe != nil]))
	f.Comment("create defaults fill its unset members (WithCreateDefaults); the caller's in is not changed.")
	if r.Describe != nil {
		f.Comment("A Describe that answers \"not found\" right after the create is retried briefly: new resources take a")
		f.Comment("moment to become visible. If that Describe fails, the new resource is returned with the error.")
	}
	body := copyIn(op.Input)
	body = append(body, jen.If(jen.Err().Op(":=").Id("c").Dot("prepare").Call(jen.Id("ctx"), jen.Op("&").Id("req")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())))
	init, needOut, complete := newResource(r, op)
	// A creation token in a tag lets a create retried after a lost
	// response adopt the resource it made (see docs/resources.md).
	_, hasARN := access(nonNil(r.Describe), r.ARN)
	tags := op.Input.Member("Tags")
	adopt := r.Describe != nil && complete && !needOut && hasARN && tags != nil && tags.Target.Kind == model.KindList &&
		tags.Target.ListMember.Target.Name == "Tag"
	if adopt {
		body = append(body,
			jen.Id("token").Op(":=").Id("c").Dot("creationToken").Call(),
			jen.If(jen.Id("token").Op("!=").Lit("").Op("&&").Add(tagRoom(tags))).Block(
				jen.Id("req").Dot("Tags").Op("=").Append(jen.Qual("slices", "Clip").Call(jen.Id("req").Dot("Tags")), jen.Id("tokenTag").Call(jen.Id("token"))),
			))
	}
	name := jen.Lit("")
	if ps := r.Params(); len(ps) > 0 {
		if im := op.Input.Member(ps[len(ps)-1].Name); im != nil && isStringish(im.Target) {
			name = asString(im, jen.Id("req").Dot(naming.Exported(im.Name)))
		}
	}
	// A resource named by "name or ARN" whose create took no name (a
	// versioned ModelPackage) is found by the ARN the create returns.
	var byARN jen.Code
	if ps := r.Params(); len(ps) == 1 && len(r.ARN) == 1 && op.Output != nil {
		id := ps[0]
		if im := op.Input.Member(id.Name); im != nil && !im.Required {
			if om := op.Output.Member(r.ARN[0]); om != nil && om.Target.Kind == model.KindString {
				ref := jen.Id("r").Dot("in").Dot(naming.Exported(id.Name))
				if !hasSelectors(r) {
					ref = jen.Id("r").Dot(idField(id.Name))
				}
				byARN = jen.If(ref.Clone().Op("==").Lit("")).Block(ref.Clone().Op("=").Id("deref").Call(jen.Id("out").Dot(sdkFieldName(r.ARN[0]))))
			}
		}
	}
	lhs := jen.List(jen.Id("_"), jen.Err())
	if needOut || byARN != nil {
		lhs = jen.List(jen.Id("out"), jen.Err())
	}
	onErr := []jen.Code{}
	if adopt {
		body = append(body, jen.Id("r").Op(":=").Add(init))
		onErr = append(onErr, jen.If(jen.Id("c").Dot("adopted").Call(jen.Id("ctx"), jen.Id("r"), jen.Id("token"), jen.Err(), jen.Id("optFns"))).Block(jen.Return(jen.Id("r"), jen.Nil())))
	}
	onErr = append(onErr, jen.Return(jen.Nil(), jen.Id("wrap").Call(jen.Lit(kind), name, jen.Lit(op.Name), jen.Nil(), jen.Err())))
	body = append(body,
		lhs.Op(":=").Id("c").Dot("api").Dot(op.Name).Call(jen.Id("ctx"), jen.Id("req").Dot("ToSDK").Call(), jen.Id("c").Dot("opts").Call(jen.Id("optFns")).Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(onErr...),
	)
	if needOut {
		body = append(body, jen.Id("res").Op(":=").Add(sh(op.Output.Name+"FromSDK")).Call(jen.Id("out")))
	}
	if !adopt {
		body = append(body, jen.Id("r").Op(":=").Add(init))
	}
	if byARN != nil {
		body = append(body, byARN)
	}
	if r.Describe != nil && complete {
		body = append(body, jen.Return(jen.Id("r"), jen.Id("c").Dot("settle").Call(jen.Id("ctx"), jen.Id("r"), jen.Id("optFns"))))
	} else {
		body = append(body, jen.Return(jen.Id("r"), jen.Nil()))
	}
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(fn).Params(ctxParam(), jen.Id("in").Op("*").Add(sh(op.Input.Name)), optParam()).Params(jen.Op("*").Id(kind), jen.Error()).Block(body...)
	f.Line()
}

// tagRoom renders the check that one more tag fits the member's limit.
func tagRoom(tags *model.Member) jen.Code {
	if c := tags.Effective(); c.MaxLength != nil {
		return jen.Len(jen.Id("req").Dot("Tags")).Op("<").Lit(int(*c.MaxLength))
	}
	return jen.True()
}

func nonNil(m *resource.Method) *model.Shape {
	if m == nil || m.Op.Output == nil {
		return &model.Shape{}
	}
	return m.Op.Output
}

// paging says how an operation pages: the output member holding the items
// and the token member; ok is false when it does not page.
type paging struct {
	items, token string
	item         *model.Shape
}

func pagingOf(op *model.Operation) (paging, bool) {
	p := op.Paginator
	if p == nil || p.Items == "" || op.Input == nil || op.Output == nil || p.InputToken != p.OutputToken {
		return paging{}, false
	}
	im := op.Output.Member(p.Items)
	if im == nil || im.Target.Kind != model.KindList {
		return paging{}, false
	}
	return paging{items: p.Items, token: p.InputToken, item: im.Target.ListMember.Target}, true
}

// itemType is the Go type of a listed item.
func itemType(s *model.Shape) *jen.Statement {
	if s.Kind == model.KindStructure || s.Kind == model.KindUnion {
		return jen.Op("*").Add(sh(s.Name))
	}
	return baseTypeQual(s)
}

// itemsExpr converts the SDK's items to ours.
func itemsExpr(pg paging) (jen.Code, error) {
	src := jen.Id("out").Dot(sdkFieldName(pg.items))
	switch pg.item.Kind {
	case model.KindStructure:
		return jen.Id("convItems").Call(src, sh(pg.item.Name+"FromSDK")), nil
	case model.KindString:
		return src, nil
	case model.KindEnum:
		return jen.Id("convEnums").Types(sh(pg.item.Name)).Call(src), nil
	}
	return nil, fmt.Errorf("items of kind %s are not listed", pg.item.Kind)
}

// pagedBody renders the body of a method returning every item of a paged
// operation. recv is "c" or "r"; the request is in req (already filled).
func pagedBody(recv string, op *model.Operation, pg paging, kind string, name jen.Code, rule jen.Code) ([]jen.Code, error) {
	client := jen.Id(recv)
	if recv == "r" {
		client = jen.Id("r").Dot("c")
	}
	items, err := itemsExpr(pg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op.Name, err)
	}
	itemT := itemType(pg.item)
	tok := sdkFieldName(pg.token)
	fetch := jen.Func().Params(ctxParam(), jen.Id("token").Op("*").String(), jen.Id("optFns").Index().Func().Params(jen.Op("*").Qual(sdkPath, "Options"))).
		Params(jen.Index().Add(itemT), jen.Op("*").String(), jen.Error()).Block(
		jen.Id("page").Op(":=").Op("*").Id("sdkIn"),
		jen.Id("page").Dot(tok).Op("=").Id("token"),
		jen.List(jen.Id("out"), jen.Err()).Op(":=").Add(client.Clone()).Dot("api").Dot(op.Name).Call(jen.Id("ctx"), jen.Op("&").Id("page"), jen.Id("optFns").Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Id("wrap").Call(jen.Lit(kind), name, jen.Lit(op.Name), rule, jen.Err()))),
		jen.Return(items, jen.Id("out").Dot(sdkFieldName(pg.token)), jen.Nil()),
	)
	return []jen.Code{
		jen.Id("sdkIn").Op(":=").Id("req").Dot("ToSDK").Call(),
		jen.Return(jen.Id("pages").Call(jen.Id("ctx"), client, jen.Op("&").Id("req"), jen.Id("sdkIn").Dot(tok), jen.Id("opts"), fetch)),
	}, nil
}

func listParams(op *model.Operation, itemT *jen.Statement) (params []jen.Code, result jen.Code) {
	return []jen.Code{ctxParam(), jen.Id("in").Op("*").Add(sh(op.Input.Name)), jen.Id("opts").Op("...").Id("ListOption")},
		jen.Qual("iter", "Seq2").Types(itemT, jen.Error())
}

func (g *resGen) list(f *jen.File, r *resource.Resource, m *resource.Method) {
	op := m.Op
	pg, ok := pagingOf(op)
	if !ok {
		g.clientOp(f, op)
		return
	}
	body, err := pagedBody("c", op, pg, r.Name, jen.Lit(""), jen.Nil())
	if err != nil {
		g.err = err
		return
	}
	f.Comment(fmt.Sprintf("%s lists %s items with %s, every page from in's %s on; in may be nil.", op.Name, r.Name, op.Name, pg.token))
	if r.Describe != nil {
		f.Comment("It makes no Describe call per item: use " + r.Name + "FromSummary for the full resource.")
	}
	ps, res := listParams(op, itemType(pg.item))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(op.Name).Params(ps...).Add(res).Block(append(copyIn(op.Input), body...)...)
	f.Line()
}

// baseTypeQual is baseType for a scalar shape in package resources.
func baseTypeQual(s *model.Shape) *jen.Statement {
	if s.Kind == model.KindEnum {
		return sh(s.Name)
	}
	return baseType(s)
}

func (g *resGen) fromSummary(f *jen.File, r *resource.Resource, params []*model.Member) {
	sum := r.List.Summary
	if sum.Kind != model.KindStructure || !hasSelectors(r) {
		return
	}
	var args []jen.Code
	for _, id := range params {
		sm := sum.Member(id.Name)
		if sm == nil || !isStringish(sm.Target) {
			return
		}
		args = append(args, convStr(id, sm, jen.Id("s").Dot(naming.Exported(id.Name))))
	}
	if len(args) == 0 {
		return
	}
	f.Comment(fmt.Sprintf("%sFromSummary describes the %s a list item names: one call.", r.Name, r.Name))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(r.Name+"FromSummary").Params(ctxParam(), jen.Id("s").Op("*").Add(sh(sum.Name)), optParam()).Params(jen.Op("*").Id(r.Name), jen.Error()).Block(
		jen.If(jen.Id("s").Op("==").Nil()).Block(jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit("resources: nil "+sum.Name)))),
		jen.Return(jen.Id("c").Dot("Get"+r.Name).Call(append(append([]jen.Code{jen.Id("ctx")}, args...), jen.Id("optFns").Op("..."))...)),
	)
	f.Line()
}

// fills renders the statements that set an object method's identifiers
// in req from the resource, then the members it leaves unset from what the
// resource knows: a selector it was got with (App's SpaceName,
// ImageVersion's Version), else, for a required member, the member of the
// same name it was last described with (HubContent's HubContentVersion).
// complete is false when a required member is left to the caller.
func fills(r *resource.Resource, m *resource.Method) (out []jen.Code, complete bool) {
	done := map[string]bool{}
	for _, fl := range m.Fill {
		done[fl.Member] = true
		mem := m.Op.Input.Member(fl.Member)
		var src *jen.Statement
		if fl.ARN {
			src = fromString(mem, jen.Id("r").Dot("ResourceARN").Call())
		} else {
			var id *model.Member
			for _, x := range r.Identifiers {
				if x.Name == fl.FromID {
					id = x
				}
			}
			src = convStr(mem, id, idRef(r, fl.FromID))
		}
		out = append(out, jen.Id("req").Dot(naming.Exported(fl.Member)).Op("=").Add(src))
	}
	complete = true
	for _, mem := range m.Op.Input.Members {
		if done[mem.Name] {
			continue
		}
		field := naming.Exported(mem.Name)
		var from []*jen.Statement
		if sel := selector(r, mem); sel != nil {
			from = append(from, jen.Id("r").Dot("in").Dot(field))
		}
		described := false
		if mem.Required && r.Describe != nil && r.Describe.Op.Output != nil {
			if om := r.Describe.Op.Output.Member(mem.Name); om != nil && om.Target == mem.Target {
				from = append(from, jen.Id("r").Dot(field))
				described = true
			}
		}
		if mem.Required && !described && !(mem.IdempotencyToken && plain(mem, false)) {
			complete = false
		}
		for _, src := range from {
			out = append(out, jen.If(unset(mem, jen.Id("req").Dot(field))).Block(jen.Id("req").Dot(field).Op("=").Add(src)))
		}
	}
	return out, complete
}

// selector returns the member of the resource's Describe input that mem
// can take its value from (same name, same shape), or nil.
func selector(r *resource.Resource, mem *model.Member) *model.Member {
	if !hasSelectors(r) {
		return nil
	}
	if sm := r.Describe.Op.Input.Member(mem.Name); sm != nil && sm.Target == mem.Target {
		return sm
	}
	return nil
}

// unset renders the test that member m of a value (expr) is unset.
func unset(m *model.Member, expr *jen.Statement) *jen.Statement {
	switch {
	case m.Target.Kind == model.KindTimestamp:
		return expr.Dot("IsZero").Call()
	case plain(m, false):
		return expr.Op("==").Lit("")
	}
	return expr.Op("==").Nil()
}

// verbInterface is the interface a short verb method satisfies.
var verbInterface = map[string]string{resource.KindDelete: "Deleter", resource.KindStop: "Stopper", resource.KindStart: "Starter"}

// objectOp emits a method on the resource value; the identifiers of its
// input come from the resource. It returns the interface the method
// satisfies, if any.
func (g *resGen) objectOp(f *jen.File, r *resource.Resource, m *resource.Method, rule string) string {
	op := m.Op
	kind := r.Name
	recv := jen.Id("r").Op("*").Id(kind)
	wrapErr := jen.Id("wrap").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.Lit(op.Name), jen.Op("&").Id(rule), jen.Err())
	call := func(lhs jen.Code) jen.Code {
		return jen.Add(lhs).Op(":=").Id("r").Dot("c").Dot("api").Dot(op.Name).Call(jen.Id("ctx"), jen.Id("req").Dot("ToSDK").Call(), jen.Id("r").Dot("c").Dot("opts").Call(jen.Id("optFns")).Op("..."))
	}
	filled, complete := fills(r, m)
	prep := append(copyIn(op.Input), filled...)
	validate := func(ret ...jen.Code) jen.Code {
		return jen.If(jen.Err().Op(":=").Id("r").Dot("c").Dot("validate").Call(jen.Op("&").Id("req")), jen.Err().Op("!=").Nil()).Block(jen.Return(ret...))
	}
	inParam := jen.Id("in").Op("*").Add(sh(op.Input.Name))
	switch m.Kind {
	case resource.KindDelete, resource.KindStop, resource.KindStart:
		verb := m.Name
		with := verb + "With"
		what := map[string]string{resource.KindDelete: "; WaitForDelete waits until it is gone", resource.KindStop: "", resource.KindStart: ""}[m.Kind]
		if r.Status == nil || r.Describe == nil {
			what = ""
		}
		if complete {
			f.Comment(fmt.Sprintf("%s calls %s for this %s%s.", verb, op.Name, kind, what))
			f.Func().Params(recv.Clone()).Id(verb).Params(ctxParam(), optParam()).Error().Block(
				jen.Return(jen.Id("r").Dot(with).Call(jen.Id("ctx"), jen.Nil(), jen.Id("optFns").Op("..."))))
			f.Line()
		}
		body := append(prep, validate(jen.Err()),
			call(jen.List(jen.Id("_"), jen.Err())),
			jen.Return(wrapErr))
		if complete {
			f.Comment(fmt.Sprintf("%s calls %s with in's optional members (in may be nil); the members that identify", with, op.Name))
			f.Comment(fmt.Sprintf("the %s are set from it.", kind))
		} else {
			f.Comment(fmt.Sprintf("%s calls %s with in, whose required members the %s cannot fill; the members that", with, op.Name, kind))
			f.Comment(fmt.Sprintf("identify the %s are set from it. (There is no %s without a request.)", kind, verb))
		}
		f.Func().Params(recv.Clone()).Id(with).Params(ctxParam(), inParam, optParam()).Error().Block(body...)
		f.Line()
		if !complete {
			return ""
		}
		return verbInterface[m.Kind]
	case resource.KindUpdate:
		body := append(prep, validate(jen.Err()),
			call(jen.List(jen.Id("_"), jen.Err())),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(wrapErr)))
		doc := fmt.Sprintf("Update calls %s with in (the members that identify the %s are set from it)", op.Name, kind)
		if r.Describe != nil {
			body = append(body, jen.Return(jen.Id("r").Dot("Refresh").Call(jen.Id("ctx"), jen.Id("optFns").Op("..."))))
			doc += " and then refreshes the " + kind + "; its fields show the update"
		} else {
			body = append(body, jen.Return(jen.Nil()))
		}
		f.Comment(doc + ".")
		f.Func().Params(recv.Clone()).Id(m.Name).Params(ctxParam(), inParam, optParam()).Error().Block(body...)
		f.Line()
		return ""
	}
	if pg, ok := pagingOf(op); ok {
		body, err := pagedBody("r", op, pg, kind, jen.Id("r").Dot("ResourceName").Call(), jen.Op("&").Id(rule))
		if err != nil {
			g.err = err
			return ""
		}
		f.Comment(fmt.Sprintf("%s lists with %s for this %s, every page from in's %s on; in may be nil and", m.Name, op.Name, kind, pg.token))
		f.Comment("its identifying members are set from the resource.")
		ps, res := listParams(op, itemType(pg.item))
		f.Func().Params(recv.Clone()).Id(m.Name).Params(ps...).Add(res).Block(append(prep, body...)...)
		f.Line()
		return ""
	}
	var body []jen.Code
	if op.Output != nil {
		body = append(prep, validate(jen.Nil(), jen.Err()),
			call(jen.List(jen.Id("out"), jen.Err())),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), wrapErr)),
			jen.Return(sh(op.Output.Name+"FromSDK").Call(jen.Id("out")), jen.Nil()))
	} else {
		body = append(prep, validate(jen.Err()),
			call(jen.List(jen.Id("_"), jen.Err())),
			jen.Return(wrapErr))
	}
	f.Comment(fmt.Sprintf("%s calls %s for this %s with in (may be nil); the members that identify it are set from the resource.", m.Name, op.Name, kind))
	f.Comment("API reference: " + apiRef + op.Name + ".html")
	f.Func().Params(recv.Clone()).Id(m.Name).Params(ctxParam(), inParam, optParam()).Add(results(op)).Block(body...)
	f.Line()
	return ""
}

// results renders an operation method's results.
func results(op *model.Operation) jen.Code {
	if op.Output == nil {
		return jen.Error()
	}
	return jen.Params(jen.Op("*").Add(sh(op.Output.Name)), jen.Error())
}

// clientOp emits a plain client method for an operation.
func (g *resGen) clientOp(f *jen.File, op *model.Operation) {
	if pg, ok := pagingOf(op); ok {
		body, err := pagedBody("c", op, pg, "", jen.Lit(""), jen.Nil())
		if err != nil {
			g.err = err
			return
		}
		f.Comment(fmt.Sprintf("%s lists with %s, every page from in's %s on; in may be nil.", op.Name, op.Name, pg.token))
		f.Comment("API reference: " + apiRef + op.Name + ".html")
		ps, res := listParams(op, itemType(pg.item))
		f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(op.Name).Params(ps...).Add(res).Block(append(copyIn(op.Input), body...)...)
		f.Line()
		return
	}
	params := []jen.Code{ctxParam()}
	var body []jen.Code
	in := jen.Op("&").Qual(sdkPath, op.Name+"Input").Values()
	failed := []jen.Code{jen.Err()}
	if op.Output != nil {
		failed = []jen.Code{jen.Nil(), jen.Err()}
	}
	if op.Input != nil {
		params = append(params, jen.Id("in").Op("*").Add(sh(op.Input.Name)))
		body = append(body,
			jen.If(jen.Id("in").Op("==").Nil()).Block(jen.Id("in").Op("=").Op("&").Add(sh(op.Input.Name)).Values()),
			jen.If(jen.Err().Op(":=").Id("c").Dot("validate").Call(jen.Id("in")), jen.Err().Op("!=").Nil()).Block(jen.Return(failed...)),
		)
		in = jen.Id("in").Dot("ToSDK").Call()
	}
	params = append(params, optParam())
	wrapErr := jen.Id("wrap").Call(jen.Lit(""), jen.Lit(""), jen.Lit(op.Name), jen.Nil(), jen.Err())
	call := func(lhs jen.Code) jen.Code {
		return jen.Add(lhs).Op(":=").Id("c").Dot("api").Dot(op.Name).Call(jen.Id("ctx"), in, jen.Id("c").Dot("opts").Call(jen.Id("optFns")).Op("..."))
	}
	if op.Output != nil {
		body = append(body,
			call(jen.List(jen.Id("out"), jen.Err())),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), wrapErr)),
			jen.Return(sh(op.Output.Name+"FromSDK").Call(jen.Id("out")), jen.Nil()))
	} else {
		body = append(body, call(jen.List(jen.Id("_"), jen.Err())), jen.Return(wrapErr))
	}
	doc := fmt.Sprintf("%s validates in and calls %s.", op.Name, op.Name)
	if op.Input == nil {
		doc = fmt.Sprintf("%s calls %s.", op.Name, op.Name)
	}
	f.Comment(doc)
	f.Comment("API reference: " + apiRef + op.Name + ".html")
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(op.Name).Params(params...).Add(results(op)).Block(body...)
	f.Line()
}

var classIdent = map[resource.Class]string{
	resource.Transitional: "Transitional", resource.Success: "Success", resource.Stopped: "Stopped",
	resource.Failure: "Failure", resource.Deleting: "Deleting", resource.DeleteFailed: "DeleteFailed",
	resource.Deleted: "Deleting",
}

func (g *resGen) waits(f *jen.File, r *resource.Resource, out *model.Shape) {
	kind := r.Name
	recv := jen.Id("r").Op("*").Id(kind)
	statusBody, _ := access(out, r.Status.Path)
	f.Comment("status returns the lifecycle status, as last described.")
	f.Func().Params(recv.Clone()).Id("status").Params().String().Add(statusBody)
	f.Line()
	obs := jen.Dict{
		jen.Id("Status"): jen.Id("r").Dot("status").Call(),
	}
	if body, ok := access(out, r.Secondary); ok {
		f.Func().Params(recv.Clone()).Id("secondaryStatus").Params().String().Add(body)
		f.Line()
		obs[jen.Id("SecondaryStatus")] = jen.Id("r").Dot("secondaryStatus").Call()
	}
	if body, ok := access(out, r.Reason); ok {
		f.Func().Params(recv.Clone()).Id("reason").Params().String().Add(body)
		f.Line()
		obs[jen.Id("Reason")] = jen.Id("r").Dot("reason").Call()
	}
	// Classifier.
	var cases []jen.Code
	values := slices.Sorted(mapKeys(r.Status.Classes))
	byClass := map[resource.Class][]jen.Code{}
	var order []resource.Class
	for _, v := range values {
		c := r.Status.Classes[v]
		if c == resource.Transitional {
			continue
		}
		if _, ok := byClass[c]; !ok {
			order = append(order, c)
		}
		byClass[c] = append(byClass[c], jen.Lit(v))
	}
	slices.Sort(order)
	for _, c := range order {
		cases = append(cases, jen.Case(byClass[c]...).Block(jen.Return(jen.Qual(waitersPath, classIdent[c]))))
	}
	cases = append(cases, jen.Default().Block(jen.Return(jen.Qual(waitersPath, "Transitional"))))
	cls := "classify" + kind
	f.Comment(fmt.Sprintf("%s maps a %s status to its class; values it does not know are transitional.", cls, kind))
	f.Func().Id(cls).Params(jen.Id("status").String()).Qual(waitersPath, "Class").Block(jen.Switch(jen.Id("status")).Block(cases...))
	f.Line()
	// Poll.
	deletedVals := []jen.Code{}
	for _, v := range values {
		if r.Status.Classes[v] == resource.Deleted {
			deletedVals = append(deletedVals, jen.Lit(v))
		}
	}
	pollBody := []jen.Code{
		jen.Err().Op(":=").Id("r").Dot("Refresh").Call(jen.Id("ctx")),
		jen.If(jen.Qual("errors", "Is").Call(jen.Err(), jen.Id("ErrNotFound"))).Block(
			jen.Return(jen.Qual(waitersPath, "Observation").Values(jen.Dict{jen.Id("NotFound"): jen.True()}), jen.Nil())),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(waitersPath, "Observation").Values(), jen.Err())),
		jen.Id("o").Op(":=").Qual(waitersPath, "Observation").Values(obs),
	}
	if len(deletedVals) > 0 {
		pollBody = append(pollBody, jen.Switch(jen.Id("o").Dot("Status")).Block(jen.Case(deletedVals...).Block(jen.Id("o").Dot("NotFound").Op("=").True())))
	}
	pollBody = append(pollBody, jen.Return(jen.Id("o"), jen.Nil()))
	f.Comment("poll describes the resource once for a waiter.")
	f.Func().Params(recv.Clone()).Id("poll").Params(ctxParam()).Params(jen.Qual(waitersPath, "Observation"), jen.Error()).Block(pollBody...)
	f.Line()

	waitOpts := jen.Id("opts").Op("...").Qual(waitersPath, "Option")
	merge := jen.Id("opts").Op("=").Id("r").Dot("c").Dot("waitOptions").Call(jen.Id("opts"))
	run := func(done jen.Code) jen.Code {
		return jen.List(jen.Id("_"), jen.Err()).Op(":=").Qual(waitersPath, "Wait").Call(jen.Id("ctx"),
			jen.Qual(waitersPath, "Spec").Values(jen.Dict{jen.Id("Kind"): jen.Lit(kind), jen.Id("Name"): jen.Id("r").Dot("ResourceName").Call(), jen.Id("Done"): done}),
			jen.Id("r").Dot("poll"), jen.Id("opts").Op("..."))
	}
	if r.IsJob() {
		f.Comment(fmt.Sprintf("Wait polls until the %s reaches a terminal status. Failed gives a *waiters.FailedError with the", kind))
		f.Comment("failure reason; Stopped is a success unless waiters.WithStoppedAsError is given. The client's wait")
		f.Comment("options (WithWaitOptions) come before opts.")
	} else {
		f.Comment(fmt.Sprintf("Wait polls until the %s's status is no longer transitional. A failed status gives a", kind))
		f.Comment("*waiters.FailedError with the reason. The client's wait options (WithWaitOptions) come before opts.")
	}
	f.Func().Params(recv.Clone()).Id("Wait").Params(ctxParam(), waitOpts).Error().Block(
		merge.Clone(),
		run(jen.Qual(waitersPath, "UntilTerminal").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.Id(cls), jen.Qual(waitersPath, "StoppedIsError").Call(jen.Id("opts")))),
		jen.Return(jen.Err()),
	)
	f.Line()
	f.Comment(fmt.Sprintf("WaitForStatus polls until the %s's status is target; a failed status on the way is an error.", kind))
	f.Func().Params(recv.Clone()).Id("WaitForStatus").Params(ctxParam(), jen.Id("target").Add(sh(r.Status.Enum.Name)), waitOpts).Error().Block(
		merge.Clone(),
		run(jen.Qual(waitersPath, "UntilStatus").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.String().Call(jen.Id("target")), jen.Id(cls))),
		jen.Return(jen.Err()),
	)
	f.Line()
	if r.Method(resource.KindDelete) != nil {
		f.Comment(fmt.Sprintf("WaitForDelete polls until the %s is gone (not found by its own rule); a delete-failed status gives a *waiters.DeleteFailedError.", kind))
		f.Func().Params(recv.Clone()).Id("WaitForDelete").Params(ctxParam(), waitOpts).Error().Block(
			merge.Clone(),
			run(jen.Qual(waitersPath, "UntilDeleted").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.Id(cls))),
			jen.Return(jen.Err()),
		)
		f.Line()
	}
	for _, w := range r.Waiters {
		g.modelWaiter(f, r, w, run)
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// modelWaiter emits a waiter the model defines, with its states and delays;
// error acceptors go through the resource's not-found rule.
func (g *resGen) modelWaiter(f *jen.File, r *resource.Resource, w *model.Waiter, run func(jen.Code) jen.Code) {
	statusPath := strings.Join(r.Status.Path, ".")
	var cases []jen.Code
	var notFound jen.Code
	for _, a := range w.Acceptors {
		var outcome jen.Code
		switch a.State {
		case model.StateSuccess:
			outcome = jen.Return(jen.True(), jen.Nil())
		case model.StateFailure:
			outcome = jen.Return(jen.True(), jen.Op("&").Qual(waitersPath, "FailedError").Values(jen.Dict{
				jen.Id("Kind"): jen.Lit(r.Name), jen.Id("Name"): jen.Id("r").Dot("ResourceName").Call(),
				jen.Id("Status"): jen.Id("o").Dot("Status"), jen.Id("Reason"): jen.Id("o").Dot("Reason"),
			}))
		default:
			outcome = jen.Return(jen.False(), jen.Nil())
		}
		switch a.Matcher {
		case model.MatchOutput:
			if a.Path != statusPath || a.Comparator != model.CompareStringEquals {
				return // documented in docs/waiters.md: only status acceptors are generated
			}
			cases = append(cases, jen.If(jen.Id("o").Dot("Status").Op("==").Lit(a.Expected)).Block(outcome))
		case model.MatchError:
			// Several error acceptors (ImageDeleted: ResourceNotFoundException
			// is success, ValidationException failure): the one for the
			// resource's not-found form decides; any other error ends the
			// wait as an error anyway.
			if notFound != nil && !isNotFoundCode(r, a.ErrorType) {
				continue
			}
			if a.State == model.StateFailure {
				notFound = jen.If(jen.Id("o").Dot("NotFound")).Block(jen.Return(jen.True(), jen.Qual("fmt", "Errorf").Call(jen.Lit(r.Name+" %q: %w"), jen.Id("r").Dot("ResourceName").Call(), jen.Id("ErrNotFound"))))
			} else {
				notFound = jen.If(jen.Id("o").Dot("NotFound")).Block(outcome)
			}
		default:
			return
		}
	}
	if notFound == nil {
		notFound = jen.If(jen.Id("o").Dot("NotFound")).Block(jen.Return(jen.True(), jen.Qual("fmt", "Errorf").Call(jen.Lit(r.Name+" %q: %w"), jen.Id("r").Dot("ResourceName").Call(), jen.Id("ErrNotFound"))))
	}
	name := "WaitUntil" + strings.TrimPrefix(w.Name, r.Name)
	done := jen.Func().Params(jen.Id("o").Qual(waitersPath, "Observation")).Params(jen.Bool(), jen.Error()).Block(
		append(append([]jen.Code{notFound}, cases...), jen.Return(jen.False(), jen.Nil()))...)
	maxDelay := w.MaxDelay
	if maxDelay == 0 && w.MaxAttempts > 0 {
		maxDelay = w.MinDelay * w.MaxAttempts
	}
	f.Comment(fmt.Sprintf("%s is the model's %s waiter: its acceptors, with a minimum delay of %ds; the maximum delay is", name, w.Name, w.MinDelay))
	f.Comment("capped at a minute. The client's wait options, then opts, come after the model's delays. Its error")
	f.Comment("acceptor uses the resource's not-found rule (see docs/waiters.md).")
	f.Func().Params(jen.Id("r").Op("*").Id(r.Name)).Id(name).Params(ctxParam(), jen.Id("opts").Op("...").Qual(waitersPath, "Option")).Error().Block(
		jen.Id("opts").Op("=").Append(jen.Index().Qual(waitersPath, "Option").Values(jen.Qual(waitersPath, "WithDelays").Call(
			jen.Lit(w.MinDelay).Op("*").Qual("time", "Second"), jen.Lit(maxDelay).Op("*").Qual("time", "Second"))), jen.Id("r").Dot("c").Dot("waitOptions").Call(jen.Id("opts")).Op("...")),
		run(done),
		jen.Return(jen.Err()),
	)
	f.Line()
}

// isNotFoundCode reports whether code is one of the resource's not-found
// error codes.
func isNotFoundCode(r *resource.Resource, code string) bool {
	return code == r.NotFound.Code || slices.Contains(r.NotFound.Codes, code)
}
