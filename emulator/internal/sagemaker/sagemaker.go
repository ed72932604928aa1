package sagemaker

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smcore-go/smcore/emulator/wire"
	"github.com/smcore-go/smcore/shapes"
)

// resourceSpec and opSpec are filled by the generated zz_table.go.
type resourceSpec struct {
	Name, ARNType, Describe             string
	Job                                 bool
	IDs                                 []string
	ARNMember, StatusMember             string
	ARNLayout                           string // gen/resource/overrides.json arnLayouts; "" for {type}/{name}
	Creating, Ready, Updating, Stopping string
	Stopped, Starting, Deleting, Failed string
	SecondaryMember, ReasonMember       string
	CreatedMember, ModifiedMember       string
	ListItems                           string
	SummaryMembers                      []string
	NotFoundCode, NotFoundPrefix        string
	// Prerequisite must exist, named by the create request's
	// PrerequisiteMember, before this kind is created (overrides.json).
	Prerequisite, PrerequisiteMember string
	// CaseInsensitive: the service matches the kind's names in any case
	// (overrides.json caseInsensitiveNames); other kinds match exactly.
	CaseInsensitive bool
}

type opSpec struct {
	Resource, Kind string
	// Merges are the members an update changes member by member (its
	// structure is the create's less what cannot change), not replaces.
	Merges        []string
	Input         func() shapes.Validatable
	InputMembers  []string
	OutputMembers []string
	OutputTimes   []string
}

type tag struct{ Key, Value string }

// step is a lifecycle transition due at a time.
type step struct {
	at                        time.Time
	status, secondary, reason string
	message                   string
	remove                    bool
}

// record is one stored resource.
type record struct {
	spec              *resourceSpec
	key, name, arn    string
	ids               map[string]string
	doc               map[string]any // members as the client sent them (wire form)
	created, modified time.Time
	status, secondary string
	reason            string
	transitions       []map[string]any
	plan              []step
	training          *training // a running executor, for training jobs
	store             *store    // the data directory's bookkeeping (persist.go); nil without one
}

// advance applies the transitions that are due; it reports false when the
// record is gone.
func (s *Service) advance(r *record) bool {
	now := s.Now()
	for len(r.plan) > 0 && !r.plan[0].at.After(now) {
		s.touch(r)
		st := r.plan[0]
		r.plan = r.plan[1:]
		if st.remove {
			s.removeRecord(r)
			return false
		}
		r.setStatus(st.at, st.status, st.secondary, st.message)
		if st.reason != "" {
			r.reason = st.reason
		}
	}
	return true
}

func (r *record) setStatus(at time.Time, status, secondary, message string) {
	r.store.markDirty(r) // under s.mu, as every change
	if status != "" {
		r.status = status
	}
	if secondary != "" && secondary != r.secondary {
		if n := len(r.transitions); n > 0 {
			// Answers given earlier share the transitions and may still be
			// being encoded: copy, never modify them in place.
			ts := make([]map[string]any, n, n+1)
			copy(ts, r.transitions)
			ts[n-1] = maps.Clone(ts[n-1])
			ts[n-1]["EndTime"] = epoch(at)
			r.transitions = ts
		}
		t := map[string]any{"Status": secondary, "StartTime": epoch(at)}
		if message != "" {
			t["StatusMessage"] = message
		}
		r.transitions = append(r.transitions, t)
		r.secondary = secondary
	}
	r.modified = at
}

// schedule replaces the record's pending transitions: one per step time.
func (s *Service) schedule(r *record, steps ...step) {
	at := s.Now()
	r.plan = r.plan[:0]
	for _, st := range steps {
		at = at.Add(s.Step)
		st.at = at
		r.plan = append(r.plan, st)
	}
}

func epoch(t time.Time) json.Number {
	return json.Number(strconv.FormatFloat(float64(t.UnixNano())/1e9, 'f', 3, 64))
}

