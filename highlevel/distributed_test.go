package highlevel_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/highlevel"
	"github.com/smcore-go/smcore/shapes"
)

// Distributed runs for real, as host processes of the local endpoint, with
// Debian 12's packages: python3-torch (1.13, gloo on the CPU), openmpi-bin
// and python3-mpi4py. They are Debian's /usr/bin/python3's modules, so the
// jobs run it (SM_PYTHON_CMD), whatever python3 comes first on PATH.
const debianPython = "/usr/bin/python3"

// needDistributed skips the test when what it runs is not installed, or
// fails it in CI, which installs it (.ci/run).
func needDistributed(t *testing.T, module string, tools ...string) {
	t.Helper()
	missing := ""
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = tool
		}
	}
	probe := fmt.Sprintf("import importlib.util, sys; sys.exit(importlib.util.find_spec(%q) is None)", module)
	if err := exec.Command(debianPython, "-c", probe).Run(); err != nil {
		missing = debianPython + "'s " + module + " module"
	}
	if missing == "" {
		return
	}
	msg := fmt.Sprintf("%s is missing: apt-get install python3-torch openmpi-bin python3-mpi4py", missing)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// distributedJob is a 2-host job of entry script train.py, launched by
// dist.
func distributedJob(t *testing.T, script string, dist *highlevel.Distributed) highlevel.TrainerConfig {
	return highlevel.TrainerConfig{
		CreateTrainingJobInput: shapes.CreateTrainingJobInput{
			AlgorithmSpecification: &shapes.AlgorithmSpecification{TrainingImage: "local/python:3"},
			RoleArn:                "SageMakerRole",
			ResourceConfig:         &shapes.ResourceConfig{InstanceType: shapes.TrainingInstanceTypeMlM5Large, InstanceCount: aws.Int32(2)},
			StoppingCondition:      &shapes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(300)},
			Environment:            map[string]string{"SM_PYTHON_CMD": debianPython},
		},
		SourceCode:  &highlevel.SourceCode{SourceDir: tree(t, map[string]string{"train.py": script}), EntryScript: "train.py"},
		Distributed: dist,
	}
}

// trainDistributed runs the job and returns its model's rank-N.json files
// by rank.
func trainDistributed(t *testing.T, cfg highlevel.TrainerConfig, ranks int) map[int]map[string]any {
	t.Helper()
	var logs lines
	tr := trainer(t, local(t, true), cfg, highlevel.WithLogs(logs.add))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	job, err := tr.Train(ctx)
	if err != nil {
		t.Fatalf("%v\nlogs:\n%s", err, logs.text())
	}
	t.Logf("trained in %v", time.Since(start).Round(100*time.Millisecond))
	dir := t.TempDir()
	if err := tr.DownloadModel(ctx, job, dir); err != nil {
		t.Fatal(err)
	}
	out := map[int]map[string]any{}
	for r := range ranks {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("rank-%d.json", r)))
		if err != nil {
			t.Errorf("rank %d: %v\nlogs:\n%s", r, err, logs.text())
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Errorf("rank %d: %v: %s", r, err, b)
		}
		out[r] = m
	}
	return out
}

// torchrun on 2 hosts × 2 processes, gloo over loopback: every rank
// all-reduces its rank+1 and gets the sum over all ranks.
func TestDistributedTorchrun(t *testing.T) {
	needDistributed(t, "torch")
	const hosts, perHost = 2, 2
	cfg := distributedJob(t, `import json, os
import torch
import torch.distributed as dist

dist.init_process_group("gloo")
rank = dist.get_rank()
t = torch.tensor([float(rank + 1)])
dist.all_reduce(t)
with open(os.path.join(os.environ["SM_MODEL_DIR"], f"rank-{rank}.json"), "w") as f:
    json.dump({str(rank): t.item(), "world": dist.get_world_size(), "host": os.environ["SM_CURRENT_HOST"]}, f)
dist.destroy_process_group()
`, &highlevel.Distributed{Torchrun: &highlevel.Torchrun{ProcessCountPerNode: perHost}})
	const n = hosts * perHost
	got := trainDistributed(t, cfg, n)
	for r, m := range got {
		host := fmt.Sprintf("algo-%d", r/perHost+1)
		if m[fmt.Sprint(r)] != float64(n*(n+1)/2) || m["world"] != float64(n) || m["host"] != host {
			t.Errorf("rank %d: %v; want {%q: %d, world: %d, host: %s}", r, m, fmt.Sprint(r), n*(n+1)/2, n, host)
		}
	}
}

// mpirun from the first host starts a rank on each of 2 hosts (through the
// driver's stand-in for ssh); rank 0 sends rank 1 a message.
func TestDistributedMPI(t *testing.T) {
	needDistributed(t, "mpi4py", "mpirun")
	cfg := distributedJob(t, `import json, os
from mpi4py import MPI

comm = MPI.COMM_WORLD
host = os.environ["SM_CURRENT_HOST"]
if comm.rank == 0:
    msg = "hello from " + host
    comm.send(msg, dest=1, tag=7)
    out = {"sent": msg}
else:
    out = {"received": comm.recv(source=0, tag=7)}
out.update(size=comm.size, host=host)
with open(os.path.join(os.environ["SM_MODEL_DIR"], f"rank-{comm.rank}.json"), "w") as f:
    json.dump(out, f)
`, &highlevel.Distributed{MPI: &highlevel.MPI{ProcessCountPerNode: 1}})
	got := trainDistributed(t, cfg, 2)
	// Each rank runs in its own host's environment: rank 1 writes into
	// algo-2's model folder.
	for r, want := range []map[string]any{
		{"sent": "hello from algo-1", "size": 2.0, "host": "algo-1"},
		{"received": "hello from algo-1", "size": 2.0, "host": "algo-2"},
	} {
		if m, ok := got[r]; ok && fmt.Sprint(m) != fmt.Sprint(want) {
			t.Errorf("rank %d: %v, want %v", r, m, want)
		}
	}
}
