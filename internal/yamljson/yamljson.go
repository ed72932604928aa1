// Package yamljson converts one YAML document (or JSON, which is YAML) to
// JSON without losing scalar literals: a number is written as it appears
// in the file whenever that text is already a JSON number, so 1.0 stays
// 1.0 and 1.50 stays 1.50, where decoding into Go values first would give
// 1 and 1.5. It parses with go.yaml.in/yaml/v3 (YAML 1.2 core schema:
// yes/no/on/off are strings, not booleans).
//
// Conversion rules:
//   - mappings become objects with keys in file order; a duplicate key is
//     an error; a key that is not a string is written as its text (1: a
//     becomes {"1":"a"}); merge keys (<<: *base) are expanded, explicit
//     keys winning and earlier merged mappings winning over later ones;
//   - sequences become arrays;
//   - !!str and !!timestamp scalars become strings (a quoted '1.0' is the
//     string "1.0"); !!bool becomes true or false; !!null becomes null;
//   - !!int and !!float scalars whose text is a JSON number are kept as
//     written; other forms (0x1F, 0o17, 1_000, .5, +1, 1.) are converted
//     to the same value in JSON syntax, exactly (no float rounding);
//     .inf and .nan are errors, since JSON has neither;
//   - anchors and aliases are expanded, at most MaxAliasNodes nodes in
//     all, which stops "billion laughs" documents;
//   - any other tag (!!binary, !!set, !!omap, custom !Tags) is an error.
//
// Errors are *Error values naming the line and column; for syntax errors
// the YAML parser reports only the line.
package yamljson

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// MaxAliasNodes bounds the nodes written through aliases and merge keys
// in one document: enough for any configuration file, far too few for a
// document built to expand exponentially.
const MaxAliasNodes = 100_000

// maxDepth is the deepest nesting written: encoding/json reads no deeper.
const maxDepth = 10_000

// Error is a problem at a place in the YAML text.
type Error struct {
	Line, Column int // 1-based; Column is 0 when only the line is known, Line 0 when neither
	Problem      string
	Err          error // the parser's error, for syntax errors
}

func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return e.Problem
	case e.Column == 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Problem)
	default:
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Problem)
	}
}

func (e *Error) Unwrap() error { return e.Err }

// ToJSON converts one YAML document to compact JSON. An empty document
// (nothing but whitespace and comments) is null.
func ToJSON(data []byte) ([]byte, error) {
	if err := checkText(data); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return []byte("null"), nil
		}
		return nil, parseError(err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, errorAt(&next, "more than one YAML document (only one is read)")
	case !errors.Is(err, io.EOF):
		return nil, parseError(err)
	}
	c := converter{expanding: map[*yaml.Node]bool{}}
	if err := c.value(&doc); err != nil {
		return nil, err
	}
	return c.buf.Bytes(), nil
}

var parserLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblem reports whether a message is the YAML parser's proper.
// It reports their line 0-based, unlike the scanner's, so they need one
// added.
func parserProblem(p string) bool {
	switch p {
	case "did not find expected <stream-start>",
		"did not find expected <document start>",
		"found undefined tag handle",
		"did not find expected node content",
		"did not find expected '-' indicator",
		"did not find expected key",
		"did not find expected ',' or ']'",
		"did not find expected ',' or '}'",
		"found duplicate %YAML directive",
		"found incompatible YAML document",
		"found duplicate %TAG directive":
		return true
	}
	return false
}

// parseError turns the parser's "yaml: line N: problem" into an *Error.
// The parser leaves out line numbers on the first line (it tests a
// 0-based line against 0), so a syntax problem without one is on line 1.
func parseError(err error) error {
	msg := err.Error()
	if m := parserLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if parserProblem(m[2]) {
			line++
		}
		return &Error{Line: line, Problem: m[2], Err: err}
	}
	problem := strings.TrimPrefix(msg, "yaml: ")
	e := &Error{Problem: problem, Err: err}
	if parserProblem(problem) || syntaxProblem(problem) {
		e.Line = 1
	}
	return e
}

// syntaxProblem reports whether a message is one of the scanner's, which
// always carry a position, as opposed to the composer's (unknown anchor).
func syntaxProblem(p string) bool {
	for _, prefix := range []string{"found ", "did not find ", "could not find ", "mapping values ", "mapping keys ", "block sequence entries ", "exceeded max depth"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// checkText finds what the YAML reader would reject (bytes that are not
// UTF-8, control characters) and says where, which the reader does not.
// Input with a UTF-16 byte order mark is left to the reader.
func checkText(data []byte) error {
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return &Error{Line: line, Column: col, Problem: "not UTF-8 text"}
		case !printable(r):
			return &Error{Line: line, Column: col, Problem: fmt.Sprintf("character %U is not allowed in YAML", r)}
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		i += size
	}
	return nil
}

// printable is YAML 1.2's c-printable set plus the byte order mark.
func printable(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r', r == 0x85, r == 0xfeff:
		return true
	case r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0xd7ff, r >= 0xe000 && r <= 0xfffd, r >= 0x10000 && r <= 0x10ffff:
		return true
	}
	return false
}

