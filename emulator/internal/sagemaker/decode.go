package sagemaker

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/smcore-go/smcore/emulator/wire"
)

var timeType = reflect.TypeFor[time.Time]()

// decodeInto fills v (settable) from a wire JSON value: member names as in
// the model, timestamps as epoch seconds (or ISO 8601 strings), blobs as
// base64. A wrong JSON type is a SerializationException naming the path.
func decodeInto(v reflect.Value, data any, path string) error {
	if data == nil {
		return nil
	}
	t := v.Type()
	if t == timeType {
		switch x := data.(type) {
		case json.Number:
			f, err := x.Float64()
			if err != nil {
				return bad(path, "a timestamp", data)
			}
			sec, frac := math.Modf(f)
			v.Set(reflect.ValueOf(time.Unix(int64(sec), int64(frac*1e9)).UTC()))
			return nil
		case string:
			tm, err := time.Parse(time.RFC3339Nano, x)
			if err != nil {
				return bad(path, "a timestamp", data)
			}
			v.Set(reflect.ValueOf(tm))
			return nil
		}
		return bad(path, "a timestamp", data)
	}
	switch t.Kind() {
	case reflect.Pointer:
		e := reflect.New(t.Elem())
		if err := decodeInto(e.Elem(), data, path); err != nil {
			return err
		}
		v.Set(e)
	case reflect.Struct:
		obj, ok := data.(map[string]any)
		if !ok {
			return bad(path, "an object", data)
		}
		for k, val := range obj {
			f, ok := t.FieldByName(k)
			if !ok || !f.IsExported() {
				return wire.Errorf("SerializationException", "%s: unknown member %q", path, k)
			}
			if err := decodeInto(v.FieldByIndex(f.Index), val, path+"."+k); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			s, ok := data.(string)
			if !ok {
				return bad(path, "base64 data", data)
			}
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return bad(path, "base64 data", data)
			}
			v.SetBytes(b)
			return nil
		}
		arr, ok := data.([]any)
		if !ok {
			return bad(path, "a list", data)
		}
		s := reflect.MakeSlice(t, len(arr), len(arr))
		for i, item := range arr {
			if err := decodeInto(s.Index(i), item, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
	case reflect.Map:
		obj, ok := data.(map[string]any)
		if !ok {
			return bad(path, "an object", data)
		}
		m := reflect.MakeMapWithSize(t, len(obj))
		for k, item := range obj {
			e := reflect.New(t.Elem()).Elem()
			if err := decodeInto(e, item, fmt.Sprintf("%s[%q]", path, k)); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), e)
		}
		v.Set(m)
	case reflect.String:
		s, ok := data.(string)
		if !ok {
			return bad(path, "a string", data)
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := data.(bool)
		if !ok {
			return bad(path, "a boolean", data)
		}
		v.SetBool(b)
	case reflect.Int32, reflect.Int64:
		n, ok := data.(json.Number)
		if !ok {
			return bad(path, "an integer", data)
		}
		i, err := n.Int64()
		if err != nil || v.OverflowInt(i) {
			return bad(path, "an integer in range", data)
		}
		v.SetInt(i)
	case reflect.Float32, reflect.Float64:
		n, ok := data.(json.Number)
		if !ok {
			return bad(path, "a number", data)
		}
		f, err := n.Float64()
		if err != nil {
			return bad(path, "a number", data)
		}
		v.SetFloat(f)
	default:
		return wire.Errorf("SerializationException", "%s: cannot decode into %s", path, t)
	}
	return nil
}

func bad(path, want string, got any) error {
	return wire.Errorf("SerializationException", "%s: expected %s, got %T", path, want, got)
}
