package sagemaker

import (
	"time"

	"github.com/smcore-go/smcore/emulator/internal/logs"
	"github.com/smcore-go/smcore/emulator/internal/region"
	"github.com/smcore-go/smcore/emulator/internal/s3"
	"github.com/smcore-go/smcore/emulator/internal/sigv4"
)

// newService is the service as emulator.New makes it, with cfg's settings
// over the endpoint's defaults, and the real S3 and Logs services beside
// it (in cfg.Dir too).
func newService(cfg Config) *Service {
	if cfg.ARNs == (region.ARNs{}) {
		cfg.ARNs = region.ARNs{Default: "us-east-1", Account: "123456789012"}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Step == 0 {
		cfg.Step = 50 * time.Millisecond
	}
	if cfg.Creds == (Credentials{}) {
		cfg.Creds = Credentials{"test", "test"}
	}
	if cfg.Logs == nil {
		cfg.Logs = logs.New(logs.Config{ARNs: cfg.ARNs, Now: cfg.Now, Dir: cfg.Dir})
	}
	if cfg.S3 == nil {
		cfg.S3 = s3.New(s3.Config{ARNs: cfg.ARNs, Now: cfg.Now, Dir: cfg.Dir,
			Verifier: &sigv4.Verifier{AccessKeyID: cfg.Creds.AccessKeyID, SecretAccessKey: cfg.Creds.SecretAccessKey}})
	}
	return New(cfg)
}
