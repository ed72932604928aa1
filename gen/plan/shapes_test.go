package plan

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/modelsrc"
	"github.com/smcore-go/smcore/gen/resource"
	"github.com/smcore-go/smcore/gen/sdkinfo"
)

// The plan of a shape is pinned as one line per member, in a notation
// close to the Go it becomes:
//
//	Field Type `json` rule presence [checks] sdk SDKName: to … from …
//
// where a conversion is written as the expression it renders to, on the
// operand x.

func typeString(t *GoType) string {
	switch t.Kind {
	case TypePointer:
		return "*" + typeString(t.Elem)
	case TypeSlice:
		return "[]" + typeString(t.Elem)
	case TypeMap:
		return "map[" + typeString(t.Key) + "]" + typeString(t.Elem)
	case TypeAny:
		return "any"
	}
	if t.Path != "" {
		return filepath.Base(t.Path) + "." + t.Name
	}
	return t.Name
}

func bounds[T int64 | float64](lo, hi *T) string {
	s := func(p *T) string {
		if p == nil {
			return ""
		}
		return fmt.Sprint(*p)
	}
	return s(lo) + ".." + s(hi)
}

func checksString(cs []Check) string {
	var out []string
	for _, c := range cs {
		var s string
		switch c.Kind {
		case CheckString:
			s = "str(" + bounds(c.MinLen, c.MaxLen)
			if c.Pattern >= 0 {
				s += ",pattern"
			}
			if c.Sensitive {
				s += ",sensitive"
			}
			if c.AsString {
				s += ",as string"
			}
			s += ")"
		case CheckEnum:
			s = "enum"
		case CheckInt:
			s = "int(" + bounds(c.Min, c.Max) + ")"
		case CheckFloat:
			s = "float(" + bounds(c.Min, c.Max) + ")"
		case CheckCount:
			s = "count(" + bounds(c.MinLen, c.MaxLen) + ")"
		case CheckNested:
			s = "validate"
		case CheckItems:
			s = "items" + checksString(c.Items)
		case CheckEntries:
			s = "entries{key" + checksString(c.Key) + " value" + checksString(c.Value)
			if c.KeyEnum != "" {
				s += " key as " + c.KeyEnum
			}
			if c.CopyValue {
				s += " copied"
			}
			s += "}"
		}
		out = append(out, s)
	}
	return "[" + strings.Join(out, " ") + "]"
}

func wrapString(w Wrap, x string) string {
	switch w {
	case WrapStar:
		return "*" + x
	case WrapAddr:
		return "&" + x
	case WrapDeref:
		return "deref(" + x + ")"
	case WrapNonZero:
		return "nonZero(" + x + ")"
	case WrapPtrOf:
		return "ptrOf(" + x + ")"
	case WrapNonZeroTime:
		return "nonZeroTime(" + x + ")"
	}
	return x
}

func convString(c Conv, x string) string {
	switch c.Form {
	case ConvEnum, ConvEnumString:
		return wrapString(c.Result, typeString(c.Type)+"("+wrapString(c.Arg, x)+")")
	case ConvStructure, ConvUnion:
		if c.Method != "" {
			recv := wrapString(c.Arg, x)
			if c.Arg == WrapAddr {
				recv = "(" + recv + ")"
			}
			return wrapString(c.Result, recv+"."+c.Method+"()")
		}
		return wrapString(c.Result, c.Func+"("+wrapString(c.Arg, x)+")")
	case ConvList, ConvMap:
		if c.Func == "" {
			return x
		}
		return c.Func + "(" + x + ")"
	}
	return wrapString(c.Result, x)
}

var (
	ruleNames     = map[Rule]string{RuleOptional: "optional", RuleRequired: "required", RuleAlways: "always"}
	presenceNames = map[Presence]string{PresentNonEmpty: "!=\"\"", PresentNonZero: "!IsZero", PresentNonNil: "!=nil", PresentPointer: "*!=nil"}
)

func memberString(m *Member) string {
	s := fmt.Sprintf("%s %s `%s` %s %s %s", m.Field, typeString(m.Type), m.JSON, ruleNames[m.Rule], presenceNames[m.Presence], checksString(m.Checks))
	if m.Sensitive {
		s += " sensitive"
	}
	if m.SDK == nil {
		return s + " no sdk"
	}
	return s + fmt.Sprintf(" sdk %s: to %s from %s", m.SDK.SDKName, convString(m.SDK.To, "x"), convString(m.SDK.From, "x"))
}

