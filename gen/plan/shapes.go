package plan

import (
	"fmt"
	"maps"
	"slices"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/naming"
	"github.com/smcore-go/smcore/gen/resource"
	"github.com/smcore-go/smcore/gen/sdkinfo"
)

// The SDK's packages, as the generated code imports them.
const (
	SDKPath      = sdkinfo.ModulePath
	SDKTypesPath = SDKPath + "/types"
)

// The fixed files of package shapes beside the layout's (layout.go).
const (
	FileModel      = "zz_model.go"       // the model record and the pattern table
	FileConv       = "zz_conv.go"        // the list and map conversions
	FileShapesTest = "zz_shapes_test.go" // the test table
)

// Shapes is the plan of package shapes: every type, field, tag, doc
// comment, validation check, SDK conversion, helper function and file,
// decided once after the model transforms, so that the shapes emitter only
// renders. BuildShapes makes it.
type Shapes struct {
	Model ModelInfo
	// Shapes are the emitted structures, unions and enums, sorted by name.
	Shapes  []*Shape
	ByModel map[*model.Shape]*Shape
	// Files are the shape files, sorted by name, each with its shapes in
	// the order they are written.
	Files []*ShapeFile
	// Tests are the parts of the test table (generatedShapes).
	Tests []*TestPart
	// Patterns is the pattern table; Check.Pattern indexes it.
	Patterns []Pattern
	// Helpers are the list and map conversions of FileConv, sorted by name.
	Helpers []*Helper

	// BadPatterns are the patterns Go's regexp cannot compile even after
	// translation (not checked); LoosenedPatterns those whose repeat counts
	// were made open-ended; SDKMissing the shapes and members that get no
	// conversion, sorted.
	BadPatterns, LoosenedPatterns, SDKMissing []string
	// Counts of what is emitted.
	Structures, Unions, Enums, Conversions int
}

// ModelInfo is what the generated model record says of the model.
type ModelInfo struct {
	Format, SHA256, APIVersion string
	Operations                 int
}

// ShapeKind is what a generated type is.
type ShapeKind int

const (
	ShapeStructure ShapeKind = iota
	ShapeUnion
	ShapeEnum
)

// Shape is one generated type.
type Shape struct {
	Model *model.Shape
	Name  string // Go type name
	Kind  ShapeKind
	File  string
	Doc   []string // doc comment lines

	// Structures and unions.
	Members []*Member
	// Exclusive: at most one member may be set and every member is a
	// pointer — a union, or a structure the SDK models as one
	// (TrialComponentParameterValue). Only a union's Validate counts them.
	Exclusive bool
	// Validates: the shape or a member has a rule, so it has a validate
	// method; otherwise Validate returns nil.
	Validates bool
	// Sensitive: the shape holds a sensitive member at any depth, so it
	// gets String and GoString that redact.
	Sensitive bool
	// SDK is the SDK type the shape converts to and from; nil when it has
	// no conversion. Its conversion is a union's when Exclusive.
	SDK *GoType

	// Enums: the constants in model order, each value once.
	Consts []EnumConst
}

// EnumConst is one constant of an enum.
type EnumConst struct {
	Name, Value string
}

// Member is one field of a structure or union.
type Member struct {
	Model *model.Member
	Name  string // model name: the JSON key and the name in validation paths
	Field string // Go field name
	Type  *GoType
	// JSON is the json tag: the name, with ",omitzero" unless the member
	// is required and plain (then it is always written).
	JSON      string
	Sensitive bool // tagged smcore:"sensitive"; redacted in String and errors
	Doc       []string

	// Presence is how validate tells the member is set; Rule when it is
	// checked; Checks the checks of a set value (may be empty).
	Presence Presence
	Rule     Rule
	Checks   []Check

	// SDK is the member's conversion; nil when it has none (the SDK lacks
	// the field or types it differently; listed in SDKMissing).
	SDK *MemberConv
}

// Presence is how validate tests that a member is set.
type Presence int

