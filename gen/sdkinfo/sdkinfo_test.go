package sdkinfo

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var real struct {
	once    sync.Once
	dir     string
	version string
	sdk     *SDK
	err     error
	took    time.Duration
}

// loadReal finds and loads the pinned SDK once for all tests.
func loadReal(t testing.TB) (*SDK, string) {
	t.Helper()
	real.once.Do(func() {
		real.dir, real.version, real.err = Find()
		if real.err != nil {
			return
		}
		start := time.Now()
		real.sdk, real.err = Load(real.dir)
		real.took = time.Since(start)
	})
	if real.err != nil {
		t.Fatal(real.err)
	}
	return real.sdk, real.dir
}

func TestFind(t *testing.T) {
	dir, version, err := Find()
	if err != nil {
		t.Fatal(err)
	}
	if version != "v1.288.1" {
		t.Errorf("version = %q, want v1.288.1", version)
	}
	if !strings.HasSuffix(filepath.ToSlash(dir), "github.com/aws/aws-sdk-go-v2/service/sagemaker@"+version) {
		t.Errorf("dir = %q", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "types", "types.go")); err != nil {
		t.Error(err)
	}
}

func fieldType(t *testing.T, sdk *SDK, key, field string) string {
	t.Helper()
	s := sdk.Structs[key]
	if s == nil {
		t.Errorf("struct %s missing", key)
		return ""
	}
	f := s.Field(field)
	if f == nil {
		t.Errorf("%s has no field %s", key, field)
		return ""
	}
	return f.Type.String()
}

