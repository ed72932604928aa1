package emulator_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/smcore-go/smcore/emulator/emulatortest"
)

// corsHeaders lists the Access-Control-* headers of h.
func corsHeaders(h http.Header) []string {
	var out []string
	for k, v := range h {
		if strings.HasPrefix(strings.ToLower(k), "access-control-") {
			out = append(out, k+": "+strings.Join(v, ","))
		}
	}
	return out
}

// withOrigin makes the SDK send an Origin header, as a browser would.
func withOrigin(stack *middleware.Stack) error {
	return stack.Build.Add(middleware.BuildMiddlewareFunc("origin", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
		if r, ok := in.Request.(*smithyhttp.Request); ok {
			r.Header.Set("Origin", "https://evil.example")
		}
		return next.HandleBuild(ctx, in)
	}), middleware.After)
}

// TestNoCORS: the endpoint answers no CORS preflight — an OPTIONS request
// carries no signature, so it is refused 403 with no Access-Control-*
// header — and a browser therefore never sends a web page's signed
// request to it; SageMaker's and S3's answers carry no CORS header either
// (gofakes3's Access-Control-Allow-Origin is dropped).
func TestNoCORS(t *testing.T) {
	ep := emulatortest.Start(t)
	for _, path := range []string{"/", "/bucket/key"} {
		req, _ := http.NewRequest(http.MethodOptions, ep.URL+path, nil)
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,x-amz-date,x-amz-target,content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || len(corsHeaders(resp.Header)) > 0 {
			t.Errorf("preflight of %s: %d %v", path, resp.StatusCode, corsHeaders(resp.Header))
		}
	}
	ctx := context.Background()
	out, err := sagemaker.NewFromConfig(ep.Config, func(o *sagemaker.Options) { o.APIOptions = append(o.APIOptions, withOrigin) }).
		ListTrainingJobs(ctx, &sagemaker.ListTrainingJobsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response); !ok || len(corsHeaders(raw.Header)) > 0 {
		t.Errorf("SageMaker answer: %v", corsHeaders(raw.Header))
	}
	s3c := s3.NewFromConfig(ep.Config, func(o *s3.Options) { o.UsePathStyle = true; o.APIOptions = append(o.APIOptions, withOrigin) })
	lb, err := s3c.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if raw, ok := awsmiddleware.GetRawResponse(lb.ResultMetadata).(*smithyhttp.Response); !ok || len(corsHeaders(raw.Header)) > 0 {
		t.Errorf("S3 answer to a signed request: %v", corsHeaders(raw.Header))
	}
}
