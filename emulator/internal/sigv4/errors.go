package sigv4

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/smcore-go/smcore/emulator/internal/awserr"
	"github.com/smcore-go/smcore/emulator/wire"
)

// An authentication failure is answered in the form of the service the
// request was signed for: AWS JSON (__type) for SageMaker and Logs, the
// query protocol's <ErrorResponse> for STS, and S3's <Error> document,
// each with the code and message that service sends.

// Error is one failure in every service's words.
type Error struct {
	status  int    // HTTP status for SageMaker, Logs and STS
	code    string // AWS JSON's __type
	query   string // STS's code ("" = code without the Exception suffix)
	msg     string
	s3only  bool // no JSON or query form: only S3 makes this check
	s3stat  int  // S3's HTTP status ("" = status)
	s3code  string
	s3msg   string // "" = msg
	s3extra []awserr.Field
}

func (e *Error) Error() string { return e.code + ": " + e.msg }

// S3Error is a failure only S3 checks for, answered in its form.
func S3Error(status int, code, msg string, extra ...awserr.Field) *Error {
	return &Error{status: status, code: code, msg: msg, s3only: true, s3stat: status, s3code: code, s3extra: extra}
}

// Write answers e in service's form.
func (e *Error) Write(w http.ResponseWriter, r *http.Request, service string) {
	switch {
	case service == "s3" || e.s3only:
		status, msg := e.s3stat, e.s3msg
		if status == 0 {
			status = e.status
		}
		if msg == "" {
			msg = e.msg
		}
		awserr.WriteS3(w, r, status, e.s3code, msg, e.s3extra...)
	case service == "sts":
		code := e.query
		if code == "" {
			code = strings.TrimSuffix(e.code, "Exception")
		}
		awserr.WriteQuery(w, e.status, "Sender", code, e.msg)
	default:
		wire.WriteError(w, &wire.Error{Status: e.status, Code: e.code, Message: e.msg})
	}
}

func errMissingAuth() *Error {
	return &Error{status: http.StatusForbidden, code: "MissingAuthenticationTokenException", query: "MissingAuthenticationToken",
		msg: "Missing Authentication Token", s3code: "AccessDenied", s3msg: "Access Denied"}
}

func errTwoAuthMechanisms() *Error {
	return &Error{status: http.StatusBadRequest, code: "InvalidRequestException", query: "InvalidRequest",
		msg:    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
		s3code: "InvalidArgument"}
}

func errMalformedAuth(header string) *Error {
	e := &Error{status: http.StatusForbidden, code: "IncompleteSignatureException", query: "IncompleteSignature",
		msg:    "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, and Credential in the form <key>/<date>/<region>/<service>/aws4_request. Authorization=" + awserr.Clip(header),
		s3stat: http.StatusBadRequest, s3code: "AuthorizationHeaderMalformed",
		s3msg: "The authorization header is malformed; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."}
	if !strings.HasPrefix(header, sigV4Algorithm+" ") {
		alg, _, _ := strings.Cut(header, " ")
		e.msg = "Unsupported authorization type " + awserr.Clip(alg) + "; the local endpoint accepts " + sigV4Algorithm
		e.s3code, e.s3msg = "InvalidRequest", "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
	}
	return e
}

func errMissingDate() *Error {
	return &Error{status: http.StatusForbidden, code: "IncompleteSignatureException", query: "IncompleteSignature",
		msg:    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
		s3code: "AccessDenied", s3msg: "AWS authentication requires a valid Date or x-amz-date header"}
}

// errUnsignedHeaders: a header that must be signed is not. msg is the
// JSON services' message; S3 lists the headers (names, comma-separated).
func errUnsignedHeaders(names, msg string) *Error {
	if msg == "" {
		msg = "There were headers present in the request which were not signed: " + names
	}
	return &Error{status: http.StatusForbidden, code: "IncompleteSignatureException", query: "IncompleteSignature", msg: msg,
		s3code: "AccessDenied", s3msg: "There were headers present in the request which were not signed",
		s3extra: []awserr.Field{{Name: "HeadersNotSigned", Value: names}}}
}

func errUnknownKey(key string) *Error {
	return &Error{status: http.StatusForbidden, code: "UnrecognizedClientException", query: "InvalidClientTokenId",
		msg:    "The security token included in the request is invalid.",
		s3code: "InvalidAccessKeyId", s3msg: "The AWS Access Key Id you provided does not exist in our records.",
		s3extra: []awserr.Field{{Name: "AWSAccessKeyId", Value: key}}}
}

