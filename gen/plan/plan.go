// Package plan is the generator's decision stage. Between the resource
// derivation (gen/resource) and the emitters (gen/emit) it computes every
// Go identifier and every decision the generated code embodies, so that
// emitters only render what the plan says:
//
//   - Build plans package resources, the local endpoint's table and tests
//     and the coverage: file and method names, parameter order and types,
//     which members a method fills from the resource and from where,
//     paging, create adoption, status classes and the endpoint's picks,
//     prerequisites and ARN layouts. Facts the model lacks come from the
//     one override file (gen/resource/overrides.json), through
//     resource.Set.Facts.
//   - BuildShapes plans package shapes (shapes.go): every type, field, tag
//     and doc comment, pointer or plain, the validation checks as data,
//     sensitive members, each member's SDK conversion and the list and map
//     helpers, the pattern table, and which file every shape goes into
//     (layout.go).
//
// In the manner of smithy-go's symbol provider and knowledge indexes and
// of ent's gen graph, names and decisions are computed once, after the
// model transforms (model.Service.NameOperationShapes), and read by the
// emitters. The shapes emitter reads nothing else; the resources and
// endpoint-test emitters still spell a few shape field names themselves
// (naming.Exported of a member the plan names).
package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/naming"
	"github.com/smcore-go/smcore/gen/resource"
)

// Plan is everything the resources, emulator and coverage emitters render.
type Plan struct {
	Service   *model.Service
	Set       *resource.Set
	Resources []*Resource
	ByName    map[string]*Resource
	// Client are the operations no resource claims: methods of Client.
	Client []*Method
	// Roles says, for every operation, what the local endpoint does with it.
	Roles map[string]Role
	// ListFilters are the list request members the local endpoint applies.
	ListFilters []string
}

// Role is what the local endpoint does with an operation: its resource
// (nil for client operations) and its kind.
type Role struct {
	Op       *model.Operation
	Resource *Resource
	Kind     string // create, describe, list, update, delete, stop, start, addtags, listtags, deletetags, other
	// Merges are the members an update changes member by member rather
	// than replaces: those whose structure differs from the create's
	// member of the same name (UpdateTrainingJob's ResourceConfig is a
	// ResourceConfigForUpdate that changes KeepAlivePeriodInSeconds only).
	Merges []string
}

// Resource is one resource as package resources and the local endpoint
// render it.
type Resource struct {
	*resource.Resource
	File        string // e.g. "zz_training_job.go"
	NotFoundVar string // e.g. "notFoundTrainingJob"
	// Params are the identifiers in the order Get takes them: parents
	// first; the last names the resource.
	Params []*Param
	// Selectors is the Describe input the resource value keeps (nil when
	// the resource has no Describe input): identifiers and optional
	// selectors, reused by Refresh and every wait.
	Selectors *model.Shape
	Out       *model.Shape // the Describe output embedded in the value; nil when none
	Create    *Create
	Methods   []*Method // in Go name order, the create (FormCreate) among them
	// FromSummary, when set, names the summary members that give Get's
	// arguments, in Params order.
	FromSummary []*model.Member
	Waits       *Waits
	Interfaces  []string // interfaces of package resources the type satisfies
	Emulator    Emulator
	Prereq      *Prerequisite
	// LifecycleExcluded says why the generated lifecycle test leaves the
	// kind out ("" when it has one).
	LifecycleExcluded string
}

// Param is one identifier of a resource.
type Param struct {
	Member *model.Member // the Describe (or Delete/Update) input member
	Name   string        // Go parameter name
	Field  string        // Go field in the resource value: in.<X> or id<X>
}

// Method is an operation rendered as a Go method.
type Method struct {
	*resource.Method
	Op     *model.Operation
	GoName string
	Form   Form
	Paging *Paging
	// Fills set the request's members from the resource.
	Fills []Fill
	// Complete is true when the resource fills every required member, so
	// a short form without a request exists (Delete beside DeleteWith).
	Complete  bool
	With      string // name of the full form of a verb (DeleteWith)
	Interface string // Deleter, Stopper, Starter, or ""
	// Refresh: an update refreshes the resource after it.
	Refresh bool
}

