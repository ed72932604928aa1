package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"reflect"
	"testing"
	"time"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/resource"
	"github.com/smcore-go/smcore/internal/samples"
	"github.com/smcore-go/smcore/internal/testmodel"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

// TestEveryResourceLifecycle creates, gets, refreshes, lists, waits for and
// deletes one resource of every kind the model lets the endpoint create,
// through the real SDK client and package resources, driven by reflection
// over the generated methods.
func TestEveryResourceLifecycle(t *testing.T) {
	svc := testmodel.Pinned(t)
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
			body, _ := json.Marshal(samples.Value(&model.Member{Target: create.Op.Input}))
			if err := json.Unmarshal(body, req.Interface()); err != nil {
				t.Fatalf("sample request: %v\n%s", err, body)
			}
			if err := shapes.ValidateStrict(req.Interface().(shapes.Validatable)); err != nil {
				skipped = append(skipped, r.Name)
				t.Skipf("could not build a valid sample request (%v)\n%s", err, body)
			}
			// Resources that need another one first (an endpoint needs its
			// configuration) get it from the same sample values.
			if pre, ok := prerequisites[r.Name]; ok {
				pfn := cv.MethodByName("Create" + pre)
				preq := reflect.New(pfn.Type().In(1).Elem())
				pb, _ := json.Marshal(samples.Value(&model.Member{Target: svc.Operations["Create"+pre].Input}))
				json.Unmarshal(pb, preq.Interface())
				if rets := pfn.CallSlice([]reflect.Value{reflect.ValueOf(ctx), preq, reflect.Zero(pfn.Type().In(2))}); !rets[1].IsNil() {
					t.Fatalf("Create%s: %v", pre, rets[1].Interface())
				} else {
					defer rets[0].MethodByName("Delete").CallSlice([]reflect.Value{reflect.ValueOf(ctx), reflect.Zero(rets[0].MethodByName("Delete").Type().In(1))})
				}
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
						b, _ := json.Marshal(samples.Value(&model.Member{Target: sh}))
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

// prerequisites are resources a create needs to exist first.
var prerequisites = map[string]string{"Endpoint": "EndpointConfig"}

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
