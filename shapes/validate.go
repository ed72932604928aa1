package shapes

import (
	"cmp"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Violation is one broken rule.
type Violation struct {
	// Path locates the member, starting with the shape validated, e.g.
	// "CreateTrainingJobInput.ResourceConfig.InstanceCount" or
	// "CreateTrainingJobInput.InputDataConfig[0].ChannelName".
	Path string
	// Rule is one of "required", "length", "range", "union", "pattern", "enum".
	Rule string
	// Message says what is wrong, e.g. "must be >= 1, got 0". It never
	// contains the value of a sensitive member.
	Message string
}

func (v Violation) String() string { return v.Path + ": " + v.Message }

// ValidationError lists every violation found in a value. Use errors.As to
// get it from an error.
type ValidationError struct {
	Violations []Violation
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	for i, v := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.String())
	}
	return b.String()
}

// Validatable is implemented by every generated structure and union.
type Validatable interface {
	Validate() error
}

// unionShape is implemented by the generated unions (and the structures
// the SDK models as unions).
type unionShape interface{ union() }

// IsUnion reports whether v, a pointer to a generated type, is a union:
// exactly one of its members may be set, so it is never merged member by
// member with another value.
func IsUnion(v any) bool {
	_, ok := v.(unionShape)
	return ok
}

// checker is implemented by the shapes that have rules.
type checker interface {
	validate(v *validator, p *path)
}

// Checks selects the rules that Validate does not apply: patterns and enum
// membership. Validate checks required members, lengths, ranges and unions.
type Checks uint8

const (
	// Patterns checks every string against its model pattern.
	Patterns Checks = 1 << iota
	// Enums checks that every enum value is one this version knows. The
	// service adds values before an SDK release knows them, so a program
	// that checks enums may refuse a value the service accepts.
	Enums
)

// ValidateStrict is s.Validate plus patterns and enum membership, as the
// service checks them (the local endpoint uses it). s is a pointer to a
// generated structure or union.
func ValidateStrict(s Validatable) error { return ValidateWith(s, Patterns|Enums) }

// ValidateWith is s.Validate plus the checks selected.
func ValidateWith(s Validatable, checks Checks) error {
	c, ok := s.(checker)
	if !ok || checks == 0 {
		return s.Validate()
	}
	name := ""
	if t := reflect.TypeOf(s); t.Kind() == reflect.Pointer {
		name = t.Elem().Name()
	}
	v := validator{patterns: checks&Patterns != 0, enums: checks&Enums != 0}
	c.validate(&v, &path{name: name})
	return v.err()
}

// err returns the violations found, as a *ValidationError, or nil.
func (v *validator) err() error {
	if len(v.out) == 0 {
		return nil
	}
	return &ValidationError{Violations: v.out}
}

// path is a member path built on the stack while validating; it is turned
// into a string only when a violation is found.
type path struct {
	up    *path
	name  string // member name, or the shape name at the root
	key   string // map key when isKey
	index int    // list index when isIndex
	isIdx bool
	isKey bool
}

func (p *path) String() string {
	// Walks up without keeping the nodes, so that p never escapes and
	// validating builds its paths on the stack. Paths are short.
	depth := 0
	for q := p; q != nil; q = q.up {
		depth++
	}
	var b strings.Builder
	for i := depth - 1; i >= 0; i-- {
		q := p
		for range i {
			q = q.up
		}
		switch {
		case q.isIdx:
			b.WriteString("[" + strconv.Itoa(q.index) + "]")
		case q.isKey:
			b.WriteString("[" + strconv.Quote(q.key) + "]")
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(q.name)
		}
	}
	return b.String()
}

// member returns the path of a member of p, or p itself for name "" (list
// items and map values are checked at their own path).
func (p *path) member(name string) string {
	if name == "" {
		return p.String()
	}
	return p.String() + "." + name
}

// validator collects violations.
type validator struct {
	patterns, enums bool // the Checks beyond Validate's
	out             []Violation
}

func (v *validator) add(at, rule, msg string) {
	v.out = append(v.out, Violation{Path: at, Rule: rule, Message: msg})
}

func (v *validator) missing(p *path, name string) {
	v.add(p.member(name), "required", "is required")
}

// noLimit marks an absent bound.
const noLimit = -1

