package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"unicode/utf8"
)

// This file reads botocore's service-2.json (or aws-sdk-go's api-2.json) with
// its optional waiters-2.json and paginators-1.json.
//
// The files are known to be valid JSON (DetectFormat has decoded the main
// file; the siblings are checked with json.Valid), so they are read straight
// from their bytes by the small walker at the end of this file. That keeps
// object keys in file order (structure members keep model order, which Go
// maps lose), skips the megabytes of documentation without decoding them,
// and lets every error name its JSON path. Unknown keys (documentation,
// http, locationName, ...) are skipped; known keys are type-checked, and a
// key that makes no sense for a shape's type is an error, not dropped.

// Limits for values that have no natural bound in the format.
const (
	// Lengths bound len() in generated code, so they must fit a 32-bit int.
	maxLengthBound = math.MaxInt32
	// Waiter timing: a day between polls and 100,000 polls are far beyond
	// any real waiter, and delay × attempts still fits a time.Duration.
	maxWaiterDelay    = 24 * 60 * 60
	maxWaiterAttempts = 100_000
)

// parseBotocore fills b from a botocore model and its sibling files.
func parseBotocore(b *builder, in Input) error {
	// parse calls this only after DetectFormat decoded in.Data, so the
	// main file is known to be valid JSON; checking again would cost a
	// tenth of the load time.
	var meta, ops, shapes []byte
	err := b.object(trimSpace(in.Data), "$", func(k string, v []byte) error {
		switch k {
		case "metadata":
			meta = v
		case "operations":
			ops = v
		case "shapes":
			shapes = v
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range []struct {
		v    []byte
		name string
	}{{meta, "metadata"}, {ops, "operations"}, {shapes, "shapes"}} {
		if f.v == nil {
			return b.errf("$", "missing %q", f.name)
		}
	}
	if err := b.botoMetadata(meta); err != nil {
		return err
	}
	if err := b.object(shapes, "$.shapes", func(name string, v []byte) error {
		p := keyPath("$.shapes", name)
		s, err := b.define(name, p)
		if err != nil {
			return err
		}
		return b.botoShape(s, v, p)
	}); err != nil {
		return err
	}
	if err := b.botoOperations(ops); err != nil {
		return err
	}
	if in.Waiters != nil {
		if err := b.inFile(orDefault(in.WaitersName, "waiters-2.json"), in.Waiters, b.botoWaiters); err != nil {
			return err
		}
	}
	if in.Paginators != nil {
		if err := b.inFile(orDefault(in.PaginatorsName, "paginators-1.json"), in.Paginators, b.botoPaginators); err != nil {
			return err
		}
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// inFile runs fn on a sibling file with errors naming that file, not the
// main model.
func (b *builder) inFile(name string, data []byte, fn func([]byte) error) error {
	main := b.file
	b.file = name
	defer func() { b.file = main }()
	if !json.Valid(data) { // decode it only to learn where it goes wrong
		return jsonError(name, data, json.Unmarshal(data, new(any)))
	}
	return fn(trimSpace(data))
}

func (b *builder) botoMetadata(v []byte) error {
	s := b.svc
	fields := map[string]*string{
		"serviceId": &s.ID, "apiVersion": &s.APIVersion, "targetPrefix": &s.TargetPrefix,
		"signingName": &s.SigningName, "endpointPrefix": &s.EndpointPrefix,
		"protocol": &s.Protocol, "jsonVersion": &s.JSONVersion,
	}
	err := b.object(v, "$.metadata", func(k string, v []byte) (err error) {
		if dst, ok := fields[k]; ok {
			*dst, err = b.str(v, "$.metadata."+k)
		}
		return err
	})
	// botocore signs with the endpoint prefix when the model names no
	// signing name; resolve it here so both model formats agree.
	if s.SigningName == "" {
		s.SigningName = s.EndpointPrefix
	}
	return err
}

// botoShape holds the raw values of the keys a shape definition may have.
type botoShape struct {
	typ, members, required, member, key, value, enum     []byte
	min, max, pattern, sensitive, deprecated, deprecMsg  []byte
	union, document, exception, errInfo, fault, tsFormat []byte
	jsonValue                                            []byte
}

var botoKinds = map[string]Kind{
	"string": KindString, "integer": KindInteger, "long": KindLong, "float": KindFloat,
	"double": KindDouble, "boolean": KindBoolean, "timestamp": KindTimestamp, "blob": KindBlob,
	"list": KindList, "map": KindMap, "structure": KindStructure,
}

func (b *builder) botoShape(s *Shape, v []byte, p string) error {
	var r botoShape
	if err := b.object(v, p, func(k string, v []byte) error {
		switch k {
		case "type":
			r.typ = v
		case "members":
			r.members = v
		case "required":
			r.required = v
		case "member":
			r.member = v
		case "key":
			r.key = v
		case "value":
			r.value = v
		case "enum":
			r.enum = v
		case "min":
			r.min = v
		case "max":
			r.max = v
		case "pattern":
			r.pattern = v
		case "sensitive":
			r.sensitive = v
		case "deprecated":
			r.deprecated = v
		case "deprecatedMessage":
			r.deprecMsg = v
		case "union":
			r.union = v
		case "document":
			r.document = v
		case "exception":
			r.exception = v
		case "error":
			r.errInfo = v
		case "fault":
			r.fault = v
		case "timestampFormat":
			r.tsFormat = v
		case "jsonvalue":
			r.jsonValue = v
		}
		return nil
	}); err != nil {
		return err
	}
	if r.typ == nil {
		return b.errf(p, "shape has no \"type\"")
	}
	typ, err := b.str(r.typ, p+".type")
	if err != nil {
		return err
	}
	kind, ok := botoKinds[typ]
	if !ok {
		return b.errf(p+".type", "unknown shape type %q", typ)
	}
	s.Kind = kind

	// Keys that only some types may carry.
	only := func(raw []byte, key string, kinds ...Kind) error {
		if raw == nil {
			return nil
		}
		for _, k := range kinds {
			if k == kind {
				return nil
			}
		}
		return b.errf(p+"."+key, "%q is not allowed on a %s shape", key, typ)
	}
	for _, c := range []struct {
		raw   []byte
		key   string
		kinds []Kind
	}{
		{r.members, "members", []Kind{KindStructure}}, {r.required, "required", []Kind{KindStructure}},
		{r.union, "union", []Kind{KindStructure}}, {r.document, "document", []Kind{KindStructure}},
		{r.exception, "exception", []Kind{KindStructure}}, {r.errInfo, "error", []Kind{KindStructure}},
		{r.fault, "fault", []Kind{KindStructure}},
		{r.member, "member", []Kind{KindList}},
		{r.key, "key", []Kind{KindMap}}, {r.value, "value", []Kind{KindMap}},
		{r.enum, "enum", []Kind{KindString}}, {r.pattern, "pattern", []Kind{KindString}},
		{r.jsonValue, "jsonvalue", []Kind{KindString}},
		{r.tsFormat, "timestampFormat", []Kind{KindTimestamp}},
		{r.min, "min", []Kind{KindString, KindBlob, KindList, KindMap, KindInteger, KindLong, KindFloat, KindDouble}},
		{r.max, "max", []Kind{KindString, KindBlob, KindList, KindMap, KindInteger, KindLong, KindFloat, KindDouble}},
	} {
		if err := only(c.raw, c.key, c.kinds...); err != nil {
			return err
		}
	}

	if s.Sensitive, err = b.optBool(r.sensitive, p+".sensitive"); err != nil {
		return err
	}
	if s.JSONValue, err = b.optBool(r.jsonValue, p+".jsonvalue"); err != nil {
		return err
	}
	if s.Deprecated, err = b.deprecation(r.deprecated, r.deprecMsg, p); err != nil {
		return err
	}
	if r.pattern != nil {
		if s.Constraints.Pattern, err = b.str(r.pattern, p+".pattern"); err != nil {
			return err
		}
	}
	if r.enum != nil {
		s.Kind = KindEnum
		if s.Enum, err = b.botoEnum(r.enum, p+".enum"); err != nil {
			return err
		}
	}
	if err := b.botoRange(s, r.min, r.max, p); err != nil {
		return err
	}
	switch kind {
	case KindTimestamp:
		if r.tsFormat != nil {
			if s.TimestampFormat, err = b.str(r.tsFormat, p+".timestampFormat"); err != nil {
				return err
			}
			switch s.TimestampFormat {
			case "iso8601", "unixTimestamp", "rfc822":
			default:
				return b.errf(p+".timestampFormat", "unknown timestamp format %q", s.TimestampFormat)
			}
		}
	case KindList:
		if r.member == nil {
			return b.errf(p, "list has no \"member\"")
		}
		s.ListMember, err = b.botoMember("member", r.member, p+".member")
		return err
	case KindMap:
		if r.key == nil || r.value == nil {
			return b.errf(p, "map needs \"key\" and \"value\"")
		}
		if s.MapKey, err = b.botoMember("key", r.key, p+".key"); err != nil {
			return err
		}
		s.MapValue, err = b.botoMember("value", r.value, p+".value")
		return err
	case KindStructure:
		return b.botoStructure(s, &r, p)
	}
	return nil
}

func (b *builder) botoEnum(v []byte, p string) ([]EnumValue, error) {
	var out []EnumValue
	seen := map[string]bool{}
	err := b.array(v, p, func(i int, v []byte) error {
		ip := indexPath(p, i)
		if i >= MaxMembers {
			return b.errf(ip, "more than %d enum values", MaxMembers)
		}
		s, err := b.str(v, ip)
		if err != nil {
			return err
		}
		if seen[s] {
			return b.errf(ip, "enum value %q listed twice", s)
		}
		seen[s] = true
		out = append(out, EnumValue{Value: s})
		return nil
	})
	if err == nil && len(out) == 0 {
		err = b.errf(p, "enum has no values")
	}
	return out, err
}

// botoRange reads min and max: lengths for strings, blobs, lists and maps,
// value bounds for numbers.
func (b *builder) botoRange(s *Shape, minV, maxV []byte, p string) error {
	c := &s.Constraints
	if s.Kind.IsNumber() {
		var err error
		if c.Min, err = b.bound(s.Kind, minV, p+".min"); err != nil {
			return err
		}
		if c.Max, err = b.bound(s.Kind, maxV, p+".max"); err != nil {
			return err
		}
		if c.Min != nil && c.Max != nil && *c.Min > *c.Max {
			return b.errf(p+".min", "min %v is greater than max %v", *c.Min, *c.Max)
		}
		return nil
	}
	for _, f := range []struct {
		raw []byte
		dst **int64
		key string
	}{{minV, &c.MinLength, "min"}, {maxV, &c.MaxLength, "max"}} {
		if f.raw == nil {
			continue
		}
		n, err := b.integer(f.raw, p+"."+f.key)
		if err != nil {
			return err
		}
		if n < 0 || n > maxLengthBound {
			return b.errf(p+"."+f.key, "length %d out of range [0, %d]", n, maxLengthBound)
		}
		*f.dst = &n
	}
	if c.MinLength != nil && c.MaxLength != nil && *c.MinLength > *c.MaxLength {
		return b.errf(p+".min", "min %d is greater than max %d", *c.MinLength, *c.MaxLength)
	}
	return nil
}

// bound reads a numeric range bound, which must be representable in the
// shape's own type so that generated comparisons compile.
func (b *builder) bound(kind Kind, raw []byte, p string) (*float64, error) {
	if raw == nil {
		return nil, nil
	}
	var f float64
	switch kind {
	case KindInteger, KindLong:
		n, err := b.integer(raw, p)
		if err != nil {
			return nil, err
		}
		if kind == KindInteger && (n < math.MinInt32 || n > math.MaxInt32) {
			return nil, b.errf(p, "bound %d does not fit a 32-bit integer", n)
		}
		f = float64(n)
	default:
		var err error
		if f, err = b.number(raw, p); err != nil {
			return nil, err
		}
		if kind == KindFloat && math.Abs(f) > math.MaxFloat32 {
			return nil, b.errf(p, "bound %.40s does not fit a 32-bit float", raw)
		}
	}
	return &f, nil
}

func (b *builder) botoStructure(s *Shape, r *botoShape, p string) error {
	union, err := b.optBool(r.union, p+".union")
	if err != nil {
		return err
	}
	document, err := b.optBool(r.document, p+".document")
	if err != nil {
		return err
	}
	exception, err := b.optBool(r.exception, p+".exception")
	if err != nil {
		return err
	}
	switch {
	case union && document:
		return b.errf(p, "a shape cannot be both a union and a document")
	case exception && (union || document):
		return b.errf(p+".exception", "an exception must be a plain structure")
	case !exception && (r.errInfo != nil || r.fault != nil):
		return b.errf(p, "\"error\" and \"fault\" need \"exception\": true")
	case union:
		s.Kind = KindUnion
	case document:
		s.Kind = KindDocument
	}
	if r.members != nil {
		mp := p + ".members"
		err := b.object(r.members, mp, func(name string, v []byte) error {
			if len(s.Members) >= MaxMembers {
				return b.errf(mp, "more than %d members", MaxMembers)
			}
			np := keyPath(mp, name)
			if err := b.checkName(np, name); err != nil {
				return err
			}
			m, err := b.botoMember(name, v, np)
			if err != nil {
				return err
			}
			s.Members = append(s.Members, m)
			return nil
		})
		if err != nil {
			return err
		}
	}
	if document && len(s.Members) > 0 {
		return b.errf(p+".members", "a document shape has no members")
	}
	if r.required != nil {
		if union {
			return b.errf(p+".required", "union members cannot be required")
		}
		rp := p + ".required"
		member := s.Member
		if len(s.Members) > 32 { // keep hostile member lists from going quadratic
			byName := make(map[string]*Member, len(s.Members))
			for _, m := range s.Members {
				byName[m.Name] = m
			}
			member = func(name string) *Member { return byName[name] }
		}
		if err := b.array(r.required, rp, func(i int, v []byte) error {
			ip := indexPath(rp, i)
			name, err := b.str(v, ip)
			if err != nil {
				return err
			}
			m := member(name)
			switch {
			case m == nil:
				return b.errf(ip, "required member %q is not a member of %s", name, s.Name)
			case m.Required:
				return b.errf(ip, "member %q listed twice", name)
			}
			m.Required = true
			return nil
		}); err != nil {
			return err
		}
	}
	if exception {
		s.Error, err = b.botoErrorInfo(s.Name, r, p)
	}
	return err
}

// botoErrorInfo reads an exception's wire code and fault. botocore marks
// server faults with "fault": true; otherwise the caller is at fault unless
// the HTTP status says 5xx.
func (b *builder) botoErrorInfo(name string, r *botoShape, p string) (*ErrorInfo, error) {
	info := &ErrorInfo{Code: name, Fault: "client"}
	fault, err := b.optBool(r.fault, p+".fault")
	if err != nil {
		return nil, err
	}
	var sender bool
	if r.errInfo != nil {
		ep := p + ".error"
		err := b.object(r.errInfo, ep, func(k string, v []byte) error {
			switch k {
			case "code":
				code, err := b.str(v, ep+".code")
				if err == nil && code == "" {
					err = b.errf(ep+".code", "empty error code")
				}
				info.Code = code
				return err
			case "httpStatusCode":
				n, err := b.integer(v, ep+".httpStatusCode")
				if err == nil && (n < 100 || n > 599) {
					err = b.errf(ep+".httpStatusCode", "HTTP status %d out of range [100, 599]", n)
				}
				info.HTTPStatus = int(n)
				return err
			case "senderFault":
				var err error
				sender, err = b.boolean(v, ep+".senderFault")
				return err
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	switch {
	case fault && sender:
		return nil, b.errf(p, "exception is both a server fault and a sender fault")
	case fault, !sender && info.HTTPStatus >= 500:
		info.Fault = "server"
	}
	return info, nil
}

// botoMember reads a structure member, list member or map key or value.
func (b *builder) botoMember(name string, v []byte, p string) (*Member, error) {
	m := &Member{Name: name}
	var shape, deprecated, deprecMsg []byte
	err := b.object(v, p, func(k string, v []byte) (err error) {
		switch k {
		case "shape":
			shape = v
		case "deprecated":
			deprecated = v
		case "deprecatedMessage":
			deprecMsg = v
		case "idempotencyToken":
			m.IdempotencyToken, err = b.boolean(v, p+".idempotencyToken")
		case "jsonvalue":
			m.JSONValue, err = b.boolean(v, p+".jsonvalue")
		case "box": // a boxing hint for Java SDKs; the graph has no use for it
			_, err = b.boolean(v, p+".box")
		case "timestampFormat": // would change the wire format, so not silently dropped
			err = b.errf(p+".timestampFormat", "member-level timestampFormat is not supported")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if m.Deprecated, err = b.deprecation(deprecated, deprecMsg, p); err != nil {
		return nil, err
	}
	if shape == nil {
		return nil, b.errf(p, "member has no \"shape\"")
	}
	target, err := b.str(shape, p+".shape")
	if err != nil {
		return nil, err
	}
	m.Target, err = b.ref(target, p+".shape")
	return m, err
}

func (b *builder) deprecation(flag, msg []byte, p string) (*Deprecation, error) {
	dep, err := b.optBool(flag, p+".deprecated")
	if err != nil {
		return nil, err
	}
	var text string
	if msg != nil {
		if text, err = b.str(msg, p+".deprecatedMessage"); err != nil {
			return nil, err
		}
		if !dep {
			return nil, b.errf(p+".deprecatedMessage", "deprecatedMessage without \"deprecated\": true")
		}
	}
	if !dep {
		return nil, nil
	}
	return &Deprecation{Message: text}, nil
}

func (b *builder) botoOperations(v []byte) error {
	type shapeRef struct {
		s       *Shape
		path    string
		isError bool
	}
	var check []shapeRef // operation inputs, outputs and errors, checked once all are read
	err := b.object(v, "$.operations", func(key string, v []byte) error {
		p := keyPath("$.operations", key)
		if err := b.checkName(p, key); err != nil {
			return err
		}
		if len(b.svc.Operations) >= MaxShapes {
			return b.errf(p, "more than %d operations", MaxShapes)
		}
		op := &Operation{Name: key}
		var name, deprecated, deprecMsg []byte
		ref := func(v []byte, rp string, isError bool) (*Shape, error) {
			var shape []byte
			if err := b.object(v, rp, func(k string, v []byte) error {
				if k == "shape" {
					shape = v
				}
				return nil
			}); err != nil {
				return nil, err
			}
			if shape == nil {
				return nil, b.errf(rp, "no \"shape\"")
			}
			n, err := b.str(shape, rp+".shape")
			if err != nil {
				return nil, err
			}
			s, err := b.ref(n, rp+".shape")
			if err != nil {
				return nil, err
			}
			check = append(check, shapeRef{s, rp + ".shape", isError})
			return s, nil
		}
		err := b.object(v, p, func(k string, v []byte) (err error) {
			switch k {
			case "name":
				name = v
			case "deprecated":
				deprecated = v
			case "deprecatedMessage":
				deprecMsg = v
			case "input":
				op.Input, err = ref(v, p+".input", false)
			case "output":
				op.Output, err = ref(v, p+".output", false)
			case "errors":
				ep := p + ".errors"
				err = b.array(v, ep, func(i int, v []byte) error {
					if i >= MaxMembers {
						return b.errf(ep, "more than %d errors", MaxMembers)
					}
					s, err := ref(v, indexPath(ep, i), true)
					op.Errors = append(op.Errors, s)
					return err
				})
			}
			return err
		})
		if err != nil {
			return err
		}
		if name == nil {
			return b.errf(p, "operation has no \"name\"")
		}
		n, err := b.str(name, p+".name")
		if err != nil {
			return err
		}
		if n != key {
			return b.errf(p+".name", "operation name %q differs from its key %q", n, key)
		}
		if op.Deprecated, err = b.deprecation(deprecated, deprecMsg, p); err != nil {
			return err
		}
		b.svc.Operations[key] = op
		return nil
	})
	if err != nil {
		return err
	}
	// Undefined shapes are left for finish, which reports them by name.
	for _, c := range check {
		if _, ok := b.defined[c.s.Name]; !ok {
			continue
		}
		switch {
		case c.s.Kind != KindStructure:
			return b.errf(c.path, "%s is a %s, not a structure", c.s.Name, c.s.Kind)
		case c.isError && c.s.Error == nil:
			return b.errf(c.path, "%s is not an exception shape", c.s.Name)
		}
	}
	return nil
}

// botoWaiters reads waiters-2.json (version 2).
func (b *builder) botoWaiters(data []byte) error {
	var version, waiters []byte
	if err := b.object(data, "$", func(k string, v []byte) error {
		switch k {
		case "version":
			version = v
		case "waiters":
			waiters = v
		}
		return nil
	}); err != nil {
		return err
	}
	if version == nil {
		return b.errf("$", "missing \"version\"")
	}
	if n, err := b.integer(version, "$.version"); err != nil {
		return err
	} else if n != 2 {
		return b.errf("$.version", "unsupported waiters version %d (want 2)", n)
	}
	if waiters == nil {
		return b.errf("$", "missing \"waiters\"")
	}
	return b.object(waiters, "$.waiters", func(name string, v []byte) error {
		p := keyPath("$.waiters", name)
		if err := b.checkName(p, name); err != nil {
			return err
		}
		if len(b.svc.Waiters) >= MaxShapes {
			return b.errf(p, "more than %d waiters", MaxShapes)
		}
		w := &Waiter{Name: name}
		var op, delay, attempts, acceptors []byte
		if err := b.object(v, p, func(k string, v []byte) error {
			switch k {
			case "operation":
				op = v
			case "delay":
				delay = v
			case "maxAttempts":
				attempts = v
			case "acceptors":
				acceptors = v
			}
			return nil
		}); err != nil {
			return err
		}
		for _, f := range []struct {
			raw []byte
			key string
		}{{op, "operation"}, {delay, "delay"}, {attempts, "maxAttempts"}, {acceptors, "acceptors"}} {
			if f.raw == nil {
				return b.errf(p, "waiter has no %q", f.key)
			}
		}
		var err error
		if w.Operation, err = b.str(op, p+".operation"); err != nil {
			return err
		}
		if err := b.checkName(p+".operation", w.Operation); err != nil {
			return err
		}
		if _, ok := b.svc.Operations[w.Operation]; !ok {
			return b.errf(p+".operation", "unknown operation %q", w.Operation)
		}
		if w.MinDelay, err = b.intIn(delay, p+".delay", 1, maxWaiterDelay); err != nil {
			return err
		}
		if w.MaxAttempts, err = b.intIn(attempts, p+".maxAttempts", 1, maxWaiterAttempts); err != nil {
			return err
		}
		ap := p + ".acceptors"
		if err := b.array(acceptors, ap, func(i int, v []byte) error {
			if i >= MaxMembers {
				return b.errf(ap, "more than %d acceptors", MaxMembers)
			}
			a, err := b.botoAcceptor(v, indexPath(ap, i))
			w.Acceptors = append(w.Acceptors, a)
			return err
		}); err != nil {
			return err
		}
		if len(w.Acceptors) == 0 {
			return b.errf(ap, "waiter has no acceptors")
		}
		b.svc.Waiters[name] = w
		return nil
	})
}

var (
	botoStates   = map[string]AcceptorState{"success": StateSuccess, "failure": StateFailure, "retry": StateRetry}
	botoPathCmps = map[string]string{"path": CompareStringEquals, "pathAll": CompareAllStringEquals, "pathAny": CompareAnyStringEquals}
)

func (b *builder) botoAcceptor(v []byte, p string) (Acceptor, error) {
	var a Acceptor
	var state, matcher, argument, expected []byte
	if err := b.object(v, p, func(k string, v []byte) error {
		switch k {
		case "state":
			state = v
		case "matcher":
			matcher = v
		case "argument":
			argument = v
		case "expected":
			expected = v
		}
		return nil
	}); err != nil {
		return a, err
	}
	for _, f := range []struct {
		raw []byte
		key string
	}{{state, "state"}, {matcher, "matcher"}, {expected, "expected"}} {
		if f.raw == nil {
			return a, b.errf(p, "acceptor has no %q", f.key)
		}
	}
	st, err := b.str(state, p+".state")
	if err != nil {
		return a, err
	}
	var ok bool
	if a.State, ok = botoStates[st]; !ok {
		return a, b.errf(p+".state", "unknown acceptor state %q", st)
	}
	mt, err := b.str(matcher, p+".matcher")
	if err != nil {
		return a, err
	}
	ep := p + ".expected"
	if cmp, ok := botoPathCmps[mt]; ok {
		if argument == nil {
			return a, b.errf(p, "%s matcher has no \"argument\"", mt)
		}
		if a.Path, err = b.str(argument, p+".argument"); err != nil {
			return a, err
		}
		if a.Path == "" {
			return a, b.errf(p+".argument", "empty path")
		}
		a.Matcher, a.Comparator = MatchOutput, cmp
		switch {
		case expected[0] == '"':
			a.Expected, err = b.str(expected, ep)
		case mt == "path" && (expected[0] == 't' || expected[0] == 'f'):
			a.Expected, a.Comparator = string(expected), CompareBooleanEquals
		default:
			want := "a string"
			if mt == "path" {
				want = "a string or a boolean"
			}
			err = b.typeErr(ep, want, expected)
		}
		return a, err
	}
	if argument != nil {
		return a, b.errf(p+".argument", "only path matchers take an argument")
	}
	switch mt {
	case "error":
		switch expected[0] {
		case '"':
			a.Matcher = MatchError
			a.ErrorType, err = b.str(expected, ep)
			if err == nil && a.ErrorType == "" {
				err = b.errf(ep, "empty error type")
			}
		case 't', 'f':
			// expected true means "an error happened", i.e. the call failed.
			a.Matcher = MatchSuccess
			a.Success = expected[0] == 'f'
		default:
			err = b.typeErr(ep, "a string or a boolean", expected)
		}
	case "status":
		var n int
		n, err = b.intIn(expected, ep, 100, 599)
		a.Matcher, a.Expected = MatchStatus, strconv.Itoa(n)
	default:
		err = b.errf(p+".matcher", "unknown matcher %q", mt)
	}
	return a, err
}

// botoPaginators reads paginators-1.json.
func (b *builder) botoPaginators(data []byte) error {
	var pagination []byte
	if err := b.object(data, "$", func(k string, v []byte) error {
		if k == "pagination" {
			pagination = v
		}
		return nil
	}); err != nil {
		return err
	}
	if pagination == nil {
		return b.errf("$", "missing \"pagination\"")
	}
	return b.object(pagination, "$.pagination", func(name string, v []byte) error {
		p := keyPath("$.pagination", name)
		op, ok := b.svc.Operations[name]
		if !ok {
			return b.errf(p, "paginator for unknown operation %q", name)
		}
		if op.Input == nil || op.Output == nil {
			return b.errf(p, "paginated operation %s needs an input and an output", name)
		}
		pg := &Paginator{}
		var in, out []byte
		if err := b.object(v, p, func(k string, v []byte) (err error) {
			switch k {
			case "input_token":
				in = v
			case "output_token":
				out = v
			case "limit_key":
				pg.PageSize, err = b.str(v, p+".limit_key")
			case "result_key":
				pg.Items, err = b.pagePath(v, p+".result_key")
			case "more_results": // implied by the output token here
				_, err = b.pagePath(v, p+".more_results")
			}
			return err
		}); err != nil {
			return err
		}
		if in == nil || out == nil {
			return b.errf(p, "paginator needs \"input_token\" and \"output_token\"")
		}
		var err error
		if pg.InputToken, err = b.pagePath(in, p+".input_token"); err != nil {
			return err
		}
		if pg.OutputToken, err = b.pagePath(out, p+".output_token"); err != nil {
			return err
		}
		// finish checks this too, but only here can the error name this file.
		for _, c := range []struct {
			s      *Shape
			m, key string
		}{{op.Input, pg.InputToken, "input_token"}, {op.Output, pg.OutputToken, "output_token"},
			{op.Input, pg.PageSize, "limit_key"}, {op.Output, pg.Items, "result_key"}} {
			if _, ok := b.defined[c.s.Name]; ok && c.m != "" && identRE.MatchString(c.m) && c.s.Member(c.m) == nil {
				return b.errf(p+"."+c.key, "%q is not a member of %s", c.m, c.s.Name)
			}
		}
		op.Paginator = pg
		return nil
	})
}

// pagePath reads a paginator path: a string or a list of one string.
// botocore allows several (merged results); SageMaker uses none, and the
// graph has room for one.
func (b *builder) pagePath(v []byte, p string) (string, error) {
	if v[0] == '[' {
		var out string
		n := 0
		err := b.array(v, p, func(i int, v []byte) (err error) {
			if n++; i > 0 {
				return b.errf(p, "several paths are not supported")
			}
			out, err = b.str(v, indexPath(p, i))
			return err
		})
		if err == nil && n == 0 {
			err = b.errf(p, "empty list")
		}
		if err == nil && out == "" {
			err = b.errf(p, "empty path")
		}
		return out, err
	}
	s, err := b.str(v, p)
	if err == nil && s == "" {
		err = b.errf(p, "empty path")
	}
	return s, err
}

// --- Walker over JSON that json.Valid accepted. ---
//
// A value is the byte slice it spans, without surrounding space. The
// functions never index past their slice, so even bytes that are not valid
// JSON give an error, not a panic.

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(d []byte, i int) int {
	for i < len(d) && isSpace(d[i]) {
		i++
	}
	return i
}

func trimSpace(d []byte) []byte {
	return bytes.TrimFunc(d, func(r rune) bool { return r < utf8.RuneSelf && isSpace(byte(r)) })
}

// stringEnd returns the index just past the string that starts at d[i].
func stringEnd(d []byte, i int) int {
	for j := i + 1; j < len(d); {
		k := bytes.IndexByte(d[j:], '"')
		if k < 0 {
			break
		}
		k += j
		n := 0 // backslashes just before the quote
		for q := k - 1; q > i && d[q] == '\\'; q-- {
			n++
		}
		if n%2 == 0 {
			return k + 1
		}
		j = k + 1
	}
	return len(d)
}

// valueEnd returns the index just past the value that starts at d[i].
func valueEnd(d []byte, i int) int {
	if i >= len(d) {
		return i
	}
	switch d[i] {
	case '"':
		return stringEnd(d, i)
	case '{', '[':
		depth := 0
		for i < len(d) {
			switch d[i] {
			case '"':
				i = stringEnd(d, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(d) && d[i] != ',' && d[i] != '}' && d[i] != ']' && !isSpace(d[i]) {
		i++
	}
	return i
}

func jsonKind(v []byte) string {
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func (b *builder) typeErr(p, want string, v []byte) error {
	return b.errf(p, "expected %s, got %s", want, jsonKind(v))
}

// object calls fn with each key and value of the object v, in file order.
// A key given twice is an error: JSON decoders disagree on which one wins.
func (b *builder) object(v []byte, p string, fn func(key string, val []byte) error) error {
	if len(v) < 2 || v[0] != '{' || v[len(v)-1] != '}' {
		return b.typeErr(p, "an object", v)
	}
	bad := func() error { return b.errf(p, "malformed object") }
	var small [16]string
	keys := small[:0]
	var seen map[string]bool
	i := skipSpace(v, 1)
	if i == len(v)-1 {
		return nil
	}
	for {
		if i >= len(v) || v[i] != '"' {
			return bad()
		}
		end := stringEnd(v, i)
		key, err := b.str(v[i:end], p)
		if err != nil {
			return err
		}
		if seen == nil && len(keys) == len(small) {
			seen = make(map[string]bool, 2*len(keys))
			for _, k := range keys {
				seen[k] = true
			}
		}
		dup := false
		if seen != nil {
			dup = seen[key]
			seen[key] = true
		} else {
			for _, k := range keys {
				dup = dup || k == key
			}
			keys = append(keys, key)
		}
		if dup {
			return b.errf(keyPath(p, key), "key %q given twice", key)
		}
		i = skipSpace(v, end)
		if i >= len(v) || v[i] != ':' {
			return bad()
		}
		i = skipSpace(v, i+1)
		end = valueEnd(v, i)
		if end <= i || end > len(v)-1 {
			return bad()
		}
		if err := fn(key, v[i:end]); err != nil {
			return err
		}
		i = skipSpace(v, end)
		if i == len(v)-1 {
			return nil
		}
		if i >= len(v) || v[i] != ',' {
			return bad()
		}
		i = skipSpace(v, i+1)
	}
}

// array calls fn with each element of the array v.
func (b *builder) array(v []byte, p string, fn func(i int, val []byte) error) error {
	if len(v) < 2 || v[0] != '[' || v[len(v)-1] != ']' {
		return b.typeErr(p, "an array", v)
	}
	i := skipSpace(v, 1)
	if i == len(v)-1 {
		return nil
	}
	for n := 0; ; n++ {
		end := valueEnd(v, i)
		if end <= i || end > len(v)-1 {
			return b.errf(p, "malformed array")
		}
		if err := fn(n, v[i:end]); err != nil {
			return err
		}
		i = skipSpace(v, end)
		if i == len(v)-1 {
			return nil
		}
		if i >= len(v) || v[i] != ',' {
			return b.errf(p, "malformed array")
		}
		i = skipSpace(v, i+1)
	}
}

func (b *builder) str(v []byte, p string) (string, error) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", b.typeErr(p, "a string", v)
	}
	body := v[1 : len(v)-1]
	if !utf8.Valid(body) {
		return "", b.errf(p, "string is not valid UTF-8")
	}
	if bytes.IndexByte(body, '\\') < 0 {
		return string(body), nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", b.errf(p, "bad string: %v", err)
	}
	return s, nil
}

func (b *builder) boolean(v []byte, p string) (bool, error) {
	switch string(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, b.typeErr(p, "a boolean", v)
}

// optBool reads an optional boolean; absent is false.
func (b *builder) optBool(v []byte, p string) (bool, error) {
	if v == nil {
		return false, nil
	}
	return b.boolean(v, p)
}

func (b *builder) number(v []byte, p string) (float64, error) {
	if jsonKind(v) != "number" {
		return 0, b.typeErr(p, "a number", v)
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, b.errf(p, "number %.40s out of range", v)
	}
	return f, nil
}

func (b *builder) integer(v []byte, p string) (int64, error) {
	if jsonKind(v) != "number" {
		return 0, b.typeErr(p, "an integer", v)
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, b.errf(p, "integer %.40s out of range", v)
	}
	if err != nil {
		return 0, b.errf(p, "expected an integer, got %.40s", v)
	}
	return n, nil
}

// intIn reads an integer in [lo, hi].
func (b *builder) intIn(v []byte, p string, lo, hi int64) (int, error) {
	n, err := b.integer(v, p)
	if err != nil {
		return 0, err
	}
	if n < lo || n > hi {
		return 0, b.errf(p, "%d out of range [%d, %d]", n, lo, hi)
	}
	return int(n), nil
}

// keyPath appends an object key to a JSON path: .key for identifiers,
// ["key"] otherwise, so that paths stay unambiguous.
func keyPath(p, key string) string {
	plain := key != ""
	for i := 0; i < len(key) && plain; i++ {
		c := key[i]
		plain = c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9'
	}
	if plain {
		return p + "." + key
	}
	return p + "[" + strconv.Quote(key) + "]"
}

func indexPath(p string, i int) string { return p + "[" + strconv.Itoa(i) + "]" }
