// Package resource derives SageMaker resources from the typed graph: which
// operations belong to which resource, its identifiers, its ARN and status
// members, and what each status value means. Facts the model cannot give
// come from overrides.json.
package resource

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/smcore-go/smcore/gen/model"
)

// Class is what a status value means for waiting.
type Class int

const (
	Transitional Class = iota // creating, updating, stopping, rolling back, pending…
	Success                   // a stable state: completed, in service, active…
	Stopped                   // stopped or cancelled: a distinguishable success
	Failure                   // failed, create/update failed, …
	Deleting                  // on the way out
	DeleteFailed              // deletion failed
	Deleted                   // gone, but still described
)

var classNames = [...]string{"Transitional", "Success", "Stopped", "Failure", "Deleting", "DeleteFailed", "Deleted"}

func (c Class) String() string { return classNames[c] }

// Verb-less method kinds of a resource.
const (
	KindCreate   = "Create"
	KindDescribe = "Describe"
	KindUpdate   = "Update"
	KindDelete   = "Delete"
	KindStop     = "Stop"
	KindStart    = "Start"
	KindList     = "List"
	KindOther    = "Other"
)

// Method is an operation attached to a resource.
type Method struct {
	Op   *model.Operation
	Name string // Go method name, e.g. "Stop", "ListSteps", "Retry"
	Kind string // one of the Kind constants
	// Object is true when the method works on a resource value: every
	// identifier its input needs can be filled from the resource (Fill);
	// false for client-level methods (create, list, start-that-creates).
	Object bool
	Fill   []Fill
}

// Fill says where an object method's input member comes from.
type Fill struct {
	Member string // input member
	FromID string // identifier member of the resource, or ""
	ARN    bool   // the resource's ARN
}

// Status describes a resource's status member.
type Status struct {
	Path    []string     // member path in the Describe output, e.g. ["Status", "PrimaryStatus"]
	Enum    *model.Shape // the enum shape
	Classes map[string]Class
}

// Resource is one derived resource.
type Resource struct {
	Name        string
	Describe    *Method
	Methods     []*Method       // everything else, sorted by Go name
	Identifiers []*model.Member // the Describe input's required members (else Delete's/Update's)
	ARN         []string        // member path of the ARN in the Describe output; nil when none
	Status      *Status         // nil when the resource has no status
	Secondary   []string        // path of the secondary status; nil when none
	Reason      []string        // path of FailureReason / StatusMessage; nil when none
	NotFound    NotFoundRule
	List        *List           // nil when there is no list operation
	others      map[string]bool // the names of every resource, for Params

	// LogGroup is the CloudWatch Logs group of a job whose output goes to
	// streams "<name>/…" (overrides.json logGroups); "" for other kinds.
	LogGroup string
	Waiters  []*model.Waiter
}

// List describes a resource's list operation.
type List struct {
	Method  *Method
	Items   string       // output member holding the items
	Summary *model.Shape // item shape
	Token   string       // input/output token member; "" when not paginated
	Limit   string       // input page-size member; "" when none
}

// NotFoundRule says how the service signals that the resource does not exist.
type NotFoundRule struct {
	Codes              []string // error codes that always mean not found
	ValidationPrefixes []string // ValidationException messages that mean not found
	// Code and Message are the form the service itself uses for this
	// resource (the local endpoint answers the same way): a
	// ValidationException with the override's first message where the
	// override file has one, else ResourceNotFound.
	Code, Message string
}

// Method returns the resource's method of the given kind, or nil.
func (r *Resource) Method(kind string) *Method {
	if kind == KindDescribe {
		return r.Describe
	}
	for _, m := range r.Methods {
		if m.Kind == kind {
			return m
		}
	}
	return nil
}

// IsJob reports whether the resource is a job (runs to a terminal state).
func (r *Resource) IsJob() bool {
	return strings.HasSuffix(r.Name, "Job") || strings.HasSuffix(r.Name, "JobV2") || r.Name == "PipelineExecution"
}