const (
	PresentNonEmpty Presence = iota // a plain string or enum: != ""
	PresentNonZero                  // a plain timestamp: IsZero() == false
	PresentNonNil                   // a list, map, blob, document, structure or union: != nil
	PresentPointer                  // a pointer to a scalar: != nil, and checks read *field
)

// Rule is when validate checks a member.
type Rule int

const (
	// RuleOptional: checked when set. Also a required idempotency token,
	// which the SDK fills when empty.
	RuleOptional Rule = iota
	// RuleRequired: reported missing when unset, else checked.
	RuleRequired
	// RuleAlways: required, but its zero value is valid (EmptyAllowed):
	// always checked, never missing.
	RuleAlways
)

// CheckKind is one kind of validation check; each is a call of the
// hand-written validator in package shapes.
type CheckKind int

const (
	CheckString  CheckKind = iota // v.str: length in code points and pattern
	CheckEnum                     // checkEnum: a value the enum lists
	CheckInt                      // v.intRange
	CheckFloat                    // v.floatRange
	CheckCount                    // v.count: length of a list, map or blob
	CheckNested                   // value.validate: a structure or union with rules
	CheckItems                    // every item of a list
	CheckEntries                  // every entry of a map, in key order
)

// Check is one validation check of a value.
type Check struct {
	Kind CheckKind
	// CheckString and CheckCount: length bounds (nil: no limit).
	MinLen, MaxLen *int64
	// CheckString: slot in Shapes.Patterns, -1 for none; Sensitive keeps
	// the value out of the message; AsString: the value is an enum, read
	// as its string.
	Pattern   int
	Sensitive bool
	AsString  bool
	// CheckInt and CheckFloat: range bounds (nil: open).
	Min, Max *float64
	// CheckItems: the checks of each item.
	Items []Check
	// CheckEntries: the checks of each key and value. KeyEnum is the enum
	// type of the keys (map keys are plain strings in Go); CopyValue: the
	// values are structures or unions, checked on a copy since map values
	// are not addressable.
	Key, Value []Check
	KeyEnum    string
	CopyValue  bool
}

// TypeKind is the form of a Go type.
type TypeKind int

const (
	TypeNamed   TypeKind = iota // Path.Name, or a builtin or a type of package shapes when Path is ""
	TypePointer                 // *Elem
	TypeSlice                   // []Elem
	TypeMap                     // map[Key]Elem
	TypeAny                     // any
)

// GoType is a Go type as generated code spells it.
type GoType struct {
	Kind      TypeKind
	Name      string
	Path      string
	Key, Elem *GoType
}

// MemberConv is how a member converts to and from its SDK field.
type MemberConv struct {
	// SDKName is the SDK's field (naming.SDKField, as the SDK escapes it)
	// or, for a union member, the SDK's member type.
	SDKName  string
	To, From Conv
}

// ConvForm is the form of one conversion between our value and the SDK's.
type ConvForm int

const (
	ConvDirect     ConvForm = iota // the value, through Result: scalars, timestamps, blobs
	ConvEnum                       // a cast between our enum and the SDK's: Type(Arg(x))
	ConvEnumString                 // the same, the SDK holding a plain string
	ConvStructure                  // Arg(x).Method() to the SDK, Func(Arg(x)) from it
	ConvUnion                      // the same for a union
	ConvList                       // Func(x): a helper of zz_conv.go; x itself when Func is ""
	ConvMap                        // the same for a map
)

// Wrap is what an operand or a result passes through.
type Wrap int

const (
	WrapNone        Wrap = iota
	WrapStar             // *x
	WrapAddr             // &x
	WrapDeref            // deref(x): the zero value for nil
	WrapNonZero          // nonZero(x): nil for the zero value
	WrapPtrOf            // ptrOf(x): always a pointer (a required member is always sent)
	WrapNonZeroTime      // nonZeroTime(x)
)

// Conv is one conversion of a value.
type Conv struct {
	Form   ConvForm
	Arg    Wrap    // applied to the operand first
	Result Wrap    // applied to the result
	Type   *GoType // ConvEnum, ConvEnumString: the type cast to
	Method string  // ConvStructure, ConvUnion to the SDK: "ToSDK"
	Func   string  // ConvStructure, ConvUnion from the SDK (XFromSDK); ConvList, ConvMap: the helper
}

