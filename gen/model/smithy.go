package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// This file loads a Smithy JSON AST (Smithy IDL 1.0 or 2.0, as written by
// smithy-build or published by AWS) into the graph.
//
// The file is decoded once with encoding/json's token API into an ordered
// tree (objects keep their key order, which is member order), and the tree is
// then read with helpers that report every problem with its JSON path.

// ---------------------------------------------------------------------------
// Ordered JSON tree.

type sjKind uint8

const (
	sjNull sjKind = iota
	sjBool
	sjNumber
	sjString
	sjArray
	sjObject
	sjSkipped // a value not kept, see smithySkippedTraits
)

var smithyJSONKindNames = [...]string{"null", "boolean", "number", "string", "array", "object", "skipped value"}

// smithySkippedTraits are traits whose values the decoder checks but drops.
var smithySkippedTraits = map[string]bool{
	"smithy.api#documentation":     true,
	"smithy.api#examples":          true,
	"smithy.rules#endpointRuleSet": true,
	"smithy.rules#endpointTests":   true,
}

// smithySkip consumes a JSON value without decoding it.
type smithySkip struct{}

func (*smithySkip) UnmarshalJSON([]byte) error { return nil }

func (k sjKind) String() string { return smithyJSONKindNames[k] }

// sjValue is one decoded JSON value.
type sjValue struct {
	kind sjKind
	b    bool
	s    string // string value, or the text of a number
	// obj holds an object's fields in document order (keys unique), or an
	// array's elements (keys empty): one slice keeps sjValue small.
	obj []sjField
}

type sjField struct {
	key string
	val sjValue
}

// get returns the value of key in an object.
func (v *sjValue) get(key string) (sjValue, bool) {
	for i := range v.obj {
		if v.obj[i].key == key {
			return v.obj[i].val, true
		}
	}
	return sjValue{}, false
}

// smithyMaxDepth bounds the nesting of the JSON tree (and so the recursion of
// the decoder). Smithy models need about ten levels; the deepest part,
// endpoint rule sets, is skipped by encoding/json, which has its own bound.
const smithyMaxDepth = 512

type smithyPathElem struct {
	key   string
	idx   int
	isIdx bool
}

type smithyTreeDecoder struct {
	file string
	data []byte
	dec  *json.Decoder
	path []smithyPathElem // where the decoder is, for errors
	// stack collects the fields of the objects and arrays being decoded, so
	// that each gets a slice of exactly its size.
	stack []sjField
}

// smithyDecodeTree decodes data into an ordered tree. Duplicate object keys are
// an error: encoding/json would silently keep the last one.
func smithyDecodeTree(file string, data []byte) (sjValue, error) {
	d := &smithyTreeDecoder{file: file, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	d.dec.UseNumber()
	v, err := d.value(0)
	if err != nil {
		return sjValue{}, err
	}
	if _, err := d.dec.Token(); err != io.EOF {
		line, col := lineCol(data, d.dec.InputOffset())
		return sjValue{}, &Error{File: file, Msg: fmt.Sprintf("data after the top-level JSON value at line %d, column %d", line, col)}
	}
	return v, nil
}

func (d *smithyTreeDecoder) here() string {
	var sb strings.Builder
	sb.WriteString("$")
	for _, e := range d.path {
		if e.isIdx {
			sb.WriteString("[")
			sb.WriteString(strconv.Itoa(e.idx))
			sb.WriteString("]")
		} else {
			sb.WriteString(smithyKey("", e.key))
		}
	}
	return sb.String()
}

func (d *smithyTreeDecoder) fail(err error) error {
	path := d.here()
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{File: d.file, Path: path, Msg: "truncated JSON", Err: io.ErrUnexpectedEOF}
	}
	// A Decoder's syntax error offsets count only the bytes it scanned for
	// values, not delimiters; a one-shot check of the whole input gives the
	// exact place (this runs once, on failure).
	off := d.dec.InputOffset()
	var raw json.RawMessage
	var se *json.SyntaxError
	if errors.As(json.Unmarshal(d.data, &raw), &se) {
		off, err = se.Offset-1, se
	}
	line, col := lineCol(d.data, off)
	return &Error{File: d.file, Path: path, Msg: fmt.Sprintf("invalid JSON at line %d, column %d", line, col), Err: err}
}

func (d *smithyTreeDecoder) value(depth int) (sjValue, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return sjValue{}, d.fail(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= smithyMaxDepth {
			return sjValue{}, &Error{File: d.file, Path: d.here(), Msg: fmt.Sprintf("JSON nested deeper than %d levels", smithyMaxDepth)}
		}
		switch t {
		case '{':
			base := len(d.stack)
			var seen map[string]bool // only for large objects
			inTraits := len(d.path) > 0 && !d.path[len(d.path)-1].isIdx && d.path[len(d.path)-1].key == "traits"
			for d.dec.More() {
				kt, err := d.dec.Token()
				if err != nil {
					return sjValue{}, d.fail(err)
				}
				key, ok := kt.(string)
				if !ok {
					return sjValue{}, d.fail(fmt.Errorf("object key is %T", kt))
				}
				dup := false
				if fields := d.stack[base:]; seen != nil {
					dup = seen[key]
					seen[key] = true
				} else {
					for i := range fields {
						if fields[i].key == key {
							dup = true
							break
						}
					}
					if len(fields) >= 16 {
						seen = make(map[string]bool, 64)
						for i := range fields {
							seen[fields[i].key] = true
						}
						seen[key] = true
					}
				}
				d.path = append(d.path, smithyPathElem{key: key})
				if dup {
					return sjValue{}, &Error{File: d.file, Path: d.here(), Msg: fmt.Sprintf("duplicate key %q", key)}
				}
				var v sjValue
				if inTraits && smithySkippedTraits[key] {
					// Checked to be JSON, but not kept: the loader never
					// reads it, and it is most of the file.
					var sk smithySkip
					if err := d.dec.Decode(&sk); err != nil {
						return sjValue{}, d.fail(err)
					}
					v.kind = sjSkipped
				} else if v, err = d.value(depth + 1); err != nil {
					return sjValue{}, err
				}
				d.path = d.path[:len(d.path)-1]
				d.stack = append(d.stack, sjField{key: key, val: v})
			}
			if _, err := d.dec.Token(); err != nil {
				return sjValue{}, d.fail(err)
			}
			return sjValue{kind: sjObject, obj: d.pop(base)}, nil
		case '[':
			base := len(d.stack)
			for d.dec.More() {
				d.path = append(d.path, smithyPathElem{idx: len(d.stack) - base, isIdx: true})
				v, err := d.value(depth + 1)
				if err != nil {
					return sjValue{}, err
				}
				d.path = d.path[:len(d.path)-1]
				d.stack = append(d.stack, sjField{val: v})
			}
			if _, err := d.dec.Token(); err != nil {
				return sjValue{}, d.fail(err)
			}
			return sjValue{kind: sjArray, obj: d.pop(base)}, nil
		}
		return sjValue{}, d.fail(fmt.Errorf("unexpected %q", rune(t)))
	case string:
		return sjValue{kind: sjString, s: t}, nil
	case json.Number:
		return sjValue{kind: sjNumber, s: string(t)}, nil
	case bool:
		return sjValue{kind: sjBool, b: t}, nil
	case nil:
		return sjValue{kind: sjNull}, nil
	}
	return sjValue{}, d.fail(fmt.Errorf("unexpected token %T", tok))
}

