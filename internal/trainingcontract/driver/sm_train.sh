#!/bin/sh
# smcore's training driver (internal/trainingcontract). POSIX sh, LF line
# endings; needs nothing but sh, awk, sed and the job's own tools. It runs
# in a SageMaker container (paths under /opt/ml) and as a host process of
# the local endpoint (paths from SM_* variables).
set -u

# `sm_train.sh --rsh HOST COMMAND…` is mpirun's stand-in for ssh between
# the local endpoint's hosts (the mpi case below): it runs COMMAND as an
# ssh session on HOST would, through sh, from HOST's HOME and in the
# environment HOST's driver saved (what an ssh session on SageMaker gets
# from /etc/environment, where the Python SDK writes it).
if [ "${1:-}" = --rsh ]; then
	env_file=${SMLOCAL_SHARED_DIR:-}/mpi-${2:-}.env
	if [ ! -r "$env_file" ]; then
		printf 'smcore driver: --rsh: host %s is not up (no %s)\n' "${2:-}" "$env_file" >&2
		exit 255
	fi
	shift 2
	exec env -i /bin/sh -c '. "$1" && { cd 2>/dev/null; exec /bin/sh -c "$2"; }' sh "$env_file" "$*"
fi

drivers=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd) || exit 1
SM_INPUT_DIR=${SM_INPUT_DIR:-/opt/ml/input}
SM_OUTPUT_DIR=${SM_OUTPUT_DIR:-/opt/ml/output}
SM_OUTPUT_FAILURE=${SM_OUTPUT_FAILURE:-$SM_OUTPUT_DIR/failure}
export SM_INPUT_DIR SM_OUTPUT_DIR SM_OUTPUT_FAILURE

# Every line the job writes passes through a filter that masks the values
# of variables whose names mark them secret (hyperparameters arrive as
# SM_HP_<NAME>), and keeps the last lines for the failure file.
# The secrets to mask are among env.sh's variables too.
if [ -r "$drivers/env.sh" ]; then . "$drivers/env.sh"; fi
# smcore:filter

fail() {
	printf 'smcore driver: %s\n' "$1" >&2
	if [ ! -s "$SM_OUTPUT_FAILURE" ]; then
		mkdir -p "$(dirname -- "$SM_OUTPUT_FAILURE")"
		printf '%s\n' "$1" >"$SM_OUTPUT_FAILURE"
	fi
	exit "${2:-1}"
}

# The static environment the trainer wrote (paths, channels,
# hyperparameters, hosts, what to run).
. "$drivers/env.sh" || fail "cannot read $drivers/env.sh"

# A value of resourceconfig.json (flat string members only).
resource() {
	tr -d '\n' <"$SM_INPUT_CONFIG_DIR/resourceconfig.json" |
		sed -n 's/.*"'"$1"'"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p'
}
[ -r "$SM_INPUT_CONFIG_DIR/resourceconfig.json" ] || fail "missing $SM_INPUT_CONFIG_DIR/resourceconfig.json"

# The values that differ per host.
SM_CURRENT_HOST=$(resource current_host)
SM_CURRENT_INSTANCE_TYPE=$(resource current_instance_type)
SM_CURRENT_INSTANCE_GROUP=$(resource current_group_name)
SM_NETWORK_INTERFACE_NAME=$(resource network_interface_name)
SM_NETWORK_INTERFACE_NAME=${SM_NETWORK_INTERFACE_NAME:-eth0}
[ -n "$SM_CURRENT_HOST" ] || fail "resourceconfig.json names no current_host"
SM_CURRENT_HOST_RANK=
i=0
for h in $SMCORE_HOSTS; do
	if [ "$h" = "$SM_CURRENT_HOST" ]; then SM_CURRENT_HOST_RANK=$i; fi
	i=$((i + 1))
done
[ -n "$SM_CURRENT_HOST_RANK" ] || fail "host $SM_CURRENT_HOST is not one of the job's hosts ($SMCORE_HOSTS)"
if [ -z "${SM_NUM_CPUS:-}" ]; then
	SM_NUM_CPUS=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || echo 1)
fi
if [ -z "${SM_NUM_GPUS:-}" ]; then
	SM_NUM_GPUS=0
	if command -v nvidia-smi >/dev/null 2>&1; then
		SM_NUM_GPUS=$(nvidia-smi --list-gpus 2>/dev/null | grep -c '^GPU' || true)
	fi
