package pyjson

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	numberType        = reflect.TypeFor[json.Number]()
)

// encoder holds the state of one Marshal call.
type encoder struct {
	buf   []byte
	depth int
	// path is the location of the value being encoded, for errors.
	path []pathStep
	// visiting holds the pointers, maps and slices on the current path,
	// to report a value that contains itself.
	visiting map[visit]bool
	// fields caches the encodable fields of each struct type met.
	fields map[reflect.Type][]field
}

// pathStep is a map key or struct field name, or (key == nil) a list index.
type pathStep struct {
	key   *string
	index int
}

type visit struct {
	ptr  uintptr
	typ  reflect.Type
	size int
}

// pathString renders the path as .a[2].b, or ["a b"] for a key that is not
// a plain name.
func (e *encoder) pathString() string {
	var sb strings.Builder
	for _, s := range e.path {
		switch {
		case s.key == nil:
			fmt.Fprintf(&sb, "[%d]", s.index)
		case plainName(*s.key):
			sb.WriteString(".")
			sb.WriteString(*s.key)
		default:
			fmt.Fprintf(&sb, "[%q]", *s.key)
		}
	}
	return sb.String()
}

func plainName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// fail returns err located at the current path.
func (e *encoder) fail(err error) error {
	if p := e.pathString(); p != "" {
		return fmt.Errorf("%s: %w", p, err)
	}
	return err
}

func (e *encoder) failf(format string, args ...any) error {
	return e.fail(fmt.Errorf(format, args...))
}

func (e *encoder) enter() error {
	e.depth++
	if e.depth > maxDepth {
		return e.fail(errTooDeep)
	}
	return nil
}

// mark records that v (a pointer, map or slice) is being encoded, and
// fails when it already is: the value contains itself.
func (e *encoder) mark(v reflect.Value) (visit, error) {
	k := visit{ptr: uintptr(v.UnsafePointer()), typ: v.Type()}
	if v.Kind() == reflect.Slice {
		k.size = v.Len()
	}
	if e.visiting[k] {
		return k, e.failf("%s value contains itself (Python: circular reference)", v.Type())
	}
	if e.visiting == nil {
		e.visiting = make(map[visit]bool)
	}
	e.visiting[k] = true
	return k, nil
}

