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

// Snake turns a Go name into snake case, keeping acronyms whole:
// "TrainingJob" → "training_job", "AutoMLJobV2" → "auto_ml_job_v2".
func Snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if i > 0 && r >= 'A' && r <= 'Z' && (rs[i-1] < 'A' || rs[i-1] > 'Z' || (i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z')) {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

// Kebab is Snake with hyphens: the resource part of an ARN
// ("training-job").
func Kebab(s string) string { return strings.ReplaceAll(Snake(s), "_", "-") }

// LowerFirst lower-cases a name's first word, keeping acronyms readable:
// "TrainingJobName" → "trainingJobName", "ARNType" → "arnType".
func LowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	i := 0
	for i < len(r) && r[i] >= 'A' && r[i] <= 'Z' {
		i++
	}
	if i > 1 && i < len(r) {
		i--
	}
	if i == 0 {
		i = 1
	}
	return strings.ToLower(string(r[:i])) + string(r[i:])
}

// Param is the Go parameter name of a member in a generated method:
// LowerFirst, with a trailing underscore where it would take a keyword or
// a name the method body uses.
func Param(member string) string {
	p := LowerFirst(member)
	switch p {
	case "type", "in", "c", "r", "ctx", "opts", "optFns", "out", "err", "req":
		p += "_"
	}
	return p
}

// SDKField is the aws-sdk-go-v2 Go name of a member: capitalised, with the
// names its generator escapes.
func SDKField(member string) string {
	n := Exported(member)
	switch n {
	case "String", "GetStream":
		return n + "_"
	}
	if r := []rune(n); len(r) > 0 && !unicode.IsLetter(r[0]) {
		return "X" + n
	}
	return n
}

// File is the name of the generated file of a resource (or of anything
// named like one): "zz_" + Snake(name) + ".go".
func File(name string) string { return "zz_" + Snake(name) + ".go" }