func TestLoadReal(t *testing.T) {
	sdk, _ := loadReal(t)
	t.Logf("Load took %v", real.took)
	if sdk.Module != ModulePath || sdk.Version != "v1.288.1" {
		t.Errorf("Module, Version = %q, %q", sdk.Module, sdk.Version)
	}
	var inputs, outputs, types, errs int
	for _, s := range sdk.Structs {
		switch {
		case s.Pkg == RootPkg && strings.HasSuffix(s.Name, "Input"):
			inputs++
		case s.Pkg == RootPkg && strings.HasSuffix(s.Name, "Output"):
			outputs++
		case s.IsError:
			errs++
		default:
			types++
		}
	}
	members, values := 0, 0
	for _, u := range sdk.Unions {
		members += len(u.Members)
	}
	for _, e := range sdk.Enums {
		values += len(e.Values)
	}
	t.Logf("structs: %d (%d inputs, %d outputs, %d types, %d errors); unions: %d (%d members); enums: %d (%d values); aliases: %d",
		len(sdk.Structs), inputs, outputs, types, errs, len(sdk.Unions), members, len(sdk.Enums), values, len(sdk.Aliases))
	if inputs < 300 || inputs != outputs || types < 800 || errs < 3 || len(sdk.Unions) < 10 || len(sdk.Enums) < 300 {
		t.Errorf("suspicious counts")
	}

	for _, c := range []struct{ key, field, want string }{
		{"sagemaker.CreateTrainingJobInput", "ResourceConfig", "*types.ResourceConfig"},
		{"sagemaker.CreateTrainingJobInput", "TrainingJobName", "*string"},
		{"sagemaker.CreateTrainingJobInput", "Tags", "[]types.Tag"},
		{"sagemaker.CreateTrainingJobInput", "HyperParameters", "map[string]string"},
		{"types.ResourceConfig", "InstanceCount", "*int32"},
		{"types.ResourceConfig", "InstanceType", "types.TrainingInstanceType"},
		{"sagemaker.DescribeTrainingJobOutput", "ResultMetadata", "middleware.Metadata"},
		{"sagemaker.DescribeTrainingJobOutput", "CreationTime", "*time.Time"},
		{"types.ResourceNotFound", "Message", "*string"},
		{"types.ResourceNotFound", "ErrorCodeOverride", "*string"},
	} {
		if got := fieldType(t, sdk, c.key, c.field); got != c.want {
			t.Errorf("%s.%s: got %q, want %q", c.key, c.field, got, c.want)
		}
	}

	in := sdk.Structs["sagemaker.CreateTrainingJobInput"]
	if rc := in.Field("ResourceConfig").Type; rc.Kind != Pointer || rc.Elem.Kind != Named || rc.Elem.Pkg != "types" ||
		rc.Elem.Path != ModulePath+"/types" || rc.Elem.Name != "ResourceConfig" {
		t.Errorf("ResourceConfig type = %+v / %+v", rc, rc.Elem)
	}
	if s := in.Field("TrainingJobName").Type.Elem; s.Pkg != "" || s.Path != "" || s.Name != "string" {
		t.Errorf("string type = %+v", s)
	}
	// Unqualified references inside package types are recorded with Pkg "types".
	if it := sdk.Structs["types.ResourceConfig"].Field("InstanceType").Type; it.Pkg != "types" || it.Path != ModulePath+"/types" {
		t.Errorf("InstanceType type = %+v", it)
	}
	out := sdk.Structs["sagemaker.DescribeTrainingJobOutput"]
	if rm := out.Field("ResultMetadata").Type; rm.Kind != Named || rm.Pkg != "middleware" || rm.Path != "github.com/aws/smithy-go/middleware" {
		t.Errorf("ResultMetadata type = %+v", rm)
	}
	if ct := out.Field("CreationTime").Type.Elem; ct.Pkg != "time" || ct.Path != "time" {
		t.Errorf("CreationTime type = %+v", ct)
	}
	if in.IsError || !sdk.Structs["types.ResourceNotFound"].IsError || sdk.Structs["types.ResourceConfig"].IsError {
		t.Error("IsError wrong")
	}

	u := sdk.Unions["types.AutoMLProblemTypeConfig"]
	if u == nil {
		t.Fatal("union types.AutoMLProblemTypeConfig missing")
	}
	m := u.Members["ImageClassificationJobConfig"]
	if m == nil {
		t.Fatalf("member ImageClassificationJobConfig missing; have %v", u.Members)
	}
	if m.GoName != "AutoMLProblemTypeConfigMemberImageClassificationJobConfig" || m.Value.String() != "types.ImageClassificationJobConfig" {
		t.Errorf("member = %q %v", m.GoName, m.Value)
	}
	if len(u.Members) != 5 {
		t.Errorf("AutoMLProblemTypeConfig has %d members, want 5", len(u.Members))
	}
	if sdk.Structs["types."+m.GoName] != nil {
		t.Error("union member struct also listed in Structs")
	}
	if sdk.Structs["types.UnknownUnionMember"] == nil {
		t.Error("types.UnknownUnionMember missing")
	}

	e := sdk.Enums["types.TrainingJobStatus"]
	if e == nil {
		t.Fatal("enum types.TrainingJobStatus missing")
	}
	if got := e.Values["InProgress"]; got != "TrainingJobStatusInProgress" {
		t.Errorf("TrainingJobStatus[InProgress] = %q", got)
	}
	if e.Underlying.String() != "string" || e.Alias {
		t.Errorf("TrainingJobStatus underlying %v, alias %v", e.Underlying, e.Alias)
	}
	// The int enum is an alias of int32.
	if a := sdk.Aliases["types.MetricPublishFrequencyInSeconds"]; a == nil || a.String() != "int32" {
		t.Errorf("alias MetricPublishFrequencyInSeconds = %v", a)
	}
	if e := sdk.Enums["types.MetricPublishFrequencyInSeconds"]; e == nil || !e.Alias || e.Underlying.String() != "int32" ||
		e.Values["10"] != "MetricPublishFrequencyInSecondsFreq10S" {
		t.Errorf("enum MetricPublishFrequencyInSeconds = %+v", e)
	}

	// Every non-builtin named type used in a field resolves to something known.
	var check func(where string, ty *Type)
	check = func(where string, ty *Type) {
		switch ty.Kind {
		case Pointer, Slice:
			check(where, ty.Elem)
		case Map:
			check(where, ty.Key)
			check(where, ty.Elem)
		case Named:
			if ty.Pkg != "types" {
				return
			}
			k := "types." + ty.Name
			if sdk.Structs[k] == nil && sdk.Unions[k] == nil && sdk.Enums[k] == nil && sdk.Aliases[k] == nil {
				t.Errorf("%s: unknown type %s", where, k)
			}
		case Interface:
		default:
			t.Errorf("%s: bad kind %v", where, ty.Kind)
		}
	}
	for k, s := range sdk.Structs {
		for _, f := range s.Fields {
			check(k+"."+f.Name, f.Type)
		}
	}
	for k, u := range sdk.Unions {
		for n, m := range u.Members {
			check(k+"."+n, m.Value)
		}
	}
}

