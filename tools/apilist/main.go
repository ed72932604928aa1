// Command apilist writes the exported API of Go packages as sorted text, one
// line per exported constant, variable, function, type, struct field,
// interface method and method, in the style of the Go distribution's
// api/*.txt files. smcore commits the listing of its library packages in
// api/ as the baseline `make apidiff` checks against.
//
//	go run ./tools/apilist -o api ./shapes ./resources ./waiters ./logtail      # rewrite api/<pkg>.txt
//	go run ./tools/apilist -check api ./shapes ./resources ./waiters ./logtail  # exit 1 when api/ is stale
//
// Types are read from the compiler's export data (`go list -export`), so
// the listing says what the compiler sees; parameter names, struct tags and
// comments are not part of it. Only the standard library is used.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	out := flag.String("o", "", "write the listing of each package to DIR/<package>.txt")
	check := flag.String("check", "", "compare the listings with DIR/<package>.txt; exit 1 when they differ")
	dir := flag.String("C", ".", "module folder to list packages in")
	max := flag.Int("max", 40, "with -check, print at most this many changed lines per package")
	flag.Parse()
	if (*out == "") == (*check == "") || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: apilist (-o DIR | -check DIR) [-C module] packages...")
		os.Exit(2)
	}
	lists, err := List(*dir, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "apilist:", err)
		os.Exit(1)
	}
	if *out != "" {
		if err := write(*out, lists); err != nil {
			fmt.Fprintln(os.Stderr, "apilist:", err)
			os.Exit(1)
		}
		return
	}
	stale, err := Check(os.Stdout, *check, lists, *max)
	if err != nil {
		fmt.Fprintln(os.Stderr, "apilist:", err)
		os.Exit(1)
	}
	if stale {
		os.Exit(1)
	}
}

// Listing is the API of one package.
type Listing struct {
	Path  string // import path
	File  string // base name of its listing file: last path element + ".txt"
	Lines []string
}

func write(dir string, lists []Listing) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, l := range lists {
		if err := os.WriteFile(filepath.Join(dir, l.File), []byte(text(l)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func text(l Listing) string {
	return strings.Join(l.Lines, "\n") + "\n"
}

// Check compares each listing with its file in dir, writes what differs
// (at most max lines per package) and reports whether any differs.
func Check(w io.Writer, dir string, lists []Listing, max int) (stale bool, err error) {
	for _, l := range lists {
		p := filepath.Join(dir, l.File)
		old, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return false, err
		}
		if string(old) == text(l) {
			continue
		}
		stale = true
		var oldLines []string
		if len(old) > 0 {
			oldLines = strings.Split(strings.TrimSuffix(string(old), "\n"), "\n")
		}
		removed, added := setDiff(oldLines, l.Lines), setDiff(l.Lines, oldLines)
		fmt.Fprintf(w, "%s is stale for %s: %d lines removed, %d added\n", p, l.Path, len(removed), len(added))
		shown := 0
		for _, part := range []struct {
			sign  string
			lines []string
		}{{"-", removed}, {"+", added}} {
			for _, line := range part.lines {
				if shown == max {
					break
				}
				fmt.Fprintf(w, "  %s %s\n", part.sign, line)
				shown++
			}
		}
		if n := len(removed) + len(added); n > shown {
			fmt.Fprintf(w, "  … (%d more)\n", n-shown)
		}
	}
	return stale, nil
}

func setDiff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

// List loads the packages (patterns as `go list` takes them, run in dir)
// from export data and lists their exported API, sorted by import path.
func List(dir string, patterns []string) ([]Listing, error) {
	args := append([]string{"list", "-export", "-deps", "-json=ImportPath,Export,DepOnly,Name,Error"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.String())
	}
	exports := map[string]string{}
	var roots []string
	dec := json.NewDecoder(&stdout)
	for {
		var p struct {
			ImportPath, Export, Name string
			DepOnly                  bool
			Error                    *struct{ Err string }
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if p.Error != nil {
			return nil, fmt.Errorf("%s: %s", p.ImportPath, p.Error.Err)
		}
		exports[p.ImportPath] = p.Export
		if !p.DepOnly {
			roots = append(roots, p.ImportPath)
		}
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok || f == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	})
	slices.Sort(roots)
	var out []Listing
	for _, r := range roots {
		pkg, err := imp.Import(r)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", r, err)
		}
		out = append(out, Listing{Path: r, File: path.Base(r) + ".txt", Lines: Lines(pkg)})
	}
	return out, nil
}

// Lines lists a package's exported API, sorted. Every line starts with
// "pkg <name>, ".
func Lines(pkg *types.Package) []string {
	q := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Path()
	}
	var ts func(t types.Type) string
	// ts is types.TypeString without the parameter names of func types.
	ts = func(t types.Type) string {
		switch t := t.(type) {
		case *types.Signature:
			return "func" + signature(t, ts)
		case *types.Pointer:
			return "*" + ts(t.Elem())
		case *types.Slice:
			return "[]" + ts(t.Elem())
		case *types.Array:
			return fmt.Sprintf("[%d]%s", t.Len(), ts(t.Elem()))
		case *types.Map:
			return "map[" + ts(t.Key()) + "]" + ts(t.Elem())
		case *types.Chan:
			switch t.Dir() {
			case types.SendOnly:
				return "chan<- " + ts(t.Elem())
			case types.RecvOnly:
				return "<-chan " + ts(t.Elem())
			}
			return "chan " + ts(t.Elem())
		}
		return types.TypeString(t, q)
	}
	var lines []string
	add := func(format string, args ...any) {
		lines = append(lines, "pkg "+pkg.Name()+", "+fmt.Sprintf(format, args...))
	}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch o := obj.(type) {
		case *types.Const:
			add("const %s %s = %s", name, ts(o.Type()), o.Val().ExactString())
		case *types.Var:
			add("var %s %s", name, ts(o.Type()))
		case *types.Func:
			sig := o.Type().(*types.Signature)
			add("func %s%s%s", name, typeParams(sig.TypeParams(), ts), signature(sig, ts))
		case *types.TypeName:
			listType(add, ts, o)
		}
	}
	slices.Sort(lines)
	return slices.Compact(lines)
}

