package imageuris

import (
	"fmt"
	"strings"
)

// Fields an Error can name: the Request field that was rejected.
const (
	FieldFramework            = "framework"
	FieldScope                = "scope"
	FieldVersion              = "version"
	FieldBaseFrameworkVersion = "base framework version"
	FieldPythonVersion        = "python version"
	FieldRegion               = "region"
	FieldInstanceType         = "instance type"
)

// Error is a request the table cannot serve. Valid lists the choices the
// table has for Field at that point of the resolution (the regions of the
// chosen version, the versions of the chosen scope, …); it is empty when
// the value is rejected for a rule rather than missing from a list (a p2
// instance with PyTorch 2.x, a Graviton instance).
//
//	imageuris: region "xx-1": pytorch 2.8.0 training images are in: af-south-1, …
type Error struct {
	Field  string   // one of the Field constants
	Value  string   // the value given; "" when none was
	Reason string   // what the table holds or which rule applies
	Valid  []string // the valid choices, sorted
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("imageuris: ")
	if e.Value == "" {
		fmt.Fprintf(&b, "no %s given", e.Field)
	} else {
		fmt.Fprintf(&b, "%s %q", e.Field, e.Value)
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if len(e.Valid) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(e.Valid, ", "))
	}
	return b.String()
}
