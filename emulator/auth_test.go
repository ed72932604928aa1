package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/internal/testenv"
)

// inRegion returns ep's client configuration signing for region.
func inRegion(ep *emulatortest.Endpoint, region string) aws.Config {
	cfg := ep.Config.Copy()
	cfg.Region = region
	return cfg
}

// TestRequestsSignedForAnyRegion: a request signed for any region is
// served, and the ARNs it is answered with carry that region and its
// partition; a scope whose region is not a region name is refused in the
// service's words.
func TestRequestsSignedForAnyRegion(t *testing.T) {
	ep := emulatortest.Start(t)
	ctx := context.Background()
	for _, region := range []string{"us-west-2", "eu-central-1", "cn-north-1", "us-gov-west-1", "ap-southeast-5"} {
		if _, err := sagemaker.NewFromConfig(inRegion(ep, region)).ListTrainingJobs(ctx, &sagemaker.ListTrainingJobsInput{}); err != nil {
			t.Errorf("%s: ListTrainingJobs: %v", region, err)
		}
	}
	for region, want := range map[string]string{
		"us-west-2":     "arn:aws:iam::123456789012:user/local",
		"cn-north-1":    "arn:aws-cn:iam::123456789012:user/local",
		"us-gov-west-1": "arn:aws-us-gov:iam::123456789012:user/local",
	} {
		out, err := sts.NewFromConfig(inRegion(ep, region)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil || aws.ToString(out.Arn) != want {
			t.Errorf("%s: GetCallerIdentity: %v %v, want %s", region, out, err, want)
		}
	}
	logs := cloudwatchlogs.NewFromConfig(inRegion(ep, "cn-northwest-1"))
	if _, err := logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("g")}); err != nil {
		t.Fatal(err)
	}
	groups, err := logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if err != nil || len(groups.LogGroups) != 1 || aws.ToString(groups.LogGroups[0].LogGroupArn) != "arn:aws-cn:logs:cn-northwest-1:123456789012:log-group:g" {
		t.Fatalf("DescribeLogGroups in cn-northwest-1: %+v %v", groups, err)
	}

	// Not a region: each service's own refusal.
	now := time.Now()
	code, hdr, body := do(t, nil, signedRequest(t, http.MethodPost, ep.URL, "sagemaker", "not a region", now, []byte("{}"), "",
		"X-Amz-Target", "SageMaker.ListTrainingJobs", "Content-Type", "application/x-amz-json-1.1"))
	if code != 403 || hdr.Get("X-Amzn-ErrorType") != "InvalidSignatureException" || !strings.Contains(body, "Credential should be scoped to a valid region, not 'not a region'") {
		t.Errorf("sagemaker, region 'not a region': %d %s", code, body)
	}
	code, _, body = do(t, nil, signedRequest(t, http.MethodGet, ep.URL+"/", "s3", "US_EAST_1", now, nil, ""))
	if code != 400 || !strings.Contains(body, "<Code>AuthorizationHeaderMalformed</Code>") || !strings.Contains(body, "the region 'US_EAST_1' is not a valid region name") {
		t.Errorf("s3, region 'US_EAST_1': %d %s", code, body)
	}
}

// TestAWSCLIAnyRegion is the report this change answers: the AWS CLI with
// AWS_DEFAULT_REGION=us-west-2 against an endpoint whose default region is
// us-east-1.
func TestAWSCLIAnyRegion(t *testing.T) {
	awsCLI, err := exec.LookPath("aws")
	if err != nil {
		testenv.Unavailable(t, "AWS CLI not found")
	}
	ep := emulatortest.Start(t)
	cmd := exec.Command(awsCLI, "--endpoint-url", ep.URL, "--output", "json", "sagemaker", "list-training-jobs")
	cmd.Env = append(cliEnv(), "AWS_DEFAULT_REGION=us-west-2")
	out, err := cmd.CombinedOutput()
	var list map[string]any
	if err != nil || json.Unmarshal(out, &list) != nil {
		t.Fatalf("aws sagemaker list-training-jobs in us-west-2: %v\n%s", err, out)
	}
}

