// Package pyjson writes JSON text exactly as Python's json.dumps does with
// its default arguments, so that values sent to SageMaker match what the
// Python SDK sends byte for byte.
//
// The Python SDK's ModelTrainer turns each hyperparameter into a string: a
// str is kept as is, anything else becomes json.dumps(value). json.dumps
// separates items with ", " and keys from values with ": ", escapes every
// non-ASCII code point as \uXXXX (UTF-16 surrogate pairs above U+FFFF),
// writes NaN and infinities bare (NaN, Infinity, -Infinity) and floats as
// Python's repr: the shortest digits that read back to the same float, in
// fixed notation with a fraction when the decimal exponent is in [-4, 16)
// (1.0, 0.0001) and in exponent notation otherwise (1e-05, 1e+16).
//
// Differences from Python that cannot be avoided are documented where they
// arise: Go maps have no order (Marshal sorts their keys, Python would keep
// insertion order), and number literals of JSON text (json.Number,
// json.RawMessage, json.Marshaler output, Reformat input) are kept as
// written, where Python would parse and re-render them (1.50 stays 1.50,
// Python writes 1.5).
package pyjson

import (
	"encoding/json"
	"fmt"
	"reflect"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and objects, in Marshal and in
// Reformat. Python's own recursion limit (1000 by default) stops json.dumps
// and json.loads at about the same depth; here it keeps a pathological
// input from using unbounded stack.
const maxDepth = 1000

// Marshal returns the text json.dumps writes for the Python value that v
// stands for: the value json.loads reads from encoding/json's encoding of v.
//
// Values are encoded as encoding/json encodes them, with Python's text:
//   - nil, nil pointers, interfaces, slices and maps: null;
//   - bool: true or false; integers: decimal;
//   - float32 and float64: Python's repr of the float (float32 with the
//     shortest digits for 32 bits: float32(0.1) is 0.1), NaN, Infinity,
//     -Infinity;
//   - string: quoted and escaped as json.dumps does (ensure_ascii); a
//     string that is not valid UTF-8 is an error, since Python has no such
//     str and encoding/json's silent replacement would change the value;
//   - json.Number: its literal, which must be a valid JSON number (the
//     empty Number is 0, as in encoding/json);
//   - json.Marshaler (json.RawMessage included): its JSON, reformatted as
//     Reformat does, number literals kept as written;
//   - encoding.TextMarshaler: its text as a string;
//   - []byte: a base64 string; other slices and arrays: lists;
//   - maps with string, integer or TextMarshaler keys: objects with keys in
//     sorted order (Go maps have no order; Python keeps insertion order, so
//     an insertion-ordered value must be built as a struct or with
//     json.RawMessage); two keys with the same text are an error;
//   - structs: objects with encoding/json's field rules (json tags, "-",
//     omitempty, omitzero, the string option, embedded structs), fields in
//     declaration order.
//
// Channels, functions, complex numbers and unsafe pointers cannot be
// encoded; the error names the path of the value, such as
// ".a[2]: func values cannot be encoded". A value that contains itself is
// an error, as in Python, and so is nesting deeper than 1000 levels.
func Marshal(v any) (string, error) {
	e := &encoder{}
	if err := e.encode(reflect.ValueOf(v)); err != nil {
		return "", err
	}
	return string(e.buf), nil
}

// HyperParameter returns v as the SageMaker Python SDK sends a
// hyperparameter value: a string (of any string type but json.Number,
// which is a number) as is; a json.RawMessage that holds a JSON string as
// that string's value, unquoted, since the Python value is a str; anything
// else as Marshal writes it. Pointers and interfaces are followed first (a
// nil one is null, as Python's None).
func HyperParameter(v any) (string, error) {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface) && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.IsValid() && rv.CanInterface() {
		switch x := rv.Interface().(type) {
		case json.Number:
			return Marshal(x)
		case json.RawMessage:
			if s, ok, err := rawString(x); ok || err != nil {
				return s, err
			}
			return Marshal(x)
		}
	}
	if rv.IsValid() && rv.Kind() == reflect.String {
		s := rv.String()
		if !utf8.ValidString(s) {
			return "", fmt.Errorf("string %q is not valid UTF-8", s)
		}
		return s, nil
	}
	return Marshal(v)
}
