package resources

import (
	"errors"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// ErrNotFound matches, with errors.Is, every error that means the resource
// does not exist, in whichever form the service uses for that resource.
var ErrNotFound = errors.New("resource not found")

// Error is a failed operation on a resource. Its chain holds the SDK's
// error unchanged (a smithy.APIError for service errors, inside the SDK's
// *smithy.OperationError and *awshttp.ResponseError), so errors.As and
// errors.Is see everything the SDK returned.
//
// Its message names each fact once, the SDK's wrappers left out:
//
//	TrainingJob "x": DescribeTrainingJob: ValidationException: Requested resource not found (HTTP 400, request ID abc-123)
//	TrainingJob "x": DescribeTrainingJob: context canceled
//	TrainingJob "x": DescribeTrainingJob: Post "https://…": dial tcp: …: connection refused (after 3 attempts)
//
// The kind and name are left out when empty, and so is each part of the
// parenthesis.
type Error struct {
	Kind     string // resource kind, e.g. "TrainingJob"
	Name     string // identifier, when known
	Op       string // operation, e.g. "DescribeTrainingJob"
	NotFound bool   // the service said the resource does not exist
	Err      error  // the SDK's error; nil for a failure found before any call
}

func (e *Error) Error() string {
	var b strings.Builder
	sep := func() {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
	}
	if e.Kind != "" {
		b.WriteString(e.Kind)
	}
	if e.Name != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Quote(e.Name))
	}
	op := e.Op
	if op == "" {
		var oe *smithy.OperationError
		if errors.As(e.Err, &oe) {
			op = oe.OperationName
		}
	}
	if op != "" {
		sep()
		b.WriteString(op)
	}

	var text string
	attempts := 0
	if e.Err != nil {
		text = errorText(e.Err, &attempts)
	}
	if text == "" && e.NotFound {
		text = "not found"
	}
	if text == "" {
		if b.Len() == 0 {
			return "resources: operation failed"
		}
		b.WriteString(" failed")
		return b.String()
	}
	sep()
	b.WriteString(text)

	var extra []string
	if s := e.HTTPStatus(); s != 0 {
		extra = append(extra, "HTTP "+strconv.Itoa(s))
	}
	if id := e.RequestID(); id != "" {
		extra = append(extra, "request ID "+id)
	}
	if attempts > 1 {
		extra = append(extra, "after "+strconv.Itoa(attempts)+" attempts")
	}
	if len(extra) > 0 {
		b.WriteString(" (" + strings.Join(extra, ", ") + ")")
	}
	return b.String()
}

// errorText is err's message without the SDK's wrappers, which only repeat
// the operation, the HTTP status and the request ID (shown once by Error)
// or say that the call was cancelled (which the context's error says too).
// It records in *attempts the count of a retry.MaxAttemptsError.
func errorText(err error, attempts *int) string {
	for {
		switch e := err.(type) {
		case nil:
			return ""
		case *smithy.OperationError:
			err = e.Err
			continue
		case *awshttp.ResponseError:
			if e.ResponseError == nil {
				return ""
			}
			err = e.ResponseError.Err
			continue
		case *smithyhttp.ResponseError:
			err = e.Err
			continue
		case *smithyhttp.RequestSendError:
			err = e.Err
			continue
		case *retry.MaxAttemptsError:
			*attempts = max(*attempts, e.Attempt)
			err = e.Err
			continue
		case smithy.APIError:
			code, msg := e.ErrorCode(), e.ErrorMessage()
			switch {
			case code != "" && msg != "":
				return code + ": " + msg
			case code != "":
				return code
			case msg != "":
				return msg
			}
			return e.Error()
		case interface{ Unwrap() []error }: // errors.Join, e.g. by the retryer
			var parts []string
			for _, u := range e.Unwrap() {
				if t := errorText(u, attempts); t != "" {
					parts = append(parts, t)
				}
			}
			return strings.Join(parts, "; ")
		}
		// Cancellation wrappers (smithy.CanceledError,
		// aws.RequestCanceledError, the rate limiter's) only prefix
		// "canceled, " to the context's error.
		if c, ok := err.(interface {
			CanceledError() bool
			Unwrap() error
		}); ok && c.CanceledError() && c.Unwrap() != nil {
			err = c.Unwrap()
			continue
		}
		return err.Error()
	}
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotFound) work.
func (e *Error) Is(target error) bool { return target == ErrNotFound && e.NotFound }

// Code is the service's error code (e.g. "ValidationException"), or ""
// when the failure is not a service error.
func (e *Error) Code() string {
	var ae smithy.APIError
	if errors.As(e.Err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// RequestID is the ID of the request the service answered with an error,
// or "" when there is none (e.g. no response arrived).
func (e *Error) RequestID() string {
	var re *awshttp.ResponseError
	if errors.As(e.Err, &re) {
		return re.RequestID
	}
	return ""
}

// HTTPStatus is the HTTP status code of the service's answer, or 0 when
// no response arrived.
func (e *Error) HTTPStatus() int {
	var are *awshttp.ResponseError
	if errors.As(e.Err, &are) && are.ResponseError != nil {
		return statusOf(are.ResponseError)
	}
	var re *smithyhttp.ResponseError
	if errors.As(e.Err, &re) {
		return statusOf(re)
	}
	return 0
}

func statusOf(re *smithyhttp.ResponseError) int {
	if re == nil || re.Response == nil || re.Response.Response == nil {
		return 0
	}
	return re.Response.StatusCode
}

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