// TestSignatureClockSkew: an X-Amz-Date more than the allowed skew from the
// endpoint's signing clock is refused, with the window the service states,
// computed from the injected clock.
func TestSignatureClockSkew(t *testing.T) {
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	ep := emulatortest.Start(t, emulator.WithSigningClock(func() time.Time { return now }))
	list := func(when time.Time) (int, http.Header, string) {
		return do(t, nil, signedRequest(t, http.MethodPost, ep.URL, "sagemaker", "us-east-1", when, []byte("{}"), "",
			"X-Amz-Target", "SageMaker.ListTrainingJobs", "Content-Type", "application/x-amz-json-1.1"))
	}
	for _, tc := range []struct {
		when time.Time
		msg  string
	}{
		{now.Add(-16 * time.Minute), "Signature expired: 20260304T114400Z is now earlier than 20260304T114500Z (20260304T120000Z - 15 min.)"},
		{now.Add(16 * time.Minute), "Signature not yet current: 20260304T121600Z is still later than 20260304T121500Z (20260304T120000Z + 15 min.)"},
	} {
		code, hdr, body := list(tc.when)
		var e struct{ Type, Message string }
		json.Unmarshal([]byte(strings.Replace(body, "__type", "Type", 1)), &e)
		if code != 403 || hdr.Get("X-Amzn-ErrorType") != "InvalidSignatureException" || e.Message != tc.msg {
			t.Errorf("signed at %s: %d %s, want InvalidSignatureException %q", tc.when, code, body, tc.msg)
		}
	}
	for _, d := range []time.Duration{-14 * time.Minute, 14 * time.Minute} {
		if code, _, body := list(now.Add(d)); code != 200 {
			t.Errorf("signed %v from the clock: %d %s", d, code, body)
		}
	}
	// S3 says RequestTimeTooSkewed, in XML.
	code, _, body := do(t, nil, signedRequest(t, http.MethodGet, ep.URL+"/", "s3", "us-east-1", now.Add(-time.Hour), nil, ""))
	if code != 403 || !strings.Contains(body, "<Code>RequestTimeTooSkewed</Code>") || !strings.Contains(body, "<MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>") {
		t.Errorf("s3 an hour off: %d %s", code, body)
	}
	// The window is an option.
	wide := emulatortest.Start(t, emulator.WithSigningClock(func() time.Time { return now }), emulator.WithClockSkew(2*time.Hour))
	code, _, body = do(t, nil, signedRequest(t, http.MethodGet, wide.URL+"/", "s3", "us-east-1", now.Add(-time.Hour), nil, ""))
	if code != 200 {
		t.Errorf("an hour off with a two-hour window: %d %s", code, body)
	}
}

// TestSignatureScopeDate: the credential scope's date must be the date of
// X-Amz-Date (here a request a second after midnight, signed with the
// previous day's scope).
func TestSignatureScopeDate(t *testing.T) {
	now := time.Date(2026, 3, 5, 0, 0, 1, 0, time.UTC)
	ep := emulatortest.Start(t, emulator.WithSigningClock(func() time.Time { return now }))
	for _, service := range []string{"sagemaker", "s3"} {
		req := signedRequest(t, http.MethodPost, ep.URL, service, "us-east-1", now.Add(-2*time.Second), []byte("{}"), "",
			"X-Amz-Target", "SageMaker.ListTrainingJobs", "Content-Type", "application/x-amz-json-1.1")
		if service == "s3" {
			req = signedRequest(t, http.MethodGet, ep.URL+"/", service, "us-east-1", now.Add(-2*time.Second), nil, "")
		}
		req.Header.Set("X-Amz-Date", now.Format("20060102T150405Z"))
		code, _, body := do(t, nil, req)
		switch service {
		case "sagemaker":
			if code != 403 || !strings.Contains(body, `"InvalidSignatureException"`) ||
				!strings.Contains(body, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260304' != '20260305', from '20260305T000001Z'.") {
				t.Errorf("sagemaker: %d %s", code, body)
			}
		case "s3":
			if code != 400 || !strings.Contains(body, "<Code>AuthorizationHeaderMalformed</Code>") || !strings.Contains(body, "Invalid credential date") {
				t.Errorf("s3: %d %s", code, body)
			}
		}
	}
}

