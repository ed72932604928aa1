package model

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Limits that protect the loaders from hostile input.
const (
	MaxFileSize   = 64 << 20 // bytes of a model file after decompression
	MaxShapes     = 100_000
	MaxMembers    = 10_000 // per shape
	MaxNameLength = 256
)

// Error is a problem in a model file, located by a JSON path such as
// `$.shapes.Foo.members.Bar.shape`.
type Error struct {
	File string // base name of the file
	Path string // JSON path; empty when the whole file is at fault
	Msg  string
	Err  error // underlying error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Path != "" {
		b.WriteString(": ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Load reads a model from a file or a folder. A folder must hold one main
// model file: service-2.json, api-2.json (either possibly .gz) or a Smithy
// JSON AST file; botocore's waiters-2.json and paginators-1.json beside it
// are read too. The format is detected from the content.
func Load(path string) (*Service, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	main := path
	if st.IsDir() {
		if main, err = findMain(path); err != nil {
			return nil, err
		}
	}
	data, raw, err := readFile(main)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(main)
	sib := func(base string) (string, []byte, error) {
		for _, name := range []string{base, base + ".gz"} {
			p := filepath.Join(dir, name)
			if _, err := os.Stat(p); err == nil {
				d, _, err := readFile(p)
				return name, d, err
			}
		}
		return "", nil, nil
	}
	in := Input{Name: filepath.Base(main), Data: data, Raw: raw, Format: DetectFormat(data)}
	if in.Format == FormatBotocore {
		if in.WaitersName, in.Waiters, err = sib("waiters-2.json"); err != nil {
			return nil, err
		}
		if in.PaginatorsName, in.Paginators, err = sib("paginators-1.json"); err != nil {
			return nil, err
		}
	}
	return Parse(in)
}

// findMain picks the main model file of a folder.
func findMain(dir string) (string, error) {
	for _, name := range []string{"service-2.json", "service-2.json.gz", "api-2.json", "api-2.json.gz"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("model: %w", err)
	}
	var cands []string
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || !(strings.HasSuffix(n, ".json") || strings.HasSuffix(n, ".json.gz")) {
			continue
		}
		d, _, err := readFile(filepath.Join(dir, n))
		if err != nil {
			continue
		}
		if DetectFormat(d) == FormatSmithy {
			cands = append(cands, n)
		}
	}
	switch len(cands) {
	case 0:
		return "", fmt.Errorf("model: %s holds no service-2.json, api-2.json or Smithy JSON AST model", dir)
	case 1:
		return filepath.Join(dir, cands[0]), nil
	default:
		slices.Sort(cands)
		return "", fmt.Errorf("model: %s holds several Smithy models (%s): name one file", dir, strings.Join(cands, ", "))
	}
}

// readFile reads a file, gunzipping it when it is gzip-compressed, and
// refuses files larger than MaxFileSize. raw is the file as stored.
func readFile(path string) (data, raw []byte, err error) {
	base := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("model: %w", err)
	}
	defer f.Close()
	raw, err = io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, nil, &Error{File: base, Msg: "read failed", Err: err}
	}
	if len(raw) > MaxFileSize {
		return nil, nil, &Error{File: base, Msg: fmt.Sprintf("file larger than %d bytes", MaxFileSize)}
	}
	data, err = Decompress(base, raw)
	return data, raw, err
}

// Decompress returns data gunzipped when it starts with the gzip magic
// number, and as is otherwise. It refuses output larger than MaxFileSize.
func Decompress(name string, data []byte) ([]byte, error) {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{File: name, Msg: "bad gzip data", Err: err}
	}
	out, err := io.ReadAll(io.LimitReader(zr, MaxFileSize+1))
	if err != nil {
		return nil, &Error{File: name, Msg: "bad gzip data", Err: err}
	}
	if len(out) > MaxFileSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("decompressed size larger than %d bytes", MaxFileSize)}
	}
	return out, nil
}

// DetectFormat tells a Smithy JSON AST from a botocore model by the top-level
// keys; it returns "" when the data is neither.
func DetectFormat(data []byte) Format {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return ""
	}
	if _, ok := top["smithy"]; ok {
		return FormatSmithy
	}
	_, ops := top["operations"]
	_, shapes := top["shapes"]
	_, meta := top["metadata"]
	if ops && shapes && meta {
		return FormatBotocore
	}
	return ""
}