fi
SM_NUM_NEURONS=${SM_NUM_NEURONS:-0}
export SM_CURRENT_HOST SM_CURRENT_INSTANCE_TYPE SM_CURRENT_INSTANCE_GROUP SM_NETWORK_INTERFACE_NAME
export SM_CURRENT_HOST_RANK SM_NUM_CPUS SM_NUM_GPUS SM_NUM_NEURONS

jsonstr() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
SM_TRAINING_ENV="{\"job_name\":$(jsonstr "${TRAINING_JOB_NAME:-}"),\"current_host\":$(jsonstr "$SM_CURRENT_HOST"),\"current_instance_type\":$(jsonstr "$SM_CURRENT_INSTANCE_TYPE"),\"hosts\":$SM_HOSTS,\"host_count\":$SM_HOST_COUNT,\"current_host_rank\":$SM_CURRENT_HOST_RANK,\"master_addr\":$(jsonstr "$SM_MASTER_ADDR"),\"master_port\":$SM_MASTER_PORT,\"num_cpus\":$SM_NUM_CPUS,\"num_gpus\":$SM_NUM_GPUS,\"channels\":$SM_CHANNELS,\"hyperparameters\":$SM_HPS,\"model_dir\":$(jsonstr "$SM_MODEL_DIR"),\"input_dir\":$(jsonstr "$SM_INPUT_DIR"),\"output_dir\":$(jsonstr "$SM_OUTPUT_DIR"),\"output_data_dir\":$(jsonstr "$SM_OUTPUT_DATA_DIR"),\"source_dir\":$(jsonstr "$SM_SOURCE_DIR"),\"entry_script\":$(jsonstr "${SM_ENTRY_SCRIPT:-}")}"
export SM_TRAINING_ENV

echo "smcore driver: job ${TRAINING_JOB_NAME:-} on $SM_CURRENT_HOST (rank $SM_CURRENT_HOST_RANK of $SM_HOST_COUNT, $SM_NUM_CPUS CPUs, $SM_NUM_GPUS GPUs)"
echo "smcore driver: resourceconfig.json: $(cat "$SM_INPUT_CONFIG_DIR/resourceconfig.json")"
if [ -r "$SM_INPUT_CONFIG_DIR/inputdataconfig.json" ]; then
	echo "smcore driver: inputdataconfig.json: $(cat "$SM_INPUT_CONFIG_DIR/inputdataconfig.json")"
fi
env | grep '^SM_' | grep -v '^SM_TRAINING_ENV=' | sort | sed 's/^/smcore driver: env: /'

cd "$SM_SOURCE_DIR" || fail "the source code folder $SM_SOURCE_DIR is missing"
if [ -n "${SMCORE_SOURCE_ARCHIVE:-}" ]; then
	tar -xzf "$SMCORE_SOURCE_ARCHIVE" || fail "cannot unpack $SMCORE_SOURCE_ARCHIVE"
fi

SM_PYTHON_CMD=${SM_PYTHON_CMD:-$(command -v python3 || command -v python || true)}
export SM_PYTHON_CMD

# Requirements go into a virtual environment of this job that sees the
# image's packages; the image's (or host's) Python is never written to.
# pip reads its own settings (PIP_INDEX_URL, PIP_NO_INDEX, pip.conf) as
# usual.
if [ -n "${SMCORE_REQUIREMENTS:-}" ]; then
	[ -n "$SM_PYTHON_CMD" ] || fail "requirements need python3, which this image does not have"
	venv=${SMCORE_VENV:-${TMPDIR:-/tmp}/smcore-venv-${TRAINING_JOB_NAME:-job}-$SM_CURRENT_HOST}
	echo "smcore driver: installing $SMCORE_REQUIREMENTS into $venv"
	"$SM_PYTHON_CMD" -m venv --system-site-packages "$venv" || fail "cannot create the virtual environment $venv"
	"$venv/bin/python" -m pip install --disable-pip-version-check -r "$SMCORE_REQUIREMENTS" ||
		fail "installing $SMCORE_REQUIREMENTS failed"
	PATH=$venv/bin:$PATH
	VIRTUAL_ENV=$venv
	SM_PYTHON_CMD=$venv/bin/python
	export PATH VIRTUAL_ENV SM_PYTHON_CMD
