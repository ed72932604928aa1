package model

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The cross-format test loads the same API from a botocore model
// (botocore-2026-04) and a Smithy JSON AST (smithy-2025-04) and checks that
// the two loaders build the same graph for everything the two releases have
// in common. The releases are a year apart, so the API drifted between them;
// drift is accepted only when it is listed in xfAccepted below, or when it is
// of a kind that can only be drift (xfDrift), and every accepted difference
// is printed with -v.

// xfDiff is one difference between the two graphs.
type xfDiff struct {
	key          string // "Shape", "Shape.Member", "op Operation" or "waiter Name", then ":" and the field
	smithy, boto string
	// For list fields (enum values, members, errors), the lists themselves.
	smithyList, botoList []string
	// For constraints, the constraints themselves.
	smithyCons, botoCons *Constraints
}

func (d xfDiff) String() string {
	return fmt.Sprintf("%s: smithy %s, botocore %s", d.key, d.smithy, d.boto)
}

// xfAccepted lists differences that are real changes of the API between the
// two releases, or differences between the two sources that are not drift
// (said so), keyed like xfDiff.key, with the reason each is accepted. Every
// entry was checked against the raw model files.
var xfAccepted = map[string]string{
	// The partition part of SageMaker ARN patterns was widened.
	"AlgorithmArn:constraints":         xfARNPartition,
	"CodeRepositoryArn:constraints":    xfARNPartition,
	"ModelPackageArn:constraints":      xfARNPartition,
	"ModelPackageGroupArn:constraints": xfARNPartition,
	"ProjectArn:constraints":           xfARNPartition,
	// ARN patterns that now spell out the resource name.
	"ProcessingJobArn:constraints": "drift: pattern now spells out the job name after processing-job/",
	"TrainingJobArn:constraints":   "drift: pattern now spells out the job name after training-job/",
	// Pipelines may now belong to the account "aws".
	"PipelineArn:constraints":        "drift: pattern accepts the account \"aws\" besides a 12-digit account",
	"PipelineNameOrArn:constraints":  "drift: pattern accepts the account \"aws\" besides a 12-digit account",
	"PlatformIdentifier:constraints": "drift: notebook-al2023-v1 added to the pattern, max length 15 -> 20",
	"InstanceCount:constraints":      "drift: range min 1 -> 0 and a new max of 10000000",
	// Member targets renamed or retyped.
	"HubContentSearchKeywordList.member:target":      "drift: list element shape HubSearchKeyword renamed HubContentSearchKeyword",
	"HubContentSearchKeywordList.member:constraints": "drift: the renamed element shape HubContentSearchKeyword has pattern .* instead of ^[^A-Z]*$",
	"ResourceConfig.VolumeSizeInGB:target":           "drift: now targets OptionalVolumeSizeInGB (min 0) for serverless training",
	"HumanLoopActivationConditionsConfig.HumanLoopActivationConditions:target": "not drift: botocore marks the member jsonvalue; the Smithy model " +
		"targets a synthesized string shape with @mediaType(\"application/json\") instead (both graphs say JSON, compared as jsonvalue)",
	"TrialComponentParameterValue:kind": "not drift: botocore writes it as a plain structure (so does the older aws-sdk-go v1 copy); " +
		"the Smithy model makes it a union",
	// Operations marked @paginated in the Smithy model that botocore's
	// paginators-1.json does not list.
	"op ListClusterSchedulerConfigs:paginator": xfNoBotoPaginator,
	"op ListComputeQuotas:paginator":           xfNoBotoPaginator,
	"op ListMlflowTrackingServers:paginator":   xfNoBotoPaginator,
	"op ListOptimizationJobs:paginator":        xfNoBotoPaginator,
	"op ListPartnerApps:paginator":             xfNoBotoPaginator,
	"op ListProjects:paginator":                xfNoBotoPaginator,
	"op ListTrainingPlans:paginator":           xfNoBotoPaginator,
	"op QueryLineage:paginator":                xfNoBotoPaginator,
}

const (
	xfARNPartition    = "drift: ARN partition pattern (-cn|-us-gov|-iso-f)? widened to [a-z\\-]*"
	xfNoBotoPaginator = "not drift: the Smithy model marks the operation @paginated, botocore's paginators-1.json does not list it"
)