// Set is the result of discovery.
type Set struct {
	Resources []*Resource
	Client    []*model.Operation // operations no resource claims: client methods
	Warnings  []string
	// SkippedOverrides lists the override entries whose target is not in
	// the model, each naming the entry and why, sorted. Only a lenient
	// discovery (DiscoverOptions.StrictOverrides false) skips entries; a
	// strict one fails instead.
	SkippedOverrides []string
	// Facts are the overrides discovery used (skipped entries removed): the
	// plan stage reads the facts the model lacks from here.
	Facts *Overrides
}

// Coverage returns how many operations are reachable from a generated
// method, and the total.
func (s *Set) Coverage(svc *model.Service) (covered, total int) {
	claimed := map[string]bool{}
	for _, r := range s.Resources {
		if r.Describe != nil {
			claimed[r.Describe.Op.Name] = true
		}
		for _, m := range r.Methods {
			claimed[m.Op.Name] = true
		}
	}
	for _, op := range s.Client {
		claimed[op.Name] = true
	}
	for name := range svc.Operations {
		if claimed[name] {
			covered++
		}
	}
	return covered, len(svc.Operations)
}

//go:embed overrides.json
var overridesJSON []byte

// Overrides are the facts the model cannot give.
type Overrides struct {
	NotFoundDefault struct {
		Codes              []string `json:"codes"`
		ValidationPrefixes []string `json:"validationPrefixes"`
		Reason, Source     string
	} `json:"notFoundDefault"`
	NotFound map[string]struct {
		MessagePrefixes []string `json:"messagePrefixes"`
		Reason, Source  string
	} `json:"notFound"`
	Operations map[string]struct {
		Resource, Method string
		Reason, Source   string
	} `json:"operations"`
	ExtraResources map[string]struct{ Reason, Source string } `json:"extraResources"`
	// LogGroups are the CloudWatch Logs groups of job kinds whose streams
	// are named "<job name>/…".
	LogGroups map[string]struct{ Group, Reason, Source string } `json:"logGroups"`
	// ARNLayouts are ARN layouts with several parts (the part after the
	// account); {Member} is a create request member, {id}/{ID} a generated
	// id, {version} a version number. The local endpoint builds ARNs so.
	ARNLayouts map[string]struct{ Layout, Reason, Source string } `json:"arnLayouts"`
	// ListFilters are the list request members the local endpoint applies.
	ListFilters struct {
		Members        []string
		Reason, Source string
	} `json:"listFilters"`
	// Prerequisites are resources that must exist before another can be
	// created: Kind, named by the create input's Member.
	Prerequisites map[string]Prerequisite `json:"prerequisites"`
	// LifecycleExcluded are creatable kinds the generated lifecycle tests
	// cannot take through create and delete.
	LifecycleExcluded map[string]struct{ Reason, Source string } `json:"lifecycleExcluded"`
	// CaseInsensitiveNames are the kinds whose names the service matches
	// in any case.
	CaseInsensitiveNames struct {
		Kinds          []string
		Reason, Source string
	} `json:"caseInsensitiveNames"`
}

// Prerequisite is a resource kind that must exist before another is
// created.
type Prerequisite struct {
	Kind, Member   string
	Reason, Source string
}

// DefaultOverrides returns the embedded override file.
func DefaultOverrides() (*Overrides, error) {
	var o Overrides
	if err := json.Unmarshal(overridesJSON, &o); err != nil {
		return nil, fmt.Errorf("overrides.json: %w", err)
	}
	return &o, nil
}

// verbs are the operation-name prefixes the model uses, longest first.
var verbs = []string{
	"BatchDescribe", "BatchDelete", "BatchReboot", "BatchReplace", "BatchAdd", "BatchGet", "BatchPut",
	"Deregister", "Disassociate", "Associate", "Describe", "Register", "Retry", "Create", "Delete", "Update",
	"Detach", "Attach", "Disable", "Enable", "Extend", "Import", "Render", "Search", "Query",
	"Start", "Stop", "List", "Send", "Add", "Get", "Put", "Batch",
}

func splitVerb(op string) (verb, rest string) {
	for _, v := range verbs {
		if strings.HasPrefix(op, v) && len(op) > len(v) && op[len(v)] >= 'A' && op[len(v)] <= 'Z' {
			return v, op[len(v):]
		}
	}
	return "", op
}