// Form is the shape of a generated method.
type Form int

const (
	FormClient Form = iota // (c *Client) Op(ctx, in, optFns) (*Out, error)
	FormVerb               // Delete/Stop/Start(ctx) and …With(ctx, in)
	FormUpdate             // Update(ctx, in) error, then Refresh
	FormObject             // (r *R) Name(ctx, in, optFns) (*Out, error)
	FormList               // the resource's list: (c *Client) ListX(ctx, in, opts) iter.Seq2
	FormCreate             // (c *Client) Create<R>(ctx, in, optFns) (*R, error); see Resource.Create
)

// Paging says how an operation pages.
type Paging struct {
	Items string       // SDK field of the output holding the items
	Token string       // SDK field of the token, in the input and the output
	Item  *model.Shape // item shape
}

// Fill sets one request member from the resource.
type Fill struct {
	Member *model.Member // the request member
	// From is where the value comes from: an identifier (Param set), the
	// ARN, a selector of the Describe input, or the described field.
	From    FillFrom
	Param   *Param
	Field   string // Go field of the resource value for FromSelector and FromDescribed
	IfUnset bool   // set only when the caller left it unset
}

// FillFrom is the source of a Fill.
type FillFrom int

const (
	FromParam FillFrom = iota
	FromARN
	FromSelector
	FromDescribed
)

// Create is a resource's create operation as rendered.
type Create struct {
	Op *model.Operation
	// Inits give the new resource's identifiers and kept selectors: a
	// request member, or an output member (FromOutput).
	Inits []Init
	// NeedOut: an identifier comes from the create's output.
	NeedOut bool
	// Complete: every identifier is known, so the new resource is described.
	Complete bool
	// Adopt: the create carries a creation token (WithCreationToken) and
	// adopts the resource a retried create made; TagLimit bounds the tags.
	Adopt    bool
	TagLimit int // 0: no limit
	// Name is the request member naming the resource in errors (nil: none).
	Name *model.Member
	// ByARN: a resource named by name or ARN whose create took no name is
	// found by the ARN member the create returns (SDK field).
	ByARN      *Param
	ByARNField string
}

// Init is one field of a new resource value.
type Init struct {
	Field      string        // Go field of the selector input, or id<X>
	Dst        *model.Member // the field's member
	Src        *model.Member // the request or output member it is read from
	FromOutput bool
}

// Waits are a resource's status waits.
type Waits struct {
	Status, Secondary, Reason []string // member paths in the Describe output
	StatusEnum                *model.Shape
	// Classes in the order the classifier lists them, each with its values.
	Classes []ClassValues
	// Deleted are values that mean the resource is gone.
	Deleted      []string
	Job          bool
	Delete       bool // a WaitForDelete exists
	ModelWaiters []*ModelWaiter
}

// ClassValues is one non-transitional class of status values.
type ClassValues struct {
	Class  resource.Class
	Values []string
}

// ModelWaiter is a waiter of the model as generated.
type ModelWaiter struct {
	Name   string // Go method name, e.g. WaitUntilInService
	Waiter *model.Waiter
	// NotFound is the state a not-found observation leads to: success,
	// failure (ErrNotFound) or retry.
	NotFound model.AcceptorState
	// Cases are the status acceptors in model order.
	Cases    []model.Acceptor
	MinDelay int
	MaxDelay int
}

// Emulator is what the local endpoint's table says of a resource.
type Emulator struct {
	ARNType, ARNLayout                  string
	Job                                 bool
	Creating, Ready, Updating, Stopping string
	Stopped, Starting, Deleting, Failed string
	CreatedMember, ModifiedMember       string
	// CaseInsensitive: the service matches the kind's names in any case.
	CaseInsensitive bool
}

