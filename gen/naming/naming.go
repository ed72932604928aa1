// Package naming is the one authority for Go names derived from model names,
// used by every emitter so that both model formats give the same Go code.
package naming

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Exported returns name with its first letter upper-cased.
func Exported(name string) string {
	if name == "" {
		return name
	}
	r := []rune(name)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// Pascal turns a wire value such as "ml.m5.xlarge", "CREATE_FAILED" or
// "InProgress" into "MlM5Xlarge", "CreateFailed", "InProgress": it splits on
// every character that is not a letter or digit; a part in one case is
// title-cased, a mixed-case part keeps its inner capitals.
func Pascal(value string) string {
	var b strings.Builder
	for part := range strings.FieldsFuncSeq(value, func(r rune) bool {
		return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	}) {
		upper, lower := false, false
		for _, r := range part {
			upper = upper || unicode.IsUpper(r)
			lower = lower || unicode.IsLower(r)
		}
		if !(upper && lower) {
			part = strings.ToLower(part)
		}
		b.WriteString(Exported(part))
	}
	return b.String()
}

// EnumConsts returns the Go constant names of an enum's values: the type
// name followed by Pascal(value). Names that would collide get a numeric
// suffix, assigned in sorted value order so that model order does not
// matter. A value with no letter or digit becomes "Value<N>".
func EnumConsts(typeName string, values []string) map[string]string {
	sorted := slices.Clone(values)
	slices.SortFunc(sorted, cmp.Compare)
	sorted = slices.Compact(sorted)
	out := make(map[string]string, len(sorted))
	used := map[string]bool{}
	for i, v := range sorted {
		base := Pascal(v)
		if base == "" {
			base = "Value" + strconv.Itoa(i)
		}
		name := typeName + base
		for n := 2; used[name]; n++ {
			name = typeName + base + strconv.Itoa(n)
		}
		used[name] = true
		out[v] = name
	}
	return out
}
