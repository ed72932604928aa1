package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// listAs sends a signed ListTrainingJobs to the endpoint at url with the
// Host header host, and returns the status.
func listAs(t *testing.T, url, host string) int {
	t.Helper()
	body := []byte("{}")
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	req.Header.Set("X-Amz-Target", "SageMaker.ListTrainingJobs")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
		req, hex.EncodeToString(sum[:]), "sagemaker", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestHostHeaders: on loopback smlocal serves loopback Host headers only,
// -allow-host adds names, and bound to every interface it serves any.
func TestHostHeaders(t *testing.T) {
	url, _ := start(t)
	port := url[strings.LastIndex(url, ":"):]
	for host, want := range map[string]int{"127.0.0.1" + port: 200, "localhost" + port: 200, "attacker.example" + port: 403} {
		if got := listAs(t, url, host); got != want {
			t.Errorf("loopback, Host %s: %d, want %d", host, got, want)
		}
	}
	url, _ = start(t, "-allow-host", "smlocal,host.docker.internal")
	for host, want := range map[string]int{"smlocal:4566": 200, "host.docker.internal": 200, "attacker.example": 403} {
		if got := listAs(t, url, host); got != want {
			t.Errorf("-allow-host, Host %s: %d, want %d", host, got, want)
		}
	}
	url, _ = start(t, "-addr", "0.0.0.0:0")
	port = url[strings.LastIndex(url, ":"):]
	if got := listAs(t, "http://127.0.0.1"+port, "smlocal"+port); got != 200 {
		t.Errorf("-addr 0.0.0.0, Host smlocal: %d", got)
	}
}