fi

# The hyperparameters as --name value arguments.
eval "set -- $SMCORE_HP_ARGS"

run() {
	echo "smcore driver: running $*"
	"$@"
}

# nap waits a little between polls (sleep's fractions are not POSIX).
nap() { sleep 0.2 2>/dev/null || sleep 1; }

entry() {
	case "$SM_ENTRY_SCRIPT" in
	*.py) set -- "$SM_PYTHON_CMD" "$SM_ENTRY_SCRIPT" "$@" ;;
	*)
		chmod +x "$SM_ENTRY_SCRIPT" 2>/dev/null
		case "$SM_ENTRY_SCRIPT" in
		/*) set -- "$SM_ENTRY_SCRIPT" "$@" ;;
		*) set -- "./$SM_ENTRY_SCRIPT" "$@" ;;
		esac
		;;
	esac
	run "$@"
}

case "${SMCORE_DISTRIBUTED:-}" in
'')
	if [ -n "${SMCORE_COMMAND:-}" ]; then
		if [ "${SMCORE_COMMAND_ARGS:-}" = 1 ]; then
			echo "smcore driver: running $SMCORE_COMMAND $*"
			eval "$SMCORE_COMMAND \"\$@\""
		else
			echo "smcore driver: running $SMCORE_COMMAND"
			eval "$SMCORE_COMMAND"
		fi
	else
		entry "$@"
	fi
	;;
torchrun)
	nproc=${SMCORE_PROCESSES_PER_HOST:-}
	if [ -z "$nproc" ]; then
		nproc=$SM_NUM_GPUS
		[ "$nproc" != 0 ] || nproc=$SM_NUM_NEURONS
		[ "$nproc" != 0 ] || nproc=1
	fi
	NCCL_SOCKET_IFNAME=$SM_NETWORK_INTERFACE_NAME
	NCCL_PROTO=simple
	# Gloo (CPU) otherwise takes the address the host name resolves to,
	# which need not be the job's interface (locally, loopback).
	GLOO_SOCKET_IFNAME=${GLOO_SOCKET_IFNAME:-$SM_NETWORK_INTERFACE_NAME}
	export NCCL_SOCKET_IFNAME NCCL_PROTO GLOO_SOCKET_IFNAME
	if [ "$SM_HOST_COUNT" -gt 1 ]; then
		set -- --nnodes="$SM_HOST_COUNT" --nproc_per_node="$nproc" \
			--master_addr="$SM_MASTER_ADDR" --master_port="$SM_MASTER_PORT" --node_rank="$SM_CURRENT_HOST_RANK" \
			"$SM_ENTRY_SCRIPT" "$@"
	else
		set -- --nnodes=1 --nproc_per_node="$nproc" "$SM_ENTRY_SCRIPT" "$@"
	fi
	# torch 1.x on Python 3.11+ (Debian 12's python3-torch 1.13): the
	# launcher fails on its own defaults (Std.from_str looks "0" up by
	# iterating an IntFlag, which no longer yields NONE or ALL), so it runs
	# with that function fixed.
	probe='import sys
from importlib.metadata import version
print("fix" if sys.version_info >= (3, 11) and version("torch").split(".")[0] in ("0", "1") else "ok")'
	if [ "$("$SM_PYTHON_CMD" -c "$probe" 2>/dev/null)" = fix ]; then
		echo "smcore driver: running $SM_PYTHON_CMD -m torch.distributed.run $* (its Std.from_str fixed for torch 1.x on Python 3.11+)"
		"$SM_PYTHON_CMD" -c 'import re, runpy
from torch.distributed.elastic.multiprocessing import api
def from_str(cls, vm):
    if re.fullmatch(r"\d", vm):
        return cls(int(vm))
    if re.fullmatch(r"(\d:[0-3],)*\d:[0-3]", vm):
        return {int(i): cls(int(v)) for i, v in (m.split(":") for m in vm.split(","))}
    raise ValueError(vm + " is neither a digit nor local_rank:digit,...")
api.Std.from_str = classmethod(from_str)
runpy.run_module("torch.distributed.run", run_name="__main__", alter_sys=True)' "$@"
	else
		run "$SM_PYTHON_CMD" -m torch.distributed.run "$@"
	fi
	;;
mpi)
	nproc=${SMCORE_PROCESSES_PER_HOST:-}
	if [ -z "$nproc" ]; then
		nproc=$SM_NUM_GPUS
		[ "$nproc" != 0 ] || nproc=1
	fi
	# On SageMaker mpirun reaches the other hosts (algo-N) by ssh. The
	# local endpoint's hosts are processes of one machine, with no ssh and
	# no algo-N names: they meet in the folder SMLOCAL_SHARED_DIR instead
	# (where it exists: not in a container), where each saves its
	# environment and the first host's mpirun starts every host's
	# processes through this driver's --rsh (Open MPI takes the host
	# names as they are; they need not resolve).
	shared=
	if [ -d "${SMLOCAL_SHARED_DIR:-}" ]; then shared=$SMLOCAL_SHARED_DIR; fi
	done_file=${SMCORE_MPI_DONE:-${shared:+$shared/mpi-done}}
	done_file=${done_file:-/tmp/smcore-mpi-done}
	if [ -n "$shared" ]; then
		(umask 077 && export -p >"$shared/mpi-$SM_CURRENT_HOST.env.tmp") &&
			mv -f "$shared/mpi-$SM_CURRENT_HOST.env.tmp" "$shared/mpi-$SM_CURRENT_HOST.env" ||
			fail "cannot save this host's environment in $shared"
	fi
	if [ "$SM_CURRENT_HOST_RANK" != 0 ]; then
		# mpirun on the first host starts this host's ranks; this host
		# waits until the first host says the run is over.
		echo "smcore driver: MPI worker $SM_CURRENT_HOST waiting for $SM_MASTER_ADDR"
		while [ ! -e "$done_file" ]; do nap; done
		exit 0
	fi
	if [ -n "$shared" ]; then
		for h in $SMCORE_HOSTS; do
			if [ ! -e "$shared/mpi-$h.env" ]; then
				echo "smcore driver: waiting for MPI host $h"
				while [ ! -e "$shared/mpi-$h.env" ]; do nap; done
			fi
		done
		# Open MPI splits the agent's command at blanks.
		case $drivers in
		*[[:space:]]*) fail "the driver's folder $drivers holds a blank: mpirun cannot run it as its remote shell" ;;
		esac
		OMPI_MCA_plm_rsh_agent=${OMPI_MCA_plm_rsh_agent:-/bin/sh $drivers/${0##*/} --rsh}
		export OMPI_MCA_plm_rsh_agent
	fi
	hosts=
	for h in $SMCORE_HOSTS; do hosts=${hosts:+$hosts,}$h:$nproc; done
	eval "run mpirun --host \"\$hosts\" -np $((SM_HOST_COUNT * nproc)) --allow-run-as-root --tag-output \
		-mca btl_tcp_if_include \"\$SM_NETWORK_INTERFACE_NAME\" -mca oob_tcp_if_include \"\$SM_NETWORK_INTERFACE_NAME\" \
		-mca plm_rsh_no_tree_spawn 1 -mca pml ob1 -mca btl ^openib -mca orte_abort_on_non_zero_status 1 \
		-mca btl_vader_single_copy_mechanism none -mca plm_rsh_num_concurrent \"\$SM_HOST_COUNT\" \
		-x NCCL_SOCKET_IFNAME=\"\$SM_NETWORK_INTERFACE_NAME\" -x LD_LIBRARY_PATH -x PATH ${SMCORE_MPI_OPTIONS:-} \
		\"\$SM_PYTHON_CMD\" -m mpi4py \"\$SM_ENTRY_SCRIPT\" \"\$@\""
	code=$?
	if [ -z "$shared" ]; then
		for h in $SMCORE_HOSTS; do
			if [ "$h" != "$SM_CURRENT_HOST" ] && command -v ssh >/dev/null 2>&1; then
				ssh "$h" touch "$done_file" || true
			fi
		done
	fi
	touch "$done_file" 2>/dev/null
	(exit "$code")
	;;
*)
	fail "unknown distributed driver $SMCORE_DISTRIBUTED"
	;;
esac
code=$?
if [ "$code" != 0 ]; then
	printf 'smcore driver: the training script exited with status %s\n' "$code" >&2
fi
exit "$code"