// pop removes the fields above base from the stack and returns a copy of
// them (nil when there are none).
func (d *smithyTreeDecoder) pop(base int) []sjField {
	n := len(d.stack) - base
	if n == 0 {
		return nil
	}
	out := make([]sjField, n)
	copy(out, d.stack[base:])
	clear(d.stack[base:]) // drop references for the garbage collector
	d.stack = d.stack[:base]
	return out
}

// smithyKey appends an object key to a JSON path: .key for identifiers,
// ["key"] otherwise.
func smithyKey(base, k string) string {
	if smithyIsIdent(k) {
		return base + "." + k
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return base + "[" + strconv.Quote(k) + "]"
		}
	}
	return base + `["` + k + `"]` // what strconv.Quote gives, without its cost
}

func smithyIndex(base string, i int) string { return base + "[" + strconv.Itoa(i) + "]" }

func smithyIsIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------
// Typed readers of the tree. Each reports the JSON path of a bad value.

type smithyParser struct {
	b *builder

	shapes []*smithyShape          // in file order
	byID   map[string]*smithyShape // absolute shape id -> shape
	byName map[string]*smithyShape // graph name -> shape

	service      *smithyShape
	svcPaginated *Paginator // the service's paginated defaults

	prelude  map[string]*Shape // prelude local name -> graph shape
	opPaths  map[*Operation]string
	errPaths map[*Operation][]string // path of each entry of Operation.Errors
	checks   []smithyMemberCheck     // constraints on members, checked once all kinds are known
}

// smithyShape is one entry of the "shapes" object.
type smithyShape struct {
	id    string
	local string // name after '#'
	name  string // graph name: local, or the service's rename
	typ   string
	path  string // $.shapes["ns#Name"]
	v     sjValue
	shape *Shape // the graph shape, once referenced
}

type smithyMemberCheck struct {
	m     *Member
	trait string
	path  string
}

// checkName is b.checkName with a fast path for the usual valid name.
func (p *smithyParser) checkName(path, name string) error {
	if len(name) <= MaxNameLength && smithyIsIdent(name) {
		return nil
	}
	return p.b.checkName(path, name)
}

func (p *smithyParser) errf(path, format string, args ...any) error {
	return p.b.errf(path, format, args...)
}

func (p *smithyParser) typeErr(path, want string, v sjValue) error {
	return p.errf(path, "expected %s, got JSON %s", want, v.kind)
}

func (p *smithyParser) object(v sjValue, path string) ([]sjField, error) {
	if v.kind != sjObject {
		return nil, p.typeErr(path, "object", v)
	}
	return v.obj, nil
}

func (p *smithyParser) array(v sjValue, path string) ([]sjField, error) {
	if v.kind != sjArray {
		return nil, p.typeErr(path, "array", v)
	}
	return v.obj, nil
}

func (p *smithyParser) str(v sjValue, path string) (string, error) {
	if v.kind != sjString {
		return "", p.typeErr(path, "string", v)
	}
	return v.s, nil
}

func (p *smithyParser) boolean(v sjValue, path string) (bool, error) {
	if v.kind != sjBool {
		return false, p.typeErr(path, "boolean", v)
	}
	return v.b, nil
}

// float reads a finite JSON number.
func (p *smithyParser) float(v sjValue, path string) (float64, error) {
	if v.kind != sjNumber {
		return 0, p.typeErr(path, "number", v)
	}
	f, err := strconv.ParseFloat(v.s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, p.errf(path, "number %s out of range", v.s)
	}
	return f, nil
}

// integer reads a JSON number that is a whole number within [lo, hi].
func (p *smithyParser) integer(v sjValue, path string, lo, hi int64) (int64, error) {
	if v.kind != sjNumber {
		return 0, p.typeErr(path, "integer", v)
	}
	n, err := strconv.ParseInt(v.s, 10, 64)
	if err != nil {
		// 1.0 or 1e3 are whole numbers too.
		f, ferr := strconv.ParseFloat(v.s, 64)
		if ferr != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			return 0, p.errf(path, "expected an integer, got %s", v.s)
		}
		n = int64(f)
	}
	if n < lo || n > hi {
		return 0, p.errf(path, "%d out of range [%d, %d]", n, lo, hi)
	}
	return n, nil
}

// annotation checks the value of a trait with no properties, written {}.
func (p *smithyParser) annotation(v sjValue, path string) error {
	_, err := p.object(v, path)
	return err
}

// ref reads a shape reference, {"target": "ns#Name"}.
func (p *smithyParser) refTarget(v sjValue, path string) (string, error) {
	fields, err := p.object(v, path)
	if err != nil {
		return "", err
	}
	target := ""
	found := false
	for _, f := range fields {
		fp := smithyKey(path, f.key)
		switch f.key {
		case "target":
			if target, err = p.str(f.val, fp); err != nil {
				return "", err
			}
			found = true
		default:
			return "", p.errf(fp, "unknown property %q of a shape reference", f.key)
		}
	}
	if !found {
		return "", p.errf(path, "shape reference has no \"target\"")
	}
	return target, nil
}

// refList reads an array of shape references, returning each target id and
// the path of its "target".
func (p *smithyParser) refList(v sjValue, path string) (ids, paths []string, err error) {
	arr, err := p.array(v, path)
	if err != nil {
		return nil, nil, err
	}
	if len(arr) > MaxMembers {
		return nil, nil, p.errf(path, "more than %d entries", MaxMembers)
	}
	for i, e := range arr {
		ep := smithyIndex(path, i)
		id, err := p.refTarget(e.val, ep)
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, id)
		paths = append(paths, ep+".target")
	}
	return ids, paths, nil
}

// ---------------------------------------------------------------------------
// The loader.

// smithyPreludeTypes maps the Smithy prelude's simple shapes to the shape type
// they stand for.
var smithyPreludeTypes = map[string]string{
	"String": "string", "Blob": "blob", "Boolean": "boolean", "Timestamp": "timestamp", "Document": "document",
	"Byte": "byte", "Short": "short", "Integer": "integer", "Long": "long", "Float": "float", "Double": "double",
	"BigInteger": "bigInteger", "BigDecimal": "bigDecimal",
	"PrimitiveBoolean": "boolean", "PrimitiveByte": "byte", "PrimitiveShort": "short", "PrimitiveInteger": "integer",
	"PrimitiveLong": "long", "PrimitiveFloat": "float", "PrimitiveDouble": "double",
}

