package plan

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/smcore-go/smcore/gen/model"
)

var (
	bigRepeat = regexp.MustCompile(`\{(\d+),(\d+)\}`)
	uEscape   = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)
)

// goPattern translates an ECMA-262 pattern into Go's RE2 syntax where that
// keeps its meaning: \uXXXX escapes; repeat counts above RE2's limit of 1000
// are loosened (loose=true) because the member's length limit bounds them
// anyway. ok is false when the result still does not compile. A botocore
// pattern is a whole-value match (botocore strips Smithy's anchors and
// writes .* where a side was open), so it is anchored at both ends; a
// Smithy pattern (search) is not implicitly anchored, as the Smithy
// specification says: it keeps the anchors it has (^arn:…/ is "starts
// with"), and Go's MatchString searches as ECMA's test does.
func goPattern(p string, search bool) (src string, loose, ok bool) {
	// A surrogate pair range spelled in UTF-16 is the supplementary planes.
	src = strings.ReplaceAll(p, `\uD800\uDC00-\uDBFF\uDFFF`, `\x{10000}-\x{10FFFF}`)
	src = uEscape.ReplaceAllString(src, `\x{$1}`)
	src = javaClasses(src)
	if !search {
		src = "^(?:" + unanchored(src) + ")$"
	}
	src = bigRepeat.ReplaceAllStringFunc(src, func(m string) string {
		parts := bigRepeat.FindStringSubmatch(m)
		lo, _ := strconv.Atoi(parts[1])
		hi, _ := strconv.Atoi(parts[2])
		if hi <= 1000 {
			return m
		}
		loose = true
		if lo > 1000 {
			lo = 1000
		}
		return "{" + strconv.Itoa(lo) + ",}"
	})
	_, err := regexp.Compile(src)
	return src, loose, err == nil
}

// patKey is how the plan names a member's pattern: unanchored for a
// botocore model (see goPattern), as written for a Smithy model.
func (b *shapesBuilder) patKey(p string) string {
	if b.searches(p) {
		return p
	}
	return unanchored(p)
}

// searches reports whether pattern p searches rather than matches the
// whole value: a Smithy pattern not anchored at both ends. (Anchored at
// both ends, it means what botocore's unanchored form means, and is
// emitted the same way.)
func (b *shapesBuilder) searches(p string) bool {
	return b.svc.Source.Format == model.FormatSmithy && p != "" &&
		!(strings.HasPrefix(p, "^") && strings.HasSuffix(p, "$") && !strings.HasSuffix(p, `\$`))
}

// unanchored strips a leading ^ and a trailing unescaped $. Patterns are
// whole-value matches, as the service applies them: botocore strips the
// anchors from every pattern and Smithy keeps most, so both formats give the
// same pattern once unanchored, and the check anchors it again.
func unanchored(p string) string {
	p = strings.TrimPrefix(p, "^")
	if strings.HasSuffix(p, "$") && !strings.HasSuffix(p, `\$`) {
		p = strings.TrimSuffix(p, "$")
	}
	return p
}

// javaClasses rewrites Java's POSIX classes (\p{Alnum}, …), which RE2
// spells [[:alnum:]], inside and outside bracket expressions.
func javaClasses(p string) string {
	classes := map[string]string{`\p{Alnum}`: "alnum", `\p{Alpha}`: "alpha", `\p{Digit}`: "digit", `\p{Upper}`: "upper", `\p{Lower}`: "lower", `\p{Punct}`: "punct", `\p{Space}`: "space"}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			matched := false
			for java, posix := range classes {
				if strings.HasPrefix(p[i:], java) {
					if inClass {
						b.WriteString("[:" + posix + ":]")
					} else {
						b.WriteString("[[:" + posix + ":]]")
					}
					i += len(java) - 1
					matched = true
					break
				}
			}
			if !matched {
				b.WriteString(p[i : i+2])
				i++
			}
			continue
		}
		switch p[i] {
		case '[':
			inClass = true
		case ']':
			inClass = false
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// computePatterns builds the pattern table: every pattern of an emitted
// member, list item, map key or value, once, sorted; unusable ones get
// slot -1 and are listed in BadPatterns.
func (b *shapesBuilder) computePatterns(shapes []*model.Shape) {
	seen := map[string]bool{}
	var all []string
	search := map[string]bool{} // key -> the pattern searches
	add := func(m *model.Member) {
		raw := m.Effective().Pattern
		if p := b.patKey(raw); p != "" && !seen[p] {
			seen[p] = true
			search[p] = b.searches(raw)
			all = append(all, p)
		}
	}
	var visit func(m *model.Member)
	visit = func(m *model.Member) {
		add(m)
		switch m.Target.Kind {
		case model.KindList:
			visit(m.Target.ListMember)
		case model.KindMap:
			visit(m.Target.MapKey)
			visit(m.Target.MapValue)
		}
	}
	for _, s := range shapes {
		for _, m := range s.Members {
			visit(m)
		}
	}
	slices.Sort(all)
	for _, p := range all {
		src, loose, ok := goPattern(p, search[p])
		if !ok {
			b.patIdx[p] = -1
			b.out.BadPatterns = append(b.out.BadPatterns, p)
			continue
		}
		if loose {
			b.out.LoosenedPatterns = append(b.out.LoosenedPatterns, p)
		}
		b.patIdx[p] = len(b.out.Patterns)
		b.out.Patterns = append(b.out.Patterns, Pattern{Model: p, Src: src})
	}
}
