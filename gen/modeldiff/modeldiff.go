// Package modeldiff tells what an API update changes in a SageMaker model:
// operations, shapes, members, constraints, enum values and waiters added,
// removed or changed between two model.Service graphs.
//
// Models are compared by the model's own names: no renaming transform (such
// as model.Service.NameOperationShapes) is applied, so an operation whose
// input shape is renamed in the model shows as a changed input even though
// the generated Go type is <Op>Input either way.
//
// The package is pure: it reads the two graphs, changes neither, and
// imports only gen/model. Its output is deterministic: every list is sorted.
//
// What the loaders already normalise across formats is compared as one
// thing (enum values, acceptors, error info, paginators). A few fields
// exist in one format only and are compared only when both sides have them:
// a waiter's MaxAttempts (botocore only) and MaxDelay (Smithy only; botocore
// gives none), and a deprecation's Since (ignored; botocore has none).
// Patterns are compared as whole-value matches: a botocore pattern as
// written (botocore writes .* where a value may have more around it), a
// Smithy pattern (a search) with .* put where it has no ^ or $ anchor, so
// the same pattern in both formats compares equal.
package modeldiff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/smcore-go/smcore/gen/model"
)

// Status says whether an item or a detail was added, removed or changed.
type Status string

const (
	Added   Status = "added"
	Removed Status = "removed"
	Changed Status = "changed"
)

// Sign returns "+", "-" or "~".
func (s Status) Sign() string {
	switch s {
	case Added:
		return "+"
	case Removed:
		return "-"
	}
	return "~"
}

// Diff is everything that differs between two models.
type Diff struct {
	Old, New Side
	// Service lists changed service metadata (ID, APIVersion, protocol…).
	Service    []Change
	Operations []Item
	Shapes     []Item
	Waiters    []Item
}

// Side describes one of the two models.
type Side struct {
	Format     model.Format
	Files      []string
	SHA256     string
	APIVersion string
	Operations int
	Shapes     int
	Waiters    int
}

// Item is one operation, shape or waiter that was added, removed or changed.
type Item struct {
	Name   string
	Status Status
	// Detail describes an added item (from the new model) or a removed one
	// (from the old model), e.g. "structure, 4 members"; empty for changed.
	Detail string
	// Changes lists what changed in a changed item, in a fixed order:
	// the item's own fields, then enum values, then members by name.
	Changes []Change
}

// Change is one difference inside an item.
type Change struct {
	// Subject is what the change is about inside its item: "" for the item
	// itself, "member Name", "enum value", "error", "acceptor".
	Subject string
	// Field is the changed attribute, e.g. "kind", "target", "required",
	// "constraints", "paginator"; empty when the subject itself was added
	// or removed.
	Field  string
	Status Status
	// Old and New are the values before and after; for an added subject New
	// describes it, for a removed one Old does.
	Old, New string
}

// Compare returns what changed from old to new.
func Compare(old, new *model.Service) *Diff {
	d := &Diff{Old: side(old), New: side(new)}
	d.Service = compareService(old, new)
	d.Operations = compareOperations(old, new)
	d.Shapes = compareShapes(old, new)
	d.Waiters = compareWaiters(old, new)
	return d
}

// Empty reports whether the two models are the same as far as Compare looks.
func (d *Diff) Empty() bool {
	return len(d.Service) == 0 && len(d.Operations) == 0 && len(d.Shapes) == 0 && len(d.Waiters) == 0
}

func side(s *model.Service) Side {
	return Side{
		Format: s.Source.Format, Files: slices.Clone(s.Source.Files), SHA256: s.Source.SHA256,
		APIVersion: s.APIVersion, Operations: len(s.Operations), Shapes: len(s.Shapes), Waiters: len(s.Waiters),
	}
}