// Prerequisite is a resource that must exist before this one is created.
type Prerequisite struct {
	Kind   *Resource
	Member string // the create input member that names it
	Reason string
}

// Build plans every resource and operation of set.
func Build(svc *model.Service, set *resource.Set) (*Plan, error) {
	// Operation shapes carry the SDK's names (<Op>Input, <Op>Output).
	if err := svc.NameOperationShapes(); err != nil {
		return nil, err
	}
	p := &Plan{Service: svc, Set: set, ByName: map[string]*Resource{}, Roles: map[string]Role{}}
	facts := set.Facts
	if facts == nil {
		facts = &resource.Overrides{}
	}
	p.ListFilters = slices.Clone(facts.ListFilters.Members)
	for _, r := range set.Resources {
		pr, err := planResource(r, facts)
		if err != nil {
			return nil, fmt.Errorf("plan %s: %w", r.Name, err)
		}
		p.Resources = append(p.Resources, pr)
		p.ByName[r.Name] = pr
	}
	for _, pr := range p.Resources {
		if f, ok := facts.Prerequisites[pr.Name]; ok {
			pre := p.ByName[f.Kind]
			if err := checkPrerequisite(pr, pre, f); err != nil {
				return nil, err
			}
			pr.Prereq = &Prerequisite{Kind: pre, Member: f.Member, Reason: f.Reason}
		}
		if x, ok := facts.LifecycleExcluded[pr.Name]; ok {
			if pr.Create == nil || pr.Create.Op.Input == nil {
				return nil, fmt.Errorf("plan: %s is excluded from the lifecycle tests but has no create", pr.Name)
			}
			pr.LifecycleExcluded = x.Reason
		}
	}
	for _, op := range set.Client {
		m := &Method{Op: op, GoName: op.Name, Form: FormClient}
		m.Paging = pagingOf(op)
		p.Client = append(p.Client, m)
	}
	p.roles()
	return p, nil
}

func checkPrerequisite(r, pre *Resource, f resource.Prerequisite) error {
	if pre == nil || pre.Create == nil || r.Create == nil || pre.Create.Op.Input == nil || r.Create.Op.Input == nil {
		return fmt.Errorf("plan: prerequisites: %s needs %s, but one of them cannot be created", r.Name, f.Kind)
	}
	for _, in := range []*model.Shape{pre.Create.Op.Input, r.Create.Op.Input} {
		m := in.Member(f.Member)
		if m == nil || !m.Required || m.Target.Kind != model.KindString {
			return fmt.Errorf("plan: prerequisites: %s is not a required string member of %s", f.Member, in.Name)
		}
	}
	if len(pre.Identifiers) != 1 || pre.Identifiers[0].Name != f.Member {
		return fmt.Errorf("plan: prerequisites: %s is not the identifier of %s", f.Member, f.Kind)
	}
	return nil
}

// IsStringish reports whether a shape is a string or an enum.
func IsStringish(s *model.Shape) bool { return s.Kind == model.KindString || s.Kind == model.KindEnum }

// Plain reports whether member m is a plain Go value rather than a
// pointer: the rule is by kind, never by required-ness (which changes
// between model versions). Strings, enums and timestamps are plain;
// numbers, booleans, structures and unions pointers; lists, maps, blobs and
// documents nil when absent. Members of unions (ptrMembers) are pointers.
func Plain(m *model.Member, ptrMembers bool) bool {
	if ptrMembers {
		return false
	}
	switch m.Target.Kind {
	case model.KindString, model.KindEnum, model.KindTimestamp:
		return true
	}
	return false
}

// EmptyAllowed reports whether a required plain member may hold its zero
// value: a string whose model minimum length is explicitly 0 (a Tag's
// Value), or an enum with an empty value. Any other required plain member
// that is zero is reported missing.
func EmptyAllowed(m *model.Member) bool {
	switch m.Target.Kind {
	case model.KindString:
		c := m.Effective()
		return c.MinLength != nil && *c.MinLength == 0
	case model.KindEnum:
		for _, e := range m.Target.Enum {
			if e.Value == "" {
				return true
			}
		}
	}
	return false
}

