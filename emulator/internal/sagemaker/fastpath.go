package sagemaker

import "sync"

// The commonest calls — Describe, Stop, Delete, ListTags — carry a body of
// one or two names, and the same bodies come again and again (a waiter
// polls one job). Validating one means decoding it into its shapes type by
// reflection and matching patterns; validation is a pure function of the
// operation and the body, so bodies that passed are remembered.

// validKey is a flat body of at most two string members, keys in order.
type validKey struct {
	spec           *opSpec
	k1, v1, k2, v2 string
}

// flatKey returns body's key, if it is such a body.
func flatKey(spec *opSpec, body map[string]any) (validKey, bool) {
	key := validKey{spec: spec}
	if len(body) > 2 {
		return key, false
	}
	i := 0
	for k, v := range body {
		s, ok := v.(string)
		if !ok {
			return key, false
		}
		if i == 0 {
			key.k1, key.v1 = k, s
		} else {
			key.k2, key.v2 = k, s
		}
		i++
	}
	if i == 2 && key.k2 < key.k1 {
		key.k1, key.v1, key.k2, key.v2 = key.k2, key.v2, key.k1, key.v1
	}
	return key, true
}

// validated holds the bodies that passed check (bounded: it starts over
// when full).
var validated struct {
	sync.Mutex
	m map[validKey]struct{}
}

func wasValid(k validKey) bool {
	validated.Lock()
	defer validated.Unlock()
	_, ok := validated.m[k]
	return ok
}

func rememberValid(k validKey) {
	validated.Lock()
	defer validated.Unlock()
	if validated.m == nil || len(validated.m) >= 4096 {
		validated.m = map[validKey]struct{}{}
	}
	validated.m[k] = struct{}{}
}
