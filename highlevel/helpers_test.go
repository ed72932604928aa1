package highlevel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/highlevel"
	"github.com/smcore-go/smcore/logtail"
	"github.com/smcore-go/smcore/waiters"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// fixedNow is every test trainer's clock: job names are known.
var fixedNow = time.Date(2026, 12, 2, 10, 30, 0, 0, time.UTC)

// zeros is a randomness source of zero bytes: the suffix is "aaaa".
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// local starts a local endpoint (with the process executor when run is
// set) for one test.
func local(t *testing.T, run bool, opts ...emulator.Option) *emulatortest.Endpoint {
	t.Helper()
	if run {
		opts = append(opts, emulator.WithExecutor(emulator.ProcessExecutor{}))
	}
	return emulatortest.Start(t, opts...)
}

// trainer is a trainer against ep with a fixed clock and suffix, no
// config file, and fast polls.
func trainer(t *testing.T, ep *emulatortest.Endpoint, cfg highlevel.TrainerConfig, opts ...highlevel.Option) *highlevel.ModelTrainer {
	t.Helper()
	base := []highlevel.Option{
		highlevel.WithAWSConfig(ep.Config), highlevel.WithoutConfigFile(),
		highlevel.WithClock(func() time.Time { return fixedNow }), highlevel.WithRandom(zeros{}),
		highlevel.WithWaitOptions(waiters.WithDelays(50*time.Millisecond, 200*time.Millisecond)),
		highlevel.WithLogOptions(logtail.WithDrainQuiet(300 * time.Millisecond)),
	}
	tr, err := highlevel.NewModelTrainer(context.Background(), cfg, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// golden compares b (JSON, indented for review) with testdata/name.golden.
func golden(t *testing.T, name string, b []byte) {
	t.Helper()
	// The SDK writes map members in Go's random map order: compare the
	// same JSON with sorted keys.
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	p := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("%s: the request differs from %s:\n--- got\n%s\n--- want\n%s", name, p, got, want)
	}
}

// tree writes files (path → content) under a new folder.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func contains(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one with %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not say %q", err, p)
		}
	}
}
