package modeldiff

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/smcore-go/smcore/gen/model"
)

func i64(v int64) *int64     { return &v }
func f64(v float64) *float64 { return &v }

// base builds a small model that each test changes; every call returns a
// new graph, so old and new share nothing.
func base() *model.Service {
	s := &model.Service{
		ID: "Things", APIVersion: "2020-01-01", TargetPrefix: "Things", SigningName: "things",
		EndpointPrefix: "things", Protocol: "json", JSONVersion: "1.1",
		Source:     model.Source{Format: model.FormatBotocore, Files: []string{"service-2.json"}, SHA256: "0123456789abcdef0123"},
		Operations: map[string]*model.Operation{}, Shapes: map[string]*model.Shape{}, Waiters: map[string]*model.Waiter{},
	}
	sh := func(x *model.Shape) *model.Shape { s.Shapes[x.Name] = x; return x }
	str := sh(&model.Shape{Name: "String", Kind: model.KindString})
	name := sh(&model.Shape{Name: "Name", Kind: model.KindString, Constraints: model.Constraints{MinLength: i64(1), MaxLength: i64(63), Pattern: "[a-z]+"}})
	count := sh(&model.Shape{Name: "Count", Kind: model.KindInteger, Constraints: model.Constraints{Min: f64(1), Max: f64(10)}})
	status := sh(&model.Shape{Name: "Status", Kind: model.KindEnum, Enum: []model.EnumValue{{Value: "Active"}, {Value: "Failed"}}})
	secret := sh(&model.Shape{Name: "Secret", Kind: model.KindString})
	names := sh(&model.Shape{Name: "NameList", Kind: model.KindList, ListMember: &model.Member{Name: "member", Target: name}})
	sh(&model.Shape{Name: "Attrs", Kind: model.KindMap, MapKey: &model.Member{Name: "key", Target: name}, MapValue: &model.Member{Name: "value", Target: count}})
	thing := sh(&model.Shape{Name: "Thing", Kind: model.KindStructure, Members: []*model.Member{
		{Name: "Name", Target: name, Required: true},
		{Name: "Count", Target: count},
		{Name: "Status", Target: status},
		{Name: "Password", Target: secret},
	}})
	in := sh(&model.Shape{Name: "CreateThingRequest", Kind: model.KindStructure, Members: []*model.Member{
		{Name: "Name", Target: name, Required: true},
		{Name: "Token", Target: str},
	}})
	out := sh(&model.Shape{Name: "CreateThingResponse", Kind: model.KindStructure, Members: []*model.Member{{Name: "Thing", Target: thing}}})
	lin := sh(&model.Shape{Name: "ListThingsRequest", Kind: model.KindStructure, Members: []*model.Member{
		{Name: "NextToken", Target: str}, {Name: "MaxResults", Target: count},
	}})
	lout := sh(&model.Shape{Name: "ListThingsResponse", Kind: model.KindStructure, Members: []*model.Member{
		{Name: "Names", Target: names}, {Name: "NextToken", Target: str},
	}})
	nf := sh(&model.Shape{Name: "NotFound", Kind: model.KindStructure, Error: &model.ErrorInfo{Code: "NotFound", HTTPStatus: 404, Fault: "client"}})
	busy := sh(&model.Shape{Name: "Busy", Kind: model.KindStructure, Error: &model.ErrorInfo{Code: "Busy", Fault: "server"}})
	s.Operations["CreateThing"] = &model.Operation{Name: "CreateThing", Input: in, Output: out, Errors: []*model.Shape{nf, busy}}
	s.Operations["ListThings"] = &model.Operation{Name: "ListThings", Input: lin, Output: lout,
		Paginator: &model.Paginator{InputToken: "NextToken", OutputToken: "NextToken", PageSize: "MaxResults", Items: "Names"}}
	s.Operations["PingThings"] = &model.Operation{Name: "PingThings"}
	w := &model.Waiter{Name: "ThingsListed", Operation: "ListThings", MinDelay: 5, MaxAttempts: 10, Acceptors: []model.Acceptor{
		{State: model.StateSuccess, Matcher: model.MatchOutput, Path: "length(Names) > `0`", Expected: "true", Comparator: model.CompareBooleanEquals},
		{State: model.StateRetry, Matcher: model.MatchError, ErrorType: "Busy"},
	}}
	s.Waiters[w.Name] = w
	s.Operations["ListThings"].Waiters = []*model.Waiter{w}
	return s
}