func errorAt(n *yaml.Node, format string, args ...any) *Error {
	return &Error{Line: n.Line, Column: n.Column, Problem: fmt.Sprintf(format, args...)}
}

type converter struct {
	buf        bytes.Buffer
	aliasNodes int // nodes written (or merge entries gathered) through aliases
	inAlias    int // depth of alias expansion
	depth      int // open arrays and objects
	// expanding holds the anchors being expanded, so that an alias inside
	// its own anchor is reported instead of recursing forever.
	expanding map[*yaml.Node]bool
}

// count charges one node to the alias budget when inside an alias.
func (c *converter) count(n *yaml.Node) error {
	if c.inAlias == 0 {
		return nil
	}
	c.aliasNodes++
	if c.aliasNodes > MaxAliasNodes {
		return errorAt(n, "aliases expand to more than %d nodes", MaxAliasNodes)
	}
	return nil
}

// open counts an array or object about to be written.
func (c *converter) open(n *yaml.Node) error {
	c.depth++
	if c.depth > maxDepth {
		return errorAt(n, "nested more than %d levels deep", maxDepth)
	}
	return nil
}

func (c *converter) value(n *yaml.Node) error {
	if err := c.count(n); err != nil {
		return err
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			c.buf.WriteString("null")
			return nil
		}
		return c.value(n.Content[0])
	case yaml.AliasNode:
		return c.alias(n, c.value)
	case yaml.MappingNode:
		return c.mapping(n)
	case yaml.SequenceNode:
		if t := n.ShortTag(); t != "!!seq" {
			return errorAt(n, "unsupported tag %s on a sequence", t)
		}
		if err := c.open(n); err != nil {
			return err
		}
		defer func() { c.depth-- }()
		c.buf.WriteByte('[')
		for i, item := range n.Content {
			if i > 0 {
				c.buf.WriteByte(',')
			}
			if err := c.value(item); err != nil {
				return err
			}
		}
		c.buf.WriteByte(']')
		return nil
	case yaml.ScalarNode:
		return c.scalar(n)
	}
	return errorAt(n, "unknown YAML node kind %d", n.Kind)
}

// alias runs fn on the node an alias names, charging it to the budget.
func (c *converter) alias(n *yaml.Node, fn func(*yaml.Node) error) error {
	target := n.Alias
	if target == nil {
		return errorAt(n, "alias *%s names no anchor", n.Value)
	}
	if c.expanding[target] {
		return errorAt(n, "alias *%s refers to the node that contains it", n.Value)
	}
	c.expanding[target] = true
	c.inAlias++
	err := fn(target)
	c.inAlias--
	delete(c.expanding, target)
	return err
}

// entry is one member of a mapping after merge keys are expanded.
type entry struct {
	key      string
	keyNode  *yaml.Node
	val      *yaml.Node
	viaAlias bool // the value comes from a merged alias: charge it to the budget
}

func (c *converter) mapping(n *yaml.Node) error {
	entries, err := c.entries(n)
	if err != nil {
		return err
	}
	if err := c.open(n); err != nil {
		return err
	}
	defer func() { c.depth-- }()
	c.buf.WriteByte('{')
	for i, e := range entries {
		if i > 0 {
			c.buf.WriteByte(',')
		}
		writeString(&c.buf, e.key)
		c.buf.WriteByte(':')
		if e.viaAlias {
			c.inAlias++
		}
		err := c.value(e.val)
		if e.viaAlias {
			c.inAlias--
		}
		if err != nil {
			return err
		}
	}
	c.buf.WriteByte('}')
	return nil
}