// DiscoverOptions configure DiscoverWith.
type DiscoverOptions struct {
	// StrictOverrides makes an override entry whose target (operation,
	// resource, extra resource, not-found rule's resource) is not in the
	// model an error, so that stale entries get cleaned. It is meant for
	// the pinned model, which overrides.json is written for. Without it
	// such entries are skipped and listed in Set.SkippedOverrides (older
	// or newer models lack some operations).
	StrictOverrides bool
}

// Discover derives the resources of svc. Every override entry must match
// the model (DiscoverOptions.StrictOverrides).
func Discover(svc *model.Service, ov *Overrides) (*Set, error) {
	return DiscoverWith(svc, ov, DiscoverOptions{StrictOverrides: true})
}

// DiscoverWith derives the resources of svc.
func DiscoverWith(svc *model.Service, ov *Overrides, opt DiscoverOptions) (*Set, error) {
	set := &Set{}
	ops := svc.SortedOperations()
	has := func(name string) bool { return svc.Operations[name] != nil }

	// 1. Resource names, and the override entries that match them. A
	// skipped entry acts as if it were not in the file, which can add a
	// resource name (a Describe operation no longer assigned elsewhere),
	// so the check runs until nothing more is skipped.
	ov, skipped := ov.clone(), map[string]string{}
	var names map[string]bool
	for {
		names = resourceNames(svc, ops, ov)
		n := len(skipped)
		for _, name := range slices.Sorted(maps.Keys(ov.ExtraResources)) {
			if listFor(svc, name) == nil {
				skipped["extraResources."+name] = fmt.Sprintf("overrides.json: extra resource %s has no list operation in the model", name)
				delete(ov.ExtraResources, name)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(ov.ExtraResources)) {
			names[name] = true
		}
		for _, op := range slices.Sorted(maps.Keys(ov.Operations)) {
			o := ov.Operations[op]
			switch {
			case !has(op):
				skipped["operations."+op] = fmt.Sprintf("overrides.json: operation %s is not in the model", op)
			case !names[o.Resource]:
				skipped["operations."+op] = fmt.Sprintf("overrides.json: operation %s assigned to unknown resource %s", op, o.Resource)
			default:
				continue
			}
			delete(ov.Operations, op)
		}
		for _, name := range slices.Sorted(maps.Keys(ov.NotFound)) {
			if !names[name] {
				skipped["notFound."+name] = fmt.Sprintf("overrides.json: not-found rule for unknown resource %s", name)
				delete(ov.NotFound, name)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(ov.LogGroups)) {
			if !names[name] {
				skipped["logGroups."+name] = fmt.Sprintf("overrides.json: log group for unknown resource %s", name)
				delete(ov.LogGroups, name)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(ov.ARNLayouts)) {
			if !names[name] {
				skipped["arnLayouts."+name] = fmt.Sprintf("overrides.json: ARN layout for unknown resource %s", name)
				delete(ov.ARNLayouts, name)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(ov.Prerequisites)) {
			if p := ov.Prerequisites[name]; !names[name] || !names[p.Kind] {
				skipped["prerequisites."+name] = fmt.Sprintf("overrides.json: prerequisite %s of %s: unknown resource", p.Kind, name)
				delete(ov.Prerequisites, name)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(ov.LifecycleExcluded)) {
			if !names[name] {
				skipped["lifecycleExcluded."+name] = fmt.Sprintf("overrides.json: lifecycle exclusion of unknown resource %s", name)
				delete(ov.LifecycleExcluded, name)
			}
		}
		if len(skipped) == n {
			break
		}
	}
	set.Facts = ov
	if len(skipped) > 0 {
		msgs := make([]string, 0, len(skipped))
		for _, k := range slices.Sorted(maps.Keys(skipped)) {
			msgs = append(msgs, skipped[k])
		}
		if opt.StrictOverrides {
			return nil, fmt.Errorf("%s (every override must match the model: fix or remove the stale entries)", strings.Join(msgs, "; "))
		}
		for _, m := range msgs {
			set.SkippedOverrides = append(set.SkippedOverrides, strings.TrimPrefix(m, "overrides.json: ")+": skipped")
		}
	}
	byLen := make([]string, 0, len(names))
	for n := range names {
		byLen = append(byLen, n)
	}
	// Longest first, so PipelineExecution wins over Pipeline.
	slices.SortFunc(byLen, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	res := map[string]*Resource{}
	for _, n := range byLen {
		res[n] = &Resource{Name: n, others: names}
	}

	// 2. Operations to resources.
	claim := map[string]string{}
	for _, op := range ops {
		r, mname := assign(op.Name, byLen, ov)
		if r == "" {
			set.Client = append(set.Client, op)
			continue
		}
		if prev, ok := claim[op.Name]; ok && prev != r {
			return nil, fmt.Errorf("operation %s claimed by %s and %s", op.Name, prev, r)
		}
		claim[op.Name] = r
		m := &Method{Op: op, Name: mname}
		verb, rest := splitVerb(op.Name)
		switch {
		case verb == "Describe" && rest == r:
			m.Kind = KindDescribe
			res[r].Describe = m
			continue
		case (verb == "Create" || verb == "Add" || verb == "Import" || verb == "Register") && rest == r:
			m.Kind = KindCreate
		case verb == "Update" && rest == r:
			m.Kind = KindUpdate
		case verb == "Delete" && rest == r:
			m.Kind = KindDelete
		case verb == "Stop" && rest == r:
			m.Kind = KindStop
		case verb == "Start" && rest == r:
			m.Kind = KindStart
		case verb == "List" && isPluralOf(rest, r):
			m.Kind = KindList
		default:
			m.Kind = KindOther
		}
		res[r].Methods = append(res[r].Methods, m)
	}

	// 3. Per-resource facts.
	var out []*Resource
	for _, n := range slices.Sorted(maps.Keys(res)) {
		r := res[n]
		if err := r.derive(svc, ov, set); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	set.Resources = out
	return set, nil
}

// resourceNames derives the resource names from the operation names and
// the Operations overrides (extra resources are added by the caller).
func resourceNames(svc *model.Service, ops []*model.Operation, ov *Overrides) map[string]bool {
	has := func(name string) bool { return svc.Operations[name] != nil }
	names := map[string]bool{}
	for _, op := range ops {
		verb, rest := splitVerb(op.Name)
		switch verb {
		case "Describe":
			if _, o := ov.Operations[op.Name]; !o {
				names[rest] = true
			}
		case "Create", "Add":
			// AddTags/DeleteTags act on other resources: a plural is no resource.
			if (has("Delete"+rest) || has("Update"+rest)) && !strings.HasSuffix(rest, "s") {
				names[rest] = true
			}
		case "Update":
			if listFor(svc, rest) != nil {
				names[rest] = true
			}
		}
	}
	return names
}

// clone copies o's maps, so that entries can be dropped from the copy.
func (o *Overrides) clone() *Overrides {
	c := *o
	c.NotFound = maps.Clone(o.NotFound)
	c.Operations = maps.Clone(o.Operations)
	c.ExtraResources = maps.Clone(o.ExtraResources)
	c.LogGroups = maps.Clone(o.LogGroups)
	c.ARNLayouts = maps.Clone(o.ARNLayouts)
	c.Prerequisites = maps.Clone(o.Prerequisites)
	c.LifecycleExcluded = maps.Clone(o.LifecycleExcluded)
	return &c
}

// isPluralOf reports whether rest names several r: r+"s", r+"es", or
// r with a final y as "ies".
func isPluralOf(rest, r string) bool {
	return rest == r+"s" || rest == r+"es" || (strings.HasSuffix(r, "y") && rest == r[:len(r)-1]+"ies")
}

// assign picks the resource an operation belongs to and its method name.
func assign(op string, byLen []string, ov *Overrides) (string, string) {
	if o, ok := ov.Operations[op]; ok {
		return o.Resource, o.Method
	}
	verb, rest := splitVerb(op)
	if verb == "" {
		return "", ""
	}
	// "...For<Resource>" belongs to that resource.
	if i := strings.LastIndex(rest, "For"); i > 0 {
		for _, r := range byLen {
			if rest[i+3:] == r {
				return r, verb + rest[:i]
			}
		}
	}
	for _, r := range byLen {
		switch {
		case rest == r:
			return r, verb
		case verb == "List" && isPluralOf(rest, r):
			return r, "List"
		case strings.HasPrefix(rest, r) && len(rest) > len(r) && rest[len(r)] >= 'A' && rest[len(r)] <= 'Z':
			return r, verb + rest[len(r):]
		}
	}
	return "", ""
}

// listFor finds the list operation of resource r: List<plural of r>.
func listFor(svc *model.Service, r string) *model.Operation {
	for _, p := range []string{r + "s", r + "es", strings.TrimSuffix(r, "y") + "ies"} {
		if op := svc.Operations["List"+p]; op != nil {
			return op
		}
	}
	return nil
}

func (r *Resource) derive(svc *model.Service, ov *Overrides, set *Set) error {
	slices.SortFunc(r.Methods, func(a, b *Method) int { return strings.Compare(a.Name, b.Name) })
	// Identifiers: the Describe input's required members, else those of
	// the Delete or Update input.
	var idSrc *model.Operation
	if r.Describe != nil {
		idSrc = r.Describe.Op
	} else if m := r.Method(KindDelete); m != nil {
		idSrc = m.Op
	} else if m := r.Method(KindUpdate); m != nil {
		idSrc = m.Op
	}
	if idSrc != nil && idSrc.Input != nil {
		for _, m := range idSrc.Input.Members {
			// Without a Describe, only naming members identify (an Update
			// input's other required members are settings).
			if m.Required && (idSrc == describeOp(r) || isNaming(m.Name)) {
				if !isStringish(m.Target) {
					set.Warnings = append(set.Warnings, fmt.Sprintf("%s: identifier %s is a %s, not a string: not used as an identifier", r.Name, m.Name, m.Target.Kind))
					continue
				}
				r.Identifiers = append(r.Identifiers, m)
			}
		}
	}
	if r.Describe != nil && r.Describe.Op.Output != nil {
		r.ARN = findARN(r.Describe.Op.Output, r.Name)
	}
	arnName := ""
	if len(r.ARN) > 0 {
		arnName = r.ARN[len(r.ARN)-1]
	}
	// Object methods get every identifier their input needs from the
	// resource: by identifier name, or the ARN member by its name.
	for _, m := range r.Methods {
		m.Object, m.Fill = r.fills(m.Op, arnName)
		if m.Kind == KindCreate || m.Kind == KindList {
			m.Object, m.Fill = false, nil
		}
		if m.Kind == KindStart && !m.Object {
			m.Kind = KindCreate // StartPipelineExecution makes a PipelineExecution
		}
	}
	if r.Describe != nil {
		m := r.Describe
		m.Object, m.Fill = r.fills(m.Op, arnName)
		out := m.Op.Output
		if out != nil {
			r.Status = findStatus(out, r.Name, nil)
			if r.Status != nil {
				r.Status.Classes = map[string]Class{}
				for _, e := range r.Status.Enum.Enum {
					c, known := Classify(e.Value)
					if !known {
						set.Warnings = append(set.Warnings, fmt.Sprintf("%s: status %q is unknown to the classifier: treated as transitional", r.Name, e.Value))
					}
					r.Status.Classes[e.Value] = c
				}
				parent := out
				for _, p := range r.Status.Path[:len(r.Status.Path)-1] {
					parent = parent.Member(p).Target
				}
				prefix := r.Status.Path[:len(r.Status.Path)-1]
				for _, cand := range []string{"SecondaryStatus", r.Name + "SecondaryStatus"} {
					if sm := parent.Member(cand); sm != nil && isStringish(sm.Target) {
						r.Secondary = append(slices.Clone(prefix), cand)
						break
					}
				}
				last := r.Status.Path[len(r.Status.Path)-1]
				for _, cand := range []string{"FailureReason", "StatusMessage", r.Name + "StatusMessage", "StatusReason", "Message"} {
					if rm := parent.Member(cand); rm != nil && rm.Target.Kind == model.KindString {
						r.Reason = append(slices.Clone(prefix), cand)
						break
					}
					if last == "PrimaryStatus" {
						continue
					}
				}
			}
		}
		r.Waiters = m.Op.Waiters
	}
	if lop := listOp(r); lop != nil {
		l, err := listInfo(lop)
		if err != nil {
			return err
		}
		r.List = l
	}
	r.LogGroup = ov.LogGroups[r.Name].Group
	r.NotFound = NotFoundRule{Codes: ov.NotFoundDefault.Codes, ValidationPrefixes: slices.Clone(ov.NotFoundDefault.ValidationPrefixes), Code: "ResourceNotFound"}
	if nf, ok := ov.NotFound[r.Name]; ok && len(nf.MessagePrefixes) > 0 {
		r.NotFound.Code, r.NotFound.Message = "ValidationException", nf.MessagePrefixes[0]
		for _, p := range nf.MessagePrefixes {
			if !slices.Contains(r.NotFound.ValidationPrefixes, p) {
				r.NotFound.ValidationPrefixes = append(r.NotFound.ValidationPrefixes, p)
			}
		}
	}
	return nil
}

func describeOp(r *Resource) *model.Operation {
	if r.Describe == nil {
		return nil
	}
	return r.Describe.Op
}

// isNaming reports whether a member name looks like an identifier.
func isNaming(name string) bool {
	for _, s := range []string{"Name", "Arn", "Id", "Type"} {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// fills decides whether op can run on a resource value: every required
// input member that is an identifier or the ARN is filled from it, and at
// least one is.
func (r *Resource) fills(op *model.Operation, arnName string) (bool, []Fill) {
	if op.Input == nil || (len(r.Identifiers) == 0 && arnName == "") {
		return false, nil
	}
	var fills []Fill
	ids := map[string]bool{}
	for _, id := range r.Identifiers {
		ids[id.Name] = true
	}
	for _, m := range op.Input.Members {
		if !m.Required {
			continue
		}
		switch {
		case ids[m.Name]:
			fills = append(fills, Fill{Member: m.Name, FromID: m.Name})
		case m.Name == arnName && m.Target.Kind == model.KindString:
			fills = append(fills, Fill{Member: m.Name, ARN: true})
		}
	}
	// Every identifier must be given, unless the ARN stands for them.
	byID := 0
	for _, f := range fills {
		if f.FromID != "" {
			byID++
		}
	}
	hasARN := slices.ContainsFunc(fills, func(f Fill) bool { return f.ARN })
	if byID == len(r.Identifiers) && len(r.Identifiers) > 0 || hasARN && byID == 0 {
		return true, fills
	}
	return false, nil
}

func isStringish(s *model.Shape) bool { return s.Kind == model.KindString || s.Kind == model.KindEnum }

func listOp(r *Resource) *Method {
	return r.Method(KindList)
}

func listInfo(m *Method) (*List, error) {
	op := m.Op
	l := &List{Method: m}
	if p := op.Paginator; p != nil {
		l.Items, l.Token, l.Limit = p.Items, p.InputToken, p.PageSize
		if p.InputToken != p.OutputToken {
			l.Token = "" // SageMaker pages with NextToken both ways; anything else is not followed
		}
	} else if op.Output != nil {
		if op.Input != nil && op.Input.Member("NextToken") != nil && op.Output.Member("NextToken") != nil {
			l.Token = "NextToken"
		}
		if op.Input != nil && op.Input.Member("MaxResults") != nil {
			l.Limit = "MaxResults"
		}
	}
	if l.Items == "" && op.Output != nil {
		var lists []string
		for _, mem := range op.Output.Members {
			if mem.Target.Kind == model.KindList {
				lists = append(lists, mem.Name)
			}
		}
		if len(lists) == 1 {
			l.Items = lists[0]
		}
	}
	if l.Items == "" {
		return nil, nil
	}
	im := op.Output.Member(l.Items)
	if im == nil || im.Target.Kind != model.KindList {
		return nil, fmt.Errorf("%s: items member %s is not a list", op.Name, l.Items)
	}
	l.Summary = im.Target.ListMember.Target
	return l, nil
}

// findARN finds the resource's ARN member: <R>Arn, then Arn, then a lone
// *Arn member of a single nested structure.
func findARN(out *model.Shape, r string) []string {
	for _, c := range []string{r + "Arn", "Arn"} {
		if m := out.Member(c); m != nil && m.Target.Kind == model.KindString {
			return []string{c}
		}
	}
	if inner := single(out); inner != nil {
		if p := findARN(inner.Target, r); p != nil {
			return append([]string{inner.Name}, p...)
		}
	}
	var arns []string
	for _, m := range out.Members {
		if x := strings.TrimSuffix(m.Name, "Arn"); strings.HasSuffix(m.Name, "Arn") && m.Target.Kind == model.KindString && (strings.HasSuffix(r, x) || strings.HasPrefix(r, x)) {
			arns = append(arns, m.Name)
		}
	}
	if len(arns) == 1 {
		return arns
	}
	return nil
}

// single returns the only structure member of s when s has just one
// member besides NextToken, e.g. DescribeWorkforceOutput.Workforce.
func single(s *model.Shape) *model.Member {
	var found *model.Member
	for _, m := range s.Members {
		if m.Name == "NextToken" {
			continue
		}
		if found != nil {
			return nil
		}
		found = m
	}
	if found != nil && found.Target.Kind == model.KindStructure {
		return found
	}
	return nil
}

// notLifecycle are status members that do not describe the lifecycle.
var notLifecycle = map[string]bool{"SupportStatus": true, "ModelApprovalStatus": true}

// findStatus finds the lifecycle status: <R>Status, then Status, then
// Status.PrimaryStatus, then a member <X>Status where R ends with X, then
// the same inside a lone nested structure.
func findStatus(out *model.Shape, r string, prefix []string) *Status {
	enum := func(name string) *Status {
		if m := out.Member(name); m != nil && m.Target.Kind == model.KindEnum && !notLifecycle[name] {
			return &Status{Path: append(slices.Clone(prefix), name), Enum: m.Target}
		}
		return nil
	}
	if s := enum(r + "Status"); s != nil {
		return s
	}
	if s := enum("Status"); s != nil {
		return s
	}
	if m := out.Member("Status"); m != nil && m.Target.Kind == model.KindStructure {
		if pm := m.Target.Member("PrimaryStatus"); pm != nil && pm.Target.Kind == model.KindEnum {
			return &Status{Path: append(slices.Clone(prefix), "Status", "PrimaryStatus"), Enum: pm.Target}
		}
	}
	var cands []*Status
	for _, m := range out.Members {
		if x, ok := strings.CutSuffix(m.Name, "Status"); ok && x != "" && (strings.HasSuffix(r, x) || strings.HasPrefix(r, x)) {
			if s := enum(m.Name); s != nil {
				cands = append(cands, s)
			}
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	if inner := single(out); inner != nil && len(prefix) == 0 {
		return findStatus(inner.Target, r, []string{inner.Name})
	}
	return nil
}

// Classify maps a status value to its class. Case and separators are
// ignored (Failed, FAILED, Delete_Failed, DELETE_FAILED). known is false
// for a value no rule covers; it is then transitional.
func Classify(value string) (c Class, known bool) {
	var b strings.Builder
	for _, r := range strings.ToLower(value) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	v := b.String()
	switch {
	case v == "deletefailed" || v == "deleterollbackfailed":
		return DeleteFailed, true
	case strings.HasSuffix(v, "failed") || strings.HasSuffix(v, "error"):
		return Failure, true
	case v == "deleting" || v == "deleteinprogress" || v == "deletepending" || v == "pendingdelete":
		return Deleting, true
	case v == "deleted" || v == "deletecompleted":
		return Deleted, true
	case v == "stopped" || v == "cancelled" || v == "canceled" || v == "interrupted":
		return Stopped, true
	}
	switch v {
	case "completed", "succeeded", "inservice", "active", "created", "available", "enabled", "disabled",
		"updated", "createcompleted", "updatecompleted", "ready", "approved", "archived", "draft",
		"scheduled", "expired", "maintenancecomplete", "started", "running", "supported", "deprecated", "restricted",
		"contentdeleted", "exportjobsdeleted":
		// "running" is steady for servers and apps; jobs use "InProgress".
		return Success, true
	case "inprogress", "pending", "creating", "updating", "stopping", "rollingback", "starting", "executing",
		"systemupdating", "restarting", "initializing", "downloading", "uploading", "training", "importing",
		"pendingimport", "pendingreview", "pendingmanualapproval", "createinprogress", "updateinprogress",
		"maintenanceinprogress", "outofservice", "unknown":
		return Transitional, true
	}
	return Transitional, false
}
