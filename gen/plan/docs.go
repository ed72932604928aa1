package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/smcore-go/smcore/gen/model"
)

// Doc comments are planned with the rest, since the layout's size estimate
// counts their lines.

const (
	apiRef = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_"
	pkgDev = "https://pkg.go.dev/"
)

func sdkImport(pkg string) string {
	if pkg == "types" {
		return SDKTypesPath
	}
	return SDKPath
}

func oneOf(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	case 2, 3:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return strings.Join(names[:3], ", ") + fmt.Sprintf(" and %d more", len(names)-3)
}

// shapeDoc is a structure's or union's doc comment: what it is, the API
// reference and the SDK type it converts to (sdk; nil when none).
func (b *shapesBuilder) shapeDoc(s *model.Shape, sdk *GoType) []string {
	var first, ref string
	switch {
	case b.opIn[s] != nil:
		first = fmt.Sprintf("%s is the input of the %s operation.", s.Name, b.opIn[s].Name)
		ref = b.opIn[s].Name
	case b.opOut[s] != nil:
		first = fmt.Sprintf("%s is the output of the %s operation.", s.Name, b.opOut[s].Name)
		ref = b.opOut[s].Name
	case s.Error != nil:
		first = fmt.Sprintf("%s is an error the service returns (%s fault", s.Name, s.Error.Fault)
		if s.Error.HTTPStatus != 0 {
			first += fmt.Sprintf(", HTTP %d", s.Error.HTTPStatus)
		}
		first += ")."
		ref = s.Name
	case s.Kind == model.KindUnion:
		first = fmt.Sprintf("%s is a union: set exactly one member. Used by %s.", s.Name, oneOf(b.users[s]))
		ref = s.Name
	default:
		first = fmt.Sprintf("%s is a structure used by %s.", s.Name, oneOf(b.users[s]))
		ref = s.Name
	}
	lines := []string{first, ""}
	if s.Deprecated != nil {
		lines = append(lines, "Deprecated: "+deprecation(s.Deprecated), "")
	}
	lines = append(lines, "API reference: "+apiRef+ref+".html")
	if sdk != nil {
		lines = append(lines, "SDK type: "+pkgDev+sdk.Path+"#"+sdk.Name)
	}
	return lines
}

func (b *shapesBuilder) enumDoc(s *model.Shape) []string {
	doc := []string{s.Name + " is an enum of the SageMaker API. Values it does not list still round-trip."}
	if s.Deprecated != nil {
		doc = append(doc, "", "Deprecated: "+deprecation(s.Deprecated))
	}
	if b.sdk != nil {
		if e := b.sdk.Enums["types."+s.Name]; e != nil {
			doc = append(doc, "", "SDK type: "+pkgDev+SDKTypesPath+"#"+e.Name)
		}
	}
	return doc
}

func deprecation(d *model.Deprecation) string {
	msg := strings.TrimSpace(d.Message)
	if msg == "" {
		msg = "the model marks it deprecated."
	}
	if d.Since != "" {
		msg += " (since " + d.Since + ")"
	}
	return msg
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// memberDoc states a member's constraints: one line, then a deprecation.
func memberDoc(m *model.Member, patUsable, search bool) []string {
	var parts []string
	if m.Required {
		parts = append(parts, "Required.")
	}
	c := m.Effective()
	bound := func(what string, lo, hi *float64) {
		switch {
		case lo != nil && hi != nil:
			parts = append(parts, fmt.Sprintf("%s %s to %s.", what, fmtNum(*lo), fmtNum(*hi)))
		case lo != nil:
			parts = append(parts, fmt.Sprintf("%s at least %s.", what, fmtNum(*lo)))
		case hi != nil:
			parts = append(parts, fmt.Sprintf("%s at most %s.", what, fmtNum(*hi)))
		}
	}
	toF := func(p *int64) *float64 {
		if p == nil {
			return nil
		}
		f := float64(*p)
		return &f
	}
	bound("Length", toF(c.MinLength), toF(c.MaxLength))
	bound("Range", c.Min, c.Max)
	if c.Pattern != "" {
		s := "Pattern (whole value): " + unanchored(c.Pattern)
		if search {
			s = "Pattern (anchored only where written): " + c.Pattern
		}
		if !patUsable {
			s += " (not checked: Go's regexp cannot compile it)"
		}
		parts = append(parts, s)
	}
	if m.Target.Kind == model.KindEnum {
		parts = append(parts, "One of the "+m.Target.Name+" values.")
	}
	if m.IdempotencyToken {
		parts = append(parts, "Idempotency token: left unset, the SDK fills it.")
	}
	if m.IsSensitive() {
		parts = append(parts, "Sensitive: redacted by String and in errors.")
	}
	if m.JSONValue || m.Target.JSONValue {
		parts = append(parts, "Holds a JSON document.")
	}
	var out []string
	if len(parts) > 0 {
		out = append(out, strings.Join(parts, " "))
	}
	if m.Deprecated != nil {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, "Deprecated: "+deprecation(m.Deprecated))
	}
	return out
}
