package pyjson

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"
)

// errTooDeep is wrapped by the errors for input nested deeper than maxDepth.
var errTooDeep = errors.New("nested deeper than 1000 levels")

// Reformat returns the value of the JSON text raw as json.dumps writes it:
// strings re-escaped the Python way ("\u00e9" and "é" both become
// "\u00e9"), objects with their keys in the order of the input, number
// literals kept as written (Python would re-render them: 1.50 as 1.5, 1E3
// as 1000.0, 1e400 as Infinity).
//
// A key that appears twice in an object keeps its last value at its first
// position, as Python's json.loads builds a dict. As json.loads does,
// Reformat accepts the bare NaN, Infinity and -Infinity that json.dumps
// writes, and escaped lone surrogates ("\ud800"), which it keeps; raw
// bytes that are not valid UTF-8 are an error.
func Reformat(raw []byte) (string, error) {
	p := &parser{in: raw}
	if err := p.document(); err != nil {
		return "", err
	}
	return string(p.out), nil
}

// parser reads JSON text and writes it as json.dumps would.
type parser struct {
	in    []byte
	pos   int
	out   []byte
	depth int
}

// reformatInto appends the reformatted raw to out; depth is the nesting
// already around it, so that a json.Marshaler cannot get past maxDepth.
func reformatInto(out, raw []byte, depth int) ([]byte, error) {
	p := &parser{in: raw, out: out, depth: depth}
	err := p.document()
	return p.out, err
}

