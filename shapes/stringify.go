package shapes

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

const redacted = "<redacted>"

// Format renders any shape for humans: set members only, pointers
// followed, and members tagged `smcore:"sensitive"` replaced by
// <redacted>. Shapes that hold sensitive members use it as their String
// method, so fmt never prints those members either.
func Format(v any) string {
	var b strings.Builder
	writeValue(&b, reflect.ValueOf(v), 0)
	return b.String()
}

// maxDepth stops runaway output on recursive values.
const maxDepth = 32

var timeType = reflect.TypeFor[time.Time]()

func writeValue(b *strings.Builder, v reflect.Value, depth int) {
	if depth > maxDepth {
		b.WriteString("…")
		return
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			b.WriteString("<nil>")
			return
		}
		v = v.Elem()
	}
	if v.Type() == timeType {
		b.WriteString(v.Interface().(time.Time).Format(time.RFC3339Nano))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		b.WriteByte('{')
		first := true
		for i := range t.NumField() {
			f := t.Field(i)
			fv := v.Field(i)
			if !f.IsExported() || fv.IsZero() {
				continue
			}
			if !first {
				b.WriteString(", ")
			}
			first = false
			b.WriteString(f.Name)
			b.WriteString(": ")
			if f.Tag.Get("smcore") == "sensitive" {
				b.WriteString(redacted)
				continue
			}
			writeValue(b, fv, depth+1)
		}
		b.WriteByte('}')
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b.WriteString(strconv.Itoa(v.Len()) + " bytes")
			return
		}
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, v.Index(i), depth+1)
		}
		b.WriteByte(']')
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, c reflect.Value) int { return strings.Compare(a.String(), c.String()) })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(k.String()))
			b.WriteString(": ")
			writeValue(b, v.MapIndex(k), depth+1)
		}
		b.WriteByte('}')
	case reflect.String:
		b.WriteString(strconv.Quote(v.String()))
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Float32:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 32))
	case reflect.Float64:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	default:
		b.WriteString(v.Kind().String())
	}
}
