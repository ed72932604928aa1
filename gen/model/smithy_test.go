package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/smcore-go/smcore/gen/modelsrc"
)

// sharedModel returns ../shared/models/<name>. When it cannot be found the
// test fails under CI=true and is skipped otherwise.
func smSharedModel(t testing.TB, name string) string {
	t.Helper()
	dir, err := modelsrc.Shared(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("model %s not found (CI=true, so this fails): %v", name, err)
		}
		t.Skipf("model %s not found, skipping: %v", name, err)
	}
	return dir
}

func smLoadReal(t testing.TB) *Service {
	t.Helper()
	svc, err := Load(smSharedModel(t, "smithy-2025-04"))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func smShape(t testing.TB, svc *Service, name string) *Shape {
	t.Helper()
	s := svc.Shapes[name]
	if s == nil {
		t.Fatalf("no shape %s", name)
	}
	return s
}

func smMember(t testing.TB, s *Shape, name string) *Member {
	t.Helper()
	m := s.Member(name)
	if m == nil {
		t.Fatalf("%s has no member %s", s.Name, name)
	}
	return m
}

func smMemberNames(s *Shape) []string {
	var out []string
	for _, m := range s.Members {
		out = append(out, m.Name)
	}
	return out
}

func smShapeNames(list []*Shape) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Name)
	}
	return out
}

func smI64(v int64) *int64     { return &v }
func smF64(v float64) *float64 { return &v }

