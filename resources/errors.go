package resources

import (
	"errors"
	"strings"

	"github.com/aws/smithy-go"
)

// ErrNotFound matches, with errors.Is, every error that means the resource
// does not exist, in whichever form the service uses for that resource.
var ErrNotFound = errors.New("resource not found")

// Error is a failed operation on a resource. Its chain holds the SDK's
// error (a smithy.APIError for service errors).
type Error struct {
	Kind     string // resource kind, e.g. "TrainingJob"
	Name     string // identifier, when known
	Op       string // operation, e.g. "DescribeTrainingJob"
	NotFound bool   // the service said the resource does not exist
	Err      error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Kind != "" {
		b.WriteString(" " + e.Kind)
	}
	if e.Name != "" {
		b.WriteString(" " + `"` + e.Name + `"`)
	}
	if e.NotFound {
		b.WriteString(": not found")
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotFound) work.
func (e *Error) Is(target error) bool { return target == ErrNotFound && e.NotFound }

// notFound is one resource's rule for "does not exist".
type notFound struct {
	codes    []string // error codes that always mean not found
	prefixes []string // ValidationException messages that mean not found
}

func (r notFound) match(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	code := ae.ErrorCode()
	for _, c := range r.codes {
		if code == c {
			return true
		}
	}
	if code != "ValidationException" {
		return false
	}
	msg := ae.ErrorMessage()
	for _, p := range r.prefixes {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// wrap makes err an *Error; nil stays nil.
func wrap(kind, name, op string, rule *notFound, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Kind: kind, Name: name, Op: op, Err: err}
	if rule != nil {
		e.NotFound = rule.match(err)
	}
	return e
}

// isAlreadyExists reports whether a create failed because the resource
// exists (ResourceInUse, or a ValidationException saying so).
func isAlreadyExists(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.ErrorCode() {
	case "ResourceInUse", "ConflictException":
		return true
	case "ValidationException":
		m := strings.ToLower(ae.ErrorMessage())
		return strings.Contains(m, "already exist")
	}
	return false
}
