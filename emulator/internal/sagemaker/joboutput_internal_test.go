package sagemaker

import (
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// TestSplitOutputLineEnds: '\n', '\r' and "\r\n" end lines, also when a
// read ends between the '\r' and the '\n'; blank lines are kept, the empty
// text before a '\r' is not; the text after the last line end is a line.
func TestSplitOutputLineEnds(t *testing.T) {
	in := "a\n\nb\r\nc\r\rd\re\n\r 10%\r 20%\r\nlast"
	want := []string{"a", "", "b", "c", "d", "e", " 10%", " 20%", "last"}
	for name, r := range map[string]io.Reader{
		"whole":    strings.NewReader(in),
		"bytewise": iotest.OneByteReader(strings.NewReader(in)),
	} {
		var got []string
		splitOutput(r, func(l string) { got = append(got, l) })
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}
