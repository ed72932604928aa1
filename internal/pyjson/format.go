package pyjson

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// appendFloat appends f as Python's repr writes a float; bits (32 or 64)
// chooses the shortest digits that read back to the same float of that
// size.
func appendFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	}
	// strconv's 'e' format has Python's shape already: the shortest
	// digits, a sign and at least two digits in the exponent (1e-05).
	start := len(b)
	b = strconv.AppendFloat(b, f, 'e', -1, bits)
	exp := 0
	for i := len(b) - 1; i > start; i-- {
		if b[i] == 'e' {
			exp, _ = strconv.Atoi(string(b[i+1:]))
			break
		}
	}
	if f != 0 && (exp < -4 || exp >= 16) {
		return b
	}
	// Python writes fixed notation, always with a fraction (1.0).
	b = strconv.AppendFloat(b[:start], f, 'f', -1, bits)
	for _, c := range b[start:] {
		if c == '.' {
			return b
		}
	}
	return append(b, ".0"...)
}

// appendASCII appends the ASCII character c as it appears inside a
// json.dumps string.
func appendASCII(b []byte, c byte) []byte {
	switch c {
	case '"':
		return append(b, `\"`...)
	case '\\':
		return append(b, `\\`...)
	case '\n':
		return append(b, `\n`...)
	case '\r':
		return append(b, `\r`...)
	case '\t':
		return append(b, `\t`...)
	case '\b':
		return append(b, `\b`...)
	case '\f':
		return append(b, `\f`...)
	}
	if c < 0x20 || c == 0x7f {
		return appendUnit(b, uint16(c))
	}
	return append(b, c)
}

// appendUnit appends one UTF-16 code unit as \uXXXX, in lowercase hex as
// Python writes it.
func appendUnit(b []byte, u uint16) []byte {
	return append(b, '\\', 'u', hexDigits[u>>12], hexDigits[u>>8&0xf], hexDigits[u>>4&0xf], hexDigits[u&0xf])
}

// appendRune appends r (not ASCII) as its UTF-16 code units.
func appendRune(b []byte, r rune) []byte {
	if r < 0x10000 {
		return appendUnit(b, uint16(r))
	}
	r -= 0x10000
	b = appendUnit(b, uint16(0xd800+(r>>10)))
	return appendUnit(b, uint16(0xdc00+(r&0x3ff)))
}

// appendString appends s quoted as json.dumps writes a str. Python's str
// holds code points, not bytes, so s must be valid UTF-8.
func appendString(b []byte, s string) ([]byte, error) {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = appendASCII(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return b, fmt.Errorf("string %q is not valid UTF-8 (byte %d)", s, i)
		}
		b = appendRune(b, r)
		i += size
	}
	return append(b, '"'), nil
}

// numberEnd returns the end of the JSON number literal that starts at
// s[i], or -1 when there is none there.
func numberEnd(s []byte, i int) int {
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = digitsEnd(s, i)
	default:
		return -1
	}
	if i < len(s) && s[i] == '.' {
		j := digitsEnd(s, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digitsEnd(s, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func digitsEnd(s []byte, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// validNumber reports whether s is exactly one JSON number literal.
func validNumber(s string) bool {
	return s != "" && numberEnd([]byte(s), 0) == len(s)
}
