package imageuris

import (
	"strings"
)

// compareVersions orders version strings such as "2.8", "2.8.0", "1.4-2",
// "1.4-2-py312", "0.90-1" and "latest" for listing and for picking the
// newest. It is compareNumeric with a tie-break on the text, so "2.8"
// sorts before "2.8.0" and the order is total.
func compareVersions(a, b string) int {
	if c := compareNumeric(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// versionAtLeast is Python's Version(v) >= Version(min) for the versions
// in the table ("1.13" equals "1.13.0").
func versionAtLeast(v, min string) bool { return compareNumeric(v, min) >= 0 }

// compareNumeric splits at '.' and '-' and compares segment by segment:
// numbers as numbers, a missing segment as 0 against a number and as less
// than a word, words as text and after numbers.
func compareNumeric(a, b string) int {
	as, bs := splitVersion(a), splitVersion(b)
	for i := range max(len(as), len(bs)) {
		var x, y string
		if i < len(as) {
			x = as[i]
		}
		if i < len(bs) {
			y = bs[i]
		}
		if c := compareSegments(x, y); c != 0 {
			return c
		}
	}
	return 0
}

func splitVersion(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == '.' || r == '-' })
}

func compareSegments(x, y string) int {
	if x == y {
		return 0
	}
	xn, yn := isNumber(x), isNumber(y)
	switch {
	case x == "" && yn:
		x, xn = "0", true
	case y == "" && xn:
		y, yn = "0", true
	case x == "":
		return -1
	case y == "":
		return 1
	}
	switch {
	case xn && yn:
		// Compare digit strings without converting: no overflow.
		x, y = strings.TrimLeft(x, "0"), strings.TrimLeft(y, "0")
		if len(x) != len(y) {
			if len(x) < len(y) {
				return -1
			}
			return 1
		}
		return strings.Compare(x, y)
	case xn:
		return -1
	case yn:
		return 1
	}
	return strings.Compare(x, y)
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