// Identity reports whether the conversion is the value itself (the same
// Go type on both sides), so a list of such items is shared, not copied.
func (c Conv) Identity() bool {
	if c.Arg != WrapNone || c.Result != WrapNone {
		return false
	}
	return c.Form == ConvDirect || ((c.Form == ConvList || c.Form == ConvMap) && c.Func == "")
}

// Helper is one list or map conversion of zz_conv.go.
type Helper struct {
	Name    string
	Map     bool
	In, Out *GoType
	Elem    Conv // converts one item (in[i]) or value (v)
}

// ShapeFile is one file of shapes.
type ShapeFile struct {
	Name   string
	Shapes []*Shape
}

// TestPart is one part of the test table: in its own file and variable,
// or, when the table is one part, inline in FileShapesTest (Var "").
type TestPart struct {
	File   string
	Var    string
	Range  string // the range of names it holds, e.g. "ca-cl"
	Shapes []*Shape
}

// Pattern is one entry of the pattern table.
type Pattern struct {
	Model string // as the model writes it (unanchored for botocore)
	Src   string // in Go syntax
}

// Names of hand-written declarations and methods of package shapes that a
// model name must not take.
var (
	reservedTypes   = map[string]bool{"Violation": true, "ValidationError": true, "GeneratedFrom": true, "Validatable": true}
	reservedMembers = map[string]bool{"Validate": true, "String": true, "GoString": true, "ToSDK": true}
)

// shapesBuilder holds what BuildShapes derives before it plans each shape.
type shapesBuilder struct {
	svc       *model.Service
	sdk       *sdkinfo.SDK // nil: no conversions
	out       *Shapes
	opIn      map[*model.Shape]*model.Operation
	opOut     map[*model.Shape]*model.Operation
	users     map[*model.Shape][]string
	needs     map[*model.Shape]bool // structure/union has any check
	sensitive map[*model.Shape]bool // holds a sensitive member at any depth
	patIdx    map[string]int        // pattern key -> slot, -1 = unusable
	conv      map[*model.Shape]bool // has a ToSDK / FromSDK pair
	sdkOf     map[*model.Shape]*sdkinfo.Struct
	// asUnion marks structures the SDK models as unions (the model's
	// structure form and our union form are the same Go struct).
	asUnion map[*model.Shape]bool
	helpers map[string]*Helper
}

