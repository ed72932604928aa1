package trainingcontract

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// host is one host's tree with the driver staged as a trainer stages it.
type host struct {
	t      *testing.T
	layout Layout
	bin    string // a folder first on PATH, for fake tools
}

func newHost(t *testing.T, d Driver, current string, files map[string]string) *host {
	t.Helper()
	dir := t.TempDir()
	h := &host{t: t, layout: Layout{Dir: filepath.Join(dir, "ml")}, bin: filepath.Join(dir, "bin")}
	for _, p := range append(h.layout.Dirs(), h.bin, filepath.Join(dir, "tmp")) {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	df, err := d.Files()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range df {
		write(t, filepath.Join(h.layout.ChannelDir(DriversChannel), name), string(b))
	}
	os.MkdirAll(h.layout.ChannelDir(CodeChannel), 0o755)
	for name, body := range files {
		write(t, filepath.Join(h.layout.ChannelDir(CodeChannel), name), body)
	}
	in := map[string]ChannelConfig{}
	for _, c := range d.Channels {
		in[c] = ChannelConfig{TrainingInputMode: "File"}
		os.MkdirAll(h.layout.ChannelDir(c), 0o755)
	}
	cfg := Config{HyperParameters: d.HyperParameters, InputData: in, JobName: "job-1",
		Resource: ResourceConfig{CurrentHost: current, CurrentInstanceType: "ml.m5.xlarge", Hosts: HostNames(d.InstanceCount), NetworkInterfaceName: "eth0"}}
	if err := h.layout.WriteConfig(cfg); err != nil {
		t.Fatal(err)
	}
	return h
}

func write(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fake puts an executable script on the host's PATH.
func (h *host) fake(name, body string) {
	p := filepath.Join(h.bin, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		h.t.Fatal(err)
	}
}

// run runs the driver as the local endpoint does: its entrypoint, the
// layout's paths in the environment.
func (h *host) run(extraEnv ...string) (string, error) {
	ep, args := Entrypoint()
	cmd := exec.Command(ep[0], append(ep[1:], args...)...)
	cmd.Dir = h.layout.Dir
	cmd.Env = append([]string{
		"PATH=" + h.bin + ":" + os.Getenv("PATH"),
		"HOME=" + h.layout.Dir,
		"TMPDIR=" + filepath.Join(filepath.Dir(h.layout.Dir), "tmp"),
		"TRAINING_JOB_NAME=job-1",
		"SM_NUM_CPUS=4",
		"SM_NUM_GPUS=0",
		"SM_PYTHON_CMD=python3",
	}, h.layout.Env()...)
	cmd.Env = append(cmd.Env, extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return strings.ReplaceAll(out.String(), filepath.Dir(h.layout.Dir), "ROOT"), err
}

func (h *host) failure() string {
	b, _ := os.ReadFile(h.layout.FailureFile())
	return string(b)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, p, got, want)
	}
}

func TestDriverScriptIsPOSIXWithLF(t *testing.T) {
	s := DriverScript()
	if bytes.Contains(s, []byte("\r")) {
		t.Fatal("sm_train.sh holds a carriage return")
	}
	if !bytes.HasPrefix(s, []byte("#!/bin/sh\n")) {
		t.Fatal("sm_train.sh does not start with #!/bin/sh")
	}
	for _, sh := range []string{"dash", "bash", "busybox"} {
		p, err := exec.LookPath(sh)
		if err != nil {
			continue
		}
		f := filepath.Join(t.TempDir(), DriverFile)
		os.WriteFile(f, s, 0o644)
		args := []string{"-n", f}
		if sh == "busybox" {
			args = append([]string{"sh"}, args...)
		}
		if out, err := exec.Command(p, args...).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", sh, err, out)
		}
	}
}

// The environment a script gets from the driver, against a fixture.
func TestDriverEnvironment(t *testing.T) {
	d := Driver{EntryScript: "train.sh", InstanceCount: 2,
		Channels:        []string{"train", "my-data.v1", CodeChannel, DriversChannel},
		HyperParameters: map[string]string{"epochs": "10", "lr": "0.1", "layers": "[1, 2]", "name": "it's", "api-token": "supersecret-123"}}
	h := newHost(t, d, "algo-2", map[string]string{"train.sh": "#!/bin/sh\necho \"args: $*\"\nenv | grep -E '^(SM_|TRAINING_JOB_NAME|NCCL)' | sort\n"})
	out, err := h.run()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var env []string
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "smcore driver:") && l != "" {
			env = append(env, l)
		}
	}
	golden(t, "env", strings.Join(env, "\n")+"\n")
	if strings.Contains(out, "supersecret-123") {
		t.Errorf("the secret hyperparameter's value reached the log:\n%s", out)
	}
	if !strings.Contains(out, "--api-token ********") {
		t.Errorf("the masked argument is not in the log:\n%s", out)
	}
}

