package shapes

import (
	"reflect"
	"testing"
	"time"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/internal/testmodel"
)

// TestMembersFollowTheKindRule checks every member of the pinned model
// against the one rule of docs/resources.md: strings, enums and timestamps
// are plain values; numbers, booleans, structures and unions are pointers;
// lists, maps, blobs and documents are nil when absent; union members are
// pointers (or slices and maps).
func TestMembersFollowTheKindRule(t *testing.T) {
	svc := testmodel.Generated(t)
	cases := map[string]shapeCase{}
	for _, c := range generatedShapes {
		cases[c.name] = c
	}
	members := 0
	for _, s := range svc.Reachable() {
		if s.Kind != model.KindStructure && s.Kind != model.KindUnion {
			continue
		}
		c, ok := cases[s.Name]
		if !ok {
			t.Errorf("shape %s has no generated type", s.Name)
			continue
		}
		if c.typ.NumField() != len(s.Members) {
			t.Errorf("%s: %d fields for %d members", s.Name, c.typ.NumField(), len(s.Members))
		}
		_, unionLike := unionTypes[c.typ]
		for _, m := range s.Members {
			members++
			f, ok := c.typ.FieldByName(m.Name)
			if !ok {
				t.Errorf("%s.%s: no field", s.Name, m.Name)
				continue
			}
			want := wantKind(m.Target.Kind, unionLike)
			if f.Type.Kind() != want {
				t.Errorf("%s.%s (%s): Go type %s, want a %s", s.Name, m.Name, m.Target.Kind, f.Type, want)
			}
		}
	}
	if members < 5000 {
		t.Fatalf("only %d members checked", members)
	}
}

func wantKind(k model.Kind, union bool) reflect.Kind {
	switch k {
	case model.KindList, model.KindBlob:
		return reflect.Slice
	case model.KindMap:
		return reflect.Map
	case model.KindDocument:
		return reflect.Slice // json.RawMessage
	}
	if union {
		return reflect.Pointer
	}
	switch k {
	case model.KindString, model.KindEnum:
		return reflect.String
	case model.KindTimestamp:
		return reflect.Struct // time.Time
	}
	return reflect.Pointer
}

// TestRequiredPlainMembersAreSent checks every plain string and timestamp
// member of every shape the SDK has: left zero, a required member still
// reaches the SDK (a Tag's empty Value must reach the service) and an
// optional one is omitted. Idempotency tokens left empty are omitted, for
// the SDK to fill.
func TestRequiredPlainMembersAreSent(t *testing.T) {
	svc := testmodel.Generated(t)
	cases := map[string]shapeCase{}
	for _, c := range generatedShapes {
		cases[c.name] = c
	}
	checked := 0
	for _, s := range svc.Reachable() {
		c, ok := cases[s.Name]
		if !ok || c.toSDK == nil || s.Kind != model.KindStructure {
			continue
		}
		if _, u := unionTypes[c.typ]; u {
			continue
		}
		out := reflect.ValueOf(c.toSDK(reflect.New(c.typ).Interface())).Elem()
		for _, m := range s.Members {
			if m.Target.Kind != model.KindString && m.Target.Kind != model.KindTimestamp {
				continue
			}
			f := sdkField(out, m.Name)
			if !f.IsValid() || f.Kind() != reflect.Pointer {
				continue // the SDK keeps it as a value: nothing to tell apart
			}
			checked++
			sent := !f.IsNil()
			if want := m.Required && !m.IdempotencyToken; sent != want {
				t.Errorf("%s.%s (required %v): zero value sent to the SDK = %v, want %v", s.Name, m.Name, m.Required, sent, want)
			}
			if sent && m.Target.Kind == model.KindTimestamp && !f.Elem().Interface().(time.Time).IsZero() {
				t.Errorf("%s.%s: zero time changed on the way", s.Name, m.Name)
			}
		}
	}
	if checked < 2000 {
		t.Fatalf("only %d members checked", checked)
	}
}

// sdkField finds the SDK's field for a member, as its generator names it.
func sdkField(v reflect.Value, member string) reflect.Value {
	for _, n := range []string{member, member + "_", "X" + member} {
		if f := v.FieldByName(n); f.IsValid() {
			return f
		}
	}
	return reflect.Value{}
}
