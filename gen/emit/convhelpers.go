package emit

import (
	"fmt"
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/sdkinfo"
)

// List and map conversions are package functions, one per element
// conversion, emitted once in zz_conv.go and called wherever that list or
// map type is converted. (A closure at every call site passed to a generic
// helper cost the compiler a function per site and an instantiation per
// element type; shapes compiles on the critical path of a program's build.)

// helper is one function of zz_conv.go.
type helper struct {
	code *jen.Statement
	src  string // rendered, to tell a repeat from a name collision
}

// helperSet holds the helpers one member's conversions call; they join the
// package's only when the member converts both ways.
type helperSet map[string]helper

// sliceElem and mapElem are how a helper's conversion reads the item; each
// call gives a fresh statement, since jen's Dot and Call extend their receiver.
func sliceElem() *jen.Statement { return jen.Id("in").Index(jen.Id("i")) }
func mapElem() *jen.Statement   { return jen.Id("v") }

func sameExpr(a, b *jen.Statement) bool { return fmt.Sprintf("%#v", a) == fmt.Sprintf("%#v", b) }

// call records helper name, converting a list (or, with isMap, a map) of
// type from to type to item by item with conv, and returns the call on x.
func (hs helperSet) call(name string, x *jen.Statement, isMap bool, from, to, conv *jen.Statement) *jen.Statement {
	if _, ok := hs[name]; !ok {
		loop := jen.For(jen.Id("i").Op(":=").Range().Id("in")).Block(jen.Id("out").Index(jen.Id("i")).Op("=").Add(conv))
		if isMap {
			loop = jen.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("in")).Block(jen.Id("out").Index(jen.Id("k")).Op("=").Add(conv))
		}
		code := jen.Func().Id(name).Params(jen.Id("in").Add(from)).Add(to.Clone()).Block(
			jen.If(jen.Id("in").Op("==").Nil()).Block(jen.Return(jen.Nil())),
			jen.Id("out").Op(":=").Make(to.Clone(), jen.Len(jen.Id("in"))),
			loop,
			jen.Return(jen.Id("out")),
		)
		hs[name] = helper{code: code, src: fmt.Sprintf("%#v", code)}
	}
	return jen.Id(name).Call(x)
}

// addHelpers adds a member's helpers to the package's. The same name must
// always mean the same function; a model whose names break that fails here
// rather than converting wrongly.
func (g *shapesGen) addHelpers(hs helperSet) error {
	g.helpersMu.Lock()
	defer g.helpersMu.Unlock()
	for name, h := range hs {
		if old, ok := g.helpers[name]; ok {
			if old.src != h.src {
				return fmt.Errorf("conversion helper %s: two different functions have this name", name)
			}
			continue
		}
		g.helpers[name] = h
	}
	return nil
}

// helperName names the helper converting list or map shape t to or from
// SDK type sdk (dir is "ToSDK" or "FromSDK"): "slice" or "map", lower case,
// for each level of nesting, outermost first; the Go name of the items
// (capitalised); "Ptr" if the SDK holds pointers; "As" and the SDK's type
// name if that differs from ours; dir. For example sliceTagToSDK for []Tag
// and mapsliceAutoMLContainerDefinitionFromSDK for
// map[string][]AutoMLContainerDefinition. addHelpers rejects a collision.
func (g *shapesGen) helperName(t *model.Shape, sdk *sdkinfo.Type, dir string) string {
	name := ""
	for t.Kind == model.KindList || t.Kind == model.KindMap {
		if t.Kind == model.KindList {
			name, t = name+"slice", t.ListMember.Target
		} else {
			name, t = name+"map", t.MapValue.Target
		}
		sdk = sdk.Elem
	}
	goName, token := leafName(t)
	name += token
	if sdk.Kind == sdkinfo.Pointer {
		name, sdk = name+"Ptr", sdk.Elem
	}
	if u := g.unalias(sdk); u.Kind == sdkinfo.Named && u.Name != goName {
		name += "As" + upperFirst(u.Name)
	}
	return name + dir
}

// leafName is the Go type name of the items of a list or map shape, and
// its capitalised form for helper names.
func leafName(t *model.Shape) (goName, token string) {
	switch t.Kind {
	case model.KindEnum, model.KindStructure, model.KindUnion:
		return t.Name, t.Name
	case model.KindTimestamp:
		return "Time", "Time"
	case model.KindBlob:
		return "", "Bytes"
	case model.KindDocument:
		return "RawMessage", "RawMessage"
	}
	n := goBasic[t.Kind]
	return n, upperFirst(n)
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// helperFile renders zz_conv.go: the helpers sorted by name.
func (g *shapesGen) helperFile() (File, error) {
	names := make([]string, 0, len(g.helpers))
	for n := range g.helpers {
		names = append(names, n)
	}
	slices.Sort(names)
	f := newFile("shapes")
	f.Comment("List and map conversions for ToSDK and FromSDK, one per element type;")
	f.Comment("nil stays nil, empty stays empty.")
	f.Line()
	for _, n := range names {
		f.Add(g.helpers[n].code)
		f.Line()
	}
	return render("zz_conv.go", f)
}