func planResource(r *resource.Resource, facts *resource.Overrides) (*Resource, error) {
	pr := &Resource{
		Resource:    r,
		File:        naming.File(r.Name),
		NotFoundVar: "notFound" + r.Name,
		Interfaces:  []string{"Named"},
	}
	if r.Describe != nil {
		pr.Out = r.Describe.Op.Output
		pr.Selectors = r.Describe.Op.Input
	}
	for _, id := range r.Params() {
		prm := &Param{Member: id, Name: naming.Param(id.Name)}
		if pr.Selectors != nil {
			prm.Field = "in." + naming.Exported(id.Name)
		} else {
			prm.Field = "id" + id.Name
		}
		pr.Params = append(pr.Params, prm)
	}
	if pr.Out != nil && ARNAccess(pr.Out, r.ARN) {
		pr.Interfaces = append(pr.Interfaces, "WithARN")
	}
	if r.LogGroup != "" {
		pr.Interfaces = append(pr.Interfaces, "LogSource")
	}
	if r.Describe != nil {
		pr.Interfaces = append(pr.Interfaces, "Refresher")
	}
	for _, m := range r.Methods {
		switch {
		case m.Kind == resource.KindCreate:
			pr.Create = planCreate(pr, m)
			pr.Methods = append(pr.Methods, &Method{Method: m, Op: m.Op, GoName: m.Op.Name, Form: FormCreate})
		case m.Kind == resource.KindList && r.List != nil && r.List.Method == m:
			pm := &Method{Method: m, Op: m.Op, GoName: m.Op.Name, Form: FormList, Paging: pagingOf(m.Op)}
			if pm.Paging == nil {
				pm.Form = FormClient
			}
			pr.Methods = append(pr.Methods, pm)
		case m.Object:
			pm := pr.planObject(m)
			if pm.Interface != "" {
				pr.Interfaces = append(pr.Interfaces, pm.Interface)
			}
			pr.Methods = append(pr.Methods, pm)
		default:
			pr.Methods = append(pr.Methods, &Method{Method: m, Op: m.Op, GoName: m.Op.Name, Form: FormClient, Paging: pagingOf(m.Op)})
		}
	}
	if r.List != nil && pr.Selectors != nil && r.List.Summary.Kind == model.KindStructure {
		var args []*model.Member
		for _, prm := range pr.Params {
			sm := r.List.Summary.Member(prm.Member.Name)
			if sm == nil || !IsStringish(sm.Target) {
				args = nil
				break
			}
			args = append(args, sm)
		}
		pr.FromSummary = args
	}
	if r.Status != nil && pr.Out != nil {
		pr.Waits = planWaits(pr)
		pr.Interfaces = append(pr.Interfaces, "Waiter")
		if pr.Waits.Delete {
			pr.Interfaces = append(pr.Interfaces, "DeleteWaiter")
		}
	}
	pr.Emulator = planEmulator(pr, facts)
	return pr, nil
}

// ARNAccess reports whether the ARN path of a Describe output can be read
// as a string.
func ARNAccess(out *model.Shape, path []string) bool {
	if len(path) == 0 {
		return false
	}
	cur := out
	for i, p := range path {
		m := cur.Member(p)
		if m == nil {
			return false
		}
		if i == len(path)-1 {
			return IsStringish(m.Target)
		}
		cur = m.Target
	}
	return false
}

func pagingOf(op *model.Operation) *Paging {
	p := op.Paginator
	if p == nil || p.Items == "" || op.Input == nil || op.Output == nil || p.InputToken != p.OutputToken {
		return nil
	}
	im := op.Output.Member(p.Items)
	if im == nil || im.Target.Kind != model.KindList {
		return nil
	}
	return &Paging{Items: naming.SDKField(p.Items), Token: naming.SDKField(p.InputToken), Item: im.Target.ListMember.Target}
}

