package sdkinfo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goEnv returns `go env NAME`.
func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}

// freshModuleCache points the go command at an empty module cache for the
// rest of the test. -modcacherw keeps its files writable so that the
// temporary folder can be removed afterwards.
func freshModuleCache(t *testing.T) string {
	t.Helper()
	flags := goEnv(t, "GOFLAGS")
	cache := t.TempDir()
	t.Setenv("GOMODCACHE", cache)
	t.Setenv("GOFLAGS", strings.TrimSpace(flags+" -modcacherw"))
	return cache
}

// TestFindDownloadsIntoEmptyModuleCache is the fresh clone: the SDK is not
// in the module cache, and Find must fetch the version go.mod requires
// rather than fail with "not in the module cache".
func TestFindDownloadsIntoEmptyModuleCache(t *testing.T) {
	if p := goEnv(t, "GOPROXY"); p == "off" && os.Getenv("CI") != "true" {
		t.Skip("go env GOPROXY is off: the SDK cannot be downloaded into an empty module cache")
	}
	cache := freshModuleCache(t)
	start := time.Now()
	dir, version, err := Find()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("downloaded %s@%s in %v", ModulePath, version, time.Since(start).Round(time.Millisecond))
	if version != "v1.288.1" {
		t.Errorf("version = %q, want v1.288.1 (go.mod's requirement)", version)
	}
	if !strings.HasPrefix(dir, cache+string(filepath.Separator)) {
		t.Errorf("dir = %q, want a folder in the fresh module cache %s", dir, cache)
	}
	sdk, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if sdk.Version != version || sdk.Structs["sagemaker.CreateTrainingJobInput"] == nil {
		t.Errorf("loaded SDK %q with %d structs, no CreateTrainingJobInput?", sdk.Version, len(sdk.Structs))
	}
	// A second Find uses the cache as it is now.
	if dir2, _, err := Find(); err != nil || dir2 != dir {
		t.Errorf("second Find = %q, %v; want %q", dir2, err, dir)
	}
}

// TestDownloadReportsGoError checks that a failed download names the
// command and says why, offline: GOPROXY=off makes the lookup fail.
func TestDownloadReportsGoError(t *testing.T) {
	freshModuleCache(t)
	t.Setenv("GOPROXY", "off")
	_, err := Download(ModulePath, "v1.288.1")
	if err == nil {
		t.Fatal("Download with GOPROXY=off and an empty module cache succeeded")
	}
	for _, want := range []string{"go mod download -json " + ModulePath + "@v1.288.1", "GOPROXY=off"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}
