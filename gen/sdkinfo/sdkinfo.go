// Package sdkinfo reads the exported types of aws-sdk-go-v2/service/sagemaker
// from its source.
//
// The generator needs, for each model shape, the exact SDK Go type and the Go
// type of each of its fields, so that the conversion functions it emits
// compile. Rather than compiling the (very large) SDK, Load parses only the
// files that declare those types:
//
//   - api_op_<Op>.go in the root package: the <Op>Input and <Op>Output structs;
//   - types/types.go: structures, unions (an interface `type U interface{ isU() }`
//     implemented by member structs `UMember<M>{ Value T }`) and type aliases;
//   - types/enums.go: `type E string` with a const block of `Name E = "value"`;
//   - types/errors.go: error structures.
//
// Only the standard library (go/parser, go/ast, go/token) is used.
package sdkinfo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// ModulePath is the module path of the SageMaker SDK.
const ModulePath = "github.com/aws/aws-sdk-go-v2/service/sagemaker"

// RootPkg is the package name of the SDK's root package. Type.String omits
// the qualifier of types declared in it.
const RootPkg = "sagemaker"

// SDK is the set of exported types read from the SDK source.
type SDK struct {
	Module  string // "github.com/aws/aws-sdk-go-v2/service/sagemaker"
	Version string // "v1.288.1"; "" when it cannot be told from the folder name

	// Structs holds the operation inputs and outputs of the root package
	// (key "sagemaker.CreateTrainingJobInput") and the structures of package
	// types (key "types.ResourceConfig"), errors included. The member structs
	// of unions (types.XMemberY) are not in it: see Unions.
	// types.UnknownUnionMember is in it.
	Structs map[string]*Struct
	// Unions is keyed like "types.AutoMLProblemTypeConfig".
	Unions map[string]*Union
	// Enums is keyed like "types.TrainingJobStatus".
	Enums map[string]*Enum
	// Aliases holds the exported type aliases of package types
	// (`type MetricPublishFrequencyInSeconds = int32`; the SDK declares int
	// enums this way, and these are in Enums too), keyed like
	// "types.MetricPublishFrequencyInSeconds"; the value is the aliased type.
	Aliases map[string]*Type
}

// Struct is an exported struct type.
type Struct struct {
	Pkg  string // "sagemaker" or "types"
	Name string
	// Fields are the exported, named fields in source order; embedded fields
	// are skipped.
	Fields  []*Field
	IsError bool // declared in types/errors.go
}

// Key returns the map key of s in SDK.Structs, e.g. "types.ResourceConfig".
func (s *Struct) Key() string { return s.Pkg + "." + s.Name }