func smEq(t testing.TB, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func TestSmithyRealModel(t *testing.T) {
	svc := smLoadReal(t)

	smEq(t, "format", svc.Source.Format, FormatSmithy)
	smEq(t, "files", svc.Source.Files, []string{"sagemaker-2017-07-24.json"})
	smEq(t, "ID", svc.ID, "SageMaker")
	smEq(t, "APIVersion", svc.APIVersion, "2017-07-24")
	smEq(t, "TargetPrefix", svc.TargetPrefix, "SageMaker")
	smEq(t, "SigningName", svc.SigningName, "sagemaker")
	smEq(t, "EndpointPrefix", svc.EndpointPrefix, "api.sagemaker")
	smEq(t, "Protocol", svc.Protocol, "json")
	smEq(t, "JSONVersion", svc.JSONVersion, "1.1")

	smEq(t, "operations", len(svc.Operations), 358)
	smEq(t, "waiters", len(svc.Waiters), 13)
	waitable, paginated := 0, 0
	for _, op := range svc.Operations {
		if len(op.Waiters) > 0 {
			waitable++
		}
		if op.Paginator != nil {
			paginated++
		}
	}
	smEq(t, "waitable operations", waitable, 7)
	smEq(t, "paginated operations", paginated, 80)
	// Every shape is a data shape; operations and the service are not shapes.
	smEq(t, "shapes", len(svc.Shapes), 2511)
	if _, ok := svc.Shapes["SageMaker"]; ok {
		t.Error("the service became a shape")
	}

	st := smShape(t, svc, "TrainingJobStatus")
	smEq(t, "TrainingJobStatus kind", st.Kind, KindEnum)
	smEq(t, "TrainingJobStatus values", st.Enum, []EnumValue{
		{"IN_PROGRESS", "InProgress"}, {"COMPLETED", "Completed"}, {"FAILED", "Failed"},
		{"STOPPING", "Stopping"}, {"STOPPED", "Stopped"},
	})

	ic := smMember(t, smShape(t, svc, "ResourceConfig"), "InstanceCount")
	smEq(t, "InstanceCount target", ic.Target.Name, "TrainingInstanceCount")
	smEq(t, "InstanceCount kind", ic.Target.Kind, KindInteger)
	smEq(t, "InstanceCount range", ic.Effective(), Constraints{Min: smF64(0)})
	smEq(t, "InstanceCount member constraints", ic.Constraints.IsZero(), true)
	smEq(t, "NumberOfCpuCores range", smShape(t, svc, "NumberOfCpuCores").Constraints, Constraints{Min: smF64(0.25)})

	req := smShape(t, svc, "CreateTrainingJobRequest")
	smEq(t, "CreateTrainingJobRequest kind", req.Kind, KindStructure)
	smEq(t, "CreateTrainingJobRequest first members", smMemberNames(req)[:6],
		[]string{"TrainingJobName", "HyperParameters", "AlgorithmSpecification", "RoleArn", "InputDataConfig", "OutputDataConfig"})
	var required []string
	for _, m := range req.Members {
		if m.Required {
			required = append(required, m.Name)
		}
	}
	smEq(t, "CreateTrainingJobRequest required", required,
		[]string{"TrainingJobName", "AlgorithmSpecification", "RoleArn", "OutputDataConfig", "ResourceConfig", "StoppingCondition"})
	name := smMember(t, req, "TrainingJobName").Target
	smEq(t, "TrainingJobName", name.Constraints, Constraints{MinLength: smI64(1), MaxLength: smI64(63), Pattern: "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$"})
	smEq(t, "HyperParameters kind", smMember(t, req, "HyperParameters").Target.Kind, KindMap)

	var unions []string
	for _, s := range svc.SortedShapes() {
		if s.Kind == KindUnion {
			unions = append(unions, s.Name)
		}
	}
	smEq(t, "unions", unions, []string{"AutoMLProblemTypeConfig", "AutoMLProblemTypeResolvedAttributes", "ClusterInstanceStorageConfig",
		"CollectionConfig", "CustomFileSystem", "CustomFileSystemConfig", "MetricSpecification", "OptimizationConfig", "ScalingPolicy",
		"TrialComponentParameterValue"})
	smEq(t, "TrialComponentParameterValue members", smMemberNames(smShape(t, svc, "TrialComponentParameterValue")), []string{"StringValue", "NumberValue"})

	var errs []string
	for _, s := range svc.SortedShapes() {
		if s.Error != nil {
			errs = append(errs, s.Name)
			smEq(t, s.Name+" error", *s.Error, ErrorInfo{Code: s.Name, Fault: "client"})
		}
	}
	smEq(t, "error shapes", errs, []string{"ConflictException", "ResourceInUse", "ResourceLimitExceeded", "ResourceNotFound"})
	smEq(t, "CreateTrainingJob errors", smShapeNames(svc.Operations["CreateTrainingJob"].Errors),
		[]string{"ResourceInUse", "ResourceLimitExceeded", "ResourceNotFound"})

	var tokens []string
	for _, s := range svc.SortedShapes() {
		for _, m := range s.Members {
			if m.IdempotencyToken {
				tokens = append(tokens, s.Name+"."+m.Name)
			}
		}
	}
	smEq(t, "idempotency tokens", len(tokens), 12)
	smEq(t, "first idempotency token", tokens[0], "CreateImageVersionRequest.ClientToken")

	smEq(t, "ClientSecret sensitive", smShape(t, svc, "ClientSecret").Sensitive, true)
	smEq(t, "HomeEfsFileSystemKmsKeyId deprecated", smMember(t, smShape(t, svc, "CreateDomainRequest"), "HomeEfsFileSystemKmsKeyId").Deprecated,
		&Deprecation{Message: "This property is deprecated, use KmsKeyId instead."})
	js := smShape(t, svc, "SynthesizedJsonHumanLoopActivationConditions")
	smEq(t, "JSON value", js.JSONValue, true)
	smEq(t, "JSON value length", js.Constraints, Constraints{MinLength: smI64(0), MaxLength: smI64(10240)})

	w := svc.Waiters["TrainingJobCompletedOrStopped"]
	if w == nil {
		t.Fatal("no waiter TrainingJobCompletedOrStopped")
	}
	smEq(t, "waiter", *w, Waiter{
		Name: "TrainingJobCompletedOrStopped", Operation: "DescribeTrainingJob", MinDelay: 120, MaxDelay: 120,
		Acceptors: []Acceptor{
			{State: StateSuccess, Matcher: MatchOutput, Path: "TrainingJobStatus", Expected: "Completed", Comparator: CompareStringEquals},
			{State: StateSuccess, Matcher: MatchOutput, Path: "TrainingJobStatus", Expected: "Stopped", Comparator: CompareStringEquals},
			{State: StateFailure, Matcher: MatchOutput, Path: "TrainingJobStatus", Expected: "Failed", Comparator: CompareStringEquals},
			{State: StateFailure, Matcher: MatchError, ErrorType: "ValidationException"},
		},
	})
	smEq(t, "DescribeTrainingJob waiters", svc.Operations["DescribeTrainingJob"].Waiters, []*Waiter{w})
	smEq(t, "EndpointInService min delay", svc.Waiters["EndpointInService"].MinDelay, 30)

	lt := svc.Operations["ListTrainingJobs"]
	smEq(t, "ListTrainingJobs paginator", lt.Paginator, &Paginator{InputToken: "NextToken", OutputToken: "NextToken", PageSize: "MaxResults", Items: "TrainingJobSummaries"})
	smEq(t, "ListTrainingJobs input", lt.Input.Name, "ListTrainingJobsRequest")
	smEq(t, "ListTrainingJobs output", lt.Output.Name, "ListTrainingJobsResponse")
	// Operations whose output is smithy.api#Unit return nothing.
	smEq(t, "DeleteAlgorithm output", svc.Operations["DeleteAlgorithm"].Output, (*Shape)(nil))
}

func TestSmithyFixture(t *testing.T) {
	svc, err := Load(filepath.Join("testdata", "smithy", "fixture.json"))
	if err != nil {
		t.Fatal(err)
	}
	smEq(t, "service", [7]string{svc.ID, svc.APIVersion, svc.TargetPrefix, svc.SigningName, svc.EndpointPrefix, svc.Protocol, svc.JSONVersion},
		[7]string{"Fixture", "2024-01-31", "Fixture", "fixturesign", "fixture-ep", "json", "1.0"})
	smEq(t, "source", svc.Source.Format, FormatSmithy)

	// Operations: the service's, its resources' (create, read, list,
	// operations, nested resources' delete and collection operations); not
	// the unbound Orphan.
	var ops []string
	for _, op := range svc.SortedOperations() {
		ops = append(ops, op.Name)
	}
	smEq(t, "operations", ops, []string{"CountParts", "CreateWidget", "DeletePart", "GetWidget", "ListWidgets", "PutThing", "TagWidget"})

	get := svc.Operations["GetWidget"]
	smEq(t, "GetWidget input", get.Input.Name, "GetWidgetInput")
	smEq(t, "GetWidget output", get.Output.Name, "Widget")
	// Service errors follow the operation's own.
	smEq(t, "GetWidget errors", smShapeNames(get.Errors), []string{"NotFound", "ServiceFault"})
	smEq(t, "CreateWidget errors", smShapeNames(svc.Operations["CreateWidget"].Errors), []string{"Throttled", "ServiceFault"})
	smEq(t, "CreateWidget output", svc.Operations["CreateWidget"].Output, (*Shape)(nil))
	put := svc.Operations["PutThing"]
	smEq(t, "PutThing input", put.Input, (*Shape)(nil))
	smEq(t, "PutThing output", put.Output, (*Shape)(nil))
	smEq(t, "PutThing deprecated", put.Deprecated, &Deprecation{Message: "Use CreateWidget.", Since: "2023-01-01"})
	tag := svc.Operations["TagWidget"]
	smEq(t, "TagWidget", [2]*Shape{tag.Input, tag.Output}, [2]*Shape{nil, nil})

	smEq(t, "ListWidgets paginator", svc.Operations["ListWidgets"].Paginator,
		&Paginator{InputToken: "NextToken", OutputToken: "NextToken", PageSize: "MaxResults", Items: "Widgets"})
	smEq(t, "CountParts paginator", svc.Operations["CountParts"].Paginator,
		&Paginator{InputToken: "Marker", OutputToken: "Marker", PageSize: "MaxResults"})
	smEq(t, "GetWidget paginator", get.Paginator, (*Paginator)(nil))

	ready := &Waiter{Name: "WidgetReady", Operation: "GetWidget", MinDelay: 5, MaxDelay: 30, Acceptors: []Acceptor{
		{State: StateSuccess, Matcher: MatchOutput, Path: "Status", Expected: "READY", Comparator: CompareStringEquals},
		{State: StateRetry, Matcher: MatchInputOutput, Path: "input.Id == output.Zeta", Expected: "true", Comparator: CompareBooleanEquals},
		{State: StateFailure, Matcher: MatchOutput, Path: "Tags[].Key", Expected: "bad", Comparator: CompareAnyStringEquals},
		{State: StateFailure, Matcher: MatchError, ErrorType: "NotFound"},
	}}
	gone := &Waiter{Name: "WidgetGone", Operation: "GetWidget", MinDelay: 2, MaxDelay: 120, Acceptors: []Acceptor{
		{State: StateSuccess, Matcher: MatchError, ErrorType: "NotFound"},
		{State: StateRetry, Matcher: MatchSuccess, Success: true},
		{State: StateFailure, Matcher: MatchOutput, Path: "Tags[].Key", Expected: "x", Comparator: CompareAllStringEquals},
	}}
	smEq(t, "waiters", svc.Waiters, map[string]*Waiter{"WidgetReady": ready, "WidgetGone": gone})
	smEq(t, "GetWidget waiters", get.Waiters, []*Waiter{gone, ready})

	w := smShape(t, svc, "Widget")
	smEq(t, "Widget kind", w.Kind, KindStructure)
	smEq(t, "Widget members", smMemberNames(w), []string{"Zeta", "Alpha", "Count", "Secret", "OldField", "Payload", "Status", "Legacy",
		"Level", "Flag", "Tiny", "Small", "Big", "Huge", "Ratio", "Exact", "Money", "Created", "Updated", "Expires", "Blob", "Doc",
		"Json", "Tags", "Names", "Attributes", "Choice", "Other", "PreludeInt", "PreludeByte", "PreludeBigInt", "PreludeBigDec",
		"PreludeTime", "PreludeDoc"})
	kinds := map[string]Kind{}
	targets := map[string]string{}
	for _, m := range w.Members {
		kinds[m.Name] = m.Target.Kind
		targets[m.Name] = m.Target.Name
	}
	smEq(t, "Widget member kinds", kinds, map[string]Kind{
		"Zeta": KindString, "Alpha": KindString, "Count": KindInteger, "Secret": KindString, "OldField": KindBoolean,
		"Payload": KindString, "Status": KindEnum, "Legacy": KindEnum, "Level": KindInteger, "Flag": KindBoolean,
		"Tiny": KindInteger, "Small": KindInteger, "Big": KindLong, "Huge": KindLong, "Ratio": KindFloat, "Exact": KindDouble,
		"Money": KindDouble, "Created": KindTimestamp, "Updated": KindTimestamp, "Expires": KindTimestamp, "Blob": KindBlob,
		"Doc": KindDocument, "Json": KindString, "Tags": KindList, "Names": KindList, "Attributes": KindMap, "Choice": KindUnion,
		"Other": KindStructure, "PreludeInt": KindInteger, "PreludeByte": KindInteger, "PreludeBigInt": KindLong,
		"PreludeBigDec": KindDouble, "PreludeTime": KindTimestamp, "PreludeDoc": KindDocument,
	})
	// Prelude shapes are named after the prelude, or Smithy+name when the
	// model has a shape of that name (here: a structure called Integer).
	smEq(t, "prelude targets", [6]string{targets["Zeta"], targets["PreludeInt"], targets["PreludeByte"], targets["PreludeBigDec"], targets["PreludeTime"], targets["OldField"]},
		[6]string{"String", "SmithyInteger", "PrimitiveByte", "BigDecimal", "Timestamp", "Boolean"})
	smEq(t, "Integer structure", smShape(t, svc, "Integer").Kind, KindStructure)
	smEq(t, "renamed shape", targets["Other"], "OtherWidget")
	if _, ok := svc.Shapes["Unit"]; !ok {
		t.Error("a union member targeting smithy.api#Unit should make an empty Unit structure")
	}
	smEq(t, "Unit", *smShape(t, svc, "Unit"), Shape{Name: "Unit", Kind: KindStructure})

	zeta := smMember(t, w, "Zeta")
	smEq(t, "Zeta required", zeta.Required, true)
	alpha := smMember(t, w, "Alpha")
	smEq(t, "Alpha member constraints", alpha.Constraints, Constraints{MaxLength: smI64(10), Pattern: "^[a-z]{1,10}$"})
	smEq(t, "Alpha effective", alpha.Effective(), Constraints{MinLength: smI64(1), MaxLength: smI64(10), Pattern: "^[a-z]{1,10}$"})
	smEq(t, "Alpha sensitive through target", [2]bool{alpha.Sensitive, alpha.IsSensitive()}, [2]bool{false, true})
	nameShape := alpha.Target
	smEq(t, "Name", *nameShape, Shape{Name: "Name", Kind: KindString, Sensitive: true,
		Constraints: Constraints{MinLength: smI64(1), MaxLength: smI64(64), Pattern: "^[a-zA-Z0-9-]+$"},
		Deprecated:  &Deprecation{Message: "Names are going away.", Since: "2024"}})
	count := smMember(t, w, "Count")
	smEq(t, "Count member constraints", count.Constraints, Constraints{Min: smF64(2)})
	smEq(t, "Count target constraints", count.Target.Constraints, Constraints{Min: smF64(1), Max: smF64(100)})
	smEq(t, "Count effective", count.Effective(), Constraints{Min: smF64(2), Max: smF64(100)})
	smEq(t, "Secret", smMember(t, w, "Secret").Sensitive, true)
	smEq(t, "OldField", smMember(t, w, "OldField").Deprecated, &Deprecation{Message: "Gone.", Since: "1.1"})
	smEq(t, "Payload JSON member", smMember(t, w, "Payload").JSONValue, true)
	smEq(t, "Json target JSON", smMember(t, w, "Json").Target.JSONValue, true)

	smEq(t, "Status", smShape(t, svc, "Status").Enum, []EnumValue{{"READY", "Ready"}, {"IN_PROGRESS", "in-progress"}, {"GONE", "GONE"}})
	smEq(t, "LegacyStatus", smShape(t, svc, "LegacyStatus").Enum, []EnumValue{{"ON", "on"}, {"OFF_LINE", "off-line"}, {"", "unnamed"}})
	smEq(t, "Level", *smShape(t, svc, "Level"), Shape{Name: "Level", Kind: KindInteger})
	smEq(t, "Tiny", smShape(t, svc, "Tiny").Constraints, Constraints{Min: smF64(-8), Max: smF64(8)})
	smEq(t, "Big", smShape(t, svc, "Big").Constraints, Constraints{Max: smF64(9007199254740991)})
	smEq(t, "Ratio", smShape(t, svc, "Ratio").Constraints, Constraints{Min: smF64(0.25), Max: smF64(100)})
	smEq(t, "timestamp formats", [3]string{smShape(t, svc, "Created").TimestampFormat, smShape(t, svc, "Updated").TimestampFormat, smShape(t, svc, "Expires").TimestampFormat},
		[3]string{"unixTimestamp", "iso8601", "rfc822"})
	smEq(t, "Bytes", smShape(t, svc, "Bytes").Constraints, Constraints{MaxLength: smI64(1024)})

	tags := smShape(t, svc, "TagList")
	smEq(t, "TagList", [3]any{tags.Kind, tags.ListMember.Name, tags.ListMember.Target.Name}, [3]any{KindList, "member", "Tag"})
	smEq(t, "TagList length", tags.Constraints, Constraints{MinLength: smI64(0), MaxLength: smI64(50)})
	key := smMember(t, smShape(t, svc, "Tag"), "Key")
	smEq(t, "Tag.Key", [2]any{key.Required, key.Constraints}, [2]any{true, Constraints{MinLength: smI64(1), MaxLength: smI64(128)}})
	set := smShape(t, svc, "NameSet")
	smEq(t, "NameSet", [2]any{set.Kind, set.ListMember.Target.Name}, [2]any{KindList, "Name"})
	am := smShape(t, svc, "AttributeMap")
	smEq(t, "AttributeMap", [5]any{am.Kind, am.MapKey.Name, am.MapKey.Target.Name, am.MapValue.Name, am.MapValue.Target.Name},
		[5]any{KindMap, "key", "Status", "value", "TagList"})
	smEq(t, "AttributeMap length", am.Constraints, Constraints{MaxLength: smI64(5)})
	ch := smShape(t, svc, "Choice")
	smEq(t, "Choice", [2]any{ch.Kind, smMemberNames(ch)}, [2]any{KindUnion, []string{"Text", "Widget", "Nothing"}})

	smEq(t, "NotFound", smShape(t, svc, "NotFound").Error, &ErrorInfo{Code: "NotFound", HTTPStatus: 404, Fault: "client"})
	smEq(t, "Throttled", smShape(t, svc, "Throttled").Error, &ErrorInfo{Code: "Throttling", HTTPStatus: 400, Fault: "client"})
	smEq(t, "ServiceFault", smShape(t, svc, "ServiceFault").Error, &ErrorInfo{Code: "ServiceFault", Fault: "server"})

	cw := smShape(t, svc, "CreateWidgetInput")
	smEq(t, "idempotency token", smMember(t, cw, "Token").IdempotencyToken, true)
	smEq(t, "Widget required", smMember(t, cw, "Widget").Required, true)
	smEq(t, "prelude long", smMember(t, smShape(t, svc, "Integer"), "Value").Target.Kind, KindLong)
	smEq(t, "prelude primitive", smMember(t, smShape(t, svc, "CountPartsInput"), "MaxResults").Target.Name, "PrimitiveInteger")
	if _, ok := svc.Shapes["DoesNotExist"]; ok {
		t.Error("the unbound operation's input was referenced")
	}
}

// A Smithy 1.0 model: sets, enum traits, operations without input or output.
const smithyV1 = `{
  "smithy": "1.0",
  "shapes": {
    "ns#Svc": {"type": "service", "version": "1", "operations": [{"target": "ns#Op"}],
      "traits": {"aws.protocols#awsJson1_1": {}, "aws.protocols#restJson1": {}}},
    "ns#Op": {"type": "operation", "input": {"target": "ns#In"}},
    "ns#In": {"type": "structure", "members": {
      "Colors": {"target": "ns#Colors"},
      "Count": {"target": "smithy.api#PrimitiveInteger", "traits": {"smithy.api#box": {}}}}},
    "ns#Colors": {"type": "set", "member": {"target": "ns#Color"}},
    "ns#Color": {"type": "string", "traits": {"smithy.api#enum": [{"value": "red", "name": "RED"}, {"value": "blue"}],
      "smithy.api#length": {"min": 3}}}
  }
}`

func TestSmithyV1(t *testing.T) {
	svc, err := Parse(Input{Name: "v1.json", Data: []byte(smithyV1)})
	if err != nil {
		t.Fatal(err)
	}
	smEq(t, "protocol", [2]string{svc.Protocol, svc.JSONVersion}, [2]string{"json", "1.1"})
	smEq(t, "target prefix", svc.TargetPrefix, "Svc")
	op := svc.Operations["Op"]
	smEq(t, "output", op.Output, (*Shape)(nil))
	smEq(t, "input", op.Input.Name, "In")
	colors := smShape(t, svc, "Colors")
	smEq(t, "set", [2]any{colors.Kind, colors.ListMember.Target.Name}, [2]any{KindList, "Color"})
	c := smShape(t, svc, "Color")
	smEq(t, "Color", *c, Shape{Name: "Color", Kind: KindEnum, Enum: []EnumValue{{"RED", "red"}, {"", "blue"}}, Constraints: Constraints{MinLength: smI64(3)}})
	smEq(t, "count", smMember(t, smShape(t, svc, "In"), "Count").Target.Name, "PrimitiveInteger")
}

// smBase is a small valid model that the bad inputs below break.
const smBase = `{"smithy": "2.0", "shapes": {
  "ns#Svc": {"type": "service", "version": "1", "operations": [{"target": "ns#Op"}]},
  "ns#Op": {"type": "operation", "input": {"target": "ns#In"}, "output": {"target": "ns#Out"}},
  "ns#In": {"type": "structure", "members": {"A": {"target": "ns#Str"}, "B": {"target": "ns#Num"}}},
  "ns#Out": {"type": "structure", "members": {}},
  "ns#Str": {"type": "string"},
  "ns#Num": {"type": "integer"},
  "ns#Time": {"type": "timestamp"}
}}`

// edit returns smBase with old replaced by new; old must occur once.
func smEdit(t testing.TB, old, new string) string {
	t.Helper()
	if strings.Count(smBase, old) != 1 {
		t.Fatalf("%q occurs %d times in smBase", old, strings.Count(smBase, old))
	}
	return strings.Replace(smBase, old, new, 1)
}

// addShapes adds shapes to smBase.
func smAddShapes(s string) string {
	return strings.Replace(smBase, `"ns#Str": {"type": "string"},`, `"ns#Str": {"type": "string"}, `+s+`,`, 1)
}

func TestSmithyBase(t *testing.T) {
	if _, err := Parse(Input{Name: "base.json", Data: []byte(smBase)}); err != nil {
		t.Fatal(err)
	}
}

func TestSmithyBadInputs(t *testing.T) {
	strTrait := func(traits string) string {
		return smEdit(t, `"ns#Str": {"type": "string"}`, `"ns#Str": {"type": "string", "traits": {`+traits+`}}`)
	}
	numTrait := func(traits string) string {
		return smEdit(t, `"ns#Num": {"type": "integer"}`, `"ns#Num": {"type": "integer", "traits": {`+traits+`}}`)
	}
	memberA := func(m string) string {
		return smEdit(t, `"A": {"target": "ns#Str"}`, `"A": `+m)
	}
	opTraits := func(traits string) string {
		return smEdit(t, `"output": {"target": "ns#Out"}}`, `"output": {"target": "ns#Out"}, "traits": {`+traits+`}}`)
	}
	waiter := func(w string) string { return opTraits(`"smithy.waiters#waitable": {"W": ` + w + `}`) }
	acceptor := func(a string) string { return waiter(`{"acceptors": [` + a + `]}`) }
	var many strings.Builder
	for i := range MaxMembers + 1 {
		fmt.Fprintf(&many, `"M%d": {"target": "ns#Str"},`, i)
	}
	deep := strings.Repeat("[", 600) + strings.Repeat("]", 600)

	const (
		in     = `$.shapes["ns#In"]`
		str    = `$.shapes["ns#Str"]`
		num    = `$.shapes["ns#Num"]`
		op     = `$.shapes["ns#Op"]`
		svc    = `$.shapes["ns#Svc"]`
		waitW  = op + `.traits["smithy.waiters#waitable"].W`
		accept = waitW + `.acceptors[0]`
	)
	cases := []struct {
		name, data, path, msg string
	}{
		// JSON syntax: DetectFormat rejects it before the Smithy loader runs.
		{"truncated", smBase[:len(smBase)/2], "", "invalid JSON at line"},
		{"truncated at end", smBase[:len(smBase)-1], "", "invalid JSON at line"},
		{"smithy not a string", smEdit(t, `"smithy": "2.0"`, `"smithy": 2`), "$.smithy", "expected string, got JSON number"},
		{"smithy version", smEdit(t, `"smithy": "2.0"`, `"smithy": "3.0"`), "$.smithy", `unsupported Smithy version "3.0"`},
		{"unknown top-level key", smEdit(t, `"smithy": "2.0",`, `"smithy": "2.0", "extra": 1,`), "$.extra", "unknown top-level property"},
		{"metadata not an object", smEdit(t, `"smithy": "2.0",`, `"smithy": "2.0", "metadata": [],`), "$.metadata", "expected object, got JSON array"},
		{"no shapes", `{"smithy": "2.0"}`, "$", `no "shapes"`},
		{"shapes an array", `{"smithy": "2.0", "shapes": []}`, "$.shapes", "expected object, got JSON array"},
		{"no service", `{"smithy": "2.0", "shapes": {"ns#A": {"type": "string"}}}`, "$.shapes", "no service shape"},
		{"two services", smAddShapes(`"ns#Svc2": {"type": "service"}`), `$.shapes["ns#Svc2"]`, "second service shape (first is ns#Svc)"},
		{"shape not an object", smEdit(t, `"ns#Str": {"type": "string"}`, `"ns#Str": "string"`), str, "expected object, got JSON string"},
		{"shape without type", smEdit(t, `"ns#Str": {"type": "string"}`, `"ns#Str": {}`), str, `shape has no "type"`},
		{"type a number", smEdit(t, `"ns#Str": {"type": "string"}`, `"ns#Str": {"type": 1}`), str + ".type", "expected string, got JSON number"},
		{"unknown type", smEdit(t, `"ns#Str": {"type": "string"}`, `"ns#Str": {"type": "widget"}`), str + ".type", `unknown shape type "widget"`},
		{"unknown shape property", smEdit(t, `"ns#Str": {"type": "string"}`, `"ns#Str": {"type": "string", "members": {}}`), str + ".members", "unknown property"},
		{"mixins", smEdit(t, `"ns#Str": {"type": "string"}`, `"ns#Str": {"type": "string", "mixins": [{"target": "ns#Num"}]}`), str + ".mixins", "mixins are not supported"},
		{"traits an array", smEdit(t, `"ns#Str": {"type": "string"}`, `"ns#Str": {"type": "string", "traits": []}`), str + ".traits", "expected object, got JSON array"},
		{"bad shape id", smEdit(t, `"ns#Str": {"type": "string"}`, `"Str": {"type": "string"}`), `$.shapes.Str`, "not of the form namespace#Name"},
		{"bad shape name", smEdit(t, `"ns#Str": {"type": "string"}`, `"ns#Bad-Name": {"type": "string"}`), `$.shapes["ns#Bad-Name"]`, "is not an identifier"},
		{"prelude redefined", smAddShapes(`"smithy.api#Foo": {"type": "string"}`), `$.shapes["smithy.api#Foo"]`, "redefines the Smithy prelude"},
		{"same local name", smAddShapes(`"other#Str": {"type": "string"}`), `$.shapes["other#Str"]`, `shape name "Str" is used by both ns#Str and other#Str`},
		{"duplicate JSON key", smEdit(t, `"ns#Num": {"type": "integer"}`, `"ns#Num": {"type": "integer", "type": "long"}`), num + ".type", `duplicate key "type"`},
		{"members not an object", smEdit(t, `"ns#Out": {"type": "structure", "members": {}}`, `"ns#Out": {"type": "structure", "members": []}`), `$.shapes["ns#Out"].members`, "expected object, got JSON array"},
		{"member not an object", memberA(`"ns#Str"`), in + ".members.A", "expected object, got JSON string"},
		{"member without target", memberA(`{}`), in + ".members.A", `member has no "target"`},
		{"target a number", memberA(`{"target": 7}`), in + ".members.A.target", "expected string, got JSON number"},
		{"unknown target", memberA(`{"target": "ns#Nope"}`), in + ".members.A.target", `unknown shape "ns#Nope"`},
		{"unknown prelude target", memberA(`{"target": "smithy.api#Nope"}`), in + ".members.A.target", `unknown prelude shape "smithy.api#Nope"`},
		{"target an operation", memberA(`{"target": "ns#Op"}`), in + ".members.A.target", "is a operation, not a data shape"},
		{"unknown member property", memberA(`{"target": "ns#Str", "shape": "x"}`), in + ".members.A.shape", "unknown property"},
		{"member traits a string", memberA(`{"target": "ns#Str", "traits": "x"}`), in + ".members.A.traits", "expected object, got JSON string"},
		{"bad member name", smEdit(t, `"A": {"target": "ns#Str"}`, `"A b": {"target": "ns#Str"}`), in + `.members["A b"]`, "is not an identifier"},
		{"too many members", smEdit(t, `"A": {"target": "ns#Str"},`, many.String()), in + ".members", "more than 10000 members"},
		{"length min a string", strTrait(`"smithy.api#length": {"min": "1"}`), str + `.traits["smithy.api#length"].min`, "expected integer, got JSON string"},
		{"length min negative", strTrait(`"smithy.api#length": {"min": -1}`), str + `.traits["smithy.api#length"].min`, "out of range"},
		{"length min fraction", strTrait(`"smithy.api#length": {"min": 1.5}`), str + `.traits["smithy.api#length"].min`, "expected an integer, got 1.5"},
		{"length min > max", strTrait(`"smithy.api#length": {"min": 5, "max": 1}`), str + `.traits["smithy.api#length"]`, "greater than max"},
		{"length empty", strTrait(`"smithy.api#length": {}`), str + `.traits["smithy.api#length"]`, "needs min or max"},
		{"length unknown key", strTrait(`"smithy.api#length": {"mx": 1}`), str + `.traits["smithy.api#length"].mx`, "unknown property"},
		{"length on integer", numTrait(`"smithy.api#length": {"max": 1}`), num + `.traits["smithy.api#length"]`, "does not apply to a integer shape"},
		{"range max a bool", numTrait(`"smithy.api#range": {"max": true}`), num + `.traits["smithy.api#range"].max`, "expected number, got JSON boolean"},
		{"range huge", numTrait(`"smithy.api#range": {"max": 1e999}`), num + `.traits["smithy.api#range"].max`, "out of range"},
		{"range fraction on integer", numTrait(`"smithy.api#range": {"min": 0.5}`), num + `.traits["smithy.api#range"].min`, "does not fit a 32-bit integer"},
		{"range beyond int32", numTrait(`"smithy.api#range": {"max": 3000000000}`), num + `.traits["smithy.api#range"].max`, "does not fit a 32-bit integer"},
		{"member range fraction on integer", smEdit(t, `"B": {"target": "ns#Num"}`, `"B": {"target": "ns#Num", "traits": {"smithy.api#range": {"max": 2.5}}}`),
			in + `.members.B.traits["smithy.api#range"].max`, "does not fit a 32-bit integer"},
		{"range on string", strTrait(`"smithy.api#range": {"max": 1}`), str + `.traits["smithy.api#range"]`, "does not apply to a string shape"},
		{"pattern a number", strTrait(`"smithy.api#pattern": 5`), str + `.traits["smithy.api#pattern"]`, "expected string, got JSON number"},
		{"sensitive true", strTrait(`"smithy.api#sensitive": true`), str + `.traits["smithy.api#sensitive"]`, "expected object, got JSON boolean"},
		{"deprecated message", strTrait(`"smithy.api#deprecated": {"message": 5}`), str + `.traits["smithy.api#deprecated"].message`, "expected string"},
		{"required on a shape", strTrait(`"smithy.api#required": {}`), str + `.traits["smithy.api#required"]`, "applies to members only"},
		{"mediaType", strTrait(`"smithy.api#mediaType": "json"`), str + `.traits["smithy.api#mediaType"]`, "not type/subtype"},
		{"enum trait not array", strTrait(`"smithy.api#enum": {}`), str + `.traits["smithy.api#enum"]`, "expected array, got JSON object"},
		{"enum trait without value", strTrait(`"smithy.api#enum": [{"name": "A"}]`), str + `.traits["smithy.api#enum"][0]`, "no value"},
		{"enum trait repeated value", strTrait(`"smithy.api#enum": [{"value": "a"}, {"value": "a"}]`), str + `.traits["smithy.api#enum"][1].value`, "repeated"},
		{"enum trait on integer", numTrait(`"smithy.api#enum": [{"value": "a"}]`), num + `.traits["smithy.api#enum"]`, "on a integer shape"},
		{"timestampFormat", smEdit(t, `"ns#Time": {"type": "timestamp"}`, `"ns#Time": {"type": "timestamp", "traits": {"smithy.api#timestampFormat": "unix"}}`),
			`$.shapes["ns#Time"].traits["smithy.api#timestampFormat"]`, `unknown timestamp format "unix"`},
		{"timestampFormat on a string", strTrait(`"smithy.api#timestampFormat": "date-time"`), str + `.traits["smithy.api#timestampFormat"]`, "on a string shape"},
		{"timestampFormat on a member", memberA(`{"target": "ns#Time", "traits": {"smithy.api#timestampFormat": "date-time"}}`),
			in + `.members.A.traits["smithy.api#timestampFormat"]`, "not supported"},
		{"member length on integer", smEdit(t, `"B": {"target": "ns#Num"}`, `"B": {"target": "ns#Num", "traits": {"smithy.api#length": {"max": 3}}}`),
			in + `.members.B.traits["smithy.api#length"]`, "does not apply to a member targeting a integer"},
		{"member required a string", memberA(`{"target": "ns#Str", "traits": {"smithy.api#required": "yes"}}`), in + `.members.A.traits["smithy.api#required"]`, "expected object"},
		{"error fault", smEdit(t, `"ns#Out": {"type": "structure", "members": {}}`, `"ns#Out": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "maybe"}}`),
			`$.shapes["ns#Out"].traits["smithy.api#error"]`, `error fault "maybe"`},
		{"error on a string", strTrait(`"smithy.api#error": "client"`), str + `.traits["smithy.api#error"]`, "on a string shape"},
		{"httpError out of range", smEdit(t, `"ns#Out": {"type": "structure", "members": {}}`, `"ns#Out": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client", "smithy.api#httpError": 1000}}`),
			`$.shapes["ns#Out"].traits["smithy.api#httpError"]`, "out of range"},
		{"httpError alone", smEdit(t, `"ns#Out": {"type": "structure", "members": {}}`, `"ns#Out": {"type": "structure", "members": {}, "traits": {"smithy.api#httpError": 400}}`),
			`$.shapes["ns#Out"].traits["smithy.api#httpError"]`, "without smithy.api#error"},
		{"awsQueryError code", smEdit(t, `"ns#Out": {"type": "structure", "members": {}}`, `"ns#Out": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client", "aws.protocols#awsQueryError": {"code": 5}}}`),
			`$.shapes["ns#Out"].traits["aws.protocols#awsQueryError"].code`, "expected string"},
		{"required union member", smAddShapes(`"ns#U": {"type": "union", "members": {"A": {"target": "ns#Str", "traits": {"smithy.api#required": {}}}}}`),
			`$.shapes["ns#U"].members.A.traits["smithy.api#required"]`, "a union member cannot be required"},
		{"list containing itself", smAddShapes(`"ns#L": {"type": "list", "member": {"target": "ns#L"}}`), `$.shapes["ns#L"]`, "contains itself through lists and maps only"},
		{"list and map cycle", smAddShapes(`"ns#L": {"type": "list", "member": {"target": "ns#M"}}, "ns#M": {"type": "map", "key": {"target": "ns#Str"}, "value": {"target": "ns#L"}}`),
			`$.shapes["ns#L"]`, "contains itself"},
		{"list without member", smAddShapes(`"ns#L": {"type": "list"}`), `$.shapes["ns#L"]`, `list has no "member"`},
		{"map without value", smAddShapes(`"ns#M": {"type": "map", "key": {"target": "ns#Str"}}`), `$.shapes["ns#M"]`, `map has no "value"`},
		{"map key an integer", smAddShapes(`"ns#M": {"type": "map", "key": {"target": "ns#Num"}, "value": {"target": "ns#Str"}}`), `$.shapes["ns#M"]`, "map key must be a string"},
		{"enum member target", smAddShapes(`"ns#E": {"type": "enum", "members": {"A": {"target": "ns#Str"}}}`), `$.shapes["ns#E"].members.A.target`, "must target smithy.api#Unit"},
		{"enum value a number", smAddShapes(`"ns#E": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}}}`),
			`$.shapes["ns#E"].members.A.traits["smithy.api#enumValue"]`, "expected string, got JSON number"},
		{"enum value repeated", smAddShapes(`"ns#E": {"type": "enum", "members": {"a": {"target": "smithy.api#Unit"}, "B": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a"}}}}`),
			`$.shapes["ns#E"].members.B`, `enum value "a" already used by member a`},
		{"enum without members", smAddShapes(`"ns#E": {"type": "enum", "members": {}}`), `$.shapes["ns#E"].members`, "has no members"},
		{"intEnum value a string", smAddShapes(`"ns#E": {"type": "intEnum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "1"}}}}`),
			`$.shapes["ns#E"].members.A.traits["smithy.api#enumValue"]`, "expected integer, got JSON string"},
		{"operation input a string", smEdit(t, `"input": {"target": "ns#In"}`, `"input": {"target": "ns#Str"}`), op + ".input.target", "operation input is a string, not a structure"},
		{"operation input unknown", smEdit(t, `"input": {"target": "ns#In"}`, `"input": {"target": "ns#Nope"}`), op + ".input.target", `unknown shape "ns#Nope"`},
		{"operation input not a reference", smEdit(t, `"input": {"target": "ns#In"}`, `"input": "ns#In"`), op + ".input", "expected object, got JSON string"},
		{"operation error not an error", smEdit(t, `"input": {"target": "ns#In"}`, `"input": {"target": "ns#In"}, "errors": [{"target": "ns#Out"}]`), op + ".errors[0].target", "not a structure with the smithy.api#error trait"},
		{"operation errors not an array", smEdit(t, `"input": {"target": "ns#In"}`, `"input": {"target": "ns#In"}, "errors": {}`), op + ".errors", "expected array"},
		{"service binds a structure", smEdit(t, `"operations": [{"target": "ns#Op"}]`, `"operations": [{"target": "ns#In"}]`), svc + ".operations[0].target", "not an operation"},
		{"service binds an unknown shape", smEdit(t, `"operations": [{"target": "ns#Op"}]`, `"operations": [{"target": "ns#Op"}, {"target": "ns#X"}]`), svc + ".operations[1].target", `unknown shape "ns#X"`},
		{"service resources not resources", smEdit(t, `"operations": [{"target": "ns#Op"}]`, `"resources": [{"target": "ns#Op"}]`), svc + ".resources[0].target", "not a resource"},
		{"service version a number", smEdit(t, `"version": "1"`, `"version": 1`), svc + ".version", "expected string"},
		{"rename unknown", smEdit(t, `"version": "1"`, `"version": "1", "rename": {"x#Y": "Z"}`), svc + `.rename["x#Y"]`, "rename of unknown shape"},
		{"sigv4 name", smEdit(t, `"version": "1"`, `"version": "1", "traits": {"aws.auth#sigv4": {"name": 1}}`), svc + `.traits["aws.auth#sigv4"].name`, "expected string"},
		{"paginated token a number", opTraits(`"smithy.api#paginated": {"inputToken": 5}`), op + `.traits["smithy.api#paginated"].inputToken`, "expected string"},
		{"paginated unknown key", opTraits(`"smithy.api#paginated": {"token": "A"}`), op + `.traits["smithy.api#paginated"].token`, "unknown property"},
		{"waitable not an object", opTraits(`"smithy.waiters#waitable": []`), op + `.traits["smithy.waiters#waitable"]`, "expected object"},
		{"waiter without acceptors", waiter(`{}`), waitW, "no acceptors"},
		{"waiter minDelay > maxDelay", waiter(`{"minDelay": 10, "maxDelay": 5, "acceptors": [{"state": "success", "matcher": {"success": true}}]}`), waitW, "greater than maxDelay"},
		{"waiter minDelay zero", waiter(`{"minDelay": 0, "acceptors": []}`), waitW + ".minDelay", "out of range"},
		{"acceptor state", acceptor(`{"state": "done", "matcher": {"success": true}}`), accept + ".state", `unknown acceptor state "done"`},
		{"acceptor without matcher", acceptor(`{"state": "success"}`), accept, "no matcher"},
		{"matcher comparator", acceptor(`{"state": "success", "matcher": {"output": {"path": "A", "expected": "x", "comparator": "equals"}}}`),
			accept + ".matcher.output.comparator", `unknown comparator "equals"`},
		{"matcher two kinds", acceptor(`{"state": "success", "matcher": {"success": true, "errorType": "E"}}`), accept + ".matcher", "exactly one"},
		{"matcher success a string", acceptor(`{"state": "success", "matcher": {"success": "true"}}`), accept + ".matcher.success", "expected boolean"},
		{"matcher path missing", acceptor(`{"state": "success", "matcher": {"output": {"expected": "x", "comparator": "stringEquals"}}}`), accept + ".matcher.output", "needs path"},
		{"deep nesting", smEdit(t, `"version": "1"`, `"version": "1", "traits": {"x#deep": `+deep+`}`), "", "nested deeper than 512"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(Input{Name: "bad.json", Data: []byte(c.data)})
			if err == nil {
				t.Fatal("no error")
			}
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if me.File != "bad.json" {
				t.Errorf("file = %q, want bad.json", me.File)
			}
			if c.path != "" && me.Path != c.path {
				t.Errorf("path = %s, want %s (%v)", me.Path, c.path, err)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q does not contain %q", err, c.msg)
			}
			if strings.Contains(err.Error(), "internal error") {
				t.Errorf("loader panicked: %v", err)
			}
		})
	}
}