func errBadRegion(region string, presigned bool) *Error {
	e := &Error{status: http.StatusForbidden, code: "InvalidSignatureException", query: "SignatureDoesNotMatch",
		msg:    "Credential should be scoped to a valid region, not '" + region + "'. ",
		s3stat: http.StatusBadRequest, s3code: "AuthorizationHeaderMalformed",
		s3msg: "The authorization header is malformed; the region '" + region + "' is not a valid region name.", s3extra: []awserr.Field{{Name: "Region", Value: region}}}
	if presigned {
		e.s3code, e.s3msg = "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter; the region '"+region+"' is not a valid region name."
	}
	return e
}

func errScopeDate(scoped, dated, when string, presigned bool) *Error {
	e := &Error{status: http.StatusForbidden, code: "InvalidSignatureException", query: "SignatureDoesNotMatch",
		msg:    fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", scoped, dated, when),
		s3stat: http.StatusBadRequest, s3code: "AuthorizationHeaderMalformed",
		s3msg: "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date."}
	if presigned {
		e.s3code, e.s3msg = "AuthorizationQueryParametersError", "Invalid credential date \""+scoped+"\". This date is not the same as X-Amz-Date: \""+dated+"\"."
	}
	return e
}

// errSkewed: X-Amz-Date is outside the window around now. The JSON
// services' message says by how much, in their words.
func errSkewed(when, now time.Time, skew time.Duration) *Error {
	mins := strconv.FormatFloat(skew.Minutes(), 'f', -1, 64) + " min."
	var msg string
	if when.Before(now) {
		msg = fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s)",
			when.Format(amzDateFormat), now.Add(-skew).Format(amzDateFormat), now.Format(amzDateFormat), mins)
	} else {
		msg = fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s)",
			when.Format(amzDateFormat), now.Add(skew).Format(amzDateFormat), now.Format(amzDateFormat), mins)
	}
	return &Error{status: http.StatusForbidden, code: "InvalidSignatureException", query: "SignatureDoesNotMatch", msg: msg,
		s3code: "RequestTimeTooSkewed", s3msg: "The difference between the request time and the current time is too large.",
		s3extra: []awserr.Field{
			{Name: "RequestTime", Value: when.Format(amzDateFormat)},
			{Name: "ServerTime", Value: now.Format(time.RFC3339)},
			{Name: "MaxAllowedSkewMilliseconds", Value: strconv.FormatInt(skew.Milliseconds(), 10)},
		}}
}

func errQueryParams(msg string) *Error {
	return &Error{status: http.StatusBadRequest, code: "IncompleteSignatureException", query: "IncompleteSignature", msg: msg,
		s3code: "AuthorizationQueryParametersError"}
}

func errExpired(secs int64, expires, now time.Time) *Error {
	return &Error{status: http.StatusForbidden, code: "InvalidSignatureException", query: "SignatureDoesNotMatch",
		msg:    "Signature expired: " + expires.Format(amzDateFormat) + " is now earlier than " + now.Format(amzDateFormat),
		s3code: "AccessDenied", s3msg: "Request has expired",
		s3extra: []awserr.Field{
			{Name: "X-Amz-Expires", Value: strconv.FormatInt(secs, 10)},
			{Name: "Expires", Value: expires.Format(time.RFC3339)},
			{Name: "ServerTime", Value: now.Format(time.RFC3339)},
		}}
}

func errNotYetValid(when, now time.Time) *Error {
	return &Error{status: http.StatusForbidden, code: "InvalidSignatureException", query: "SignatureDoesNotMatch",
		msg:    "Signature not yet current: " + when.Format(amzDateFormat) + " is still later than " + now.Format(amzDateFormat),
		s3code: "AccessDenied", s3msg: "Request is not valid yet",
		s3extra: []awserr.Field{{Name: "RequestTime", Value: when.Format(amzDateFormat)}, {Name: "ServerTime", Value: now.Format(time.RFC3339)}}}
}

// ErrBadSignature is a signature that does not match.
func ErrBadSignature() *Error {
	return &Error{status: http.StatusForbidden, code: "InvalidSignatureException", query: "SignatureDoesNotMatch",
		msg:    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
		s3code: "SignatureDoesNotMatch", s3msg: "The request signature we calculated does not match the signature you provided. Check your key and signing method."}
}

// ErrChunkSignature is an aws-chunked chunk whose signature does not match.
func ErrChunkSignature() *Error {
	e := ErrBadSignature()
	e.s3msg = "The chunk signature we calculated does not match the signature you provided. Check your key and signing method."
	e.s3only = true
	return e
}

// ErrForeignHost refuses a request whose Host header is not served.
func ErrForeignHost(host string) *Error {
	msg := "The local endpoint answers only loopback Host headers (localhost, 127.0.0.0/8, [::1]), not '" + awserr.Clip(host) +
		"'; a server meant to be reached under other names lists them (emulator.WithAllowedHosts, smlocal -allow-host)."
	return &Error{status: http.StatusForbidden, code: "AccessDeniedException", query: "AccessDenied", msg: msg, s3code: "AccessDenied"}
}