// Field returns the field called name, or nil.
func (s *Struct) Field(name string) *Field {
	for _, f := range s.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Field is one field of a Struct.
type Field struct {
	Name string
	Type *Type
}

// Union is a tagged union: an interface implemented by one member struct per
// model member.
type Union struct {
	Pkg  string // "types"
	Name string
	// Members is keyed by model member name: the Go name of the member
	// struct without the "<Union>Member" prefix.
	Members map[string]*UnionMember
}

// UnionMember is one member struct of a Union.
type UnionMember struct {
	GoName string // e.g. "AutoMLProblemTypeConfigMemberImageClassificationJobConfig"
	Value  *Type  // the type of its Value field
}

// Enum is an enum of enums.go: usually a string enum (`type E string`), or an
// int enum, which the SDK declares as an alias (`type E = int32`).
type Enum struct {
	Pkg  string // "types"
	Name string
	// Values maps the wire value to the Go const name. For an int enum the
	// wire value is the literal as written, e.g. "10".
	Values map[string]string
	// Underlying is the underlying type: string, or int32 for int enums.
	Underlying *Type
	// Alias tells that the enum is a type alias (`type E = int32`), so its
	// values need no conversion. Such an enum is also in SDK.Aliases.
	Alias bool
}

// TypeKind tells what a Type is.
type TypeKind int

// The kinds of Type.
const (
	Invalid   TypeKind = iota
	Named              // a named type: Pkg.Name, or a builtin such as string when Pkg == ""
	Pointer            // *Elem
	Slice              // []Elem
	Map                // map[Key]Elem
	Interface          // any / interface{}
)

var kindNames = [...]string{"Invalid", "Named", "Pointer", "Slice", "Map", "Interface"}

func (k TypeKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "TypeKind(" + strconv.Itoa(int(k)) + ")"
}

// Type is the type of a field or union member value.
type Type struct {
	Kind TypeKind
	// Pkg is the package name of a Named type: "" for builtins, "sagemaker"
	// for the root package, "types", "time", "document", "middleware"...
	Pkg string
	// Path is the import path of a Named type's package ("" for builtins),
	// e.g. "github.com/aws/aws-sdk-go-v2/service/sagemaker/types", "time".
	Path string
	Name string
	Elem *Type // Pointer, Slice, Map
	Key  *Type // Map
}

// String returns the Go source form of t as written in package sagemaker,
// e.g. "*types.ResourceConfig", "[]types.Channel", "map[string]string",
// "*time.Time".
func (t *Type) String() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t *Type) write(b *strings.Builder) {
	if t == nil {
		b.WriteString("<nil>")
		return
	}
	switch t.Kind {
	case Named:
		if t.Pkg != "" && t.Pkg != RootPkg {
			b.WriteString(t.Pkg)
			b.WriteByte('.')
		}
		b.WriteString(t.Name)
	case Pointer:
		b.WriteByte('*')
		t.Elem.write(b)
	case Slice:
		b.WriteString("[]")
		t.Elem.write(b)
	case Map:
		b.WriteString("map[")
		t.Key.write(b)
		b.WriteByte(']')
		t.Elem.write(b)
	case Interface:
		b.WriteString("any")
	default:
		b.WriteString("<invalid>")
	}
}

// Find runs `go list -m -json github.com/aws/aws-sdk-go-v2/service/sagemaker`
// in the working directory's module and returns the module's folder and
// version. When the module is not in the module cache yet (a fresh clone),
// it runs `go mod download -json` for the version go.mod requires (or its
// replacement) and uses the folder that prints.
func Find() (dir, version string, err error) {
	cmd := exec.Command("go", "list", "-m", "-json", ModulePath)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", "", fmt.Errorf("sdkinfo: go list -m %s: %v: %s", ModulePath, err, strings.TrimSpace(stderr.String()))
	}
	var m struct {
		Path    string
		Version string
		Dir     string
		Replace *struct {
			Path    string
			Version string
			Dir     string
		}
		Error *struct{ Err string }
	}
	if err := json.Unmarshal(out, &m); err != nil {
		return "", "", fmt.Errorf("sdkinfo: go list -m %s: %v", ModulePath, err)
	}
	if m.Error != nil {
		return "", "", fmt.Errorf("sdkinfo: go list -m %s: %s", ModulePath, m.Error.Err)
	}
	dir, version = m.Dir, m.Version
	modPath := ModulePath
	if m.Replace != nil {
		dir = m.Replace.Dir
		if m.Replace.Version != "" {
			version = m.Replace.Version
			modPath = m.Replace.Path
		}
	}
	if dir == "" {
		if version == "" {
			// A local replacement whose folder is missing: nothing to download.
			return "", "", fmt.Errorf("sdkinfo: go list -m %s gives no folder and no version", ModulePath)
		}
		if dir, err = Download(modPath, version); err != nil {
			return "", "", err
		}
	}
	return dir, version, nil
}

