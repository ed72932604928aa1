package emit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/plan"
	"github.com/smcore-go/smcore/gen/resource"
)

const (
	shapesPath  = "github.com/smcore-go/smcore/shapes"
	waitersPath = "github.com/smcore-go/smcore/waiters"
	contextPath = "context"
)

// resGen renders package resources from the plan; it decides nothing.
type resGen struct {
	p   *plan.Plan
	err error // set by a renderer that cannot render what the plan says
}

// Resources emits package resources: one file per resource and one for the
// client methods no resource claims.
func Resources(p *plan.Plan) ([]File, error) {
	var jobs []func() (File, error)
	for _, r := range p.Resources {
		jobs = append(jobs, func() (File, error) {
			g := &resGen{p: p}
			f := newFile("resources")
			g.resource(f, r)
			if g.err != nil {
				return File{}, fmt.Errorf("resource %s: %w", r.Name, g.err)
			}
			return render(r.File, f)
		})
	}
	jobs = append(jobs, func() (File, error) {
		g := &resGen{p: p}
		f := newFile("resources")
		for _, m := range p.Client {
			g.clientOp(f, m)
		}
		if g.err != nil {
			return File{}, g.err
		}
		return render("zz_client_ops.go", f)
	})
	return runParallel(jobs)
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

// field renders r.<path> for a dotted field path of the plan ("in.X").
func field(recv string, path string) *jen.Statement {
	s := jen.Id(recv)
	for _, p := range strings.Split(path, ".") {
		s = s.Dot(p)
	}
	return s
}

// access renders reading a member path of the resource's Describe fields
// as a string, with nil checks for nested structures.
func access(out *model.Shape, path []string) jen.Code {
	cur := out
	expr := jen.Id("r")
	var guards []jen.Code
	for i, p := range path {
		m := cur.Member(p)
		expr = expr.Clone().Dot(plan.FieldName(p))
		if i < len(path)-1 {
			guards = append(guards, expr.Clone().Op("==").Nil())
			cur = m.Target
			continue
		}
		var body []jen.Code
		for _, gd := range guards {
			body = append(body, jen.If(gd).Block(jen.Return(jen.Lit(""))))
		}
		body = append(body, jen.Return(asString(m, expr.Clone())))
		return jen.Block(body...)
	}
	return nil
}

func (g *resGen) resource(f *jen.File, r *plan.Resource) {
	kind := r.Name
	// Type.
	doc := []string{fmt.Sprintf("%s is a SageMaker %s", kind, kind)}
	if r.Out != nil {
		doc[0] += fmt.Sprintf(": the fields %s returns, and the client that fetched them.", r.Describe.Op.Name)
	} else {
		doc[0] += ": the model has no Describe operation for it, so it holds its identifiers only."
	}
	if len(r.Params) > 0 {
		var ids []string
		for _, id := range r.Params {
			ids = append(ids, id.Member.Name)
		}
		doc = append(doc, "", "Identified by "+strings.Join(ids, ", ")+".")
	}
	docComment(f, doc)
	fields := []jen.Code{}
	if r.Out != nil {
		fields = append(fields, sh(r.Out.Name), jen.Line())
	}
	fields = append(fields, jen.Id("c").Op("*").Id("Client"))
	if r.Selectors != nil {
		fields = append(fields, jen.Id("in").Add(sh(r.Selectors.Name)).Comment("what Refresh describes: identifiers and selectors"))
	} else {
		for _, id := range r.Params {
			fields = append(fields, jen.Id(id.Field).Add(idType(id.Member)))
		}
	}
	f.Type().Id(kind).Struct(fields...)
	f.Line()

	// Not-found rule.
	codes := make([]jen.Code, len(r.NotFound.Codes))
	for i, c := range r.NotFound.Codes {
		codes[i] = jen.Lit(c)
	}
	prefixes := make([]jen.Code, len(r.NotFound.ValidationPrefixes))
	for i, p := range r.NotFound.ValidationPrefixes {
		prefixes[i] = jen.Lit(p)
	}
	f.Comment(fmt.Sprintf("%s is how the service says a %s does not exist (see gen/resource/overrides.json).", r.NotFoundVar, kind))
	f.Var().Id(r.NotFoundVar).Op("=").Id("notFound").Values(jen.Dict{
		jen.Id("codes"):    jen.Index().String().Values(codes...),
		jen.Id("prefixes"): jen.Index().String().Values(prefixes...),
	})
	f.Line()

	// Identity.
	name := jen.Lit("")
	if n := len(r.Params); n > 0 {
		last := r.Params[n-1]
		name = asString(last.Member, field("r", last.Field))
	}
	f.Comment("ResourceName returns the identifier that names the resource (the last one when there are several).")
	f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("ResourceName").Params().String().Block(jen.Return(name))
	f.Line()
	if slices.Contains(r.Interfaces, "WithARN") {
		f.Comment("ResourceARN returns the resource's ARN, as last described.")
		f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("ResourceARN").Params().String().Add(access(r.Out, r.ARN))
		f.Line()
	}
	if r.LogGroup != "" {
		f.Comment(fmt.Sprintf("LogGroup is the CloudWatch Logs group a %s writes to (see logtail.Follow).", kind))
		f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("LogGroup").Params().String().Block(jen.Return(jen.Lit(r.LogGroup)))
		f.Line()
		f.Comment(fmt.Sprintf("LogStreamPrefix is what the names of the %s's log streams start with: its name and a slash.", kind))
		f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("LogStreamPrefix").Params().String().Block(jen.Return(jen.Id("r").Dot("ResourceName").Call().Op("+").Lit("/")))
		f.Line()
	}
	if r.Describe != nil {
		g.describe(f, r)
	}
	for _, m := range r.Methods {
		switch m.Form {
		case plan.FormCreate:
			g.create(f, r)
		case plan.FormList:
			g.list(f, r, m)
		case plan.FormVerb, plan.FormUpdate, plan.FormObject:
			g.objectOp(f, r, m)
		default:
			g.clientOp(f, m)
		}
	}
	if len(r.FromSummary) > 0 {
		g.fromSummary(f, r)
	}
	if r.Waits != nil {
		g.waits(f, r)
	}
	f.Comment(fmt.Sprintf("The interfaces a %s satisfies, checked by the compiler.", kind))
	var defs []jen.Code
	for _, n := range r.Interfaces {
		defs = append(defs, jen.Id("_").Id(n).Op("=").Parens(jen.Op("*").Id(kind)).Parens(jen.Nil()))
	}
	f.Var().Defs(defs...)
	f.Line()
}

// describe renders Refresh, Get<R> and Get<R>With.
func (g *resGen) describe(f *jen.File, r *plan.Resource) {
	kind := r.Name
	op := r.Describe.Op
	in := jen.Op("&").Qual(sdkPath, op.Name+"Input").Values()
	if r.Selectors != nil {
		in = jen.Id("r").Dot("in").Dot("ToSDK").Call()
	}
	call := jen.Id("r").Dot("c").Dot("api").Dot(op.Name).Call(jen.Id("ctx"), in, jen.Id("r").Dot("c").Dot("opts").Call(jen.Id("optFns")).Op("..."))
	lhs := jen.List(jen.Id("out"), jen.Err())
	if r.Out == nil {
		lhs = jen.List(jen.Id("_"), jen.Err())
	}
	body := []jen.Code{
		lhs.Op(":=").Add(call),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Id("wrap").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.Lit(op.Name), jen.Op("&").Id(r.NotFoundVar), jen.Err())),
		),
	}
	if r.Out != nil {
		body = append(body, jen.Id("r").Dot(r.Out.Name).Op("=").Op("*").Add(sh(r.Out.Name+"FromSDK")).Call(jen.Id("out")))
	}
	body = append(body, jen.Return(jen.Nil()))
	f.Comment(fmt.Sprintf("Refresh describes the %s again (%s, with the identifiers and selectors it was got with) and replaces its fields.", kind, op.Name))
	f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("Refresh").Params(ctxParam(), optParam()).Error().Block(body...)
	f.Line()

	get := "Get" + kind
	if r.Selectors == nil {
		f.Comment(fmt.Sprintf("%s describes the %s with %s.", get, kind, op.Name))
		f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(get).Params(ctxParam(), optParam()).Params(jen.Op("*").Id(kind), jen.Error()).Block(
			jen.Id("r").Op(":=").Op("&").Id(kind).Values(jen.Dict{jen.Id("c"): jen.Id("c")}),
			jen.If(jen.Err().Op(":=").Id("r").Dot("Refresh").Call(jen.Id("ctx"), jen.Id("optFns").Op("...")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Return(jen.Id("r"), jen.Nil()),
		)
		f.Line()
		return
	}
	ps := []jen.Code{ctxParam()}
	dict := jen.Dict{}
	var names []string
	for _, id := range r.Params {
		ps = append(ps, jen.Id(id.Name).Add(idType(id.Member)))
		dict[jen.Id(plan.FieldName(id.Member.Name))] = jen.Id(id.Name)
		names = append(names, id.Member.Name)
	}
	ps = append(ps, optParam())
	f.Comment(fmt.Sprintf("%s describes the %s named by %s (%s).", get, kind, strings.Join(names, ", "), op.Name))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(get).Params(ps...).Params(jen.Op("*").Id(kind), jen.Error()).Block(
		jen.Return(jen.Id("c").Dot(get+"With").Call(jen.Id("ctx"), jen.Op("&").Add(sh(r.Selectors.Name)).Values(dict), jen.Id("optFns").Op("..."))),
	)
	f.Line()
	f.Comment(fmt.Sprintf("%sWith describes the %s that in selects, optional members included; the %s keeps in,", get, kind, kind))
	f.Comment("so that Refresh and every wait describe the same.")
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(get+"With").Params(ctxParam(), jen.Id("in").Op("*").Add(sh(r.Selectors.Name)), optParam()).Params(jen.Op("*").Id(kind), jen.Error()).Block(
		jen.Id("r").Op(":=").Op("&").Id(kind).Values(jen.Dict{jen.Id("c"): jen.Id("c")}),
		jen.If(jen.Id("in").Op("!=").Nil()).Block(jen.Id("r").Dot("in").Op("=").Op("*").Id("in")),
		jen.If(jen.Err().Op(":=").Id("c").Dot("validate").Call(jen.Op("&").Id("r").Dot("in")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.If(jen.Err().Op(":=").Id("r").Dot("Refresh").Call(jen.Id("ctx"), jen.Id("optFns").Op("...")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("r"), jen.Nil()),
	)
	f.Line()
}

// copyIn renders `req := shapes.X{}; if in != nil { req = *in }`: methods
// work on a copy, so the caller's input is left as it was.
func copyIn(input *model.Shape) []jen.Code {
	return []jen.Code{
		jen.Id("req").Op(":=").Add(sh(input.Name)).Values(),
		jen.If(jen.Id("in").Op("!=").Nil()).Block(jen.Id("req").Op("=").Op("*").Id("in")),
	}
}

// newResource renders the value a create makes.
func newResource(r *plan.Resource, c *plan.Create) jen.Code {
	ids := jen.Dict{}
	for _, in := range c.Inits {
		src := jen.Id("req")
		if in.FromOutput {
			src = jen.Id("res")
		}
		key, _ := strings.CutPrefix(in.Field, "in.")
		ids[jen.Id(key)] = convStr(in.Dst, in.Src, src.Dot(plan.FieldName(in.Src.Name)))
	}
	d := jen.Dict{jen.Id("c"): jen.Id("c")}
	if r.Selectors != nil {
		d[jen.Id("in")] = sh(r.Selectors.Name).Values(ids)
	} else {
		for k, v := range ids {
			d[k] = v
		}
	}
	return jen.Op("&").Id(r.Name).Values(d)
}

func (g *resGen) create(f *jen.File, r *plan.Resource) {
	c := r.Create
	op := c.Op
	kind := r.Name
	f.Comment(fmt.Sprintf("%s calls %s with in and returns the new %s%s. in is validated after the client's", op.Name, op.Name, kind, map[bool]string{true: ", described", false: ""}[r.Describe != nil]))
	f.Comment("create defaults fill its unset members (WithCreateDefaults); the caller's in is not changed.")
	if r.Describe != nil {
		f.Comment("A Describe that answers \"not found\" right after the create is retried briefly: new resources take a")
		f.Comment("moment to become visible. If that Describe fails, the new resource is returned with the error.")
	}
	body := copyIn(op.Input)
	body = append(body, jen.If(jen.Err().Op(":=").Id("c").Dot("prepare").Call(jen.Id("ctx"), jen.Op("&").Id("req")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())))
	init := newResource(r, c)
	if c.Adopt {
		room := jen.True()
		if c.TagLimit > 0 {
			room = jen.Len(jen.Id("req").Dot("Tags")).Op("<").Lit(c.TagLimit)
		}
		body = append(body,
			jen.Id("token").Op(":=").Id("c").Dot("creationToken").Call(),
			jen.If(jen.Id("token").Op("!=").Lit("").Op("&&").Add(room)).Block(
				jen.Id("req").Dot("Tags").Op("=").Append(jen.Qual("slices", "Clip").Call(jen.Id("req").Dot("Tags")), jen.Id("tokenTag").Call(jen.Id("token"))),
			))
	}
	name := jen.Lit("")
	if c.Name != nil {
		name = asString(c.Name, jen.Id("req").Dot(plan.FieldName(c.Name.Name)))
	}
	lhs := jen.List(jen.Id("_"), jen.Err())
	if c.NeedOut || c.ByARN != nil {
		lhs = jen.List(jen.Id("out"), jen.Err())
	}
	onErr := []jen.Code{}
	if c.Adopt {
		body = append(body, jen.Id("r").Op(":=").Add(init))
		onErr = append(onErr, jen.If(jen.Id("c").Dot("adopted").Call(jen.Id("ctx"), jen.Id("r"), jen.Id("token"), jen.Err(), jen.Id("optFns"))).Block(jen.Return(jen.Id("r"), jen.Nil())))
	}
	onErr = append(onErr, jen.Return(jen.Nil(), jen.Id("wrap").Call(jen.Lit(kind), name, jen.Lit(op.Name), jen.Nil(), jen.Err())))
	body = append(body,
		lhs.Op(":=").Id("c").Dot("api").Dot(op.Name).Call(jen.Id("ctx"), jen.Id("req").Dot("ToSDK").Call(), jen.Id("c").Dot("opts").Call(jen.Id("optFns")).Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(onErr...),
	)
	if c.NeedOut {
		body = append(body, jen.Id("res").Op(":=").Add(sh(op.Output.Name+"FromSDK")).Call(jen.Id("out")))
	}
	if !c.Adopt {
		body = append(body, jen.Id("r").Op(":=").Add(init))
	}
	if c.ByARN != nil {
		ref := field("r", c.ByARN.Field)
		body = append(body, jen.If(ref.Clone().Op("==").Lit("")).Block(ref.Clone().Op("=").Id("deref").Call(jen.Id("out").Dot(c.ByARNField))))
	}
	if r.Describe != nil && c.Complete {
		body = append(body, jen.Return(jen.Id("r"), jen.Id("c").Dot("settle").Call(jen.Id("ctx"), jen.Id("r"), jen.Id("optFns"))))
	} else {
		body = append(body, jen.Return(jen.Id("r"), jen.Nil()))
	}
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(op.Name).Params(ctxParam(), jen.Id("in").Op("*").Add(sh(op.Input.Name)), optParam()).Params(jen.Op("*").Id(kind), jen.Error()).Block(body...)
	f.Line()
}

// itemType is the Go type of a listed item.
func itemType(s *model.Shape) *jen.Statement {
	if s.Kind == model.KindStructure || s.Kind == model.KindUnion {
		return jen.Op("*").Add(sh(s.Name))
	}
	return baseTypeQual(s)
}

// itemsExpr converts the SDK's items to ours.
func itemsExpr(pg *plan.Paging) (jen.Code, error) {
	src := jen.Id("out").Dot(pg.Items)
	switch pg.Item.Kind {
	case model.KindStructure:
		return jen.Id("convItems").Call(src, sh(pg.Item.Name+"FromSDK")), nil
	case model.KindString:
		return src, nil
	case model.KindEnum:
		return jen.Id("convEnums").Types(sh(pg.Item.Name)).Call(src), nil
	}
	return nil, fmt.Errorf("items of kind %s are not listed", pg.Item.Kind)
}

// pagedBody renders the body of a method returning every item of a paged
// operation. recv is "c" or "r"; the request is in req (already filled).
func pagedBody(recv string, op *model.Operation, pg *plan.Paging, kind string, name jen.Code, rule jen.Code) ([]jen.Code, error) {
	client := jen.Id(recv)
	if recv == "r" {
		client = jen.Id("r").Dot("c")
	}
	items, err := itemsExpr(pg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op.Name, err)
	}
	fetch := jen.Func().Params(ctxParam(), jen.Id("token").Op("*").String(), jen.Id("optFns").Index().Func().Params(jen.Op("*").Qual(sdkPath, "Options"))).
		Params(jen.Index().Add(itemType(pg.Item)), jen.Op("*").String(), jen.Error()).Block(
		jen.Id("page").Op(":=").Op("*").Id("sdkIn"),
		jen.Id("page").Dot(pg.Token).Op("=").Id("token"),
		jen.List(jen.Id("out"), jen.Err()).Op(":=").Add(client.Clone()).Dot("api").Dot(op.Name).Call(jen.Id("ctx"), jen.Op("&").Id("page"), jen.Id("optFns").Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Id("wrap").Call(jen.Lit(kind), name, jen.Lit(op.Name), rule, jen.Err()))),
		jen.Return(items, jen.Id("out").Dot(pg.Token), jen.Nil()),
	)
	return []jen.Code{
		jen.Id("sdkIn").Op(":=").Id("req").Dot("ToSDK").Call(),
		jen.Return(jen.Id("pages").Call(jen.Id("ctx"), client, jen.Op("&").Id("req"), jen.Id("sdkIn").Dot(pg.Token), jen.Id("opts"), fetch)),
	}, nil
}

func listParams(op *model.Operation, itemT *jen.Statement) (params []jen.Code, result jen.Code) {
	return []jen.Code{ctxParam(), jen.Id("in").Op("*").Add(sh(op.Input.Name)), jen.Id("opts").Op("...").Id("ListOption")},
		jen.Qual("iter", "Seq2").Types(itemT, jen.Error())
}

func (g *resGen) list(f *jen.File, r *plan.Resource, m *plan.Method) {
	op := m.Op
	body, err := pagedBody("c", op, m.Paging, r.Name, jen.Lit(""), jen.Nil())
	if err != nil {
		g.err = err
		return
	}
	f.Comment(fmt.Sprintf("%s lists %s items with %s, every page from in's %s on; in may be nil.", op.Name, r.Name, op.Name, m.Paging.Token))
	if r.Describe != nil {
		f.Comment("It makes no Describe call per item: use " + r.Name + "FromSummary for the full resource.")
	}
	ps, res := listParams(op, itemType(m.Paging.Item))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(op.Name).Params(ps...).Add(res).Block(append(copyIn(op.Input), body...)...)
	f.Line()
}

// baseTypeQual is the Go type of a shape's value in package resources.
func baseTypeQual(s *model.Shape) *jen.Statement {
	switch s.Kind {
	case model.KindString:
		return jen.String()
	case model.KindEnum, model.KindStructure, model.KindUnion:
		return sh(s.Name)
	case model.KindBoolean:
		return jen.Bool()
	case model.KindInteger:
		return jen.Int32()
	case model.KindLong:
		return jen.Int64()
	case model.KindFloat:
		return jen.Float32()
	case model.KindDouble:
		return jen.Float64()
	case model.KindTimestamp:
		return jen.Qual("time", "Time")
	case model.KindBlob:
		return jen.Index().Byte()
	case model.KindDocument:
		return jen.Qual("encoding/json", "RawMessage")
	case model.KindList:
		return jen.Index().Add(baseTypeQual(s.ListMember.Target))
	case model.KindMap:
		return jen.Map(jen.String()).Add(baseTypeQual(s.MapValue.Target))
	}
	panic("emit: unexpected kind " + s.Kind.String()) // the loader admits no other kind
}

func (g *resGen) fromSummary(f *jen.File, r *plan.Resource) {
	sum := r.List.Summary
	var args []jen.Code
	for i, sm := range r.FromSummary {
		args = append(args, convStr(r.Params[i].Member, sm, jen.Id("s").Dot(plan.FieldName(sm.Name))))
	}
	f.Comment(fmt.Sprintf("%sFromSummary describes the %s a list item names: one call.", r.Name, r.Name))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(r.Name+"FromSummary").Params(ctxParam(), jen.Id("s").Op("*").Add(sh(sum.Name)), optParam()).Params(jen.Op("*").Id(r.Name), jen.Error()).Block(
		jen.If(jen.Id("s").Op("==").Nil()).Block(jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit("resources: nil "+sum.Name)))),
		jen.Return(jen.Id("c").Dot("Get"+r.Name).Call(append(append([]jen.Code{jen.Id("ctx")}, args...), jen.Id("optFns").Op("..."))...)),
	)
	f.Line()
}

// unset renders the test that member m of a value (expr) is unset.
func unset(m *model.Member, expr *jen.Statement) *jen.Statement {
	switch {
	case m.Target.Kind == model.KindTimestamp:
		return expr.Dot("IsZero").Call()
	case plan.Plain(m, false):
		return expr.Op("==").Lit("")
	}
	return expr.Op("==").Nil()
}

// fills renders the plan's fills of an object method's request.
func fills(m *plan.Method) []jen.Code {
	var out []jen.Code
	for _, fl := range m.Fills {
		dst := jen.Id("req").Dot(plan.FieldName(fl.Member.Name))
		var src *jen.Statement
		switch fl.From {
		case plan.FromARN:
			src = fromString(fl.Member, jen.Id("r").Dot("ResourceARN").Call())
		case plan.FromParam:
			src = convStr(fl.Member, fl.Param.Member, field("r", fl.Param.Field))
		default:
			src = field("r", fl.Field)
		}
		set := dst.Clone().Op("=").Add(src)
		if fl.IfUnset {
			out = append(out, jen.If(unset(fl.Member, dst.Clone())).Block(set))
		} else {
			out = append(out, set)
		}
	}
	return out
}

// objectOp renders a method on the resource value.
func (g *resGen) objectOp(f *jen.File, r *plan.Resource, m *plan.Method) {
	op := m.Op
	kind := r.Name
	recv := jen.Id("r").Op("*").Id(kind)
	wrapErr := jen.Id("wrap").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.Lit(op.Name), jen.Op("&").Id(r.NotFoundVar), jen.Err())
	call := func(lhs jen.Code) jen.Code {
		return jen.Add(lhs).Op(":=").Id("r").Dot("c").Dot("api").Dot(op.Name).Call(jen.Id("ctx"), jen.Id("req").Dot("ToSDK").Call(), jen.Id("r").Dot("c").Dot("opts").Call(jen.Id("optFns")).Op("..."))
	}
	prep := append(copyIn(op.Input), fills(m)...)
	validate := func(ret ...jen.Code) jen.Code {
		return jen.If(jen.Err().Op(":=").Id("r").Dot("c").Dot("validate").Call(jen.Op("&").Id("req")), jen.Err().Op("!=").Nil()).Block(jen.Return(ret...))
	}
	inParam := jen.Id("in").Op("*").Add(sh(op.Input.Name))
	switch m.Form {
	case plan.FormVerb:
		what := ""
		if m.Kind == resource.KindDelete && r.Waits != nil {
			what = "; WaitForDelete waits until it is gone"
		}
		if m.Complete {
			f.Comment(fmt.Sprintf("%s calls %s for this %s%s.", m.GoName, op.Name, kind, what))
			f.Func().Params(recv.Clone()).Id(m.GoName).Params(ctxParam(), optParam()).Error().Block(
				jen.Return(jen.Id("r").Dot(m.With).Call(jen.Id("ctx"), jen.Nil(), jen.Id("optFns").Op("..."))))
			f.Line()
			f.Comment(fmt.Sprintf("%s calls %s with in's optional members (in may be nil); the members that identify", m.With, op.Name))
			f.Comment(fmt.Sprintf("the %s are set from it.", kind))
		} else {
			f.Comment(fmt.Sprintf("%s calls %s with in, whose required members the %s cannot fill; the members that", m.With, op.Name, kind))
			f.Comment(fmt.Sprintf("identify the %s are set from it. (There is no %s without a request.)", kind, m.GoName))
		}
		body := append(prep, validate(jen.Err()), call(jen.List(jen.Id("_"), jen.Err())), jen.Return(wrapErr))
		f.Func().Params(recv.Clone()).Id(m.With).Params(ctxParam(), inParam, optParam()).Error().Block(body...)
		f.Line()
		return
	case plan.FormUpdate:
		body := append(prep, validate(jen.Err()),
			call(jen.List(jen.Id("_"), jen.Err())),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(wrapErr)))
		doc := fmt.Sprintf("Update calls %s with in (the members that identify the %s are set from it)", op.Name, kind)
		if m.Refresh {
			body = append(body, jen.Return(jen.Id("r").Dot("Refresh").Call(jen.Id("ctx"), jen.Id("optFns").Op("..."))))
			doc += " and then refreshes the " + kind + "; its fields show the update"
		} else {
			body = append(body, jen.Return(jen.Nil()))
		}
		f.Comment(doc + ".")
		f.Func().Params(recv.Clone()).Id(m.GoName).Params(ctxParam(), inParam, optParam()).Error().Block(body...)
		f.Line()
		return
	}
	if m.Paging != nil {
		body, err := pagedBody("r", op, m.Paging, kind, jen.Id("r").Dot("ResourceName").Call(), jen.Op("&").Id(r.NotFoundVar))
		if err != nil {
			g.err = err
			return
		}
		f.Comment(fmt.Sprintf("%s lists with %s for this %s, every page from in's %s on; in may be nil and", m.GoName, op.Name, kind, m.Paging.Token))
		f.Comment("its identifying members are set from the resource.")
		ps, res := listParams(op, itemType(m.Paging.Item))
		f.Func().Params(recv.Clone()).Id(m.GoName).Params(ps...).Add(res).Block(append(prep, body...)...)
		f.Line()
		return
	}
	var body []jen.Code
	if op.Output != nil {
		body = append(prep, validate(jen.Nil(), jen.Err()),
			call(jen.List(jen.Id("out"), jen.Err())),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), wrapErr)),
			jen.Return(sh(op.Output.Name+"FromSDK").Call(jen.Id("out")), jen.Nil()))
	} else {
		body = append(prep, validate(jen.Err()), call(jen.List(jen.Id("_"), jen.Err())), jen.Return(wrapErr))
	}
	f.Comment(fmt.Sprintf("%s calls %s for this %s with in (may be nil); the members that identify it are set from the resource.", m.GoName, op.Name, kind))
	f.Comment("API reference: " + apiRef + op.Name + ".html")
	f.Func().Params(recv.Clone()).Id(m.GoName).Params(ctxParam(), inParam, optParam()).Add(results(op)).Block(body...)
	f.Line()
}

