package modeldiff

import (
	"fmt"
	"io"
	"strings"
)

// String returns a count as "+a -r ~c".
func (c Count) String() string { return fmt.Sprintf("+%d -%d ~%d", c.Added, c.Removed, c.Changed) }

// Rows returns the summary as label and value pairs, e.g. "operations",
// "+14 -0 ~5".
func (s Summary) Rows() [][2]string {
	return [][2]string{
		{"operations", s.Operations.String()},
		{"errors", fmt.Sprintf("+%d -%d (of operations present in both)", s.Errors.Added, s.Errors.Removed)},
		{"shapes", s.Shapes.String()},
		{"members", s.Members.String() + fmt.Sprintf(" (of shapes present in both; %d became required, %d became optional)", s.BecameRequired, s.BecameOptional)},
		{"enum values", fmt.Sprintf("+%d -%d (of enums present in both)", s.EnumValues.Added, s.EnumValues.Removed)},
		{"constraints", fmt.Sprintf("~%d", s.Constraints)},
		{"waiters", s.Waiters.String()},
	}
}

func (s Side) String() string {
	sha := s.SHA256
	if len(sha) > 12 {
		sha = sha[:12]
	}
	return fmt.Sprintf("%s model %s, API %s: %s, %s, %s (sha256 %s)", s.Format, strings.Join(s.Files, " + "), s.APIVersion,
		plural(s.Operations, "operation"), plural(s.Shapes, "shape"), plural(s.Waiters, "waiter"), sha)
}

// changeText renders a change without its sign: "member Foo: String",
// "enum value \"X\"", "member Foo required: true -> false".
func changeText(c Change, arrow string, quote func(string) string) string {
	if c.Field == "" {
		v := c.New
		if c.Status == Removed {
			v = c.Old
		}
		if strings.HasPrefix(c.Subject, "member ") {
			return c.Subject + ": " + v
		}
		return c.Subject + " " + v
	}
	head := c.Field
	if c.Subject != "" {
		head = c.Subject + " " + c.Field
	}
	return head + ": " + quote(c.Old) + " " + arrow + " " + quote(c.New)
}

type section struct {
	title string
	items []Item
}

func (d *Diff) sections() []section {
	return []section{{"Operations", d.Operations}, {"Shapes", d.Shapes}, {"Waiters", d.Waiters}}
}

func countItems(items []Item) Count {
	var c Count
	for _, it := range items {
		c.add(it.Status)
	}
	return c
}

// WriteText writes the diff as plain text.
func (d *Diff) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "old: %s\nnew: %s\n\n", d.Old, d.New)
	b.WriteString("Summary\n")
	for _, r := range d.Summary().Rows() {
		fmt.Fprintf(&b, "  %-12s %s\n", r[0], r[1])
	}
	if d.Empty() {
		b.WriteString("\nNo changes.\n")
	}
	id := func(s string) string { return s }
	if len(d.Service) > 0 {
		b.WriteString("\nService\n")
		for _, c := range d.Service {
			b.WriteString("  ~ " + changeText(c, "->", id) + "\n")
		}
	}
	for _, s := range d.sections() {
		if len(s.items) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s (%s)\n", s.title, countItems(s.items))
		for _, it := range s.items {
			b.WriteString("  " + it.Status.Sign() + " " + it.Name)
			if it.Detail != "" {
				b.WriteString(": " + it.Detail)
			}
			b.WriteString("\n")
			for _, c := range it.Changes {
				b.WriteString("      " + c.Status.Sign() + " " + changeText(c, "->", id) + "\n")
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the diff as markdown.
func (d *Diff) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Model diff\n\n")
	fmt.Fprintf(&b, "- old: %s\n- new: %s\n\n", d.Old, d.New)
	b.WriteString("## Summary\n\n")
	for _, r := range d.Summary().Rows() {
		fmt.Fprintf(&b, "- %s: %s\n", r[0], r[1])
	}
	if d.Empty() {
		b.WriteString("\nNo changes.\n")
	}
	if len(d.Service) > 0 {
		b.WriteString("\n## Service\n\n")
		for _, c := range d.Service {
			b.WriteString("- " + changeText(c, "→", code) + "\n")
		}
	}
	for _, s := range d.sections() {
		if len(s.items) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n## %s (%s)\n\n", s.title, countItems(s.items))
		for _, it := range s.items {
			fmt.Fprintf(&b, "- **%s** `%s`", it.Status.Sign(), it.Name)
			if it.Detail != "" {
				b.WriteString(": " + it.Detail)
			}
			b.WriteString("\n")
			for _, c := range it.Changes {
				b.WriteString("  - **" + c.Status.Sign() + "** " + changeText(c, "→", code) + "\n")
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// code renders a value as a markdown code span.
func code(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
