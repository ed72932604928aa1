#!/bin/sh
# smcore's classic script-mode runner (internal/trainingcontract): what the
# sagemaker-training toolkit of a framework image does for a job of the
# classic SageMaker Python SDK, for the local endpoint's process executor.
# POSIX sh, LF line endings; needs nothing but sh, awk, sed and the job's
# own tools (python3 for a .py program or requirements.txt).
#
# The endpoint has unpacked sourcedir.tar.gz into SMCORE_CODE_DIR and set
# the toolkit's variables (trainingcontract.Classic.Environ): the paths,
# SM_USER_ENTRY_POINT, SM_HPS and SM_HP_<NAME> decoded, and the user
# hyperparameters as --name value in SMCORE_USER_ARGS (sh words).
set -u

SM_OUTPUT_DIR=${SM_OUTPUT_DIR:-/opt/ml/output}
SM_OUTPUT_FAILURE=${SM_OUTPUT_FAILURE:-$SM_OUTPUT_DIR/failure}
export SM_OUTPUT_DIR SM_OUTPUT_FAILURE

# Every line the job writes passes through a filter that masks the values
# of variables whose names mark them secret (hyperparameters arrive as
# SM_HP_<NAME>), and keeps the last lines for the failure file: the
# filter of driver/filter.sh, shared with sm_train.sh.
# smcore:filter

fail() {
	printf 'smcore classic: %s\n' "$1" >&2
	if [ ! -s "$SM_OUTPUT_FAILURE" ]; then
		mkdir -p "$(dirname -- "$SM_OUTPUT_FAILURE")"
		printf '%s\n' "$1" >"$SM_OUTPUT_FAILURE"
	fi
	exit "${2:-1}"
}

code_dir=${SMCORE_CODE_DIR:-/opt/ml/code}
program=${SM_USER_ENTRY_POINT:-}
[ -n "$program" ] || fail "SM_USER_ENTRY_POINT is not set: the job names no sagemaker_program"

# What the toolkit finds on the machine and in resourceconfig.json.
if [ -z "${SM_NUM_CPUS:-}" ]; then
	SM_NUM_CPUS=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || echo 1)
fi
if [ -z "${SM_NUM_GPUS:-}" ]; then
	SM_NUM_GPUS=0
	if command -v nvidia-smi >/dev/null 2>&1; then
		SM_NUM_GPUS=$(nvidia-smi --list-gpus 2>/dev/null | grep -c '^GPU' || true)
	fi
fi
if [ -z "${SM_NETWORK_INTERFACE_NAME:-}" ] && [ -r "${SM_INPUT_CONFIG_DIR:-/opt/ml/input/config}/resourceconfig.json" ]; then
	SM_NETWORK_INTERFACE_NAME=$(tr -d '\n' <"${SM_INPUT_CONFIG_DIR:-/opt/ml/input/config}/resourceconfig.json" |
		sed -n 's/.*"network_interface_name"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
fi
SM_NETWORK_INTERFACE_NAME=${SM_NETWORK_INTERFACE_NAME:-eth0}
export SM_NUM_CPUS SM_NUM_GPUS SM_NETWORK_INTERFACE_NAME

echo "smcore classic: job ${TRAINING_JOB_NAME:-} on ${SM_CURRENT_HOST:-} running $program from ${SM_MODULE_DIR:-$code_dir}"
env | grep '^SM_' | sort | sed 's/^/smcore classic: env: /'

cd "$code_dir" || fail "the code folder $code_dir is missing"
[ -f "$program" ] || fail "the entry point $program (sagemaker_program) is not in the source archive ${SM_MODULE_DIR:-}"

SM_PYTHON_CMD=${SM_PYTHON_CMD:-$(command -v python3 || command -v python || true)}
export SM_PYTHON_CMD

# requirements.txt goes into a virtual environment of this job that sees
# the image's (or host's) packages, which are never written to. pip reads
# its own settings (PIP_INDEX_URL, PIP_NO_INDEX, pip.conf) as usual.
if [ -f requirements.txt ]; then
	[ -n "$SM_PYTHON_CMD" ] || fail "requirements.txt needs python3, which this machine does not have"
	venv=${SMCORE_VENV:-${TMPDIR:-/tmp}/smcore-venv-${TRAINING_JOB_NAME:-job}-${SM_CURRENT_HOST:-algo-1}}
	echo "smcore classic: installing requirements.txt into $venv"
	"$SM_PYTHON_CMD" -m venv --system-site-packages "$venv" || fail "cannot create the virtual environment $venv"
	"$venv/bin/python" -m pip install --disable-pip-version-check -r requirements.txt ||
		fail "installing requirements.txt failed"
	PATH=$venv/bin:$PATH
	VIRTUAL_ENV=$venv
	SM_PYTHON_CMD=$venv/bin/python
	export PATH VIRTUAL_ENV SM_PYTHON_CMD
fi

# The decoded user hyperparameters as --name value arguments.
eval "set -- ${SMCORE_USER_ARGS:-}"
case "$program" in
*.py)
	[ -n "$SM_PYTHON_CMD" ] || fail "$program needs python3, which this machine does not have"
	set -- "$SM_PYTHON_CMD" "$program" "$@"
	;;
*.sh) set -- /bin/sh "$program" "$@" ;;
*)
	chmod +x "$program" 2>/dev/null
	set -- "./$program" "$@"
	;;
esac
echo "smcore classic: running $*"
"$@"
code=$?
if [ "$code" != 0 ]; then
	printf 'smcore classic: the training script exited with status %s\n' "$code" >&2
fi
exit "$code"