func (p *parser) document() error {
	p.skipSpace()
	if p.pos == len(p.in) {
		return errors.New("invalid JSON: no value")
	}
	if err := p.value(); err != nil {
		return err
	}
	p.skipSpace()
	if p.pos != len(p.in) {
		return p.errorf("unexpected %s after the value", p.describe())
	}
	return nil
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

// describe names the input at the current position for an error message.
func (p *parser) describe() string {
	if p.pos >= len(p.in) {
		return "end of input"
	}
	c := p.in[p.pos]
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("character %q", c)
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (p *parser) skipSpace() {
	for p.pos < len(p.in) {
		switch p.in[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) literal(word string) bool {
	if bytes.HasPrefix(p.in[p.pos:], []byte(word)) {
		p.out = append(p.out, word...)
		p.pos += len(word)
		return true
	}
	return false
}

func (p *parser) value() error {
	if p.pos >= len(p.in) {
		return p.errorf("unexpected end of input, expected a value")
	}
	switch c := p.in[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		if p.literal("-Infinity") {
			return nil
		}
		end := numberEnd(p.in, p.pos)
		if end < 0 {
			return p.errorf("malformed number")
		}
		p.out = append(p.out, p.in[p.pos:end]...)
		p.pos = end
		return nil
	default:
		for _, w := range [...]string{"true", "false", "null", "NaN", "Infinity"} {
			if p.literal(w) {
				return nil
			}
		}
		return p.errorf("unexpected %s, expected a value", p.describe())
	}
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return fmt.Errorf("invalid JSON at offset %d: %w", p.pos, errTooDeep)
	}
	return nil
}

func (p *parser) array() error {
	if err := p.enter(); err != nil {
		return err
	}
	defer func() { p.depth-- }()
	p.pos++ // [
	p.out = append(p.out, '[')
	p.skipSpace()
	if p.pos < len(p.in) && p.in[p.pos] == ']' {
		p.pos++
		p.out = append(p.out, ']')
		return nil
	}
	for {
		p.skipSpace()
		if err := p.value(); err != nil {
			return err
		}
		p.skipSpace()
		switch {
		case p.pos < len(p.in) && p.in[p.pos] == ',':
			p.pos++
			p.out = append(p.out, ", "...)
		case p.pos < len(p.in) && p.in[p.pos] == ']':
			p.pos++
			p.out = append(p.out, ']')
			return nil
		default:
			return p.errorf("unexpected %s in an array, expected ',' or ']'", p.describe())
		}
	}
}

// member records where one object member was written, so that duplicate
// keys can be merged once the object is complete.
type member struct {
	keyStart, keyEnd, valueEnd int
}

func (p *parser) object() error {
	if err := p.enter(); err != nil {
		return err
	}
	defer func() { p.depth-- }()
	start := len(p.out)
	p.pos++ // {
	p.out = append(p.out, '{')
	p.skipSpace()
	if p.pos < len(p.in) && p.in[p.pos] == '}' {
		p.pos++
		p.out = append(p.out, '}')
		return nil
	}
	var members []member
	// seen maps the written (hence canonical) form of each key to its
	// first member; it is made only when an object has many members.
	var seen map[string]int
	dup := false
	for {
		p.skipSpace()
		if p.pos >= len(p.in) || p.in[p.pos] != '"' {
			return p.errorf("unexpected %s in an object, expected a key", p.describe())
		}
		m := member{keyStart: len(p.out)}
		if err := p.str(); err != nil {
			return err
		}
		m.keyEnd = len(p.out)
		if !dup {
			dup = p.seenKey(members, &seen, m)
		}
		p.skipSpace()
		if p.pos >= len(p.in) || p.in[p.pos] != ':' {
			return p.errorf("unexpected %s after an object key, expected ':'", p.describe())
		}
		p.pos++
		p.out = append(p.out, ": "...)
		p.skipSpace()
		if err := p.value(); err != nil {
			return err
		}
		m.valueEnd = len(p.out)
		members = append(members, m)
		p.skipSpace()
		switch {
		case p.pos < len(p.in) && p.in[p.pos] == ',':
			p.pos++
			p.out = append(p.out, ", "...)
		case p.pos < len(p.in) && p.in[p.pos] == '}':
			p.pos++
			p.out = append(p.out, '}')
			if dup {
				p.out = mergeDuplicates(p.out, start, members)
			}
			return nil
		default:
			return p.errorf("unexpected %s in an object, expected ',' or '}'", p.describe())
		}
	}
}

// seenKey reports whether the key of m was written for an earlier member.
func (p *parser) seenKey(members []member, seen *map[string]int, m member) bool {
	key := p.out[m.keyStart:m.keyEnd]
	const linear = 16
	if len(members) < linear {
		for _, o := range members {
			if bytes.Equal(p.out[o.keyStart:o.keyEnd], key) {
				return true
			}
		}
		return false
	}
	if *seen == nil {
		*seen = make(map[string]int, 2*len(members))
		for i, o := range members {
			(*seen)[string(p.out[o.keyStart:o.keyEnd])] = i
		}
	}
	if _, ok := (*seen)[string(key)]; ok {
		return true
	}
	(*seen)[string(key)] = len(members)
	return false
}

// mergeDuplicates rewrites the object written at out[start:] so that each
// key appears once, at its first position, with its last value: the dict
// that Python's json.loads builds.
func mergeDuplicates(out []byte, start int, members []member) []byte {
	text := bytes.Clone(out[start:])
	key := func(m member) string { return string(text[m.keyStart-start : m.keyEnd-start]) }
	last := make(map[string]member, len(members))
	for _, m := range members {
		last[key(m)] = m
	}
	out = append(out[:start], '{')
	written := make(map[string]bool, len(last))
	for _, m := range members {
		k := key(m)
		if written[k] {
			continue
		}
		written[k] = true
		if len(written) > 1 {
			out = append(out, ", "...)
		}
		v := last[k]
		// The last member's text after its key is ": " and its value.
		out = append(out, k...)
		out = append(out, text[v.keyEnd-start:v.valueEnd-start]...)
	}
	return append(out, '}')
}

// str reads a JSON string and writes it escaped as json.dumps does. An
// escape is a UTF-16 code unit; json.dumps writes the same \uXXXX whether
// or not a surrogate pair was combined, so units need no pairing here.
func (p *parser) str() error {
	p.pos++ // "
	p.out = append(p.out, '"')
	for {
		if p.pos >= len(p.in) {
			return p.errorf("unterminated string")
		}
		c := p.in[p.pos]
		switch {
		case c == '"':
			p.pos++
			p.out = append(p.out, '"')
			return nil
		case c == '\\':
			if err := p.escape(); err != nil {
				return err
			}
		case c < 0x20:
			return p.errorf("control character 0x%02x in a string (it must be escaped)", c)
		case c < utf8.RuneSelf:
			p.out = appendASCII(p.out, c)
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.in[p.pos:])
			if r == utf8.RuneError && size == 1 {
				return p.errorf("invalid UTF-8 in a string")
			}
			p.out = appendRune(p.out, r)
			p.pos += size
		}
	}
}

func (p *parser) escape() error {
	if p.pos+1 >= len(p.in) {
		p.pos++
		return p.errorf("unterminated escape in a string")
	}
	c := p.in[p.pos+1]
	if c == 'u' {
		u, ok := hex4(p.in[p.pos+2:])
		if !ok {
			return p.errorf(`malformed \u escape in a string`)
		}
		p.pos += 6
		p.appendUnitValue(u)
		return nil
	}
	unit, ok := shortEscape(c)
	if !ok {
		return p.errorf("invalid escape %q in a string", `\`+string(rune(c)))
	}
	p.pos += 2
	p.appendUnitValue(uint16(unit))
	return nil
}

// shortEscape returns the character that the escape \c stands for.
func shortEscape(c byte) (byte, bool) {
	switch c {
	case '"', '\\', '/':
		return c, true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	}
	return 0, false
}

// appendUnitValue writes the code unit u of a decoded string.
func (p *parser) appendUnitValue(u uint16) {
	if u < utf8.RuneSelf {
		p.out = appendASCII(p.out, byte(u))
		return
	}
	p.out = appendUnit(p.out, u)
}

// hex4 reads four hex digits (either case) at the start of s.
func hex4(s []byte) (uint16, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var u uint16
	for _, c := range s[:4] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		u = u<<4 | uint16(d)
	}
	return u, true
}

// rawString returns the value of raw when raw (whitespace aside) is one
// JSON string; ok is false when raw holds any other value. A lone
// surrogate is an error: the value would be a Python str that cannot be
// encoded as UTF-8 to be sent.
func rawString(raw []byte) (s string, ok bool, err error) {
	p := &parser{in: raw}
	p.skipSpace()
	if p.pos >= len(p.in) || p.in[p.pos] != '"' {
		return "", false, nil
	}
	// Validate the whole text first, for the parser's clear errors.
	if err := (&parser{in: raw}).document(); err != nil {
		return "", true, err
	}
	var units []uint16
	var b []byte
	flush := func() error {
		for i := 0; i < len(units); i++ {
			u := units[i]
			switch {
			case u >= 0xd800 && u < 0xdc00 && i+1 < len(units) && units[i+1] >= 0xdc00 && units[i+1] < 0xe000:
				b = utf8.AppendRune(b, 0x10000+(rune(u)-0xd800)<<10+(rune(units[i+1])-0xdc00))
				i++
			case u >= 0xd800 && u < 0xe000:
				return fmt.Errorf("JSON string holds a lone surrogate \\u%04x, which is not valid text", u)
			default:
				b = utf8.AppendRune(b, rune(u))
			}
		}
		units = units[:0]
		return nil
	}
	for i := p.pos + 1; ; {
		c := raw[i]
		switch {
		case c == '"':
			if err := flush(); err != nil {
				return "", true, err
			}
			return string(b), true, nil
		case c == '\\' && raw[i+1] == 'u':
			u, _ := hex4(raw[i+2:])
			units = append(units, u)
			i += 6
			continue
		}
		if err := flush(); err != nil {
			return "", true, err
		}
		if c == '\\' {
			ch, _ := shortEscape(raw[i+1])
			b = append(b, ch)
			i += 2
			continue
		}
		b = append(b, c)
		i++
	}
}
