// Package wire is the local endpoint's decoding core for AWS JSON 1.1
// requests: target parsing, body limits, JSON decoding and the service's
// error encoding. It imports no AWS SDK code, so it can be fuzzed cheaply.
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// MaxBody bounds a request body, 16 MiB; SageMaker's largest inputs
// (pipeline definitions, model cards) stay far below it.
const MaxBody = 16 << 20

// TooLarge is the answer to a body over MaxBody: 413, saying the limit.
// n is the body's declared length, or -1 when it was not declared.
func TooLarge(n int64) *Error {
	size := "larger than the limit"
	if n >= 0 {
		size = fmt.Sprintf("%d bytes", n)
	}
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLargeException",
		Message: fmt.Sprintf("The request body (%s) exceeds the local endpoint's limit of %d bytes (16 MiB).", size, MaxBody)}
}

// Error is an error in the service's own form.
type Error struct {
	Status  int    // HTTP status
	Code    string // __type, e.g. "ValidationException"
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf builds a 400 error with a code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Request is a decoded AWS JSON request.
type Request struct {
	Prefix    string         // target prefix, e.g. "SageMaker"
	Operation string         // e.g. "CreateTrainingJob"
	Body      map[string]any // decoded JSON object (numbers as json.Number)
}

// Decode reads an AWS JSON 1.1 request: POST, X-Amz-Target
// "<Prefix>.<Operation>", a JSON object body (empty means {}).
func Decode(method, target string, body io.Reader) (*Request, *Error) {
	if method != http.MethodPost {
		return nil, &Error{Status: http.StatusMethodNotAllowed, Code: "InvalidAction", Message: "AWS JSON requests use POST, got " + method}
	}
	prefix, op, ok := strings.Cut(target, ".")
	if !ok || prefix == "" || op == "" || len(target) > 256 {
		return nil, Errorf("UnknownOperationException", "missing or malformed X-Amz-Target %q", clip(target))
	}
	for _, r := range op {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return nil, Errorf("UnknownOperationException", "malformed operation name %q", clip(op))
		}
	}
	data, err := io.ReadAll(io.LimitReader(body, MaxBody+1))
	if err != nil {
		return nil, Errorf("SerializationException", "reading the body: %v", err)
	}
	if len(data) > MaxBody {
		return nil, TooLarge(-1)
	}
	req := &Request{Prefix: prefix, Operation: op, Body: map[string]any{}}
	if len(bytes.TrimSpace(data)) == 0 {
		return req, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, Errorf("SerializationException", "the body is not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, Errorf("SerializationException", "the body holds more than one JSON value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, Errorf("SerializationException", "the body must be a JSON object")
	}
	req.Body = obj
	return req, nil
}

// WriteError writes err as the service does: status, X-Amzn-ErrorType and
// a JSON body with __type and message.
func WriteError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: err.Error()}
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	w.WriteHeader(e.Status)
	b, _ := json.Marshal(map[string]string{"__type": e.Code, "message": e.Message})
	w.Write(b)
}

// WriteJSON writes a successful response.
func WriteJSON(w http.ResponseWriter, v any) {
	bp := buffers.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 64<<10 {
			buffers.Put(bp)
		}
	}()
	b, err := AppendJSON((*bp)[:0], v)
	*bp = b
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Write(b)
}

// buffers holds answer buffers for reuse.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