// results renders an operation method's results.
func results(op *model.Operation) jen.Code {
	if op.Output == nil {
		return jen.Error()
	}
	return jen.Params(jen.Op("*").Add(sh(op.Output.Name)), jen.Error())
}

// clientOp renders a plain client method for an operation.
func (g *resGen) clientOp(f *jen.File, m *plan.Method) {
	op := m.Op
	if m.Paging != nil {
		body, err := pagedBody("c", op, m.Paging, "", jen.Lit(""), jen.Nil())
		if err != nil {
			g.err = err
			return
		}
		f.Comment(fmt.Sprintf("%s lists with %s, every page from in's %s on; in may be nil.", op.Name, op.Name, m.Paging.Token))
		f.Comment("API reference: " + apiRef + op.Name + ".html")
		ps, res := listParams(op, itemType(m.Paging.Item))
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

func (g *resGen) waits(f *jen.File, r *plan.Resource) {
	w := r.Waits
	kind := r.Name
	recv := jen.Id("r").Op("*").Id(kind)
	f.Comment("status returns the lifecycle status, as last described.")
	f.Func().Params(recv.Clone()).Id("status").Params().String().Add(access(r.Out, w.Status))
	f.Line()
	obs := jen.Dict{
		jen.Id("Status"): jen.Id("r").Dot("status").Call(),
	}
	if len(w.Secondary) > 0 {
		f.Func().Params(recv.Clone()).Id("secondaryStatus").Params().String().Add(access(r.Out, w.Secondary))
		f.Line()
		obs[jen.Id("SecondaryStatus")] = jen.Id("r").Dot("secondaryStatus").Call()
	}
	if len(w.Reason) > 0 {
		f.Func().Params(recv.Clone()).Id("reason").Params().String().Add(access(r.Out, w.Reason))
		f.Line()
		obs[jen.Id("Reason")] = jen.Id("r").Dot("reason").Call()
	}
	// Classifier.
	var cases []jen.Code
	for _, cv := range w.Classes {
		vals := make([]jen.Code, len(cv.Values))
		for i, v := range cv.Values {
			vals[i] = jen.Lit(v)
		}
		cases = append(cases, jen.Case(vals...).Block(jen.Return(jen.Qual(waitersPath, classIdent[cv.Class]))))
	}
	cases = append(cases, jen.Default().Block(jen.Return(jen.Qual(waitersPath, "Transitional"))))
	cls := "classify" + kind
	f.Comment(fmt.Sprintf("%s maps a %s status to its class; values it does not know are transitional.", cls, kind))
	f.Func().Id(cls).Params(jen.Id("status").String()).Qual(waitersPath, "Class").Block(jen.Switch(jen.Id("status")).Block(cases...))
	f.Line()
	// Poll.
	pollBody := []jen.Code{
		jen.Err().Op(":=").Id("r").Dot("Refresh").Call(jen.Id("ctx")),
		jen.If(jen.Qual("errors", "Is").Call(jen.Err(), jen.Id("ErrNotFound"))).Block(
			jen.Return(jen.Qual(waitersPath, "Observation").Values(jen.Dict{jen.Id("NotFound"): jen.True()}), jen.Nil())),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual(waitersPath, "Observation").Values(), jen.Err())),
		jen.Id("o").Op(":=").Qual(waitersPath, "Observation").Values(obs),
	}
	if len(w.Deleted) > 0 {
		vals := make([]jen.Code, len(w.Deleted))
		for i, v := range w.Deleted {
			vals[i] = jen.Lit(v)
		}
		pollBody = append(pollBody, jen.Switch(jen.Id("o").Dot("Status")).Block(jen.Case(vals...).Block(jen.Id("o").Dot("NotFound").Op("=").True())))
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
	if w.Job {
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
	f.Func().Params(recv.Clone()).Id("WaitForStatus").Params(ctxParam(), jen.Id("target").Add(sh(w.StatusEnum.Name)), waitOpts).Error().Block(
		merge.Clone(),
		run(jen.Qual(waitersPath, "UntilStatus").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.String().Call(jen.Id("target")), jen.Id(cls))),
		jen.Return(jen.Err()),
	)
	f.Line()
	if w.Delete {
		f.Comment(fmt.Sprintf("WaitForDelete polls until the %s is gone (not found by its own rule); a delete-failed status gives a *waiters.DeleteFailedError.", kind))
		f.Func().Params(recv.Clone()).Id("WaitForDelete").Params(ctxParam(), waitOpts).Error().Block(
			merge.Clone(),
			run(jen.Qual(waitersPath, "UntilDeleted").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.Id(cls))),
			jen.Return(jen.Err()),
		)
		f.Line()
	}
	for _, mw := range w.ModelWaiters {
		g.modelWaiter(f, r, mw, run)
	}
}