// shapeString is a shape's decisions, then one line per member.
func shapeString(s *Shape) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s in %s", s.Name, s.File)
	for _, f := range []struct {
		on   bool
		what string
	}{{s.Kind == ShapeUnion, "union"}, {s.Kind == ShapeEnum, "enum"}, {s.Exclusive, "exclusive"}, {s.Validates, "validates"}, {s.Sensitive, "sensitive"}} {
		if f.on {
			b.WriteString(" " + f.what)
		}
	}
	if s.SDK != nil {
		b.WriteString(" sdk " + typeString(s.SDK))
	}
	b.WriteString("\n")
	for _, m := range s.Members {
		b.WriteString("  " + memberString(m) + "\n")
	}
	for _, c := range s.Consts {
		fmt.Fprintf(&b, "  %s = %q\n", c.Name, c.Value)
	}
	return b.String()
}

// pin compares the plan of each named shape with want, line by line.
func pin(t *testing.T, sp *Shapes, svc *model.Service, want map[string]string) {
	t.Helper()
	for _, name := range slices.Sorted(maps.Keys(want)) {
		ms := svc.Shapes[name]
		if ms == nil || sp.ByModel[ms] == nil {
			t.Errorf("%s: not planned", name)
			continue
		}
		got := shapeString(sp.ByModel[ms])
		w := strings.TrimLeft(want[name], "\n")
		if got != w {
			t.Errorf("plan of %s:\n got:\n%s\nwant:\n%s", name, got, w)
		}
	}
}