func TestDriverMasksEnvironmentSecrets(t *testing.T) {
	d := Driver{EntryScript: "train.py", InstanceCount: 1, HyperParameters: map[string]string{"short_key": "abc"}}
	h := newHost(t, d, "algo-1", nil)
	h.fake("python3", `echo "password is $DB_PASSWORD, key $SHORT, hp $SM_HP_SHORT_KEY, creds $MY_CREDS"`+"\n")
	out, err := h.run("DB_PASSWORD=hunter2hunter2", "SHORT=x", "MY_CREDS=abcdefgh", "SM_PYTHON_CMD=")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Contains(out, "hunter2hunter2") || strings.Contains(out, "abcdefgh") {
		t.Errorf("a secret reached the log:\n%s", out)
	}
	if !strings.Contains(out, "password is ********, key x, hp abc, creds ********") {
		t.Errorf("want masked values (and short ones kept) in:\n%s", out)
	}
}

func TestDriverRunsPythonWithHyperparameters(t *testing.T) {
	d := Driver{EntryScript: "train.py", InstanceCount: 1, HyperParameters: map[string]string{"b": "x y", "a": "1"}}
	h := newHost(t, d, "algo-1", map[string]string{"train.py": ""})
	h.fake("python3", `for a in "$@"; do echo "arg<$a>"; done; pwd`+"\n")
	out, err := h.run()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := "arg<train.py>\narg<--a>\narg<1>\narg<--b>\narg<x y>\nROOT/ml/input/data/code\n"
	if !strings.Contains(out, want) {
		t.Errorf("want\n%s\nin\n%s", want, out)
	}
}

func TestDriverHydraArguments(t *testing.T) {
	d := Driver{EntryScript: "train.py", InstanceCount: 1, Hydra: true, HyperParameters: map[string]string{"model.lr": "0.1", "name": "a b"}}
	h := newHost(t, d, "algo-1", nil)
	h.fake("python3", `for a in "$@"; do echo "arg<$a>"; done`+"\n")
	out, err := h.run()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if want := "arg<train.py>\narg<model.lr=0.1>\narg<name=a b>\n"; !strings.Contains(out, want) {
		t.Errorf("want\n%s\nin\n%s", want, out)
	}
}

func TestDriverCommand(t *testing.T) {
	for _, args := range []bool{false, true} {
		d := Driver{Command: `echo "cmd:" "$SM_HP_LR"`, CommandArgs: args, InstanceCount: 1, HyperParameters: map[string]string{"lr": "0.5"}}
		h := newHost(t, d, "algo-1", nil)
		out, err := h.run()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		want := "\ncmd: 0.5\n"
		if args {
			want = "\ncmd: 0.5 --lr 0.5\n"
		}
		if !strings.Contains(out, want) {
			t.Errorf("CommandArgs %v: want %q in\n%s", args, want, out)
		}
	}
}

func TestDriverFailureFile(t *testing.T) {
	d := Driver{EntryScript: "train.sh", InstanceCount: 1}
	h := newHost(t, d, "algo-1", map[string]string{"train.sh": "#!/bin/sh\necho 'Traceback: boom' >&2\nexit 3\n"})
	out, err := h.run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Fatalf("want exit status 3, got %v\n%s", err, out)
	}
	if f := h.failure(); !strings.Contains(f, "status 3") || !strings.Contains(f, "Traceback: boom") {
		t.Errorf("failure file: %q", f)
	}
	// A script's own failure file is kept.
	h = newHost(t, d, "algo-1", map[string]string{"train.sh": "#!/bin/sh\necho 'bad data' > \"$SM_OUTPUT_FAILURE\"\nexit 1\n"})
	h.run()
	if f := h.failure(); f != "bad data\n" {
		t.Errorf("failure file: %q, want the script's own", f)
	}
}

func TestDriverTorchrunCommandLines(t *testing.T) {
	d := Driver{EntryScript: "train.py", Distribution: Torchrun, InstanceCount: 2, HyperParameters: map[string]string{"epochs": "2"}}
	for host, want := range map[string]string{
		"algo-1": "python3 -m torch.distributed.run --nnodes=2 --nproc_per_node=1 --master_addr=127.0.0.1 --master_port=29511 --node_rank=0 train.py --epochs 2 | NCCL_SOCKET_IFNAME=eth0 NCCL_PROTO=simple GLOO_SOCKET_IFNAME=eth0",
		"algo-2": "python3 -m torch.distributed.run --nnodes=2 --nproc_per_node=1 --master_addr=127.0.0.1 --master_port=29511 --node_rank=1 train.py --epochs 2 | NCCL_SOCKET_IFNAME=eth0 NCCL_PROTO=simple GLOO_SOCKET_IFNAME=eth0",
	} {
		h := newHost(t, d, host, nil)
		h.fake("python3", `echo "python3 $* | NCCL_SOCKET_IFNAME=$NCCL_SOCKET_IFNAME NCCL_PROTO=$NCCL_PROTO GLOO_SOCKET_IFNAME=$GLOO_SOCKET_IFNAME"`+"\n")
		out, err := h.run("SM_MASTER_ADDR=127.0.0.1", "SM_MASTER_PORT=29511")
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if !slices.Contains(strings.Split(out, "\n"), want) {
			t.Errorf("%s: want %q in\n%s", host, want, out)
		}
	}
	d.InstanceCount, d.ProcessesPerHost = 1, 4
	h := newHost(t, d, "algo-1", nil)
	h.fake("python3", `echo "python3 $*"`+"\n")
	out, _ := h.run()
	if want := "python3 -m torch.distributed.run --nnodes=1 --nproc_per_node=4 train.py --epochs 2"; !strings.Contains(out, want+"\n") {
		t.Errorf("want %q in\n%s", want, out)
	}
}

