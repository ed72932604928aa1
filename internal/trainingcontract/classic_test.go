package trainingcontract

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// classicHPs are a job's hyperparameters as the classic SDK sends them:
// every value JSON-encoded.
var classicHPs = map[string]string{
	"optimizer":                     `"adam"`,
	"epochs":                        "3",
	"lr":                            "0.1",
	"layers":                        "[64, 32]",
	"use-cuda":                      "false",
	"note":                          `"it's <ok>"`,
	"raw":                           "not json",
	"nothing":                       "null",
	"api_token":                     `"supersecret-123"`,
	"sagemaker_submit_directory":    `"s3://bucket/job/source/sourcedir.tar.gz"`,
	"sagemaker_program":             `"train.py"`,
	"sagemaker_container_log_level": "20",
	"sagemaker_job_name":            `"job-1"`,
	"sagemaker_region":              `"us-east-1"`,
}

func TestDecodeHyperParameter(t *testing.T) {
	for in, want := range map[string]string{
		`"adam"`: "adam", `"train.py"`: "train.py", `"a \"b\""`: `a "b"`, `""`: "",
		"3": "3", "0.1": "0.1", "[1, 2]": "[1, 2]", `{"a": 1}`: `{"a": 1}`, "true": "true", "null": "null",
		"adam": "adam", "": "", `"unterminated`: `"unterminated`, "1 2": "1 2",
	} {
		if got := DecodeHyperParameter(in); got != want {
			t.Errorf("DecodeHyperParameter(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseClassic(t *testing.T) {
	if _, ok := ParseClassic(map[string]string{"epochs": "3"}); ok {
		t.Error("a job without the reserved hyperparameters is not classic")
	}
	if _, ok := ParseClassic(map[string]string{ProgramHP: `"train.py"`}); ok {
		t.Error("a job without sagemaker_submit_directory is not classic")
	}
	c, ok := ParseClassic(classicHPs)
	if !ok || c.Program != "train.py" || c.SubmitDirectory != "s3://bucket/job/source/sourcedir.tar.gz" {
		t.Fatalf("ParseClassic: %+v, %v", c, ok)
	}
	if len(c.HyperParameters) != 9 || len(c.Framework) != 5 || c.HyperParameters["optimizer"] != `"adam"` {
		t.Errorf("split: user %v, framework %v", c.HyperParameters, c.Framework)
	}
	want := []string{"--api_token", "supersecret-123", "--epochs", "3", "--layers", "[64, 32]", "--lr", "0.1",
		"--note", "it's <ok>", "--nothing", "null", "--optimizer", "adam", "--raw", "not json", "--use-cuda", "false"}
	if got := c.Args(); !slices.Equal(got, want) {
		t.Errorf("Args:\n got %q\nwant %q", got, want)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
	for _, p := range []string{"", "/etc/x.py", "../x.py", "a/../../x.py", ".", "..", `\x.py`} {
		c.Program = p
		if err := c.Validate(); err == nil {
			t.Errorf("program %q: no error", p)
		}
	}
	c.Program, c.SubmitDirectory = "src/train.py", ""
	if err := c.Validate(); err == nil {
		t.Error("an empty submit directory: no error")
	}
}

func TestClassicEnvironReplacesEncodedHyperparameters(t *testing.T) {
	c, _ := ParseClassic(map[string]string{ProgramHP: `"t.py"`, SubmitDirectoryHP: `"s3://b/k"`, "optimizer": `"adam"`, "epochs": "3"})
	base := append([]string{"PATH=/bin", "SM_MODULE_DIR=mine"}, ToolkitEnv(Layout{Dir: "/r"}, Config{HyperParameters: map[string]string{
		ProgramHP: `"t.py"`, SubmitDirectoryHP: `"s3://b/k"`, "optimizer": `"adam"`, "epochs": "3"}})...)
	env := c.Environ(base, "/r/code")
	var hp []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "SM_HP") || strings.HasPrefix(kv, "SM_MODULE_DIR=") {
			hp = append(hp, kv)
		}
	}
	want := []string{"SM_MODULE_DIR=s3://b/k", `SM_HPS={"epochs":3,"optimizer":"adam"}`, "SM_HP_EPOCHS=3", "SM_HP_OPTIMIZER=adam"}
	if !slices.Equal(hp, want) {
		t.Errorf("got %q\nwant %q", hp, want)
	}
	if !slices.Contains(env, "PATH=/bin") || !slices.Contains(env, "SM_MODEL_DIR=/r/model") {
		t.Errorf("the base variables are lost: %q", env)
	}
}

// classicHost is one host's tree with a source archive unpacked into its
// code folder, as the local endpoint prepares it.
type classicHost struct {
	t      *testing.T
	layout Layout
	code   string
	bin    string // a folder first on PATH, for fake tools
	runner string
}

func newClassicHost(t *testing.T, files map[string]string) *classicHost {
	t.Helper()
	dir := t.TempDir()
	h := &classicHost{t: t, layout: Layout{Dir: filepath.Join(dir, "ml")}, bin: filepath.Join(dir, "bin")}
	h.code = filepath.Join(h.layout.Dir, "code")
	for _, p := range append(h.layout.Dirs(), h.bin, h.code, filepath.Join(dir, "tmp")) {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, body := range files {
		write(t, filepath.Join(h.code, name), body)
	}
	h.runner = filepath.Join(dir, ClassicFile)
	write(t, h.runner, string(ClassicScript()))
	return h
}

func (h *classicHost) fake(name, body string) {
	if err := os.WriteFile(filepath.Join(h.bin, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		h.t.Fatal(err)
	}
}

// run runs the runner for hps as the local endpoint does.
func (h *classicHost) run(hps map[string]string, extraEnv ...string) (string, error) {
	h.t.Helper()
	c, ok := ParseClassic(hps)
	if !ok {
		h.t.Fatal("not a classic job")
	}
	cfg := Config{HyperParameters: hps, InputData: map[string]ChannelConfig{"training": {TrainingInputMode: "File"}}, JobName: "job-1",
		Resource: ResourceConfig{CurrentHost: "algo-1", CurrentInstanceType: "ml.m5.xlarge", Hosts: HostNames(1), NetworkInterfaceName: "lo"}}
	if err := h.layout.WriteConfig(cfg); err != nil {
		h.t.Fatal(err)
	}
	base := append([]string{
		"PATH=" + h.bin + ":" + os.Getenv("PATH"),
		"HOME=" + h.layout.Dir,
		"TMPDIR=" + filepath.Join(filepath.Dir(h.layout.Dir), "tmp"),
		"SM_NUM_CPUS=4",
		"SM_NUM_GPUS=0",
		"SM_PYTHON_CMD=python3",
	}, ToolkitEnv(h.layout, cfg)...)
	cmd := exec.Command("/bin/sh", h.runner)
	cmd.Dir = h.layout.Dir
	cmd.Env = append(c.Environ(base, h.code), extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return strings.ReplaceAll(out.String(), filepath.Dir(h.layout.Dir), "ROOT"), err
}

func (h *classicHost) failure() string {
	b, _ := os.ReadFile(h.layout.FailureFile())
	return string(b)
}

// The program's arguments and environment, against a fixture.
func TestClassicRunnerArgumentsAndEnvironment(t *testing.T) {
	h := newClassicHost(t, map[string]string{"train.py": "unused: python3 is faked"})
	h.fake("python3", `for a in "$@"; do echo "arg<$a>"; done; echo "pwd $(pwd)"; env | grep '^SM_' | sort`+"\n")
	out, err := h.run(classicHPs)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "smcore classic:") && l != "" {
			lines = append(lines, l)
		}
	}
	golden(t, "classic", strings.Join(lines, "\n")+"\n")
	if strings.Contains(out, "supersecret-123") {
		t.Errorf("the secret hyperparameter's value reached the log:\n%s", out)
	}
	if !strings.Contains(out, "smcore classic: running python3 train.py --api_token ******** --epochs 3") {
		t.Errorf("the command line is not logged (masked):\n%s", out)
	}
}

func TestClassicRunnerScriptsAndCommands(t *testing.T) {
	hps := map[string]string{SubmitDirectoryHP: `"s3://b/s.tar.gz"`, "name": `"a b"`}
	for program, body := range map[string]string{
		"run.sh":     `echo "sh $# <$1> <$2>" "$(pwd)"`,
		"bin/runner": "#!/bin/sh\necho \"cmd $# <$1> <$2>\"\n",
	} {
		h := newClassicHost(t, map[string]string{program: body})
		hps[ProgramHP] = `"` + program + `"`
		out, err := h.run(hps)
		if err != nil {
			t.Fatalf("%s: %v\n%s", program, err, out)
		}
		want := "sh 2 <--name> <a b> ROOT/ml/code\n"
		if program != "run.sh" {
			want = "cmd 2 <--name> <a b>\n"
		}
		if !strings.Contains(out, want) {
			t.Errorf("%s: want %q in\n%s", program, want, out)
		}
	}
}

func TestClassicRunnerFailureFile(t *testing.T) {
	h := newClassicHost(t, map[string]string{"train.sh": "echo \"Traceback: boom with $SM_HP_API_TOKEN\" >&2\nexit 3\n"})
	hps := map[string]string{SubmitDirectoryHP: `"s3://b/s.tar.gz"`, ProgramHP: `"train.sh"`, "api_token": `"supersecret-123"`}
	out, err := h.run(hps)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Fatalf("want exit status 3, got %v\n%s", err, out)
	}
	f := h.failure()
	if !strings.Contains(f, "status 3") || !strings.Contains(f, "Traceback: boom with ********") || strings.Contains(f, "supersecret") {
		t.Errorf("failure file: %q", f)
	}

	// A program missing from the archive says so.
	h = newClassicHost(t, nil)
	hps[ProgramHP] = `"missing.py"`
	if out, err := h.run(hps); err == nil {
		t.Fatalf("no error\n%s", out)
	}
	if f := h.failure(); !strings.Contains(f, "the entry point missing.py (sagemaker_program) is not in the source archive s3://b/s.tar.gz") {
		t.Errorf("failure file: %q", f)
	}
}

// requirements.txt goes into a per-job virtual environment (python3 faked:
// its venv module makes a venv whose python logs what it is asked).
func TestClassicRunnerRequirements(t *testing.T) {
	h := newClassicHost(t, map[string]string{"train.py": "", "requirements.txt": "numpy\n"})
	h.fake("python3", `if [ "$1 $2" = "-m venv" ]; then
	[ "$3" = --system-site-packages ] || exit 9
	mkdir -p "$4/bin"
	printf '#!/bin/sh\necho "venv python $*"\n' >"$4/bin/python"
	chmod +x "$4/bin/python"
	exit 0
fi
echo "system python $*"
`)
	hps := map[string]string{SubmitDirectoryHP: `"s3://b/s.tar.gz"`, ProgramHP: `"train.py"`, "epochs": "3"}
	out, err := h.run(hps)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"installing requirements.txt into ROOT/tmp/smcore-venv-job-1-algo-1\n",
		"venv python -m pip install --disable-pip-version-check -r requirements.txt\n",
		"venv python train.py --epochs 3\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in\n%s", want, out)
		}
	}
	// A failing install fails the job, saying so.
	h = newClassicHost(t, map[string]string{"train.py": "", "requirements.txt": "numpy\n"})
	h.fake("python3", `if [ "$1 $2" = "-m venv" ]; then mkdir -p "$4/bin"; printf '#!/bin/sh\nexit 1\n' >"$4/bin/python"; chmod +x "$4/bin/python"; fi`+"\n")
	if out, err := h.run(hps); err == nil {
		t.Fatalf("no error\n%s", out)
	}
	if f := h.failure(); f != "installing requirements.txt failed\n" {
		t.Errorf("failure file: %q", f)
	}
}

func TestClassicScriptIsPOSIXWithLF(t *testing.T) {
	s := ClassicScript()
	if bytes.Contains(s, []byte("\r")) || !bytes.HasPrefix(s, []byte("#!/bin/sh\n")) {
		t.Fatal("sm_classic.sh must start with #!/bin/sh and hold no carriage return")
	}
	for _, sh := range []string{"dash", "bash", "busybox"} {
		p, err := exec.LookPath(sh)
		if err != nil {
			continue
		}
		f := filepath.Join(t.TempDir(), ClassicFile)
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

// Both scripts take the shared filter, which masks every sensitive word.
func TestScriptsTakeTheFilter(t *testing.T) {
	for name, s := range map[string][]byte{DriverFile: DriverScript(), ClassicFile: ClassicScript()} {
		if bytes.Contains(s, filterLine) || !bytes.Contains(s, filterScript) {
			t.Errorf("%s does not hold the filter", name)
		}
	}
	for _, w := range sensitiveWords {
		if !bytes.Contains(filterScript, []byte(w)) {
			t.Errorf("the filter does not mask %s", w)
		}
	}
}