// withoutSigned drops a header from the Authorization's SignedHeaders.
func withoutSigned(req *http.Request, h string) *http.Request {
	auth := req.Header.Get("Authorization")
	auth = strings.Replace(auth, ";"+h+";", ";", 1)
	auth = strings.Replace(auth, "SignedHeaders="+h+";", "SignedHeaders=", 1)
	auth = strings.Replace(auth, ";"+h+",", ",", 1)
	req.Header.Set("Authorization", auth)
	return req
}

// TestSignedHeadersRequired: host and the date must be signed; for S3 also
// x-amz-content-sha256 and every x-amz-* header sent. X-Amz-Target need
// not be signed, as AWS does not require it.
func TestSignedHeadersRequired(t *testing.T) {
	ep := emulatortest.Start(t)
	now := time.Now()
	sm := func(hdr ...string) *http.Request {
		return signedRequest(t, http.MethodPost, ep.URL, "sagemaker", "us-east-1", now, []byte("{}"), "",
			append([]string{"X-Amz-Target", "SageMaker.ListTrainingJobs", "Content-Type", "application/x-amz-json-1.1"}, hdr...)...)
	}
	for _, tc := range []struct {
		name, header, msg string
	}{
		{"host", "host", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{"date", "x-amz-date", "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."},
	} {
		code, hdr, body := do(t, nil, withoutSigned(sm(), tc.header))
		if code != 403 || hdr.Get("X-Amzn-ErrorType") != "IncompleteSignatureException" || !strings.Contains(body, tc.msg) {
			t.Errorf("sagemaker without %s signed: %d %s", tc.name, code, body)
		}
	}
	// X-Amz-Target added after signing: served.
	req := signedRequest(t, http.MethodPost, ep.URL, "sagemaker", "us-east-1", now, []byte("{}"), "", "Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "SageMaker.ListTrainingJobs")
	if code, _, body := do(t, nil, req); code != 200 {
		t.Errorf("unsigned X-Amz-Target: %d %s", code, body)
	}

	s3get := func() *http.Request {
		return signedRequest(t, http.MethodGet, ep.URL+"/", "s3", "us-east-1", now, nil, "")
	}
	for _, tc := range []struct {
		name string
		req  *http.Request
		want string
	}{
		{"host", withoutSigned(s3get(), "host"), "<HeadersNotSigned>host</HeadersNotSigned>"},
		{"x-amz-content-sha256", withoutSigned(s3get(), "x-amz-content-sha256"), "<HeadersNotSigned>x-amz-content-sha256</HeadersNotSigned>"},
		{"x-amz-meta-added", func() *http.Request { r := s3get(); r.Header.Set("X-Amz-Meta-Added", "1"); return r }(), "<HeadersNotSigned>x-amz-meta-added</HeadersNotSigned>"},
	} {
		code, _, body := do(t, nil, tc.req)
		if code != 403 || !strings.Contains(body, "<Code>AccessDenied</Code><Message>There were headers present in the request which were not signed</Message>") || !strings.Contains(body, tc.want) {
			t.Errorf("s3 with %s not signed: %d %s", tc.name, code, body)
		}
	}
	req = s3get()
	req.Header.Del("X-Amz-Content-Sha256")
	req = withoutSigned(req, "x-amz-content-sha256")
	if code, _, body := do(t, nil, req); code != 400 || !strings.Contains(body, "<Code>InvalidRequest</Code><Message>Missing required header for this request: x-amz-content-sha256</Message>") {
		t.Errorf("s3 without x-amz-content-sha256: %d %s", code, body)
	}
}

// TestForeignHostRefused: a server bound to loopback serves only loopback
// Host headers; a foreign one (as a DNS-rebinding page would send) is
// refused, even correctly signed.
func TestForeignHostRefused(t *testing.T) {
	ep := emulatortest.Start(t)
	now := time.Now()
	port := strings.TrimPrefix(ep.URL, "http://127.0.0.1")
	list := func(host string) *http.Request {
		r := signedRequest(t, http.MethodPost, "http://"+host+"/", "sagemaker", "us-east-1", now, []byte("{}"), "",
			"X-Amz-Target", "SageMaker.ListTrainingJobs", "Content-Type", "application/x-amz-json-1.1")
		r.URL.Host = strings.TrimPrefix(ep.URL, "http://") // connect to the endpoint, say host
		return r
	}
	for _, host := range []string{"attacker.example" + port, "attacker.example", "127.0.0.1.attacker.example" + port, "10.0.0.1" + port} {
		code, hdr, body := do(t, nil, list(host))
		if code != 403 || hdr.Get("X-Amzn-ErrorType") != "AccessDeniedException" || !strings.Contains(body, "answers only loopback Host headers") {
			t.Errorf("Host %s: %d %s", host, code, body)
		}
	}
	for _, host := range []string{"127.0.0.1" + port, "localhost" + port, "LOCALHOST", "127.1.2.3:80", "[::1]" + port, "[::1]"} {
		if code, _, body := do(t, nil, list(host)); code != 200 {
			t.Errorf("Host %s: %d %s", host, code, body)
		}
	}
	// S3's form.
	r := signedRequest(t, http.MethodGet, "http://attacker.example/", "s3", "us-east-1", now, nil, "")
	r.URL.Host = strings.TrimPrefix(ep.URL, "http://")
	if code, _, body := do(t, nil, r); code != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") {
		t.Errorf("s3 from attacker.example: %d %s", code, body)
	}
	// A server reached under other names lists them.
	named := emulatortest.Start(t, emulator.WithAllowedHosts("smlocal", "Host.Docker.Internal"))
	anyHost := emulatortest.Start(t, emulator.WithAllowedHosts("*"))
	for _, tc := range []struct {
		ep   *emulatortest.Endpoint
		host string
		want int
	}{{named, "smlocal:4566", 200}, {named, "host.docker.internal", 200}, {named, "attacker.example", 403}, {anyHost, "attacker.example:80", 200}} {
		r := signedRequest(t, http.MethodPost, "http://"+tc.host+"/", "sagemaker", "us-east-1", now, []byte("{}"), "",
			"X-Amz-Target", "SageMaker.ListTrainingJobs", "Content-Type", "application/x-amz-json-1.1")
		r.URL.Host = strings.TrimPrefix(tc.ep.URL, "http://")
		if code, _, body := do(t, nil, r); code != tc.want {
			t.Errorf("Host %s: %d %s, want %d", tc.host, code, body, tc.want)
		}
	}
}

// TestSageMakerBodyTooLarge: a body over the endpoint's 16 MiB is 413
// saying so, not a signature mismatch.
func TestSageMakerBodyTooLarge(t *testing.T) {
	ep := emulatortest.Start(t)
	_, err := sagemaker.NewFromConfig(ep.Config).CreatePipeline(context.Background(), &sagemaker.CreatePipelineInput{
		PipelineName: aws.String("big"), RoleArn: aws.String(role), ClientRequestToken: aws.String("token-token-token-token-token-12"),
		PipelineDefinition: aws.String(`{"Version":"2020-12-01","Steps":[],"Pad":"` + strings.Repeat("x", 17<<20) + `"}`),
	})
	var ae smithy.APIError
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &ae) || !errors.As(err, &re) || re.HTTPStatusCode() != 413 || ae.ErrorCode() != "RequestEntityTooLargeException" ||
		!strings.Contains(ae.ErrorMessage(), "exceeds the local endpoint's limit of 16777216 bytes (16 MiB)") {
		t.Fatalf("a 17 MiB CreatePipeline: %v", err)
	}
	// Without a Content-Length (chunked transfer encoding) too.
	req := signedRequest(t, http.MethodPost, ep.URL, "sagemaker", "us-east-1", time.Now(), make([]byte, 17<<20), "UNSIGNED-PAYLOAD",
		"X-Amz-Target", "SageMaker.ListTrainingJobs", "Content-Type", "application/x-amz-json-1.1")
	req.ContentLength = -1
	if code, hdr, body := do(t, nil, req); code != 413 || hdr.Get("X-Amzn-ErrorType") != "RequestEntityTooLargeException" {
		t.Fatalf("17 MiB without Content-Length: %d %s", code, body)
	}
}
