// Package testenv starts the real peers the tests talk to over loopback:
// moto's server (an independent SageMaker mock). In CI (CI=true) a peer
// that cannot start fails the test; elsewhere the test is skipped, saying why.
package testenv

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Unavailable fails the test in CI and skips it elsewhere.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (required in CI)", msg)
	}
	t.Skip(msg)
}

// FreePort returns a free TCP port on 127.0.0.1.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Moto starts `python3 -m moto.server` on a free loopback port for the
// test and returns an aws.Config pointed at it (region us-east-1, static
// credentials). The server stops when the test ends.
func Moto(t testing.TB) aws.Config {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		Unavailable(t, "moto: python3 not found")
	}
	port := FreePort(t)
	var logs bytes.Buffer
	cmd := exec.Command(py, "-m", "moto.server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		Unavailable(t, "moto: %v", err)
	}
	// Waited for at once, so that a server that dies during the test is
	// seen as such; its output is shown when the test fails.
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		select {
		case <-done:
			if t.Failed() {
				t.Logf("moto: the server had exited during the test (%v); its output:\n%s", waitErr, tail(logs.Bytes(), 4096))
			}
			return
		default:
		}
		cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("moto: the server's output:\n%s", tail(logs.Bytes(), 4096))
		}
	})
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			break
		}
		exited := false
		select {
		case <-done:
			exited = true
		default:
		}
		if time.Now().After(deadline) || exited {
			Unavailable(t, "moto: server did not start on %s: %v\n%s", url, err, tail(logs.Bytes(), 4096))
		}
		time.Sleep(100 * time.Millisecond)
	}
	return Config(url)
}

// tail is the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// Config returns an aws.Config for a local endpoint at url.
func Config(url string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// Reset clears moto's state.
func Reset(ctx context.Context, url string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/moto-api/reset", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