// smithyScalarKinds maps Smithy simple shape types to kinds. byte and short widen
// to 32 bits; bigInteger narrows to 64 bits and bigDecimal to a float64,
// which loses range and precision: the graph has no arbitrary-precision kinds
// (AWS JSON SDKs make the same choice, and SageMaker uses neither).
var smithyScalarKinds = map[string]Kind{
	"string": KindString, "boolean": KindBoolean,
	"byte": KindInteger, "short": KindInteger, "integer": KindInteger, "intEnum": KindInteger,
	"long": KindLong, "bigInteger": KindLong,
	"float": KindFloat, "double": KindDouble, "bigDecimal": KindDouble,
	"timestamp": KindTimestamp, "blob": KindBlob, "document": KindDocument,
}

// smithyShapeProps lists the properties each shape type may have besides "type",
// "traits" and "mixins".
var smithyShapeProps = map[string][]string{
	"enum": {"members"}, "intEnum": {"members"}, "structure": {"members"}, "union": {"members"},
	"list": {"member"}, "set": {"member"}, "map": {"key", "value"},
	"operation": {"input", "output", "errors"},
	"service":   {"version", "operations", "resources", "errors", "rename"},
	"resource":  {"identifiers", "properties", "create", "put", "read", "update", "delete", "list", "operations", "collectionOperations", "resources"},
}

func parseSmithy(b *builder, data []byte) error {
	root, err := smithyDecodeTree(b.file, data)
	if err != nil {
		return err
	}
	p := &smithyParser{
		b:        b,
		byID:     map[string]*smithyShape{},
		byName:   map[string]*smithyShape{},
		prelude:  map[string]*Shape{},
		opPaths:  map[*Operation]string{},
		errPaths: map[*Operation][]string{},
	}
	if err := p.top(root); err != nil {
		return err
	}
	if err := p.names(); err != nil {
		return err
	}
	for _, s := range p.shapes {
		switch s.typ {
		case "operation", "service", "resource":
			continue
		}
		if err := p.dataShape(s); err != nil {
			return err
		}
	}
	if err := p.serviceShape(); err != nil {
		return err
	}
	return p.check()
}

// top reads the top level and indexes the shapes.
func (p *smithyParser) top(root sjValue) error {
	fields, err := p.object(root, "$")
	if err != nil {
		return err
	}
	var shapes *sjValue
	for i := range fields {
		f := &fields[i]
		fp := smithyKey("$", f.key)
		switch f.key {
		case "smithy":
			v, err := p.str(f.val, fp)
			if err != nil {
				return err
			}
			switch v {
			case "1", "1.0", "2", "2.0":
			default:
				return p.errf(fp, "unsupported Smithy version %q (want 1.0 or 2.0)", v)
			}
		case "metadata":
			if _, err := p.object(f.val, fp); err != nil {
				return err
			}
		case "shapes":
			shapes = &f.val
		default:
			return p.errf(fp, "unknown top-level property %q (want smithy, metadata, shapes)", f.key)
		}
	}
	if shapes == nil {
		return p.errf("$", "no \"shapes\"")
	}
	entries, err := p.object(*shapes, "$.shapes")
	if err != nil {
		return err
	}
	if len(entries) > MaxShapes {
		return p.errf("$.shapes", "more than %d shapes", MaxShapes)
	}
	var services []*smithyShape
	for _, e := range entries {
		path := smithyKey("$.shapes", e.key)
		ns, local, ok := strings.Cut(e.key, "#")
		if !ok || ns == "" || strings.Contains(local, "$") || !smithyNamespaceOK(ns) {
			return p.errf(path, "shape id %q is not of the form namespace#Name", e.key)
		}
		if err := p.checkName(path, local); err != nil {
			return err
		}
		if ns == "smithy.api" {
			return p.errf(path, "shape %q redefines the Smithy prelude", e.key)
		}
		fields, err := p.object(e.val, path)
		if err != nil {
			return err
		}
		s := &smithyShape{id: e.key, local: local, name: local, path: path, v: e.val}
		tv, ok := e.val.get("type")
		if !ok {
			return p.errf(path, "shape has no \"type\"")
		}
		if s.typ, err = p.str(tv, path+".type"); err != nil {
			return err
		}
		if _, ok := smithyScalarKinds[s.typ]; !ok {
			if _, ok := smithyShapeProps[s.typ]; !ok {
				return p.errf(path+".type", "unknown shape type %q", s.typ)
			}
		}
		allowed := smithyShapeProps[s.typ]
		for _, f := range fields {
			switch f.key {
			case "type", "traits":
			case "mixins":
				// A published model is flattened: the members of mixins are
				// already copied into the shapes that use them.
				arr, err := p.array(f.val, smithyKey(path, f.key))
				if err != nil {
					return err
				}
				if len(arr) > 0 {
					return p.errf(smithyKey(path, f.key), "mixins are not supported: flatten the model first")
				}
			default:
				if !smithyContains(allowed, f.key) {
					return p.errf(smithyKey(path, f.key), "unknown property %q of a %s shape", f.key, s.typ)
				}
			}
		}
		if tr, ok := e.val.get("traits"); ok {
			if _, err := p.object(tr, path+".traits"); err != nil {
				return err
			}
		}
		p.shapes = append(p.shapes, s)
		p.byID[s.id] = s
		if s.typ == "service" {
			services = append(services, s)
		}
	}
	switch len(services) {
	case 0:
		return p.errf("$.shapes", "no service shape")
	case 1:
		p.service = services[0]
	default:
		return p.errf(services[1].path, "second service shape (first is %s): a model must hold exactly one service", services[0].id)
	}
	return nil
}

func smithyNamespaceOK(ns string) bool {
	for _, part := range strings.Split(ns, ".") {
		if !smithyIsIdent(part) {
			return false
		}
	}
	return true
}

func smithyContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// names gives every shape its graph name (its local name, or the name the
// service renames it to) and rejects two shapes with the same name.
func (p *smithyParser) names() error {
	if rv, ok := p.service.v.get("rename"); ok {
		path := p.service.path + ".rename"
		fields, err := p.object(rv, path)
		if err != nil {
			return err
		}
		for _, f := range fields {
			fp := smithyKey(path, f.key)
			s, ok := p.byID[f.key]
			if !ok {
				return p.errf(fp, "rename of unknown shape %q", f.key)
			}
			name, err := p.str(f.val, fp)
			if err != nil {
				return err
			}
			if err := p.checkName(fp, name); err != nil {
				return err
			}
			s.name = name
		}
	}
	for _, s := range p.shapes {
		if o, ok := p.byName[s.name]; ok {
			return p.errf(s.path, "shape name %q is used by both %s and %s (rename one in the service)", s.name, o.id, s.id)
		}
		p.byName[s.name] = s
	}
	return nil
}

// target resolves a member target to a graph shape.
func (p *smithyParser) target(id, path string) (*Shape, error) {
	if local, ok := strings.CutPrefix(id, "smithy.api#"); ok {
		return p.preludeShape(local, path)
	}
	s, ok := p.byID[id]
	if !ok {
		return nil, p.errf(path, "unknown shape %q", id)
	}
	switch s.typ {
	case "operation", "service", "resource":
		return nil, p.errf(path, "target %q is a %s, not a data shape", id, s.typ)
	}
	if s.shape == nil {
		var err error
		if s.shape, err = p.b.ref(s.name, path); err != nil {
			return nil, err
		}
	}
	return s.shape, nil
}