// The decoder itself locates JSON syntax errors by path (Parse reports them
// by line and column, since format detection fails first).
func TestSmithyTreeErrors(t *testing.T) {
	for _, c := range []struct{ data, path, msg string }{
		{`{"shapes": {"a#B": {"type": "str`, `$.shapes["a#B"].type`, "truncated JSON"},
		{`{"shapes": {"a#B": [1, 2,`, `$.shapes["a#B"][2]`, "truncated JSON"},
		{`{"shapes": {"a#B": {"type": x}}}`, `$.shapes["a#B"].type`, "invalid JSON at line 1, column 29"},
		{`{"a": 1} {}`, "", "data after the top-level JSON value"},
		{`{"a": {"b": 1, "b": 2}}`, `$.a.b`, `duplicate key "b"`},
		{"[" + strings.Repeat("[", smithyMaxDepth) + strings.Repeat("]", smithyMaxDepth+1), "$" + strings.Repeat("[0]", smithyMaxDepth), "nested deeper"},
	} {
		_, err := smithyDecodeTree("t.json", []byte(c.data))
		var me *Error
		if !errors.As(err, &me) {
			t.Errorf("%s: error %v is not *Error", c.data, err)
			continue
		}
		if me.File != "t.json" || me.Path != c.path || !strings.Contains(me.Error(), c.msg) {
			t.Errorf("%.40s: got file %q path %q error %q; want path %q and %q", c.data, me.File, me.Path, me.Error(), c.path, c.msg)
		}
	}
	// Large objects switch to a map for the duplicate check.
	var sb strings.Builder
	sb.WriteString("{")
	for i := range 40 {
		fmt.Fprintf(&sb, `"k%d": %d, `, i, i)
	}
	sb.WriteString(`"k7": 0}`)
	if _, err := smithyDecodeTree("t.json", []byte(sb.String())); err == nil || !strings.Contains(err.Error(), `$.k7: duplicate key "k7"`) {
		t.Errorf("duplicate in a large object: %v", err)
	}
}