// BuildShapes plans package shapes: one type per reachable structure,
// union and enum, with validation and SDK conversions (none when sdk is
// nil), laid out by resource (layout.go; set is nil for a model without
// resources, whose shapes are all shared). It renames the operation shapes
// (model.Service.NameOperationShapes) first.
func BuildShapes(svc *model.Service, set *resource.Set, sdk *sdkinfo.SDK) (*Shapes, error) {
	if err := svc.NameOperationShapes(); err != nil {
		return nil, err
	}
	b := &shapesBuilder{
		svc: svc, sdk: sdk,
		out: &Shapes{ByModel: map[*model.Shape]*Shape{}, Model: ModelInfo{
			Format: string(svc.Source.Format), SHA256: svc.Source.SHA256, APIVersion: svc.APIVersion, Operations: len(svc.Operations),
		}},
		opIn: map[*model.Shape]*model.Operation{}, opOut: map[*model.Shape]*model.Operation{},
		users: map[*model.Shape][]string{}, needs: map[*model.Shape]bool{}, sensitive: map[*model.Shape]bool{},
		patIdx: map[string]int{}, conv: map[*model.Shape]bool{}, sdkOf: map[*model.Shape]*sdkinfo.Struct{},
		asUnion: map[*model.Shape]bool{}, helpers: map[string]*Helper{},
	}
	for _, op := range svc.SortedOperations() {
		if op.Input != nil && b.opIn[op.Input] == nil {
			b.opIn[op.Input] = op
		}
		if op.Output != nil && b.opOut[op.Output] == nil {
			b.opOut[op.Output] = op
		}
	}
	var emitted []*model.Shape
	for _, s := range svc.Reachable() {
		switch s.Kind {
		case model.KindStructure, model.KindUnion, model.KindEnum:
		default:
			continue
		}
		if reservedTypes[s.Name] {
			return nil, fmt.Errorf("shape %s: name taken by a hand-written type of package shapes", s.Name)
		}
		emitted = append(emitted, s)
		for _, m := range s.Members {
			if reservedMembers[m.Name] {
				return nil, fmt.Errorf("shape %s: member %s collides with a generated method", s.Name, m.Name)
			}
			t := elemRoot(m.Target)
			if !slices.Contains(b.users[t], s.Name) {
				b.users[t] = append(b.users[t], s.Name)
			}
		}
	}
	b.computeNeeds(emitted)
	b.computeSensitive(emitted)
	b.computePatterns(emitted)
	if sdk != nil {
		b.matchSDK(emitted)
	}
	for _, s := range emitted {
		ps := b.shape(s)
		b.out.Shapes = append(b.out.Shapes, ps)
		b.out.ByModel[s] = ps
	}
	for _, ps := range b.out.Shapes {
		if ps.SDK == nil {
			continue
		}
		if err := b.conversions(ps); err != nil {
			return nil, err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(b.helpers)) {
		b.out.Helpers = append(b.out.Helpers, b.helpers[name])
	}
	if err := b.layout(emitted, set); err != nil {
		return nil, err
	}
	for _, ps := range b.out.Shapes {
		switch ps.Kind {
		case ShapeStructure:
			b.out.Structures++
		case ShapeUnion:
			b.out.Unions++
		case ShapeEnum:
			b.out.Enums++
		}
		if ps.SDK != nil {
			b.out.Conversions++
		}
	}
	slices.Sort(b.out.SDKMissing)
	return b.out, nil
}

// elemRoot follows lists and maps to the shape they hold.
func elemRoot(s *model.Shape) *model.Shape {
	for {
		switch s.Kind {
		case model.KindList:
			s = s.ListMember.Target
		case model.KindMap:
			s = s.MapValue.Target
		default:
			return s
		}
	}
}

// shape plans one type: its name, doc, fields and checks; conversions come
// after every shape is planned.
func (b *shapesBuilder) shape(s *model.Shape) *Shape {
	ps := &Shape{Model: s, Name: s.Name}
	switch s.Kind {
	case model.KindEnum:
		ps.Kind = ShapeEnum
		ps.Consts = enumConsts(s)
		ps.Doc = b.enumDoc(s)
		return ps
	case model.KindUnion:
		ps.Kind = ShapeUnion
	}
	// A structure the SDK models as a union holds its members as a union
	// does: pointers, so that which one is set survives the conversion.
	ptrs := s.Kind == model.KindUnion || b.asUnion[s]
	ps.Exclusive = ptrs
	ps.Validates = b.needs[s]
	ps.Sensitive = b.sensitive[s]
	if st := b.sdkOf[s]; st != nil {
		ps.SDK = &GoType{Name: st.Name, Path: sdkImport(st.Pkg)}
	} else if b.conv[s] {
		ps.SDK = &GoType{Name: s.Name, Path: SDKTypesPath}
	}
	ps.Doc = b.shapeDoc(s, ps.SDK)
	for _, m := range s.Members {
		ps.Members = append(ps.Members, b.member(m, ptrs))
	}
	return ps
}

func enumConsts(s *model.Shape) []EnumConst {
	values := make([]string, len(s.Enum))
	for i, e := range s.Enum {
		values[i] = e.Value
	}
	names := naming.EnumConsts(s.Name, values)
	out := make([]EnumConst, 0, len(values))
	seen := map[string]bool{}
	for _, v := range values {
		if !seen[v] {
			seen[v] = true
			out = append(out, EnumConst{Name: names[v], Value: v})
		}
	}
	return out
}

// member plans one field; ptrs: the members are pointers (Exclusive).
func (b *shapesBuilder) member(m *model.Member, ptrs bool) *Member {
	plain := Plain(m, ptrs)
	pm := &Member{
		Model:     m,
		Name:      m.Name,
		Field:     FieldName(m.Name),
		Type:      fieldType(m, ptrs),
		Sensitive: m.IsSensitive(),
		Checks:    b.valueChecks(m),
	}
	// One tag for JSON and YAML (sigs.k8s.io/yaml reads it): a required
	// plain member is always written, anything else is omitted only when
	// absent, so an empty non-nil list or map is kept.
	pm.JSON = m.Name + ",omitzero"
	if m.Required && plain {
		pm.JSON = m.Name
	}
	pat := m.Effective().Pattern
	pm.Doc = memberDoc(m, b.patIdx[b.patKey(pat)] >= 0, b.searches(pat))

	t := m.Target
	switch {
	case plain && t.Kind == model.KindTimestamp:
		pm.Presence = PresentNonZero
	case plain:
		pm.Presence = PresentNonEmpty
	case isRefKind(t.Kind) || t.Kind == model.KindStructure || t.Kind == model.KindUnion:
		pm.Presence = PresentNonNil
	default:
		pm.Presence = PresentPointer
	}
	// A present value is always checked; a plain member is present when
	// non-zero, or always when it is required and the model allows its
	// zero value. An idempotency token left empty is not missing: the SDK
	// fills it.
	switch {
	case !m.Required || (plain && m.IdempotencyToken):
		pm.Rule = RuleOptional
	case plain && EmptyAllowed(m):
		pm.Rule = RuleAlways
	default:
		pm.Rule = RuleRequired
	}
	return pm
}

func isRefKind(k model.Kind) bool {
	return k == model.KindList || k == model.KindMap || k == model.KindBlob || k == model.KindDocument
}

// baseType is the Go type of a shape's value in package shapes.
func baseType(s *model.Shape) *GoType {
	switch s.Kind {
	case model.KindEnum, model.KindStructure, model.KindUnion:
		return &GoType{Name: s.Name}
	case model.KindTimestamp:
		return &GoType{Name: "Time", Path: "time"}
	case model.KindBlob:
		return &GoType{Kind: TypeSlice, Elem: &GoType{Name: "byte"}}
	case model.KindDocument:
		return &GoType{Name: "RawMessage", Path: "encoding/json"}
	case model.KindList:
		return &GoType{Kind: TypeSlice, Elem: baseType(s.ListMember.Target)}
	case model.KindMap:
		return &GoType{Kind: TypeMap, Key: &GoType{Name: "string"}, Elem: baseType(s.MapValue.Target)}
	}
	if n, ok := goBasic[s.Kind]; ok {
		return &GoType{Name: n}
	}
	panic("plan: unexpected kind " + s.Kind.String()) // the loader admits no other kind
}

var goBasic = map[model.Kind]string{
	model.KindString: "string", model.KindBoolean: "bool", model.KindInteger: "int32", model.KindLong: "int64",
	model.KindFloat: "float32", model.KindDouble: "float64",
}

// fieldType is the Go type of a member (Plain says pointer or not).
func fieldType(m *model.Member, ptrs bool) *GoType {
	t := baseType(m.Target)
	if isRefKind(m.Target.Kind) || Plain(m, ptrs) {
		return t
	}
	return &GoType{Kind: TypePointer, Elem: t}
}

// computeNeeds marks structures and unions that have any check, directly
// or through members, iterating to a fixed point for recursive shapes.
func (b *shapesBuilder) computeNeeds(shapes []*model.Shape) {
	for changed := true; changed; {
		changed = false
		for _, s := range shapes {
			if b.needs[s] || (s.Kind != model.KindStructure && s.Kind != model.KindUnion) {
				continue
			}
			if s.Kind == model.KindUnion {
				b.needs[s], changed = true, true
				continue
			}
			for _, m := range s.Members {
				if m.Required || b.memberNeeds(m) {
					b.needs[s], changed = true, true
					break
				}
			}
		}
	}
}

func (b *shapesBuilder) memberNeeds(m *model.Member) bool {
	if !m.Effective().IsZero() {
		return true
	}
	t := m.Target
	switch t.Kind {
	case model.KindEnum:
		return true
	case model.KindStructure, model.KindUnion:
		return b.needs[t]
	case model.KindList:
		return b.memberNeeds(t.ListMember)
	case model.KindMap:
		return b.memberNeeds(t.MapKey) || b.memberNeeds(t.MapValue)
	}
	return false
}

// computeSensitive marks structures and unions that hold a sensitive
// member, directly or through members, to a fixed point.
func (b *shapesBuilder) computeSensitive(shapes []*model.Shape) {
	var holds func(m *model.Member) bool
	holds = func(m *model.Member) bool {
		if m.IsSensitive() {
			return true
		}
		switch t := m.Target; t.Kind {
		case model.KindStructure, model.KindUnion:
			return b.sensitive[t]
		case model.KindList:
			return holds(t.ListMember)
		case model.KindMap:
			return holds(t.MapKey) || holds(t.MapValue)
		}
		return false
	}
	for changed := true; changed; {
		changed = false
		for _, s := range shapes {
			if b.sensitive[s] || (s.Kind != model.KindStructure && s.Kind != model.KindUnion) {
				continue
			}
			if slices.ContainsFunc(s.Members, holds) {
				b.sensitive[s], changed = true, true
			}
		}
	}
}

// valueChecks plans the checks of a present value of member m (a member of
// a structure, a list item or a map value). Only checks that do something
// are listed: a list whose items have none gets no CheckItems.
func (b *shapesBuilder) valueChecks(m *model.Member) []Check {
	t := m.Target
	c := m.Effective()
	pat := -1
	if key := b.patKey(c.Pattern); key != "" {
		if i := b.patIdx[key]; i >= 0 {
			pat = i
		}
	}
	lens := c.MinLength != nil || c.MaxLength != nil
	count := Check{Kind: CheckCount, MinLen: c.MinLength, MaxLen: c.MaxLength, Pattern: -1}
	var out []Check
	switch t.Kind {
	case model.KindString, model.KindEnum:
		if lens || pat >= 0 {
			out = append(out, Check{Kind: CheckString, MinLen: c.MinLength, MaxLen: c.MaxLength, Pattern: pat,
				Sensitive: m.IsSensitive(), AsString: t.Kind == model.KindEnum})
		}
		if t.Kind == model.KindEnum {
			out = append(out, Check{Kind: CheckEnum, Pattern: -1})
		}
	case model.KindInteger, model.KindLong:
		if c.Min != nil || c.Max != nil {
			out = append(out, Check{Kind: CheckInt, Min: c.Min, Max: c.Max, Pattern: -1})
		}
	case model.KindFloat, model.KindDouble:
		if c.Min != nil || c.Max != nil {
			out = append(out, Check{Kind: CheckFloat, Min: c.Min, Max: c.Max, Pattern: -1})
		}
	case model.KindBlob:
		if lens {
			out = append(out, count)
		}
	case model.KindStructure, model.KindUnion:
		if b.needs[t] {
			out = append(out, Check{Kind: CheckNested, Pattern: -1})
		}
	case model.KindList:
		if lens {
			out = append(out, count)
		}
		if b.memberNeeds(t.ListMember) {
			if inner := b.valueChecks(t.ListMember); len(inner) > 0 {
				out = append(out, Check{Kind: CheckItems, Items: inner, Pattern: -1})
			}
		}
	case model.KindMap:
		if lens {
			out = append(out, count)
		}
		if b.memberNeeds(t.MapKey) || b.memberNeeds(t.MapValue) {
			e := Check{Kind: CheckEntries, Key: b.valueChecks(t.MapKey), Value: b.valueChecks(t.MapValue), Pattern: -1}
			if kt := t.MapKey.Target; kt.Kind == model.KindEnum {
				e.KeyEnum = kt.Name
			}
			vk := t.MapValue.Target.Kind
			e.CopyValue = vk == model.KindStructure || vk == model.KindUnion
			if len(e.Key)+len(e.Value) > 0 {
				out = append(out, e)
			}
		}
	}
	return out
}

// FieldName is the Go field of a structure member: the one name every
// emitter (shapes, resources, the endpoint's tests) uses for it.
func FieldName(member string) string { return naming.Exported(member) }