func newID(prefix string) string {
	var b [6]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// sagemaker handles one SageMaker operation in the default region.
func (s *Service) sagemaker(op string, body map[string]any) (map[string]any, error) {
	return s.sagemakerIn(context.Background(), op, body)
}

// sagemakerIn handles one SageMaker operation; new ARNs carry the region
// and partition of the request (ctx).
func (s *Service) sagemakerIn(ctx context.Context, op string, body map[string]any) (out map[string]any, err error) {
	spec, ok := opTable[op]
	if !ok {
		return nil, wire.Errorf("UnknownOperationException", "unknown operation %s", op)
	}
	if spec.Input != nil {
		if err := s.check(spec, body); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(); err != nil {
		return nil, err
	}
	defer s.commit(&out, &err) // a change is durable before it is answered
	rs := resourceTable[spec.Resource]
	switch spec.Kind {
	case "create":
		return s.create(ctx, spec, rs, body)
	case "describe":
		r, err := s.find(ctx, rs, body)
		if err != nil {
			return nil, err
		}
		return s.describe(spec, r), nil
	case "list":
		return s.list(ctx, spec, rs, body)
	case "delete", "stop", "start", "update":
		r, err := s.find(ctx, rs, body)
		if err != nil {
			return nil, err
		}
		return s.change(spec, r, body)
	case "addtags", "listtags", "deletetags":
		return s.tagOp(ctx, spec.Kind, body)
	}
	return nil, &wire.Error{Status: 501, Code: "NotImplemented", Message: op + " is not implemented by the local endpoint"}
}

// check decodes the request into its shapes type and validates it as the
// service does: required members, lengths, ranges, unions, patterns, enums.
func (s *Service) check(spec *opSpec, body map[string]any) error {
	key, flat := flatKey(spec, body)
	if flat && wasValid(key) {
		return nil // see fastpath.go
	}
	in := spec.Input()
	v := reflect.ValueOf(in).Elem()
	if err := decodeInto(v, body, v.Type().Name()); err != nil {
		return err
	}
	err := shapes.ValidateStrict(in)
	var ve *shapes.ValidationError
	if errors.As(err, &ve) {
		msgs := make([]string, len(ve.Violations))
		for i, x := range ve.Violations {
			msgs[i] = x.String()
		}
		return wire.Errorf("ValidationException", "%d validation error(s) detected: %s", len(msgs), strings.Join(msgs, "; "))
	}
	if err == nil && flat {
		rememberValid(key)
	}
	return err
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func (s *Service) notFound(rs *resourceSpec, name string) error {
	if rs.NotFoundCode == "ValidationException" {
		return wire.Errorf("ValidationException", "%s: %q.", rs.NotFoundPrefix, name)
	}
	return wire.Errorf(rs.NotFoundCode, "%s %q does not exist.", rs.Name, name)
}

// recordKey is a record's key among its kind's: the region it lives in,
// then its identifiers' values. SageMaker state is per region: a resource
// created in us-west-2 is not seen from eu-west-1.
func recordKey(region string, vals []string) string {
	return region + "\x00" + strings.Join(vals, "\x00")
}

// region is the region a record lives in: its ARN's.
func (r *record) region() string {
	if parts := strings.SplitN(r.arn, ":", 5); len(parts) == 5 {
		return parts[3]
	}
	return ""
}

// find returns the record the request's identifiers name, in the
// request's region.
func (s *Service) find(ctx context.Context, rs *resourceSpec, body map[string]any) (*record, error) {
	var vals []string
	for _, id := range rs.IDs {
		vals = append(vals, str(body[id]))
	}
	key := recordKey(s.RegionFor(ctx), vals)
	name := ""
	if len(vals) > 0 {
		name = vals[len(vals)-1]
	}
	r := s.records[rs.Name][key]
	if r == nil && rs.CaseInsensitive {
		for k, c := range s.records[rs.Name] {
			if strings.EqualFold(k, key) {
				r = c
				break
			}
		}
	}
	if r == nil && len(rs.IDs) == 1 {
		// Describe calls that take "name or ARN" find the resource by ARN.
		if a := s.byARN[name]; a != nil && a.spec == rs {
			r = a
		}
	}
	if r == nil || !s.advance(r) {
		return nil, s.notFound(rs, name)
	}
	return r, nil
}

func (s *Service) create(ctx context.Context, spec *opSpec, rs *resourceSpec, body map[string]any) (map[string]any, error) {
	if rs == nil {
		return nil, &wire.Error{Status: 501, Code: "NotImplemented", Message: "no resource for this create"}
	}
	r := &record{spec: rs, ids: map[string]string{}, doc: map[string]any{}, created: s.Now(), store: s.store}
	r.modified = r.created
	for k, v := range body {
		r.doc[k] = v
	}
	var vals []string
	for _, id := range rs.IDs {
		v := str(body[id])
		if v == "" && id != rs.ARNMember {
			v = s.inventID(rs, id)
		}
		r.ids[id] = v
		vals = append(vals, v)
	}
	if len(vals) > 0 {
		r.name = vals[len(vals)-1]
	}
	if r.name == "" || r.name == str(body[rs.ARNMember]) {
		r.name = str(body["Name"])
		if r.name == "" {
			r.name = newID("")
		}
	}
	r.arn = s.makeARN(ctx, rs, r.name, body)
	for id, v := range r.ids {
		if id == rs.ARNMember || v == "" {
			r.ids[id] = r.arn
		}
	}
	vals = vals[:0]
	for _, id := range rs.IDs {
		vals = append(vals, r.ids[id])
	}
	region := s.RegionFor(ctx)
	r.key = recordKey(region, vals)
	if s.records[rs.Name] == nil {
		s.records[rs.Name] = map[string]*record{}
	}
	if old := s.records[rs.Name][r.key]; old != nil && s.advance(old) {
		return nil, wire.Errorf("ResourceInUse", "%s %q already exists.", rs.Name, r.name)
	}
	// ARNs lower-case the name: a name that differs from an existing one
	// only in case would share its ARN, which the service never allows.
	if old := s.byARN[r.arn]; old != nil && old.spec == rs && s.advance(old) {
		return nil, wire.Errorf("ResourceInUse", "%s %q already exists (as %q).", rs.Name, r.name, old.name)
	}
	if pre := rs.Prerequisite; pre != "" {
		name := str(r.doc[rs.PrerequisiteMember])
		if rec := s.records[pre][recordKey(region, []string{name})]; rec == nil || !s.advance(rec) {
			return nil, wire.Errorf("ValidationException", "%s %q.", resourceTable[pre].NotFoundPrefix, name)
		}
	}
	if hook := createHooks[rs.Name]; hook != nil {
		if err := hook(s, r); err != nil {
			return nil, err
		}
	}
	s.seq++
	s.records[rs.Name][r.key] = r
	s.byARN[r.arn] = r
	s.inserted(r)
	if tags, ok := body["Tags"].([]any); ok {
		for _, t := range tags {
			m, _ := t.(map[string]any)
			s.putTag(r.arn, str(m["Key"]), str(m["Value"]))
		}
	}
	s.startLifecycle(r)
	out := map[string]any{}
	for _, m := range spec.OutputMembers {
		switch {
		case m == rs.ARNMember || (rs.ARNMember == "" && strings.HasSuffix(m, "Arn") && strings.HasSuffix(rs.Name, strings.TrimSuffix(m, "Arn"))):
			out[m] = r.arn
		case r.ids[m] != "":
			out[m] = r.ids[m]
		}
	}
	return out, nil
}

// validFor reports whether value passes the strict checks of the
// resource's Describe input as its member id.
func (s *Service) validFor(rs *resourceSpec, id, value string) bool {
	spec := opTable[rs.Describe]
	if spec == nil || spec.Input == nil {
		return true
	}
	in := spec.Input()
	v := reflect.ValueOf(in).Elem()
	if decodeInto(v, map[string]any{id: value}, "in") != nil {
		return false
	}
	var ve *shapes.ValidationError
	if errors.As(shapes.ValidateStrict(in), &ve) {
		for _, x := range ve.Violations {
			if strings.HasSuffix(x.Path, "."+id) {
				return false
			}
		}
	}
	return true
}

// inventID makes a value for an identifier the service assigns (DomainId,
// ClusterSchedulerConfigId, …) that its pattern accepts.
func (s *Service) inventID(rs *resourceSpec, id string) string {
	hex := newID("")
	lower := strings.ToLower(rs.Name[:1])
	for _, c := range []string{hex, lower + "-" + hex, hex[:8], "app-" + strings.ToUpper(hex)} {
		if s.validFor(rs, id, c) {
			return c
		}
	}
	return hex
}

// makeARN builds the resource's ARN: {type}/{lower-case name}, or the
// layout the table gives (from the model's pattern for the ARN).
func (s *Service) makeARN(ctx context.Context, rs *resourceSpec, name string, body map[string]any) string {
	tail := rs.ARNType + "/" + strings.ToLower(name)
	if layout := rs.ARNLayout; layout != "" {
		hex := newID("")
		tail = layout
		for k, v := range body {
			tail = strings.ReplaceAll(tail, "{"+k+"}", strings.ToLower(str(v)))
		}
		tail = strings.NewReplacer("{id}", hex, "{ID}", strings.ToUpper(hex), "{version}", "1").Replace(tail)
	}
	return s.ARN(ctx, "sagemaker", tail)
}

// startLifecycle sets a new resource's first status and what follows.
func (s *Service) startLifecycle(r *record) {
	rs := r.spec
	if rs.StatusMember == "" {
		return
	}
	first := rs.Creating
	if first == "" {
		r.status = rs.Ready
		return
	}
	r.status = first
	if reason, ok := s.Faults.JobFailure(r.name); ok && rs.Name == "TrainingJob" {
		s.failLifecycle(r, reason)
		return
	}
	if rs.Name == "TrainingJob" {
		if ex, run := s.runnable(r); ex != nil {
			s.startTraining(r, ex, run)
			return
		}
	}
	switch {
	case rs.Name == "TrainingJob" && !s.Simulate:
		r.setStatus(r.created, "", "Starting", "Preparing the instances for training")
		s.schedule(r, step{status: rs.Failed, secondary: "Failed", reason: s.unrunnableReason(r),
			message: "No executor"})
	case rs.Name == "TrainingJob":
		r.setStatus(r.created, "", "Starting", "Simulated: preparing the instances for training")
		s.schedule(r,
			step{secondary: "Downloading", message: "Simulated: downloading input data"},
			step{secondary: "Training", message: "Simulated: training image download completed; nothing was run"},
			step{secondary: "Uploading", message: "Simulated: no artifact is written"},
			step{status: rs.Ready, secondary: "Completed", message: "Simulated: training job completed without running"})
	default:
		s.schedule(r, step{status: rs.Ready})
	}
}

func (s *Service) describe(spec *opSpec, r *record) map[string]any {
	rs := r.spec
	out := map[string]any{}
	for _, m := range spec.OutputMembers {
		if v, ok := s.member(r, m); ok {
			out[m] = v
		}
	}
	_ = rs
	return out
}

// member returns the value of an output or summary member of r.
func (s *Service) member(r *record, m string) (any, bool) {
	rs := r.spec
	switch m {
	case "":
		return nil, false
	case rs.ARNMember:
		return r.arn, true
	case rs.StatusMember:
		return r.status, r.status != ""
	case rs.SecondaryMember:
		return r.secondary, r.secondary != ""
	case rs.ReasonMember:
		return r.reason, r.reason != ""
	case rs.CreatedMember:
		return epoch(r.created), true
	case rs.ModifiedMember:
		return epoch(r.modified), true
	case "SecondaryStatusTransitions":
		if rs.Name == "TrainingJob" && len(r.transitions) > 0 {
			return r.transitions, true
		}
	case "ModelArtifacts":
		if v, ok := r.doc[m]; ok {
			return v, true
		}
		if rs.Name == "TrainingJob" {
			return map[string]any{"S3ModelArtifacts": ""}, true
		}
	}
	if v, ok := r.ids[m]; ok && v != "" {
		return v, true
	}
	v, ok := r.doc[m]
	return v, ok
}

func (s *Service) change(spec *opSpec, r *record, body map[string]any) (map[string]any, error) {
	rs := r.spec
	now := s.Now()
	s.touch(r)
	switch spec.Kind {
	case "delete":
		if rs.Deleting != "" {
			r.setStatus(now, rs.Deleting, "", "")
			s.schedule(r, step{remove: true})
		} else {
			s.removeRecord(r)
		}
	case "stop":
		if r.training != nil {
			r.setStatus(now, rs.Stopping, "Stopping", "Stopping the training job")
			tr := r.training
			s.afterCommit(func() { tr.cancel(errStopped) })
			break
		}
		if rs.Stopping == "" && rs.Stopped == "" {
			break
		}
		if rs.Job && r.status != rs.Creating && r.status != rs.Stopping {
			return nil, wire.Errorf("ValidationException", "%s %q is not in progress: status %s", rs.Name, r.name, r.status)
		}
		sec := ""
		if rs.SecondaryMember != "" {
			sec = "Stopping"
		}
		r.setStatus(now, firstNonEmpty(rs.Stopping, rs.Stopped), sec, "")
		stopped := "Stopped"
		if rs.SecondaryMember == "" {
			stopped = ""
		}
		s.schedule(r, step{status: firstNonEmpty(rs.Stopped, rs.Stopping), secondary: stopped})
	case "start":
		r.setStatus(now, firstNonEmpty(rs.Starting, rs.Creating), "", "")
		s.schedule(r, step{status: rs.Ready})
	case "update":
		for k, v := range body {
			if _, isID := r.ids[k]; isID {
				continue
			}
			if upd, ok := v.(map[string]any); ok && slices.Contains(spec.Merges, k) {
				// The member's update shape changes only what it holds
				// (UpdateTrainingJob: ResourceConfig.KeepAlivePeriodInSeconds).
				merged := maps.Clone(asMap(r.doc[k]))
				if merged == nil {
					merged = map[string]any{}
				}
				maps.Copy(merged, upd)
				v = merged
			}
			r.doc[k] = v
		}
		r.modified = now
		if rs.Updating != "" && rs.Ready != "" {
			r.setStatus(now, rs.Updating, "", "")
			s.schedule(r, step{status: rs.Ready})
		}
	}
	out := map[string]any{}
	for _, m := range spec.OutputMembers {
		if v, ok := s.member(r, m); ok {
			out[m] = v
		}
	}
	return out, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func timeArg(v any) (time.Time, bool) {
	n, ok := v.(json.Number)
	if !ok {
		if s, ok := v.(string); ok {
			t, err := time.Parse(time.RFC3339Nano, s)
			return t, err == nil
		}
		return time.Time{}, false
	}
	f, err := n.Float64()
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(0, int64(f*1e9)), true
}

// createMembers is, for each resource kind, the members of the request
// that creates it: a list may be scoped by one of them (the executions of
// a pipeline by PipelineName).
var createMembers = func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, op := range opTable {
		if op.Kind == "create" && op.Resource != "" {
			if out[op.Resource] == nil {
				out[op.Resource] = map[string]bool{}
			}
			for _, m := range op.InputMembers {
				out[op.Resource][m] = true
			}
		}
	}
	return out
}()

func (s *Service) list(ctx context.Context, spec *opSpec, rs *resourceSpec, body map[string]any) (map[string]any, error) {
	region := s.RegionFor(ctx)
	parent := map[string]string{} // identifiers the list is scoped by
	scope := map[string]string{}  // members of the create request it is scoped by
	nameContains := str(body["NameContains"])
	for k, v := range body {
		switch {
		case listFilters[k]:
		case slices.Contains(rs.IDs, k):
			parent[k] = str(v)
		case strings.HasSuffix(k, "NameContains") && str(v) != "":
			nameContains = str(v) // ModelCardExportJobNameContains, …
		case createMembers[rs.Name][k] && str(v) != "":
			scope[k] = str(v)
		default:
			return nil, wire.Errorf("ValidationException", "the local endpoint does not support the filter %s of %s", k, rs.Name)
		}
	}
	var items []*record
	for _, r := range s.records[rs.Name] {
		if r.region() != region || !s.advance(r) {
			continue
		}
		keep := true
		for k, v := range parent {
			keep = keep && r.ids[k] == v
		}
		for k, v := range scope {
			keep = keep && str(r.doc[k]) == v
		}
		if nc := nameContains; nc != "" {
			keep = keep && strings.Contains(strings.ToLower(r.name), strings.ToLower(nc))
		}
		if se := str(body["StatusEquals"]); se != "" {
			keep = keep && r.status == se
		}
		for k, after := range map[string]bool{"CreationTimeAfter": true, "CreatedAfter": true, "CreationTimeBefore": false, "CreatedBefore": false} {
			if t, ok := timeArg(body[k]); ok {
				keep = keep && (after && r.created.After(t) || !after && r.created.Before(t))
			}
		}
		if t, ok := timeArg(body["LastModifiedTimeAfter"]); ok {
			keep = keep && r.modified.After(t)
		}
		if t, ok := timeArg(body["LastModifiedTimeBefore"]); ok {
			keep = keep && r.modified.Before(t)
		}
		if keep {
			items = append(items, r)
		}
	}
	by := str(body["SortBy"])
	desc := str(body["SortOrder"]) != "Ascending"
	slices.SortFunc(items, func(a, b *record) int {
		var c int
		switch by {
		case "Name":
			c = strings.Compare(a.name, b.name)
		case "Status":
			c = strings.Compare(a.status, b.status)
		default:
			c = a.created.Compare(b.created)
		}
		if c == 0 {
			c = strings.Compare(a.key, b.key)
		}
		if desc {
			c = -c
		}
		return c
	})
	max := 10
	if n, ok := body["MaxResults"].(json.Number); ok {
		if v, err := n.Int64(); err == nil && v > 0 {
			max = int(v)
		}
	}
	start := 0
	if tok := str(body["NextToken"]); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "offset:"))
		if err != nil || err2 != nil || n < 0 || !strings.HasPrefix(string(b), "offset:") {
			return nil, wire.Errorf("ValidationException", "invalid NextToken")
		}
		start = min(n, len(items))
	}
	end := min(start+max, len(items))
	var page []any
	for _, r := range items[start:end] {
		item := map[string]any{}
		for _, m := range rs.SummaryMembers {
			if v, ok := s.member(r, m); ok {
				item[m] = v
			}
		}
		page = append(page, item)
	}
	if page == nil {
		page = []any{}
	}
	out := map[string]any{rs.ListItems: page}
	if end < len(items) {
		out["NextToken"] = base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(end)))
	}
	return out, nil
}

