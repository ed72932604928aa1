package trainingcontract

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"path"
	"strings"
)

// The classic script-mode contract: what the classic SageMaker Python SDK
// (v2: Estimator with a source_dir, and every Framework) sends, and what
// the sagemaker-training toolkit inside a framework image does with it.
// The job names no ContainerEntrypoint; every hyperparameter value is
// JSON-encoded ("\"adam\"", "3"), among them the reserved sagemaker_*
// ones: sagemaker_submit_directory is where sourcedir.tar.gz is, and
// sagemaker_program the entry point inside it. The toolkit unpacks the
// archive into /opt/ml/code, installs requirements.txt, and runs the
// program with the decoded user hyperparameters as --name value.
//
// sm_classic.sh is smcore's stand-in for the toolkit, for the local
// endpoint's process executor: the endpoint unpacks the archive (safely,
// in Go) and sets the environment (Classic.Environ); the script does the
// rest.

// The reserved hyperparameters of a classic script-mode job.
const (
	SubmitDirectoryHP = "sagemaker_submit_directory"
	ProgramHP         = "sagemaker_program"
	LogLevelHP        = "sagemaker_container_log_level"
)

// ClassicFile is the classic runner's file name.
const ClassicFile = "sm_classic.sh"

//go:embed driver/sm_classic.sh
var classicScript []byte

// ClassicScript is the classic runner, sm_classic.sh: POSIX sh, LF line
// endings.
func ClassicScript() []byte { return withFilter(classicScript) }

// Classic is a classic script-mode job.
type Classic struct {
	// SubmitDirectory is sagemaker_submit_directory, decoded: the s3://
	// URI of sourcedir.tar.gz (or, with network isolation, its path in
	// the code channel).
	SubmitDirectory string
	// Program is sagemaker_program, decoded: the entry point, relative to
	// the archive's root.
	Program string
	// HyperParameters are the user's (every one but sagemaker_*), as sent:
	// JSON-encoded.
	HyperParameters map[string]string
	// Framework are the reserved sagemaker_* hyperparameters, as sent.
	Framework map[string]string
}

// ParseClassic reads a job's hyperparameters: ok is false unless they
// hold both sagemaker_submit_directory and sagemaker_program.
func ParseClassic(hps map[string]string) (c Classic, ok bool) {
	submit, ok1 := hps[SubmitDirectoryHP]
	program, ok2 := hps[ProgramHP]
	if !ok1 || !ok2 {
		return Classic{}, false
	}
	c = Classic{
		SubmitDirectory: DecodeHyperParameter(submit),
		Program:         DecodeHyperParameter(program),
		HyperParameters: map[string]string{},
		Framework:       map[string]string{},
	}
	for k, v := range hps {
		if strings.HasPrefix(k, "sagemaker_") {
			c.Framework[k] = v
		} else {
			c.HyperParameters[k] = v
		}
	}
	return c, true
}

// Validate reports what makes c unrunnable.
func (c Classic) Validate() error {
	switch p := c.Program; {
	case c.SubmitDirectory == "":
		return fmt.Errorf("%s is empty", SubmitDirectoryHP)
	case p == "":
		return fmt.Errorf("%s is empty", ProgramHP)
	case path.IsAbs(p) || strings.HasPrefix(p, "\\") || path.Clean(p) == "." ||
		path.Clean(p) == ".." || strings.HasPrefix(path.Clean(p), "../"):
		return fmt.Errorf("%s %q: must be a file inside the source archive", ProgramHP, p)
	}
	return nil
}

// DecodeHyperParameter is a value as the toolkit decodes it: a JSON
// string is its text, any other JSON value stays as written, and a value
// that is not JSON (sent by hand, unencoded) is kept as is.
func DecodeHyperParameter(v string) string {
	if s, ok := jsonString(v); ok {
		return s
	}
	return v
}

// jsonString is the text of v if v is a JSON string (null, which
// json.Unmarshal takes into a string as "", is not).
func jsonString(v string) (string, bool) {
	var s string
	if !strings.HasPrefix(strings.TrimLeft(v, " \t\r\n"), `"`) || json.Unmarshal([]byte(v), &s) != nil {
		return "", false
	}
	return s, true
}