// lines renders a diff compactly: one line per item and per change.
func lines(d *Diff) []string {
	var out []string
	for _, c := range d.Service {
		out = append(out, "service ~ "+changeText(c, "->", func(s string) string { return s }))
	}
	for _, s := range d.sections() {
		for _, it := range s.items {
			head := strings.ToLower(s.title[:len(s.title)-1]) + " " + it.Status.Sign() + " " + it.Name
			if it.Detail != "" {
				out = append(out, head+": "+it.Detail)
			}
			for _, c := range it.Changes {
				out = append(out, head+" | "+c.Status.Sign()+" "+changeText(c, "->", func(s string) string { return s }))
			}
		}
	}
	return out
}

func TestNoChanges(t *testing.T) {
	d := Compare(base(), base())
	if !d.Empty() {
		t.Fatalf("diff of a model with itself:\n%s", strings.Join(lines(d), "\n"))
	}
	var b bytes.Buffer
	if err := d.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "No changes.") {
		t.Errorf("text of an empty diff:\n%s", b.String())
	}
}

func TestChanges(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(s *model.Service)
		want   []string
	}{
		{"service metadata", func(s *model.Service) {
			s.APIVersion, s.JSONVersion = "2021-01-01", "1.0"
		}, []string{"service ~ APIVersion: 2020-01-01 -> 2021-01-01", "service ~ JSONVersion: 1.1 -> 1.0"}},

		// Operations.
		{"operation added", func(s *model.Service) {
			s.Operations["DeleteThing"] = &model.Operation{Name: "DeleteThing", Input: s.Shapes["CreateThingRequest"], Deprecated: &model.Deprecation{}}
		}, []string{"operation + DeleteThing: input CreateThingRequest, output none, deprecated"}},
		{"operation removed", func(s *model.Service) {
			delete(s.Operations, "PingThings")
		}, []string{"operation - PingThings: input none, output none"}},
		{"operation input and output", func(s *model.Service) {
			s.Operations["PingThings"].Input = s.Shapes["ListThingsRequest"]
			s.Operations["CreateThing"].Output = nil
		}, []string{
			"operation ~ CreateThing | ~ output: CreateThingResponse -> none",
			"operation ~ PingThings | ~ input: none -> ListThingsRequest",
		}},
		{"operation errors", func(s *model.Service) {
			op := s.Operations["CreateThing"]
			op.Errors = []*model.Shape{s.Shapes["Busy"]}
			s.Operations["PingThings"].Errors = []*model.Shape{s.Shapes["NotFound"], s.Shapes["Busy"]}
		}, []string{
			"operation ~ CreateThing | - error NotFound",
			"operation ~ PingThings | + error Busy",
			"operation ~ PingThings | + error NotFound",
		}},
		{"error order is no change", func(s *model.Service) {
			op := s.Operations["CreateThing"]
			slices.Reverse(op.Errors)
		}, nil},
		{"paginator added, removed, changed", func(s *model.Service) {
			s.Operations["PingThings"].Paginator = &model.Paginator{InputToken: "A", OutputToken: "B"}
			s.Operations["ListThings"].Paginator.Items = ""
			s.Operations["CreateThing"].Paginator = nil
		}, []string{
			"operation ~ ListThings | ~ paginator: input token NextToken, output token NextToken, page size MaxResults, items Names -> input token NextToken, output token NextToken, page size MaxResults",
			"operation ~ PingThings | ~ paginator: none -> input token A, output token B",
		}},
		{"operation deprecated", func(s *model.Service) {
			s.Operations["PingThings"].Deprecated = &model.Deprecation{Message: "use ListThings", Since: "2021"}
		}, []string{`operation ~ PingThings | ~ deprecated: no -> yes: "use ListThings"`}},

		// Shapes.
		{"shape added and removed", func(s *model.Service) {
			delete(s.Shapes, "Attrs")
			s.Shapes["Color"] = &model.Shape{Name: "Color", Kind: model.KindEnum, Enum: []model.EnumValue{{Value: "red"}}}
			s.Shapes["Token"] = &model.Shape{Name: "Token", Kind: model.KindString, Sensitive: true, Constraints: model.Constraints{MaxLength: i64(64)}}
		}, []string{
			"shape - Attrs: map of Name to Count",
			"shape + Color: enum, 1 value",
			"shape + Token: string, sensitive, length [*, 64]",
		}},
		{"kind", func(s *model.Service) {
			s.Shapes["Count"].Kind = model.KindLong
		}, []string{"shape ~ Count | ~ kind: integer -> long"}},
		{"length", func(s *model.Service) {
			s.Shapes["Name"].Constraints.MaxLength = i64(255)
		}, []string{`shape ~ Name | ~ constraints: length [1, 63], pattern "[a-z]+" -> length [1, 255], pattern "[a-z]+"`}},
		{"range", func(s *model.Service) {
			s.Shapes["Count"].Constraints.Min = nil
			s.Shapes["Count"].Constraints.Max = f64(1e7)
		}, []string{"shape ~ Count | ~ constraints: range [1, 10] -> range [*, 1e+07]"}},
		{"pattern", func(s *model.Service) {
			s.Shapes["Name"].Constraints.Pattern = "[a-z0-9]+"
			s.Shapes["Secret"].Constraints.Pattern = ".*"
		}, []string{
			`shape ~ Name | ~ constraints: length [1, 63], pattern "[a-z]+" -> length [1, 63], pattern "[a-z0-9]+"`,
			`shape ~ Secret | ~ constraints: none -> pattern ".*"`,
		}},
		{"pattern anchors are no change", func(s *model.Service) {
			s.Shapes["Name"].Constraints.Pattern = "^[a-z]+$"
		}, nil},
		{"enum values", func(s *model.Service) {
			s.Shapes["Status"].Enum = []model.EnumValue{{Value: "Pending"}, {Value: "Active"}, {Value: "Deleted"}}
		}, []string{
			`shape ~ Status | - enum value "Failed"`,
			`shape ~ Status | + enum value "Deleted"`,
			`shape ~ Status | + enum value "Pending"`,
		}},
		{"enum names and order are no change", func(s *model.Service) {
			s.Shapes["Status"].Enum = []model.EnumValue{{Name: "FAILED", Value: "Failed"}, {Name: "ACTIVE", Value: "Active"}}
		}, nil},
		{"shape sensitive, deprecated, error", func(s *model.Service) {
			s.Shapes["Secret"].Sensitive = true
			s.Shapes["Thing"].Deprecated = &model.Deprecation{Message: "gone"}
			s.Shapes["NotFound"].Error.HTTPStatus = 400
		}, []string{
			"shape ~ NotFound | ~ error: code NotFound, http 404, client -> code NotFound, http 400, client",
			"shape ~ Secret | ~ sensitive: false -> true",
			`shape ~ Thing | ~ deprecated: no -> yes: "gone"`,
			"shape ~ Thing | ~ member Password sensitive: false -> true",
		}},

		// Members.
		{"member added and removed", func(s *model.Service) {
			th := s.Shapes["Thing"]
			th.Members = slices.DeleteFunc(th.Members, func(m *model.Member) bool { return m.Name == "Count" })
			th.Members = append(th.Members, &model.Member{Name: "Owner", Target: s.Shapes["Name"], Required: true, Deprecated: &model.Deprecation{}})
		}, []string{
			"shape ~ Thing | - member Count: Count",
			"shape ~ Thing | + member Owner: Name, required, deprecated",
		}},
		{"member order is no change", func(s *model.Service) {
			slices.Reverse(s.Shapes["Thing"].Members)
		}, nil},
		{"member target", func(s *model.Service) {
			s.Shapes["Thing"].Member("Status").Target = s.Shapes["String"]
			s.Shapes["Thing"].Member("Count").Target = s.Shapes["String"]
		}, []string{
			"shape ~ Thing | ~ member Count target: Count -> String",
			"shape ~ Thing | ~ member Count effective constraints: range [1, 10] -> none",
			"shape ~ Thing | ~ member Status target: Status -> String",
		}},
		{"member required", func(s *model.Service) {
			s.Shapes["Thing"].Member("Name").Required = false
			s.Shapes["Thing"].Member("Count").Required = true
		}, []string{
			"shape ~ Thing | ~ member Count required: false -> true",
			"shape ~ Thing | ~ member Name required: true -> false",
		}},
		{"member idempotency token", func(s *model.Service) {
			s.Shapes["CreateThingRequest"].Member("Token").IdempotencyToken = true
		}, []string{"shape ~ CreateThingRequest | ~ member Token idempotency token: false -> true"}},
		{"member sensitive", func(s *model.Service) {
			s.Shapes["Thing"].Member("Password").Sensitive = true
		}, []string{"shape ~ Thing | ~ member Password sensitive: false -> true"}},
		{"member jsonvalue", func(s *model.Service) {
			s.Shapes["CreateThingRequest"].Member("Token").JSONValue = true
		}, []string{"shape ~ CreateThingRequest | ~ member Token jsonvalue: false -> true"}},
		{"member deprecated", func(s *model.Service) {
			s.Shapes["Thing"].Member("Count").Deprecated = &model.Deprecation{Message: "use Size"}
		}, []string{`shape ~ Thing | ~ member Count deprecated: no -> yes: "use Size"`}},
		{"member constraints", func(s *model.Service) {
			s.Shapes["Thing"].Member("Count").Constraints.Max = f64(5)
		}, []string{"shape ~ Thing | ~ member Count constraints: none -> range [*, 5]"}},
		{"list and map members", func(s *model.Service) {
			s.Shapes["NameList"].ListMember.Target = s.Shapes["String"]
			s.Shapes["Attrs"].MapValue.Target = s.Shapes["Name"]
		}, []string{
			"shape ~ Attrs | ~ member value target: Count -> Name",
			`shape ~ Attrs | ~ member value effective constraints: range [1, 10] -> length [1, 63], pattern "[a-z]+"`,
			"shape ~ NameList | ~ member member target: Name -> String",
			`shape ~ NameList | ~ member member effective constraints: length [1, 63], pattern "[a-z]+" -> none`,
		}},
		{"structure becomes union", func(s *model.Service) {
			s.Shapes["Thing"].Kind = model.KindUnion
			s.Shapes["Thing"].Member("Name").Required = false
		}, []string{
			"shape ~ Thing | ~ kind: structure -> union",
			"shape ~ Thing | ~ member Name required: true -> false",
		}},

		// Waiters.
		{"waiter added and removed", func(s *model.Service) {
			delete(s.Waiters, "ThingsListed")
			s.Waiters["ThingCreated"] = &model.Waiter{Name: "ThingCreated", Operation: "CreateThing", MinDelay: 1,
				Acceptors: []model.Acceptor{{State: model.StateSuccess, Matcher: model.MatchSuccess, Success: true}}}
		}, []string{
			"waiter + ThingCreated: on CreateThing, 1 acceptor",
			"waiter - ThingsListed: on ListThings, 2 acceptors",
		}},
		{"waiter delays and attempts", func(s *model.Service) {
			w := s.Waiters["ThingsListed"]
			w.MinDelay, w.MaxAttempts = 10, 60
		}, []string{
			"waiter ~ ThingsListed | ~ min delay: 5 -> 10",
			"waiter ~ ThingsListed | ~ max attempts: 10 -> 60",
		}},
		{"waiter max delay and attempts given by one side only", func(s *model.Service) {
			w := s.Waiters["ThingsListed"]
			w.MaxDelay, w.MaxAttempts = 120, 0
		}, nil},
		{"waiter operation and acceptors", func(s *model.Service) {
			w := s.Waiters["ThingsListed"]
			w.Operation = "PingThings"
			w.Acceptors[1] = model.Acceptor{State: model.StateFailure, Matcher: model.MatchError, ErrorType: "NotFound"}
		}, []string{
			"waiter ~ ThingsListed | ~ operation: ListThings -> PingThings",
			"waiter ~ ThingsListed | - acceptor retry on error Busy",
			"waiter ~ ThingsListed | + acceptor failure on error NotFound",
		}},
		{"waiter acceptor order", func(s *model.Service) {
			slices.Reverse(s.Waiters["ThingsListed"].Acceptors)
		}, []string{
			"waiter ~ ThingsListed | ~ acceptor order: success on output length(Names) > `0` booleanEquals \"true\"; retry on error Busy -> " +
				"retry on error Busy; success on output length(Names) > `0` booleanEquals \"true\"",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := base()
			tc.change(n)
			got := lines(Compare(base(), n))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diff (-want +got):\n%s", diff)
			}
			// Swapping the models swaps additions and removals.
			back := Compare(n, base())
			fwd := Compare(base(), n)
			if a, b := fwd.Summary(), back.Summary(); a.Operations.Added != b.Operations.Removed || a.Shapes.Added != b.Shapes.Removed ||
				a.Members.Added != b.Members.Removed || a.EnumValues.Added != b.EnumValues.Removed || a.Waiters.Added != b.Waiters.Removed {
				t.Errorf("summary forward %+v, backward %+v", a, b)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	n := base()
	n.Operations["DeleteThing"] = &model.Operation{Name: "DeleteThing"}
	delete(n.Operations, "PingThings")
	n.Operations["CreateThing"].Errors = nil
	th := n.Shapes["Thing"]
	th.Member("Name").Required = false
	th.Member("Name").Deprecated = &model.Deprecation{}
	th.Member("Count").Required = true
	th.Members = append(th.Members, &model.Member{Name: "Extra", Target: n.Shapes["String"]})
	n.Shapes["Status"].Enum = append(n.Shapes["Status"].Enum, model.EnumValue{Value: "Deleting"})
	n.Shapes["Name"].Constraints.MaxLength = i64(64)
	n.Shapes["New"] = &model.Shape{Name: "New", Kind: model.KindString}
	got := Compare(base(), n).Summary()
	want := Summary{
		Operations: Count{1, 1, 1}, Errors: Count{0, 2, 0},
		Shapes:  Count{1, 0, 3},
		Members: Count{1, 0, 2}, BecameRequired: 1, BecameOptional: 1,
		EnumValues:  Count{1, 0, 0},
		Constraints: 1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

func TestPattern(t *testing.T) {
	for _, tc := range []struct {
		f        model.Format
		in, want string
	}{
		{model.FormatBotocore, "[a-z]+", "[a-z]+"},
		{model.FormatBotocore, "^[a-z]+$", "[a-z]+"},
		{model.FormatBotocore, "arn:.*", "arn:.*"},
		{model.FormatSmithy, "^[a-z]+$", "[a-z]+"},
		{model.FormatSmithy, "^arn:aws:action/", "arn:aws:action/.*"},
		{model.FormatSmithy, "(?:[ \\r\\n\\t].*)*$", ".*(?:[ \\r\\n\\t].*)*"},
		{model.FormatSmithy, "[a-z]", ".*[a-z].*"},
		{model.FormatSmithy, ".*x.*", ".*x.*"},
		{model.FormatSmithy, `^a\$`, `a\$.*`},
		{model.FormatSmithy, `^a\.*`, `a\.*.*`},
		{model.FormatSmithy, "", ""},
	} {
		if got := Pattern(tc.f, tc.in); got != tc.want {
			t.Errorf("Pattern(%s, %q) = %q, want %q", tc.f, tc.in, got, tc.want)
		}
	}
}

// A half-anchored Smithy pattern and the botocore pattern written for it
// compare equal.
func TestPatternAcrossFormats(t *testing.T) {
	o, n := base(), base()
	n.Source.Format = model.FormatSmithy
	o.Shapes["Name"].Constraints.Pattern = "arn:aws:thing/.*"
	n.Shapes["Name"].Constraints.Pattern = "^arn:aws:thing/"
	if d := Compare(o, n); !d.Empty() {
		t.Errorf("diff:\n%s", strings.Join(lines(d), "\n"))
	}
}

// The same API in both formats (the emitter's fixture pair): no changes.
func TestSameAPIInBothFormats(t *testing.T) {
	boto, err := model.Load(filepath.Join("testdata", "sameapi", "botocore"))
	if err != nil {
		t.Fatal(err)
	}
	smithy, err := model.Load(filepath.Join("testdata", "sameapi", "smithy"))
	if err != nil {
		t.Fatal(err)
	}
	if boto.Source.Format != model.FormatBotocore || smithy.Source.Format != model.FormatSmithy {
		t.Fatalf("formats %s, %s", boto.Source.Format, smithy.Source.Format)
	}
	for _, d := range []*Diff{Compare(boto, smithy), Compare(smithy, boto)} {
		if !d.Empty() {
			t.Errorf("diff:\n%s", strings.Join(lines(d), "\n"))
		}
	}
}

func TestDeterministic(t *testing.T) {
	o, n := base(), base()
	delete(n.Shapes, "Attrs")
	n.Shapes["Status"].Enum = []model.EnumValue{{Value: "Z"}, {Value: "Y"}, {Value: "X"}}
	for _, m := range n.Shapes["Thing"].Members {
		m.Required = !m.Required
	}
	var first string
	for i := range 20 {
		var b bytes.Buffer
		if err := Compare(o, n).WriteText(&b); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b.String()
		} else if b.String() != first {
			t.Fatalf("run %d differs:\n%s\nfirst:\n%s", i, b.String(), first)
		}
	}
}

func TestRender(t *testing.T) {
	o, n := base(), base()
	n.Operations["DeleteThing"] = &model.Operation{Name: "DeleteThing"}
	n.Shapes["Thing"].Member("Name").Required = false
	n.Shapes["Name"].Constraints.Pattern = "[a-z`]+"
	d := Compare(o, n)

	var text bytes.Buffer
	if err := d.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	wantText := `old: botocore model service-2.json, API 2020-01-01: 3 operations, 14 shapes, 1 waiter (sha256 0123456789ab)
new: botocore model service-2.json, API 2020-01-01: 4 operations, 14 shapes, 1 waiter (sha256 0123456789ab)

Summary
  operations   +1 -0 ~0
  errors       +0 -0 (of operations present in both)
  shapes       +0 -0 ~2
  members      +0 -0 ~1 (of shapes present in both; 0 became required, 1 became optional)
  enum values  +0 -0 (of enums present in both)
  constraints  ~1
  waiters      +0 -0 ~0

Operations (+1 -0 ~0)
  + DeleteThing: input none, output none

Shapes (+0 -0 ~2)
  ~ Name
      ~ constraints: length [1, 63], pattern "[a-z]+" -> length [1, 63], pattern "[a-z` + "`" + `]+"
  ~ Thing
      ~ member Name required: true -> false
`
	if diff := cmp.Diff(wantText, text.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}

	var md bytes.Buffer
	if err := d.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# Model diff\n",
		"- operations: +1 -0 ~0\n",
		"- enum values: +0 -0 (of enums present in both)\n",
		"## Operations (+1 -0 ~0)\n\n- **+** `DeleteThing`: input none, output none\n",
		"- **~** `Thing`\n  - **~** member Name required: `true` → `false`\n",
		"``length [1, 63], pattern \"[a-z`]+\"``",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
}