func compareService(o, n *model.Service) []Change {
	var out []Change
	for _, f := range []struct{ name, o, n string }{
		{"ID", o.ID, n.ID}, {"APIVersion", o.APIVersion, n.APIVersion},
		{"TargetPrefix", o.TargetPrefix, n.TargetPrefix}, {"SigningName", o.SigningName, n.SigningName},
		{"EndpointPrefix", o.EndpointPrefix, n.EndpointPrefix}, {"Protocol", o.Protocol, n.Protocol},
		{"JSONVersion", o.JSONVersion, n.JSONVersion},
	} {
		if f.o != f.n {
			out = append(out, Change{Field: f.name, Status: Changed, Old: f.o, New: f.n})
		}
	}
	return out
}

// diffKeys calls added, removed and both for the keys of two maps, in
// sorted order, and collects the items they return (nil: no item).
func diffKeys[V any](o, n map[string]V, describe func(V) string, both func(name string, o, n V) []Change) []Item {
	names := make([]string, 0, len(o)+len(n))
	for k := range o {
		names = append(names, k)
	}
	for k := range n {
		if _, ok := o[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	var out []Item
	for _, name := range names {
		ov, inOld := o[name]
		nv, inNew := n[name]
		switch {
		case !inOld:
			out = append(out, Item{Name: name, Status: Added, Detail: describe(nv)})
		case !inNew:
			out = append(out, Item{Name: name, Status: Removed, Detail: describe(ov)})
		default:
			if ch := both(name, ov, nv); len(ch) > 0 {
				out = append(out, Item{Name: name, Status: Changed, Changes: ch})
			}
		}
	}
	return out
}

// changes accumulates the changes of one item.
type changes []Change

func (c *changes) field(subject, field, o, n string) {
	if o != n {
		*c = append(*c, Change{Subject: subject, Field: field, Status: Changed, Old: o, New: n})
	}
}

func (c *changes) flag(subject, field string, o, n bool) {
	c.field(subject, field, strconv.FormatBool(o), strconv.FormatBool(n))
}

// set records the elements added to and removed from a set of strings,
// each sorted.
func (c *changes) set(subject string, o, n []string) {
	inO, inN := map[string]bool{}, map[string]bool{}
	for _, x := range o {
		inO[x] = true
	}
	for _, x := range n {
		inN[x] = true
	}
	var rem, add []string
	for x := range inO {
		if !inN[x] {
			rem = append(rem, x)
		}
	}
	for x := range inN {
		if !inO[x] {
			add = append(add, x)
		}
	}
	slices.Sort(rem)
	slices.Sort(add)
	for _, x := range rem {
		*c = append(*c, Change{Subject: subject, Status: Removed, Old: x})
	}
	for _, x := range add {
		*c = append(*c, Change{Subject: subject, Status: Added, New: x})
	}
}

// Operations.

func compareOperations(o, n *model.Service) []Item {
	return diffKeys(o.Operations, n.Operations, describeOperation, func(_ string, a, b *model.Operation) []Change {
		var c changes
		c.field("", "input", shapeName(a.Input), shapeName(b.Input))
		c.field("", "output", shapeName(a.Output), shapeName(b.Output))
		c.field("", "paginator", paginator(a.Paginator), paginator(b.Paginator))
		c.field("", "deprecated", deprecation(a.Deprecated), deprecation(b.Deprecated))
		c.set("error", shapeNames(a.Errors), shapeNames(b.Errors))
		return c
	})
}

func describeOperation(op *model.Operation) string {
	parts := []string{"input " + shapeName(op.Input), "output " + shapeName(op.Output)}
	if op.Paginator != nil {
		parts = append(parts, "paginated")
	}
	if op.Deprecated != nil {
		parts = append(parts, "deprecated")
	}
	return strings.Join(parts, ", ")
}

func shapeName(s *model.Shape) string {
	if s == nil {
		return "none"
	}
	return s.Name
}

func shapeNames(list []*model.Shape) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, s.Name)
	}
	return out
}

func paginator(p *model.Paginator) string {
	if p == nil {
		return "none"
	}
	parts := []string{"input token " + p.InputToken, "output token " + p.OutputToken}
	if p.PageSize != "" {
		parts = append(parts, "page size "+p.PageSize)
	}
	if p.Items != "" {
		parts = append(parts, "items "+p.Items)
	}
	return strings.Join(parts, ", ")
}

