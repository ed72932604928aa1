package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Running is a local endpoint started by Start.
type Running struct {
	Server *Server
	URL    string     // http://127.0.0.1:<port>
	Config aws.Config // region us-east-1, the endpoint's credentials, BaseEndpoint set
	http   *http.Server
	stop   chan struct{}
	once   sync.Once
	err    error
}

// Start runs a local endpoint on a free loopback port until ctx ends or
// Stop is called, and returns an aws.Config for the SDK's clients (and
// resources.NewFromConfig) pointed at it: what a program or an example
// needs instead of httptest and a hand-built config. The credentials are
// the server's (WithCredentials; test/test by default).
func Start(ctx context.Context, opts ...Option) (*Running, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("emulator: listen on loopback: %w", err)
	}
	url := "http://" + ln.Addr().String()
	s := New(append([]Option{WithEndpointURL(url)}, opts...)...)
	r := &Running{
		Server: s,
		URL:    url,
		http:   &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second},
		stop:   make(chan struct{}),
	}
	r.Config = aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider(s.creds.AccessKeyID, s.creds.SecretAccessKey, ""),
	}
	go r.http.Serve(ln) // ends with http.ErrServerClosed at Stop
	go func() {
		select {
		case <-ctx.Done():
			r.Stop(context.Background())
		case <-r.stop:
		}
	}()
	return r, nil
}

// Stop drains the endpoint's requests (until ctx ends), then stops the
// jobs its executors still run. It is safe to call more than once.
func (r *Running) Stop(ctx context.Context) error {
	r.once.Do(func() {
		close(r.stop)
		err := r.http.Shutdown(ctx)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		r.err = errors.Join(err, r.Server.Close())
	})
	return r.err
}