// preludeShape returns the graph shape of a prelude shape, named after it,
// or "Smithy"+name when the model has a shape of that name.
func (p *smithyParser) preludeShape(local, path string) (*Shape, error) {
	typ, ok := smithyPreludeTypes[local]
	if !ok && local != "Unit" {
		return nil, p.errf(path, "unknown prelude shape %q", "smithy.api#"+local)
	}
	if s, ok := p.prelude[local]; ok {
		return s, nil
	}
	name := local
	if _, taken := p.byName[name]; taken {
		name = "Smithy" + local
		if _, taken := p.byName[name]; taken {
			return nil, p.errf(path, "the model defines both %s and Smithy%s, so the prelude shape %s has no free name", local, local, local)
		}
	}
	s, err := p.b.define(name, path)
	if err != nil {
		return nil, err
	}
	if local == "Unit" {
		// Unit as a union member: a variant without a value. It is an empty
		// structure, as in Smithy's prelude.
		s.Kind = KindStructure
	} else {
		s.Kind = smithyScalarKinds[typ]
	}
	p.prelude[local] = s
	return s, nil
}

// dataShape converts one shape that is not an operation, resource or service.
func (p *smithyParser) dataShape(s *smithyShape) error {
	sh, err := p.b.define(s.name, s.path)
	if err != nil {
		return err
	}
	switch s.typ {
	case "enum":
		sh.Kind = KindEnum
		if err := p.enumMembers(sh, s); err != nil {
			return err
		}
	case "intEnum":
		// The graph has no integer enums: the values are checked, then the
		// shape is an integer.
		sh.Kind = KindInteger
		if err := p.enumMembers(sh, s); err != nil {
			return err
		}
	case "list", "set":
		sh.Kind = KindList
		mv, ok := s.v.get("member")
		if !ok {
			return p.errf(s.path, "%s has no \"member\"", s.typ)
		}
		if sh.ListMember, err = p.member("member", mv, s.path+".member"); err != nil {
			return err
		}
	case "map":
		sh.Kind = KindMap
		for _, k := range []string{"key", "value"} {
			mv, ok := s.v.get(k)
			if !ok {
				return p.errf(s.path, "map has no %q", k)
			}
			m, err := p.member(k, mv, s.path+"."+k)
			if err != nil {
				return err
			}
			if k == "key" {
				sh.MapKey = m
			} else {
				sh.MapValue = m
			}
		}
	case "structure", "union":
		sh.Kind = KindStructure
		if s.typ == "union" {
			sh.Kind = KindUnion
		}
		if mv, ok := s.v.get("members"); ok {
			path := s.path + ".members"
			fields, err := p.object(mv, path)
			if err != nil {
				return err
			}
			if len(fields) > MaxMembers {
				return p.errf(path, "more than %d members", MaxMembers)
			}
			sh.Members = make([]*Member, 0, len(fields))
			for _, f := range fields {
				fp := smithyKey(path, f.key)
				if err := p.checkName(fp, f.key); err != nil {
					return err
				}
				m, err := p.member(f.key, f.val, fp)
				if err != nil {
					return err
				}
				if m.Required && sh.Kind == KindUnion {
					// One member of a union is set at a time, so none is
					// required (botocore models agree).
					return p.errf(fp+`.traits["smithy.api#required"]`, "a union member cannot be required")
				}
				sh.Members = append(sh.Members, m)
			}
		}
	default:
		sh.Kind = smithyScalarKinds[s.typ]
	}
	return p.shapeTraits(sh, s)
}

// enumMembers reads the members of an enum or intEnum shape.
func (p *smithyParser) enumMembers(sh *Shape, s *smithyShape) error {
	path := s.path + ".members"
	mv, ok := s.v.get("members")
	if !ok {
		return p.errf(s.path, "%s has no members", s.typ)
	}
	fields, err := p.object(mv, path)
	if err != nil {
		return err
	}
	if len(fields) == 0 {
		return p.errf(path, "%s has no members", s.typ)
	}
	if len(fields) > MaxMembers {
		return p.errf(path, "more than %d members", MaxMembers)
	}
	values := map[string]string{}
	for _, f := range fields {
		fp := smithyKey(path, f.key)
		if err := p.checkName(fp, f.key); err != nil {
			return err
		}
		mf, err := p.object(f.val, fp)
		if err != nil {
			return err
		}
		var value sjValue
		hasValue := false
		for _, g := range mf {
			gp := smithyKey(fp, g.key)
			switch g.key {
			case "target":
				t, err := p.str(g.val, gp)
				if err != nil {
					return err
				}
				if t != "smithy.api#Unit" {
					return p.errf(gp, "%s member must target smithy.api#Unit, not %q", s.typ, t)
				}
			case "traits":
				traits, err := p.object(g.val, gp)
				if err != nil {
					return err
				}
				for _, t := range traits {
					tp := smithyKey(gp, t.key)
					switch t.key {
					case "smithy.api#enumValue":
						value, hasValue = t.val, true
					case "smithy.api#deprecated":
						if _, err := p.deprecation(t.val, tp); err != nil {
							return err
						}
					}
				}
			default:
				return p.errf(gp, "unknown property %q of an enum member", g.key)
			}
		}
		vp := fp + `.traits["smithy.api#enumValue"]`
		var v string
		if s.typ == "intEnum" {
			if !hasValue {
				return p.errf(fp, "intEnum member has no smithy.api#enumValue")
			}
			n, err := p.integer(value, vp, math.MinInt32, math.MaxInt32)
			if err != nil {
				return err
			}
			v = strconv.FormatInt(n, 10)
		} else {
			v = f.key
			if hasValue {
				if v, err = p.str(value, vp); err != nil {
					return err
				}
				if v == "" {
					return p.errf(vp, "empty enum value")
				}
			}
			sh.Enum = append(sh.Enum, EnumValue{Name: f.key, Value: v})
		}
		if o, ok := values[v]; ok {
			return p.errf(fp, "enum value %q already used by member %s", v, o)
		}
		values[v] = f.key
	}
	return nil
}