// verbInterface is the interface a short verb method satisfies.
var verbInterface = map[string]string{resource.KindDelete: "Deleter", resource.KindStop: "Stopper", resource.KindStart: "Starter"}

// planObject plans a method on the resource value. Its request's
// identifiers come from the resource; members it leaves unset come from
// what the resource knows: a selector it was got with (App's SpaceName,
// ImageVersion's Version), then, for a required member, the member of the
// same name it was last described with (HubContent's HubContentVersion).
func (pr *Resource) planObject(m *resource.Method) *Method {
	pm := &Method{Method: m, Op: m.Op, GoName: m.Name, Form: FormObject, Paging: pagingOf(m.Op)}
	switch m.Kind {
	case resource.KindDelete, resource.KindStop, resource.KindStart:
		pm.Form, pm.With = FormVerb, m.Name+"With"
	case resource.KindUpdate:
		pm.Form, pm.Refresh = FormUpdate, pr.Describe != nil
	}
	done := map[string]bool{}
	for _, fl := range m.Fill {
		done[fl.Member] = true
		f := Fill{Member: m.Op.Input.Member(fl.Member), From: FromARN}
		if !fl.ARN {
			f.From = FromParam
			for _, prm := range pr.Params {
				if prm.Member.Name == fl.FromID {
					f.Param = prm
				}
			}
		}
		pm.Fills = append(pm.Fills, f)
	}
	pm.Complete = true
	for _, mem := range m.Op.Input.Members {
		if done[mem.Name] {
			continue
		}
		field := naming.Exported(mem.Name)
		if pr.Selectors != nil {
			if sm := pr.Selectors.Member(mem.Name); sm != nil && sm.Target == mem.Target {
				pm.Fills = append(pm.Fills, Fill{Member: mem, From: FromSelector, Field: "in." + field, IfUnset: true})
			}
		}
		described := false
		if mem.Required && pr.Out != nil {
			if om := pr.Out.Member(mem.Name); om != nil && om.Target == mem.Target {
				pm.Fills = append(pm.Fills, Fill{Member: mem, From: FromDescribed, Field: field, IfUnset: true})
				described = true
			}
		}
		// An idempotency token left empty is the SDK's to fill.
		if mem.Required && !described && !(mem.IdempotencyToken && Plain(mem, false)) {
			pm.Complete = false
		}
	}
	if pm.Form == FormVerb && pm.Complete {
		pm.Interface = verbInterface[m.Kind]
	}
	return pm
}

// planCreate plans a create: the new resource's identifiers come from the
// request or, when it lacks them, from the create's output; optional
// selectors the create also takes (App's SpaceName) are kept, so the
// describe after the create finds the resource.
func planCreate(pr *Resource, m *resource.Method) *Create {
	op := m.Op
	c := &Create{Op: op, Complete: true}
	for _, prm := range pr.Params {
		id := prm.Member
		field := prm.Field
		if im := op.Input.Member(id.Name); im != nil && IsStringish(im.Target) {
			c.Inits = append(c.Inits, Init{Field: field, Dst: id, Src: im})
		} else if om := outString(op, id.Name); om != nil {
			c.Inits = append(c.Inits, Init{Field: field, Dst: id, Src: om, FromOutput: true})
			c.NeedOut = true
		} else {
			c.Complete = false
		}
	}
	if pr.Selectors != nil {
		for _, sm := range pr.Selectors.Members {
			if sm.Required {
				continue
			}
			if cm := op.Input.Member(sm.Name); cm != nil && cm.Target == sm.Target {
				c.Inits = append(c.Inits, Init{Field: "in." + naming.Exported(sm.Name), Dst: sm, Src: cm})
			}
		}
	}
	tags := op.Input.Member("Tags")
	c.Adopt = pr.Describe != nil && c.Complete && !c.NeedOut && pr.Out != nil && ARNAccess(pr.Out, pr.ARN) &&
		tags != nil && tags.Target.Kind == model.KindList && tags.Target.ListMember.Target.Name == "Tag"
	if c.Adopt {
		if lim := tags.Effective().MaxLength; lim != nil {
			c.TagLimit = int(*lim)
		}
	}
	if n := len(pr.Params); n > 0 {
		if im := op.Input.Member(pr.Params[n-1].Member.Name); im != nil && IsStringish(im.Target) {
			c.Name = im
		}
	}
	if len(pr.Params) == 1 && len(pr.ARN) == 1 && op.Output != nil {
		id := pr.Params[0]
		if im := op.Input.Member(id.Member.Name); im != nil && !im.Required {
			if om := op.Output.Member(pr.ARN[0]); om != nil && om.Target.Kind == model.KindString {
				c.ByARN, c.ByARNField = id, naming.SDKField(pr.ARN[0])
			}
		}
	}
	return c
}

