package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/smcore-go/smcore/gen/plan"
)

// helperFile renders zz_conv.go: the list and map conversions the plan
// lists (plan.Helper), in its order (by name).
func helperFile(helpers []*plan.Helper) (File, error) {
	f := newFile("shapes")
	f.Comment("List and map conversions for ToSDK and FromSDK, one per element type;")
	f.Comment("nil stays nil, empty stays empty.")
	f.Line()
	for _, h := range helpers {
		f.Add(helperFunc(h))
		f.Line()
	}
	return render(plan.FileConv, f)
}

// helperFunc renders one helper: a copy of in converting each item (in[i])
// or value (v) with h.Elem.
func helperFunc(h *plan.Helper) *jen.Statement {
	loop := jen.For(jen.Id("i").Op(":=").Range().Id("in")).Block(jen.Id("out").Index(jen.Id("i")).Op("=").Add(conv(h.Elem, jen.Id("in").Index(jen.Id("i")))))
	if h.Map {
		loop = jen.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("in")).Block(jen.Id("out").Index(jen.Id("k")).Op("=").Add(conv(h.Elem, jen.Id("v"))))
	}
	return jen.Func().Id(h.Name).Params(jen.Id("in").Add(goType(h.In))).Add(goType(h.Out)).Block(
		jen.If(jen.Id("in").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Id("out").Op(":=").Make(goType(h.Out), jen.Len(jen.Id("in"))),
		loop,
		jen.Return(jen.Id("out")),
	)
}