func listType(add func(string, ...any), ts func(types.Type) string, o *types.TypeName) {
	name := o.Name()
	if o.IsAlias() {
		add("type %s = %s", name, ts(types.Unalias(o.Type())))
		return
	}
	named, ok := o.Type().(*types.Named)
	if !ok {
		add("type %s %s", name, ts(o.Type().Underlying()))
		return
	}
	head := name + typeParams(named.TypeParams(), ts)
	switch u := named.Underlying().(type) {
	case *types.Struct:
		add("type %s struct", head)
		for i := range u.NumFields() {
			f := u.Field(i)
			switch {
			case f.Embedded():
				add("type %s struct, embedded %s", head, ts(f.Type()))
			case f.Exported():
				add("type %s struct, %s %s", head, f.Name(), ts(f.Type()))
			}
		}
	case *types.Interface:
		add("type %s interface", head)
		unexported := false
		for i := range u.NumMethods() {
			m := u.Method(i)
			if !m.Exported() {
				unexported = true
				continue
			}
			add("type %s interface, %s%s", head, m.Name(), signature(m.Type().(*types.Signature), ts))
		}
		if unexported {
			add("type %s interface, unexported methods", head)
		}
		if !u.IsMethodSet() {
			add("type %s interface, constraint %s", head, ts(u))
		}
	default:
		add("type %s %s", head, ts(u))
	}
	if _, isIface := named.Underlying().(*types.Interface); isIface {
		return // its methods are listed above
	}
	// Methods, promoted ones included: of T, then those only *T has.
	valueSet := types.NewMethodSet(named)
	inValue := map[string]bool{}
	for i := range valueSet.Len() {
		m := valueSet.At(i).Obj()
		inValue[m.Name()] = true
		if m.Exported() {
			add("method (%s) %s%s", name, m.Name(), signature(m.Type().(*types.Signature), ts))
		}
	}
	ptrSet := types.NewMethodSet(types.NewPointer(named))
	for i := range ptrSet.Len() {
		m := ptrSet.At(i).Obj()
		if m.Exported() && !inValue[m.Name()] {
			add("method (*%s) %s%s", name, m.Name(), signature(m.Type().(*types.Signature), ts))
		}
	}
}

// signature renders a signature without parameter names: "(int, ...string) (T, error)".
func signature(sig *types.Signature, ts func(types.Type) string) string {
	tuple := func(t *types.Tuple, variadic bool) []string {
		var out []string
		for i := range t.Len() {
			s := ts(t.At(i).Type())
			if variadic && i == t.Len()-1 {
				s = "..." + ts(t.At(i).Type().(*types.Slice).Elem())
			}
			out = append(out, s)
		}
		return out
	}
	s := "(" + strings.Join(tuple(sig.Params(), sig.Variadic()), ", ") + ")"
	res := tuple(sig.Results(), false)
	switch len(res) {
	case 0:
	case 1:
		s += " " + res[0]
	default:
		s += " (" + strings.Join(res, ", ") + ")"
	}
	return s
}

func typeParams(tp *types.TypeParamList, ts func(types.Type) string) string {
	if tp.Len() == 0 {
		return ""
	}
	var parts []string
	for i := range tp.Len() {
		p := tp.At(i)
		parts = append(parts, p.Obj().Name()+" "+ts(p.Constraint()))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
