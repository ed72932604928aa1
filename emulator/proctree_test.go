//go:build linux

package emulator_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
)

// treeScript starts a child that leaves the host's session (setsid),
// writes its pid and the script's own to $PIDS/<host>, then sleeps.
const treeScript = `setsid sleep 300 & echo $! > "$PIDS/$SM_CURRENT_HOST"; echo $$ >> "$PIDS/$SM_CURRENT_HOST"; sleep 300`

// treeJob is a job of hosts instances running treeScript; its processes
// carry TREE_TEST=tag.
func treeJob(t *testing.T, name string, maxRuntime int32, hosts int32) (req *shapes.CreateTrainingJobInput, pidDir, tag string) {
	var b [8]byte
	rand.Read(b[:])
	tag = "TREE_TEST=" + hex.EncodeToString(b[:])
	pidDir = t.TempDir()
	_, val, _ := strings.Cut(tag, "=")
	req = shJob(name, treeScript, map[string]string{"PIDS": pidDir, "TREE_TEST": val}, maxRuntime)
	req.ResourceConfig.InstanceCount = &hosts
	return req, pidDir, tag
}

// startedTrees waits for every host's script to run (startedTree) and
// returns the processes of them all.
func startedTrees(t *testing.T, pidDir string, hosts int) []int {
	t.Helper()
	var pids []int
	for i := 1; i <= hosts; i++ {
		child, main := startedTree(t, filepath.Join(pidDir, "algo-"+strconv.Itoa(i)))
		pids = append(pids, child, main)
	}
	return pids
}

// eachHostCount runs f as a subtest for a job of one host and of two.
func eachHostCount(t *testing.T, f func(t *testing.T, hosts int32)) {
	for _, n := range []int32{1, 2} {
		t.Run(fmt.Sprintf("hosts=%d", n), func(t *testing.T) { f(t, n) })
	}
}

// sessionOf is the session id of pid (0 if gone).
func sessionOf(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	sid, _ := strconv.Atoi(f[3])
	return sid
}

// startedTree waits for the job's script to run and checks that its child
// did leave the session.
func startedTree(t *testing.T, pidFile string) (child, main int) {
	t.Helper()
	pids := readPids(t, pidFile, 2)
	child, main = pids[0], pids[1]
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		s := sessionOf(child)
		if s != 0 && s != sessionOf(main) && s == child {
			return child, main
		}
		if time.Now().After(deadline) {
			t.Fatalf("the setsid child %d is in session %d, the script %d in %d", child, s, main, sessionOf(main))
		}
	}
}

