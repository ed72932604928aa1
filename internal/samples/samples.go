// Package samples builds small valid request values from the API model,
// for tests: required members only, strings made to match their patterns
// and lengths. smgen writes them, as JSON, into the local endpoint's
// generated tests (emulator/zz_codec_test.go, zz_lifecycle_test.go).
package samples

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"time"

	"github.com/smcore-go/smcore/gen/model"
)

// Value returns the smallest JSON value (as encoding/json would decode it)
// that the model accepts for m.
func Value(m *model.Member) any { return (&sample{}).value(m) }

// sample tracks recursion depth.
type sample struct{ depth int }

func (s *sample) value(m *model.Member) any {
	t := m.Target
	c := m.Effective()
	switch t.Kind {
	case model.KindString:
		return patternString(c)
	case model.KindEnum:
		return t.Enum[0].Value
	case model.KindBoolean:
		return false
	case model.KindInteger, model.KindLong:
		n := 1.0
		if c.Min != nil && *c.Min > n {
			n = *c.Min
		}
		if c.Max != nil && *c.Max < n {
			n = *c.Max
		}
		return int64(n)
	case model.KindFloat, model.KindDouble:
		n := 1.0
		if c.Min != nil && *c.Min > n {
			n = *c.Min
		}
		if c.Max != nil && *c.Max < n {
			n = *c.Max
		}
		return n
	case model.KindTimestamp:
		return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	case model.KindBlob:
		return "YQ=="
	case model.KindList:
		n := 0
		if c.MinLength != nil {
			n = int(*c.MinLength)
		}
		out := []any{}
		for range min(n, 3) {
			out = append(out, s.value(t.ListMember))
		}
		return out
	case model.KindMap:
		out := map[string]any{}
		if c.MinLength != nil && *c.MinLength > 0 {
			out[patternString(t.MapKey.Effective())] = s.value(t.MapValue)
		}
		return out
	case model.KindStructure, model.KindUnion:
		s.depth++
		defer func() { s.depth-- }()
		out := map[string]any{}
		if s.depth > 12 {
			return out
		}
		for _, mm := range t.Members {
			if mm.Required || (t.Kind == model.KindUnion && len(out) == 0) {
				out[mm.Name] = s.value(mm)
			}
		}
		return out
	}
	return nil
}

// patternString makes a string that matches c's pattern (as a whole
// value) and length, or "a…" when there is no pattern.
func patternString(c model.Constraints) string {
	lo, hi := 3, 64
	if c.MinLength != nil {
		lo = max(int(*c.MinLength), 1)
	}
	if c.MaxLength != nil {
		hi = int(*c.MaxLength)
		lo = min(lo, hi)
	}
	p := strings.TrimSuffix(strings.TrimPrefix(c.Pattern, "^"), "$")
	// RE2 refuses repeat counts above 1000; the length limit bounds them anyway.
	p = bigRepeat.ReplaceAllString(p, "{$1,}")
	if p == "" {
		return strings.Repeat("a", min(max(lo, 3), hi))
	}
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return strings.Repeat("a", min(max(lo, 3), hi))
	}
	var b strings.Builder
	gen(&b, re.Simplify(), lo)
	return b.String()
}

// gen writes a string matching re, repeating open-ended parts until the
// output is at least want long.
func gen(b *strings.Builder, re *syntax.Regexp, want int) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		r := re.Rune[0]
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= 'a' && 'a' <= re.Rune[i+1] {
				r = 'a'
				break
			}
			if re.Rune[i] <= '0' && '0' <= re.Rune[i+1] && r != 'a' {
				r = '0'
			}
		}
		b.WriteRune(r)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('a')
	case syntax.OpCapture:
		gen(b, re.Sub[0], want)
	case syntax.OpConcat:
		for _, s := range re.Sub {
			gen(b, s, want)
		}
	case syntax.OpAlternate:
		gen(b, re.Sub[0], want)
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		lo, hi := re.Min, re.Max
		switch re.Op {
		case syntax.OpStar:
			lo, hi = 0, -1
		case syntax.OpPlus:
			lo, hi = 1, -1
		}
		for i := 0; i < 64; i++ {
			if (hi >= 0 && i >= hi) || (i >= lo && b.Len() >= want) {
				break
			}
			gen(b, re.Sub[0], want)
		}
	}
}

var bigRepeat = regexp.MustCompile(`\{(\d+),\d{4,}\}`)