// member reads a member: {"target": "...", "traits": {...}}.
func (p *smithyParser) member(name string, v sjValue, path string) (*Member, error) {
	fields, err := p.object(v, path)
	if err != nil {
		return nil, err
	}
	m := &Member{Name: name}
	var traits []sjField
	found := false
	// Paths are made only when needed: this is the loader's hottest loop.
	for _, f := range fields {
		switch f.key {
		case "target":
			if f.val.kind != sjString {
				return nil, p.typeErr(path+".target", "string", f.val)
			}
			if m.Target, err = p.target(f.val.s, path+".target"); err != nil {
				return nil, err
			}
			found = true
		case "traits":
			if traits, err = p.object(f.val, path+".traits"); err != nil {
				return nil, err
			}
		default:
			return nil, p.errf(smithyKey(path, f.key), "unknown property %q of a member", f.key)
		}
	}
	if !found {
		return nil, p.errf(path, "member has no \"target\"")
	}
	for _, t := range traits {
		switch t.key {
		case "smithy.api#documentation", "smithy.api#clientOptional", "smithy.api#default", "smithy.api#jsonName":
			continue
		}
		tp := smithyKey(path+".traits", t.key)
		switch t.key {
		case "smithy.api#required":
			if err := p.annotation(t.val, tp); err != nil {
				return nil, err
			}
			m.Required = true
		case "smithy.api#idempotencyToken":
			if err := p.annotation(t.val, tp); err != nil {
				return nil, err
			}
			m.IdempotencyToken = true
		case "smithy.api#sensitive":
			if err := p.annotation(t.val, tp); err != nil {
				return nil, err
			}
			m.Sensitive = true
		case "smithy.api#deprecated":
			if m.Deprecated, err = p.deprecation(t.val, tp); err != nil {
				return nil, err
			}
		case "smithy.api#length", "smithy.api#range", "smithy.api#pattern":
			if err := p.constraint(&m.Constraints, t, tp); err != nil {
				return nil, err
			}
			p.checks = append(p.checks, smithyMemberCheck{m: m, trait: t.key, path: tp})
		case "smithy.api#mediaType":
			if m.JSONValue, err = p.mediaType(t.val, tp); err != nil {
				return nil, err
			}
			p.checks = append(p.checks, smithyMemberCheck{m: m, trait: t.key, path: tp})
		case "smithy.api#timestampFormat":
			// The graph keeps the format on the timestamp shape only.
			return nil, p.errf(tp, "timestampFormat on a member is not supported: put it on the timestamp shape")
		case "smithy.api#error", "smithy.api#httpError", "aws.protocols#awsQueryError", "smithy.api#enum",
			"smithy.api#paginated", "smithy.waiters#waitable", "smithy.api#enumValue":
			return nil, p.errf(tp, "trait %s does not apply to a member", t.key)
		}
	}
	return m, nil
}

// constraint applies a length, range or pattern trait.
func (p *smithyParser) constraint(c *Constraints, t sjField, path string) error {
	switch t.key {
	case "smithy.api#length":
		fields, err := p.object(t.val, path)
		if err != nil {
			return err
		}
		for _, f := range fields {
			fp := smithyKey(path, f.key)
			var dst **int64
			switch f.key {
			case "min":
				dst = &c.MinLength
			case "max":
				dst = &c.MaxLength
			default:
				return p.errf(fp, "unknown property %q of smithy.api#length", f.key)
			}
			n, err := p.integer(f.val, fp, 0, math.MaxInt64)
			if err != nil {
				return err
			}
			*dst = &n
		}
		if c.MinLength == nil && c.MaxLength == nil {
			return p.errf(path, "smithy.api#length needs min or max")
		}
		if c.MinLength != nil && c.MaxLength != nil && *c.MinLength > *c.MaxLength {
			return p.errf(path, "length min %d is greater than max %d", *c.MinLength, *c.MaxLength)
		}
	case "smithy.api#range":
		fields, err := p.object(t.val, path)
		if err != nil {
			return err
		}
		for _, f := range fields {
			fp := smithyKey(path, f.key)
			var dst **float64
			switch f.key {
			case "min":
				dst = &c.Min
			case "max":
				dst = &c.Max
			default:
				return p.errf(fp, "unknown property %q of smithy.api#range", f.key)
			}
			x, err := p.float(f.val, fp)
			if err != nil {
				return err
			}
			*dst = &x
		}
		if c.Min == nil && c.Max == nil {
			return p.errf(path, "smithy.api#range needs min or max")
		}
		if c.Min != nil && c.Max != nil && *c.Min > *c.Max {
			return p.errf(path, "range min %v is greater than max %v", *c.Min, *c.Max)
		}
	case "smithy.api#pattern":
		s, err := p.str(t.val, path)
		if err != nil {
			return err
		}
		if s == "" {
			return p.errf(path, "empty pattern")
		}
		c.Pattern = s
	}
	return nil
}

// smithyConstraintFits reports whether a constraint trait applies to a kind.
func smithyConstraintFits(trait string, k Kind) bool {
	switch trait {
	case "smithy.api#length":
		return k == KindString || k == KindEnum || k == KindBlob || k == KindList || k == KindMap
	case "smithy.api#range":
		return k.IsNumber()
	case "smithy.api#pattern":
		return k == KindString || k == KindEnum
	case "smithy.api#mediaType":
		return k == KindString || k == KindBlob
	}
	return true
}

func (p *smithyParser) deprecation(v sjValue, path string) (*Deprecation, error) {
	fields, err := p.object(v, path)
	if err != nil {
		return nil, err
	}
	d := &Deprecation{}
	for _, f := range fields {
		fp := smithyKey(path, f.key)
		switch f.key {
		case "message":
			d.Message, err = p.str(f.val, fp)
		case "since":
			d.Since, err = p.str(f.val, fp)
		default:
			err = p.errf(fp, "unknown property %q of smithy.api#deprecated", f.key)
		}
		if err != nil {
			return nil, err
		}
	}
	return d, nil
}

// mediaType reports whether a mediaType trait names JSON.
func (p *smithyParser) mediaType(v sjValue, path string) (bool, error) {
	s, err := p.str(v, path)
	if err != nil {
		return false, err
	}
	base, _, _ := strings.Cut(s, ";")
	base = strings.ToLower(strings.TrimSpace(base))
	if base == "" || !strings.Contains(base, "/") {
		return false, p.errf(path, "media type %q is not type/subtype", s)
	}
	return base == "application/json", nil
}

var smithyTimestampFormats = map[string]string{"date-time": "iso8601", "epoch-seconds": "unixTimestamp", "http-date": "rfc822"}