func write(t *testing.T, dir, name, src string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fakeModule(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "sagemaker@v9.9.9")
	write(t, dir, "go.mod", "module example.com/fake/sagemaker // comment\n\ngo 1.24\n")
	write(t, dir, "api_op_DoThing.go", `package sagemaker

import (
	"context"
	"example.com/fake/sagemaker/types"
	mw "github.com/aws/smithy-go/middleware"
	smithydocument "github.com/aws/smithy-go/document"
	"time"
)

func (c *Client) DoThing(ctx context.Context, params *DoThingInput) (*DoThingOutput, error) { return nil, nil }

type DoThingInput struct {
	// Name is documented.
	Name *string
	Config *types.Config
	Tags []types.Tag
	Labels map[string]string
	Nested map[string][]*types.Config
	When *time.Time
	Doc smithydocument.Interface
	Anything any
	Empty interface{}
	Opts *Options
	A, B int32
	hidden string

	noSmithyDocumentSerde
}

type DoThingOutput struct {
	Kind types.Kind
	Choice types.Choice
	ResultMetadata mw.Metadata
	noSmithyDocumentSerde
}

type DoThingPaginatorOptions struct {
	Fn func() error
}

type OtherInput struct {
	Fn func() error
}
`)
	write(t, dir, "api_op_DoThing_test.go", "package sagemaker\n\nthis is not Go\n")
	write(t, dir, "api_client.go", "package sagemaker\n\nthis is not parsed either\n")
	write(t, dir, "types/types.go", `package types

import (
	smithy "github.com/aws/smithy-go"
	smithydocument "github.com/aws/smithy-go/document"
	"time"
)

type Config struct {
	Count *int32
	Kind Kind
	Inner *Config
	Blob []byte
	At *time.Time
	Freq Freq
	Err smithy.ErrorFault
	embedded
	*Tag
	noSmithyDocumentSerde
}

func (v *Config) Serialize() { if v == nil { return } }

type Tag struct {
	Key, Value *string
}

// Choice is a union.
//
// The following types satisfy this interface:
//
//	ChoiceMemberS3
//	ChoiceMemberNames
type Choice interface {
	isChoice()
}

type ChoiceMemberS3 struct {
	Value Config

	noSmithyDocumentSerde
}

func (*ChoiceMemberS3) isChoice() {}

type ChoiceMemberNames struct {
	Value []string

	noSmithyDocumentSerde
}

func (*ChoiceMemberNames) isChoice() {}

type NotAUnion interface {
	Other()
}

type Freq = int32

type UnknownUnionMember struct {
	Tag   string
	Value []byte

	noSmithyDocumentSerde
}

func (*UnknownUnionMember) isChoice() {}

type embedded struct{ X int }

type noSmithyDocumentSerde = smithydocument.NoSerde
`)
	write(t, dir, "types/enums.go", `package types

type Kind string

// Enum values for Kind
const (
	KindOne   Kind = "one"
	KindTwo   Kind = "TWO"
	KindThree Kind = "three-3"
)

func (Kind) Values() []Kind {
	return []Kind{"one", "TWO", "three-3"}
}

type Empty string

type Level = int32

// Enum values for Level
const (
	// Low is low.
	LevelLow  Level = 10
	LevelHigh Level = 20
)

const notAnEnum = "x"
`)
	write(t, dir, "types/errors.go", `package types

import "fmt"

type Oops struct {
	Message *string

	ErrorCodeOverride *string

	Reason Kind

	noSmithyDocumentSerde
}

func (e *Oops) Error() string { return fmt.Sprint(e.Message) }
`)
	write(t, dir, "types/types_test.go", "package types\n\nnot Go\n")
	return dir
}

