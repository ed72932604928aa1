// Package model loads SageMaker API models (botocore JSON or Smithy JSON AST)
// into one typed graph that every emitter reads.
//
// The package imports no AWS SDK code, so its loaders can be fuzzed cheaply.
package model

import (
	"cmp"
	"slices"
)

// Format names the file format a model was read from.
type Format string

const (
	FormatBotocore Format = "botocore" // botocore service-2.json / api-2.json
	FormatSmithy   Format = "smithy"   // Smithy 2.0 JSON AST
)

// Service is the root of the graph.
type Service struct {
	ID             string // serviceId, e.g. "SageMaker"
	APIVersion     string // e.g. "2017-07-24"
	TargetPrefix   string // X-Amz-Target prefix, e.g. "SageMaker"
	SigningName    string
	EndpointPrefix string
	Protocol       string // "json" for AWS JSON 1.x
	JSONVersion    string // "1.1"

	Source Source

	Operations map[string]*Operation
	Shapes     map[string]*Shape
	Waiters    map[string]*Waiter
}

// Source records where a model came from, without absolute paths, so that
// generated files are identical on every machine.
type Source struct {
	Format Format
	Files  []string // base names of the files read, main model first
	SHA256 string   // hex sha256 of the main model file as stored (compressed if gzip)
}

// Operation is one API operation.
type Operation struct {
	Name       string
	Input      *Shape // nil when the operation takes no input
	Output     *Shape // nil when the operation returns nothing
	Errors     []*Shape
	Deprecated *Deprecation
	Paginator  *Paginator // nil when not paginated
	Waiters    []*Waiter  // waiters polling this operation, sorted by name
}

// Kind is the kind of a shape.
type Kind int

const (
	KindInvalid Kind = iota
	KindString
	KindEnum // string with a closed (but growing) set of values
	KindBoolean
	KindInteger // 32-bit
	KindLong    // 64-bit
	KindFloat
	KindDouble
	KindTimestamp
	KindBlob
	KindDocument
	KindList
	KindMap
	KindStructure
	KindUnion
)

