package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

// Helpers of the generated lifecycle tests (zz_lifecycle_test.go, one per
// creatable resource kind).

// TestLifecycleKinds keeps the lifecycle tests meaningful: most resource
// kinds must have one.
func TestLifecycleKinds(t *testing.T) {
	if lifecycleKinds < 40 {
		t.Errorf("only %d resource kinds have a lifecycle test", lifecycleKinds)
	}
}

// lifecycleDelays make waiters poll the fast-stepping endpoint quickly.
var lifecycleDelays = []waiters.Option{waiters.WithDelays(2*time.Millisecond, 10*time.Millisecond)}

// lifecycleClient starts a fresh endpoint (simulated training, statuses a
// step every 2 ms) for the test and returns a client of it and a context
// that ends with the test or after a minute.
func lifecycleClient(t *testing.T) (*resources.Client, context.Context) {
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithStepTime(2*time.Millisecond))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return resources.NewFromConfig(ep.Config), ctx
}

// lifecycleSample decodes a sample request (JSON built from the model) into req.
func lifecycleSample(t *testing.T, req any, sample string) {
	t.Helper()
	if err := json.Unmarshal([]byte(sample), req); err != nil {
		t.Fatalf("sample request: %v\n%s", err, sample)
	}
}

// lifecycleValid requires a create request to pass the checks the
// endpoint applies.
func lifecycleValid(t *testing.T, req shapes.Validatable) {
	t.Helper()
	if err := shapes.ValidateStrict(req); err != nil {
		t.Fatalf("the sample request is not valid: %v\n(improve internal/samples, or list the kind in gen/emit's invalidSamples with the reason)", err)
	}
}

// lifecycleListed requires a list to name at least one resource.
func lifecycleListed[T any](t *testing.T, op string, seq iter.Seq2[T, error]) {
	t.Helper()
	n := 0
	for _, err := range seq {
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		n++
	}
	if n == 0 {
		t.Fatalf("%s listed nothing", op)
	}
}

// lifecycleWaited accepts a job's end: completed, stopped, or failed
// (a *waiters.FailedError).
func lifecycleWaited(t *testing.T, err error) {
	t.Helper()
	var fe *waiters.FailedError
	if err != nil && !errors.As(err, &fe) {
		t.Fatalf("Wait: %v", err)
	}
}