func TestLoadFake(t *testing.T) {
	dir := fakeModule(t)
	sdk, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if sdk.Module != "example.com/fake/sagemaker" || sdk.Version != "v9.9.9" {
		t.Errorf("Module, Version = %q, %q", sdk.Module, sdk.Version)
	}
	var keys []string
	for k := range sdk.Structs {
		keys = append(keys, k)
	}
	if len(sdk.Structs) != 6 {
		t.Errorf("structs = %v, want DoThingInput, DoThingOutput, Config, Tag, UnknownUnionMember, Oops", keys)
	}

	type fc struct{ name, typ string }
	wantFields := map[string][]fc{
		"sagemaker.DoThingInput": {
			{"Name", "*string"}, {"Config", "*types.Config"}, {"Tags", "[]types.Tag"},
			{"Labels", "map[string]string"}, {"Nested", "map[string][]*types.Config"},
			{"When", "*time.Time"}, {"Doc", "document.Interface"}, {"Anything", "any"},
			{"Empty", "any"}, {"Opts", "*Options"}, {"A", "int32"}, {"B", "int32"},
		},
		"sagemaker.DoThingOutput": {
			{"Kind", "types.Kind"}, {"Choice", "types.Choice"}, {"ResultMetadata", "middleware.Metadata"},
		},
		"types.Config": {
			{"Count", "*int32"}, {"Kind", "types.Kind"}, {"Inner", "*types.Config"}, {"Blob", "[]byte"},
			{"At", "*time.Time"}, {"Freq", "types.Freq"}, {"Err", "smithy.ErrorFault"},
		},
		"types.Tag":                {{"Key", "*string"}, {"Value", "*string"}},
		"types.UnknownUnionMember": {{"Tag", "string"}, {"Value", "[]byte"}},
		"types.Oops":               {{"Message", "*string"}, {"ErrorCodeOverride", "*string"}, {"Reason", "types.Kind"}},
	}
	for key, want := range wantFields {
		s := sdk.Structs[key]
		if s == nil {
			t.Errorf("struct %s missing", key)
			continue
		}
		if s.Key() != key {
			t.Errorf("%s: Key() = %q", key, s.Key())
		}
		var got []fc
		for _, f := range s.Fields {
			got = append(got, fc{f.Name, f.Type.String()})
		}
		if len(got) != len(want) {
			t.Errorf("%s fields = %v, want %v", key, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s field %d = %v, want %v", key, i, got[i], want[i])
			}
		}
		if s.IsError != (key == "types.Oops") {
			t.Errorf("%s IsError = %v", key, s.IsError)
		}
	}

	in := sdk.Structs["sagemaker.DoThingInput"]
	if in.Field("hidden") != nil || in.Field("Missing") != nil {
		t.Error("Field found an unexported or missing field")
	}
	checks := []struct {
		ty         *Type
		kind       TypeKind
		pkg, path  string
		name       string
		elemString string
	}{
		{in.Field("Name").Type, Pointer, "", "", "", "string"},
		{in.Field("Name").Type.Elem, Named, "", "", "string", ""},
		{in.Field("Config").Type.Elem, Named, "types", "example.com/fake/sagemaker/types", "Config", ""},
		{in.Field("Tags").Type, Slice, "", "", "", "types.Tag"},
		{in.Field("Labels").Type, Map, "", "", "", "string"},
		{in.Field("When").Type.Elem, Named, "time", "time", "Time", ""},
		{in.Field("Doc").Type, Named, "document", "github.com/aws/smithy-go/document", "Interface", ""},
		{in.Field("Anything").Type, Interface, "", "", "", ""},
		{in.Field("Opts").Type.Elem, Named, "sagemaker", "example.com/fake/sagemaker", "Options", ""},
		{sdk.Structs["sagemaker.DoThingOutput"].Field("ResultMetadata").Type, Named, "middleware", "github.com/aws/smithy-go/middleware", "Metadata", ""},
		{sdk.Structs["types.Config"].Field("Kind").Type, Named, "types", "example.com/fake/sagemaker/types", "Kind", ""},
		{sdk.Structs["types.Config"].Field("Err").Type, Named, "smithy", "github.com/aws/smithy-go", "ErrorFault", ""},
	}
	for i, c := range checks {
		ty := c.ty
		if ty.Kind != c.kind || ty.Pkg != c.pkg || ty.Path != c.path || ty.Name != c.name {
			t.Errorf("check %d: got %v %q %q %q, want %v %q %q %q", i, ty.Kind, ty.Pkg, ty.Path, ty.Name, c.kind, c.pkg, c.path, c.name)
		}
		if c.elemString != "" && ty.Elem.String() != c.elemString {
			t.Errorf("check %d: elem %v, want %s", i, ty.Elem, c.elemString)
		}
	}
	if k := in.Field("Labels").Type.Key; k.String() != "string" {
		t.Errorf("map key = %v", k)
	}

	if len(sdk.Unions) != 1 {
		t.Errorf("unions = %v", sdk.Unions)
	}
	u := sdk.Unions["types.Choice"]
	if u == nil {
		t.Fatal("union types.Choice missing")
	}
	if u.Name != "Choice" || u.Pkg != "types" || len(u.Members) != 2 {
		t.Errorf("union = %+v", u)
	}
	for name, want := range map[string][2]string{
		"S3":    {"ChoiceMemberS3", "types.Config"},
		"Names": {"ChoiceMemberNames", "[]string"},
	} {
		m := u.Members[name]
		if m == nil {
			t.Errorf("member %s missing", name)
			continue
		}
		if m.GoName != want[0] || m.Value.String() != want[1] {
			t.Errorf("member %s = %s %v, want %v", name, m.GoName, m.Value, want)
		}
	}

	if len(sdk.Enums) != 3 {
		t.Errorf("enums = %v", sdk.Enums)
	}
	e := sdk.Enums["types.Kind"]
	if e == nil || e.Name != "Kind" || e.Pkg != "types" {
		t.Fatalf("enum types.Kind = %+v", e)
	}
	want := map[string]string{"one": "KindOne", "TWO": "KindTwo", "three-3": "KindThree"}
	if len(e.Values) != len(want) {
		t.Errorf("Kind values = %v", e.Values)
	}
	for v, n := range want {
		if e.Values[v] != n {
			t.Errorf("Kind[%q] = %q, want %q", v, e.Values[v], n)
		}
	}
	if e.Underlying.String() != "string" || e.Alias {
		t.Errorf("Kind: Underlying %v, Alias %v", e.Underlying, e.Alias)
	}
	if e := sdk.Enums["types.Empty"]; e == nil || len(e.Values) != 0 {
		t.Errorf("enum types.Empty = %+v", e)
	}
	if e := sdk.Enums["types.Level"]; e == nil || !e.Alias || e.Underlying.String() != "int32" || len(e.Values) != 2 ||
		e.Values["10"] != "LevelLow" || e.Values["20"] != "LevelHigh" {
		t.Errorf("enum types.Level = %+v", e)
	}
	if len(sdk.Aliases) != 2 || sdk.Aliases["types.Freq"].String() != "int32" || sdk.Aliases["types.Level"].String() != "int32" {
		t.Errorf("aliases = %v", sdk.Aliases)
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("Load of an empty folder succeeded")
	}

	dir := fakeModule(t)
	write(t, dir, "api_op_Bad.go", "package sagemaker\n\ntype BadInput struct {\n\tF func()\n}\n")
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "BadInput.F") {
		t.Errorf("unsupported field type: err = %v", err)
	}

	dir = fakeModule(t)
	write(t, dir, "api_op_Bad.go", "package sagemaker\n\ntype BadInput struct {\n\tF *nope.T\n}\n")
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "not imported") {
		t.Errorf("unknown package: err = %v", err)
	}

	dir = fakeModule(t)
	write(t, dir, "api_op_Bad.go", "package sagemaker\n\ntype BadInput struct {\n")
	if _, err := Load(dir); err == nil {
		t.Error("syntax error not reported")
	}

	dir = fakeModule(t)
	write(t, dir, "types/errors.go", "package types\n\ntype Odd struct{}\n\nfunc (*Odd) isChoice() {}\n")
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "Odd") {
		t.Errorf("badly named union member: err = %v", err)
	}
}