// Resources may refer to each other; binding must not loop.
func TestSmithyResourceCycle(t *testing.T) {
	data := smEdit(t, `"operations": [{"target": "ns#Op"}]`, `"resources": [{"target": "ns#R1"}]`)
	data = strings.Replace(data, `"ns#Str": {"type": "string"},`, `"ns#Str": {"type": "string"},
		"ns#R1": {"type": "resource", "resources": [{"target": "ns#R2"}]},
		"ns#R2": {"type": "resource", "read": {"target": "ns#Op"}, "resources": [{"target": "ns#R1"}]},`, 1)
	svc, err := Parse(Input{Name: "cycle.json", Data: []byte(data)})
	if err != nil {
		t.Fatal(err)
	}
	smEq(t, "operations", len(svc.Operations), 1)
}

// smWrite writes a decoded tree back as JSON, with the value at position
// skip (counted in document order) replaced by repl.
func smWrite(sb *strings.Builder, v sjValue, n *int, skip int, repl string) {
	*n++
	if *n-1 == skip {
		sb.WriteString(repl)
		return
	}
	switch v.kind {
	case sjNull, sjSkipped:
		sb.WriteString("null")
	case sjBool:
		sb.WriteString(strconv.FormatBool(v.b))
	case sjNumber:
		sb.WriteString(v.s)
	case sjString:
		sb.WriteString(strconv.Quote(v.s))
	case sjArray, sjObject:
		open, close := "[", "]"
		if v.kind == sjObject {
			open, close = "{", "}"
		}
		sb.WriteString(open)
		for i, f := range v.obj {
			if i > 0 {
				sb.WriteString(",")
			}
			if v.kind == sjObject {
				sb.WriteString(strconv.Quote(f.key) + ":")
			}
			smWrite(sb, f.val, n, skip, repl)
		}
		sb.WriteString(close)
	}
}

