package resources

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/smcore-go/smcore/shapes"
)

// CreateDefaults supplies defaults for create requests. It is called with
// the request about to be sent (a pointer to a copy of the caller's
// shapes.<Create>Input) and returns a value of the same type whose set
// members fill the request's unset ones, or nil to add nothing. Most
// callers build one with DefaultsFor. The trainers use it for config-file
// defaults, so that no file reading enters this package.
type CreateDefaults func(ctx context.Context, in any) (any, error)

// DefaultsFor adapts a function for one create input type; requests of
// other types pass through it untouched.
//
//	resources.WithCreateDefaults(resources.DefaultsFor(
//		func(ctx context.Context, in *shapes.CreateTrainingJobInput) (*shapes.CreateTrainingJobInput, error) {
//			return &shapes.CreateTrainingJobInput{RoleArn: role, EnableNetworkIsolation: aws.Bool(true)}, nil
//		}))
func DefaultsFor[T any](fn func(ctx context.Context, in *T) (*T, error)) CreateDefaults {
	return func(ctx context.Context, in any) (any, error) {
		t, ok := in.(*T)
		if !ok {
			return nil, nil
		}
		d, err := fn(ctx, t)
		if d == nil || err != nil {
			return nil, err
		}
		return d, nil
	}
}

// WithCreateDefaults adds create defaults, applied in order before a
// create is validated and sent, each only to members still unset: explicit
// values win. Nested structures are merged member by member, maps key by
// key; a list is taken only when the request has none, and a union the
// request sets is kept whole. The caller's request
// is never modified. With WithLogger, each member a default fills is
// logged at debug level.
func WithCreateDefaults(d ...CreateDefaults) Option {
	return func(c *Client) { c.defaults = append(c.defaults, d...) }
}

// applyDefaults fills the unset members of in (a pointer to a request the
// client owns) from every CreateDefaults.
func (c *Client) applyDefaults(ctx context.Context, in any) error {
	for i, d := range c.defaults {
		def, err := d(ctx, in)
		if err != nil {
			return fmt.Errorf("create defaults: %w", err)
		}
		if def == nil {
			continue
		}
		dst, src := reflect.ValueOf(in), reflect.ValueOf(def)
		if src.Type() != dst.Type() {
			return fmt.Errorf("create defaults %d: returned %s for a %s request", i, src.Type(), dst.Type())
		}
		if src.IsNil() {
			continue
		}
		var filled []string
		fillUnset(dst.Elem(), src.Elem(), dst.Elem().Type().Name(), &filled)
		if c.logger != nil && len(filled) > 0 {
			c.logger.DebugContext(ctx, "smcore: create defaults applied", "request", dst.Elem().Type().Name(), "members", filled)
		}
	}
	return nil
}

var timeType = reflect.TypeFor[time.Time]()

// fillUnset sets every unset field of the struct dst from src. Structures
// that dst points to are copied before they are changed, so values dst
// shares with the caller stay as they were.
func fillUnset(dst, src reflect.Value, path string, filled *[]string) {
	for i := range dst.NumField() {
		f := dst.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		d, s := dst.Field(i), src.Field(i)
		p := path + "." + f.Name
		switch {
		case s.IsZero():
			continue
		case d.IsZero():
			d.Set(s)
			*filled = append(*filled, p)
		case d.Kind() == reflect.Pointer && shapes.IsUnion(d.Interface()):
			continue // a union the request sets is kept whole
		case d.Kind() == reflect.Pointer && d.Elem().Kind() == reflect.Struct && d.Type().Elem() != timeType:
			cp := reflect.New(d.Type().Elem())
			cp.Elem().Set(d.Elem())
			fillUnset(cp.Elem(), s.Elem(), p, filled)
			d.Set(cp)
		case d.Kind() == reflect.Map:
			var merged reflect.Value
			for _, k := range s.MapKeys() {
				if d.MapIndex(k).IsValid() {
					continue
				}
				if !merged.IsValid() {
					merged = reflect.MakeMapWithSize(d.Type(), d.Len()+1)
					for _, dk := range d.MapKeys() {
						merged.SetMapIndex(dk, d.MapIndex(dk))
					}
				}
				merged.SetMapIndex(k, s.MapIndex(k))
				*filled = append(*filled, fmt.Sprintf("%s[%v]", p, k))
			}
			if merged.IsValid() {
				d.Set(merged)
			}
		}
	}
}
