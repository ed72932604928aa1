package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"reflect"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"time"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/modelsrc"
	"github.com/smcore-go/smcore/gen/resource"
	"github.com/smcore-go/smcore/internal/testenv"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

// sample builds the smallest JSON value the model accepts for a member:
// required members only, strings made to match their pattern and length.
type sample struct{ depth int }

func (s *sample) value(m *model.Member) any {
	t := m.Target
	c := m.Effective()
	switch t.Kind {
	case model.KindString:
		return patternString(c)
	case model.KindEnum:
		return t.Enum[0].Value
	case model.KindBoolean:
		return false
	case model.KindInteger, model.KindLong:
		n := 1.0
		if c.Min != nil && *c.Min > n {
			n = *c.Min
		}
		if c.Max != nil && *c.Max < n {
			n = *c.Max
		}
		return int64(n)
	case model.KindFloat, model.KindDouble:
		n := 1.0
		if c.Min != nil && *c.Min > n {
			n = *c.Min
		}
		if c.Max != nil && *c.Max < n {
			n = *c.Max
		}
		return n
	case model.KindTimestamp:
		return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	case model.KindBlob:
		return "YQ=="
	case model.KindList:
		n := 0
		if c.MinLength != nil {
			n = int(*c.MinLength)
		}
		out := []any{}
		for range min(n, 3) {
			out = append(out, s.value(t.ListMember))
		}
		return out
	case model.KindMap:
		out := map[string]any{}
		if c.MinLength != nil && *c.MinLength > 0 {
			out[patternString(t.MapKey.Effective())] = s.value(t.MapValue)
		}
		return out
	case model.KindStructure, model.KindUnion:
		s.depth++
		defer func() { s.depth-- }()
		out := map[string]any{}
		if s.depth > 12 {
			return out
		}
		for _, mm := range t.Members {
			if mm.Required || (t.Kind == model.KindUnion && len(out) == 0) {
				out[mm.Name] = s.value(mm)
			}
		}
		return out
	}
	return nil
}

// patternString makes a string that matches c's pattern (as a whole
// value) and length, or "a…" when there is no pattern.
func patternString(c model.Constraints) string {
	lo, hi := 3, 64
	if c.MinLength != nil {
		lo = max(int(*c.MinLength), 1)
	}
	if c.MaxLength != nil {
		hi = int(*c.MaxLength)
		lo = min(lo, hi)
	}
	p := strings.TrimSuffix(strings.TrimPrefix(c.Pattern, "^"), "$")
	// RE2 refuses repeat counts above 1000; the length limit bounds them anyway.
	p = bigRepeat.ReplaceAllString(p, "{$1,}")
	if p == "" {
		return strings.Repeat("a", min(max(lo, 3), hi))
	}
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return strings.Repeat("a", min(max(lo, 3), hi))
	}
	var b strings.Builder
	gen(&b, re.Simplify(), lo)
	return b.String()
}

// gen writes a string matching re, repeating open-ended parts until the
// output is at least want long.
func gen(b *strings.Builder, re *syntax.Regexp, want int) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		r := re.Rune[0]
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= 'a' && 'a' <= re.Rune[i+1] {
				r = 'a'
				break
			}
			if re.Rune[i] <= '0' && '0' <= re.Rune[i+1] && r != 'a' {
				r = '0'
			}
		}
		b.WriteRune(r)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('a')
	case syntax.OpCapture:
		gen(b, re.Sub[0], want)
	case syntax.OpConcat:
		for _, s := range re.Sub {
			gen(b, s, want)
		}
	case syntax.OpAlternate:
		gen(b, re.Sub[0], want)
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		lo, hi := re.Min, re.Max
		switch re.Op {
		case syntax.OpStar:
			lo, hi = 0, -1
		case syntax.OpPlus:
			lo, hi = 1, -1
		}
		for i := 0; i < 64; i++ {
			if (hi >= 0 && i >= hi) || (i >= lo && b.Len() >= want) {
				break
			}
			gen(b, re.Sub[0], want)
		}
	}
}