// shapeTraits applies the traits of a data shape.
func (p *smithyParser) shapeTraits(sh *Shape, s *smithyShape) error {
	tv, ok := s.v.get("traits")
	if !ok {
		return nil
	}
	var errTrait, httpErr, queryErr *sjField
	var errPath, httpPath, queryPath string
	for i := range tv.obj {
		t := &tv.obj[i]
		tp := smithyKey(s.path+".traits", t.key)
		var err error
		switch t.key {
		case "smithy.api#length", "smithy.api#range", "smithy.api#pattern", "smithy.api#mediaType":
			if t.key == "smithy.api#mediaType" {
				sh.JSONValue, err = p.mediaType(t.val, tp)
			} else {
				err = p.constraint(&sh.Constraints, *t, tp)
			}
			if err == nil && !smithyConstraintFits(t.key, sh.Kind) {
				err = p.errf(tp, "trait %s does not apply to a %s shape", t.key, s.typ)
			}
			if err == nil && t.key == "smithy.api#range" {
				err = p.checkBounds(sh.Constraints, sh.Kind, tp)
			}
		case "smithy.api#sensitive":
			err = p.annotation(t.val, tp)
			sh.Sensitive = true
		case "smithy.api#deprecated":
			sh.Deprecated, err = p.deprecation(t.val, tp)
		case "smithy.api#timestampFormat":
			var f string
			if f, err = p.str(t.val, tp); err == nil {
				if sh.Kind != KindTimestamp {
					err = p.errf(tp, "timestampFormat on a %s shape", s.typ)
				} else if sh.TimestampFormat = smithyTimestampFormats[f]; sh.TimestampFormat == "" {
					err = p.errf(tp, "unknown timestamp format %q (want date-time, epoch-seconds or http-date)", f)
				}
			}
		case "smithy.api#enum":
			if s.typ != "string" {
				err = p.errf(tp, "smithy.api#enum on a %s shape", s.typ)
			} else {
				err = p.enumTrait(sh, t.val, tp)
			}
		case "smithy.api#error":
			errTrait, errPath = t, tp
		case "smithy.api#httpError":
			httpErr, httpPath = t, tp
		case "aws.protocols#awsQueryError":
			queryErr, queryPath = t, tp
		case "smithy.api#required", "smithy.api#idempotencyToken", "smithy.api#enumValue":
			err = p.errf(tp, "trait %s applies to members only", t.key)
		case "smithy.api#paginated", "smithy.waiters#waitable":
			err = p.errf(tp, "trait %s applies to operations only", t.key)
		}
		if err != nil {
			return err
		}
	}
	if errTrait == nil {
		switch {
		case httpErr != nil:
			return p.errf(httpPath, "smithy.api#httpError without smithy.api#error")
		case queryErr != nil:
			return p.errf(queryPath, "aws.protocols#awsQueryError without smithy.api#error")
		}
		return nil
	}
	if sh.Kind != KindStructure {
		return p.errf(errPath, "smithy.api#error on a %s shape", s.typ)
	}
	fault, err := p.str(errTrait.val, errPath)
	if err != nil {
		return err
	}
	if fault != "client" && fault != "server" {
		return p.errf(errPath, "error fault %q is neither \"client\" nor \"server\"", fault)
	}
	// The wire code is the shape's own name, not a service rename.
	sh.Error = &ErrorInfo{Code: s.local, Fault: fault}
	if httpErr != nil {
		n, err := p.integer(httpErr.val, httpPath, 100, 599)
		if err != nil {
			return err
		}
		sh.Error.HTTPStatus = int(n)
	}
	if queryErr != nil {
		fields, err := p.object(queryErr.val, queryPath)
		if err != nil {
			return err
		}
		for _, f := range fields {
			fp := smithyKey(queryPath, f.key)
			switch f.key {
			case "code":
				if sh.Error.Code, err = p.str(f.val, fp); err != nil {
					return err
				}
				if sh.Error.Code == "" {
					return p.errf(fp, "empty error code")
				}
			case "httpResponseCode":
				n, err := p.integer(f.val, fp, 100, 599)
				if err != nil {
					return err
				}
				sh.Error.HTTPStatus = int(n)
			default:
				return p.errf(fp, "unknown property %q of aws.protocols#awsQueryError", f.key)
			}
		}
	}
	return nil
}

// enumTrait reads a Smithy 1.0 enum trait: [{"value": ..., "name": ...}, ...].
func (p *smithyParser) enumTrait(sh *Shape, v sjValue, path string) error {
	arr, err := p.array(v, path)
	if err != nil {
		return err
	}
	if len(arr) == 0 {
		return p.errf(path, "enum has no values")
	}
	if len(arr) > MaxMembers {
		return p.errf(path, "more than %d enum values", MaxMembers)
	}
	sh.Kind = KindEnum
	seen := map[string]bool{}
	for i, e := range arr {
		ep := smithyIndex(path, i)
		fields, err := p.object(e.val, ep)
		if err != nil {
			return err
		}
		ev := EnumValue{}
		hasValue := false
		for _, f := range fields {
			fp := smithyKey(ep, f.key)
			switch f.key {
			case "value":
				ev.Value, err = p.str(f.val, fp)
				hasValue = true
			case "name":
				if ev.Name, err = p.str(f.val, fp); err == nil {
					err = p.checkName(fp, ev.Name)
				}
			case "documentation":
				_, err = p.str(f.val, fp)
			case "deprecated":
				_, err = p.boolean(f.val, fp)
			case "tags":
				_, err = p.array(f.val, fp)
			default:
				err = p.errf(fp, "unknown property %q of an enum definition", f.key)
			}
			if err != nil {
				return err
			}
		}
		if !hasValue || ev.Value == "" {
			return p.errf(ep, "enum definition has no value")
		}
		if seen[ev.Value] {
			return p.errf(ep+".value", "enum value %q repeated", ev.Value)
		}
		seen[ev.Value] = true
		sh.Enum = append(sh.Enum, ev)
	}
	return nil
}