func (e *encoder) encode(v reflect.Value) error {
	if !v.IsValid() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	if done, err := e.encodeMarshaler(v); done || err != nil {
		return err
	}
	t := v.Type()
	if t == numberType {
		return e.encodeNumber(json.Number(v.String()))
	}
	switch v.Kind() {
	case reflect.Bool:
		e.buf = strconv.AppendBool(e.buf, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.buf = strconv.AppendUint(e.buf, v.Uint(), 10)
	case reflect.Float32:
		e.buf = appendFloat(e.buf, v.Float(), 32)
	case reflect.Float64:
		e.buf = appendFloat(e.buf, v.Float(), 64)
	case reflect.String:
		return e.encodeString(v.String())
	case reflect.Interface:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.encode(v.Elem())
	case reflect.Pointer:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		k, err := e.mark(v)
		if err != nil {
			return err
		}
		defer delete(e.visiting, k)
		return e.encode(v.Elem())
	case reflect.Map:
		return e.encodeMap(v)
	case reflect.Slice:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if isByteSlice(t) {
			e.buf = append(e.buf, '"')
			e.buf = base64.StdEncoding.AppendEncode(e.buf, v.Bytes())
			e.buf = append(e.buf, '"')
			return nil
		}
		k, err := e.mark(v)
		if err != nil {
			return err
		}
		defer delete(e.visiting, k)
		return e.encodeList(v)
	case reflect.Array:
		return e.encodeList(v)
	case reflect.Struct:
		return e.encodeStruct(v)
	default:
		// Chan, Func, Complex64, Complex128, UnsafePointer.
		return e.failf("%s values cannot be encoded", v.Kind())
	}
	return nil
}

// isByteSlice reports whether encoding/json writes t as base64: a slice of
// a byte kind whose elements do not marshal themselves.
func isByteSlice(t reflect.Type) bool {
	if t.Elem().Kind() != reflect.Uint8 {
		return false
	}
	p := reflect.PointerTo(t.Elem())
	return !p.Implements(marshalerType) && !p.Implements(textMarshalerType)
}

func (e *encoder) encodeString(s string) error {
	var err error
	e.buf, err = appendString(e.buf, s)
	if err != nil {
		return e.fail(err)
	}
	return nil
}

func (e *encoder) encodeNumber(n json.Number) error {
	s := string(n)
	if s == "" {
		s = "0" // as encoding/json writes the zero Number
	}
	if !validNumber(s) {
		return e.failf("json.Number %q is not a valid JSON number", s)
	}
	e.buf = append(e.buf, s...)
	return nil
}

// marshalerValue returns the value whose method of interface it to call
// for v: v itself or, as encoding/json does, its address when the method
// has a pointer receiver and v is addressable.
func marshalerValue(v reflect.Value, it reflect.Type) (reflect.Value, bool) {
	if v.Type().Implements(it) {
		return v, true
	}
	if v.Kind() != reflect.Pointer && v.CanAddr() && reflect.PointerTo(v.Type()).Implements(it) {
		return v.Addr(), true
	}
	return reflect.Value{}, false
}

// encodeMarshaler encodes v with its MarshalJSON or MarshalText method
// when it has one; done reports whether it did.
func (e *encoder) encodeMarshaler(v reflect.Value) (done bool, err error) {
	if m, ok := marshalerValue(v, marshalerType); ok {
		if isNilRef(m) {
			e.buf = append(e.buf, "null"...)
			return true, nil
		}
		if !m.CanInterface() {
			return true, e.failf("cannot call MarshalJSON of %s: it is reached through an unexported field", m.Type())
		}
		raw, err := m.Interface().(json.Marshaler).MarshalJSON()
		if err != nil {
			return true, e.fail(fmt.Errorf("MarshalJSON of %s: %w", m.Type(), err))
		}
		out, err := reformatInto(e.buf, raw, e.depth)
		if err != nil {
			return true, e.fail(fmt.Errorf("MarshalJSON of %s returned %w", m.Type(), err))
		}
		e.buf = out
		return true, nil
	}
	if m, ok := marshalerValue(v, textMarshalerType); ok {
		if isNilRef(m) {
			e.buf = append(e.buf, "null"...)
			return true, nil
		}
		text, err := marshalText(m)
		if err != nil {
			return true, e.fail(err)
		}
		return true, e.encodeString(text)
	}
	return false, nil
}

func isNilRef(v reflect.Value) bool {
	return (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil()
}

func marshalText(m reflect.Value) (string, error) {
	if !m.CanInterface() {
		return "", fmt.Errorf("cannot call MarshalText of %s: it is reached through an unexported field", m.Type())
	}
	text, err := m.Interface().(encoding.TextMarshaler).MarshalText()
	if err != nil {
		return "", fmt.Errorf("MarshalText of %s: %w", m.Type(), err)
	}
	return string(text), nil
}

func (e *encoder) encodeList(v reflect.Value) error {
	if err := e.enter(); err != nil {
		return err
	}
	defer func() { e.depth-- }()
	e.buf = append(e.buf, '[')
	for i := range v.Len() {
		if i > 0 {
			e.buf = append(e.buf, ", "...)
		}
		e.path = append(e.path, pathStep{index: i})
		err := e.encode(v.Index(i))
		e.path = e.path[:len(e.path)-1]
		if err != nil {
			return err
		}
	}
	e.buf = append(e.buf, ']')
	return nil
}

// mapKey returns the object key that encoding/json writes for the map key
// k: a string as is, a TextMarshaler's text, an integer in decimal.
func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if m, ok := marshalerValue(k, textMarshalerType); ok {
		if isNilRef(m) {
			return "", nil
		}
		return marshalText(m)
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
	return "", fmt.Errorf("map keys of type %s cannot be encoded (only strings, integers and encoding.TextMarshaler)", k.Type())
}

func (e *encoder) encodeMap(v reflect.Value) error {
	if v.IsNil() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	k, err := e.mark(v)
	if err != nil {
		return err
	}
	defer delete(e.visiting, k)
	if err := e.enter(); err != nil {
		return err
	}
	defer func() { e.depth-- }()

	type entry struct {
		key   string
		value reflect.Value
	}
	entries := make([]entry, 0, v.Len())
	for it := v.MapRange(); it.Next(); {
		key, err := mapKey(it.Key())
		if err != nil {
			return e.fail(err)
		}
		entries = append(entries, entry{key, it.Value()})
	}
	// Sorted keys make the text deterministic; Go maps have no order.
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	e.buf = append(e.buf, '{')
	for i, en := range entries {
		if i > 0 {
			if en.key == entries[i-1].key {
				return e.failf("two map keys are both written as %q", en.key)
			}
			e.buf = append(e.buf, ", "...)
		}
		if err := e.encodeString(en.key); err != nil {
			return err
		}
		e.buf = append(e.buf, ": "...)
		e.path = append(e.path, pathStep{key: &en.key})
		err := e.encode(en.value)
		e.path = e.path[:len(e.path)-1]
		if err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

func (e *encoder) encodeStruct(v reflect.Value) error {
	if err := e.enter(); err != nil {
		return err
	}
	defer func() { e.depth-- }()
	fields, ok := e.fields[v.Type()]
	if !ok {
		fields = structFields(v.Type())
		if e.fields == nil {
			e.fields = make(map[reflect.Type][]field)
		}
		e.fields[v.Type()] = fields
	}
	e.buf = append(e.buf, '{')
	n := 0
	for i := range fields {
		f := &fields[i]
		fv, ok := fieldByIndex(v, f.index)
		if !ok {
			continue // inside a nil embedded pointer
		}
		if f.omitEmpty && isEmpty(fv) || f.omitZero && isZero(fv) {
			continue
		}
		if n > 0 {
			e.buf = append(e.buf, ", "...)
		}
		n++
		if err := e.encodeString(f.name); err != nil {
			return err
		}
		e.buf = append(e.buf, ": "...)
		e.path = append(e.path, pathStep{key: &f.name})
		var err error
		if f.quoted {
			err = e.encodeQuoted(fv)
		} else {
			err = e.encode(fv)
		}
		e.path = e.path[:len(e.path)-1]
		if err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// encodeQuoted encodes a field with the ",string" option as encoding/json
// does: a bool, number or string is written as a string holding its JSON
// (here json.dumps) text; a value with its own marshaler, and a nil
// pointer, are written as without the option.
func (e *encoder) encodeQuoted(v reflect.Value) error {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return e.encode(v)
		}
		if _, ok := marshalerValue(v, marshalerType); ok {
			return e.encode(v)
		}
		if _, ok := marshalerValue(v, textMarshalerType); ok {
			return e.encode(v)
		}
		v = v.Elem()
	}
	if _, ok := marshalerValue(v, marshalerType); ok {
		return e.encode(v)
	}
	if _, ok := marshalerValue(v, textMarshalerType); ok {
		return e.encode(v)
	}
	inner := &encoder{path: e.path}
	if err := inner.encode(v); err != nil {
		return err
	}
	return e.encodeString(string(inner.buf))
}

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

var isZeroerType = reflect.TypeFor[interface{ IsZero() bool }]()

// isZero is encoding/json's omitzero test: the value's IsZero method when
// it has one, else reflect's zero value.
func isZero(v reflect.Value) bool {
	t := v.Type()
	switch {
	case t.Implements(isZeroerType):
		if isNilRef(v) {
			return true
		}
		if v.CanInterface() {
			return v.Interface().(interface{ IsZero() bool }).IsZero()
		}
	case t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(isZeroerType) && v.CanInterface():
		if !v.CanAddr() {
			c := reflect.New(t).Elem()
			c.Set(v)
			v = c
		}
		return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
	}
	return v.IsZero()
}

// fieldByIndex follows index through embedded structs; ok is false when
// an embedded pointer on the way is nil.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}