// xfGeneric classifies differences that need no table entry because of
// their kind. Most are API evolution from the older Smithy model to the newer
// botocore one that only adds or relaxes: an enum that gained values, a
// structure that gained members (the old members keep their order), an
// operation that gained errors, a member no longer required, length or range
// bounds that were widened. One is how the two formats write the same
// pattern. It returns the reason, or "" when the difference is of no such
// kind and must be listed in xfAccepted.
func xfGeneric(d xfDiff) string {
	switch d.key[strings.LastIndex(d.key, ":")+1:] {
	case "enum":
		if isSubset(d.smithyList, d.botoList) {
			return "drift: enum gained values in the newer botocore model"
		}
	case "members":
		if isSubsequence(d.smithyList, d.botoList) {
			return "drift: structure gained members in the newer botocore model"
		}
	case "errors":
		if isSubset(d.smithyList, d.botoList) {
			return "drift: operation gained errors in the newer botocore model"
		}
	case "required":
		if d.smithy == "true" && d.boto == "false" {
			return "drift: member no longer required in the newer botocore model"
		}
	case "constraints":
		sc, bc := *d.smithyCons, *d.botoCons
		samePattern := sc.Pattern == bc.Pattern
		if !samePattern && xfPatternSame(sc.Pattern, bc.Pattern) {
			sc.Pattern, samePattern = bc.Pattern, true
		}
		if !samePattern {
			return ""
		}
		if xfConstraints(sc) == xfConstraints(bc) {
			return "format: botocore writes patterns without the ^ and $ anchors of the Smithy model, or with .* in their place"
		}
		if xfWidened(sc, bc) {
			return "drift: length or range bounds widened in the newer botocore model"
		}
	}
	return ""
}

// xfPatternSame reports whether a Smithy pattern and a botocore pattern are
// the same once anchors are undone: botocore drops a leading ^ or writes a
// trailing .* for it, and drops a trailing $ or writes a leading .* for it.
// (Unanchored, a leading or trailing .* changes nothing a search matches.)
func xfPatternSame(smithy, boto string) bool {
	if smithy == "" || boto == "" {
		return false
	}
	strip := func(p string) string {
		p = strings.TrimPrefix(p, "^")
		p = strings.TrimPrefix(p, ".*")
		if strings.HasSuffix(p, "$") && !strings.HasSuffix(p, `\$`) {
			p = p[:len(p)-1]
		}
		return strings.TrimSuffix(p, ".*")
	}
	return strip(smithy) == strip(boto)
}

// xfWidened reports whether botocore's bounds admit everything Smithy's do:
// each botocore bound is absent, or at least as wide.
func xfWidened(s, b Constraints) bool {
	lo := func(sv, bv *float64) bool { return bv == nil || (sv != nil && *bv <= *sv) }
	hi := func(sv, bv *float64) bool { return bv == nil || (sv != nil && *bv >= *sv) }
	f := func(p *int64) *float64 {
		if p == nil {
			return nil
		}
		v := float64(*p)
		return &v
	}
	return lo(f(s.MinLength), f(b.MinLength)) && hi(f(s.MaxLength), f(b.MaxLength)) && lo(s.Min, b.Min) && hi(s.Max, b.Max)
}

func isSubset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func isSubsequence(a, b []string) bool {
	i := 0
	for _, x := range b {
		if i < len(a) && a[i] == x {
			i++
		}
	}
	return i == len(a)
}

