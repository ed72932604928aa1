package pyjson

import (
	"encoding/json"
	"errors"
	"math"
	"net/netip"
	"strings"
	"testing"
	"time"
)

type inner struct {
	X int
	Y int
}

type outer struct {
	inner
	Y string
}

type withPtr struct {
	*inner
	Z int `json:"z"`
}

type tagged struct {
	A int     `json:"a"`
	B string  `json:"-"`
	C int     `json:",omitempty"`
	D *int    `json:"d,omitempty"`
	E int     `json:"e,string"`
	F string  `json:"f,string"`
	G float64 `json:"g,string"`
	H bool    `json:"-,"`
	i int
	J []int     `json:"j,omitempty"`
	K time.Time `json:"k,omitzero"`
	L *int      `json:"l,string"`
}

// listMarshaler writes JSON with its own spacing, which Marshal redoes.
type listMarshaler struct{}

func (listMarshaler) MarshalJSON() ([]byte, error) { return []byte(`[1,2 ,  3.0]`), nil }

// ptrMarshaler has a pointer receiver: encoding/json calls it only on an
// addressable value.
type ptrMarshaler struct{ N int }

func (p *ptrMarshaler) MarshalJSON() ([]byte, error) { return []byte(`"ptr"`), nil }

type holder struct{ V ptrMarshaler }

type failing struct{}

var errFailing = errors.New("refused")

func (failing) MarshalJSON() ([]byte, error) { return nil, errFailing }

type badJSON struct{}

func (badJSON) MarshalJSON() ([]byte, error) { return []byte(`{"a":}`), nil }

type mode string

type node struct {
	Name string
	Next *node
}

func ptr[T any](v T) *T { return &v }

