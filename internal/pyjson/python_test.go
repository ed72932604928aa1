package pyjson

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// pythonScript prints json.dumps(json.loads(line)) for each line of stdin.
const pythonScript = `
import json, sys
for line in sys.stdin.buffer:
    sys.stdout.write(json.dumps(json.loads(line)) + "\n")
`

// pythonDumps runs Python's json.dumps(json.loads(line)) on each line; in
// CI a missing python3 fails the test, elsewhere it skips it.
func pythonDumps(t *testing.T, lines []string) []string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python3 not found (required in CI): %v", err)
		}
		t.Skipf("python3 not found, cannot cross-check against json.dumps: %v", err)
	}
	cmd := exec.Command(py, "-c", pythonScript)
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.Bytes())
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(got) != len(lines) {
		t.Fatalf("python3 wrote %d lines for %d inputs", len(got), len(lines))
	}
	return got
}

// gen makes random values together with a JSON text of each in a style
// unlike json.dumps (no spaces, floats in Go's %e form, strings partly
// raw UTF-8 and partly \u escapes in upper case), which Python reads into
// the same value.
type gen struct{ r *rand.Rand }

func (g gen) value(depth int) (any, string) {
	n := 9
	if depth >= 3 {
		n = 6 // scalars only
	}
	switch g.r.IntN(n) {
	case 0:
		return nil, "null"
	case 1:
		b := g.r.IntN(2) == 0
		return b, strconv.FormatBool(b)
	case 2:
		return g.int()
	case 3, 4:
		f := g.float()
		if g.r.IntN(4) == 0 {
			f32 := float32(f)
			return f32, floatText(float64(f32), 32)
		}
		return f, floatText(f, 64)
	case 5:
		s := g.string()
		return s, g.quote(s)
	case 6, 7:
		var list []any
		var texts []string
		for range g.r.IntN(5) {
			v, text := g.value(depth + 1)
			list = append(list, v)
			texts = append(texts, text)
		}
		if list == nil {
			list = []any{}
		}
		return list, "[" + strings.Join(texts, ",") + "]"
	default:
		m := map[string]any{}
		texts := map[string]string{}
		for range g.r.IntN(5) {
			k := g.string()
			m[k], texts[k] = g.value(depth + 1)
		}
		// Python keeps the order of the text; Marshal sorts Go's map keys.
		var members []string
		for _, k := range slices.Sorted(maps.Keys(m)) {
			members = append(members, g.quote(k)+":"+texts[k])
		}
		return m, "{" + strings.Join(members, ",") + "}"
	}
}

func (g gen) int() (any, string) {
	switch g.r.IntN(4) {
	case 0:
		n := g.r.Int64N(2001) - 1000
		return n, strconv.FormatInt(n, 10)
	case 1:
		n := int64(g.r.Uint64())
		return n, strconv.FormatInt(n, 10)
	case 2:
		n := g.r.Uint64()
		return n, strconv.FormatUint(n, 10)
	default:
		n := []int64{0, math.MaxInt64, math.MinInt64, 1 << 53, 1<<53 + 1}[g.r.IntN(5)]
		return n, strconv.FormatInt(n, 10)
	}
}

// floatText writes f so that Python reads the same float: %e always reads
// as a float, and the shortest digits read back exactly.
func floatText(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'e', -1, bits)
}

func (g gen) float() float64 {
	switch g.r.IntN(10) {
	case 0:
		return math.Float64frombits(g.r.Uint64()) // anything, NaN included
	case 1:
		return math.Float64frombits(g.r.Uint64N(1 << 20)) // denormal
	case 2:
		return []float64{math.Copysign(0, -1), 0, math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, math.SmallestNonzeroFloat64}[g.r.IntN(7)]
	case 3:
		// Around the switch between fixed and exponent notation.
		f := []float64{1e-4, 1e-5, 1e15, 1e16, 9999999999999998, 0.00009999}[g.r.IntN(6)]
		return math.Nextafter(f, []float64{0, math.Inf(1), f}[g.r.IntN(3)])
	case 4:
		return float64(g.r.Int64N(1<<54) - 1<<53) // whole numbers
	case 5:
		return float64(g.r.Int64N(100000)) / math.Pow10(g.r.IntN(10)) // short decimals
	case 6:
		return g.r.NormFloat64() * math.Pow10(g.r.IntN(600)-300)
	default:
		return (g.r.Float64() - 0.5) * math.Pow10(g.r.IntN(40)-20)
	}
}

