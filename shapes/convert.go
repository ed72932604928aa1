package shapes

// Helpers for the generated SDK conversions.

// convSlice converts each item of a list; nil stays nil, empty stays empty.
func convSlice[T, F any](in []F, f func(*F) T) []T {
	if in == nil {
		return nil
	}
	out := make([]T, len(in))
	for i := range in {
		out[i] = f(&in[i])
	}
	return out
}

// convMap converts each value of a map; nil stays nil, empty stays empty.
func convMap[T, F any](in map[string]F, f func(*F) T) map[string]T {
	if in == nil {
		return nil
	}
	out := make(map[string]T, len(in))
	for k, v := range in {
		out[k] = f(&v)
	}
	return out
}

// ptrOf returns a pointer to a copy of v.
func ptrOf[T any](v T) *T { return &v }

// nonZero returns a pointer to v, or nil for the zero value: members that
// are plain values here (the model forbids their zero value) are pointers
// in the SDK, where nil means unset.
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