// Input is a model's content, for Parse.
type Input struct {
	Name string // base name of the main file, used in errors and Source
	Data []byte // decompressed content
	Raw  []byte // content as stored, hashed into Source.SHA256; Data when nil
	// Format, when set, skips detection (the caller already decoded once).
	Format Format

	// botocore siblings, optional.
	WaitersName    string
	Waiters        []byte
	PaginatorsName string
	Paginators     []byte
}

// Parse loads a model from memory. It never panics on bad input.
func Parse(in Input) (svc *Service, err error) {
	defer func() {
		// Belt and braces: a loader bug must surface as an error, not a crash.
		// Fuzz targets call parse directly so that such bugs are still found.
		if r := recover(); r != nil {
			svc, err = nil, &Error{File: in.Name, Msg: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	return parse(in)
}

func parse(in Input) (*Service, error) {
	var err error
	if len(in.Data) > MaxFileSize {
		return nil, &Error{File: in.Name, Msg: fmt.Sprintf("file larger than %d bytes", MaxFileSize)}
	}
	raw := in.Raw
	if raw == nil {
		raw = in.Data
	}
	sum := sha256.Sum256(raw)
	b := newBuilder(in.Name)
	b.svc.Source = Source{Files: []string{in.Name}, SHA256: hex.EncodeToString(sum[:])}
	format := in.Format
	if format == "" {
		format = DetectFormat(in.Data)
	}
	switch format {
	case FormatSmithy:
		b.svc.Source.Format = FormatSmithy
		err = parseSmithy(b, in.Data)
	case FormatBotocore:
		b.svc.Source.Format = FormatBotocore
		err = parseBotocore(b, in)
		if err == nil {
			if in.WaitersName != "" {
				b.svc.Source.Files = append(b.svc.Source.Files, in.WaitersName)
			}
			if in.PaginatorsName != "" {
				b.svc.Source.Files = append(b.svc.Source.Files, in.PaginatorsName)
			}
		}
	default:
		var v any
		if jerr := json.Unmarshal(in.Data, &v); jerr != nil {
			return nil, jsonError(in.Name, in.Data, jerr)
		}
		return nil, &Error{File: in.Name, Path: "$", Msg: "neither a Smithy JSON AST (no \"smithy\" key) nor a botocore model (needs \"metadata\", \"operations\" and \"shapes\")"}
	}
	if err != nil {
		return nil, err
	}
	if err := b.finish(); err != nil {
		return nil, err
	}
	return b.svc, nil
}

// jsonError turns an encoding/json error into an Error with a byte offset.
func jsonError(file string, data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(data, se.Offset)
		return &Error{File: file, Msg: fmt.Sprintf("invalid JSON at line %d, column %d", line, col), Err: err}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		p := "$"
		if te.Field != "" {
			p += "." + te.Field
		}
		return &Error{File: file, Path: p, Msg: fmt.Sprintf("expected %s, got JSON %s", te.Type, te.Value)}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{File: file, Msg: "truncated JSON", Err: err}
	}
	return &Error{File: file, Msg: "invalid JSON", Err: err}
}

func lineCol(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < off && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// builder collects shapes while a loader runs and links them at the end.
type builder struct {
	file    string
	svc     *Service
	defined map[string]string // shape name -> JSON path of its definition
	refs    map[string]string // shape name -> JSON path of its first reference
}

func newBuilder(file string) *builder {
	return &builder{
		file:    file,
		svc:     &Service{Operations: map[string]*Operation{}, Shapes: map[string]*Shape{}, Waiters: map[string]*Waiter{}},
		defined: map[string]string{},
		refs:    map[string]string{},
	}
}

// errf returns an Error located at path in the main file.
func (b *builder) errf(path, format string, args ...any) error {
	return &Error{File: b.file, Path: path, Msg: fmt.Sprintf(format, args...)}
}

// checkName rejects names that cannot become Go identifiers.
func (b *builder) checkName(path, name string) error {
	if len(name) > MaxNameLength {
		return b.errf(path, "name longer than %d characters", MaxNameLength)
	}
	if !identRE.MatchString(name) {
		return b.errf(path, "name %q is not an identifier (letters, digits, underscore)", name)
	}
	return nil
}

// ref returns the shape called name, creating a placeholder that define
// fills later; path is where the reference stands, for errors.
func (b *builder) ref(name, path string) (*Shape, error) {
	if err := b.checkName(path, name); err != nil {
		return nil, err
	}
	if s, ok := b.svc.Shapes[name]; ok {
		return s, nil
	}
	if len(b.svc.Shapes) >= MaxShapes {
		return nil, b.errf(path, "more than %d shapes", MaxShapes)
	}
	s := &Shape{Name: name}
	b.svc.Shapes[name] = s
	b.refs[name] = path
	return s, nil
}

// define returns the shape called name for its definition at path; a
// second definition is an error.
func (b *builder) define(name, path string) (*Shape, error) {
	if p, ok := b.defined[name]; ok {
		return nil, b.errf(path, "shape %q defined twice (first at %s)", name, p)
	}
	s, err := b.ref(name, path)
	if err != nil {
		return nil, err
	}
	b.defined[name] = path
	delete(b.refs, name)
	return s, nil
}

// finish checks what only the whole graph shows: references to shapes never
// defined, lists and maps without members, map keys that are not strings,
// cycles that pass through no structure, and waiters and paginators naming
// missing things.
func (b *builder) finish() error {
	if len(b.refs) > 0 {
		names := make([]string, 0, len(b.refs))
		for n := range b.refs {
			names = append(names, n)
		}
		slices.Sort(names)
		n := names[0]
		return b.errf(b.refs[n], "unknown shape %q", n)
	}
	for _, s := range b.svc.SortedShapes() {
		if s.Kind == KindInvalid {
			return b.errf(b.defined[s.Name], "shape %q has no type", s.Name)
		}
		switch s.Kind {
		case KindList:
			if s.ListMember == nil || s.ListMember.Target == nil {
				return b.errf(b.defined[s.Name], "list has no member")
			}
		case KindMap:
			if s.MapKey == nil || s.MapKey.Target == nil || s.MapValue == nil || s.MapValue.Target == nil {
				return b.errf(b.defined[s.Name], "map needs a key and a value")
			}
			if k := s.MapKey.Target.Kind; k != KindString && k != KindEnum {
				return b.errf(b.defined[s.Name], "map key must be a string, got %s", k)
			}
		}
	}
	// Lists and maps become anonymous Go types, so a cycle made only of them
	// could never be written down.
	state := map[*Shape]int{}
	var visit func(s *Shape) *Shape
	visit = func(s *Shape) *Shape {
		if s.Kind != KindList && s.Kind != KindMap {
			return nil
		}
		switch state[s] {
		case 1:
			return s
		case 2:
			return nil
		}
		state[s] = 1
		for _, m := range []*Member{s.ListMember, s.MapValue} {
			if m != nil {
				if c := visit(m.Target); c != nil {
					return c
				}
			}
		}
		state[s] = 2
		return nil
	}
	for _, s := range b.svc.SortedShapes() {
		if c := visit(s); c != nil {
			return b.errf(b.defined[c.Name], "shape %q contains itself through lists and maps only", c.Name)
		}
	}
	for _, op := range b.svc.SortedOperations() {
		if p := op.Paginator; p != nil {
			if op.Input == nil || op.Output == nil {
				return b.errf("", "paginated operation %s needs an input and an output", op.Name)
			}
			for _, c := range []struct {
				s       *Shape
				m, what string
			}{
				{op.Input, p.InputToken, "input token"}, {op.Output, p.OutputToken, "output token"},
				{op.Input, p.PageSize, "page size"}, {op.Output, p.Items, "items"},
			} {
				if c.m != "" && identRE.MatchString(c.m) && c.s.Member(c.m) == nil {
					return b.errf("", "paginator of %s: %s member %q not in %s", op.Name, c.what, c.m, c.s.Name)
				}
			}
		}
	}
	for _, w := range b.svc.SortedWaiters() {
		op, ok := b.svc.Operations[w.Operation]
		if !ok {
			return b.errf("", "waiter %s: unknown operation %q", w.Name, w.Operation)
		}
		op.Waiters = append(op.Waiters, w)
	}
	for _, op := range b.svc.Operations {
		slices.SortFunc(op.Waiters, func(a, c *Waiter) int { return strings.Compare(a.Name, c.Name) })
	}
	return nil
}