// Download runs `go mod download -json path@version` and returns the
// module's folder in the module cache. Its error names the command and
// carries what go reported (e.g. "module lookup disabled by GOPROXY=off").
func Download(path, version string) (string, error) {
	mv := path + "@" + version
	cmd := exec.Command("go", "mod", "download", "-json", mv)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var info struct{ Dir, Error string }
	jsonErr := json.Unmarshal(stdout.Bytes(), &info)
	if runErr == nil && jsonErr == nil && info.Error == "" && info.Dir != "" {
		return info.Dir, nil
	}
	var why []string
	if info.Error != "" {
		why = append(why, info.Error)
	}
	if s := strings.TrimSpace(stderr.String()); s != "" {
		why = append(why, s)
	}
	switch {
	case len(why) > 0:
	case runErr != nil:
		why = append(why, runErr.Error())
	case jsonErr != nil:
		why = append(why, "unreadable output: "+jsonErr.Error())
	default:
		why = append(why, "no Dir in its output")
	}
	return "", fmt.Errorf("sdkinfo: %s is not in the module cache and `go mod download -json %s` failed: %s", mv, mv, strings.Join(why, "; "))
}

// fileKind tells which of the parsed files a job is.
type fileKind int

const (
	kindOp fileKind = iota
	kindTypes
	kindEnums
	kindErrors
)

type job struct {
	path string
	kind fileKind
	op   string // kindOp: the operation name from the file name
	size int64
}

// fileResult is what one file contributes.
type fileResult struct {
	err     error
	structs []*Struct
	aliases map[string]*Type // name -> aliased type
	// unions: interfaces `type U interface{ isU() }`.
	unions []string
	// isMethods: receiver type name -> names of the unions U of its
	// methods isU() (types.go only).
	isMethods map[string][]string
	// enums: declared `type E string` or `type E = int32` and const values.
	enumTypes []*Enum
	enumConst []enumConst
}

type enumConst struct {
	typ, name, value string
}

// Load reads the SDK from dir, the folder of module
// github.com/aws/aws-sdk-go-v2/service/sagemaker.
func Load(dir string) (*SDK, error) {
	module, err := readModulePath(filepath.Join(dir, "go.mod"))
	if err != nil {
		return nil, err
	}
	var jobs []job
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("sdkinfo: %v", err)
	}
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || !strings.HasPrefix(n, "api_op_") || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		jobs = append(jobs, job{path: filepath.Join(dir, n), kind: kindOp, op: strings.TrimSuffix(strings.TrimPrefix(n, "api_op_"), ".go")})
	}
	if len(jobs) == 0 {
		return nil, fmt.Errorf("sdkinfo: no api_op_*.go file in %s", dir)
	}
	for _, f := range []struct {
		name string
		kind fileKind
	}{{"types.go", kindTypes}, {"enums.go", kindEnums}, {"errors.go", kindErrors}} {
		p := filepath.Join(dir, "types", f.name)
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("sdkinfo: %v", err)
		}
		jobs = append(jobs, job{path: p, kind: f.kind})
	}
	for i := range jobs {
		if fi, err := os.Stat(jobs[i].path); err == nil {
			jobs[i].size = fi.Size()
		}
	}

	// Largest files first so that types.go does not start last.
	order := make([]int, len(jobs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return jobs[order[a]].size > jobs[order[b]].size })

	fset := token.NewFileSet()
	results := make([]fileResult, len(jobs))
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				if next == len(order) {
					mu.Unlock()
					return
				}
				i := order[next]
				next++
				mu.Unlock()
				results[i] = parseFile(fset, module, jobs[i])
			}
		})
	}
	wg.Wait()

	sdk := &SDK{
		Module:  module,
		Version: versionFromDir(dir),
		Structs: map[string]*Struct{},
		Unions:  map[string]*Union{},
		Enums:   map[string]*Enum{},
		Aliases: map[string]*Type{},
	}
	var errs []error
	for _, r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := sdk.merge(results); err != nil {
		return nil, err
	}
	return sdk, nil
}