func deprecation(d *model.Deprecation) string {
	if d == nil {
		return "no"
	}
	if d.Message == "" {
		return "yes"
	}
	return "yes: " + strconv.Quote(d.Message)
}

// Shapes.

func compareShapes(o, n *model.Service) []Item {
	of, nf := o.Source.Format, n.Source.Format
	describe := func(s *model.Shape) string {
		f := nf
		if o.Shapes[s.Name] == s {
			f = of
		}
		return describeShape(s, f)
	}
	return diffKeys(o.Shapes, n.Shapes, describe, func(_ string, a, b *model.Shape) []Change {
		var c changes
		c.field("", "kind", a.Kind.String(), b.Kind.String())
		c.field("", "constraints", constraints(a.Constraints, of), constraints(b.Constraints, nf))
		c.flag("", "sensitive", a.Sensitive, b.Sensitive)
		c.field("", "deprecated", deprecation(a.Deprecated), deprecation(b.Deprecated))
		c.field("", "error", errorInfo(a.Error), errorInfo(b.Error))
		c.flag("", "jsonvalue", a.JSONValue, b.JSONValue)
		c.field("", "timestamp format", a.TimestampFormat, b.TimestampFormat)
		c.set("enum value", enumValues(a.Enum), enumValues(b.Enum))
		compareMembers(&c, a, b, of, nf)
		return c
	})
}