func TestMarshalGolden(t *testing.T) {
	seven := 7
	for _, tc := range []struct {
		name string
		in   any
		want string
	}{
		{"nil", nil, `null`},
		{"true", true, `true`},
		{"false", false, `false`},
		{"zero", 0, `0`},
		{"negative int", -42, `-42`},
		{"int8 min", int8(-128), `-128`},
		{"uint64 max", uint64(math.MaxUint64), `18446744073709551615`},
		{"int64 min", int64(math.MinInt64), `-9223372036854775808`},
		{"int beyond float precision", int64(1<<53 + 1), `9007199254740993`},
		{"uintptr", uintptr(9), `9`},
		{"float one", 1.0, `1.0`},
		{"float zero", 0.0, `0.0`},
		{"negative zero", math.Copysign(0, -1), `-0.0`},
		{"tenth", 0.1, `0.1`},
		{"sum not exact", func() float64 { a, b := 0.1, 0.2; return a + b }(), `0.30000000000000004`},
		{"1e-4 is fixed", 0.0001, `0.0001`},
		{"1e-5 is exponent", 0.00001, `1e-05`},
		{"small with digits", 1.2345e-5, `1.2345e-05`},
		{"1e15 is fixed", 1e15, `1000000000000000.0`},
		{"largest fixed", 9999999999999998.0, `9999999999999998.0`},
		{"1e16 is exponent", 1e16, `1e+16`},
		{"huge", 1.5e300, `1.5e+300`},
		{"max float", math.MaxFloat64, `1.7976931348623157e+308`},
		{"smallest denormal", 5e-324, `5e-324`},
		{"negative", -123456.789, `-123456.789`},
		{"negative exponent", -2.5e-10, `-2.5e-10`},
		{"NaN", math.NaN(), `NaN`},
		{"Infinity", math.Inf(1), `Infinity`},
		{"-Infinity", math.Inf(-1), `-Infinity`},
		{"float32 tenth", float32(0.1), `0.1`},
		{"float32 small", float32(1e-5), `1e-05`},
		{"float32 2^24", float32(16777216), `16777216.0`},
		{"float32 max", float32(math.MaxFloat32), `3.4028235e+38`},
		{"float32 NaN", float32(math.NaN()), `NaN`},
		{"empty string", "", `""`},
		{"plain string", "hello world", `"hello world"`},
		{"quote and backslash", `say "hi" \ bye`, `"say \"hi\" \\ bye"`},
		{"short escapes", "\n\r\t\b\f", `"\n\r\t\b\f"`},
		{"control chars", "\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"DEL", "\x7f", `"\u007f"`},
		{"latin", "é", `"\u00e9"`},
		{"html and slash not escaped", "<a href='/x'>&</a>", `"<a href='/x'>&</a>"`},
		{"line separators", "\u2028\u2029", `"\u2028\u2029"`},
		{"CJK", "日本", `"\u65e5\u672c"`},
		{"BMP max", "\uffff", `"\uffff"`},
		{"astral", "😀", `"\ud83d\ude00"`},
		{"last code point", "\U0010ffff", `"\udbff\udfff"`},
		{"valid U+FFFD", "\ufffd", `"\ufffd"`},
		{"named string", mode("fast"), `"fast"`},
		{"empty list", []int{}, `[]`},
		{"nil slice", []int(nil), `null`},
		{"mixed list", []any{1, "a", nil, true, 2.5}, `[1, "a", null, true, 2.5]`},
		{"array", [2]int{1, 2}, `[1, 2]`},
		{"bytes are base64", []byte("hi"), `"aGk="`},
		{"empty bytes", []byte{}, `""`},
		{"byte array is a list", [2]byte{1, 2}, `[1, 2]`},
		{"map sorted", map[string]int{"b": 1, "a": 2, "aa": 3}, `{"a": 2, "aa": 3, "b": 1}`},
		{"empty map", map[string]any{}, `{}`},
		{"nil map", map[string]any(nil), `null`},
		{"int keys sorted as text", map[int]string{10: "x", 2: "y", -1: "z"}, `{"-1": "z", "10": "x", "2": "y"}`},
		{"text marshaler keys", map[netip.Addr]int{netip.MustParseAddr("10.0.0.2"): 2, netip.MustParseAddr("10.0.0.1"): 1}, `{"10.0.0.1": 1, "10.0.0.2": 2}`},
		{"unicode key", map[string]int{"é": 1}, `{"\u00e9": 1}`},
		{"nested", map[string]any{"a": []any{1, map[string]any{"b": nil}}, "c": 1e-7}, `{"a": [1, {"b": null}], "c": 1e-07}`},
		{"number kept", json.Number("1.50"), `1.50`},
		{"number exponent kept", json.Number("1E+5"), `1E+5`},
		{"empty number", json.Number(""), `0`},
		{"raw message", json.RawMessage(`{"b":1.0,"a":[1e5, "\u00E9", "é"]}`), `{"b": 1.0, "a": [1e5, "\u00e9", "\u00e9"]}`},
		{"nil raw message", json.RawMessage(nil), `null`},
		{"time", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), `"2024-01-02T03:04:05Z"`},
		{"text marshaler", netip.MustParseAddr("192.168.0.1"), `"192.168.0.1"`},
		{"marshaler respaced", listMarshaler{}, `[1, 2, 3.0]`},
		{"pointer receiver, addressable", &holder{}, `{"V": "ptr"}`},
		{"pointer receiver, not addressable", holder{}, `{"V": {"N": 0}}`},
		{"pointer", ptr(5), `5`},
		{"nil pointer", (*int)(nil), `null`},
		{"nil marshaler pointer", (*ptrMarshaler)(nil), `null`},
		{"pointer to pointer", ptr(ptr("x")), `"x"`},
		{"tags", tagged{A: 1, B: "hidden", E: 7, F: "x", G: 0.5, H: true, i: 3}, `{"a": 1, "e": "7", "f": "\"x\"", "g": "0.5", "-": true, "l": null}`},
		{"tags, non-zero", tagged{C: 2, D: &seven, J: []int{1}, K: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), L: &seven}, `{"a": 0, "C": 2, "d": 7, "e": "0", "f": "\"\"", "g": "0.0", "-": false, "j": [1], "k": "2020-01-01T00:00:00Z", "l": "7"}`},
		{"embedded, shallower wins", outer{inner{1, 2}, "outer"}, `{"X": 1, "Y": "outer"}`},
		{"embedded nil pointer", withPtr{Z: 3}, `{"z": 3}`},
		{"embedded pointer", withPtr{inner: &inner{1, 2}, Z: 3}, `{"X": 1, "Y": 2, "z": 3}`},
		{"struct of pointers", &node{"a", &node{"b", nil}}, `{"Name": "a", "Next": {"Name": "b", "Next": null}}`},
		{"empty struct", struct{}{}, `{}`},
		{"interface holding map", []any{map[string]any{"k": []string{"v"}}}, `[{"k": ["v"]}]`},
		{"same pointer twice is no cycle", func() any { p := ptr(1); return []*int{p, p} }(), `[1, 1]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Marshal(tc.in)
			if err != nil {
				t.Fatalf("Marshal(%#v): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("Marshal(%#v)\n got %s\nwant %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestMarshalErrors(t *testing.T) {
	self := map[string]any{}
	self["self"] = self
	loop := &node{Name: "a"}
	loop.Next = &node{Name: "b", Next: loop}
	list := make([]any, 1)
	list[0] = list
	deep := any(1)
	for range maxDepth + 1 {
		deep = []any{deep}
	}
	for _, tc := range []struct {
		name string
		in   any
		want string
		is   error
	}{
		{"func in path", map[string]any{"a": []any{1, 2, func() {}}}, ".a[2]: func values cannot be encoded", nil},
		{"chan", make(chan int), "chan values cannot be encoded", nil},
		{"complex", complex(1, 2), "complex128 values cannot be encoded", nil},
		{"quoted path", map[string]any{"a b": complex64(1)}, `["a b"]: complex64 values cannot be encoded`, nil},
		{"struct path", struct{ F func() }{func() {}}, ".F: func values cannot be encoded", nil},
		{"map cycle", self, ".self: map[string]interface {} value contains itself", nil},
		{"pointer cycle", loop, ".Next.Next: *pyjson.node value contains itself", nil},
		{"slice cycle", list, "[0]: []interface {} value contains itself", nil},
		{"too deep", deep, "nested deeper than 1000 levels", errTooDeep},
		{"invalid UTF-8", []string{"ok", "a\xffb"}, `[1]: string "a\xffb" is not valid UTF-8 (byte 1)`, nil},
		{"invalid number", json.Number("1."), `json.Number "1." is not a valid JSON number`, nil},
		{"invalid raw", map[string]any{"r": json.RawMessage(`{"a":}`)}, `.r: MarshalJSON of json.RawMessage returned invalid JSON at offset 5: unexpected character '}', expected a value`, nil},
		{"marshaler output invalid", badJSON{}, "MarshalJSON of pyjson.badJSON returned invalid JSON", nil},
		{"marshaler error", []any{failing{}}, "[0]: MarshalJSON of pyjson.failing: refused", errFailing},
		{"float keys", map[float64]int{1: 1}, "map keys of type float64 cannot be encoded", nil},
		{"interface keys", map[any]int{"1": 1, 1: 2}, "map keys of type interface {} cannot be encoded", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Marshal(tc.in)
			if err == nil {
				t.Fatalf("Marshal = %.200s, want an error containing %q", got, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q does not wrap %v", err, tc.is)
			}
		})
	}
}

type keyText string

func (k keyText) MarshalText() ([]byte, error) { return []byte("same"), nil }

func TestMarshalDuplicateKeyText(t *testing.T) {
	// A string-kind key is used as is even with MarshalText, as in
	// encoding/json; a struct key's text decides.
	got, err := Marshal(map[keyText]int{"a": 1, "b": 2})
	if err != nil || got != `{"a": 1, "b": 2}` {
		t.Errorf("Marshal = %s, %v", got, err)
	}
	_, err = Marshal(map[textKey]int{{1}: 1, {2}: 2})
	if err == nil || !strings.Contains(err.Error(), `two map keys are both written as "same"`) {
		t.Errorf("error %v, want two keys written as same", err)
	}
}

type textKey struct{ n int }

func (textKey) MarshalText() ([]byte, error) { return []byte("same"), nil }

func TestReformatGolden(t *testing.T) {
	many := `{"k0": 0`
	for i := 1; i < 20; i++ {
		many += `, "k` + string(rune('a'+i)) + `": 1`
	}
	many += `, "k0": 9}`
	for _, tc := range []struct{ in, want string }{
		{`{"b":1,"a":2}`, `{"b": 1, "a": 2}`},
		{`{"a":1,"b":2,"a":3}`, `{"a": 3, "b": 2}`},
		{`{"a":{"x":1,"x":2},"b":0,"a":[]}`, `{"a": [], "b": 0}`},
		{`{"é":1,"\u00e9":2}`, `{"\u00e9": 2}`},
		{many, `{"k0": 9, "kb": 1, "kc": 1, "kd": 1, "ke": 1, "kf": 1, "kg": 1, "kh": 1, "ki": 1, "kj": 1, "kk": 1, "kl": 1, "km": 1, "kn": 1, "ko": 1, "kp": 1, "kq": 1, "kr": 1, "ks": 1, "kt": 1}`},
		{`"\u00e9"`, `"\u00e9"`},
		{`"é"`, `"\u00e9"`},
		{`"\u00E9"`, `"\u00e9"`},
		{`"\/"`, `"/"`},
		{`"\u0041\u000a\u0022\u005c"`, `"A\n\"\\"`},
		{"\"\x7f\"", `"\u007f"`},
		{`"\ud800"`, `"\ud800"`},
		{`"\uDC00x"`, `"\udc00x"`},
		{`"\uD83D\uDE00"`, `"\ud83d\ude00"`},
		{`"😀"`, `"\ud83d\ude00"`},
		{`"<>&\u2028"`, `"<>&\u2028"`},
		{" [ 1 ,\t2 ,\r\n3 ] ", `[1, 2, 3]`},
		{`[]`, `[]`},
		{`[ ]`, `[]`},
		{`{ }`, `{}`},
		{`[[],{},[[]]]`, `[[], {}, [[]]]`},
		{`1.50`, `1.50`},
		{`-0`, `-0`},
		{`1E+5`, `1E+5`},
		{`1e400`, `1e400`},
		{`123456789012345678901234567890`, `123456789012345678901234567890`},
		{`NaN`, `NaN`},
		{`[Infinity,-Infinity]`, `[Infinity, -Infinity]`},
		{`[true,false,null]`, `[true, false, null]`},
	} {
		got, err := Reformat([]byte(tc.in))
		if err != nil {
			t.Errorf("Reformat(%s): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("Reformat(%s)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

func TestReformatErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, "no value"},
		{`   `, "no value"},
		{`[1,]`, "offset 3: unexpected character ']', expected a value"},
		{`{"a"}`, "expected ':'"},
		{`{"a":1,}`, "expected a key"},
		{`{1:2}`, "expected a key"},
		{`01`, "offset 1: unexpected character '1' after the value"},
		{`1.`, "malformed number"},
		{`-`, "malformed number"},
		{`+1`, "unexpected character '+'"},
		{`-NaN`, "malformed number"},
		{`"abc`, "unterminated string"},
		{`"\x"`, `invalid escape "\\x"`},
		{`"\u12"`, `malformed \u escape`},
		{`"\`, "unterminated escape"},
		{`tru`, "unexpected character 't'"},
		{`[1] x`, "after the value"},
		{`[1 2]`, "expected ',' or ']'"},
		{`{"a":1 "b":2}`, "expected ',' or '}'"},
		{"\"a\nb\"", "control character 0x0a"},
		{"\"\xff\"", "invalid UTF-8"},
		{"\xef\xbb\xbf1", "byte 0xef"},
		{strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1), "nested deeper than 1000 levels"},
	} {
		got, err := Reformat([]byte(tc.in))
		if err == nil {
			t.Errorf("Reformat(%q) = %s, want an error", tc.in, got)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Reformat(%q): error %q, want it to contain %q", tc.in, err, tc.want)
		}
	}
	deepOK := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
	if _, err := Reformat([]byte(deepOK)); err != nil {
		t.Errorf("Reformat of %d nested lists: %v", maxDepth, err)
	}
}

func TestHyperParameter(t *testing.T) {
	var nilString *string
	for _, tc := range []struct {
		name string
		in   any
		want string
	}{
		{"string as is", "abc", `abc`},
		{"string with quotes as is", `a "b"`, `a "b"`},
		{"non-ASCII string as is", "é", "é"},
		{"named string", mode("fast"), `fast`},
		{"pointer to string", ptr("x"), `x`},
		{"raw string unquoted", json.RawMessage(`"\u00e9\n"`), "é\n"},
		{"raw string with spaces", json.RawMessage(` "\ud83d\ude00/\/" `), "😀//"},
		{"raw number", json.RawMessage(`1.50`), `1.50`},
		{"raw object", json.RawMessage(`{"a":1}`), `{"a": 1}`},
		{"number", json.Number("1e5"), `1e5`},
		{"int", 3, `3`},
		{"float", 0.001, `0.001`},
		{"float whole", 2.0, `2.0`},
		{"bool", true, `true`},
		{"nil", nil, `null`},
		{"nil string pointer", nilString, `null`},
		{"list", []int{1, 2}, `[1, 2]`},
		{"list of strings", []string{"a", "é"}, `["a", "\u00e9"]`},
		{"map", map[string]any{"a": 1, "b": "x"}, `{"a": 1, "b": "x"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := HyperParameter(tc.in)
			if err != nil {
				t.Fatalf("HyperParameter(%#v): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("HyperParameter(%#v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		in   any
		want string
	}{
		{json.RawMessage(`"\ud800"`), `lone surrogate \ud800`},
		{json.RawMessage(`"abc`), "unterminated string"},
		{json.RawMessage(`"a" "b"`), "after the value"},
		{"a\xff", "not valid UTF-8"},
		{func() {}, "func values cannot be encoded"},
	} {
		if got, err := HyperParameter(tc.in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("HyperParameter(%#v) = %q, %v; want an error containing %q", tc.in, got, err, tc.want)
		}
	}
}

func TestReformatOfMarshalIsFixed(t *testing.T) {
	// Reformat accepts everything Marshal writes and leaves it unchanged.
	for _, v := range []any{
		map[string]any{"a": []any{math.NaN(), math.Inf(-1), 1e-300, "é\x00"}},
		[]any{json.RawMessage(`{"z":1,"a":2}`), 0.0},
	} {
		m, err := Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Reformat([]byte(m))
		if err != nil || r != m {
			t.Errorf("Reformat(%s) = %s, %v", m, r, err)
		}
	}
}

type e1 struct{ N, M int }
type e2 struct{ N, O int }
type e3 struct {
	N int `json:"N"`
}
type deeper struct{ e1 }
type unexportedInner struct{ Q int }
type namedInt int

type embeds struct {
	e1
	e2
	*e3
	deeper
	unexportedInner `json:"inner"`
	namedInt
	Tagged e1 `json:"tagged"`
}

// TestStructsMatchEncodingJSON checks the struct field rules against
// encoding/json: the same object, only spaced as json.dumps.
func TestStructsMatchEncodingJSON(t *testing.T) {
	seven := 7
	for _, v := range []any{
		embeds{},
		embeds{e1: e1{1, 2}, e2: e2{3, 4}, e3: &e3{5}, deeper: deeper{e1{6, 7}}, unexportedInner: unexportedInner{8}, namedInt: 9},
		struct {
			e1
			e2
		}{e1{1, 2}, e2{3, 4}},
		tagged{A: 1, C: 2, D: &seven, E: 3, F: "f", G: 1.5, H: true, J: []int{}, L: &seven},
		outer{inner{1, 2}, "y"},
		withPtr{Z: 1},
		&holder{},
		holder{},
		struct {
			A string `json:"a,omitempty"`
			B string `json:"b!#$%&()*+-./:;<=>?@[]^_{|}~ "`
			C string `json:"ünï"`
			D string `json:"b\\"`
			E any    `json:",omitempty"`
			F map[string]int
			G [0]int `json:",omitempty"`
		}{B: "b", C: "c", D: "d"},
	} {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		wantText, err := Reformat(want)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Marshal(v)
		if err != nil {
			t.Fatalf("Marshal(%#v): %v", v, err)
		}
		if got != wantText {
			t.Errorf("Marshal(%#v)\n          got %s\nencoding/json %s", v, got, wantText)
		}
	}
}