// modelWaiter renders a waiter the model defines, with its states and
// delays; a not-found observation goes through the resource's rule.
func (g *resGen) modelWaiter(f *jen.File, r *plan.Resource, mw *plan.ModelWaiter, run func(jen.Code) jen.Code) {
	outcome := func(state model.AcceptorState) jen.Code {
		switch state {
		case model.StateSuccess:
			return jen.Return(jen.True(), jen.Nil())
		case model.StateFailure:
			return jen.Return(jen.True(), jen.Op("&").Qual(waitersPath, "FailedError").Values(jen.Dict{
				jen.Id("Kind"): jen.Lit(r.Name), jen.Id("Name"): jen.Id("r").Dot("ResourceName").Call(),
				jen.Id("Status"): jen.Id("o").Dot("Status"), jen.Id("Reason"): jen.Id("o").Dot("Reason"),
			}))
		}
		return jen.Return(jen.False(), jen.Nil())
	}
	notFound := jen.If(jen.Id("o").Dot("NotFound")).Block(outcome(mw.NotFound))
	if mw.NotFound == model.StateFailure {
		notFound = jen.If(jen.Id("o").Dot("NotFound")).Block(jen.Return(jen.True(), jen.Qual("fmt", "Errorf").Call(jen.Lit(r.Name+" %q: %w"), jen.Id("r").Dot("ResourceName").Call(), jen.Id("ErrNotFound"))))
	}
	stmts := []jen.Code{notFound}
	for _, a := range mw.Cases {
		stmts = append(stmts, jen.If(jen.Id("o").Dot("Status").Op("==").Lit(a.Expected)).Block(outcome(a.State)))
	}
	stmts = append(stmts, jen.Return(jen.False(), jen.Nil()))
	done := jen.Func().Params(jen.Id("o").Qual(waitersPath, "Observation")).Params(jen.Bool(), jen.Error()).Block(stmts...)
	f.Comment(fmt.Sprintf("%s is the model's %s waiter: its acceptors, with a minimum delay of %ds; the maximum delay is", mw.Name, mw.Waiter.Name, mw.MinDelay))
	f.Comment("capped at a minute. The client's wait options, then opts, come after the model's delays. Its error")
	f.Comment("acceptor uses the resource's not-found rule (see docs/waiters.md).")
	f.Func().Params(jen.Id("r").Op("*").Id(r.Name)).Id(mw.Name).Params(ctxParam(), jen.Id("opts").Op("...").Qual(waitersPath, "Option")).Error().Block(
		jen.Id("opts").Op("=").Append(jen.Index().Qual(waitersPath, "Option").Values(jen.Qual(waitersPath, "WithDelays").Call(
			jen.Lit(mw.MinDelay).Op("*").Qual("time", "Second"), jen.Lit(mw.MaxDelay).Op("*").Qual("time", "Second"))), jen.Id("r").Dot("c").Dot("waitOptions").Call(jen.Id("opts")).Op("...")),
		run(done),
		jen.Return(jen.Err()),
	)
	f.Line()
}
