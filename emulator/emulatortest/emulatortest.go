// Package emulatortest starts the local SageMaker endpoint for a test, in
// the style of net/http/httptest, and returns an aws.Config pointed at it.
package emulatortest

import (
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/smcore-go/smcore/emulator"
)

// Endpoint is a running local endpoint.
type Endpoint struct {
	Server *emulator.Server
	URL    string
	Config aws.Config // region us-east-1, credentials test/test, no retries
}

// Start runs a local endpoint on 127.0.0.1 until the test ends; then it
// stops the server and the jobs its executors still run.
func Start(t testing.TB, opts ...emulator.Option) *Endpoint {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	// Jobs reach this endpoint as AWS_ENDPOINT_URL (unless opts say otherwise).
	opts = append([]emulator.Option{emulator.WithEndpointURL("http://" + srv.Listener.Addr().String())}, opts...)
	s := emulator.New(opts...)
	srv.Config.Handler = s
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		s.Close()
	})
	return &Endpoint{
		Server: s,
		URL:    srv.URL,
		Config: aws.Config{
			Region:       "us-east-1",
			BaseEndpoint: aws.String(srv.URL),
			Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
			Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
		},
	}
}
