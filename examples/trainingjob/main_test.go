package main

import (
	"context"
	"testing"
)

// TestExampleRuns keeps the example working.
func TestExampleRuns(t *testing.T) {
	if err := run(context.Background()); err != nil {
		t.Fatal(err)
	}
}