// hpJSON is a value in SM_HPS: a JSON string's text as a string, any other
// JSON value as written, a value that is not JSON as a string.
func hpJSON(v string) json.RawMessage {
	if _, ok := jsonString(v); !ok && json.Valid([]byte(v)) {
		return json.RawMessage(v)
	}
	return marshal(DecodeHyperParameter(v))
}

// marshal is v as JSON without encoding/json's escaping of <, > and &
// (Python's json.dumps, which the toolkit uses, leaves them). The values
// here (strings, valid JSON, string lists) always marshal.
func marshal(v any) []byte {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return []byte(strings.TrimSuffix(b.String(), "\n"))
}

// Args are the program's arguments: the user hyperparameters, decoded, as
// --name value, by name.
func (c Classic) Args() []string {
	dec := make(map[string]string, len(c.HyperParameters))
	for k, v := range c.HyperParameters {
		dec[k] = DecodeHyperParameter(v)
	}
	return HyperParameterArgs(dec, false)
}

// Env are the toolkit's script-mode variables, with codeDir where the
// archive was unpacked (/opt/ml/code in a container): SM_MODULE_DIR (the
// submit directory), SM_USER_ENTRY_POINT, SM_MODULE_NAME, SM_HPS and
// SM_HP_<NAME> of the user hyperparameters decoded, SM_USER_ARGS (JSON),
// SM_FRAMEWORK_PARAMS (the sagemaker_* ones, decoded), SM_LOG_LEVEL; and
// the runner's own SMCORE_CODE_DIR and SMCORE_USER_ARGS (the arguments as
// sh words).
func (c Classic) Env(codeDir string) []string {
	hps := make(map[string]json.RawMessage, len(c.HyperParameters))
	for k, v := range c.HyperParameters {
		hps[k] = hpJSON(v)
	}
	fw := make(map[string]json.RawMessage, len(c.Framework))
	for k, v := range c.Framework {
		fw[k] = hpJSON(v)
	}
	args := c.Args()
	hpsJSON, fwJSON, argsJSON := marshal(hps), marshal(fw), marshal(nonNil(args))
	level := "20"
	if v, ok := c.Framework[LogLevelHP]; ok && DecodeHyperParameter(v) != "" {
		level = DecodeHyperParameter(v)
	}
	module := path.Base(c.Program)
	module = strings.TrimSuffix(strings.TrimSuffix(module, ".py"), ".sh")
	env := []string{
		"SM_MODULE_DIR=" + c.SubmitDirectory,
		"SM_USER_ENTRY_POINT=" + c.Program,
		"SM_MODULE_NAME=" + module,
		"SM_HPS=" + string(hpsJSON),
	}
	for _, k := range sortedKeys(c.HyperParameters) {
		env = append(env, "SM_HP_"+EnvName(k)+"="+DecodeHyperParameter(c.HyperParameters[k]))
	}
	return append(env,
		"SM_USER_ARGS="+string(argsJSON),
		"SM_FRAMEWORK_PARAMS="+string(fwJSON),
		"SM_LOG_LEVEL="+level,
		"SMCORE_CODE_DIR="+codeDir,
		"SMCORE_USER_ARGS="+QuoteList(args),
	)
}

// Environ is the runner's environment: base, a job's environment made
// with ToolkitEnv from the hyperparameters as sent, without its SM_HPS
// and SM_HP_* (encoded, and listing the sagemaker_* ones, which the
// toolkit keeps apart), then Env. As the toolkit's, these variables win
// over the job's own of the same name.
func (c Classic) Environ(base []string, codeDir string) []string {
	add := c.Env(codeDir)
	names := make(map[string]bool, len(add))
	for _, kv := range add {
		k, _, _ := strings.Cut(kv, "=")
		names[k] = true
	}
	out := make([]string, 0, len(base)+len(add))
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if names[k] || k == "SM_HPS" || strings.HasPrefix(k, "SM_HP_") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, add...)
}
