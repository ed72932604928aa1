package shapes

import (
	"reflect"
	"testing"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/internal/testmodel"
)

// TestZeroValuesDistinguishable checks every member of the pinned model:
// where the model allows a member's zero value (false, 0, "", empty list),
// the Go field must tell it from unset (pointer, slice or map); a plain
// value is allowed only where the model forbids the zero value.
func TestZeroValuesDistinguishable(t *testing.T) {
	svc := testmodel.Pinned(t)
	types := map[string]reflect.Type{}
	for _, c := range generatedShapes {
		types[c.name] = c.typ
	}
	members := 0
	for _, s := range svc.Reachable() {
		if s.Kind != model.KindStructure && s.Kind != model.KindUnion {
			continue
		}
		typ, ok := types[s.Name]
		if !ok {
			t.Errorf("shape %s has no generated type", s.Name)
			continue
		}
		if typ.NumField() != len(s.Members) {
			t.Errorf("%s: %d fields for %d members", s.Name, typ.NumField(), len(s.Members))
		}
		for _, m := range s.Members {
			members++
			f, ok := typ.FieldByName(m.Name)
			if !ok {
				t.Errorf("%s.%s: no field", s.Name, m.Name)
				continue
			}
			switch f.Type.Kind() {
			case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
				continue
			}
			if s.Kind == model.KindUnion {
				t.Errorf("%s.%s: union member is plain %s", s.Name, m.Name, f.Type)
				continue
			}
			if why := zeroForbidden(m); why == "" {
				t.Errorf("%s.%s is plain %s but the model allows its zero value", s.Name, m.Name, f.Type)
			}
		}
	}
	if members < 5000 {
		t.Fatalf("only %d members checked", members)
	}
}

// zeroForbidden says why the model rules out a member's zero value, or "".
func zeroForbidden(m *model.Member) string {
	c := m.Effective()
	switch m.Target.Kind {
	case model.KindEnum:
		for _, e := range m.Target.Enum {
			if e.Value == "" {
				return ""
			}
		}
		return "enum without an empty value"
	case model.KindString:
		if c.MinLength != nil && *c.MinLength > 0 {
			return "minimum length > 0"
		}
	case model.KindInteger, model.KindLong, model.KindFloat, model.KindDouble:
		if (c.Min != nil && *c.Min > 0) || (c.Max != nil && *c.Max < 0) {
			return "range excludes 0"
		}
	}
	return ""
}
