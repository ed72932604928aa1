package resources

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// sdkError wraps inner as the SDK does for an operation call: an
// OperationError around an awshttp.ResponseError around inner.
func sdkError(op string, status int, requestID string, inner error) error {
	return &smithy.OperationError{
		ServiceID:     "SageMaker",
		OperationName: op,
		Err: &awshttp.ResponseError{
			ResponseError: &smithyhttp.ResponseError{
				Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
				Err:      inner,
			},
			RequestID: requestID,
		},
	}
}

func notFoundAPIError() error {
	return &smithy.GenericAPIError{Code: "ValidationException", Message: "Requested resource not found", Fault: smithy.FaultClient}
}

func TestErrorMessages(t *testing.T) {
	dial := &url.Error{Op: "Post", URL: "https://api.sagemaker.us-east-1.amazonaws.com/", Err: &net.OpError{
		Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused"),
	}}
	for _, tc := range []struct {
		name string
		err  *Error
		want string
	}{{
		name: "API error",
		err: &Error{Kind: "TrainingJob", Name: "x", Op: "DescribeTrainingJob", NotFound: true,
			Err: sdkError("DescribeTrainingJob", 400, "abc-123", notFoundAPIError())},
		want: `TrainingJob "x": DescribeTrainingJob: ValidationException: Requested resource not found (HTTP 400, request ID abc-123)`,
	}, {
		name: "API error without request ID",
		err: &Error{Kind: "TrainingJob", Name: "x", Op: "DescribeTrainingJob", NotFound: true,
			Err: sdkError("DescribeTrainingJob", 400, "", notFoundAPIError())},
		want: `TrainingJob "x": DescribeTrainingJob: ValidationException: Requested resource not found (HTTP 400)`,
	}, {
		name: "no kind or name",
		err: &Error{Op: "ListTrainingJobs",
			Err: sdkError("ListTrainingJobs", 400, "r-1", &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"})},
		want: `ListTrainingJobs: ThrottlingException: Rate exceeded (HTTP 400, request ID r-1)`,
	}, {
		name: "retries exhausted",
		err: &Error{Kind: "Endpoint", Name: "e", Op: "DescribeEndpoint", Err: &smithy.OperationError{
			ServiceID: "SageMaker", OperationName: "DescribeEndpoint",
			Err: &retry.MaxAttemptsError{Attempt: 3, Err: sdkError("DescribeEndpoint", 500, "r-2",
				&smithy.GenericAPIError{Code: "InternalFailure", Message: "boom"}).(*smithy.OperationError).Err},
		}},
		want: `Endpoint "e": DescribeEndpoint: InternalFailure: boom (HTTP 500, request ID r-2, after 3 attempts)`,
	}, {
		name: "context cancelled",
		err: &Error{Kind: "TrainingJob", Name: "x", Op: "DescribeTrainingJob",
			Err: sdkError("DescribeTrainingJob", 0, "", &smithy.CanceledError{Err: context.Canceled})},
		want: `TrainingJob "x": DescribeTrainingJob: context canceled`,
	}, {
		name: "context error straight in the OperationError",
		err: &Error{Kind: "TrainingJob", Name: "x", Op: "DescribeTrainingJob",
			Err: &smithy.OperationError{ServiceID: "SageMaker", OperationName: "DescribeTrainingJob", Err: context.Canceled}},
		want: `TrainingJob "x": DescribeTrainingJob: context canceled`,
	}, {
		name: "dial error",
		err: &Error{Kind: "TrainingJob", Name: "x", Op: "DescribeTrainingJob", Err: &smithy.OperationError{
			ServiceID: "SageMaker", OperationName: "DescribeTrainingJob",
			Err: &retry.MaxAttemptsError{Attempt: 3, Err: sdkError("DescribeTrainingJob", 0, "",
				&smithyhttp.RequestSendError{Err: dial}).(*smithy.OperationError).Err},
		}},
		want: `TrainingJob "x": DescribeTrainingJob: Post "https://api.sagemaker.us-east-1.amazonaws.com/": dial tcp: connect: connection refused (after 3 attempts)`,
	}, {
		name: "plain error",
		err:  &Error{Kind: "TrainingJob", Name: "x", Op: "ListTrainingJobs", Err: errors.New("list: the service repeated page token \"t\"")},
		want: `TrainingJob "x": ListTrainingJobs: list: the service repeated page token "t"`,
	}, {
		name: "op from the OperationError",
		err:  &Error{Kind: "Model", Err: sdkError("DescribeModel", 400, "r-3", &smithy.GenericAPIError{Code: "ValidationException"})},
		want: `Model: DescribeModel: ValidationException (HTTP 400, request ID r-3)`,
	}, {
		name: "nil Err",
		err:  &Error{Kind: "TrainingJob", Name: "x", Op: "CreateTrainingJob"},
		want: `TrainingJob "x": CreateTrainingJob failed`,
	}, {
		name: "nil Err, not found",
		err:  &Error{Kind: "TrainingJob", Name: "x", Op: "DescribeTrainingJob", NotFound: true},
		want: `TrainingJob "x": DescribeTrainingJob: not found`,
	}, {
		name: "empty",
		err:  &Error{},
		want: `resources: operation failed`,
	}, {
		name: "nil response in the ResponseError",
		err: &Error{Kind: "TrainingJob", Op: "DescribeTrainingJob", Err: &awshttp.ResponseError{
			ResponseError: &smithyhttp.ResponseError{Err: errors.New("short read")},
		}},
		want: `TrainingJob: DescribeTrainingJob: short read`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error()\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestErrorChainAndAccessors(t *testing.T) {
	var err error = &Error{Kind: "TrainingJob", Name: "x", Op: "DescribeTrainingJob", NotFound: true,
		Err: sdkError("DescribeTrainingJob", 400, "abc-123", notFoundAPIError())}
	err = fmt.Errorf("step: %w", err)

	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationException" {
		t.Errorf("errors.As(smithy.APIError) = %v", ae)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.RequestID != "abc-123" || re.HTTPStatusCode() != 400 {
		t.Errorf("errors.As(*awshttp.ResponseError) = %v", re)
	}
	var oe *smithy.OperationError
	if !errors.As(err, &oe) || oe.OperationName != "DescribeTrainingJob" {
		t.Errorf("errors.As(*smithy.OperationError) = %v", oe)
	}
	if !errors.Is(err, ErrNotFound) {
		t.Error("errors.Is(err, ErrNotFound) = false")
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal("errors.As(*Error) = false")
	}
	if e.Code() != "ValidationException" || e.RequestID() != "abc-123" || e.HTTPStatus() != 400 {
		t.Errorf("Code, RequestID, HTTPStatus = %q, %q, %d", e.Code(), e.RequestID(), e.HTTPStatus())
	}

	cancelled := &Error{Kind: "TrainingJob", Name: "x", Op: "DescribeTrainingJob",
		Err: sdkError("DescribeTrainingJob", 0, "", &smithy.CanceledError{Err: context.Canceled})}
	if !errors.Is(cancelled, context.Canceled) || errors.Is(cancelled, ErrNotFound) {
		t.Error("a cancelled call must match context.Canceled and not ErrNotFound")
	}
	if cancelled.Code() != "" || cancelled.RequestID() != "" || cancelled.HTTPStatus() != 0 {
		t.Errorf("cancelled: Code, RequestID, HTTPStatus = %q, %q, %d", cancelled.Code(), cancelled.RequestID(), cancelled.HTTPStatus())
	}

	for _, e := range []*Error{{}, {Err: errors.New("x")}} {
		if e.Code() != "" || e.RequestID() != "" || e.HTTPStatus() != 0 || e.Unwrap() != e.Err {
			t.Errorf("%#v: Code, RequestID, HTTPStatus = %q, %q, %d", e, e.Code(), e.RequestID(), e.HTTPStatus())
		}
		_ = e.Error()
	}

	// A smithy ResponseError without the AWS wrapper still gives the status.
	bare := &Error{Op: "X", Err: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 503}},
		Err:      &smithy.GenericAPIError{Code: "ServiceUnavailable", Message: "try later"},
	}}
	if got, want := bare.Error(), "X: ServiceUnavailable: try later (HTTP 503)"; got != want || bare.HTTPStatus() != 503 {
		t.Errorf("bare smithy ResponseError: %q (status %d), want %q", got, bare.HTTPStatus(), want)
	}
}

func TestErrorJoinedByRetryer(t *testing.T) {
	inner := sdkError("DescribeModel", 500, "r-9", &smithy.GenericAPIError{Code: "InternalFailure", Message: "boom"}).(*smithy.OperationError).Err
	e := &Error{Kind: "Model", Name: "m", Op: "DescribeModel", Err: &smithy.OperationError{
		ServiceID: "SageMaker", OperationName: "DescribeModel",
		Err: errors.Join(inner, errors.New("retry quota exceeded, 0 available, 5 requested")),
	}}
	want := `Model "m": DescribeModel: InternalFailure: boom; retry quota exceeded, 0 available, 5 requested (HTTP 500, request ID r-9)`
	if got := e.Error(); got != want {
		t.Errorf("Error()\n got %s\nwant %s", got, want)
	}
}
