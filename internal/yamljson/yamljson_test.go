package yamljson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/smcore-go/smcore/internal/yamljson"
)

func TestToJSONGolden(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", `null`},
		{"comments only", "# nothing\n\n", `null`},
		{"json input", `{"a": [1, 2.50, "x", true, null]}`, `{"a":[1,2.50,"x",true,null]}`},
		{"order kept", "z: 1\na: 2\nm: 3\n", `{"z":1,"a":2,"m":3}`},
		{"literals kept", "a: 1.0\nb: 1.50\nc: 10\nd: -0.0\ne: 1e5\nf: 2.5E-3\n", `{"a":1.0,"b":1.50,"c":10,"d":-0.0,"e":1e5,"f":2.5E-3}`},
		{"quoted stay strings", "a: '1.0'\nb: \"10\"\nc: 'true'\nd: 'null'\n", `{"a":"1.0","b":"10","c":"true","d":"null"}`},
		{"yaml number forms", "a: 0x1F\nb: 0o17\nc: 1_000\nd: .5\ne: +1\nf: 1.\ng: -.5\nh: +.5e-3\ni: 007\nj: 08\n", `{"a":31,"b":15,"c":1000,"d":0.5,"e":1,"f":1,"g":-0.5,"h":0.5e-3,"i":7,"j":8}`},
		{"big numbers exact", "a: 123456789012345678901234567890\nb: !!int 0xFFFFFFFFFFFFFFFFFFFF\n", `{"a":123456789012345678901234567890,"b":1208925819614629174706175}`},
		{"explicit tags", "a: !!str 12\nb: !!float 1\nc: !!float 0x10\nd: !!int '7'\ne: !!bool true\nf: !!null ''\n", `{"a":"12","b":1,"c":16,"d":7,"e":true,"f":null}`},
		{"yaml 1.2 booleans", "a: yes\nb: on\nc: True\nd: FALSE\n", `{"a":"yes","b":"on","c":true,"d":false}`},
		{"nulls", "a:\nb: ~\nc: null\nd: Null\n", `{"a":null,"b":null,"c":null,"d":null}`},
		{"timestamps are strings", "a: 2024-01-02\nb: 2024-01-02T03:04:05Z\n", `{"a":"2024-01-02","b":"2024-01-02T03:04:05Z"}`},
		{"non-string keys", "1: a\ntrue: b\n~: c\n1.50: d\n", `{"1":"a","true":"b","~":"c","1.50":"d"}`},
		{"anchors", "base: &b {x: 1, y: [2]}\nuse: *b\n", `{"base":{"x":1,"y":[2]},"use":{"x":1,"y":[2]}}`},
		{"alias as key", "k: &k name\n*k : v\n", `{"k":"name","name":"v"}`},
		{"merge", "base: &b {x: 1, y: 2}\nm:\n  a: 0\n  <<: *b\n  y: 3\n", `{"base":{"x":1,"y":2},"m":{"a":0,"x":1,"y":3}}`},
		{"merge list: earlier wins", "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nm: {<<: [*a, *b]}\n", `{"a":{"x":1},"b":{"x":2,"y":2},"m":{"x":1,"y":2}}`},
		{"quoted merge key is a key", "'<<': 1\n", `{"<<":1}`},
		{"block scalars", "a: |\n  one\n  two\nb: >\n  folded\n  line\n", `{"a":"one\ntwo\n","b":"folded line\n"}`},
		{"escaping", "a: \"<b>&\\\"\\\\\\t\\x01\\x7f\\u2028\"\n", `{"a":"<b>&\"\\\t\u0001\u007f\u2028"}`},
		{"unicode", "ключ: значение\n", `{"ключ":"значение"}`},
		{"top-level scalar", "42\n", `42`},
		{"document markers", "---\na: 1\n...\n", `{"a":1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := yamljson.ToJSON([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestToJSONErrors(t *testing.T) {
	deep := strings.Repeat("[", 10) + strings.Repeat("]", 10)
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'j'; i++ {
		prev := string(i - 1)
		laughs += fmt.Sprintf("%c: &%c [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", i, i, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
	}
	for _, tc := range []struct{ name, in, want string }{
		{"duplicate key", "a: 1\nb: 2\na: 3\n", `line 3, column 1: duplicate key "a" (first at line 1, column 1)`},
		{"duplicate after key text", "1: a\n'1': b\n", `line 2, column 1: duplicate key "1" (first at line 1, column 1)`},
		{"nested duplicate", "x:\n  y: 1\n  y: 2\n", `line 3, column 3: duplicate key "y" (first at line 2, column 3)`},
		{"infinity", "a: .inf\n", "line 1, column 4: .inf is not a number JSON can hold (JSON has no infinity or NaN)"},
		{"minus infinity", "a: [1, -.Inf]\n", "line 1, column 8: -.Inf is not a number JSON can hold (JSON has no infinity or NaN)"},
		{"nan", "a: .NaN\n", "line 1, column 4: .NaN is not a number JSON can hold (JSON has no infinity or NaN)"},
		{"binary", "a: !!binary aGk=\n", "line 1, column 4: !!binary values are not supported: JSON has no binary type"},
		{"set", "a: !!set {x, y}\n", "line 1, column 4: unsupported tag !!set on a mapping"},
		{"custom tag", "a: !Ref x\n", "line 1, column 4: unsupported tag !Ref"},
		{"omap", "a: !!omap [x: 1]\n", "line 1, column 4: unsupported tag !!omap on a sequence"},
		{"bad int", "a: !!int 1.5\n", `line 1, column 4: !!int value "1.5" is not an integer`},
		{"bad float", "a: !!float abc\n", `line 1, column 4: !!float value "abc" is not a number`},
		{"bad bool", "a: !!bool yes\n", `line 1, column 4: !!bool value "yes": want true or false`},
		{"complex key", "? [a, b]\n: 1\n", "line 1, column 3: a mapping key must be a scalar: JSON object keys are strings"},
		{"two documents", "a: 1\n---\nb: 2\n", "line 2, column 1: more than one YAML document (only one is read)"},
		{"self alias", "&a [*a]\n", "line 1, column 5: alias *a refers to the node that contains it"},
		{"merge of a scalar", "a: &a 1\nb: {<<: *a}\n", "line 2, column 9: a merge key (<<) takes a mapping or a list of mappings"},
		{"billion laughs", laughs + "z: *j\n", "aliases expand to more than 100000 nodes"},
		{"unknown anchor", "a: *nope\n", "unknown anchor 'nope' referenced"},
		{"syntax on line 1", "a: b: c\n", "line 1: mapping values are not allowed in this context"},
		{"syntax later", "x: 1\ny: 2\nz: b: c\n", "line 3: mapping values are not allowed in this context"},
		{"unclosed flow on line 2", "x: 1\ny: [1, 2\nz: 3\n", "line 2: did not find expected ',' or ']'"},
		{"bad indentation", "x: 1\ny:\n  - a\n - b\n", "line 4: did not find expected key"},
		{"tab", "x: 1\n\ty: 2\n", "line 2: found a tab character that violates indentation"},
		{"not utf-8", "a: 1\nb: \xff\n", "line 2, column 4: not UTF-8 text"},
		{"control character", "a: x\x01y\n", "line 1, column 5: character U+0001 is not allowed in YAML"},
		{"fine depth", deep, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := yamljson.ToJSON([]byte(tc.in))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ye *yamljson.Error
			if !errors.As(err, &ye) {
				t.Fatalf("want a *yamljson.Error, got %v (output %s)", err, out)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("\n got %v\nwant %s", err, tc.want)
			}
		})
	}
}

// A self-referencing merge ends at a limit, not in a stack overflow.
func TestRecursiveMergeStops(t *testing.T) {
	_, err := yamljson.ToJSON([]byte("a: &a {x: 1, y: {<<: *a}}\n"))
	if err == nil {
		t.Fatal("want an error")
	}
}

// Numbers agree with what yaml.v3 itself decodes.
func TestNumbersAgreeWithYAML(t *testing.T) {
	for _, in := range []string{"0", "-0", "10", "1.0", "1.50", "0x1F", "-0x1F", "0o17", "-0o17", "0b101", "1_000", ".5", "+1", "1.", "007", "08", "010.5", "1e3", "+.5e-3", "-.5", "12345678901234567890", "-9223372036854775808"} {
		var want any
		if err := yaml.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		out, err := yamljson.ToJSON([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		got, ok := new(big.Float).SetPrec(200).SetString(string(out))
		if !ok {
			t.Fatalf("%s: output %s is not a number", in, out)
		}
		w, ok := new(big.Float).SetPrec(200).SetString(fmt.Sprint(want))
		if !ok {
			t.Fatalf("%s: yaml gave %T %v", in, want, want)
		}
		if got.Cmp(w) != 0 {
			t.Errorf("%s: got %s, yaml.v3 decodes %v", in, out, want)
		}
	}
}

type inner struct {
	Name  string            `json:"name"`
	Count *int32            `json:"count"`
	Env   map[string]string `json:"env"`
}

type outer struct {
	Top   string  `json:"Top"`
	Items []inner `json:"Items"`
	One   *inner  `json:"One"`
	Free  json.RawMessage
	Skip  string `json:"-"`
}

func TestDecodeStrict(t *testing.T) {
	var v outer
	in := "Top: t\nItems:\n  - name: a\n    count: 2\n    env: {LR: x}\nOne: {name: b}\nFree: {any: [1.50]}\n"
	if err := yamljson.Decode([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.Top != "t" || len(v.Items) != 1 || *v.Items[0].Count != 2 || v.One.Name != "b" || string(v.Free) != `{"any":[1.50]}` {
		t.Fatalf("%+v", v)
	}
	for _, tc := range []struct{ in, want string }{
		{"Top: t\nItems:\n  - name: a\n  - nmae: b\n", `Items[1].nmae: unknown field`},
		{"top: t\n", `top: unknown field (did you mean "Top"?)`},
		{"One: {name: a, extra: 1}\n", `One.extra: unknown field`},
		{"Skip: x\n", `Skip: unknown field`},
		{"One: {count: x}\n", `One.count: want an integer (int32), got string`},
		{"Top: [1]\n", `Top: want a string, got array`},
		{"a: b: c\n", "line 1: mapping values are not allowed in this context"},
	} {
		err := yamljson.Decode([]byte(tc.in), new(outer))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q:\n got %v\nwant %s", tc.in, err, tc.want)
		}
		var fe *yamljson.FieldError
		var ye *yamljson.Error
		if !errors.As(err, &fe) && !errors.As(err, &ye) {
			t.Errorf("%q: untyped error %T", tc.in, err)
		}
	}
	var tree any
	if err := yamljson.Decode([]byte("a: 1.0\nb: [x]\n"), &tree); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tree, map[string]any{"a": json.Number("1.0"), "b": []any{"x"}}) {
		t.Fatalf("%#v", tree)
	}
	if err := yamljson.Decode([]byte("a: 1"), outer{}); err == nil {
		t.Fatal("a non-pointer must be refused")
	}
}

func TestJoinKey(t *testing.T) {
	for _, tc := range [][3]string{
		{"", "a", "a"}, {"a", "b_c", "a.b_c"}, {"a", "x-1", "a.x-1"}, {"a", "a.b", `a["a.b"]`}, {"a", "", `a[""]`}, {"a", "1x", `a["1x"]`},
	} {
		if got := yamljson.JoinKey(tc[0], tc[1]); got != tc[2] {
			t.Errorf("JoinKey(%q, %q) = %s, want %s", tc[0], tc[1], got, tc[2])
		}
	}
}

func FuzzToJSON(f *testing.F) {
	for _, s := range []string{
		"", "a: 1.0\n", "{\"a\": [1, 2.50]}", "a: &x {b: [1, *x]}", "<<: {a: 1}\nb: 2",
		"a: 0x1F\nb: .inf", "- !!binary aGk=", "? [a]\n: 1", "a: |\n  x\n", "1: 2\n'1': 3",
		"a: \"\\u0085\\x7f\"", "a: !!int 0b101\nb: !!float 1_0.5e3", "x: &a [*a]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := yamljson.ToJSON(data)
		if err != nil {
			var ye *yamljson.Error
			if !errors.As(err, &ye) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON %q from %q", out, data)
		}
		// The output is YAML too, and reads back as the same value (a
		// number too large for yaml.v3 to resolve comes back a string) —
		// unless a key is over YAML's 1024-character limit for implicit
		// keys, which JSON's flow mappings are.
		if hasLongKey(t, out) {
			return
		}
		again, err := yamljson.ToJSON(out)
		if err != nil {
			if strings.Contains(err.Error(), "max depth") {
				return
			}
			t.Fatalf("output %q does not read back: %v", out, err)
		}
		if !bytes.Equal(again, out) && !sameIgnoringNumberStrings(t, out, again) {
			t.Fatalf("round trip changed\n%s\n%s", out, again)
		}
	})
}

// hasLongKey reports whether the JSON js has an object key whose quoted
// form is over 1024 bytes (yaml.v3 counts the quotes).
func hasLongKey(t *testing.T, js []byte) bool {
	t.Helper()
	var v any
	if err := json.Unmarshal(js, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				q, _ := json.Marshal(k)
				if len(q) > 1024 || walk(e) {
					return true
				}
			}
		case []any:
			for _, e := range v {
				if walk(e) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

func sameIgnoringNumberStrings(t *testing.T, a, b []byte) bool {
	t.Helper()
	decode := func(js []byte) any {
		d := json.NewDecoder(bytes.NewReader(js))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			t.Fatal(err)
		}
		return flatten(v)
	}
	return reflect.DeepEqual(decode(a), decode(b))
}

func flatten(v any) any {
	switch x := v.(type) {
	case json.Number:
		return string(x)
	case []any:
		for i := range x {
			x[i] = flatten(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = flatten(x[k])
		}
	}
	return v
}
