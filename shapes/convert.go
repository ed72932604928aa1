package shapes

import "time"

// Helpers for the generated SDK conversions (the list and map conversions
// are generated, in zz_conv.go).

// ptrOf returns a pointer to a copy of v.
func ptrOf[T any](v T) *T { return &v }

// nonZero returns a pointer to v, or nil for the zero value: optional
// members that are plain values here (strings, enums) are pointers in the
// SDK, where nil means unset.
func nonZero[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// deref returns *p, or the zero value for nil.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// nonZeroTime is nonZero for timestamps, whose zero is told by IsZero.
func nonZeroTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
