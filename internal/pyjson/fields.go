package pyjson

import (
	"reflect"
	"slices"
	"strings"
	"unicode"
)

// field is one member of a struct's object, found by encoding/json's rules.
type field struct {
	name      string
	index     []int // through embedded structs
	tagged    bool  // the name comes from a json tag
	omitEmpty bool
	omitZero  bool
	quoted    bool // the ",string" option applies
}

// structFields returns the fields encoding/json writes for struct type t,
// in its order: exported fields, named by their json tag or Go name, "-"
// skipped, and the fields of untagged embedded structs promoted, a name
// defined at several depths going to the shallowest (a tagged one winning
// a tie, a tie otherwise dropping the name).
func structFields(t reflect.Type) []field {
	type level struct {
		typ   reflect.Type
		index []int
	}
	var found []field
	current := []level{{typ: t}}
	count := map[reflect.Type]int{t: 1}
	visited := map[reflect.Type]bool{}
	for len(current) > 0 {
		var next []level
		nextCount := map[reflect.Type]int{}
		for _, l := range current {
			if visited[l.typ] {
				continue
			}
			visited[l.typ] = true
			for i := range l.typ.NumField() {
				sf := l.typ.Field(i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if sf.Anonymous {
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validTagName(name) {
					name = ""
				}
				index := append(slices.Clip(l.index), i)
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					// Scanned once at the next depth; embedded more than
					// once there, its fields conflict (see below).
					nextCount[ft]++
					if nextCount[ft] == 1 {
						next = append(next, level{typ: ft, index: index})
					}
					continue
				}
				f := field{name: name, index: index, tagged: name != ""}
				if f.name == "" {
					f.name = sf.Name
				}
				for o := range strings.SplitSeq(opts, ",") {
					switch o {
					case "omitempty":
						f.omitEmpty = true
					case "omitzero":
						f.omitZero = true
					case "string":
						switch ft.Kind() {
						case reflect.Bool,
							reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
							reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
							reflect.Float32, reflect.Float64, reflect.String:
							f.quoted = true
						}
					}
				}
				found = append(found, f)
				if count[l.typ] > 1 {
					// A struct embedded several times at one depth: a
					// second copy makes dominantFields drop the name.
					found = append(found, f)
				}
			}
		}
		current, count = next, nextCount
	}
	return dominantFields(found)
}

// dominantFields keeps, for each name, the field that Go's selector rules
// would pick, and orders the result as the struct declares them.
func dominantFields(found []field) []field {
	byName := map[string][]field{}
	for _, f := range found {
		byName[f.name] = append(byName[f.name], f)
	}
	var out []field
	for _, fs := range byName {
		depth := len(fs[0].index)
		for _, f := range fs {
			depth = min(depth, len(f.index))
		}
		var shallow, tagged []field
		for _, f := range fs {
			if len(f.index) == depth {
				shallow = append(shallow, f)
				if f.tagged {
					tagged = append(tagged, f)
				}
			}
		}
		switch {
		case len(tagged) == 1:
			out = append(out, tagged[0])
		case len(tagged) == 0 && len(shallow) == 1:
			out = append(out, shallow[0])
		}
	}
	slices.SortFunc(out, func(a, b field) int { return slices.Compare(a.index, b.index) })
	return out
}

// validTagName is encoding/json's rule for a usable name in a json tag.
func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case unicode.IsLetter(c), unicode.IsDigit(c):
		default:
			return false
		}
	}
	return true
}