func TestCrossFormat(t *testing.T) {
	smithy := smLoadReal(t)
	boto, err := Load(smSharedModel(t, "botocore-2026-04"))
	if err != nil {
		t.Fatal(err)
	}
	if boto.Source.Format != FormatBotocore || smithy.Source.Format != FormatSmithy {
		t.Fatalf("formats: %s and %s", boto.Source.Format, smithy.Source.Format)
	}

	for _, f := range []struct{ name, s, b string }{
		{"ID", smithy.ID, boto.ID}, {"APIVersion", smithy.APIVersion, boto.APIVersion},
		{"TargetPrefix", smithy.TargetPrefix, boto.TargetPrefix}, {"SigningName", smithy.SigningName, boto.SigningName},
		{"EndpointPrefix", smithy.EndpointPrefix, boto.EndpointPrefix}, {"Protocol", smithy.Protocol, boto.Protocol},
		{"JSONVersion", smithy.JSONVersion, boto.JSONVersion},
	} {
		if f.s != f.b || f.s == "" {
			t.Errorf("service %s: smithy %q, botocore %q", f.name, f.s, f.b)
		}
	}

	diffs, common := xfCompare(smithy, boto)
	// The comparison must cover most of the model, or it proves little.
	if common.shapes < 2400 || common.ops < 350 || common.waiters < 13 {
		t.Errorf("too little in common: %+v", common)
	}
	t.Logf("compared %d shapes, %d operations, %d waiters present in both models", common.shapes, common.ops, common.waiters)

	used := map[string]bool{}
	var bad []string
	byReason := map[string][]string{}
	for _, d := range diffs {
		if r, ok := xfAccepted[d.key]; ok {
			used[d.key] = true
			byReason[r] = append(byReason[r], d.String())
			continue
		}
		if r := xfGeneric(d); r != "" {
			byReason[r] = append(byReason[r], d.String())
			continue
		}
		bad = append(bad, d.String())
	}
	reasons := make([]string, 0, len(byReason))
	for r := range byReason {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		t.Logf("accepted, %s (%d):", r, len(byReason[r]))
		for _, d := range byReason[r] {
			t.Logf("    %s", d)
		}
	}
	for _, d := range bad {
		t.Errorf("not accepted: %s", d)
	}
	// A stale table entry would hide a future regression.
	for k := range xfAccepted {
		if !used[k] {
			t.Errorf("xfAccepted[%q] matches no difference: remove it", k)
		}
	}
}

type xfCommon struct{ shapes, ops, waiters int }

// xfCompare lists every difference between the two graphs on what both hold.
func xfCompare(s, b *Service) ([]xfDiff, xfCommon) {
	var out []xfDiff
	var common xfCommon
	add := func(key, field, sv, bv string) {
		if sv != bv {
			out = append(out, xfDiff{key: key + ":" + field, smithy: sv, boto: bv})
		}
	}
	addCons := func(key string, sc, bc Constraints) {
		if sv, bv := xfConstraints(sc), xfConstraints(bc); sv != bv {
			out = append(out, xfDiff{key: key + ":constraints", smithy: sv, boto: bv, smithyCons: &sc, botoCons: &bc})
		}
	}
	addList := func(key, field string, sv, bv []string) {
		if !slices.Equal(sv, bv) {
			out = append(out, xfDiff{key: key + ":" + field, smithy: fmt.Sprintf("%q", sv), boto: fmt.Sprintf("%q", bv), smithyList: sv, botoList: bv})
		}
	}
	for _, ss := range s.SortedShapes() {
		bs, ok := b.Shapes[ss.Name]
		if !ok {
			continue
		}
		common.shapes++
		k := ss.Name
		add(k, "kind", ss.Kind.String(), bs.Kind.String())
		addCons(k, ss.Constraints, bs.Constraints)
		add(k, "sensitive", strconv.FormatBool(ss.Sensitive), strconv.FormatBool(bs.Sensitive))
		add(k, "jsonvalue", strconv.FormatBool(ss.JSONValue), strconv.FormatBool(bs.JSONValue))
		add(k, "timestampFormat", ss.TimestampFormat, bs.TimestampFormat)
		add(k, "error", xfError(ss.Error), xfError(bs.Error))
		add(k, "deprecated", xfDeprecated(ss.Deprecated), xfDeprecated(bs.Deprecated))
		addList(k, "enum", xfEnum(ss.Enum), xfEnum(bs.Enum))
		addList(k, "members", memberList(ss), memberList(bs))
		for _, sm := range ss.Members {
			if bm := bs.Member(sm.Name); bm != nil {
				xfMember(add, addCons, k+"."+sm.Name, sm, bm)
			}
		}
		for _, p := range []struct {
			name   string
			sm, bm *Member
		}{{"member", ss.ListMember, bs.ListMember}, {"key", ss.MapKey, bs.MapKey}, {"value", ss.MapValue, bs.MapValue}} {
			switch {
			case p.sm != nil && p.bm != nil:
				xfMember(add, addCons, k+"."+p.name, p.sm, p.bm)
			case p.sm != nil || p.bm != nil:
				add(k, p.name, fmt.Sprint(p.sm != nil), fmt.Sprint(p.bm != nil))
			}
		}
	}
	for _, so := range s.SortedOperations() {
		bo, ok := b.Operations[so.Name]
		if !ok {
			continue
		}
		common.ops++
		k := "op " + so.Name
		add(k, "input", xfName(so.Input), xfName(bo.Input))
		add(k, "output", xfName(so.Output), xfName(bo.Output))
		addList(k, "errors", xfSortedNames(so.Errors), xfSortedNames(bo.Errors))
		add(k, "paginator", xfPaginator(so.Paginator), xfPaginator(bo.Paginator))
		add(k, "deprecated", xfDeprecated(so.Deprecated), xfDeprecated(bo.Deprecated))
	}
	for _, sw := range s.SortedWaiters() {
		bw, ok := b.Waiters[sw.Name]
		if !ok {
			continue
		}
		common.waiters++
		k := "waiter " + sw.Name
		add(k, "operation", sw.Operation, bw.Operation)
		add(k, "minDelay", strconv.Itoa(sw.MinDelay), strconv.Itoa(bw.MinDelay))
		add(k, "acceptors", fmt.Sprintf("%+v", sw.Acceptors), fmt.Sprintf("%+v", bw.Acceptors))
	}
	return out, common
}