func (sdk *SDK) merge(results []fileResult) error {
	const tp = "types"
	// Unions and their members (types.go).
	memberOf := map[string][]string{} // member struct name -> unions
	for _, r := range results {
		for _, u := range r.unions {
			key := tp + "." + u
			if sdk.Unions[key] != nil {
				return fmt.Errorf("sdkinfo: union %s declared twice", key)
			}
			sdk.Unions[key] = &Union{Pkg: tp, Name: u, Members: map[string]*UnionMember{}}
		}
	}
	for _, r := range results {
		for recv, us := range r.isMethods {
			for _, u := range us {
				if sdk.Unions[tp+"."+u] != nil {
					memberOf[recv] = append(memberOf[recv], u)
				}
			}
		}
	}
	for _, r := range results {
		for _, s := range r.structs {
			us := memberOf[s.Name]
			if s.Pkg == tp && len(us) > 0 && s.Name != "UnknownUnionMember" {
				if len(us) != 1 {
					return fmt.Errorf("sdkinfo: types.%s is a member of several unions: %v", s.Name, us)
				}
				u := sdk.Unions[tp+"."+us[0]]
				m, ok := strings.CutPrefix(s.Name, u.Name+"Member")
				if !ok || m == "" {
					return fmt.Errorf("sdkinfo: types.%s implements union %s but is not named %sMember<Member>", s.Name, u.Name, u.Name)
				}
				v := s.Field("Value")
				if v == nil {
					return fmt.Errorf("sdkinfo: union member types.%s has no Value field", s.Name)
				}
				u.Members[m] = &UnionMember{GoName: s.Name, Value: v.Type}
				continue
			}
			key := s.Key()
			if sdk.Structs[key] != nil {
				return fmt.Errorf("sdkinfo: struct %s declared twice", key)
			}
			sdk.Structs[key] = s
		}
		for name, t := range r.aliases {
			sdk.Aliases[tp+"."+name] = t
		}
	}
	// Enums (enums.go).
	for _, r := range results {
		for _, e := range r.enumTypes {
			sdk.Enums[tp+"."+e.Name] = e
		}
	}
	for _, r := range results {
		for _, c := range r.enumConst {
			e := sdk.Enums[tp+"."+c.typ]
			if e == nil {
				continue
			}
			if prev, ok := e.Values[c.value]; ok && prev != c.name {
				return fmt.Errorf("sdkinfo: enum types.%s: value %q has two consts, %s and %s", e.Name, c.value, prev, c.name)
			}
			e.Values[c.value] = c.name
		}
	}
	return nil
}

// parseFile parses one file and extracts what its kind asks for.
func parseFile(fset *token.FileSet, module string, j job) (r fileResult) {
	src, err := os.ReadFile(j.path)
	if err != nil {
		r.err = fmt.Errorf("sdkinfo: %v", err)
		return r
	}
	f, err := parser.ParseFile(fset, j.path, src, parser.SkipObjectResolution)
	if err != nil {
		r.err = fmt.Errorf("sdkinfo: %v", err)
		return r
	}
	c := &conv{fset: fset, pkg: f.Name.Name, path: module, imports: map[string]importRef{}}
	if j.kind != kindOp {
		c.path = module + "/types"
	}
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			r.err = fmt.Errorf("sdkinfo: %s: bad import %s", fset.Position(imp.Pos()), imp.Path.Value)
			return r
		}
		name := guessPkgName(p)
		local := name
		if imp.Name != nil {
			local = imp.Name.Name
			if !token.IsIdentifier(name) {
				name = local
			}
		}
		if local == "_" || local == "." {
			continue
		}
		c.imports[local] = importRef{pkg: name, path: p}
	}

	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			switch d.Tok {
			case token.TYPE:
				for _, s := range d.Specs {
					if err := r.typeSpec(c, j, s.(*ast.TypeSpec)); err != nil {
						r.err = err
						return r
					}
				}
			case token.CONST:
				if j.kind == kindEnums {
					r.consts(d)
				}
			}
		case *ast.FuncDecl:
			if j.kind != kindOp {
				r.isMethod(d)
			}
		}
	}
	return r
}

