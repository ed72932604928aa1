package shapes

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"sigs.k8s.io/yaml"
)

// shapeCase is a row of the generated table in zz_shapes_test.go.
type shapeCase struct {
	name      string
	typ       reflect.Type
	roundTrip func(any) any // SDK round trip; nil when the SDK lacks the shape
	toSDK     func(any) any // SDK conversion; nil when the SDK lacks the shape
}

// filler makes random values of generated types.
type filler struct {
	r        *rand.Rand
	maxDepth int
}

var (
	timeT = reflect.TypeFor[time.Time]()
	rawT  = reflect.TypeFor[json.RawMessage]()
)

func (f *filler) str() string {
	alphabet := []rune("abcXYZ019-_./é ")
	n := f.r.IntN(9)
	var b strings.Builder
	for range n {
		b.WriteRune(alphabet[f.r.IntN(len(alphabet))])
	}
	return b.String()
}

// fill sets v (settable) to a random value. Union structs get exactly one
// member; collections are nil, empty or small.
func (f *filler) fill(v reflect.Value, depth int) {
	t := v.Type()
	switch {
	case t == timeT:
		v.Set(reflect.ValueOf(time.Unix(f.r.Int64N(4e9), f.r.Int64N(1e9)).UTC()))
		return
	case t == rawT:
		v.Set(reflect.ValueOf(json.RawMessage(`{"k":1}`)))
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		e := reflect.New(t.Elem())
		f.fill(e.Elem(), depth+1)
		v.Set(e)
	case reflect.Struct:
		if unionTypes[t] {
			i := f.r.IntN(t.NumField())
			f.fillSet(v.Field(i), depth+1)
			return
		}
		for i := range t.NumField() {
			if depth < f.maxDepth && f.r.IntN(10) < 6 {
				f.fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			b := make([]byte, f.r.IntN(5))
			for i := range b {
				b[i] = byte(f.r.IntN(256))
			}
			v.SetBytes(b)
			return
		}
		n := f.r.IntN(4)
		if depth >= f.maxDepth {
			n = 0
		}
		s := reflect.MakeSlice(t, n, n)
		for i := range n {
			f.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(t)
		if depth < f.maxDepth {
			for range f.r.IntN(3) {
				val := reflect.New(t.Elem()).Elem()
				f.fill(val, depth+1)
				m.SetMapIndex(reflect.ValueOf(f.str()).Convert(t.Key()), val)
			}
		}
		v.Set(m)
	case reflect.String:
		if vals := v.Addr().MethodByName("Values"); vals.IsValid() && f.r.IntN(2) == 0 {
			known := vals.Call(nil)[0]
			if known.Len() > 0 {
				v.Set(known.Index(f.r.IntN(known.Len())))
				return
			}
		}
		v.SetString(f.str())
	case reflect.Bool:
		v.SetBool(f.r.IntN(2) == 0)
	case reflect.Int32, reflect.Int64:
		v.SetInt(f.r.Int64N(2000) - 1000)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(float32(f.r.NormFloat64() * 100)))
	default:
		panic("filler: unexpected kind " + t.Kind().String())
	}
}

// fillSet fills a union member so that it counts as set: never nil or empty.
func (f *filler) fillSet(v reflect.Value, depth int) {
	for {
		f.fill(v, depth)
		switch v.Kind() {
		case reflect.Slice, reflect.Map:
			if v.Len() > 0 {
				return
			}
			if depth >= f.maxDepth {
				depth = f.maxDepth - 1
			}
		case reflect.Pointer:
			if e := v.Elem(); e.Kind() == reflect.String && e.Len() == 0 {
				continue
			}
			return
		default:
			return
		}
	}
}

func (f *filler) value(t reflect.Type) any {
	p := reflect.New(t)
	f.fill(p.Elem(), 0)
	return p.Interface()
}

func TestTableCoversPackage(t *testing.T) {
	if len(generatedShapes) < 1000 {
		t.Fatalf("only %d generated shapes listed", len(generatedShapes))
	}
	if GeneratedFrom.Operations == 0 || GeneratedFrom.SHA256 == "" {
		t.Fatalf("GeneratedFrom not filled: %+v", GeneratedFrom)
	}
}

// TestSDKRoundTrip converts random values of every shape to the SDK and back.
func TestSDKRoundTrip(t *testing.T) {
	f := &filler{r: rand.New(rand.NewPCG(1, 2)), maxDepth: 5}
	n := 0
	for _, c := range generatedShapes {
		if c.roundTrip == nil {
			continue
		}
		n++
		for range 8 {
			v := f.value(c.typ)
			if unionTypes[c.typ] {
				// An empty union is not a value; the filler always sets one.
			}
			got := c.roundTrip(v)
			if d := cmp.Diff(v, got, cmpopts.EquateEmpty()); d != "" && !reflect.DeepEqual(v, got) {
				t.Fatalf("%s: SDK round trip changed the value (-want +got):\n%s", c.name, d)
			}
			// EquateEmpty above is only for readable diffs; nil and empty must survive too.
			if !reflect.DeepEqual(v, got) {
				t.Fatalf("%s: SDK round trip changed nil/empty collections:\n%s", c.name, cmp.Diff(v, got))
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d shapes have SDK conversions", n)
	}
}

// TestNilConversions: nil converts to nil both ways.
func TestNilConversions(t *testing.T) {
	var r *ResourceConfig
	if r.ToSDK() != nil || ResourceConfigFromSDK(nil) != nil {
		t.Fatal("nil must convert to nil")
	}
	var u *AutoMLProblemTypeConfig
	if u.ToSDK() != nil || AutoMLProblemTypeConfigFromSDK(nil) != nil {
		t.Fatal("nil union must convert to nil")
	}
}

// TestJSONAndYAMLRoundTrip encodes random values of every shape as JSON and
// as YAML (through JSON tags) and decodes them back: nothing may be lost.
func TestJSONAndYAMLRoundTrip(t *testing.T) {
	f := &filler{r: rand.New(rand.NewPCG(3, 4)), maxDepth: 4}
	for _, c := range generatedShapes {
		for range 3 {
			v := f.value(c.typ)
			js, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			back := reflect.New(c.typ).Interface()
			if err := json.Unmarshal(js, back); err != nil {
				t.Fatalf("%s: %v\n%s", c.name, err, js)
			}
			if d := cmp.Diff(v, back); d != "" {
				t.Fatalf("%s: JSON round trip (-want +got):\n%s\n%s", c.name, d, js)
			}
			ys, err := yaml.Marshal(v)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			back = reflect.New(c.typ).Interface()
			if err := yaml.Unmarshal(ys, back); err != nil {
				t.Fatalf("%s: %v\n%s", c.name, err, ys)
			}
			if d := cmp.Diff(v, back); d != "" {
				t.Fatalf("%s: YAML round trip (-want +got):\n%s\n%s", c.name, d, ys)
			}
		}
	}
}

// TestEncodingUsesMemberNames: JSON keys are the model's member names, and
// the one json tag is all there is (sigs.k8s.io/yaml reads it for YAML).
func TestEncodingUsesMemberNames(t *testing.T) {
	for _, c := range generatedShapes {
		for i := range c.typ.NumField() {
			fl := c.typ.Field(i)
			name, _, _ := strings.Cut(fl.Tag.Get("json"), ",")
			if name != fl.Name {
				t.Errorf("%s.%s: json name %q", c.name, fl.Name, name)
			}
			if y, ok := fl.Tag.Lookup("yaml"); ok {
				t.Errorf("%s.%s: a second tag set (yaml %q)", c.name, fl.Name, y)
			}
		}
	}
	js, _ := json.Marshal(&ResourceConfig{InstanceType: TrainingInstanceTypeMlM5Xlarge, InstanceCount: ptrOf(int32(0)), VolumeSizeInGB: ptrOf(int32(30))})
	if want := `{"InstanceType":"ml.m5.xlarge","InstanceCount":0,"VolumeSizeInGB":30}`; string(js) != want {
		t.Fatalf("got %s, want %s", js, want)
	}
	// A required plain member is written even when empty; an optional one
	// is omitted; an empty, non-nil list is kept in JSON and in YAML.
	tag := &Tag{Key: "k"}
	if js, _ := json.Marshal(tag); string(js) != `{"Key":"k","Value":""}` {
		t.Fatalf("Tag: got %s", js)
	}
	ch := &Channel{ChannelName: "train", DataSource: &DataSource{}, InputMode: TrainingInputModeFile}
	ys, _ := yaml.Marshal(ch)
	if want := "ChannelName: train\nDataSource: {}\nInputMode: File\n"; string(ys) != want {
		t.Fatalf("got %q, want %q", ys, want)
	}
	vpc := &VpcConfig{SecurityGroupIds: []string{}, Subnets: []string{"s"}}
	js, _ = json.Marshal(vpc)
	ys, _ = yaml.Marshal(vpc)
	if !strings.Contains(string(js), `"SecurityGroupIds":[]`) || !strings.Contains(string(ys), "SecurityGroupIds: []") {
		t.Fatalf("an empty list must be kept: JSON %s, YAML %q", js, ys)
	}
	var back VpcConfig
	if err := yaml.Unmarshal(ys, &back); err != nil || back.SecurityGroupIds == nil || len(back.SecurityGroupIds) != 0 {
		t.Fatalf("YAML round trip of an empty list: %#v %v", back.SecurityGroupIds, err)
	}
}

func TestValidateReportsEveryViolationWithPath(t *testing.T) {
	req := &CreateTrainingJobInput{
		TrainingJobName: "my-job",
		RoleArn:         "arn:aws:iam::123456789012:role/x",
		AlgorithmSpecification: &AlgorithmSpecification{
			TrainingInputMode: TrainingInputModeFile,
		},
		ResourceConfig: &ResourceConfig{InstanceCount: ptrOf(int32(-1)), VolumeSizeInGB: ptrOf(int32(10))},
		InputDataConfig: []Channel{
			{ChannelName: "train", DataSource: &DataSource{}},
			{ChannelName: strings.Repeat("x", 70)},
		},
		StoppingCondition: &StoppingCondition{MaxRuntimeInSeconds: ptrOf[int32](-5)},
	}
	err := req.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want *ValidationError, got %T %v", err, err)
	}
	got := map[string]string{}
	for _, v := range ve.Violations {
		got[v.Path] = v.Rule + ": " + v.Message
	}
	want := map[string]string{
		"CreateTrainingJobInput.OutputDataConfig":                      "required: is required",
		"CreateTrainingJobInput.ResourceConfig.InstanceCount":          "range: must be >= 0, got -1",
		"CreateTrainingJobInput.StoppingCondition.MaxRuntimeInSeconds": "range: must be >= 1, got -5",
		"CreateTrainingJobInput.InputDataConfig[1].ChannelName":        "length: length must be <= 64, got 70",
		"CreateTrainingJobInput.InputDataConfig[1].DataSource":         "required: is required",
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: got %q, want %q", p, got[p], w)
		}
	}
	if !strings.Contains(err.Error(), "CreateTrainingJobInput.StoppingCondition.MaxRuntimeInSeconds: must be >= 1, got -5") {
		t.Errorf("error text: %v", err)
	}
	// The fixed request passes.
	req.ResourceConfig.InstanceCount = ptrOf(int32(1))
	req.ResourceConfig.InstanceType = TrainingInstanceTypeMlM5Xlarge
	req.StoppingCondition.MaxRuntimeInSeconds = ptrOf[int32](3600)
	req.InputDataConfig = req.InputDataConfig[:1]
	req.InputDataConfig[0].DataSource.S3DataSource = &S3DataSource{S3DataType: S3DataTypeS3Prefix, S3Uri: "s3://bucket/train"}
	req.OutputDataConfig = &OutputDataConfig{S3OutputPath: "s3://bucket/out"}
	req.AlgorithmSpecification.TrainingImage = "123.dkr.ecr.us-east-1.amazonaws.com/x:1"
	if err := req.Validate(); err != nil {
		t.Fatalf("valid request: %v", err)
	}
	if err := ValidateStrict(req); err != nil {
		t.Fatalf("valid request, strict: %v", err)
	}
}

func TestValidateStrictPatternsAndEnums(t *testing.T) {
	req := &DescribeTrainingJobInput{TrainingJobName: "bad_name!"}
	if err := req.Validate(); err != nil {
		t.Fatalf("patterns are strict-only: %v", err)
	}
	err := ValidateStrict(req)
	if err == nil || !strings.Contains(err.Error(), `DescribeTrainingJobInput.TrainingJobName: must match`) || !strings.Contains(err.Error(), `got "bad_name!"`) {
		t.Fatalf("strict pattern: %v", err)
	}
	rc := &ResourceConfig{InstanceType: "ml.future.huge", InstanceCount: ptrOf(int32(1))}
	if err := rc.Validate(); err != nil {
		t.Fatalf("unknown enum values pass Validate: %v", err)
	}
	err = ValidateStrict(rc)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 1 || ve.Violations[0].Rule != "enum" || ve.Violations[0].Path != "ResourceConfig.InstanceType" {
		t.Fatalf("strict enum: %v", err)
	}
}

func TestUnionExactlyOne(t *testing.T) {
	u := &AutoMLProblemTypeConfig{}
	if err := u.Validate(); err == nil || !strings.Contains(err.Error(), "AutoMLProblemTypeConfig: exactly one member must be set, got 0") {
		t.Fatalf("empty union: %v", err)
	}
	u.ImageClassificationJobConfig = &ImageClassificationJobConfig{}
	u.TabularJobConfig = &TabularJobConfig{TargetAttributeName: "y"}
	if err := u.Validate(); err == nil || !strings.Contains(err.Error(), "got 2") {
		t.Fatalf("two members: %v", err)
	}
	u.TabularJobConfig = nil
	if err := u.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestSensitiveRedacted(t *testing.T) {
	secret := "hunter2-very-secret"
	c := &OidcConfig{ClientId: "id", ClientSecret: secret, Issuer: "https://issuer"}
	if s := c.String(); strings.Contains(s, secret) || !strings.Contains(s, "ClientSecret: <redacted>") || !strings.Contains(s, `ClientId: "id"`) {
		t.Fatalf("String leaks or hides too much: %s", s)
	}
	req := &CreateWorkforceInput{WorkforceName: "w", OidcConfig: c}
	if s := req.String(); strings.Contains(s, secret) {
		t.Fatalf("nested String leaks: %s", s)
	}
	// A sensitive value that breaks its pattern is not echoed.
	c.ClientSecret = "\x00" + secret
	if err := ValidateStrict(req); err != nil && strings.Contains(err.Error(), secret) {
		t.Fatalf("error leaks secret: %v", err)
	}
	card := &CreateModelCardInput{ModelCardName: "c", Content: strings.Repeat("s", 100001), ModelCardStatus: ModelCardStatusDraft}
	if err := card.Validate(); err == nil || strings.Contains(err.Error(), "sss") {
		t.Fatalf("want length error without the value: %v", err)
	}
}

func TestFormatShowsSetMembers(t *testing.T) {
	rc := &ResourceConfig{InstanceType: TrainingInstanceTypeMlM5Xlarge, InstanceCount: ptrOf(int32(0))}
	if got, want := Format(rc), `{InstanceType: "ml.m5.xlarge", InstanceCount: 0}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	var nilRC *ResourceConfig
	if Format(nilRC) != "<nil>" {
		t.Fatalf("nil: %q", Format(nilRC))
	}
}

// TestFmtNeverPrintsSensitiveMembers prints shapes holding secrets with
// every fmt verb, as values, pointers and list items.
func TestFmtNeverPrintsSensitiveMembers(t *testing.T) {
	secret := "s3cr3t-value"
	oidc := OidcConfig{ClientId: "id", ClientSecret: secret, Issuer: "https://i"}
	req := &CreateWorkforceInput{WorkforceName: "w", OidcConfig: &oidc}
	for _, v := range []any{oidc, &oidc, req, *req, []OidcConfig{oidc}} {
		for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, secret) {
				t.Errorf("%s of %T leaks: %s", verb, v, out)
			}
		}
	}
}

func TestIdempotencyTokenLeftUnset(t *testing.T) {
	req := &CreatePipelineInput{PipelineName: "p", RoleArn: "arn:aws:iam::123456789012:role/r"}
	if in := req.ToSDK(); in.ClientRequestToken != nil {
		t.Fatalf("unset token must stay unset for the SDK to fill: %v", *in.ClientRequestToken)
	}
	// The model marks the token required, but an empty one is not missing.
	var ve *ValidationError
	if err := req.Validate(); errors.As(err, &ve) {
		for _, v := range ve.Violations {
			if strings.HasSuffix(v.Path, "ClientRequestToken") {
				t.Fatalf("an empty idempotency token reported: %v", v)
			}
		}
	}
}
