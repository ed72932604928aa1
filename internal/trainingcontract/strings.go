package trainingcontract

import (
	"maps"
	"slices"
	"strings"
)

func sortStrings(s []string) { slices.Sort(s) }

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// Quote is s as one word of POSIX sh: single-quoted, with each ' written
// as '\”.
func Quote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// QuoteList is words as a list of sh words, for `eval "set -- $list"`.
func QuoteList(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = Quote(w)
	}
	return strings.Join(q, " ")
}
