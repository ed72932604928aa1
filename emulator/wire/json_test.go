package wire

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// same checks that AppendJSON encodes v exactly as encoding/json does.
func same(t *testing.T, v any) {
	t.Helper()
	want, werr := json.Marshal(v)
	got, gerr := AppendJSON(nil, v)
	if (werr != nil) != (gerr != nil) || werr == nil && !bytes.Equal(got, want) {
		t.Fatalf("%#v:\nencoding/json %s (%v)\nAppendJSON    %s (%v)", v, want, werr, got, gerr)
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	for _, v := range []any{
		nil, "", "plain", `quote " backslash \ slash /`, "<html> & co", "tab\tnl\nret\rbs\bff\f\x00\x01\x1f\x7f",
		"é ü 中文 😀", "\u2028\u2029", "bad \xff utf8 \xc3", "\xed\xa0\x80", true, false,
		json.Number("0"), json.Number("-1.5e+10"), json.Number("12"), json.Number(""), json.Number("01"), json.Number("1."), json.Number("abc"),
		json.Number("-"), json.Number("1e"), json.Number("0.5E-3"),
		1, int32(-7), int64(1 << 60), 1.5, 1e21, float32(0.1),
		map[string]any{}, map[string]any(nil), []any{}, []any(nil), []map[string]any(nil), []string{"a", "<"}, map[string]string{"b": "2", "a": "1"},
		map[string]any{"b": []any{1, "x", map[string]any{"z": nil, "a": true}}, "a": json.Number("3"), "<k>": []map[string]any{{"S": "x"}}},
		map[string]any{"bad": json.Number("x")}, []any{struct{ A int }{1}},
	} {
		same(t, v)
	}
}

func TestAppendJSONRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "Z", "<", ">", "&", "\"", "\\", "\n", "\x00", "\x1f", "é", "\u2028", "\xff", "😀", " ", "0"}
	str := func() string {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	var value func(depth int) any
	value = func(depth int) any {
		switch k := r.IntN(8); {
		case depth > 3 || k < 3:
			return []any{str(), json.Number("1.25"), true, nil, 42}[r.IntN(5)]
		case k < 5:
			m := map[string]any{}
			for range r.IntN(5) {
				m[str()] = value(depth + 1)
			}
			return m
		case k < 7:
			var l []any
			for range r.IntN(5) {
				l = append(l, value(depth+1))
			}
			return l
		default:
			return []map[string]any{{"Status": str(), "StartTime": json.Number("1.7e9")}}
		}
	}
	for range 2000 {
		same(t, value(0))
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a<b>&c", "\xff\u2028\x00", "😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		same(t, s)
		same(t, map[string]any{s: s})
		same(t, json.Number(s))
	})
}