// TestEveryResourceLifecycle creates, gets, refreshes, lists, waits for and
// deletes one resource of every kind the model lets the endpoint create,
// through the real SDK client and package resources, driven by reflection
// over the generated methods.
func TestEveryResourceLifecycle(t *testing.T) {
	dir, err := modelsrc.Pinned()
	if err != nil {
		testenv.Unavailable(t, "pinned model: %v", err)
	}
	svc, err := model.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ov, _ := resource.DefaultOverrides()
	set, err := resource.Discover(svc, ov)
	if err != nil {
		t.Fatal(err)
	}
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithStepTime(2*time.Millisecond))
	client := resources.NewFromConfig(ep.Config)
	cv := reflect.ValueOf(client)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	opts := []waiters.Option{waiters.WithDelays(2*time.Millisecond, 10*time.Millisecond)}

	covered, skipped := 0, []string{}
	for _, r := range set.Resources {
		create := r.Method(resource.KindCreate)
		if create == nil || r.Describe == nil || create.Op.Input == nil {
			continue
		}
		t.Run(r.Name, func(t *testing.T) {
			fn := cv.MethodByName(create.Op.Name)
			if !fn.IsValid() {
				t.Fatalf("no method %s", create.Op.Name)
			}
			req := reflect.New(fn.Type().In(1).Elem())
			body, _ := json.Marshal((&sample{}).value(&model.Member{Target: create.Op.Input}))
			if err := json.Unmarshal(body, req.Interface()); err != nil {
				t.Fatalf("sample request: %v\n%s", err, body)
			}
			if err := shapes.ValidateStrict(req.Interface().(shapes.Validatable)); err != nil {
				skipped = append(skipped, r.Name)
				t.Skipf("could not build a valid sample request (%v)\n%s", err, body)
			}
			out := fn.CallSlice([]reflect.Value{reflect.ValueOf(ctx), req, reflect.Zero(fn.Type().In(2))})
			if err, _ := out[1].Interface().(error); err != nil {
				t.Fatalf("%s: %v\n%s", create.Op.Name, err, body)
			}
			res := out[0]
			// call runs a method of the resource: a request parameter gets a
			// sample request, a variadic parameter gets opts (or nothing).
			call := func(name string, opts ...reflect.Value) error {
				m := res.MethodByName(name)
				if !m.IsValid() {
					return nil
				}
				mt := m.Type()
				in := []reflect.Value{reflect.ValueOf(ctx)}
				for i := 1; i < mt.NumIn()-1; i++ {
					arg := reflect.New(mt.In(i).Elem())
					if sh := inputShape(svc, mt.In(i).Elem().Name()); sh != nil {
						b, _ := json.Marshal((&sample{}).value(&model.Member{Target: sh}))
						json.Unmarshal(b, arg.Interface())
					}
					in = append(in, arg)
				}
				last := reflect.Zero(mt.In(mt.NumIn() - 1))
				if len(opts) > 0 && opts[0].Type() == last.Type() {
					last = opts[0]
				}
				rets := m.CallSlice(append(in, last))
				err, _ := rets[len(rets)-1].Interface().(error)
				return err
			}
			if err := call("Refresh"); err != nil {
				t.Fatalf("Refresh: %v", err)
			}
			if len(r.Identifiers) == 1 {
				get := cv.MethodByName("Get" + r.Name)
				name := res.MethodByName("ResourceName").Call(nil)[0]
				rets := get.Call([]reflect.Value{reflect.ValueOf(ctx), name})
				if err, _ := rets[1].Interface().(error); err != nil {
					t.Fatalf("Get%s: %v", r.Name, err)
				}
			}
			if l := r.List; l != nil && l.Method.Op.Input != nil && len(requiredOf(l.Method.Op.Input)) == 0 {
				list := cv.MethodByName(l.Method.Op.Name)
				seq := list.Call([]reflect.Value{reflect.ValueOf(ctx), reflect.Zero(list.Type().In(1))})[0]
				n := 0
				for _, e := range seq.Seq2() {
					if err, _ := e.Interface().(error); err != nil {
						t.Fatalf("%s: %v", l.Method.Op.Name, err)
					}
					n++
				}
				if n == 0 {
					t.Fatalf("%s listed nothing", l.Method.Op.Name)
				}
			}
			if r.Status != nil && r.IsJob() {
				err := call("Wait", reflect.ValueOf(opts))
				var fe *waiters.FailedError
				if err != nil && !errors.As(err, &fe) {
					t.Fatalf("Wait: %v", err)
				}
			}
			if res.MethodByName("Delete").IsValid() {
				if err := call("Delete"); err != nil {
					t.Fatalf("Delete: %v", err)
				}
				if r.Status != nil {
					if err := call("WaitForDelete", reflect.ValueOf(opts)); err != nil {
						t.Fatalf("WaitForDelete: %v", err)
					}
				} else if err := call("Refresh"); !errors.Is(err, resources.ErrNotFound) {
					t.Fatalf("after Delete, Refresh: want ErrNotFound, got %v", err)
				}
			}
			covered++
		})
	}
	t.Logf("%d resource kinds through their lifecycle; no valid sample request for %v", covered, skipped)
	if covered < 40 {
		t.Fatalf("only %d resource kinds covered", covered)
	}
}

// inputShape finds an operation input shape by name.
func inputShape(svc *model.Service, name string) *model.Shape {
	if s := svc.Shapes[name]; s != nil && s.Kind == model.KindStructure {
		return s
	}
	return nil
}

func requiredOf(s *model.Shape) []string {
	var out []string
	for _, m := range s.Members {
		if m.Required {
			out = append(out, m.Name)
		}
	}
	return out
}

var _ iter.Seq[int] = nil

var bigRepeat = regexp.MustCompile(`\{(\d+),\d{4,}\}`)
