package emulator

import (
	"slices"
	"testing"
)

// TestImageCommandsOption: later calls add to the table and replace its
// entries, an entry without a command is dropped, and the table is a copy.
func TestImageCommandsOption(t *testing.T) {
	s := New(WithImageCommands(map[string][]string{
		"reg/xgboost:1.7-1": {"exact"},
		"reg/*":             {"registry"},
		"reg/empty":         {},
		"reg/blank":         {""},
	}), WithImageCommands(map[string][]string{"reg/*": {"registry2"}}))
	want := map[string][]string{"reg/xgboost:1.7-1": {"exact"}, "reg/*": {"registry2"}}
	if len(s.imageCommands) != len(want) {
		t.Errorf("table %q, want %q", s.imageCommands, want)
	}
	for k, v := range want {
		if !slices.Equal(s.imageCommands[k], v) {
			t.Errorf("%q: %q, want %q", k, s.imageCommands[k], v)
		}
	}
	table := map[string][]string{"img": {"a", "b"}}
	s = New(WithImageCommands(table))
	table["img"][0] = "changed"
	if got := s.imageCommands["img"]; got[0] != "a" {
		t.Errorf("the table is shared with the caller: %q", got)
	}
}