func describeShape(s *model.Shape, f model.Format) string {
	parts := []string{s.Kind.String()}
	switch s.Kind {
	case model.KindStructure, model.KindUnion:
		parts = append(parts, plural(len(s.Members), "member"))
	case model.KindEnum:
		parts = append(parts, plural(len(s.Enum), "value"))
	case model.KindList:
		if s.ListMember != nil {
			parts[0] = "list of " + shapeName(s.ListMember.Target)
		}
	case model.KindMap:
		if s.MapKey != nil && s.MapValue != nil {
			parts[0] = "map of " + shapeName(s.MapKey.Target) + " to " + shapeName(s.MapValue.Target)
		}
	}
	if s.Error != nil {
		parts = append(parts, "error "+errorInfo(s.Error))
	}
	if s.Sensitive {
		parts = append(parts, "sensitive")
	}
	if s.Deprecated != nil {
		parts = append(parts, "deprecated")
	}
	if !s.Constraints.IsZero() {
		parts = append(parts, constraints(s.Constraints, f))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func errorInfo(e *model.ErrorInfo) string {
	if e == nil {
		return "none"
	}
	s := "code " + e.Code
	if e.HTTPStatus != 0 {
		s += fmt.Sprintf(", http %d", e.HTTPStatus)
	}
	if e.Fault != "" {
		s += ", " + e.Fault
	}
	return s
}

func enumValues(vals []model.EnumValue) []string {
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		out = append(out, strconv.Quote(v.Value))
	}
	return out
}

// constraints renders constraints in a fixed order, patterns as whole-value
// matches (see Pattern); "none" when no constraint is set.
func constraints(c model.Constraints, f model.Format) string {
	var parts []string
	if c.MinLength != nil || c.MaxLength != nil {
		parts = append(parts, "length "+bounds(intPtr(c.MinLength), intPtr(c.MaxLength)))
	}
	if c.Min != nil || c.Max != nil {
		parts = append(parts, "range "+bounds(floatPtr(c.Min), floatPtr(c.Max)))
	}
	if c.Pattern != "" {
		parts = append(parts, "pattern "+strconv.Quote(Pattern(f, c.Pattern)))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func bounds(lo, hi string) string {
	if lo == "" {
		lo = "*"
	}
	if hi == "" {
		hi = "*"
	}
	return "[" + lo + ", " + hi + "]"
}

func intPtr(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func floatPtr(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}

// Pattern returns a model's pattern as a whole-value match, the form in
// which Compare compares and prints patterns. botocore writes patterns that
// way already, without anchors, and with .* where the value may go on (it
// turns Smithy's "^arn:aws:...:action/" into "arn:aws:...:action/.*").
// A Smithy pattern is a search: its ^ and $ are dropped and, where one is
// missing, .* stands in its place, as botocore does. A botocore pattern
// only loses any anchors.
func Pattern(f model.Format, p string) string {
	start, end := strings.HasPrefix(p, "^"), strings.HasSuffix(p, "$") && !strings.HasSuffix(p, `\$`)
	p = strings.TrimPrefix(p, "^")
	if end {
		p = p[:len(p)-1]
	}
	if f != model.FormatSmithy || p == "" {
		return p
	}
	if !start && !strings.HasPrefix(p, ".*") {
		p = ".*" + p
	}
	if !end && (!strings.HasSuffix(p, ".*") || strings.HasSuffix(p, `\.*`)) {
		p += ".*"
	}
	return p
}

// members returns a shape's members by name: structure and union members,
// or a list's "member", a map's "key" and "value".
func members(s *model.Shape) map[string]*model.Member {
	out := map[string]*model.Member{}
	for _, m := range s.Members {
		out[m.Name] = m
	}
	for name, m := range map[string]*model.Member{"member": s.ListMember, "key": s.MapKey, "value": s.MapValue} {
		if m != nil {
			out[name] = m
		}
	}
	return out
}

func compareMembers(c *changes, a, b *model.Shape, of, nf model.Format) {
	om, nm := members(a), members(b)
	names := make([]string, 0, len(om)+len(nm))
	for k := range om {
		names = append(names, k)
	}
	for k := range nm {
		if _, ok := om[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		x, y := om[name], nm[name]
		subj := "member " + name
		switch {
		case x == nil:
			*c = append(*c, Change{Subject: subj, Status: Added, New: describeMember(y, nf)})
		case y == nil:
			*c = append(*c, Change{Subject: subj, Status: Removed, Old: describeMember(x, of)})
		default:
			c.field(subj, "target", shapeName(x.Target), shapeName(y.Target))
			c.field(subj, "required", strconv.FormatBool(x.Required), strconv.FormatBool(y.Required))
			c.flag(subj, "idempotency token", x.IdempotencyToken, y.IdempotencyToken)
			c.flag(subj, "sensitive", x.IsSensitive(), y.IsSensitive())
			c.flag(subj, "jsonvalue", isJSON(x), isJSON(y))
			c.field(subj, "deprecated", deprecation(x.Deprecated), deprecation(y.Deprecated))
			// A change of the target's own constraints is reported on the
			// target; the member reports what its own constraints change,
			// or, when the target changed, what it is now held to.
			if shapeName(x.Target) == shapeName(y.Target) {
				c.field(subj, "constraints", constraints(x.Constraints, of), constraints(y.Constraints, nf))
			} else {
				c.field(subj, "effective constraints", constraints(x.Effective(), of), constraints(y.Effective(), nf))
			}
		}
	}
}

func isJSON(m *model.Member) bool { return m.JSONValue || (m.Target != nil && m.Target.JSONValue) }

func describeMember(m *model.Member, f model.Format) string {
	parts := []string{shapeName(m.Target)}
	if m.Required {
		parts = append(parts, "required")
	}
	if m.IdempotencyToken {
		parts = append(parts, "idempotency token")
	}
	if m.IsSensitive() {
		parts = append(parts, "sensitive")
	}
	if m.Deprecated != nil {
		parts = append(parts, "deprecated")
	}
	if !m.Constraints.IsZero() {
		parts = append(parts, constraints(m.Constraints, f))
	}
	return strings.Join(parts, ", ")
}

// Waiters.

func compareWaiters(o, n *model.Service) []Item {
	return diffKeys(o.Waiters, n.Waiters, describeWaiter, func(_ string, a, b *model.Waiter) []Change {
		var c changes
		c.field("", "operation", a.Operation, b.Operation)
		c.field("", "min delay", strconv.Itoa(a.MinDelay), strconv.Itoa(b.MinDelay))
		// botocore gives no max delay and Smithy no max attempts: compare
		// them only when both models give them.
		if a.MaxDelay != 0 && b.MaxDelay != 0 {
			c.field("", "max delay", strconv.Itoa(a.MaxDelay), strconv.Itoa(b.MaxDelay))
		}
		if a.MaxAttempts != 0 && b.MaxAttempts != 0 {
			c.field("", "max attempts", strconv.Itoa(a.MaxAttempts), strconv.Itoa(b.MaxAttempts))
		}
		oa, na := acceptors(a), acceptors(b)
		c.set("acceptor", oa, na)
		// The first matching acceptor wins, so their order matters.
		if !slices.Equal(oa, na) && slices.Equal(sorted(oa), sorted(na)) {
			c.field("", "acceptor order", strings.Join(oa, "; "), strings.Join(na, "; "))
		}
		return c
	})
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func describeWaiter(w *model.Waiter) string {
	return "on " + w.Operation + ", " + plural(len(w.Acceptors), "acceptor")
}

func acceptors(w *model.Waiter) []string {
	out := make([]string, 0, len(w.Acceptors))
	for _, a := range w.Acceptors {
		out = append(out, acceptor(a))
	}
	return out
}

func acceptor(a model.Acceptor) string {
	var m string
	switch a.Matcher {
	case model.MatchOutput, model.MatchInputOutput:
		m = fmt.Sprintf("%s %s %s %q", a.Matcher, a.Path, a.Comparator, a.Expected)
	case model.MatchError:
		m = "error " + a.ErrorType
	case model.MatchSuccess:
		m = "success " + strconv.FormatBool(a.Success)
	case model.MatchStatus:
		m = "status " + a.Expected
	default:
		m = string(a.Matcher)
	}
	return string(a.State) + " on " + m
}

// Summary counts.

// Count is the number of things added, removed and changed.
type Count struct{ Added, Removed, Changed int }

func (c *Count) add(s Status) {
	switch s {
	case Added:
		c.Added++
	case Removed:
		c.Removed++
	default:
		c.Changed++
	}
}

// Summary counts a diff's changes by kind.
type Summary struct {
	Operations, Shapes, Waiters Count
	// Members counts members added to, removed from and changed in shapes
	// present in both models (members of new shapes are not counted).
	Members Count
	// BecameRequired and BecameOptional count members whose required-ness
	// changed.
	BecameRequired, BecameOptional int
	// EnumValues counts values added to and removed from enums present in
	// both models.
	EnumValues Count
	// Constraints counts changed constraints of shapes and members.
	Constraints int
	// Errors counts errors added to and removed from operations.
	Errors Count
}

// Summary counts the diff's changes.
func (d *Diff) Summary() Summary {
	var s Summary
	for _, it := range d.Operations {
		s.Operations.add(it.Status)
		for _, c := range it.Changes {
			if c.Subject == "error" {
				s.Errors.add(c.Status)
			}
		}
	}
	for _, it := range d.Waiters {
		s.Waiters.add(it.Status)
	}
	for _, it := range d.Shapes {
		s.Shapes.add(it.Status)
		changedMembers := map[string]bool{}
		for _, c := range it.Changes {
			switch {
			case c.Subject == "enum value":
				s.EnumValues.add(c.Status)
			case strings.HasPrefix(c.Subject, "member "):
				if c.Status != Changed {
					s.Members.add(c.Status)
				} else if !changedMembers[c.Subject] {
					changedMembers[c.Subject] = true
					s.Members.Changed++
				}
				if c.Field == "required" {
					if c.New == "true" {
						s.BecameRequired++
					} else {
						s.BecameOptional++
					}
				}
			}
			if c.Field == "constraints" || c.Field == "effective constraints" {
				s.Constraints++
			}
		}
	}
	return s
}