// Every value of the fixture, in turn, replaced by a value of each other
// JSON type: the loader must answer with an *Error (or a graph), never panic.
func TestSmithyTypeConfusion(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "smithy", "fixture.json"))
	if err != nil {
		t.Fatal(err)
	}
	tree, err := smithyDecodeTree("fixture.json", data)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	smWrite(&strings.Builder{}, tree, &total, -1, "")
	repls := []string{"null", "true", "-1", "1.5", "1e400", `""`, `"x"`, `"smithy.api#Unit"`, "[]", "[{}]", "{}", `{"target":"smithy.api#String"}`}
	if testing.Short() {
		repls = repls[:4]
	}
	errs := 0
	for i := 1; i < total; i++ {
		for _, r := range repls {
			var sb strings.Builder
			n := 0
			smWrite(&sb, tree, &n, i, r)
			_, err := parse(Input{Name: "mut.json", Data: []byte(sb.String())})
			if err != nil {
				errs++
				var me *Error
				if !errors.As(err, &me) || me.File != "mut.json" {
					t.Fatalf("value %d replaced by %s: error %T %v is not an *Error naming the file", i, r, err, err)
				}
			}
		}
	}
	t.Logf("%d values x %d replacements: %d errors", total-1, len(repls), errs)
}

func FuzzParseSmithy(f *testing.F) {
	fixture, err := os.ReadFile(filepath.Join("testdata", "smithy", "fixture.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	f.Add([]byte(smBase))
	f.Add([]byte(smithyV1))
	f.Add([]byte(`{"smithy": "2.0", "shapes": {}}`))
	// Small models mutate into more interesting inputs than the big fixture.
	f.Add([]byte(`{"smithy":"2.0","shapes":{"a#S":{"type":"service","operations":[{"target":"a#O"}],"resources":[{"target":"a#R"}],` +
		`"traits":{"smithy.api#paginated":{"inputToken":"T","outputToken":"T"}}},` +
		`"a#R":{"type":"resource","read":{"target":"a#O"},"resources":[{"target":"a#R"}]},` +
		`"a#O":{"type":"operation","input":{"target":"a#I"},"output":{"target":"a#I"},"errors":[{"target":"a#E"}],` +
		`"traits":{"smithy.api#paginated":{"items":"L"},"smithy.waiters#waitable":{"W":{"minDelay":1,"acceptors":[` +
		`{"state":"success","matcher":{"output":{"path":"T","expected":"x","comparator":"stringEquals"}}},` +
		`{"state":"retry","matcher":{"errorType":"E"}},{"state":"failure","matcher":{"success":false}}]}}}},` +
		`"a#I":{"type":"structure","members":{"T":{"target":"smithy.api#String","traits":{"smithy.api#length":{"min":1}}},` +
		`"L":{"target":"a#L"},"U":{"target":"a#U"},"N":{"target":"a#N","traits":{"smithy.api#range":{"max":9}}}}},` +
		`"a#L":{"type":"list","member":{"target":"a#M"}},"a#M":{"type":"map","key":{"target":"a#En"},"value":{"target":"a#I"}},` +
		`"a#En":{"type":"enum","members":{"A":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":"a"}}}},` +
		`"a#U":{"type":"union","members":{"X":{"target":"smithy.api#Unit"},"Y":{"target":"a#N"}}},` +
		`"a#N":{"type":"intEnum","members":{"B":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":1}}}},` +
		`"a#E":{"type":"structure","members":{},"traits":{"smithy.api#error":"client","smithy.api#httpError":400}}}}`))
	f.Add([]byte(`{"smithy":"1.0","shapes":{"a#S":{"type":"service","operations":[{"target":"a#O"}]},` +
		`"a#O":{"type":"operation","input":{"target":"a#I"}},"a#I":{"type":"structure","members":{"A":{"target":"a#Z"}}},` +
		`"a#Z":{"type":"string","traits":{"smithy.api#enum":[{"value":"v","name":"V"}],"smithy.api#pattern":"^a$"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// parse, not Parse: a panic must crash the fuzzer, not become an error.
		svc, err := parse(Input{Name: "fuzz.json", Data: data})
		if err != nil {
			var me *Error
			if !errors.As(err, &me) || me.File != "fuzz.json" {
				t.Fatalf("error %T %v is not an *Error naming the file", err, err)
			}
			return
		}
		for _, s := range svc.Shapes {
			if s.Kind == KindInvalid {
				t.Fatalf("shape %s has no kind", s.Name)
			}
			for _, m := range append(append([]*Member{}, s.Members...), s.ListMember, s.MapKey, s.MapValue) {
				if m != nil && m.Target == nil {
					t.Fatalf("%s.%s has no target", s.Name, m.Name)
				}
			}
		}
		for _, op := range svc.Operations {
			for _, e := range op.Errors {
				if e.Error == nil {
					t.Fatalf("%s error %s is not an error shape", op.Name, e.Name)
				}
			}
		}
	})
}

func BenchmarkLoadSmithy(b *testing.B) {
	dir := smSharedModel(b, "smithy-2025-04")
	for b.Loop() {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