func fixturePlan(t *testing.T) (*Shapes, *model.Service) {
	t.Helper()
	fixture := filepath.Join("..", "emit", "testdata", "fixture")
	svc, err := model.Load(filepath.Join(fixture, "botocore"))
	if err != nil {
		t.Fatal(err)
	}
	sdk, err := sdkinfo.Load(filepath.Join(fixture, "sdk"))
	if err != nil {
		t.Fatal(err)
	}
	set, err := resource.Discover(svc, &resource.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	sp, err := BuildShapes(svc, set, sdk)
	if err != nil {
		t.Fatal(err)
	}
	return sp, svc
}

// TestShapesPlanFixture pins the decisions for the fixture model, whose
// CreateWidgetInput has a member of every kind.
func TestShapesPlanFixture(t *testing.T) {
	sp, svc := fixturePlan(t)
	pin(t, sp, svc, map[string]string{
		"CreateWidgetInput": `
CreateWidgetInput in zz_widget.go validates sensitive sdk sagemaker.CreateWidgetInput
  WidgetName string ` + "`WidgetName`" + ` required !="" [str(1..32,pattern)] sdk WidgetName: to ptrOf(x) from deref(x)
  Mode WidgetMode ` + "`Mode`" + ` required !="" [enum] sdk Mode: to types.WidgetMode(x) from WidgetMode(x)
  Size *int32 ` + "`Size,omitzero`" + ` optional *!=nil [int(1..10)] sdk Size: to x from x
  Count *int64 ` + "`Count,omitzero`" + ` optional *!=nil [int(0..)] sdk Count: to x from x
  Ratio *float64 ` + "`Ratio,omitzero`" + ` optional *!=nil [float(0..1.5)] sdk Ratio: to x from x
  Enabled *bool ` + "`Enabled,omitzero`" + ` optional *!=nil [] sdk Enabled: to x from x
  Secret string ` + "`Secret,omitzero`" + ` optional !="" [str(..64,pattern,sensitive)] sensitive sdk Secret: to nonZero(x) from deref(x)
  Tags []Tag ` + "`Tags,omitzero`" + ` optional !=nil [count(0..50) items[validate]] sdk Tags: to sliceTagToSDK(x) from sliceTagFromSDK(x)
  Labels map[string]string ` + "`Labels,omitzero`" + ` optional !=nil [count(..10) entries{key[str(1..128)] value[]}] sdk Labels: to x from x
  Config *WidgetConfig ` + "`Config,omitzero`" + ` optional !=nil [validate] sdk Config: to x.ToSDK() from WidgetConfigFromSDK(x)
  Matrix [][]int32 ` + "`Matrix,omitzero`" + ` optional !=nil [items[items[int(1..10)]]] sdk Matrix: to x from x
  NotBefore time.Time ` + "`NotBefore,omitzero`" + ` optional !IsZero [] sdk NotBefore: to nonZeroTime(x) from deref(x)
  ClientToken string ` + "`ClientToken,omitzero`" + ` optional !="" [str(1..64)] sdk ClientToken: to nonZero(x) from deref(x)
  Legacy string ` + "`Legacy,omitzero`" + ` optional !="" [] sdk Legacy: to nonZero(x) from deref(x)
`,
		"WidgetMode": `
WidgetMode in zz_widget.go enum
  WidgetModeFastMode = "FAST_MODE"
  WidgetModeSlowMode = "SlowMode"
  WidgetModeMlM5Xlarge = "ml.m5.xlarge"
`,
		"WidgetConfig": `
WidgetConfig in zz_widget.go union exclusive validates sdk types.WidgetConfig
  Small *SmallConfig ` + "`Small,omitzero`" + ` optional !=nil [validate] sdk WidgetConfigMemberSmall: to *x.ToSDK() from SmallConfigFromSDK(&x)
  Named *string ` + "`Named,omitzero`" + ` optional *!=nil [str(1..32,pattern)] sdk WidgetConfigMemberNamed: to deref(x) from nonZero(x)
  Counts []int32 ` + "`Counts,omitzero`" + ` optional !=nil [items[int(1..10)]] sdk WidgetConfigMemberCounts: to x from x
`,
	})
	var helpers []string
	for _, h := range sp.Helpers {
		helpers = append(helpers, fmt.Sprintf("%s(%s) %s: %s", h.Name, typeString(h.In), typeString(h.Out), convString(h.Elem, "in[i]")))
	}
	if got := helpers; !slices.Equal(got, []string{
		"sliceTagFromSDK([]types.Tag) []Tag: *TagFromSDK(&in[i])",
		"sliceTagToSDK([]Tag) []types.Tag: *in[i].ToSDK()",
	}) {
		t.Errorf("helpers: %q", got)
	}
	var files []string
	for _, f := range sp.Files {
		files = append(files, f.Name)
	}
	if want := []string{"zz_errors.go", "zz_widget.go"}; !slices.Equal(files, want) {
		t.Errorf("files %v", files)
	}
	if sp.Structures != 7 || sp.Unions != 1 || sp.Enums != 1 || len(sp.SDKMissing) != 0 {
		t.Errorf("counts %d/%d/%d, missing %v", sp.Structures, sp.Unions, sp.Enums, sp.SDKMissing)
	}
}

// TestShapesPlanWithoutSDK: without the SDK's types nothing converts, and
// the rest of the plan is the same.
func TestShapesPlanWithoutSDK(t *testing.T) {
	with, _ := fixturePlan(t)
	svc, err := model.Load(filepath.Join("..", "emit", "testdata", "fixture", "botocore"))
	if err != nil {
		t.Fatal(err)
	}
	without, err := BuildShapes(svc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if without.Conversions != 0 || len(without.Helpers) != 0 {
		t.Errorf("without the SDK: %d conversions, %d helpers", without.Conversions, len(without.Helpers))
	}
	for i, s := range without.Shapes {
		if s.SDK != nil || s.Name != with.Shapes[i].Name || s.Validates != with.Shapes[i].Validates {
			t.Errorf("%s: planned differently without the SDK", s.Name)
		}
	}
}

// TestShapesPlanPinned pins the plan of known shapes of the pinned model:
// TrainingJob's create input, a union, a structure the SDK models as a
// union, an enum and a sensitive member.
func TestShapesPlanPinned(t *testing.T) {
	dir, err := modelsrc.Pinned()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	svc, err := model.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	sdkDir, _, err := sdkinfo.Find()
	if err != nil {
		t.Fatal(err)
	}
	sdk, err := sdkinfo.Load(sdkDir)
	if err != nil {
		t.Fatal(err)
	}
	ov, err := resource.DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	set, err := resource.DiscoverWith(svc, ov, resource.DiscoverOptions{StrictOverrides: true})
	if err != nil {
		t.Fatal(err)
	}
	sp, err := BuildShapes(svc, set, sdk)
	if err != nil {
		t.Fatal(err)
	}
	tag := func(s string) string { return "`" + s + "`" }
	pin(t, sp, svc, map[string]string{
		"CreateTrainingJobInput": `
CreateTrainingJobInput in zz_training_job.go validates sdk sagemaker.CreateTrainingJobInput
  TrainingJobName string ` + tag("TrainingJobName") + ` required !="" [str(1..63,pattern)] sdk TrainingJobName: to ptrOf(x) from deref(x)
  HyperParameters map[string]string ` + tag("HyperParameters,omitzero") + ` optional !=nil [count(0..100) entries{key[str(0..256,pattern)] value[str(0..2500,pattern)]}] sdk HyperParameters: to x from x
  AlgorithmSpecification *AlgorithmSpecification ` + tag("AlgorithmSpecification,omitzero") + ` optional !=nil [validate] sdk AlgorithmSpecification: to x.ToSDK() from AlgorithmSpecificationFromSDK(x)
  RoleArn string ` + tag("RoleArn") + ` required !="" [str(20..2048,pattern)] sdk RoleArn: to ptrOf(x) from deref(x)
  InputDataConfig []Channel ` + tag("InputDataConfig,omitzero") + ` optional !=nil [count(1..20) items[validate]] sdk InputDataConfig: to sliceChannelToSDK(x) from sliceChannelFromSDK(x)
  OutputDataConfig *OutputDataConfig ` + tag("OutputDataConfig,omitzero") + ` required !=nil [validate] sdk OutputDataConfig: to x.ToSDK() from OutputDataConfigFromSDK(x)
  ResourceConfig *ResourceConfig ` + tag("ResourceConfig,omitzero") + ` optional !=nil [validate] sdk ResourceConfig: to x.ToSDK() from ResourceConfigFromSDK(x)
  VpcConfig *VpcConfig ` + tag("VpcConfig,omitzero") + ` optional !=nil [validate] sdk VpcConfig: to x.ToSDK() from VpcConfigFromSDK(x)
  StoppingCondition *StoppingCondition ` + tag("StoppingCondition,omitzero") + ` optional !=nil [validate] sdk StoppingCondition: to x.ToSDK() from StoppingConditionFromSDK(x)
  Tags []Tag ` + tag("Tags,omitzero") + ` optional !=nil [count(0..50) items[validate]] sdk Tags: to sliceTagToSDK(x) from sliceTagFromSDK(x)
  EnableNetworkIsolation *bool ` + tag("EnableNetworkIsolation,omitzero") + ` optional *!=nil [] sdk EnableNetworkIsolation: to x from x
  EnableInterContainerTrafficEncryption *bool ` + tag("EnableInterContainerTrafficEncryption,omitzero") + ` optional *!=nil [] sdk EnableInterContainerTrafficEncryption: to x from x
  EnableManagedSpotTraining *bool ` + tag("EnableManagedSpotTraining,omitzero") + ` optional *!=nil [] sdk EnableManagedSpotTraining: to x from x
  CheckpointConfig *CheckpointConfig ` + tag("CheckpointConfig,omitzero") + ` optional !=nil [validate] sdk CheckpointConfig: to x.ToSDK() from CheckpointConfigFromSDK(x)
  DebugHookConfig *DebugHookConfig ` + tag("DebugHookConfig,omitzero") + ` optional !=nil [validate] sdk DebugHookConfig: to x.ToSDK() from DebugHookConfigFromSDK(x)
  DebugRuleConfigurations []DebugRuleConfiguration ` + tag("DebugRuleConfigurations,omitzero") + ` optional !=nil [count(0..20) items[validate]] sdk DebugRuleConfigurations: to sliceDebugRuleConfigurationToSDK(x) from sliceDebugRuleConfigurationFromSDK(x)
  TensorBoardOutputConfig *TensorBoardOutputConfig ` + tag("TensorBoardOutputConfig,omitzero") + ` optional !=nil [validate] sdk TensorBoardOutputConfig: to x.ToSDK() from TensorBoardOutputConfigFromSDK(x)
  ExperimentConfig *ExperimentConfig ` + tag("ExperimentConfig,omitzero") + ` optional !=nil [validate] sdk ExperimentConfig: to x.ToSDK() from ExperimentConfigFromSDK(x)
  ProfilerConfig *ProfilerConfig ` + tag("ProfilerConfig,omitzero") + ` optional !=nil [validate] sdk ProfilerConfig: to x.ToSDK() from ProfilerConfigFromSDK(x)
  ProfilerRuleConfigurations []ProfilerRuleConfiguration ` + tag("ProfilerRuleConfigurations,omitzero") + ` optional !=nil [count(0..20) items[validate]] sdk ProfilerRuleConfigurations: to sliceProfilerRuleConfigurationToSDK(x) from sliceProfilerRuleConfigurationFromSDK(x)
  Environment map[string]string ` + tag("Environment,omitzero") + ` optional !=nil [count(0..100) entries{key[str(0..512,pattern)] value[str(0..512,pattern)]}] sdk Environment: to x from x
  RetryStrategy *RetryStrategy ` + tag("RetryStrategy,omitzero") + ` optional !=nil [validate] sdk RetryStrategy: to x.ToSDK() from RetryStrategyFromSDK(x)
  RemoteDebugConfig *RemoteDebugConfig ` + tag("RemoteDebugConfig,omitzero") + ` optional !=nil [] sdk RemoteDebugConfig: to x.ToSDK() from RemoteDebugConfigFromSDK(x)
  InfraCheckConfig *InfraCheckConfig ` + tag("InfraCheckConfig,omitzero") + ` optional !=nil [] sdk InfraCheckConfig: to x.ToSDK() from InfraCheckConfigFromSDK(x)
  SessionChainingConfig *SessionChainingConfig ` + tag("SessionChainingConfig,omitzero") + ` optional !=nil [] sdk SessionChainingConfig: to x.ToSDK() from SessionChainingConfigFromSDK(x)
  ServerlessJobConfig *ServerlessJobConfig ` + tag("ServerlessJobConfig,omitzero") + ` optional !=nil [validate] sdk ServerlessJobConfig: to x.ToSDK() from ServerlessJobConfigFromSDK(x)
  MlflowConfig *MlflowConfig ` + tag("MlflowConfig,omitzero") + ` optional !=nil [validate] sdk MlflowConfig: to x.ToSDK() from MlflowConfigFromSDK(x)
  ModelPackageConfig *ModelPackageConfig ` + tag("ModelPackageConfig,omitzero") + ` optional !=nil [validate] sdk ModelPackageConfig: to x.ToSDK() from ModelPackageConfigFromSDK(x)
`,
		"AutoMLProblemTypeConfig": `
AutoMLProblemTypeConfig in zz_auto_ml_job_v2.go union exclusive validates sdk types.AutoMLProblemTypeConfig
  ImageClassificationJobConfig *ImageClassificationJobConfig ` + tag("ImageClassificationJobConfig,omitzero") + ` optional !=nil [validate] sdk AutoMLProblemTypeConfigMemberImageClassificationJobConfig: to *x.ToSDK() from ImageClassificationJobConfigFromSDK(&x)
  TextClassificationJobConfig *TextClassificationJobConfig ` + tag("TextClassificationJobConfig,omitzero") + ` optional !=nil [validate] sdk AutoMLProblemTypeConfigMemberTextClassificationJobConfig: to *x.ToSDK() from TextClassificationJobConfigFromSDK(&x)
  TimeSeriesForecastingJobConfig *TimeSeriesForecastingJobConfig ` + tag("TimeSeriesForecastingJobConfig,omitzero") + ` optional !=nil [validate] sdk AutoMLProblemTypeConfigMemberTimeSeriesForecastingJobConfig: to *x.ToSDK() from TimeSeriesForecastingJobConfigFromSDK(&x)
  TabularJobConfig *TabularJobConfig ` + tag("TabularJobConfig,omitzero") + ` optional !=nil [validate] sdk AutoMLProblemTypeConfigMemberTabularJobConfig: to *x.ToSDK() from TabularJobConfigFromSDK(&x)
  TextGenerationJobConfig *TextGenerationJobConfig ` + tag("TextGenerationJobConfig,omitzero") + ` optional !=nil [validate] sdk AutoMLProblemTypeConfigMemberTextGenerationJobConfig: to *x.ToSDK() from TextGenerationJobConfigFromSDK(&x)
`,
		"TrialComponentParameterValue": `
TrialComponentParameterValue in zz_shared_p-w.go exclusive validates sdk types.TrialComponentParameterValue
  StringValue *string ` + tag("StringValue,omitzero") + ` optional *!=nil [str(0..2500,pattern)] sdk TrialComponentParameterValueMemberStringValue: to deref(x) from nonZero(x)
  NumberValue *float64 ` + tag("NumberValue,omitzero") + ` optional *!=nil [] sdk TrialComponentParameterValueMemberNumberValue: to deref(x) from nonZero(x)
`,
		"TrainingJobStatus": `
TrainingJobStatus in zz_enums.go enum
  TrainingJobStatusInProgress = "InProgress"
  TrainingJobStatusCompleted = "Completed"
  TrainingJobStatusFailed = "Failed"
  TrainingJobStatusStopping = "Stopping"
  TrainingJobStatusStopped = "Stopped"
  TrainingJobStatusDeleting = "Deleting"
`,
	})
	// A sensitive member is tagged and redacted, and so is every shape
	// holding it, at any depth.
	oidc := sp.ByModel[svc.Shapes["OidcConfig"]]
	var secret *Member
	for _, m := range oidc.Members {
		if m.Name == "ClientSecret" {
			secret = m
		}
	}
	if secret == nil || !secret.Sensitive || !oidc.Sensitive || oidc.File != "zz_workforce.go" ||
		!slices.ContainsFunc(secret.Checks, func(c Check) bool { return c.Kind == CheckString && c.Sensitive }) ||
		!slices.Contains(secret.Doc, "Required. Length 1 to 1024. Pattern (whole value): [ -~]+ Sensitive: redacted by String and in errors.") {
		t.Errorf("OidcConfig.ClientSecret: %+v, doc %q", secret, secret.Doc)
	}
	for _, outer := range []string{"CreateWorkforceInput", "UpdateWorkforceInput"} {
		if !sp.ByModel[svc.Shapes[outer]].Sensitive {
			t.Errorf("%s holds OidcConfig but is not sensitive", outer)
		}
	}
	// No file above the bound, and every shape in exactly one file.
	seen := map[*Shape]string{}
	for _, f := range sp.Files {
		for _, s := range f.Shapes {
			if prev, ok := seen[s]; ok {
				t.Errorf("%s in %s and %s", s.Name, prev, f.Name)
			}
			seen[s] = f.Name
			if s.File != f.Name {
				t.Errorf("%s: File %s, listed in %s", s.Name, s.File, f.Name)
			}
		}
	}
	if len(seen) != len(sp.Shapes) {
		t.Errorf("%d shapes in files, %d planned", len(seen), len(sp.Shapes))
	}
}

func TestGoPattern(t *testing.T) {
	for _, c := range []struct {
		in, want  string
		loose, ok bool
	}{
		{`[a-z]+`, `^(?:[a-z]+)$`, false, true},
		{`^[a-z]+$`, `^(?:[a-z]+)$`, false, true},
		{`a\$`, `^(?:a\$)$`, false, true},
		{`.{0,4096}`, `^(?:.{0,})$`, true, true},
		{`[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*`, `^(?:[\x{0020}-\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}\t]*)$`, false, true},
		{`arn:[\p{Alnum}\-]+:x`, `^(?:arn:[[:alnum:]\-]+:x)$`, false, true},
		{`\p{Alnum}+`, `^(?:[[:alnum:]]+)$`, false, true},
		{`(?!\s*$).+`, "", false, false},
	} {
		got, loose, ok := goPattern(c.in, false)
		if ok != c.ok || (ok && (got != c.want || loose != c.loose)) {
			t.Errorf("goPattern(%q) = %q, %v, %v; want %q, %v, %v", c.in, got, loose, ok, c.want, c.loose, c.ok)
		}
	}
}

// A Smithy pattern is not implicitly anchored: it keeps the anchors it has.
func TestSmithyPatternsSearch(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`^arn:aws:sagemaker:[a-z0-9\-]*:action/`, `^arn:aws:sagemaker:[a-z0-9\-]*:action/`},
		{`^[a-z]+$`, `^[a-z]+$`},
		{`.*\S.*`, `.*\S.*`},
	} {
		got, _, ok := goPattern(c.in, true)
		if !ok || got != c.want {
			t.Errorf("goPattern(%q, search) = %q, %v; want %q", c.in, got, ok, c.want)
		}
		re := regexp.MustCompile(got)
		if strings.HasPrefix(c.in, "^arn") && !re.MatchString("arn:aws:sagemaker:us-east-1:action/my-action") {
			t.Errorf("%q must accept an ARN that starts with it", c.in)
		}
	}
}
