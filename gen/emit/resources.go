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
}

// Resources emits package resources: one file per resource and one for the
// client methods no resource claims.
func Resources(svc *model.Service, set *resource.Set) ([]File, error) {
	g := &resGen{svc: svc, set: set}
	var jobs []func() (File, error)
	for _, r := range set.Resources {
		jobs = append(jobs, func() (File, error) {
			f := newFile("resources")
			if err := g.resource(f, r); err != nil {
				return File{}, fmt.Errorf("resource %s: %w", r.Name, err)
			}
			return render("zz_"+snake(r.Name)+".go", f)
		})
	}
	jobs = append(jobs, func() (File, error) {
		f := newFile("resources")
		for _, op := range set.Client {
			g.clientOp(f, op)
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

// strOf converts the shapes value expr of member m to a string.
func strOf(m *model.Member, expr *jen.Statement) *jen.Statement {
	if m.Target.Kind == model.KindEnum {
		if plain(m, false) {
			return jen.String().Call(expr)
		}
		return jen.String().Call(jen.Id("deref").Call(expr))
	}
	if plain(m, false) {
		return expr
	}
	return jen.Id("deref").Call(expr)
}

// fromStr converts the string expr to the shapes type of member m.
func fromStr(m *model.Member, expr *jen.Statement) *jen.Statement {
	if m.Target.Kind == model.KindEnum {
		if plain(m, false) {
			return sh(m.Target.Name).Call(expr)
		}
		return jen.Id("ptr").Call(sh(m.Target.Name).Call(expr))
	}
	if plain(m, false) {
		return expr
	}
	return jen.Id("ptr").Call(expr)
}

func idField(name string) string { return "id" + name }

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
		val := strOf(m, expr.Clone())
		var body []jen.Code
		for _, gd := range guards {
			body = append(body, jen.If(gd).Block(jen.Return(jen.Lit(""))))
		}
		body = append(body, jen.Return(val))
		return jen.Block(body...), true
	}
	return nil, false
}

func isStringish(s *model.Shape) bool { return s.Kind == model.KindString || s.Kind == model.KindEnum }

func (g *resGen) resource(f *jen.File, r *resource.Resource) error {
	kind := r.Name
	var out *model.Shape
	if r.Describe != nil {
		out = r.Describe.Op.Output
	}
	// Type.
	doc := []string{fmt.Sprintf("%s is a SageMaker %s", kind, kind)}
	if out != nil {
		doc[0] += fmt.Sprintf(": the fields %s returns, and the client that fetched them.", r.Describe.Op.Name)
	} else {
		doc[0] += ": the model has no Describe operation for it, so it holds its identifiers only."
	}
	if len(r.Identifiers) > 0 {
		var ids []string
		for _, id := range r.Identifiers {
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
	for _, id := range r.Identifiers {
		fields = append(fields, jen.Id(idField(id.Name)).String())
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
	if len(r.Identifiers) > 0 {
		name = jen.Id("r").Dot(idField(r.Identifiers[len(r.Identifiers)-1].Name))
	}
	f.Comment("ResourceName returns the identifier that names the resource (the last one when there are several).")
	f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("ResourceName").Params().String().Block(jen.Return(name))
	f.Line()
	if out != nil {
		if body, ok := access(out, r.ARN); ok {
			f.Comment("ResourceARN returns the resource's ARN, as last described.")
			f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("ResourceARN").Params().String().Add(body)
			f.Line()
		}
	}

	if r.Describe != nil {
		op := r.Describe.Op
		// Refresh.
		dict := jen.Dict{}
		for _, fl := range r.Describe.Fill {
			m := op.Input.Member(fl.Member)
			dict[jen.Id(naming.Exported(fl.Member))] = fromStr(m, jen.Id("r").Dot(idField(fl.FromID)))
		}
		f.Comment(fmt.Sprintf("Refresh describes the %s again (%s) and replaces its fields.", kind, op.Name))
		f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id("Refresh").Params(ctxParam(), optParam()).Error().Block(
			jen.Id("in").Op(":=").Add(sh(op.Input.Name)).Values(dict),
			jen.List(jen.Id("out"), jen.Err()).Op(":=").Id("r").Dot("c").Dot("api").Dot(op.Name).Call(jen.Id("ctx"), jen.Id("in").Dot("ToSDK").Call(), jen.Id("r").Dot("c").Dot("opts").Call(jen.Id("optFns")).Op("...")),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Id("wrap").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.Lit(op.Name), jen.Op("&").Id(rule), jen.Err())),
			),
			jen.Id("r").Dot(out.Name).Op("=").Op("*").Add(sh(out.Name+"FromSDK")).Call(jen.Id("out")),
			jen.Return(jen.Nil()),
		)
		f.Line()
		// Get.
		var params []jen.Code
		params = append(params, ctxParam())
		init := jen.Dict{jen.Id("c"): jen.Id("c")}
		var idNames []string
		for _, id := range r.Identifiers {
			p := lowerFirst(id.Name)
			if p == "type" {
				p = "typ"
			}
			params = append(params, jen.Id(p).String())
			init[jen.Id(idField(id.Name))] = jen.Id(p)
			idNames = append(idNames, p)
		}
		params = append(params, optParam())
		f.Comment(fmt.Sprintf("Get%s describes the %s with %s.", kind, kind, op.Name))
		f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id("Get"+kind).Params(params...).Params(jen.Op("*").Id(kind), jen.Error()).Block(
			jen.Id("r").Op(":=").Op("&").Id(kind).Values(init),
			jen.If(jen.Err().Op(":=").Id("r").Dot("Refresh").Call(jen.Id("ctx"), jen.Id("optFns").Op("...")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Return(jen.Id("r"), jen.Nil()),
		)
		f.Line()
	}

	for _, m := range r.Methods {
		switch {
		case m.Kind == resource.KindCreate:
			g.create(f, r, m, rule)
		case m.Kind == resource.KindList && r.List != nil && r.List.Method == m:
			g.list(f, r, m)
		case m.Object:
			g.objectOp(f, r, m, rule)
		default:
			g.clientOp(f, m.Op)
		}
	}
	if r.List != nil && r.Describe != nil {
		g.fromSummary(f, r)
	}
	if r.Status != nil && out != nil {
		g.waits(f, r, out)
	}
	return nil
}

// opCall renders `out, err := c.api.Op(ctx, in, opts...)`.
func opCall(client *jen.Statement, op string, in jen.Code, optFns jen.Code) jen.Code {
	return jen.List(jen.Id("out"), jen.Err()).Op(":=").Add(client).Dot("api").Dot(op).Call(jen.Id("ctx"), in, client.Clone().Dot("opts").Call(optFns).Op("..."))
}

func (g *resGen) create(f *jen.File, r *resource.Resource, m *resource.Method, rule string) {
	op := m.Op
	kind := r.Name
	fn := op.Name
	f.Comment(fmt.Sprintf("%s validates req, calls %s and returns the new %s%s.", fn, op.Name, kind, map[bool]string{true: ", described", false: ""}[r.Describe != nil]))
	if r.Describe != nil {
		f.Comment("A Describe that answers \"not found\" right after the create is retried briefly: new resources take a moment to become visible.")
	}
	body := []jen.Code{}
	reqParam := jen.Id("req").Op("*").Add(sh(op.Input.Name))
	body = append(body,
		jen.If(jen.Id("req").Op("==").Nil()).Block(jen.Id("req").Op("=").Op("&").Add(sh(op.Input.Name)).Values()),
		jen.If(jen.Err().Op(":=").Id("req").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
	)
	init := jen.Dict{jen.Id("c"): jen.Id("c")}
	needOut := false
	complete := true
	for _, id := range r.Identifiers {
		if im := op.Input.Member(id.Name); im != nil && isStringish(im.Target) {
			init[jen.Id(idField(id.Name))] = strOf(im, jen.Id("req").Dot(naming.Exported(id.Name)))
		} else if op.Output != nil && op.Output.Member(id.Name) != nil && isStringish(op.Output.Member(id.Name).Target) {
			om := op.Output.Member(id.Name)
			init[jen.Id(idField(id.Name))] = strOf(om, jen.Id("res").Dot(naming.Exported(id.Name)))
			needOut = true
		} else {
			complete = false
		}
	}
	// A creation token in a tag lets a create retried after a lost
	// response adopt the resource it made (see docs/resources.md).
	_, hasARN := access(nonNil(r.Describe), r.ARN)
	tags := op.Input.Member("Tags")
	adopt := r.Describe != nil && complete && !needOut && hasARN && tags != nil && tags.Target.Kind == model.KindList &&
		tags.Target.ListMember.Target.Name == "Tag"
	body = append(body, jen.Id("in").Op(":=").Id("req").Dot("ToSDK").Call())
	if adopt {
		body = append(body,
			jen.Id("token").Op(":=").Id("c").Dot("creationToken").Call(),
			jen.If(jen.Id("token").Op("!=").Lit("").Op("&&").Add(tagRoom(tags))).Block(
				jen.Id("in").Dot("Tags").Op("=").Append(jen.Qual("slices", "Clip").Call(jen.Id("in").Dot("Tags")), jen.Id("tokenTag").Call(jen.Id("token"))),
			))
	}
	body = append(body, opCall(jen.Id("c"), op.Name, jen.Id("in"), jen.Id("optFns")))
	name := jen.Lit("")
	if len(r.Identifiers) > 0 {
		if im := op.Input.Member(r.Identifiers[len(r.Identifiers)-1].Name); im != nil && isStringish(im.Target) {
			name = strOf(im, jen.Id("req").Dot(naming.Exported(im.Name)))
		}
	}
	onErr := []jen.Code{}
	if adopt {
		onErr = append(onErr, jen.If(jen.Id("token").Op("!=").Lit("").Op("&&").Id("isAlreadyExists").Call(jen.Err())).Block(
			jen.Id("r").Op(":=").Op("&").Id(kind).Values(init),
			jen.If(jen.Id("r").Dot("Refresh").Call(jen.Id("ctx"), jen.Id("optFns").Op("...")).Op("==").Nil().Op("&&").
				Id("c").Dot("ownedBy").Call(jen.Id("ctx"), jen.Id("r").Dot("ResourceARN").Call(), jen.Id("token"), jen.Id("optFns"))).Block(
				jen.Return(jen.Id("r"), jen.Nil()),
			),
		))
	}
	onErr = append(onErr, jen.Return(jen.Nil(), jen.Id("wrap").Call(jen.Lit(kind), name, jen.Lit(op.Name), jen.Nil(), jen.Err())))
	body = append(body, jen.If(jen.Err().Op("!=").Nil()).Block(onErr...))
	if needOut {
		body = append(body, jen.Id("res").Op(":=").Add(sh(op.Output.Name+"FromSDK")).Call(jen.Id("out")))
	}
	body = append(body, jen.Id("r").Op(":=").Op("&").Id(kind).Values(init))
	// A resource named by "name or ARN" whose create took no name (a
	// versioned ModelPackage) is found by the ARN the create returns.
	usedOut := needOut
	if len(r.Identifiers) == 1 && len(r.ARN) == 1 && op.Output != nil {
		id := r.Identifiers[0]
		if im := op.Input.Member(id.Name); im != nil && !im.Required {
			if om := op.Output.Member(r.ARN[0]); om != nil && om.Target.Kind == model.KindString {
				body = append(body, jen.If(jen.Id("r").Dot(idField(id.Name)).Op("==").Lit("")).Block(
					jen.Id("r").Dot(idField(id.Name)).Op("=").Id("deref").Call(jen.Id("out").Dot(sdkFieldName(r.ARN[0])))))
				usedOut = true
			}
		}
	}
	if !usedOut {
		body = append(body, jen.Id("_").Op("=").Id("out"))
	}
	if r.Describe != nil && complete {
		body = append(body,
			jen.If(jen.Err().Op(":=").Id("c").Dot("settleDescribe").Call(jen.Id("ctx"), jen.Func().Params().Error().Block(
				jen.Return(jen.Id("r").Dot("Refresh").Call(jen.Id("ctx"), jen.Id("optFns").Op("..."))),
			)), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("r"), jen.Err())),
		)
	}
	body = append(body, jen.Return(jen.Id("r"), jen.Nil()))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(fn).Params(ctxParam(), reqParam, optParam()).Params(jen.Op("*").Id(kind), jen.Error()).Block(body...)
	f.Line()
}

// tagRoom renders the check that one more tag fits the member's limit.
func tagRoom(tags *model.Member) jen.Code {
	if c := tags.Effective(); c.MaxLength != nil {
		return jen.Len(jen.Id("in").Dot("Tags")).Op("<").Lit(int(*c.MaxLength))
	}
	return jen.True()
}

func nonNil(m *resource.Method) *model.Shape {
	if m == nil || m.Op.Output == nil {
		return &model.Shape{}
	}
	return m.Op.Output
}

func (g *resGen) list(f *jen.File, r *resource.Resource, m *resource.Method) {
	op := m.Op
	l := r.List
	item := l.Summary
	itemT := jen.Op("*").Add(sh(item.Name))
	conv := func(src jen.Code) jen.Code { return sh(item.Name + "FromSDK").Call(src) }
	if item.Kind != model.KindStructure {
		itemT = baseTypeQual(item)
	}
	f.Comment(fmt.Sprintf("%s lists %s summaries with %s, following every page; req may be nil.", op.Name, r.Name, op.Name))
	f.Comment("It makes no Describe call per item: use " + r.Name + "FromSummary for the full resource.")
	inDecl := []jen.Code{
		jen.Id("o").Op(":=").Id("listOpts").Call(jen.Id("opts")),
	}
	if op.Input != nil {
		inDecl = append(inDecl,
			jen.Id("in").Op(":=").Op("&").Qual(sdkPath, op.Name+"Input").Values(),
			jen.If(jen.Id("req").Op("!=").Nil()).Block(
				jen.If(jen.Err().Op(":=").Id("req").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(
					jen.Return(jen.Func().Params(jen.Id("yield").Func().Params(itemT.Clone(), jen.Error()).Bool()).Block(
						jen.Id("yield").Call(jen.Nil(), jen.Err()),
					)),
				),
				jen.Id("in").Op("=").Id("req").Dot("ToSDK").Call(),
			),
		)
		if l.Limit != "" {
			inDecl = append(inDecl, jen.If(jen.Id("o").Dot("pageSize").Op("!=").Nil()).Block(
				jen.Id("in").Dot(sdkFieldName(l.Limit)).Op("=").Id("o").Dot("pageSize"),
			))
		}
	} else {
		inDecl = append(inDecl, jen.Id("in").Op(":=").Op("&").Qual(sdkPath, op.Name+"Input").Values())
	}
	fetchBody := []jen.Code{}
	if l.Token != "" {
		fetchBody = append(fetchBody, jen.Id("in").Dot(sdkFieldName(l.Token)).Op("=").Id("token"))
	} else {
		fetchBody = append(fetchBody, jen.Id("_").Op("=").Id("token"))
	}
	fetchBody = append(fetchBody,
		jen.List(jen.Id("out"), jen.Err()).Op(":=").Id("c").Dot("api").Dot(op.Name).Call(jen.Id("ctx"), jen.Id("in"), jen.Id("c").Dot("opts").Call(jen.Id("o").Dot("sdk")).Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Id("wrap").Call(jen.Lit(r.Name), jen.Lit(""), jen.Lit(op.Name), jen.Nil(), jen.Err()))),
		jen.Id("items").Op(":=").Make(jen.Index().Add(itemT.Clone()), jen.Len(jen.Id("out").Dot(sdkFieldName(l.Items)))),
	)
	if item.Kind == model.KindStructure {
		fetchBody = append(fetchBody, jen.For(jen.Id("i").Op(":=").Range().Id("out").Dot(sdkFieldName(l.Items))).Block(
			jen.Id("items").Index(jen.Id("i")).Op("=").Add(conv(jen.Op("&").Id("out").Dot(sdkFieldName(l.Items)).Index(jen.Id("i")))),
		))
	} else {
		fetchBody = append(fetchBody, jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Id("out").Dot(sdkFieldName(l.Items))).Block(
			jen.Id("items").Index(jen.Id("i")).Op("=").Add(baseTypeQual(item)).Call(jen.Id("v")),
		))
	}
	next := jen.Nil()
	if l.Token != "" {
		next = jen.Id("out").Dot(sdkFieldName(l.Token))
	}
	fetchBody = append(fetchBody, jen.Return(jen.Id("items"), next, jen.Nil()))
	body := append(inDecl, jen.Return(jen.Id("pages").Call(jen.Id("ctx"), jen.Id("o"),
		jen.Func().Params(ctxParam(), jen.Id("token").Op("*").String()).Params(jen.Index().Add(itemT.Clone()), jen.Op("*").String(), jen.Error()).Block(fetchBody...))))
	var reqT jen.Code = jen.Id("req").Op("*").Add(sh(op.Input.Name))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(op.Name).Params(ctxParam(), reqT, jen.Id("opts").Op("...").Id("ListOption")).
		Qual("iter", "Seq2").Types(itemT.Clone(), jen.Error()).Block(body...)
	f.Line()
}

// baseTypeQual is baseType for a scalar shape in package resources.
func baseTypeQual(s *model.Shape) *jen.Statement {
	if s.Kind == model.KindEnum {
		return sh(s.Name)
	}
	return baseType(s)
}

func (g *resGen) fromSummary(f *jen.File, r *resource.Resource) {
	sum := r.List.Summary
	if sum.Kind != model.KindStructure {
		return
	}
	var args []jen.Code
	for _, id := range r.Identifiers {
		sm := sum.Member(id.Name)
		if sm == nil || !isStringish(sm.Target) {
			return
		}
		args = append(args, strOf(sm, jen.Id("s").Dot(naming.Exported(id.Name))))
	}
	if len(args) == 0 {
		return
	}
	f.Comment(fmt.Sprintf("%sFromSummary describes the %s a list summary names: one call.", r.Name, r.Name))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(r.Name+"FromSummary").Params(ctxParam(), jen.Id("s").Op("*").Add(sh(sum.Name)), optParam()).Params(jen.Op("*").Id(r.Name), jen.Error()).Block(
		jen.If(jen.Id("s").Op("==").Nil()).Block(jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit("resources: nil summary")))),
		jen.Return(jen.Id("c").Dot("Get"+r.Name).Call(append(append([]jen.Code{jen.Id("ctx")}, args...), jen.Id("optFns").Op("..."))...)),
	)
	f.Line()
}

// objectOp emits a method on the resource value; the identifiers of its
// input come from the resource.
func (g *resGen) objectOp(f *jen.File, r *resource.Resource, m *resource.Method, rule string) {
	op := m.Op
	kind := r.Name
	filled := map[string]bool{}
	for _, fl := range m.Fill {
		filled[fl.Member] = true
	}
	extra := false
	for _, mem := range op.Input.Members {
		if !filled[mem.Name] {
			extra = true
		}
	}
	params := []jen.Code{ctxParam()}
	body := []jen.Code{}
	if extra {
		params = append(params, jen.Id("req").Op("*").Add(sh(op.Input.Name)))
		body = append(body,
			jen.If(jen.Id("req").Op("==").Nil()).Block(jen.Id("req").Op("=").Op("&").Add(sh(op.Input.Name)).Values()),
			jen.Id("in").Op(":=").Op("*").Id("req").Comment("a copy: the caller's request is left as it was"),
		)
	} else {
		body = append(body, jen.Id("in").Op(":=").Add(sh(op.Input.Name)).Values())
	}
	arnExpr := func() jen.Code { return jen.Id("r").Dot("ResourceARN").Call() }
	for _, fl := range m.Fill {
		mem := op.Input.Member(fl.Member)
		var src *jen.Statement
		if fl.ARN {
			src = jen.Add(arnExpr())
		} else {
			src = jen.Id("r").Dot(idField(fl.FromID))
		}
		body = append(body, jen.Id("in").Dot(naming.Exported(fl.Member)).Op("=").Add(fromStr(mem, src)))
	}
	body = append(body,
		jen.If(jen.Err().Op(":=").Id("in").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(retErr(op, nil, jen.Err())...),
		opCall(jen.Id("r").Dot("c"), op.Name, jen.Id("in").Dot("ToSDK").Call(), jen.Id("optFns")),
		jen.If(jen.Err().Op("!=").Nil()).Block(retErr(op, nil, jen.Id("wrap").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.Lit(op.Name), jen.Op("&").Id(rule), jen.Err()))...),
	)
	if m.Kind == resource.KindUpdate && r.Describe != nil {
		body = append(body, jen.If(jen.Err().Op(":=").Id("r").Dot("Refresh").Call(jen.Id("ctx"), jen.Id("optFns").Op("...")), jen.Err().Op("!=").Nil()).Block(
			retErr(op, jen.Id("out"), jen.Err())...))
	}
	if op.Output != nil {
		body = append(body, jen.Return(sh(op.Output.Name+"FromSDK").Call(jen.Id("out")), jen.Nil()))
	} else {
		body = append(body, jen.Id("_").Op("=").Id("out"), jen.Return(jen.Nil()))
	}
	what := map[string]string{
		resource.KindUpdate: "and then refreshes the resource",
		resource.KindDelete: "(wait with WaitForDelete where the resource has one)",
	}[m.Kind]
	doc := fmt.Sprintf("%s calls %s on this %s", m.Name, op.Name, kind)
	if what != "" {
		doc += " " + what
	}
	if extra {
		doc += "; the identifiers in req are set from the resource"
	}
	f.Comment(doc + ".")
	params = append(params, optParam())
	f.Func().Params(jen.Id("r").Op("*").Id(kind)).Id(m.Name).Params(params...).Add(results(op)).Block(body...)
	f.Line()
}

// results renders an operation method's results.
func results(op *model.Operation) jen.Code {
	if op.Output == nil {
		return jen.Error()
	}
	return jen.Params(jen.Op("*").Add(sh(op.Output.Name)), jen.Error())
}

func retErr(op *model.Operation, outConv jen.Code, err jen.Code) []jen.Code {
	if op.Output == nil {
		return []jen.Code{jen.Return(err)}
	}
	if outConv != nil {
		return []jen.Code{jen.Return(sh(op.Output.Name+"FromSDK").Call(outConv), err)}
	}
	return []jen.Code{jen.Return(jen.Nil(), err)}
}

// clientOp emits a plain client method for an operation.
func (g *resGen) clientOp(f *jen.File, op *model.Operation) {
	params := []jen.Code{ctxParam()}
	body := []jen.Code{}
	in := jen.Op("&").Qual(sdkPath, op.Name+"Input").Values()
	if op.Input != nil {
		params = append(params, jen.Id("req").Op("*").Add(sh(op.Input.Name)))
		body = append(body,
			jen.If(jen.Id("req").Op("==").Nil()).Block(jen.Id("req").Op("=").Op("&").Add(sh(op.Input.Name)).Values()),
			jen.If(jen.Err().Op(":=").Id("req").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(retErr(op, nil, jen.Err())...),
		)
		in = jen.Id("req").Dot("ToSDK").Call()
	}
	params = append(params, optParam())
	body = append(body,
		opCall(jen.Id("c"), op.Name, in, jen.Id("optFns")),
		jen.If(jen.Err().Op("!=").Nil()).Block(retErr(op, nil, jen.Id("wrap").Call(jen.Lit(""), jen.Lit(""), jen.Lit(op.Name), jen.Nil(), jen.Err()))...),
	)
	if op.Output != nil {
		body = append(body, jen.Return(sh(op.Output.Name+"FromSDK").Call(jen.Id("out")), jen.Nil()))
	} else {
		body = append(body, jen.Id("_").Op("=").Id("out"), jen.Return(jen.Nil()))
	}
	f.Comment(fmt.Sprintf("%s validates req and calls %s.", op.Name, op.Name))
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
	run := func(done jen.Code) jen.Code {
		return jen.List(jen.Id("_"), jen.Err()).Op(":=").Qual(waitersPath, "Wait").Call(jen.Id("ctx"),
			jen.Qual(waitersPath, "Spec").Values(jen.Dict{jen.Id("Kind"): jen.Lit(kind), jen.Id("Name"): jen.Id("r").Dot("ResourceName").Call(), jen.Id("Done"): done}),
			jen.Id("r").Dot("poll"), jen.Id("opts").Op("..."))
	}
	if r.IsJob() {
		f.Comment(fmt.Sprintf("Wait polls until the %s reaches a terminal status. Failed gives a *waiters.FailedError with the", kind))
		f.Comment("failure reason; Stopped is a success unless waiters.WithStoppedAsError is given.")
		f.Func().Params(recv.Clone()).Id("Wait").Params(ctxParam(), waitOpts).Error().Block(
			run(jen.Qual(waitersPath, "UntilTerminal").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.Id(cls), jen.Qual(waitersPath, "StoppedIsError").Call(jen.Id("opts")))),
			jen.Return(jen.Err()),
		)
		f.Line()
	}
	f.Comment(fmt.Sprintf("WaitForStatus polls until the %s's status is target; a failed status on the way is an error.", kind))
	f.Func().Params(recv.Clone()).Id("WaitForStatus").Params(ctxParam(), jen.Id("target").Add(sh(r.Status.Enum.Name)), waitOpts).Error().Block(
		run(jen.Qual(waitersPath, "UntilStatus").Call(jen.Lit(kind), jen.Id("r").Dot("ResourceName").Call(), jen.String().Call(jen.Id("target")), jen.Id(cls))),
		jen.Return(jen.Err()),
	)
	f.Line()
	if r.Method(resource.KindDelete) != nil {
		f.Comment(fmt.Sprintf("WaitForDelete polls until the %s is gone (not found by its own rule); a delete-failed status gives a *waiters.DeleteFailedError.", kind))
		f.Func().Params(recv.Clone()).Id("WaitForDelete").Params(ctxParam(), waitOpts).Error().Block(
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
	f.Comment("capped at a minute. Its error acceptor uses the resource's not-found rule (see docs/waiters.md).")
	f.Func().Params(jen.Id("r").Op("*").Id(r.Name)).Id(name).Params(ctxParam(), jen.Id("opts").Op("...").Qual(waitersPath, "Option")).Error().Block(
		jen.Id("opts").Op("=").Append(jen.Index().Qual(waitersPath, "Option").Values(jen.Qual(waitersPath, "WithDelays").Call(
			jen.Lit(w.MinDelay).Op("*").Qual("time", "Second"), jen.Lit(maxDelay).Op("*").Qual("time", "Second"))), jen.Id("opts").Op("...")),
		run(done),
		jen.Return(jen.Err()),
	)
	f.Line()
}