func xfMember(add func(key, field, sv, bv string), addCons func(key string, sc, bc Constraints), k string, sm, bm *Member) {
	target := sm.Target.Name
	add(k, "target", target, bm.Target.Name)
	add(k, "required", strconv.FormatBool(sm.Required), strconv.FormatBool(bm.Required))
	add(k, "idempotencyToken", strconv.FormatBool(sm.IdempotencyToken), strconv.FormatBool(bm.IdempotencyToken))
	add(k, "sensitive", strconv.FormatBool(sm.IsSensitive()), strconv.FormatBool(bm.IsSensitive()))
	add(k, "jsonvalue", strconv.FormatBool(sm.JSONValue || sm.Target.JSONValue), strconv.FormatBool(bm.JSONValue || bm.Target.JSONValue))
	// Constraints that come from the same target are compared on the target.
	if target != bm.Target.Name || !sm.Constraints.IsZero() || !bm.Constraints.IsZero() {
		addCons(k, sm.Effective(), bm.Effective())
	}
	add(k, "deprecated", xfDeprecated(sm.Deprecated), xfDeprecated(bm.Deprecated))
}

func memberList(s *Shape) []string {
	out := []string{}
	for _, m := range s.Members {
		out = append(out, m.Name)
	}
	return out
}

func xfName(s *Shape) string {
	if s == nil {
		return "none"
	}
	return s.Name
}

func xfSortedNames(list []*Shape) []string {
	names := []string{}
	for _, s := range list {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return names
}

func xfConstraints(c Constraints) string {
	var parts []string
	for _, p := range []struct {
		name string
		v    *int64
	}{{"minLength", c.MinLength}, {"maxLength", c.MaxLength}} {
		if p.v != nil {
			parts = append(parts, fmt.Sprintf("%s=%d", p.name, *p.v))
		}
	}
	for _, p := range []struct {
		name string
		v    *float64
	}{{"min", c.Min}, {"max", c.Max}} {
		if p.v != nil {
			parts = append(parts, fmt.Sprintf("%s=%v", p.name, *p.v))
		}
	}
	if c.Pattern != "" {
		parts = append(parts, "pattern="+strconv.Quote(c.Pattern))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func xfError(e *ErrorInfo) string {
	if e == nil {
		return "none"
	}
	return fmt.Sprintf("%+v", *e)
}

func xfDeprecated(d *Deprecation) string {
	if d == nil {
		return "no"
	}
	return fmt.Sprintf("%q", d.Message)
}

func xfEnum(vals []EnumValue) []string {
	out := []string{}
	for _, v := range vals {
		out = append(out, v.Value)
	}
	return out
}

func xfPaginator(p *Paginator) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprintf("%+v", *p)
}
