package plan

import (
	"fmt"
	"reflect"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/naming"
	"github.com/smcore-go/smcore/gen/sdkinfo"
)

// Conversions depend on the SDK's types as well as the model's: each
// member converts to the exact type of its SDK field, and a member the SDK
// lacks or types differently gets none (listed in SDKMissing).
//
// List and map conversions are package functions (Helper), one per element
// conversion, emitted once in zz_conv.go and called wherever that list or
// map type is converted. (A closure at every call site passed to a generic
// helper cost the compiler a function per site and an instantiation per
// element type; shapes compiles on the critical path of a program's build.)

// sdkName returns the SDK struct a structure converts to.
func (b *shapesBuilder) sdkName(s *model.Shape) string {
	if op := b.opIn[s]; op != nil {
		return "sagemaker." + op.Name + "Input"
	}
	if op := b.opOut[s]; op != nil {
		return "sagemaker." + op.Name + "Output"
	}
	return "types." + s.Name
}

// matchSDK decides which shapes get conversions: those the SDK has.
func (b *shapesBuilder) matchSDK(shapes []*model.Shape) {
	for _, s := range shapes {
		switch s.Kind {
		case model.KindStructure:
			if st := b.sdk.Structs[b.sdkName(s)]; st != nil {
				b.sdkOf[s] = st
				b.conv[s] = true
			} else if b.sdk.Unions["types."+s.Name] != nil {
				b.asUnion[s] = true
				b.conv[s] = true
			} else {
				b.missing("%s: no SDK type %s", s.Name, b.sdkName(s))
			}
		case model.KindUnion:
			if b.sdk.Unions["types."+s.Name] != nil {
				b.conv[s] = true
			} else {
				b.missing("%s: no SDK union types.%s", s.Name, s.Name)
			}
		case model.KindEnum:
			if b.sdk.Enums["types."+s.Name] == nil {
				b.missing("%s: no SDK enum types.%s", s.Name, s.Name)
			}
		}
	}
}

func (b *shapesBuilder) missing(format string, args ...any) {
	b.out.SDKMissing = append(b.out.SDKMissing, fmt.Sprintf(format, args...))
}

// conversions plans the SDK conversion of every member of ps. A member
// converts only when it converts both ways; its helpers join the package's
// only then.
func (b *shapesBuilder) conversions(ps *Shape) error {
	s := ps.Model
	if ps.Exclusive {
		u := b.sdk.Unions["types."+s.Name]
		for _, pm := range ps.Members {
			m := pm.Model
			um := u.Members[m.Name]
			if um == nil {
				b.missing("%s.%s: no SDK union member", s.Name, m.Name)
				continue
			}
			hs := map[string]*Helper{}
			ptr := !isRefKind(m.Target.Kind)
			to, err := b.toSDK(m.Target, ptr, false, um.Value, hs)
			if err == nil {
				var from Conv
				if from, err = b.fromSDK(m.Target, ptr, um.Value, hs); err == nil {
					if err := b.addHelpers(hs); err != nil {
						return err
					}
					pm.SDK = &MemberConv{SDKName: um.GoName, To: to, From: from}
					continue
				}
			}
			b.missing("%s.%s: %v", s.Name, m.Name, err)
		}
		return nil
	}
	st := b.sdkOf[s]
	for _, pm := range ps.Members {
		m := pm.Model
		fl := st.Field(naming.SDKField(m.Name))
		if fl == nil {
			b.missing("%s.%s: no field in SDK type %s", s.Name, m.Name, st.Name)
			continue
		}
		ptr := !Plain(m, false) && !isRefKind(m.Target.Kind)
		hs := map[string]*Helper{}
		// A required member is always sent; an idempotency token left unset
		// goes as nil, for the SDK to fill.
		to, err := b.toSDK(m.Target, ptr, m.Required && !m.IdempotencyToken, fl.Type, hs)
		if err == nil {
			var from Conv
			if from, err = b.fromSDK(m.Target, ptr, fl.Type, hs); err == nil {
				if err := b.addHelpers(hs); err != nil {
					return err
				}
				pm.SDK = &MemberConv{SDKName: fl.Name, To: to, From: from}
				continue
			}
		}
		b.missing("%s.%s: %v", s.Name, m.Name, err)
	}
	return nil
}