func TestTypeString(t *testing.T) {
	str := &Type{Kind: Named, Name: "string"}
	for _, c := range []struct {
		ty   *Type
		want string
	}{
		{str, "string"},
		{&Type{Kind: Pointer, Elem: &Type{Kind: Named, Pkg: "types", Name: "ResourceConfig"}}, "*types.ResourceConfig"},
		{&Type{Kind: Slice, Elem: &Type{Kind: Named, Pkg: "types", Name: "Channel"}}, "[]types.Channel"},
		{&Type{Kind: Map, Key: str, Elem: str}, "map[string]string"},
		{&Type{Kind: Pointer, Elem: &Type{Kind: Named, Pkg: "time", Path: "time", Name: "Time"}}, "*time.Time"},
		{&Type{Kind: Pointer, Elem: &Type{Kind: Named, Pkg: "sagemaker", Name: "Options"}}, "*Options"},
		{&Type{Kind: Interface}, "any"},
		{&Type{}, "<invalid>"},
	} {
		if got := c.ty.String(); got != c.want {
			t.Errorf("String() = %q, want %q", got, c.want)
		}
	}
	if Named.String() != "Named" || TypeKind(42).String() != "TypeKind(42)" {
		t.Error("TypeKind.String")
	}
}

func TestGuessPkgName(t *testing.T) {
	for p, want := range map[string]string{
		"time":                                   "time",
		"github.com/aws/smithy-go/document":      "document",
		"github.com/aws/smithy-go":               "smithy-go",
		"github.com/aws/x/internal/endpoints/v2": "endpoints",
		"v2":                                     "v2",
	} {
		if got := guessPkgName(p); got != want {
			t.Errorf("guessPkgName(%q) = %q, want %q", p, got, want)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	_, dir := loadReal(b)
	for b.Loop() {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