func outString(op *model.Operation, name string) *model.Member {
	if op.Output == nil {
		return nil
	}
	if m := op.Output.Member(name); m != nil && IsStringish(m.Target) {
		return m
	}
	return nil
}

func planWaits(pr *Resource) *Waits {
	r := pr.Resource
	w := &Waits{Status: r.Status.Path, Secondary: r.Secondary, Reason: r.Reason, StatusEnum: r.Status.Enum, Job: r.IsJob(),
		Delete: r.Method(resource.KindDelete) != nil}
	values := make([]string, 0, len(r.Status.Classes))
	for v := range r.Status.Classes {
		values = append(values, v)
	}
	slices.Sort(values)
	byClass := map[resource.Class][]string{}
	for _, v := range values {
		c := r.Status.Classes[v]
		if c == resource.Deleted {
			w.Deleted = append(w.Deleted, v)
		}
		if c != resource.Transitional {
			byClass[c] = append(byClass[c], v)
		}
	}
	for c := resource.Transitional; c <= resource.Deleted; c++ {
		if vs := byClass[c]; len(vs) > 0 {
			w.Classes = append(w.Classes, ClassValues{Class: c, Values: vs})
		}
	}
	for _, mw := range r.Waiters {
		if p := planModelWaiter(r, mw); p != nil {
			w.ModelWaiters = append(w.ModelWaiters, p)
		}
	}
	return w
}

// planModelWaiter plans a model waiter from its acceptors; nil when one
// looks at something other than the status or an error (docs/waiters.md).
// Of several error acceptors (ImageDeleted: ResourceNotFoundException is
// success, ValidationException failure), the one for the resource's
// not-found codes decides; any other error ends the wait as an error anyway.
func planModelWaiter(r *resource.Resource, w *model.Waiter) *ModelWaiter {
	statusPath := strings.Join(r.Status.Path, ".")
	mw := &ModelWaiter{Name: "WaitUntil" + strings.TrimPrefix(w.Name, r.Name), Waiter: w, NotFound: model.StateFailure, MinDelay: w.MinDelay, MaxDelay: w.MaxDelay}
	if mw.MaxDelay == 0 && w.MaxAttempts > 0 {
		mw.MaxDelay = w.MinDelay * w.MaxAttempts
	}
	seen := false
	for _, a := range w.Acceptors {
		switch a.Matcher {
		case model.MatchOutput:
			if a.Path != statusPath || a.Comparator != model.CompareStringEquals {
				return nil
			}
			mw.Cases = append(mw.Cases, a)
		case model.MatchError:
			if seen && !isNotFoundCode(r, a.ErrorType) {
				continue
			}
			seen = true
			mw.NotFound = a.State
		default:
			return nil
		}
	}
	return mw
}

func isNotFoundCode(r *resource.Resource, code string) bool {
	return code == r.NotFound.Code || slices.Contains(r.NotFound.Codes, code)
}