// addHelpers adds a member's helpers to the package's. The same name must
// always mean the same function; a model whose names break that fails here
// rather than converting wrongly.
func (b *shapesBuilder) addHelpers(hs map[string]*Helper) error {
	for name, h := range hs {
		if old, ok := b.helpers[name]; ok {
			if !reflect.DeepEqual(old, h) {
				return fmt.Errorf("conversion helper %s: two different functions have this name", name)
			}
			continue
		}
		b.helpers[name] = h
	}
	return nil
}

// helper records the helper converting list or map shape t from type in to
// type out item by item with elem (in hs, once), and returns the
// conversion calling it.
func helper(hs map[string]*Helper, name string, t *model.Shape, in, out *GoType, elem Conv) Conv {
	isMap := t.Kind == model.KindMap
	if _, ok := hs[name]; !ok {
		hs[name] = &Helper{Name: name, Map: isMap, In: in, Out: out, Elem: elem}
	}
	if isMap {
		return Conv{Form: ConvMap, Func: name}
	}
	return Conv{Form: ConvList, Func: name}
}

// sdkType is an SDK type as generated code spells it.
func sdkType(t *sdkinfo.Type) *GoType {
	switch t.Kind {
	case sdkinfo.Pointer:
		return &GoType{Kind: TypePointer, Elem: sdkType(t.Elem)}
	case sdkinfo.Slice:
		return &GoType{Kind: TypeSlice, Elem: sdkType(t.Elem)}
	case sdkinfo.Map:
		return &GoType{Kind: TypeMap, Key: sdkType(t.Key), Elem: sdkType(t.Elem)}
	case sdkinfo.Interface:
		return &GoType{Kind: TypeAny}
	}
	if t.Path == "" {
		switch t.Pkg {
		case "types":
			return &GoType{Name: t.Name, Path: SDKTypesPath}
		case sdkinfo.RootPkg:
			return &GoType{Name: t.Name, Path: SDKPath}
		}
		return &GoType{Name: t.Name}
	}
	return &GoType{Name: t.Name, Path: t.Path}
}

// unalias follows the SDK's type aliases (it declares int enums as
// `type X = int32`), which convert without a cast.
func (b *shapesBuilder) unalias(t *sdkinfo.Type) *sdkinfo.Type {
	for i := 0; i < 8 && t.Kind == sdkinfo.Named && t.Pkg == "types"; i++ {
		a := b.sdk.Aliases["types."+t.Name]
		if a == nil {
			break
		}
		t = a
	}
	return t
}

// errSkip marks a member whose SDK type does not fit; it is reported, not fatal.
type errSkip struct{ why string }

func (e errSkip) Error() string { return e.why }

func skip(format string, args ...any) error { return errSkip{fmt.Sprintf(format, args...)} }

// adapt is the wrap moving a value between pointer and value form. From a
// plain value to a pointer, the zero value becomes nil when zeroIsUnset
// (plain members hold the zero value only when unset).
func adapt(from, to, zeroIsUnset bool) Wrap {
	switch {
	case from == to:
		return WrapNone
	case from && !to:
		return WrapDeref
	case zeroIsUnset:
		return WrapNonZero
	}
	return WrapPtrOf
}

func starIf(ptr bool) Wrap {
	if ptr {
		return WrapStar
	}
	return WrapNone
}

// addrUnless is the operand of a method with a pointer receiver.
func addrUnless(ptr bool) Wrap {
	if ptr {
		return WrapNone
	}
	return WrapAddr
}

