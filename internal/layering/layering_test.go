// Package layering checks the dependency rule of the architecture: library
// packages never import the generator, the emulator or CLI libraries.
package layering

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/smcore-go/smcore"

// libraries are the packages users import.
var libraries = []string{"shapes", "resources", "waiters", "highlevel", "smconfig", "logtail", "imageuris", "internal/trainingcontract"}

// apart names, for a package, packages it must not import even though
// they are libraries: the training contract is shared by the trainers and
// the local endpoint's executors, so it imports neither; the trainers
// reach the local endpoint only through an endpoint URL.
var apart = map[string][]string{
	"internal/trainingcontract": {module + "/highlevel", module + "/emulator", module + "/resources", module + "/shapes", "github.com/aws/aws-sdk-go-v2"},
	"highlevel":                 {module + "/emulator"},
	"logtail":                   {module + "/highlevel"},
}

// forbidden prefixes of import paths for library packages.
var forbidden = []string{
	module + "/gen",
	module + "/emulator",
	module + "/tools",
	module + "/internal/testmodel",
	module + "/internal/testenv",
	module + "/internal/samples",
	"github.com/dave/jennifer",
	"golang.org/x/tools",
	"github.com/spf13/cobra",
	"github.com/urfave/cli",
	"github.com/alecthomas/kong",
	"flag",
}

func TestLibraryImports(t *testing.T) {
	root := filepath.Join("..", "..")
	checked := 0
	for _, lib := range libraries {
		if _, err := os.Stat(filepath.Join(root, lib)); err != nil {
			continue // not written yet
		}
		cmd := exec.Command("go", "list", "-deps", "./"+lib)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps ./%s: %v\n%s", lib, err, out)
		}
		checked++
		for _, dep := range strings.Fields(string(out)) {
			// resources and waiters use only the SageMaker service client;
			// log tailing (CloudWatch Logs) lives in its own package.
			if svc, ok := strings.CutPrefix(dep, "github.com/aws/aws-sdk-go-v2/service/"); ok && !strings.HasPrefix(svc, "sagemaker") && !strings.HasPrefix(svc, "internal/") {
				if lib == "resources" || lib == "waiters" || lib == "shapes" {
					t.Errorf("%s imports the %s service client: only sagemaker is allowed", lib, dep)
				}
			}
			for _, bad := range apart[lib] {
				if dep == bad || strings.HasPrefix(dep, bad+"/") {
					t.Errorf("%s imports %s (directly or not): it must not", lib, dep)
				}
			}
			for _, bad := range forbidden {
				if dep == bad || strings.HasPrefix(dep, bad+"/") {
					t.Errorf("%s imports %s (directly or not): library packages must not", lib, dep)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no library package found")
	}
}

// The local endpoint runs the trainers' driver through the training
// contract, never through the trainers.
func TestEmulatorImportsNoTrainer(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./emulator", "./tools/smlocal")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == module+"/highlevel" || strings.HasPrefix(dep, module+"/highlevel/") {
			t.Errorf("the emulator imports %s", dep)
		}
	}
}