// torch 1.x's launcher fails on Python 3.11+ (Debian 12's python3-torch
// 1.13): the driver runs it with Std.from_str fixed, the same arguments.
func TestDriverTorchrunOnOldTorch(t *testing.T) {
	d := Driver{EntryScript: "train.py", Distribution: Torchrun, InstanceCount: 1}
	h := newHost(t, d, "algo-1", nil)
	// The probe says the fix is needed; the fixed launcher gets torchrun's
	// arguments.
	h.fake("python3", `case "$2" in
*importlib.metadata*) echo fix ;;
*) shift 2; echo "args: $*" ;;
esac
`)
	out, err := h.run()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"smcore driver: running python3 -m torch.distributed.run --nnodes=1 --nproc_per_node=1 train.py (its Std.from_str fixed for torch 1.x on Python 3.11+)\n",
		"\nargs: --nnodes=1 --nproc_per_node=1 train.py\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in\n%s", want, out)
		}
	}
}

// On the local endpoint's hosts (SMLOCAL_SHARED_DIR set) mpirun reaches
// the other hosts through the driver's --rsh, in the environment each host
// saved, and the workers end on a done file in the shared folder.
func TestDriverMPILocalHosts(t *testing.T) {
	d := Driver{EntryScript: "train.py", Distribution: MPI, InstanceCount: 2}
	shared := t.TempDir()
	worker := newHost(t, d, "algo-2", nil)
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := worker.run("SMLOCAL_SHARED_DIR=" + shared)
		done <- result{out, err}
	}()
	first := newHost(t, d, "algo-1", nil)
	// As Open MPI's rsh launcher does: the agent split at blanks, then the
	// host, then the command for the host's shell.
	first.fake("mpirun", `echo "mpirun $1 $2 agent=$OMPI_MCA_plm_rsh_agent"
for h in algo-1 algo-2; do
	$OMPI_MCA_plm_rsh_agent $h 'echo "on $SM_CURRENT_HOST: rank $SM_CURRENT_HOST_RANK in $PWD"' "&& echo" "'two words'"
done
$OMPI_MCA_plm_rsh_agent algo-3 true
echo "algo-3: $?"
`)
	out, err := first.run("SMLOCAL_SHARED_DIR=" + shared)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	agent := "/bin/sh ROOT/ml/input/data/sm_drivers/sm_train.sh --rsh"
	for _, want := range []string{
		"\nmpirun --host algo-1:1,algo-2:1 agent=" + agent + "\n",
		"\non algo-1: rank 0 in ROOT/ml\ntwo words\n",
		"\non algo-2: rank 1 in " + worker.layout.Dir + "\ntwo words\n",
		"host algo-3 is not up",
		"\nalgo-3: 255\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in\n%s", want, out)
		}
	}
	select {
	case r := <-done:
		if r.err != nil || !strings.Contains(r.out, "MPI worker algo-2 waiting") {
			t.Errorf("worker: %v\n%s", r.err, r.out)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the worker did not end after the first host's run")
	}
	if _, err := os.Stat(filepath.Join(shared, "mpi-done")); err != nil {
		t.Error(err)
	}
}

func TestDriverValidate(t *testing.T) {
	for _, d := range []Driver{
		{InstanceCount: 1},
		{EntryScript: "train.rb", InstanceCount: 1},
		{Command: "x", Distribution: Torchrun, InstanceCount: 1},
		{EntryScript: "../x.py", InstanceCount: 1},
		{EntryScript: "x.py"},
		{EntryScript: "x.py", Distribution: "horovod", InstanceCount: 1},
	} {
		if _, err := d.Files(); err == nil {
			t.Errorf("%+v: no error", d)
		}
	}
}

func TestSortHostsNumerically(t *testing.T) {
	h := []string{"algo-10", "algo-2", "algo-1", "algo-9"}
	SortHosts(h)
	if want := []string{"algo-1", "algo-2", "algo-9", "algo-10"}; !slices.Equal(h, want) {
		t.Errorf("got %v", h)
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{"": "''", "abc": "abc", "it's": `'it'\''s'`, "a b": "'a b'", "$x": "'$x'"} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
		out, err := exec.Command("/bin/sh", "-c", "printf %s "+Quote(in)).Output()
		if err != nil || string(out) != in {
			t.Errorf("sh printf %s = %q, %v", Quote(in), out, err)
		}
	}
}