func (s *Service) putTag(arn, key, value string) {
	s.touchTags(arn)
	ts := s.tags[arn]
	for i := range ts {
		if ts[i].Key == key {
			ts[i].Value = value
			return
		}
	}
	s.tags[arn] = append(ts, tag{key, value})
}

func (s *Service) tagOp(ctx context.Context, kind string, body map[string]any) (map[string]any, error) {
	arn := str(body["ResourceArn"])
	if r := s.byARN[arn]; r == nil || r.region() != s.RegionFor(ctx) {
		return nil, wire.Errorf("ValidationException", "resource %s does not exist", arn)
	}
	switch kind {
	case "addtags":
		tags, _ := body["Tags"].([]any)
		for _, t := range tags {
			m, _ := t.(map[string]any)
			s.putTag(arn, str(m["Key"]), str(m["Value"]))
		}
		return map[string]any{"Tags": body["Tags"]}, nil
	case "deletetags":
		keys, _ := body["TagKeys"].([]any)
		s.touchTags(arn)
		s.tags[arn] = slices.DeleteFunc(s.tags[arn], func(t tag) bool {
			return slices.ContainsFunc(keys, func(k any) bool { return str(k) == t.Key })
		})
		return map[string]any{}, nil
	}
	out := []any{}
	for _, t := range s.tags[arn] {
		out = append(out, map[string]any{"Key": t.Key, "Value": t.Value})
	}
	return map[string]any{"Tags": out}, nil
}