// serviceShape reads the service and the operations bound to it.
func (p *smithyParser) serviceShape() error {
	s := p.service
	svc := p.b.svc
	svc.TargetPrefix = s.local
	if v, ok := s.v.get("version"); ok {
		var err error
		if svc.APIVersion, err = p.str(v, s.path+".version"); err != nil {
			return err
		}
	}
	protoRank := 0
	if tv, ok := s.v.get("traits"); ok {
		for _, t := range tv.obj {
			tp := smithyKey(s.path+".traits", t.key)
			switch t.key {
			case "aws.api#service":
				fields, err := p.object(t.val, tp)
				if err != nil {
					return err
				}
				for _, f := range fields {
					fp := smithyKey(tp, f.key)
					switch f.key {
					case "sdkId":
						svc.ID, err = p.str(f.val, fp)
					case "endpointPrefix":
						svc.EndpointPrefix, err = p.str(f.val, fp)
					}
					if err != nil {
						return err
					}
				}
			case "aws.auth#sigv4":
				fields, err := p.object(t.val, tp)
				if err != nil {
					return err
				}
				for _, f := range fields {
					if f.key == "name" {
						if svc.SigningName, err = p.str(f.val, smithyKey(tp, f.key)); err != nil {
							return err
						}
					}
				}
			case "smithy.api#paginated":
				pg, err := p.paginated(t.val, tp)
				if err != nil {
					return err
				}
				p.svcPaginated = pg
			default:
				// A service may support several protocols; the graph keeps
				// one, AWS JSON first, named as botocore names them.
				if pr, ok := smithyProtocols[t.key]; ok {
					if err := p.annotation(t.val, tp); err != nil {
						return err
					}
					if protoRank == 0 || pr.rank < protoRank {
						protoRank = pr.rank
						svc.Protocol, svc.JSONVersion = pr.protocol, pr.jsonVersion
					}
				}
			}
		}
	}

	// Operations bound to the service, directly or through resources.
	var opIDs, opPaths []string
	seenOp := map[string]bool{}
	seenRes := map[string]bool{}
	var bind func(s *smithyShape) error
	bind = func(s *smithyShape) error {
		addOps := func(ids, paths []string) error {
			for i, id := range ids {
				o, ok := p.byID[id]
				if !ok {
					return p.errf(paths[i], "unknown shape %q", id)
				}
				if o.typ != "operation" {
					return p.errf(paths[i], "%q is a %s, not an operation", id, o.typ)
				}
				if !seenOp[id] {
					seenOp[id] = true
					opIDs = append(opIDs, id)
					opPaths = append(opPaths, o.path)
				}
			}
			return nil
		}
		for _, f := range s.v.obj {
			fp := smithyKey(s.path, f.key)
			switch f.key {
			case "operations", "collectionOperations":
				ids, paths, err := p.refList(f.val, fp)
				if err != nil {
					return err
				}
				if err := addOps(ids, paths); err != nil {
					return err
				}
			case "create", "put", "read", "update", "delete", "list":
				id, err := p.refTarget(f.val, fp)
				if err != nil {
					return err
				}
				if err := addOps([]string{id}, []string{fp + ".target"}); err != nil {
					return err
				}
			case "resources":
				ids, paths, err := p.refList(f.val, fp)
				if err != nil {
					return err
				}
				for i, id := range ids {
					r, ok := p.byID[id]
					if !ok {
						return p.errf(paths[i], "unknown shape %q", id)
					}
					if r.typ != "resource" {
						return p.errf(paths[i], "%q is a %s, not a resource", id, r.typ)
					}
					if seenRes[id] {
						continue
					}
					seenRes[id] = true
					if err := bind(r); err != nil {
						return err
					}
				}
			case "identifiers", "properties":
				if _, err := p.object(f.val, fp); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := bind(s); err != nil {
		return err
	}

	// Errors every operation of the service may return.
	var svcErrors []*Shape
	var svcErrPaths []string
	if ev, ok := s.v.get("errors"); ok {
		ids, paths, err := p.refList(ev, s.path+".errors")
		if err != nil {
			return err
		}
		for i, id := range ids {
			e, err := p.target(id, paths[i])
			if err != nil {
				return err
			}
			svcErrors = append(svcErrors, e)
			svcErrPaths = append(svcErrPaths, paths[i])
		}
	}

	for i, id := range opIDs {
		if err := p.operation(p.byID[id], opPaths[i], svcErrors, svcErrPaths); err != nil {
			return err
		}
	}
	return nil
}

type smithyProtocol struct {
	rank                  int
	protocol, jsonVersion string
}

var smithyProtocols = map[string]smithyProtocol{
	"aws.protocols#awsJson1_1": {1, "json", "1.1"},
	"aws.protocols#awsJson1_0": {2, "json", "1.0"},
	"aws.protocols#restJson1":  {3, "rest-json", ""},
	"aws.protocols#restXml":    {4, "rest-xml", ""},
	"aws.protocols#awsQuery":   {5, "query", ""},
	"aws.protocols#ec2Query":   {6, "ec2", ""},
}

// operation converts one bound operation.
func (p *smithyParser) operation(s *smithyShape, path string, svcErrors []*Shape, svcErrPaths []string) error {
	if _, ok := p.b.svc.Operations[s.name]; ok {
		return p.errf(path, "operation %q defined twice", s.name)
	}
	op := &Operation{Name: s.name}
	for _, f := range s.v.obj {
		fp := smithyKey(path, f.key)
		switch f.key {
		case "input", "output":
			id, err := p.refTarget(f.val, fp)
			if err != nil {
				return err
			}
			if id == "smithy.api#Unit" {
				continue
			}
			sh, err := p.target(id, fp+".target")
			if err != nil {
				return err
			}
			if f.key == "input" {
				op.Input = sh
			} else {
				op.Output = sh
			}
		case "errors":
			ids, paths, err := p.refList(f.val, fp)
			if err != nil {
				return err
			}
			for i, id := range ids {
				e, err := p.target(id, paths[i])
				if err != nil {
					return err
				}
				op.Errors = append(op.Errors, e)
				p.errPaths[op] = append(p.errPaths[op], paths[i])
			}
		}
	}
	for i, e := range svcErrors {
		dup := false
		for _, x := range op.Errors {
			dup = dup || x == e
		}
		if !dup {
			op.Errors = append(op.Errors, e)
			p.errPaths[op] = append(p.errPaths[op], svcErrPaths[i])
		}
	}
	var pag *Paginator
	if tv, ok := s.v.get("traits"); ok {
		for _, t := range tv.obj {
			tp := smithyKey(path+".traits", t.key)
			var err error
			switch t.key {
			case "smithy.api#deprecated":
				op.Deprecated, err = p.deprecation(t.val, tp)
			case "smithy.api#paginated":
				pag, err = p.paginated(t.val, tp)
			case "smithy.waiters#waitable":
				err = p.waiters(op.Name, t.val, tp)
			}
			if err != nil {
				return err
			}
		}
	}
	if pag != nil {
		merged := Paginator{}
		if d := p.svcPaginated; d != nil {
			merged = *d
		}
		for _, f := range []struct {
			dst *string
			v   string
		}{
			{&merged.InputToken, pag.InputToken}, {&merged.OutputToken, pag.OutputToken},
			{&merged.PageSize, pag.PageSize}, {&merged.Items, pag.Items},
		} {
			if f.v != "" {
				*f.dst = f.v
			}
		}
		if merged.InputToken != "" && merged.OutputToken != "" {
			op.Paginator = &merged
		}
	}
	p.b.svc.Operations[op.Name] = op
	p.opPaths[op] = path
	return nil
}

// paginated reads a smithy.api#paginated trait.
func (p *smithyParser) paginated(v sjValue, path string) (*Paginator, error) {
	fields, err := p.object(v, path)
	if err != nil {
		return nil, err
	}
	pg := &Paginator{}
	for _, f := range fields {
		fp := smithyKey(path, f.key)
		var dst *string
		switch f.key {
		case "inputToken":
			dst = &pg.InputToken
		case "outputToken":
			dst = &pg.OutputToken
		case "pageSize":
			dst = &pg.PageSize
		case "items":
			dst = &pg.Items
		default:
			return nil, p.errf(fp, "unknown property %q of smithy.api#paginated", f.key)
		}
		if *dst, err = p.str(f.val, fp); err != nil {
			return nil, err
		}
		if *dst == "" {
			return nil, p.errf(fp, "empty %s", f.key)
		}
	}
	return pg, nil
}

// smithyMaxDelay bounds waiter delays (a day is far beyond any real waiter).
const smithyMaxDelay = 86400

// waiters reads a smithy.waiters#waitable trait.
func (p *smithyParser) waiters(opName string, v sjValue, path string) error {
	fields, err := p.object(v, path)
	if err != nil {
		return err
	}
	for _, f := range fields {
		wp := smithyKey(path, f.key)
		if err := p.checkName(wp, f.key); err != nil {
			return err
		}
		if o, ok := p.b.svc.Waiters[f.key]; ok {
			return p.errf(wp, "waiter %s already defined on operation %s", f.key, o.Operation)
		}
		// Smithy's defaults: a model that gives no delays still means 2 and
		// 120 seconds, so MaxDelay is never 0 here. MaxAttempts stays 0:
		// Smithy waiters are bounded by time, not attempts.
		w := &Waiter{Name: f.key, Operation: opName, MinDelay: 2, MaxDelay: 120}
		wf, err := p.object(f.val, wp)
		if err != nil {
			return err
		}
		hasAcceptors := false
		for _, g := range wf {
			gp := smithyKey(wp, g.key)
			switch g.key {
			case "minDelay", "maxDelay":
				n, err := p.integer(g.val, gp, 1, smithyMaxDelay)
				if err != nil {
					return err
				}
				if g.key == "minDelay" {
					w.MinDelay = int(n)
				} else {
					w.MaxDelay = int(n)
				}
			case "documentation":
				_, err = p.str(g.val, gp)
			case "deprecated":
				_, err = p.boolean(g.val, gp)
			case "tags":
				_, err = p.array(g.val, gp)
			case "acceptors":
				hasAcceptors = true
				err = p.acceptors(w, g.val, gp)
			default:
				err = p.errf(gp, "unknown property %q of a waiter", g.key)
			}
			if err != nil {
				return err
			}
		}
		if !hasAcceptors || len(w.Acceptors) == 0 {
			return p.errf(wp, "waiter has no acceptors")
		}
		if w.MinDelay > w.MaxDelay {
			return p.errf(wp, "minDelay %d is greater than maxDelay %d", w.MinDelay, w.MaxDelay)
		}
		p.b.svc.Waiters[w.Name] = w
	}
	return nil
}

func (p *smithyParser) acceptors(w *Waiter, v sjValue, path string) error {
	arr, err := p.array(v, path)
	if err != nil {
		return err
	}
	if len(arr) > MaxMembers {
		return p.errf(path, "more than %d acceptors", MaxMembers)
	}
	for i, e := range arr {
		ap := smithyIndex(path, i)
		fields, err := p.object(e.val, ap)
		if err != nil {
			return err
		}
		a := Acceptor{}
		hasMatcher := false
		for _, f := range fields {
			fp := smithyKey(ap, f.key)
			switch f.key {
			case "state":
				s, err := p.str(f.val, fp)
				if err != nil {
					return err
				}
				switch st := AcceptorState(s); st {
				case StateSuccess, StateFailure, StateRetry:
					a.State = st
				default:
					return p.errf(fp, "unknown acceptor state %q", s)
				}
			case "matcher":
				hasMatcher = true
				if err := p.matcher(&a, f.val, fp); err != nil {
					return err
				}
			default:
				return p.errf(fp, "unknown property %q of an acceptor", f.key)
			}
		}
		if a.State == "" {
			return p.errf(ap, "acceptor has no state")
		}
		if !hasMatcher {
			return p.errf(ap, "acceptor has no matcher")
		}
		w.Acceptors = append(w.Acceptors, a)
	}
	return nil
}

func (p *smithyParser) matcher(a *Acceptor, v sjValue, path string) error {
	fields, err := p.object(v, path)
	if err != nil {
		return err
	}
	if len(fields) != 1 {
		return p.errf(path, "a matcher has exactly one of output, inputOutput, errorType, success; got %d properties", len(fields))
	}
	f := fields[0]
	fp := smithyKey(path, f.key)
	switch f.key {
	case "output", "inputOutput":
		a.Matcher = MatchOutput
		if f.key == "inputOutput" {
			a.Matcher = MatchInputOutput
		}
		pf, err := p.object(f.val, fp)
		if err != nil {
			return err
		}
		var have [3]bool
		for _, g := range pf {
			gp := smithyKey(fp, g.key)
			switch g.key {
			case "path":
				a.Path, err = p.str(g.val, gp)
				have[0] = true
			case "expected":
				a.Expected, err = p.str(g.val, gp)
				have[1] = true
			case "comparator":
				if a.Comparator, err = p.str(g.val, gp); err == nil {
					switch a.Comparator {
					case CompareStringEquals, CompareBooleanEquals, CompareAllStringEquals, CompareAnyStringEquals:
					default:
						err = p.errf(gp, "unknown comparator %q", a.Comparator)
					}
				}
				have[2] = true
			default:
				err = p.errf(gp, "unknown property %q of a path matcher", g.key)
			}
			if err != nil {
				return err
			}
		}
		if !have[0] || !have[1] || !have[2] || a.Path == "" {
			return p.errf(fp, "path matcher needs path, expected and comparator")
		}
	case "errorType":
		a.Matcher = MatchError
		s, err := p.str(f.val, fp)
		if err != nil {
			return err
		}
		// An absolute shape id names the error by its shape name.
		if _, local, ok := strings.Cut(s, "#"); ok {
			s = local
		}
		if s == "" {
			return p.errf(fp, "empty errorType")
		}
		a.ErrorType = s
	case "success":
		a.Matcher = MatchSuccess
		if a.Success, err = p.boolean(f.val, fp); err != nil {
			return err
		}
	default:
		return p.errf(fp, "unknown matcher %q", f.key)
	}
	return nil
}

// check verifies what needs every kind known: operation inputs, outputs and
// errors are structures, and member constraints fit their targets.
func (p *smithyParser) check() error {
	for _, op := range p.b.svc.SortedOperations() {
		path := p.opPaths[op]
		for _, c := range []struct {
			s    *Shape
			what string
		}{{op.Input, "input"}, {op.Output, "output"}} {
			if c.s != nil && c.s.Kind != KindStructure {
				return p.errf(path+"."+c.what+".target", "operation %s is a %s, not a structure", c.what, c.s.Kind)
			}
		}
		for i, e := range op.Errors {
			if e.Kind != KindStructure || e.Error == nil {
				return p.errf(p.errPaths[op][i], "error %s is not a structure with the smithy.api#error trait", e.Name)
			}
		}
	}
	for _, c := range p.checks {
		k := c.m.Target.Kind
		if !smithyConstraintFits(c.trait, k) {
			return p.errf(c.path, "trait %s does not apply to a member targeting a %s", c.trait, k)
		}
		if c.trait == "smithy.api#range" {
			if err := p.checkBounds(c.m.Constraints, k, c.path); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkBounds rejects range bounds that the number kind cannot hold, so that
// generated comparisons compile (the botocore loader does the same).
func (p *smithyParser) checkBounds(c Constraints, k Kind, path string) error {
	for _, b := range []struct {
		v   *float64
		key string
	}{{c.Min, "min"}, {c.Max, "max"}} {
		if b.v == nil {
			continue
		}
		f := *b.v
		switch {
		case k == KindInteger && (f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32):
			return p.errf(path+"."+b.key, "bound %v does not fit a 32-bit integer", f)
		case k == KindLong && (f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64):
			return p.errf(path+"."+b.key, "bound %v does not fit a 64-bit integer", f)
		case k == KindFloat && math.Abs(f) > math.MaxFloat32:
			return p.errf(path+"."+b.key, "bound %v does not fit a 32-bit float", f)
		}
	}
	return nil
}
