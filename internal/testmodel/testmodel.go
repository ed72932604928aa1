// Package testmodel loads the pinned SageMaker model for tests. In CI
// (CI=true) a missing model fails the test; elsewhere it is skipped,
// saying why. It imports no SDK code.
package testmodel

import (
	"os"
	"sync"
	"testing"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/modelsrc"
)

var load = sync.OnceValues(func() (*model.Service, error) {
	dir, err := modelsrc.Pinned()
	if err != nil {
		return nil, err
	}
	return model.Load(dir)
})

// Pinned returns the pinned model, loaded once per test binary. Callers
// must not change it.
func Pinned(t testing.TB) *model.Service {
	t.Helper()
	svc, err := load()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pinned model: %v (required in CI)", err)
		}
		t.Skipf("pinned model: %v", err)
	}
	return svc
}

var loadGenerated = sync.OnceValues(func() (*model.Service, error) {
	dir, err := modelsrc.Pinned()
	if err != nil {
		return nil, err
	}
	svc, err := model.Load(dir)
	if err != nil {
		return nil, err
	}
	return svc, svc.NameOperationShapes()
})

// Generated returns the pinned model as the generator emits it (operation
// shapes named <Op>Input and <Op>Output), loaded once per test binary.
// Callers must not change it.
func Generated(t testing.TB) *model.Service {
	t.Helper()
	svc, err := loadGenerated()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pinned model: %v (required in CI)", err)
		}
		t.Skipf("pinned model: %v", err)
	}
	return svc
}