// length checks a count (runes of a string, items of a list or map, bytes of a blob).
func (v *validator) length(at string, n int, lo, hi int64) {
	if lo != noLimit && int64(n) < lo {
		v.add(at, "length", fmt.Sprintf("length must be >= %d, got %d", lo, n))
	}
	if hi != noLimit && int64(n) > hi {
		v.add(at, "length", fmt.Sprintf("length must be <= %d, got %d", hi, n))
	}
}

// str checks a string's length and, when strict, its pattern.
func (v *validator) str(p *path, name, s string, lo, hi int64, pat *pattern, sensitive bool) {
	if lo != noLimit || hi != noLimit {
		if n := utf8.RuneCountInString(s); (lo != noLimit && int64(n) < lo) || (hi != noLimit && int64(n) > hi) {
			v.length(p.member(name), n, lo, hi)
		}
	}
	if v.patterns && pat != nil && !pat.match(s) {
		got := strconv.Quote(s)
		if sensitive {
			got = redacted
		}
		v.add(p.member(name), "pattern", "must match "+pat.model+", got "+got)
	}
}

// count checks the number of items of a list or map.
func (v *validator) count(p *path, name string, n int, lo, hi int64) {
	if (lo != noLimit && int64(n) < lo) || (hi != noLimit && int64(n) > hi) {
		v.length(p.member(name), n, lo, hi)
	}
}

// intRange checks an integer; absent bounds are math.MinInt64 / math.MaxInt64.
func (v *validator) intRange(p *path, name string, n, lo, hi int64) {
	if n < lo {
		v.add(p.member(name), "range", fmt.Sprintf("must be >= %d, got %d", lo, n))
	}
	if n > hi {
		v.add(p.member(name), "range", fmt.Sprintf("must be <= %d, got %d", hi, n))
	}
}

// floatRange checks a float; absent bounds are ±Inf.
func (v *validator) floatRange(p *path, name string, f, lo, hi float64) {
	if f < lo {
		v.add(p.member(name), "range", fmt.Sprintf("must be >= %g, got %g", lo, f))
	}
	if f > hi {
		v.add(p.member(name), "range", fmt.Sprintf("must be <= %g, got %g", hi, f))
	}
}

// union checks that exactly one member of a union is set.
func (v *validator) union(p *path, set int) {
	if set != 1 {
		v.add(p.String(), "union", fmt.Sprintf("exactly one member must be set, got %d", set))
	}
}

// enum checks, when strict, that e is one of its type's known values.
func checkEnum[E interface {
	~string
	Values() []E
}](v *validator, p *path, name string, e E) {
	if !v.enums || e == "" || slices.Contains(e.Values(), e) {
		return
	}
	v.add(p.member(name), "enum", fmt.Sprintf("must be one of %s, got %q", enumList(e.Values()), string(e)))
}

func enumList[E ~string](vals []E) string {
	s := make([]string, len(vals))
	for i, x := range vals {
		s[i] = string(x)
	}
	if len(s) > 10 {
		return strings.Join(s[:10], ", ") + fmt.Sprintf(", … (%d values)", len(s))
	}
	return strings.Join(s, ", ")
}

// sortedKeys gives map keys in order, so violations come out in a stable order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.SortedFunc(maps.Keys(m), cmp.Compare)
}

// item returns the path of item i of list member name of p (of p itself
// when name is "", for nested lists).
func (p *path) item(name string, i int) *path {
	if name != "" {
		p = &path{up: p, name: name}
	}
	return &path{up: p, index: i, isIdx: true}
}

// entry returns the path of the value at key of map member name of p.
func (p *path) entry(name, key string) *path {
	if name != "" {
		p = &path{up: p, name: name}
	}
	return &path{up: p, key: key, isKey: true}
}

// field returns the path of member name of p.
func (p *path) field(name string) *path { return &path{up: p, name: name} }

// pattern is a model pattern compiled on first use: most programs never run
// a strict check, and compiling hundreds of patterns at start-up would tax
// every program that imports the package.
type pattern struct {
	model string // as the model writes it, for messages
	src   string // anchored Go syntax
	once  sync.Once
	re    *regexp.Regexp
}

func (p *pattern) match(s string) bool {
	p.once.Do(func() { p.re = regexp.MustCompile(p.src) }) // the generator proved every pattern compiles
	return p.re.MatchString(s)
}