func (r *fileResult) typeSpec(c *conv, j job, ts *ast.TypeSpec) error {
	name := ts.Name.Name
	if !ast.IsExported(name) || ts.TypeParams != nil {
		return nil
	}
	if j.kind == kindOp {
		if name != j.op+"Input" && name != j.op+"Output" {
			return nil
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok || ts.Assign.IsValid() {
			return fmt.Errorf("sdkinfo: %s: %s is not a struct type", c.fset.Position(ts.Pos()), name)
		}
		return r.addStruct(c, name, st, false)
	}
	// Package types.
	if ts.Assign.IsValid() {
		t, err := c.typ(ts.Type)
		if err != nil {
			return err
		}
		if r.aliases == nil {
			r.aliases = map[string]*Type{}
		}
		r.aliases[name] = t
		if j.kind == kindEnums && t.Kind == Named && t.Pkg == "" && t.Name != "bool" && t.Name != "error" {
			r.enumTypes = append(r.enumTypes, &Enum{Pkg: c.pkg, Name: name, Values: map[string]string{}, Underlying: t, Alias: true})
		}
		return nil
	}
	switch t := ts.Type.(type) {
	case *ast.StructType:
		return r.addStruct(c, name, t, j.kind == kindErrors)
	case *ast.InterfaceType:
		if isUnionInterface(name, t) {
			r.unions = append(r.unions, name)
		}
	case *ast.Ident:
		if j.kind == kindEnums && predeclared[t.Name] && t.Name != "bool" && t.Name != "error" {
			r.enumTypes = append(r.enumTypes, &Enum{Pkg: c.pkg, Name: name, Values: map[string]string{}, Underlying: &Type{Kind: Named, Name: t.Name}})
		}
	}
	return nil
}

func (r *fileResult) addStruct(c *conv, name string, st *ast.StructType, isErr bool) error {
	s := &Struct{Pkg: c.pkg, Name: name, IsError: isErr}
	for _, fl := range st.Fields.List {
		if len(fl.Names) == 0 {
			continue // embedded
		}
		var t *Type
		for _, n := range fl.Names {
			if !n.IsExported() {
				continue
			}
			if t == nil {
				var err error
				if t, err = c.typ(fl.Type); err != nil {
					return fmt.Errorf("%v (field %s.%s)", err, name, n.Name)
				}
			}
			s.Fields = append(s.Fields, &Field{Name: n.Name, Type: t})
		}
	}
	r.structs = append(r.structs, s)
	return nil
}

// isUnionInterface reports whether it is `interface{ is<name>() }`.
func isUnionInterface(name string, it *ast.InterfaceType) bool {
	if it.Methods == nil || len(it.Methods.List) != 1 {
		return false
	}
	m := it.Methods.List[0]
	ft, ok := m.Type.(*ast.FuncType)
	return ok && len(m.Names) == 1 && m.Names[0].Name == "is"+name &&
		ft.Params.NumFields() == 0 && ft.Results.NumFields() == 0
}

// isMethod records `func (*T) isU() {}`.
func (r *fileResult) isMethod(d *ast.FuncDecl) {
	if d.Recv == nil || len(d.Recv.List) != 1 || !strings.HasPrefix(d.Name.Name, "is") ||
		d.Type.Params.NumFields() != 0 || d.Type.Results.NumFields() != 0 {
		return
	}
	rt := d.Recv.List[0].Type
	if st, ok := rt.(*ast.StarExpr); ok {
		rt = st.X
	}
	id, ok := rt.(*ast.Ident)
	if !ok {
		return
	}
	if r.isMethods == nil {
		r.isMethods = map[string][]string{}
	}
	r.isMethods[id.Name] = append(r.isMethods[id.Name], d.Name.Name[len("is"):])
}

// consts records `Name Type = "value"` specs.
func (r *fileResult) consts(d *ast.GenDecl) {
	for _, s := range d.Specs {
		vs := s.(*ast.ValueSpec)
		id, ok := vs.Type.(*ast.Ident)
		if !ok || len(vs.Names) != len(vs.Values) {
			continue
		}
		for i, n := range vs.Names {
			lit, ok := vs.Values[i].(*ast.BasicLit)
			if !ok || !n.IsExported() {
				continue
			}
			v := lit.Value
			switch lit.Kind {
			case token.STRING:
				var err error
				if v, err = strconv.Unquote(lit.Value); err != nil {
					continue
				}
			case token.INT, token.FLOAT:
			default:
				continue
			}
			r.enumConst = append(r.enumConst, enumConst{typ: id.Name, name: n.Name, value: v})
		}
	}
}

type importRef struct{ pkg, path string }

// conv converts type expressions of one file.
type conv struct {
	fset    *token.FileSet
	pkg     string // the file's package name
	path    string // the file's package import path
	imports map[string]importRef
}

func (c *conv) typ(e ast.Expr) (*Type, error) {
	switch e := e.(type) {
	case *ast.Ident:
		if e.Name == "any" {
			return &Type{Kind: Interface}, nil
		}
		if predeclared[e.Name] {
			return &Type{Kind: Named, Name: e.Name}, nil
		}
		return &Type{Kind: Named, Pkg: c.pkg, Path: c.path, Name: e.Name}, nil
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		if !ok {
			break
		}
		imp, ok := c.imports[x.Name]
		if !ok {
			return nil, fmt.Errorf("sdkinfo: %s: package %s is not imported", c.fset.Position(e.Pos()), x.Name)
		}
		return &Type{Kind: Named, Pkg: imp.pkg, Path: imp.path, Name: e.Sel.Name}, nil
	case *ast.StarExpr:
		el, err := c.typ(e.X)
		if err != nil {
			return nil, err
		}
		return &Type{Kind: Pointer, Elem: el}, nil
	case *ast.ArrayType:
		if e.Len != nil {
			break
		}
		el, err := c.typ(e.Elt)
		if err != nil {
			return nil, err
		}
		return &Type{Kind: Slice, Elem: el}, nil
	case *ast.MapType:
		k, err := c.typ(e.Key)
		if err != nil {
			return nil, err
		}
		el, err := c.typ(e.Value)
		if err != nil {
			return nil, err
		}
		return &Type{Kind: Map, Key: k, Elem: el}, nil
	case *ast.InterfaceType:
		if e.Methods.NumFields() == 0 {
			return &Type{Kind: Interface}, nil
		}
	case *ast.ParenExpr:
		return c.typ(e.X)
	}
	return nil, fmt.Errorf("sdkinfo: %s: unsupported type expression %T", c.fset.Position(e.Pos()), e)
}

var predeclared = map[string]bool{
	"bool": true, "byte": true, "complex64": true, "complex128": true, "error": true,
	"float32": true, "float64": true, "int": true, "int8": true, "int16": true,
	"int32": true, "int64": true, "rune": true, "string": true, "uint": true,
	"uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"comparable": true,
}

// guessPkgName returns the conventional package name of import path p: its
// last element without a /vN major version suffix.
func guessPkgName(p string) string {
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" && path.Dir(p) != "." {
		base = path.Base(path.Dir(p))
	}
	return base
}

// readModulePath returns the module path declared in go.mod.
func readModulePath(gomod string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", fmt.Errorf("sdkinfo: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '"') {
			rest = strings.TrimSpace(rest)
			if i := strings.Index(rest, "//"); i >= 0 {
				rest = strings.TrimSpace(rest[:i])
			}
			if u, err := strconv.Unquote(rest); err == nil {
				rest = u
			}
			if rest != "" {
				return rest, nil
			}
		}
	}
	return "", fmt.Errorf("sdkinfo: %s: no module line", gomod)
}

// versionFromDir returns the version in a module cache folder name
// ".../sagemaker@v1.288.1", or "".
func versionFromDir(dir string) string {
	base := filepath.Base(filepath.Clean(dir))
	if i := strings.LastIndexByte(base, '@'); i >= 0 {
		return base[i+1:]
	}
	return ""
}
