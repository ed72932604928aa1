package yamljson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// FieldError is a value that does not fit the type decoded into.
type FieldError struct {
	Path    string // key path from the document root, like a.b[2].c
	Problem string
	Err     error // the encoding/json error, when it found the problem
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Problem
	}
	return e.Path + ": " + e.Problem
}

func (e *FieldError) Unwrap() error { return e.Err }

// Decode converts data with ToJSON and decodes the JSON into v, a non-nil
// pointer. Numbers that land in interface values are json.Number, so
// their literal text survives. Decoding into a struct is strict: a key
// that matches no field, exactly (encoding/json alone would accept any
// letter case), is a *FieldError naming its key path, and so is a value
// of the wrong type. Types with their own UnmarshalJSON are not looked
// into.
func Decode(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("yamljson: Decode needs a non-nil pointer, got %T", v)
	}
	js, err := ToJSON(data)
	if err != nil {
		return err
	}
	if rv.Elem().Kind() != reflect.Interface {
		var tree any
		if err := decodeJSON(js, &tree); err != nil {
			return err
		}
		if err := checkFields(tree, rv.Elem().Type(), ""); err != nil {
			return err
		}
	}
	return decodeJSON(js, v)
}

func decodeJSON(js []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return &FieldError{Path: te.Field, Problem: fmt.Sprintf("want %s, got %s", describeType(te.Type), te.Value), Err: err}
	}
	if err != nil {
		return &FieldError{Problem: err.Error(), Err: err}
	}
	return nil
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean"
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer (" + t.Kind().String() + ")"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	}
	return t.String()
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// checkFields reports the first key of tree, in sorted order, that names
// no field of t.
func checkFields(tree any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	switch val := tree.(type) {
	case map[string]any:
		switch t.Kind() {
		case reflect.Struct:
			fields := jsonFields(t)
			keys := slices.Sorted(maps.Keys(val))
			for _, k := range keys {
				ft, ok := fields[k]
				if !ok {
					problem := "unknown field"
					for name := range fields {
						if strings.EqualFold(name, k) {
							problem = fmt.Sprintf("unknown field (did you mean %q?)", name)
						}
					}
					return &FieldError{Path: JoinKey(path, k), Problem: problem}
				}
				if err := checkFields(val[k], ft, JoinKey(path, k)); err != nil {
					return err
				}
			}
		case reflect.Map:
			for _, k := range slices.Sorted(maps.Keys(val)) {
				if err := checkFields(val[k], t.Elem(), JoinKey(path, k)); err != nil {
					return err
				}
			}
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, item := range val {
				if err := checkFields(item, t.Elem(), path+"["+strconv.Itoa(i)+"]"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// jsonFields maps the JSON names of t's fields (those of embedded
// structs included, as encoding/json sees them) to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for _, f := range reflect.VisibleFields(t) {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if !f.IsExported() || tag == "-" {
			continue
		}
		if f.Anonymous && name == "" && indirect(f.Type).Kind() == reflect.Struct {
			continue // its fields are visible on their own
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func indirect(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// JoinKey appends a mapping key to a key path: .key for plain names,
// ["key"] for others.
func JoinKey(path, key string) string {
	if plainKey(key) {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i, r := range k {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-'):
		default:
			return false
		}
	}
	return true
}
