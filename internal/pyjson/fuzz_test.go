package pyjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"testing"
	"unicode/utf8"
)

func FuzzReformat(f *testing.F) {
	for _, seed := range []string{
		`null`, `{"a": [1, 2.50, -0, 1e400]}`, `{"a":1,"a":{"a":2}}`, `"\u00e9\ud800\uD83D\uDE00é\/"`,
		`[NaN, Infinity, -Infinity]`, " [ \"\x7f\" ,\t{} ]\n", `{"é":1,"\u00e9":2}`, `[1,]`, `"\x"`, "\"\xff\"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := Reformat(in)
		if err != nil {
			if json.Valid(in) && utf8.Valid(in) && !errors.Is(err, errTooDeep) {
				t.Fatalf("Reformat(%q) of valid JSON: %v", in, err)
			}
			return
		}
		again, err := Reformat([]byte(out))
		if err != nil {
			t.Fatalf("Reformat(%q) = %q, which Reformat refuses: %v", in, out, err)
		}
		if again != out {
			t.Fatalf("Reformat is not idempotent on %q:\n once %q\ntwice %q", in, out, again)
		}
		if !json.Valid(in) {
			return // NaN and the like: encoding/json cannot compare them
		}
		want, err := decodeNumbers(in)
		if err != nil {
			t.Fatalf("decoding input %q: %v", in, err)
		}
		got, err := decodeNumbers([]byte(out))
		if err != nil {
			t.Fatalf("Reformat(%q) = %q, which encoding/json cannot decode: %v", in, out, err)
		}
		if !sameValue(got, want) {
			t.Fatalf("Reformat(%q) = %q: value %#v, want %#v", in, out, got, want)
		}
	})
}

func decodeNumbers(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// sameValue compares decoded JSON, numbers by their float64 value (their
// literal when it is out of range).
func sameValue(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		b, ok := b.(json.Number)
		if !ok {
			return false
		}
		fa, errA := strconv.ParseFloat(string(a), 64)
		fb, errB := strconv.ParseFloat(string(b), 64)
		if errA != nil || errB != nil {
			return a == b
		}
		return fa == fb
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !sameValue(a[i], b[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	default:
		return reflect.DeepEqual(a, b)
	}
}