// createHooks hold what a resource's Describe takes from another resource,
// which the table cannot say.
var createHooks = map[string]func(s *Service, r *record) error{
	// ImportHubContent's HubContentVersion is optional; the service starts
	// at 1.0.0, and DescribeHubContent always reports the version.
	"HubContent": func(s *Service, r *record) error {
		if str(r.doc["HubContentVersion"]) == "" {
			r.doc["HubContentVersion"] = "1.0.0"
		}
		return nil
	},
	// DescribeEndpoint reports the variants of its endpoint configuration
	// (ProductionVariantSummary).
	// The configuration exists: the table's prerequisite was checked first.
	"Endpoint": func(s *Service, r *record) error {
		cfg := s.records["EndpointConfig"][recordKey(r.region(), []string{str(r.doc["EndpointConfigName"])})]
		var variants []any
		for _, v := range asList(cfg.doc["ProductionVariants"]) {
			pv := asMap(v)
			sum := map[string]any{"VariantName": pv["VariantName"]}
			if n, ok := pv["InitialInstanceCount"]; ok {
				sum["CurrentInstanceCount"], sum["DesiredInstanceCount"] = n, n
			}
			if w, ok := pv["InitialVariantWeight"]; ok {
				sum["CurrentWeight"], sum["DesiredWeight"] = w, w
			}
			variants = append(variants, sum)
		}
		r.doc["ProductionVariants"] = variants
		return nil
	},
}