func (g gen) string() string {
	var sb strings.Builder
	for range g.r.IntN(8) {
		var r rune
		switch g.r.IntN(9) {
		case 0:
			r = rune(g.r.IntN(0x20)) // control
		case 1:
			r = []rune{'"', '\\', '/', 0x7f, '<', '>', '&', 0x2028, 0x2029, 0xfffd, 0xfeff}[g.r.IntN(11)]
		case 2:
			r = rune(0x80 + g.r.IntN(0x780)) // Latin and more
		case 3:
			for r = rune(0x800 + g.r.IntN(0x10000-0x800)); r >= 0xd800 && r < 0xe000; r = rune(0x800 + g.r.IntN(0x10000-0x800)) {
			}
		case 4:
			r = rune(0x10000 + g.r.IntN(0x100000)) // astral
		default:
			r = rune(0x20 + g.r.IntN(0x5f)) // printable ASCII
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// quote writes s as a JSON string, each character at random raw or as an
// upper-case \u escape (a surrogate pair for astral ones).
func (g gen) quote(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		must := r < 0x20 || r == '"' || r == '\\'
		if !must && g.r.IntN(3) > 0 {
			sb.WriteRune(r)
			continue
		}
		if r >= 0x10000 {
			r -= 0x10000
			fmt.Fprintf(&sb, `\u%04X\u%04X`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			continue
		}
		fmt.Fprintf(&sb, `\u%04X`, r)
	}
	sb.WriteByte('"')
	return sb.String()
}

// reformatInput makes a JSON text for Reformat: no floats (Reformat keeps
// their literals, Python re-renders them), random spacing, duplicate keys
// spelled differently, lone surrogates.
func (g gen) reformatInput(depth int) string {
	ws := func() string { return []string{"", " ", "\n", "\t ", "\r\n  "}[g.r.IntN(5)] }
	switch k := g.r.IntN(8); {
	case depth >= 3 || k < 3:
		switch g.r.IntN(5) {
		case 0:
			return []string{"null", "true", "false"}[g.r.IntN(3)]
		case 1:
			_, text := g.int()
			return text
		case 2:
			return `"` + []string{`\ud800`, `\uDFFF`, `a\udc00b`, `\ud83d`, `\/\b\f\n\r\t`}[g.r.IntN(5)] + `"`
		default:
			return g.quote(g.string())
		}
	case k < 5:
		var texts []string
		for range g.r.IntN(5) {
			texts = append(texts, ws()+g.reformatInput(depth+1)+ws())
		}
		return "[" + strings.Join(texts, ",") + ws() + "]"
	default:
		var keys, texts []string
		for range g.r.IntN(6) {
			var key string
			if len(keys) > 0 && g.r.IntN(3) == 0 {
				key = keys[g.r.IntN(len(keys))] // a duplicate, maybe respelled
			} else {
				key = g.string()
			}
			keys = append(keys, key)
			texts = append(texts, ws()+g.quote(key)+ws()+":"+ws()+g.reformatInput(depth+1)+ws())
		}
		return "{" + strings.Join(texts, ",") + ws() + "}"
	}
}

func TestAgainstPython(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(1, 2))}
	var values []any
	var lines []string
	for range 200 {
		v, text := g.value(0)
		if !utf8.ValidString(text) {
			t.Fatalf("generated text is not UTF-8: %q", text)
		}
		values = append(values, v)
		lines = append(lines, text)
	}
	var reformatInputs []string
	for range 100 {
		// Python reads lines: newlines inside the text become spaces.
		in := strings.NewReplacer("\r\n", "  ", "\n", " ").Replace(g.reformatInput(0))
		reformatInputs = append(reformatInputs, in)
	}
	want := pythonDumps(t, append(slices.Clone(lines), reformatInputs...))

	for i, v := range values {
		got, err := Marshal(v)
		if err != nil {
			t.Errorf("Marshal(%#v): %v", v, err)
			continue
		}
		if got != want[i] {
			t.Errorf("value %d, text %s:\n Marshal %s\n  Python %s", i, lines[i], got, want[i])
		}
		if r, err := Reformat([]byte(want[i])); err != nil || r != want[i] {
			t.Errorf("Reformat of Python's %s = %s, %v; want it unchanged", want[i], r, err)
		}
	}
	for i, in := range reformatInputs {
		w := want[len(values)+i]
		got, err := Reformat([]byte(in))
		if err != nil {
			t.Errorf("Reformat(%s): %v", in, err)
			continue
		}
		if got != w {
			t.Errorf("Reformat(%s)\n    got %s\n Python %s", in, got, w)
		}
	}
}
