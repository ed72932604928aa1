package emulator

import (
	"slices"
	"testing"
)

func TestClassicImageCommandLookup(t *testing.T) {
	s := New(WithImageCommands(map[string][]string{
		"reg/xgboost:1.7-1": {"exact"},
		"reg/xgboost:*":     {"tag"},
		"reg/*":             {"registry"},
		"reg/empty":         {},
		"reg/blank":         {""},
		"reg/star*":         {"star"},
	}), WithImageCommands(map[string][]string{"reg/*": {"registry2"}}))
	for image, want := range map[string]string{
		"reg/xgboost:1.7-1": "exact", "reg/xgboost:1.5": "tag", "reg/pytorch:2": "registry2",
		"reg/empty": "registry2", "reg/blank": "registry2", "reg/stars": "star", "other/x": "", "": "",
	} {
		got := imageCommand(s.imageCommands, image)
		if want == "" && got != nil || want != "" && !slices.Equal(got, []string{want}) {
			t.Errorf("%q: got %q, want %q", image, got, want)
		}
	}
	// The option keeps a copy of the table.
	table := map[string][]string{"img": {"a", "b"}}
	s = New(WithImageCommands(table))
	table["img"][0] = "changed"
	if got := imageCommand(s.imageCommands, "img"); got[0] != "a" {
		t.Errorf("the table is shared with the caller: %q", got)
	}
}