func planEmulator(pr *Resource, facts *resource.Overrides) Emulator {
	r := pr.Resource
	e := Emulator{ARNType: naming.Kebab(r.Name), ARNLayout: facts.ARNLayouts[r.Name].Layout, Job: r.IsJob(),
		CaseInsensitive: slices.Contains(facts.CaseInsensitiveNames.Kinds, r.Name)}
	if r.Status != nil && len(r.Status.Path) == 1 {
		e.Creating = pick(r, resource.Transitional, "InProgress", "Creating", "Pending", "Executing")
		e.Ready = pick(r, resource.Success, "Completed", "InService", "Created", "Active", "Available", "Succeeded", "Enabled", "Scheduled")
		e.Updating = pick(r, resource.Transitional, "Updating", "UpdateInProgress")
		e.Stopping = pick(r, resource.Transitional, "Stopping")
		e.Stopped = pick(r, resource.Stopped, "Stopped")
		e.Starting = pick(r, resource.Transitional, "Starting", "Pending")
		e.Deleting = pick(r, resource.Deleting, "Deleting")
		e.Failed = pick(r, resource.Failure, "Failed")
	}
	e.CreatedMember = firstMember(pr.Out, model.KindTimestamp, "CreationTime", "CreatedTime", "CreateTime", "CreationDate", "CreateDate", "CreatedAt")
	e.ModifiedMember = firstMember(pr.Out, model.KindTimestamp, "LastModifiedTime", "LastModifiedDate", "LastUpdatedDate", "LastUpdatedTime", "ModifiedTime")
	return e
}

func firstMember(s *model.Shape, kind model.Kind, names ...string) string {
	if s == nil {
		return ""
	}
	for _, n := range names {
		if m := s.Member(n); m != nil && m.Target.Kind == kind {
			return n
		}
	}
	return ""
}

// pick returns the first status value of the given class, preferring the
// listed spellings.
func pick(r *resource.Resource, c resource.Class, prefer ...string) string {
	var vals []string
	for _, e := range r.Status.Enum.Enum {
		if r.Status.Classes[e.Value] == c {
			vals = append(vals, e.Value)
		}
	}
	for _, p := range prefer {
		for _, v := range vals {
			if strings.EqualFold(strings.ReplaceAll(v, "_", ""), p) {
				return v
			}
		}
	}
	if len(vals) > 0 {
		return vals[0]
	}
	return ""
}

// roles gives every operation its role; the table and the generated tests
// read it, so they cannot disagree.
func (p *Plan) roles() {
	for _, pr := range p.Resources {
		if pr.Describe != nil {
			p.Roles[pr.Describe.Op.Name] = Role{Op: pr.Describe.Op, Resource: pr, Kind: "describe"}
		}
		for _, m := range pr.Resource.Methods {
			kind := map[string]string{
				resource.KindCreate: "create", resource.KindUpdate: "update", resource.KindDelete: "delete",
				resource.KindStop: "stop", resource.KindStart: "start", resource.KindList: "list",
			}[m.Kind]
			if kind == "" || (kind == "list" && (pr.List == nil || pr.List.Method != m)) || (kind != "create" && kind != "list" && !m.Object) {
				kind = "other"
			}
			role := Role{Op: m.Op, Resource: pr, Kind: kind}
			if kind == "update" {
				role.Merges = merges(m.Op, pr.Create)
			}
			p.Roles[m.Op.Name] = role
		}
	}
	for _, m := range p.Client {
		kind := "other"
		switch m.Op.Name {
		case "AddTags", "ListTags", "DeleteTags":
			kind = strings.ToLower(m.Op.Name)
		}
		p.Roles[m.Op.Name] = Role{Op: m.Op, Kind: kind}
	}
}

// merges returns the members of an update's input whose structure differs
// from the create input's member of the same name.
func merges(update *model.Operation, c *Create) []string {
	if c == nil || update.Input == nil || c.Op.Input == nil {
		return nil
	}
	var out []string
	for _, m := range update.Input.Members {
		cm := c.Op.Input.Member(m.Name)
		if cm != nil && m.Target.Kind == model.KindStructure && cm.Target.Kind == model.KindStructure && m.Target != cm.Target {
			out = append(out, m.Name)
		}
	}
	return out
}
