package model

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/smcore-go/smcore/gen/modelsrc"
)

const fixtureDir = "testdata/botocore"

func loadFixture(t testing.TB) *Service {
	t.Helper()
	svc, err := Load(fixtureDir)
	if err != nil {
		t.Fatalf("Load(%s): %v", fixtureDir, err)
	}
	return svc
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func shape(t *testing.T, svc *Service, name string) *Shape {
	t.Helper()
	s := svc.Shapes[name]
	if s == nil {
		t.Fatalf("shape %s missing", name)
	}
	return s
}

func memberNames(s *Shape) []string {
	var out []string
	for _, m := range s.Members {
		out = append(out, m.Name)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func TestBotocoreFixture(t *testing.T) {
	svc := loadFixture(t)

	gotSvc := [...]string{svc.ID, svc.APIVersion, svc.TargetPrefix, svc.SigningName, svc.EndpointPrefix, svc.Protocol, svc.JSONVersion}
	// No signingName in the fixture: it defaults to the endpoint prefix.
	wantSvc := [...]string{"Things", "2020-01-01", "ThingService", "api.things", "api.things", "json", "1.1"}
	if gotSvc != wantSvc {
		t.Errorf("metadata = %+v, want %+v", gotSvc, wantSvc)
	}
	if got, want := svc.Source.Files, []string{"service-2.json", "waiters-2.json", "paginators-1.json"}; !slices.Equal(got, want) || svc.Source.Format != FormatBotocore {
		t.Errorf("source = %+v", svc.Source)
	}
	if len(svc.Operations) != 4 || len(svc.Shapes) != 29 || len(svc.Waiters) != 2 {
		t.Errorf("got %d operations, %d shapes, %d waiters; want 4, 29, 2", len(svc.Operations), len(svc.Shapes), len(svc.Waiters))
	}

	create := svc.Operations["CreateThing"]
	if create.Input != svc.Shapes["CreateThingRequest"] || create.Output != svc.Shapes["CreateThingResponse"] ||
		len(create.Errors) != 2 || create.Errors[0].Name != "ThingInUse" || create.Errors[1].Name != "ServerBroke" ||
		create.Deprecated != nil || create.Paginator != nil {
		t.Errorf("CreateThing = %+v", create)
	}
	del := svc.Operations["DeleteThing"]
	if del.Output != nil || del.Deprecated == nil || del.Deprecated.Message != "Use RemoveThing." {
		t.Errorf("DeleteThing = %+v", del)
	}
	if p := svc.Operations["ListThings"].Paginator; p == nil || *p != (Paginator{"NextToken", "NextToken", "MaxResults", "Things"}) {
		t.Errorf("ListThings paginator = %+v", p)
	}

	req := shape(t, svc, "CreateThingRequest")
	wantOrder := []string{"ThingName", "Tags", "ClientToken", "Count", "Config", "Payload", "Settings", "OldField", "Ratio", "Weight", "Size", "Tree", "Extra"}
	if got := memberNames(req); !slices.Equal(got, wantOrder) {
		t.Errorf("members in %v, want model order %v", got, wantOrder)
	}
	for _, m := range req.Members {
		if want := m.Name == "ThingName" || m.Name == "Config"; m.Required != want {
			t.Errorf("%s.Required = %v", m.Name, m.Required)
		}
	}
	if m := req.Member("ClientToken"); !m.IdempotencyToken || m.Target.Name != "ThingName" {
		t.Errorf("ClientToken = %+v", m)
	}
	if m := req.Member("Settings"); !m.JSONValue || !m.IsSensitive() {
		t.Errorf("Settings = %+v", m)
	}
	if m := req.Member("OldField"); m.Deprecated == nil || m.Deprecated.Message != "Ignored since 2021." {
		t.Errorf("OldField = %+v", m)
	}

	kinds := map[string]Kind{
		"ThingName": KindString, "ThingStatus": KindEnum, "Count": KindInteger, "Size": KindLong,
		"Weight": KindFloat, "Ratio": KindDouble, "Flag": KindBoolean, "When": KindTimestamp,
		"Payload": KindBlob, "TagMap": KindMap, "ThingList": KindList, "ThingSummary": KindStructure,
		"ThingConfig": KindUnion, "Doc": KindDocument,
	}
	for name, k := range kinds {
		if got := shape(t, svc, name).Kind; got != k {
			t.Errorf("%s kind = %s, want %s", name, got, k)
		}
	}

	name := shape(t, svc, "ThingName").Constraints
	if *name.MinLength != 1 || *name.MaxLength != 63 || name.Pattern != `^[\w-]+$` || name.Min != nil {
		t.Errorf("ThingName constraints = %+v", name)
	}
	status := shape(t, svc, "ThingStatus")
	if want := []EnumValue{{Value: "Pending"}, {Value: "Ready"}, {Value: "Failed"}, {Value: "in-progress"}}; !slices.Equal(status.Enum, want) {
		t.Errorf("ThingStatus enum = %v", status.Enum)
	}
	count := shape(t, svc, "Count").Constraints
	if *count.Min != 1 || *count.Max != 100 || count.MinLength != nil {
		t.Errorf("Count constraints = %+v", count)
	}
	if c := shape(t, svc, "Size").Constraints; *c.Min != 0 || *c.Max != 9223372036854775807 {
		t.Errorf("Size constraints = %+v", c)
	}
	if c := shape(t, svc, "Weight").Constraints; *c.Min != 0.25 || *c.Max != 1 {
		t.Errorf("Weight constraints = %+v", c)
	}
	if c := shape(t, svc, "Ratio").Constraints; *c.Min != -1.5 || c.Max != nil {
		t.Errorf("Ratio constraints = %+v", c)
	}
	if s := shape(t, svc, "Payload"); !s.Sensitive || *s.Constraints.MinLength != 0 || *s.Constraints.MaxLength != 1024 {
		t.Errorf("Payload = %+v", s)
	}
	if s := shape(t, svc, "When"); s.TimestampFormat != "iso8601" || shape(t, svc, "Stamp").TimestampFormat != "" {
		t.Errorf("When.TimestampFormat = %q", s.TimestampFormat)
	}
	tags := shape(t, svc, "TagMap")
	if tags.MapKey.Name != "key" || tags.MapKey.Target.Name != "TagKey" || tags.MapValue.Name != "value" ||
		tags.MapValue.Target.Name != "TagValue" || *tags.Constraints.MaxLength != 50 || tags.Constraints.MinLength != nil {
		t.Errorf("TagMap = %+v", tags)
	}
	list := shape(t, svc, "ThingList")
	if list.ListMember.Name != "member" || list.ListMember.Target.Name != "ThingSummary" || *list.Constraints.MaxLength != 100 {
		t.Errorf("ThingList = %+v", list)
	}
	if s := shape(t, svc, "ThingSummary"); s.Deprecated == nil || s.Deprecated.Message != "" || !slices.Equal(memberNames(s), []string{"Status", "Name"}) {
		t.Errorf("ThingSummary = %+v", s)
	}
	if s := shape(t, svc, "ThingConfig"); !slices.Equal(memberNames(s), []string{"Small", "Named"}) {
		t.Errorf("ThingConfig members = %v", memberNames(s))
	}
	if s := shape(t, svc, "Doc"); len(s.Members) != 0 {
		t.Errorf("Doc has members %v", memberNames(s))
	}
	node := shape(t, svc, "Node")
	if node.Member("Children").Target.ListMember.Target != node {
		t.Error("Node.Children does not lead back to Node")
	}

	errs := map[string]ErrorInfo{
		"ResourceNotFound": {Code: "ResourceNotFound", Fault: "client"},
		"ThingInUse":       {Code: "ThingInUseException", HTTPStatus: 409, Fault: "client"},
		"ServerBroke":      {Code: "ServerBroke", HTTPStatus: 500, Fault: "server"},
	}
	for name, want := range errs {
		if got := shape(t, svc, name).Error; got == nil || *got != want {
			t.Errorf("%s.Error = %+v, want %+v", name, got, want)
		}
	}
	if shape(t, svc, "ThingSummary").Error != nil {
		t.Error("ThingSummary is not an exception")
	}

	ready := svc.Waiters["ThingReady"]
	if ready == nil || ready.Operation != "DescribeThing" || ready.MinDelay != 15 || ready.MaxDelay != 0 || ready.MaxAttempts != 40 {
		t.Fatalf("ThingReady = %+v", ready)
	}
	wantReady := []Acceptor{
		{State: StateSuccess, Matcher: MatchOutput, Path: "Status", Expected: "Ready", Comparator: CompareStringEquals},
		{State: StateSuccess, Matcher: MatchOutput, Path: "Ready", Expected: "true", Comparator: CompareBooleanEquals},
		{State: StateFailure, Matcher: MatchOutput, Path: "Parts[].Status", Expected: "Failed", Comparator: CompareAnyStringEquals},
		{State: StateRetry, Matcher: MatchError, ErrorType: "ResourceNotFound"},
		{State: StateFailure, Matcher: MatchStatus, Expected: "500"},
	}
	if !slices.Equal(ready.Acceptors, wantReady) {
		t.Errorf("ThingReady acceptors =\n%+v\nwant\n%+v", ready.Acceptors, wantReady)
	}
	wantDeleted := []Acceptor{
		{State: StateSuccess, Matcher: MatchError, ErrorType: "ResourceNotFound"},
		{State: StateFailure, Matcher: MatchOutput, Path: "Parts[].Status", Expected: "Failed", Comparator: CompareAllStringEquals},
		{State: StateRetry, Matcher: MatchSuccess, Success: true},
		{State: StateFailure, Matcher: MatchSuccess, Success: false},
	}
	if got := svc.Waiters["ThingDeleted"].Acceptors; !slices.Equal(got, wantDeleted) {
		t.Errorf("ThingDeleted acceptors =\n%+v\nwant\n%+v", got, wantDeleted)
	}
	if ws := svc.Operations["DescribeThing"].Waiters; len(ws) != 2 || ws[0].Name != "ThingDeleted" || ws[1].Name != "ThingReady" {
		t.Errorf("DescribeThing waiters = %v", ws)
	}
}

// TestBotocoreGzip checks that a gzip-compressed main file loads to the
// same graph, hashed as stored.
func TestBotocoreGzip(t *testing.T) {
	plain := loadFixture(t)
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(readFixture(t, "service-2.json"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"service-2.json.gz": buf.Bytes(),
		"waiters-2.json":    readFixture(t, "waiters-2.json"),
		"paginators-1.json": readFixture(t, "paginators-1.json"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	zipped, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if zipped.Source.Files[0] != "service-2.json.gz" || zipped.Source.SHA256 == plain.Source.SHA256 {
		t.Errorf("source = %+v", zipped.Source)
	}
	zipped.Source, plain.Source = Source{}, Source{}
	if !reflect.DeepEqual(zipped, plain) {
		t.Error("gzip model loads to a different graph")
	}
}

// realModel locates a model, skipping the test when it is absent except in
// CI, where every model must be there.
func realModel(t *testing.T, find func() (string, error)) string {
	t.Helper()
	dir, err := find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("model not found (CI=true): %v", err)
		}
		t.Skipf("model not found: %v", err)
	}
	return dir
}

func TestBotocoreRealModels(t *testing.T) {
	for _, tc := range []struct {
		name       string
		find       func() (string, error)
		ops        int
		statuses   []string
		required   []string
		paginators int
	}{
		{
			name: "botocore-2026-04", find: func() (string, error) { return modelsrc.Shared("botocore-2026-04") },
			ops: 382, paginators: 72,
			statuses: []string{"InProgress", "Completed", "Failed", "Stopping", "Stopped", "Deleting"},
			required: []string{"TrainingJobName", "RoleArn", "OutputDataConfig"},
		},
		{
			name: "pinned", find: func() (string, error) { return modelsrc.Pinned() },
			ops: modelsrc.PinnedOperations, paginators: 87,
			statuses: []string{"InProgress", "Completed", "Failed", "Stopping", "Stopped", "Deleting"},
			required: []string{"TrainingJobName", "RoleArn", "OutputDataConfig"},
		},
		{
			name: "aws-sdk-go-v1", find: modelsrc.AWSSDKGoV1,
			ops: 335, paginators: 76,
			statuses: []string{"InProgress", "Completed", "Failed", "Stopping", "Stopped"},
			required: []string{"TrainingJobName", "AlgorithmSpecification", "RoleArn", "OutputDataConfig", "ResourceConfig", "StoppingCondition"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, err := Load(realModel(t, tc.find))
			if err != nil {
				t.Fatal(err)
			}
			checkSageMaker(t, svc, tc.ops, tc.paginators, tc.statuses, tc.required)
		})
	}
}

func checkSageMaker(t *testing.T, svc *Service, ops, paginators int, statuses, required []string) {
	t.Helper()
	if svc.ID != "SageMaker" || svc.TargetPrefix != "SageMaker" || svc.SigningName != "sagemaker" || svc.Protocol != "json" || svc.JSONVersion != "1.1" {
		t.Errorf("metadata: %+v", svc)
	}
	if len(svc.Operations) != ops {
		t.Errorf("%d operations, want %d", len(svc.Operations), ops)
	}
	if len(svc.Waiters) != 13 {
		t.Errorf("%d waiters, want 13", len(svc.Waiters))
	}
	n := 0
	for _, op := range svc.Operations {
		if op.Paginator != nil {
			n++
		}
	}
	if n != paginators || n <= 70 {
		t.Errorf("%d paginators, want %d (> 70)", n, paginators)
	}

	var got []string
	for _, v := range svc.Shapes["TrainingJobStatus"].Enum {
		got = append(got, v.Value)
	}
	if !slices.Equal(got, statuses) {
		t.Errorf("TrainingJobStatus = %v, want %v", got, statuses)
	}
	ic := svc.Shapes["ResourceConfig"].Member("InstanceCount").Effective()
	if ic.Min == nil || *ic.Min != 0 || ic.Max != nil {
		t.Errorf("ResourceConfig.InstanceCount range = %+v, want min 0, no max", ic)
	}
	var req []string
	for _, m := range svc.Shapes["CreateTrainingJobRequest"].Members {
		if m.Required {
			req = append(req, m.Name)
		}
	}
	if !slices.Equal(req, required) {
		t.Errorf("CreateTrainingJobRequest required = %v, want %v", req, required)
	}
	if k := svc.Shapes["AutoMLProblemTypeConfig"].Kind; k != KindUnion {
		t.Errorf("AutoMLProblemTypeConfig is a %s, want union", k)
	}
	if e := svc.Shapes["ResourceNotFound"].Error; e == nil || e.Code != "ResourceNotFound" || e.Fault != "client" {
		t.Errorf("ResourceNotFound.Error = %+v", e)
	}
	w := svc.Waiters["TrainingJobCompletedOrStopped"]
	if w == nil || w.Operation != "DescribeTrainingJob" || w.MinDelay != 120 || w.MaxAttempts != 180 {
		t.Fatalf("TrainingJobCompletedOrStopped = %+v", w)
	}
	want := []Acceptor{
		{State: StateSuccess, Matcher: MatchOutput, Path: "TrainingJobStatus", Expected: "Completed", Comparator: CompareStringEquals},
		{State: StateSuccess, Matcher: MatchOutput, Path: "TrainingJobStatus", Expected: "Stopped", Comparator: CompareStringEquals},
		{State: StateFailure, Matcher: MatchOutput, Path: "TrainingJobStatus", Expected: "Failed", Comparator: CompareStringEquals},
		{State: StateFailure, Matcher: MatchError, ErrorType: "ValidationException"},
	}
	if !slices.Equal(w.Acceptors, want) {
		t.Errorf("TrainingJobCompletedOrStopped acceptors = %+v", w.Acceptors)
	}
	if p := svc.Operations["ListTrainingJobs"].Paginator; p == nil || p.Items != "TrainingJobSummaries" || p.InputToken != "NextToken" || p.PageSize != "MaxResults" {
		t.Errorf("ListTrainingJobs paginator = %+v", p)
	}
}

// A small valid model that the bad-input cases below change one piece of.
const (
	okOps    = `"Op":{"name":"Op","input":{"shape":"In"},"output":{"shape":"Out"},"errors":[{"shape":"Oops"}]}`
	okShapes = `"In":{"type":"structure","members":{"Token":{"shape":"S"},"Max":{"shape":"I"}}},` +
		`"Out":{"type":"structure","members":{"Token":{"shape":"S"},"Items":{"shape":"L"}}},` +
		`"Oops":{"type":"structure","members":{},"exception":true},` +
		`"S":{"type":"string"},"I":{"type":"integer"},"L":{"type":"list","member":{"shape":"S"}}`
	okWaiters    = `{"version":2,"waiters":{"W":{"operation":"Op","delay":1,"maxAttempts":2,"acceptors":[{"matcher":"error","expected":"Oops","state":"success"}]}}}`
	okPaginators = `{"pagination":{"Op":{"input_token":"Token","output_token":"Token","limit_key":"Max","result_key":"Items"}}}`
)

func botoModel(ops, shapes string) string {
	return `{"metadata":{"protocol":"json"},"operations":{` + ops + `},"shapes":{` + shapes + `}}`
}

// withShape is the small model plus one more shape, called X.
func withShape(x string) string { return botoModel(okOps, okShapes+`,"X":`+x) }

func waiter(acceptor string) string {
	return `{"version":2,"waiters":{"W":{"operation":"Op","delay":1,"maxAttempts":2,"acceptors":[` + acceptor + `]}}}`
}

func paginator(body string) string { return `{"pagination":{"Op":` + body + `}}` }

func manyMembers(n int) string {
	var b strings.Builder
	b.WriteString(`{"type":"structure","members":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"M%d":{"shape":"S"}`, i)
	}
	b.WriteString(`}}`)
	return b.String()
}

type badCase struct {
	name                      string
	main, waiters, paginators string // waiters and paginators: "" means the valid one
	file, path, msg           string
}

var badCases = []badCase{
	// Main file.
	{name: "truncated", main: botoModel(okOps, okShapes)[:60], file: "service-2.json", msg: "invalid JSON"},
	{name: "not a model", main: `{"shapes":{}}`, file: "service-2.json", path: "$", msg: "neither"},
	{name: "metadata not object", main: `{"metadata":5,"operations":{},"shapes":{}}`, file: "service-2.json", path: "$.metadata", msg: "expected an object, got number"},
	{name: "metadata field not string", main: `{"metadata":{"protocol":true},"operations":{},"shapes":{}}`, file: "service-2.json", path: "$.metadata.protocol", msg: "expected a string, got boolean"},
	{name: "operations array", main: `{"metadata":{},"operations":[],"shapes":{}}`, file: "service-2.json", path: "$.operations", msg: "expected an object, got array"},
	{name: "duplicate top-level key", main: `{"metadata":{},"operations":{},"shapes":{},"shapes":{}}`, file: "service-2.json", path: "$.shapes", msg: "given twice"},
	{name: "shape not object", main: withShape(`"string"`), file: "service-2.json", path: "$.shapes.X", msg: "expected an object, got string"},
	{name: "no type", main: withShape(`{"min":1}`), file: "service-2.json", path: "$.shapes.X", msg: `no "type"`},
	{name: "type not string", main: withShape(`{"type":7}`), file: "service-2.json", path: "$.shapes.X.type", msg: "expected a string, got number"},
	{name: "unknown type", main: withShape(`{"type":"bignum"}`), file: "service-2.json", path: "$.shapes.X.type", msg: `unknown shape type "bignum"`},
	{name: "duplicate shape key", main: withShape(`{"type":"string","type":"integer"}`), file: "service-2.json", path: "$.shapes.X.type", msg: "given twice"},
	{name: "members not object", main: withShape(`{"type":"structure","members":[]}`), file: "service-2.json", path: "$.shapes.X.members", msg: "expected an object, got array"},
	{name: "member not object", main: withShape(`{"type":"structure","members":{"A":"S"}}`), file: "service-2.json", path: "$.shapes.X.members.A", msg: "expected an object"},
	{name: "member shape not string", main: withShape(`{"type":"structure","members":{"A":{"shape":5}}}`), file: "service-2.json", path: "$.shapes.X.members.A.shape", msg: "expected a string, got number"},
	{name: "member without shape", main: withShape(`{"type":"structure","members":{"A":{}}}`), file: "service-2.json", path: "$.shapes.X.members.A", msg: `no "shape"`},
	{name: "idempotencyToken not bool", main: withShape(`{"type":"structure","members":{"A":{"shape":"S","idempotencyToken":"yes"}}}`), file: "service-2.json", path: "$.shapes.X.members.A.idempotencyToken", msg: "expected a boolean, got string"},
	{name: "unknown shape", main: withShape(`{"type":"structure","members":{"A":{"shape":"Nope"}}}`), file: "service-2.json", path: "$.shapes.X.members.A.shape", msg: `unknown shape "Nope"`},
	{name: "required not a member", main: withShape(`{"type":"structure","required":["A","B"],"members":{"A":{"shape":"S"}}}`), file: "service-2.json", path: "$.shapes.X.required[1]", msg: `"B" is not a member`},
	{name: "required twice", main: withShape(`{"type":"structure","required":["A","A"],"members":{"A":{"shape":"S"}}}`), file: "service-2.json", path: "$.shapes.X.required[1]", msg: "listed twice"},
	{name: "required not strings", main: withShape(`{"type":"structure","required":[1],"members":{}}`), file: "service-2.json", path: "$.shapes.X.required[0]", msg: "expected a string"},
	{name: "list contains itself", main: withShape(`{"type":"list","member":{"shape":"X"}}`), file: "service-2.json", path: "$.shapes.X", msg: "contains itself"},
	{name: "list and map cycle", main: botoModel(okOps, okShapes+`,"X":{"type":"list","member":{"shape":"Y"}},"Y":{"type":"map","key":{"shape":"S"},"value":{"shape":"X"}}`), file: "service-2.json", path: "$.shapes.X", msg: "contains itself"},
	{name: "list without member", main: withShape(`{"type":"list"}`), file: "service-2.json", path: "$.shapes.X", msg: `no "member"`},
	{name: "map without value", main: withShape(`{"type":"map","key":{"shape":"S"}}`), file: "service-2.json", path: "$.shapes.X", msg: "needs \"key\" and \"value\""},
	{name: "map key not string", main: withShape(`{"type":"map","key":{"shape":"I"},"value":{"shape":"S"}}`), file: "service-2.json", path: "$.shapes.X", msg: "map key must be a string"},
	{name: "bad shape name", main: botoModel(okOps, okShapes+`,"Bad-Name":{"type":"string"}`), file: "service-2.json", path: `$.shapes["Bad-Name"]`, msg: "not an identifier"},
	{name: "bad member name", main: withShape(`{"type":"structure","members":{"A B":{"shape":"S"}}}`), file: "service-2.json", path: `$.shapes.X.members["A B"]`, msg: "not an identifier"},
	{name: "long name", main: withShape(`{"type":"structure","members":{"` + strings.Repeat("A", MaxNameLength+1) + `":{"shape":"S"}}}`), file: "service-2.json", path: "$.shapes.X.members." + strings.Repeat("A", MaxNameLength+1), msg: "name longer than"},
	{name: "too many members", main: withShape(manyMembers(MaxMembers + 1)), file: "service-2.json", path: "$.shapes.X.members", msg: "more than 10000 members"},
	{name: "huge max", main: withShape(`{"type":"string","max":1e30}`), file: "service-2.json", path: "$.shapes.X.max", msg: "expected an integer"},
	{name: "absurd max", main: withShape(`{"type":"list","member":{"shape":"S"},"max":99999999999}`), file: "service-2.json", path: "$.shapes.X.max", msg: "out of range"},
	{name: "negative min", main: withShape(`{"type":"blob","min":-1}`), file: "service-2.json", path: "$.shapes.X.min", msg: "out of range"},
	{name: "min above max", main: withShape(`{"type":"string","min":5,"max":2}`), file: "service-2.json", path: "$.shapes.X.min", msg: "greater than max"},
	{name: "integer bound too big", main: withShape(`{"type":"integer","max":3000000000}`), file: "service-2.json", path: "$.shapes.X.max", msg: "does not fit"},
	{name: "number bound overflows", main: withShape(`{"type":"double","min":1e999}`), file: "service-2.json", path: "$.shapes.X.min", msg: "out of range"},
	{name: "fractional integer bound", main: withShape(`{"type":"long","min":0.5}`), file: "service-2.json", path: "$.shapes.X.min", msg: "expected an integer, got 0.5"},
	{name: "long bound overflows", main: withShape(`{"type":"long","max":9223372036854775808}`), file: "service-2.json", path: "$.shapes.X.max", msg: "out of range"},
	{name: "float bound too big", main: withShape(`{"type":"float","max":1e39}`), file: "service-2.json", path: "$.shapes.X.max", msg: "does not fit a 32-bit float"},
	{name: "min not number", main: withShape(`{"type":"double","min":"1"}`), file: "service-2.json", path: "$.shapes.X.min", msg: "expected a number, got string"},
	{name: "enum not strings", main: withShape(`{"type":"string","enum":["a",1]}`), file: "service-2.json", path: "$.shapes.X.enum[1]", msg: "expected a string, got number"},
	{name: "enum duplicate", main: withShape(`{"type":"string","enum":["a","a"]}`), file: "service-2.json", path: "$.shapes.X.enum[1]", msg: "listed twice"},
	{name: "enum empty", main: withShape(`{"type":"string","enum":[]}`), file: "service-2.json", path: "$.shapes.X.enum", msg: "no values"},
	{name: "enum invalid UTF-8", main: withShape("{\"type\":\"string\",\"enum\":[\"a\xff\"]}"), file: "service-2.json", path: "$.shapes.X.enum[0]", msg: "UTF-8"},
	{name: "enum on integer", main: withShape(`{"type":"integer","enum":["1"]}`), file: "service-2.json", path: "$.shapes.X.enum", msg: "not allowed on a integer shape"},
	{name: "members on list", main: withShape(`{"type":"list","member":{"shape":"S"},"members":{}}`), file: "service-2.json", path: "$.shapes.X.members", msg: "not allowed"},
	{name: "bad timestamp format", main: withShape(`{"type":"timestamp","timestampFormat":"epoch"}`), file: "service-2.json", path: "$.shapes.X.timestampFormat", msg: "unknown timestamp format"},
	{name: "union and document", main: withShape(`{"type":"structure","members":{},"union":true,"document":true}`), file: "service-2.json", path: "$.shapes.X", msg: "both"},
	{name: "error without exception", main: withShape(`{"type":"structure","members":{},"error":{"httpStatusCode":400}}`), file: "service-2.json", path: "$.shapes.X", msg: "need \"exception\": true"},
	{name: "bad http status", main: withShape(`{"type":"structure","members":{},"exception":true,"error":{"httpStatusCode":42}}`), file: "service-2.json", path: "$.shapes.X.error.httpStatusCode", msg: "out of range"},
	{name: "deprecated message alone", main: withShape(`{"type":"string","deprecatedMessage":"x"}`), file: "service-2.json", path: "$.shapes.X.deprecatedMessage", msg: "without"},
	{name: "operation name differs", main: botoModel(`"Op":{"name":"Other","input":{"shape":"In"}}`, okShapes), file: "service-2.json", path: "$.operations.Op.name", msg: "differs"},
	{name: "operation without name", main: botoModel(`"Op":{"input":{"shape":"In"}}`, okShapes), file: "service-2.json", path: "$.operations.Op", msg: `no "name"`},
	{name: "bad operation name", main: botoModel(`"Op.Two":{"name":"Op.Two"}`, okShapes), file: "service-2.json", path: `$.operations["Op.Two"]`, msg: "not an identifier"},
	{name: "operation input not object", main: botoModel(`"Op":{"name":"Op","input":"In"}`, okShapes), file: "service-2.json", path: "$.operations.Op.input", msg: "expected an object"},
	{name: "operation errors not array", main: botoModel(`"Op":{"name":"Op","errors":{"shape":"Oops"}}`, okShapes), file: "service-2.json", path: "$.operations.Op.errors", msg: "expected an array"},
	{name: "operation unknown input", main: botoModel(`"Op":{"name":"Op","input":{"shape":"Gone"}}`, okShapes), file: "service-2.json", path: "$.operations.Op.input.shape", msg: `unknown shape "Gone"`},
	{name: "operation input not structure", main: botoModel(`"Op":{"name":"Op","input":{"shape":"S"}}`, okShapes), file: "service-2.json", path: "$.operations.Op.input.shape", msg: "not a structure"},
	{name: "operation error not exception", main: botoModel(`"Op":{"name":"Op","errors":[{"shape":"In"}]}`, okShapes), file: "service-2.json", path: "$.operations.Op.errors[0].shape", msg: "not an exception"},

	// waiters-2.json.
	{name: "waiters truncated", waiters: okWaiters[:30], file: "waiters-2.json", msg: "invalid JSON"},
	{name: "waiters version", waiters: `{"version":1,"waiters":{}}`, file: "waiters-2.json", path: "$.version", msg: "unsupported waiters version"},
	{name: "waiters not object", waiters: `{"version":2,"waiters":[]}`, file: "waiters-2.json", path: "$.waiters", msg: "expected an object"},
	{name: "waiter unknown operation", waiters: `{"version":2,"waiters":{"W":{"operation":"Nope","delay":1,"maxAttempts":1,"acceptors":[]}}}`, file: "waiters-2.json", path: "$.waiters.W.operation", msg: `unknown operation "Nope"`},
	{name: "waiter bad name", waiters: `{"version":2,"waiters":{"W W":{}}}`, file: "waiters-2.json", path: `$.waiters["W W"]`, msg: "not an identifier"},
	{name: "waiter negative delay", waiters: `{"version":2,"waiters":{"W":{"operation":"Op","delay":-5,"maxAttempts":2,"acceptors":[]}}}`, file: "waiters-2.json", path: "$.waiters.W.delay", msg: "out of range"},
	{name: "waiter delay not number", waiters: `{"version":2,"waiters":{"W":{"operation":"Op","delay":"5","maxAttempts":2,"acceptors":[]}}}`, file: "waiters-2.json", path: "$.waiters.W.delay", msg: "expected an integer, got string"},
	{name: "waiter no acceptors", waiters: waiter(``), file: "waiters-2.json", path: "$.waiters.W.acceptors", msg: "no acceptors"},
	{name: "acceptor unknown matcher", waiters: waiter(`{"matcher":"regex","expected":"x","state":"success"}`), file: "waiters-2.json", path: "$.waiters.W.acceptors[0].matcher", msg: `unknown matcher "regex"`},
	{name: "acceptor unknown state", waiters: waiter(`{"matcher":"error","expected":"x","state":"done"}`), file: "waiters-2.json", path: "$.waiters.W.acceptors[0].state", msg: `unknown acceptor state "done"`},
	{name: "acceptor expected object", waiters: waiter(`{"matcher":"path","argument":"A","expected":{},"state":"success"}`), file: "waiters-2.json", path: "$.waiters.W.acceptors[0].expected", msg: "expected a string or a boolean, got object"},
	{name: "acceptor pathAll boolean", waiters: waiter(`{"matcher":"pathAll","argument":"A","expected":true,"state":"success"}`), file: "waiters-2.json", path: "$.waiters.W.acceptors[0].expected", msg: "expected a string, got boolean"},
	{name: "acceptor path without argument", waiters: waiter(`{"matcher":"path","expected":"x","state":"success"}`), file: "waiters-2.json", path: "$.waiters.W.acceptors[0]", msg: `no "argument"`},
	{name: "acceptor status not number", waiters: waiter(`{"matcher":"status","expected":"404","state":"success"}`), file: "waiters-2.json", path: "$.waiters.W.acceptors[0].expected", msg: "expected an integer, got string"},
	{name: "acceptor second bad", waiters: waiter(`{"matcher":"error","expected":"x","state":"success"},{"matcher":"error","expected":3,"state":"success"}`), file: "waiters-2.json", path: "$.waiters.W.acceptors[1].expected", msg: "got number"},

	// paginators-1.json.
	{name: "paginators truncated", paginators: okPaginators[:20], file: "paginators-1.json", msg: "invalid JSON"},
	{name: "paginators missing", paginators: `{}`, file: "paginators-1.json", path: "$", msg: `missing "pagination"`},
	{name: "paginator unknown operation", paginators: `{"pagination":{"Nope":{"input_token":"T","output_token":"T"}}}`, file: "paginators-1.json", path: "$.pagination.Nope", msg: `unknown operation "Nope"`},
	{name: "paginator several tokens", paginators: paginator(`{"input_token":["Token","Max"],"output_token":"Token"}`), file: "paginators-1.json", path: "$.pagination.Op.input_token", msg: "several paths"},
	{name: "paginator empty token list", paginators: paginator(`{"input_token":[],"output_token":"Token"}`), file: "paginators-1.json", path: "$.pagination.Op.input_token", msg: "empty list"},
	{name: "paginator token not string", paginators: paginator(`{"input_token":"Token","output_token":5}`), file: "paginators-1.json", path: "$.pagination.Op.output_token", msg: "expected a string, got number"},
	{name: "paginator no output token", paginators: paginator(`{"input_token":"Token"}`), file: "paginators-1.json", path: "$.pagination.Op", msg: "output_token"},
	{name: "paginator not a member", paginators: paginator(`{"input_token":"Token","output_token":"Token","result_key":"Things"}`), file: "paginators-1.json", path: "$.pagination.Op.result_key", msg: `"Things" is not a member of Out`},
	{name: "paginator limit not string", paginators: paginator(`{"input_token":"Token","output_token":"Token","limit_key":["Max"]}`), file: "paginators-1.json", path: "$.pagination.Op.limit_key", msg: "expected a string, got array"},
}

// input is the case's files. Cases that change the main file get no
// waiters or paginators, which might not fit the changed model; cases that
// change a sibling get the valid main model and the valid other sibling.
func (c badCase) input() Input {
	if c.main != "" {
		return Input{Name: "service-2.json", Data: []byte(c.main)}
	}
	in := Input{Name: "service-2.json", Data: []byte(botoModel(okOps, okShapes)),
		WaitersName: "waiters-2.json", Waiters: []byte(c.waiters),
		PaginatorsName: "paginators-1.json", Paginators: []byte(c.paginators)}
	if c.waiters == "" {
		in.Waiters = []byte(okWaiters)
	}
	if c.paginators == "" {
		in.Paginators = []byte(okPaginators)
	}
	return in
}

func TestBotocoreBadInput(t *testing.T) {
	// The base the cases change must itself be fine.
	if _, err := Parse(badCase{}.input()); err != nil {
		t.Fatalf("valid base model: %v", err)
	}
	for _, c := range badCases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parse(c.input())
			if err == nil {
				t.Fatal("no error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if e.File != c.file || e.Path != c.path {
				t.Errorf("error at %s %s, want %s %s: %v", e.File, e.Path, c.file, c.path, err)
			}
			if msg := err.Error(); !strings.Contains(msg, c.file) || !strings.Contains(msg, c.path) || !strings.Contains(msg, c.msg) {
				t.Errorf("error %q does not contain %q, %q and %q", msg, c.file, c.path, c.msg)
			}
		})
	}
}

func BenchmarkLoadPinned(b *testing.B) {
	dir, err := modelsrc.Pinned()
	if err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseBotocore(f *testing.F) {
	main, w, p := readFixture(f, "service-2.json"), readFixture(f, "waiters-2.json"), readFixture(f, "paginators-1.json")
	f.Add(main, w, p)
	f.Add(main, []byte(nil), []byte(nil))
	f.Add([]byte(botoModel(okOps, okShapes)), []byte(okWaiters), []byte(okPaginators))
	for _, c := range badCases {
		in := c.input()
		f.Add(in.Data, in.Waiters, in.Paginators)
	}
	f.Fuzz(func(t *testing.T, data, waiters, paginators []byte) {
		if DetectFormat(data) == FormatSmithy {
			return // the Smithy loader has its own fuzz target
		}
		in := Input{Name: "service-2.json", Data: data}
		if len(waiters) > 0 {
			in.WaitersName, in.Waiters = "waiters-2.json", waiters
		}
		if len(paginators) > 0 {
			in.PaginatorsName, in.Paginators = "paginators-1.json", paginators
		}
		svc, err := parse(in)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File == "" {
				t.Fatalf("error without a file: %T %v", err, err)
			}
			return
		}
		// A graph that loads is fully linked.
		for _, s := range svc.Shapes {
			if s.Kind == KindInvalid {
				t.Fatalf("shape %s has no kind", s.Name)
			}
			for _, m := range append(slices.Clone(s.Members), s.ListMember, s.MapKey, s.MapValue) {
				if m != nil && (m.Target == nil || svc.Shapes[m.Target.Name] != m.Target) {
					t.Fatalf("%s.%s is not linked", s.Name, m.Name)
				}
			}
		}
		for _, op := range svc.Operations {
			for _, s := range append([]*Shape{op.Input, op.Output}, op.Errors...) {
				if s != nil && s.Kind != KindStructure {
					t.Fatalf("%s uses %s, a %s", op.Name, s.Name, s.Kind)
				}
			}
		}
	})
}