var kindNames = [...]string{"invalid", "string", "enum", "boolean", "integer", "long", "float", "double", "timestamp", "blob", "document", "list", "map", "structure", "union"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// IsScalar reports whether values of the kind are single values.
func (k Kind) IsScalar() bool { return k >= KindString && k <= KindBlob }

// IsNumber reports whether the kind is numeric.
func (k Kind) IsNumber() bool { return k >= KindInteger && k <= KindDouble }

// Shape is a named type of the model.
type Shape struct {
	Name string
	Kind Kind

	// Structure and union members, in model order.
	Members []*Member
	// List element (its Name is "member") or map key and value.
	ListMember *Member
	MapKey     *Member
	MapValue   *Member

	Enum []EnumValue // KindEnum only, in model order

	Constraints Constraints

	Sensitive  bool
	Deprecated *Deprecation
	Error      *ErrorInfo // non-nil for exception shapes
	JSONValue  bool       // a string holding a JSON document
	// TimestampFormat is "iso8601", "unixTimestamp" or "rfc822"; empty = protocol default.
	TimestampFormat string
}

// Member is a member of a structure or union, a list element, or a map key or value.
type Member struct {
	Name             string
	Target           *Shape
	Required         bool
	IdempotencyToken bool
	Deprecated       *Deprecation
	Sensitive        bool
	JSONValue        bool
	// Constraints set on the member itself (Smithy allows this); they narrow
	// the target's constraints. Use Effective to read both.
	Constraints Constraints
}

// EnumValue is one value of an enum. Name is Smithy's member name; it is empty
// for botocore models, which have only values. Emitters derive Go names from
// Value so that both formats give the same names.
type EnumValue struct {
	Name  string
	Value string
}

// Constraints are the validation rules of a shape or member.
type Constraints struct {
	// Length of strings (in Unicode code points), blobs (bytes), lists and maps.
	MinLength, MaxLength *int64
	// Range of numbers.
	Min, Max *float64
	// Pattern is an ECMA-262 regular expression as the model writes it.
	// botocore strips the anchors that Smithy keeps; emitters treat every
	// pattern as a whole-value match, as the service does.
	Pattern string
}

// IsZero reports whether no constraint is set.
func (c Constraints) IsZero() bool {
	return c.MinLength == nil && c.MaxLength == nil && c.Min == nil && c.Max == nil && c.Pattern == ""
}

// Effective returns the member's constraints merged over its target's.
func (m *Member) Effective() Constraints {
	c := Constraints{}
	if m.Target != nil {
		c = m.Target.Constraints
	}
	o := m.Constraints
	if o.MinLength != nil {
		c.MinLength = o.MinLength
	}
	if o.MaxLength != nil {
		c.MaxLength = o.MaxLength
	}
	if o.Min != nil {
		c.Min = o.Min
	}
	if o.Max != nil {
		c.Max = o.Max
	}
	if o.Pattern != "" {
		c.Pattern = o.Pattern
	}
	return c
}

// IsSensitive reports whether the member's value must never be printed.
func (m *Member) IsSensitive() bool { return m.Sensitive || (m.Target != nil && m.Target.Sensitive) }

// Deprecation marks a deprecated shape, member or operation.
type Deprecation struct {
	Message string
	Since   string
}

// ErrorInfo describes an exception shape.
type ErrorInfo struct {
	Code       string // wire error code; defaults to the shape name
	HTTPStatus int    // 0 when the model gives none
	Fault      string // "client" or "server"
}

// Paginator describes how an operation pages. Paths are member names of the
// input (InputToken, PageSize) and output (OutputToken, Items).
type Paginator struct {
	InputToken  string
	OutputToken string
	PageSize    string // empty when the operation has no page size member
	Items       string // empty when the model names no items member
}

// Waiter is a model-defined waiter.
type Waiter struct {
	Name      string
	Operation string
	// MinDelay and MaxDelay in seconds; MaxDelay is 0 when the model gives none.
	MinDelay int
	MaxDelay int
	// MaxAttempts from botocore models; 0 for Smithy.
	MaxAttempts int
	Acceptors   []Acceptor
}

// AcceptorState is what a matching acceptor does to the wait.
type AcceptorState string

const (
	StateSuccess AcceptorState = "success"
	StateFailure AcceptorState = "failure"
	StateRetry   AcceptorState = "retry"
)

// MatcherKind is what an acceptor looks at.
type MatcherKind string

const (
	MatchOutput      MatcherKind = "output"      // a path into the output
	MatchInputOutput MatcherKind = "inputOutput" // a path over {input, output}
	MatchError       MatcherKind = "error"       // an error code
	MatchSuccess     MatcherKind = "success"     // the call succeeded (true) or failed (false)
	MatchStatus      MatcherKind = "status"      // an HTTP status code (botocore only), in Expected
)

// Comparators, named as in Smithy.
const (
	CompareStringEquals    = "stringEquals"
	CompareBooleanEquals   = "booleanEquals"
	CompareAllStringEquals = "allStringEquals"
	CompareAnyStringEquals = "anyStringEquals"
)

// Acceptor is one rule of a waiter, normalised across formats.
type Acceptor struct {
	State      AcceptorState
	Matcher    MatcherKind
	Path       string // JMESPath, for output and inputOutput
	Expected   string // expected value, for output and inputOutput
	Comparator string // for output and inputOutput
	ErrorType  string // for error
	Success    bool   // for success
}

// SortedOperations returns the operations sorted by name.
func (s *Service) SortedOperations() []*Operation {
	return sortedValues(s.Operations, func(o *Operation) string { return o.Name })
}

// SortedShapes returns the shapes sorted by name.
func (s *Service) SortedShapes() []*Shape {
	return sortedValues(s.Shapes, func(x *Shape) string { return x.Name })
}

// SortedWaiters returns the waiters sorted by name.
func (s *Service) SortedWaiters() []*Waiter {
	return sortedValues(s.Waiters, func(w *Waiter) string { return w.Name })
}

func sortedValues[V any](m map[string]V, key func(V) string) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b V) int { return cmp.Compare(key(a), key(b)) })
	return out
}

// Member returns the named member of a structure or union, or nil.
func (s *Shape) Member(name string) *Member {
	for _, m := range s.Members {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// Reachable returns every shape reachable from any operation's input, output
// or errors, sorted by name.
func (s *Service) Reachable() []*Shape {
	seen := map[*Shape]bool{}
	var walk func(*Shape)
	walk = func(x *Shape) {
		if x == nil || seen[x] {
			return
		}
		seen[x] = true
		for _, m := range x.Members {
			walk(m.Target)
		}
		for _, m := range []*Member{x.ListMember, x.MapKey, x.MapValue} {
			if m != nil {
				walk(m.Target)
			}
		}
	}
	for _, op := range s.SortedOperations() {
		walk(op.Input)
		walk(op.Output)
		for _, e := range op.Errors {
			walk(e)
		}
	}
	out := make([]*Shape, 0, len(seen))
	for x := range seen {
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b *Shape) int { return cmp.Compare(a.Name, b.Name) })
	return out
}