// toSDK plans converting our form of shape t (pointer when ptr) to SDK
// type want; keepZero sends a plain zero value (a required member is
// always sent, even empty). Helpers it calls go to hs.
func (b *shapesBuilder) toSDK(t *model.Shape, ptr, keepZero bool, want *sdkinfo.Type, hs map[string]*Helper) (Conv, error) {
	wantPtr := want.Kind == sdkinfo.Pointer
	base := want
	if wantPtr {
		base = want.Elem
	}
	base = b.unalias(base)
	switch t.Kind {
	case model.KindString, model.KindBoolean, model.KindInteger, model.KindLong, model.KindFloat, model.KindDouble:
		if base.Kind != sdkinfo.Named || base.Pkg != "" || base.Name != goBasic[t.Kind] {
			return Conv{}, skip("%s is %s in the SDK, %s in the model", t.Name, want, t.Kind)
		}
		return Conv{Form: ConvDirect, Result: adapt(ptr, wantPtr, !keepZero)}, nil
	case model.KindTimestamp:
		if base.Kind != sdkinfo.Named || base.Name != "Time" {
			return Conv{}, skip("%s is %s in the SDK, timestamp in the model", t.Name, want)
		}
		if !ptr && wantPtr && !keepZero {
			return Conv{Form: ConvDirect, Result: WrapNonZeroTime}, nil
		}
		return Conv{Form: ConvDirect, Result: adapt(ptr, wantPtr, false)}, nil
	case model.KindBlob:
		if want.Kind != sdkinfo.Slice || want.Elem.Name != "byte" {
			return Conv{}, skip("%s is %s in the SDK, blob in the model", t.Name, want)
		}
		return Conv{Form: ConvDirect}, nil
	case model.KindEnum:
		if base.Kind != sdkinfo.Named || base.Pkg != "types" || b.sdk.Enums["types."+base.Name] == nil {
			if base.Kind == sdkinfo.Named && base.Pkg == "" && base.Name == "string" {
				return Conv{Form: ConvEnumString, Type: &GoType{Name: "string"}, Arg: starIf(ptr), Result: adapt(false, wantPtr, !keepZero)}, nil
			}
			return Conv{}, skip("%s is %s in the SDK, enum in the model", t.Name, want)
		}
		return Conv{Form: ConvEnum, Type: &GoType{Name: base.Name, Path: SDKTypesPath}, Arg: starIf(ptr), Result: adapt(false, wantPtr, true)}, nil
	case model.KindStructure:
		if b.asUnion[t] {
			return b.unionToSDK(t.Name, false, ptr, want)
		}
		if !b.conv[t] || base.Kind != sdkinfo.Named || base.Name != b.sdkOf[t].Name {
			return Conv{}, skip("%s is %s in the SDK", t.Name, want)
		}
		c := Conv{Form: ConvStructure, Method: "ToSDK", Arg: addrUnless(ptr)}
		if !wantPtr {
			c.Result = WrapStar
		}
		return c, nil
	case model.KindUnion:
		return b.unionToSDK(t.Name, b.conv[t], ptr, want)
	case model.KindList:
		if want.Kind != sdkinfo.Slice {
			return Conv{}, skip("%s is %s in the SDK, list in the model", t.Name, want)
		}
		elem := t.ListMember.Target
		inner, err := b.toSDK(elem, addressed(elem), false, want.Elem, hs)
		if err != nil {
			return Conv{}, err
		}
		if inner.Identity() {
			return Conv{Form: ConvList}, nil // same Go type: share it
		}
		return helper(hs, b.helperName(t, want, "ToSDK"), t, baseType(t), sdkType(want), inner), nil
	case model.KindMap:
		if want.Kind != sdkinfo.Map {
			return Conv{}, skip("%s is %s in the SDK, map in the model", t.Name, want)
		}
		if want.Key.Name != "string" {
			return Conv{}, skip("%s has SDK key type %s", t.Name, want.Key)
		}
		elem := t.MapValue.Target
		inner, err := b.toSDK(elem, addressed(elem), false, want.Elem, hs)
		if err != nil {
			return Conv{}, err
		}
		if inner.Identity() {
			return Conv{Form: ConvMap}, nil
		}
		return helper(hs, b.helperName(t, want, "ToSDK"), t, baseType(t), sdkType(want), inner), nil
	}
	return Conv{}, skip("%s: %s members are not converted", t.Name, t.Kind)
}

