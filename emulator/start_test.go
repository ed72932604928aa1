package emulator_test

import (
	"context"
	"errors"
	"testing"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
)

// Start gives a program a running endpoint and a ready aws.Config; Stop
// (or the context ending) shuts it down.
func TestStartForPrograms(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ep, err := emulator.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := resources.NewFromConfig(ep.Config)
	if _, err := c.CreateExperiment(ctx, &shapes.CreateExperimentInput{ExperimentName: "e"}); err != nil {
		t.Fatal(err)
	}
	if err := ep.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetExperiment(context.Background(), "e"); err == nil || errors.Is(err, resources.ErrNotFound) {
		t.Fatalf("after Stop the endpoint must be gone: %v", err)
	}
	cancel()
	if err := ep.Stop(context.Background()); err != nil {
		t.Fatalf("a second Stop: %v", err)
	}
}
