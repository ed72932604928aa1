package emulator

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/smithy-go"
)

// Helpers of the generated codec tests (zz_codec_test.go, one per
// operation; smgen writes them from the same roles as zz_table.go).

// codecWant is the answer an operation's test expects: an error code, or
// one of the constants below.
type codecWant string

const (
	codecResult       codecWant = ""    // a result, no error
	codecAnyAnswer    codecWant = "*"   // a result or any service error
	codecSDKMayRefuse codecWant = "sdk" // codecAnyAnswer, or the SDK refusing a required member the sample left unset
)

// TestCodecResults keeps the codec tests meaningful: most operations must
// be expected to answer with a result, not only to decode an error.
func TestCodecResults(t *testing.T) {
	if codecResults < 100 {
		t.Errorf("only %d operations are expected to answer with a result", codecResults)
	}
}

// codecClient returns an SDK client of a fresh endpoint (simulated
// training, no retries) that lives until the test ends.
func codecClient(t *testing.T) *sagemaker.Client {
	emu := New(WithSimulation())
	srv := httptest.NewServer(emu)
	t.Cleanup(func() { srv.Close(); emu.Close() })
	return sagemaker.NewFromConfig(aws.Config{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	})
}

// codecSample decodes a sample request (JSON built from the model) into in.
func codecSample(t *testing.T, in any, sample string) {
	t.Helper()
	if err := json.Unmarshal([]byte(sample), in); err != nil {
		t.Fatalf("sample request: %v\n%s", err, sample)
	}
}

// codecAnswer checks what a call returned: the SDK must have decoded the
// answer, the endpoint must have decoded the request, and the answer must
// be the one wanted.
func codecAnswer(t *testing.T, err error, want codecWant) {
	t.Helper()
	var de *smithy.DeserializationError
	if errors.As(err, &de) {
		t.Fatalf("the SDK could not decode the answer: %v", err)
	}
	var ae smithy.APIError
	switch {
	case errors.As(err, &ae):
		if c := ae.ErrorCode(); c == "SerializationException" || c == "UnknownOperationException" {
			t.Fatalf("the endpoint could not decode the SDK's request: %v", err)
		}
		if want != codecAnyAnswer && want != codecSDKMayRefuse && codecWant(ae.ErrorCode()) != want {
			t.Fatalf("answer %v; want %s", err, describeWant(want))
		}
	case err == nil:
		if want != codecResult && want != codecAnyAnswer && want != codecSDKMayRefuse {
			t.Fatalf("answered with a result; want %s", describeWant(want))
		}
	case want == codecSDKMayRefuse && isParamValidation(err):
		// The SDK checked the required member the sample left unset.
	default:
		t.Fatalf("%v (want %s)", err, describeWant(want))
	}
}

func describeWant(w codecWant) string {
	switch w {
	case codecResult:
		return "a result"
	case codecAnyAnswer, codecSDKMayRefuse:
		return "a result or a service error"
	}
	return "a " + string(w) + " error"
}

func isParamValidation(err error) bool {
	var oe *smithy.OperationError
	var ie smithy.InvalidParamsError
	return errors.As(err, &oe) && errors.As(err, &ie)
}