// unionToSDK converts a union named name (or a structure the SDK models
// as one); known: the union has a conversion.
func (b *shapesBuilder) unionToSDK(name string, known, ptr bool, want *sdkinfo.Type) (Conv, error) {
	if !(known || b.sdk.Unions["types."+name] != nil) || want.Kind != sdkinfo.Named || want.Name != name {
		return Conv{}, skip("%s is %s in the SDK", name, want)
	}
	return Conv{Form: ConvUnion, Method: "ToSDK", Arg: addrUnless(ptr)}, nil
}

// fromSDK plans converting SDK type have to our form of shape t (pointer
// when ptr); helpers it calls go to hs.
func (b *shapesBuilder) fromSDK(t *model.Shape, ptr bool, have *sdkinfo.Type, hs map[string]*Helper) (Conv, error) {
	havePtr := have.Kind == sdkinfo.Pointer
	base := have
	if havePtr {
		base = have.Elem
	}
	base = b.unalias(base)
	switch t.Kind {
	case model.KindBlob:
		return Conv{Form: ConvDirect}, nil
	case model.KindString, model.KindBoolean, model.KindInteger, model.KindLong, model.KindFloat, model.KindDouble,
		model.KindTimestamp:
		return Conv{Form: ConvDirect, Result: adapt(havePtr, ptr, true)}, nil
	case model.KindEnum:
		c := Conv{Form: ConvEnum, Type: &GoType{Name: t.Name}, Arg: starIf(havePtr), Result: adapt(false, ptr, true)}
		if base.Pkg == "" && base.Name == "string" {
			c.Form = ConvEnumString
			if havePtr {
				c.Arg = WrapDeref
			}
		}
		return c, nil
	case model.KindStructure:
		if b.asUnion[t] {
			return unionFromSDK(t.Name, ptr), nil
		}
		c := Conv{Form: ConvStructure, Func: t.Name + "FromSDK", Arg: addrUnless(havePtr)}
		switch {
		case ptr:
		case !havePtr: // the argument is an address, so the result is never nil
			c.Result = WrapStar
		default:
			c.Result = WrapDeref
		}
		return c, nil
	case model.KindUnion:
		return unionFromSDK(t.Name, ptr), nil
	case model.KindList:
		inner, err := b.fromSDK(t.ListMember.Target, false, have.Elem, hs)
		if err != nil {
			return Conv{}, err
		}
		if inner.Identity() {
			return Conv{Form: ConvList}, nil
		}
		return helper(hs, b.helperName(t, have, "FromSDK"), t, sdkType(have), baseType(t), inner), nil
	case model.KindMap:
		inner, err := b.fromSDK(t.MapValue.Target, false, have.Elem, hs)
		if err != nil {
			return Conv{}, err
		}
		if inner.Identity() {
			return Conv{Form: ConvMap}, nil
		}
		return helper(hs, b.helperName(t, have, "FromSDK"), t, sdkType(have), baseType(t), inner), nil
	}
	return Conv{}, skip("%s: %s members are not converted", t.Name, t.Kind)
}

func unionFromSDK(name string, ptr bool) Conv {
	c := Conv{Form: ConvUnion, Func: name + "FromSDK"}
	if !ptr {
		c.Result = WrapDeref
	}
	return c
}

// addressed reports whether toSDK may treat a list item or map value of
// shape t as a pointer: structures and unions, whose ToSDK has a pointer
// receiver, are called on the addressable element itself.
func addressed(t *model.Shape) bool {
	return t.Kind == model.KindStructure || t.Kind == model.KindUnion
}

// helperName names the helper converting list or map shape t to or from
// SDK type sdk (dir is "ToSDK" or "FromSDK"): "slice" or "map", lower case,
// for each level of nesting, outermost first; the Go name of the items
// (capitalised); "Ptr" if the SDK holds pointers; "As" and the SDK's type
// name if that differs from ours; dir. For example sliceTagToSDK for []Tag
// and mapsliceAutoMLContainerDefinitionFromSDK for
// map[string][]AutoMLContainerDefinition. addHelpers rejects a collision.
func (b *shapesBuilder) helperName(t *model.Shape, sdk *sdkinfo.Type, dir string) string {
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
	if u := b.unalias(sdk); u.Kind == sdkinfo.Named && u.Name != goName {
		name += "As" + naming.Exported(u.Name)
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
	return n, naming.Exported(n)
}