// entries lists a mapping's members in file order, merged members at the
// place of their merge key.
func (c *converter) entries(n *yaml.Node) ([]entry, error) {
	if t := n.ShortTag(); t != "!!map" {
		return nil, errorAt(n, "unsupported tag %s on a mapping", t)
	}
	if len(n.Content)%2 != 0 {
		return nil, errorAt(n, "mapping with a key and no value")
	}
	explicit := map[string]*yaml.Node{}
	for i := 0; i < len(n.Content); i += 2 {
		k := n.Content[i]
		if isMerge(k) {
			continue
		}
		key, err := c.keyText(k)
		if err != nil {
			return nil, err
		}
		if first, dup := explicit[key]; dup {
			return nil, errorAt(k, "duplicate key %q (first at line %d, column %d)", key, first.Line, first.Column)
		}
		explicit[key] = k
	}
	out := make([]entry, 0, len(n.Content)/2)
	merged := map[string]bool{}
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !isMerge(k) {
			key, _ := c.keyText(k) // checked above
			out = append(out, entry{key: key, keyNode: k, val: v})
			continue
		}
		sources, err := c.mergeSources(v)
		if err != nil {
			return nil, err
		}
		for _, src := range sources {
			err := c.alias(src, func(m *yaml.Node) error {
				if m.Kind != yaml.MappingNode {
					return errorAt(src, "a merge key (<<) takes a mapping or a list of mappings")
				}
				sub, err := c.entries(m)
				if err != nil {
					return err
				}
				for _, e := range sub {
					if err := c.count(e.keyNode); err != nil {
						return err
					}
					if explicit[e.key] != nil || merged[e.key] {
						continue
					}
					merged[e.key] = true
					e.viaAlias = true
					out = append(out, e)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge"
}

// mergeSources returns the aliases (or inline mappings, wrapped as if
// aliased) a merge key's value names, in precedence order.
func (c *converter) mergeSources(v *yaml.Node) ([]*yaml.Node, error) {
	wrap := func(n *yaml.Node) (*yaml.Node, error) {
		switch n.Kind {
		case yaml.AliasNode:
			return n, nil
		case yaml.MappingNode:
			return &yaml.Node{Kind: yaml.AliasNode, Alias: n, Line: n.Line, Column: n.Column}, nil
		}
		return nil, errorAt(n, "a merge key (<<) takes a mapping or a list of mappings")
	}
	if v.Kind == yaml.SequenceNode {
		out := make([]*yaml.Node, 0, len(v.Content))
		for _, item := range v.Content {
			w, err := wrap(item)
			if err != nil {
				return nil, err
			}
			out = append(out, w)
		}
		return out, nil
	}
	w, err := wrap(v)
	if err != nil {
		return nil, err
	}
	return []*yaml.Node{w}, nil
}

// keyText is the JSON object key for a mapping key: its text as written.
func (c *converter) keyText(k *yaml.Node) (string, error) {
	n := k
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return "", errorAt(k, "alias *%s names no anchor", k.Value)
		}
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode {
		return "", errorAt(k, "a mapping key must be a scalar: JSON object keys are strings")
	}
	return n.Value, nil
}

func (c *converter) scalar(n *yaml.Node) error {
	switch tag := n.ShortTag(); tag {
	case "!!str", "!!timestamp", "!":
		writeString(&c.buf, n.Value)
	case "!!null":
		switch n.Value {
		case "", "~", "null", "Null", "NULL":
			c.buf.WriteString("null")
		default:
			return errorAt(n, "!!null value %q: want nothing, ~ or null", n.Value)
		}
	case "!!bool":
		switch n.Value {
		case "true", "True", "TRUE":
			c.buf.WriteString("true")
		case "false", "False", "FALSE":
			c.buf.WriteString("false")
		default:
			return errorAt(n, "!!bool value %q: want true or false", n.Value)
		}
	case "!!int", "!!float":
		num, err := jsonNumber(n.Value, tag == "!!int")
		if err != nil {
			return errorAt(n, "%s", err)
		}
		c.buf.WriteString(num)
	case "!!binary":
		return errorAt(n, "!!binary values are not supported: JSON has no binary type")
	default:
		return errorAt(n, "unsupported tag %s", tag)
	}
	return nil
}

var (
	jsonInt   = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	jsonNum   = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)
	yamlFloat = regexp.MustCompile(`^([-+]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?$`)
)

// jsonNumber writes a YAML number in JSON syntax: as written when it
// already is JSON, else converted exactly (big integers, textual floats).
func jsonNumber(text string, isInt bool) (string, error) {
	if isInt && jsonInt.MatchString(text) || !isInt && jsonNum.MatchString(text) {
		return text, nil
	}
	plain := strings.ReplaceAll(text, "_", "")
	var i big.Int
	if _, ok := i.SetString(plain, 0); ok {
		return i.String(), nil
	}
	if isInt {
		return "", fmt.Errorf("!!int value %q is not an integer", text)
	}
	if special := strings.ToLower(strings.TrimLeft(text, "+-")); special == ".inf" || special == ".nan" {
		return "", fmt.Errorf("%s is not a number JSON can hold (JSON has no infinity or NaN)", text)
	}
	m := yamlFloat.FindStringSubmatch(plain)
	if m == nil || m[2] == "" && m[3] == "" {
		return "", fmt.Errorf("!!float value %q is not a number", text)
	}
	var b strings.Builder
	if m[1] == "-" {
		b.WriteByte('-')
	}
	intPart := strings.TrimLeft(m[2], "0")
	if intPart == "" {
		intPart = "0"
	}
	b.WriteString(intPart)
	if m[3] != "" {
		b.WriteByte('.')
		b.WriteString(m[3])
	}
	if m[4] != "" {
		b.WriteByte('e')
		b.WriteString(m[4])
	}
	return b.String(), nil
}

// writeString writes s as a JSON string, without the HTML escaping of
// encoding/json (the output is data, not markup). Bytes that are not
// UTF-8 become U+FFFD, as encoding/json does.
func writeString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\ufffd`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case !printable(r) || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xfeff:
			// Escaped so that the output reads back as the same YAML too:
			// YAML rejects control characters and folds line separators.
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(hex[r>>shift&0xf])
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}