// checkTreeGone fails unless every process of the tree is gone within wait.
func checkTreeGone(t *testing.T, wait time.Duration, tag string, pids ...int) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		var left []int
		if tag != "" {
			left = withEnviron(tag)
		}
		for _, p := range pids {
			if alive(p) && !slices.Contains(left, p) {
				left = append(left, p)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			for _, p := range left {
				syscall.Kill(p, syscall.SIGKILL)
			}
			t.Fatalf("processes of the job still alive: %v", left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestStopEndsTheWholeProcessTree: StopTrainingJob ends every host's
// process and a child that left its session; none is alive once the job
// is Stopped.
func TestStopEndsTheWholeProcessTree(t *testing.T) {
	eachHostCount(t, func(t *testing.T, hosts int32) {
		_, c := startProc(t)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		req, pidDir, tag := treeJob(t, "tree-stop", 600, hosts)
		job, err := c.CreateTrainingJob(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		pids := startedTrees(t, pidDir, int(hosts))
		if err := job.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		if err := job.Wait(ctx, quick); err != nil || job.TrainingJobStatus != shapes.TrainingJobStatusStopped {
			t.Fatalf("stop: %v, status %s", err, job.TrainingJobStatus)
		}
		checkTreeGone(t, 0, tag, pids...)
	})
}

// TestMaxRuntimeEndsTheWholeProcessTree: the same at MaxRuntimeInSeconds.
func TestMaxRuntimeEndsTheWholeProcessTree(t *testing.T) {
	eachHostCount(t, func(t *testing.T, hosts int32) {
		_, c := startProc(t)
		req, pidDir, tag := treeJob(t, "tree-timeout", 1, hosts)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		job, err := c.CreateTrainingJob(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		pids := startedTrees(t, pidDir, int(hosts))
		if err := job.Wait(ctx, quick); err != nil || job.SecondaryStatus != shapes.SecondaryStatusMaxRuntimeExceeded {
			t.Fatalf("max runtime: %v, status %s/%s", err, job.TrainingJobStatus, job.SecondaryStatus)
		}
		checkTreeGone(t, 0, tag, pids...)
	})
}

// TestCloseEndsTheWholeProcessTree: Server.Close ends running jobs' trees,
// every host's.
func TestCloseEndsTheWholeProcessTree(t *testing.T) {
	eachHostCount(t, func(t *testing.T, hosts int32) {
		ep, c := startProc(t)
		req, pidDir, tag := treeJob(t, "tree-close", 600, hosts)
		if _, err := c.CreateTrainingJob(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		pids := startedTrees(t, pidDir, int(hosts))
		ep.Server.Close()
		checkTreeGone(t, 0, tag, pids...)
	})
}

// TestBackgroundChildHoldingOutputDoesNotFailTheJob: a job whose process
// exits 0 while a background child still holds its stdout completes (at
// once, not after a timeout), and the child is ended.
func TestBackgroundChildHoldingOutputDoesNotFailTheJob(t *testing.T) {
	ep, c := startProc(t)
	pidFile := filepath.Join(t.TempDir(), "pids")
	script := `sleep 300 & echo $! > "$PIDS"; echo "loss=0.5"; echo model > "$SM_MODEL_DIR/m.txt"; exit 0`
	begin := time.Now()
	job := runToEnd(t, c, shJob("holds-stdout", script, map[string]string{"PIDS": pidFile}, 600))
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("job %s: %s", job.TrainingJobStatus, job.FailureReason)
	}
	if d := time.Since(begin); d > 4*time.Second {
		t.Errorf("the job took %v", d)
	}
	if len(job.FinalMetricDataList) != 1 || job.ModelArtifacts == nil || job.ModelArtifacts.S3ModelArtifacts == "" {
		t.Errorf("metrics %+v, artifacts %+v", job.FinalMetricDataList, job.ModelArtifacts)
	}
	if logs := strings.Join(jobLogs(t, ep.Config, "holds-stdout"), "\n"); !strings.Contains(logs, "loss=0.5") {
		t.Errorf("logs: %q", logs)
	}
	checkTreeGone(t, 0, "", readPids(t, pidFile, 1)...)
}

// TestCrashHelperProcess is the endpoint that TestServerKilled… kill: it
// runs treeScript as a job of two hosts and waits to be killed.
func TestCrashHelperProcess(t *testing.T) {
	dir := os.Getenv("SMCORE_CRASH_HELPER")
	if dir == "" {
		t.Skip("the endpoint process of TestServerKilledEndsTheJobTree")
	}
	os.MkdirAll(filepath.Join(dir, "work"), 0o700)
	ep := emulatortest.Start(t, emulator.WithExecutor(emulator.ProcessExecutor{}),
		emulator.WithWorkDir(filepath.Join(dir, "work")), emulator.WithDataDir(filepath.Join(dir, "data")))
	pidDir := filepath.Join(dir, "pids")
	os.MkdirAll(pidDir, 0o700)
	req := shJob("crash-job", treeScript, map[string]string{"PIDS": pidDir, "TREE_TEST": os.Getenv("SMCORE_CRASH_TAG")}, 600)
	req.ResourceConfig.InstanceCount = aws.Int32(crashHosts)
	if _, err := resources.NewFromConfig(ep.Config).CreateTrainingJob(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= crashHosts; i++ {
		readPids(t, filepath.Join(pidDir, "algo-"+strconv.Itoa(i)), 2)
	}
	// The server records a host's processes once it has started them.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if recs, _ := filepath.Glob(filepath.Join(dir, "data", "jobs", "crash-job.*.json")); len(recs) == crashHosts || time.Now().After(deadline) {
			break
		}
	}
	fmt.Println("READY")
	time.Sleep(5 * time.Minute)
}

// crashHosts is the number of hosts of the crashed server's job.
const crashHosts = 2

// crashedServer runs TestCrashHelperProcess in a process of its own until
// its job runs; it returns the processes of the job's hosts (children
// that left the session, and the scripts), the helper's process and its
// watchdogs' pids.
func crashedServer(t *testing.T, dir string) (children, mains []int, tag string, helper *exec.Cmd, watchdogs []int) {
	t.Helper()
	var b [8]byte
	rand.Read(b[:])
	val := hex.EncodeToString(b[:])
	helper = startHelper(t, "TestCrashHelperProcess", []string{"SMCORE_CRASH_HELPER=" + dir, "SMCORE_CRASH_TAG=" + val}, 60*time.Second, "job ran")
	for i := 1; i <= crashHosts; i++ {
		child, main := startedTree(t, filepath.Join(dir, "pids", "algo-"+strconv.Itoa(i)))
		children, mains = append(children, child), append(mains, main)
	}
	watchdogs = childrenRunning(helper.Process.Pid, "smlocal-watchdog")
	return children, mains, "TREE_TEST=" + val, helper, watchdogs
}

// TestServerKilledEndsTheJobTree: when the endpoint's process is killed
// (SIGKILL), its job's hosts' processes and the children that left their
// sessions end.
func TestServerKilledEndsTheJobTree(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	children, mains, tag, helper, _ := crashedServer(t, t.TempDir())
	helper.Process.Signal(syscall.SIGKILL)
	helper.Wait()
	checkTreeGone(t, 10*time.Second, tag, append(children, mains...)...)
}

// TestRestartEndsLeftoverJobTree: when a crash leaves a job's processes
// running (here the watchdogs are killed first, so only PR_SET_PDEATHSIG
// acts: the hosts' processes end, the children that left their sessions
// do not), the next start with the data directory ends them — every
// host's, from a record per host —, removes the job root, and the job is
// Failed as the restart rules say.
func TestRestartEndsLeftoverJobTree(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	dir := t.TempDir()
	children, mains, tag, helper, watchdogs := crashedServer(t, dir)
	for _, w := range watchdogs {
		syscall.Kill(w, syscall.SIGKILL)
	}
	helper.Process.Signal(syscall.SIGKILL)
	helper.Wait()
	checkTreeGone(t, 10*time.Second, "", mains...) // PR_SET_PDEATHSIG
	time.Sleep(200 * time.Millisecond)
	for _, child := range children {
		if !alive(child) {
			t.Fatal("a child that left its session ended without the restart: the test shows nothing")
		}
	}
	roots, _ := filepath.Glob(filepath.Join(dir, "work", "smlocal-crash-job-*"))
	if len(roots) != 1 {
		t.Fatalf("job roots left by the crash: %v", roots)
	}
	if recs, _ := filepath.Glob(filepath.Join(dir, "data", "jobs", "crash-job.*.json")); len(recs) != crashHosts {
		t.Fatalf("records of the job's processes: %v, want one per host", recs)
	}

	ep := emulatortest.Start(t, emulator.WithExecutor(emulator.ProcessExecutor{}),
		emulator.WithWorkDir(filepath.Join(dir, "work")), emulator.WithDataDir(filepath.Join(dir, "data")))
	checkTreeGone(t, 0, tag, append(children, mains...)...)
	if _, err := os.Stat(roots[0]); !os.IsNotExist(err) {
		t.Errorf("the job root %s is still there: %v", roots[0], err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "jobs")); !os.IsNotExist(err) {
		t.Errorf("the record of the job's processes is still there: %v", err)
	}
	job, err := resources.NewFromConfig(ep.Config).GetTrainingJob(context.Background(), "crash-job")
	if err != nil {
		t.Fatal(err)
	}
	if job.TrainingJobStatus != shapes.TrainingJobStatusFailed || !strings.Contains(job.FailureReason, "restarted") {
		t.Fatalf("after the restart: %s %q", job.TrainingJobStatus, job.FailureReason)
	}
}
