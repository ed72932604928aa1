#!/usr/bin/env bash
# buildcost.sh — what does package shapes (or resources) add to a program's build?
#
# Builds two small programs of this module (so both use go.mod's versions),
# chosen by PAIR:
#   PAIR=shapes (default)
#     bench/buildcost/sdkonly        a CreateTrainingJob request with the SDK types only
#     bench/buildcost/withshapes     the same request as shapes.CreateTrainingJobRequest,
#                                    validated and converted with ToSDK
#   PAIR=resources
#     bench/buildcost/sdkresources   DescribeTrainingJob, the SDK's
#                                    TrainingJobCompletedOrStopped waiter and its
#                                    ListTrainingJobs paginator, raw SDK client
#     bench/buildcost/withresources  the same through package resources:
#                                    GetTrainingJob, job.Wait, range ListTrainingJobs
# Below, "sdkonly" and "withshapes" stand for the pair's baseline and measured
# program. Each is built from a fresh, empty GOCACHE (the module cache is shared; nothing is
# downloaded after the initial `go mod download`), interleaved
# sdkonly, withshapes, sdkonly, withshapes, … REPEATS times, and prints the
# wall time and binary size of every build, the medians and the ratios
# withshapes/sdkonly against the goals (time ≤ 1.3×, size ≤ 1.2×).
#
# It also reports, for information, the incremental cost of shapes (for
# PAIR=resources: of resources, shapes and waiters): after each
# cold sdkonly build, its cache (which then holds the standard library and the
# SDK) is reused to build withshapes — i.e. compiling shapes plus linking —
# and to relink sdkonly (linking only), so warm(withshapes) − relink(sdkonly)
# estimates the compile of shapes alone. When jq is installed, the compile
# time of shapes as recorded by `go build -debug-actiongraph` is shown too,
# and so is a load-robust estimate of the cold time ratio: shapes imports the
# sagemaker package, the biggest compile of the SDK, so its compile sits on
# the build's critical path, between that package and the link; hence
# estimate = cold(withshapes) / (cold(withshapes) - compile(shapes)), both
# taken from the same build, which other load on the machine skews less than
# the ratio of two separate builds. For PAIR=resources the compile actions of
# resources and of shapes are both reported; resources imports shapes, so
# both compiles sit on the critical path, one after the other, and the
# estimate subtracts their sum.
#
# Environment: PAIR (shapes or resources, default shapes), REPEATS (default 3),
# GO (default go), GRAPHS (a directory: when set, the action graphs of the
# builds are copied there, e.g. to follow the critical path afterwards).
# The last line is machine-readable (the keys are the same for both pairs:
# shapes_s, shapes_bytes, ... are those of the pair's measured program):
#   buildcost: time_ratio=1.23 size_ratio=1.05 ... pair=shapes
set -euo pipefail

REPEATS=${REPEATS:-3}
GO=${GO:-go}
PAIR=${PAIR:-shapes}
TIME_GOAL=1.3
SIZE_GOAL=1.2
SHAPES_PKG=github.com/smcore-go/smcore/shapes
RESOURCES_PKG=github.com/smcore-go/smcore/resources

# BASE, MEAS: the pair's programs under bench/buildcost; ADDED: what MEAS
# adds, for the messages.
case $PAIR in
shapes) BASE=sdkonly MEAS=withshapes ADDED=shapes ;;
resources) BASE=sdkresources MEAS=withresources ADDED=resources+shapes ;;
*)
	echo "buildcost: PAIR must be shapes or resources, got '$PAIR'" >&2
	exit 2
	;;
esac

case $REPEATS in '' | *[!0-9]* | 0)
	echo "buildcost: REPEATS must be a positive integer, got '$REPEATS'" >&2
	exit 2
	;;
esac

# GRAPHS is relative to the caller's directory, not to the one we move to.
if [ -n "${GRAPHS:-}" ]; then GRAPHS=$(realpath -m -- "$GRAPHS"); fi
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/buildcost.XXXXXX")
cleanup() {
	# Build caches may contain read-only files: make them removable first.
	chmod -R u+w "$work" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
# sub A B: A-B with 2 decimals.
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
# ratio A B: A/B with 3 decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else printf "n/a" }'; }
# median V...: the median of the arguments (mean of the middle two when even).
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR % 2) { printf "%s", v[(NR + 1) / 2]; exit }
			m = (v[NR / 2] + v[NR / 2 + 1]) / 2
			if (m == int(m)) printf "%d", m; else printf "%.3f", m
		}'
}
# verdict RATIO GOAL: PASS or OVER.
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r == "n/a") ? "n/a" : (r <= g) ? "PASS" : "OVER" }'; }

# build CACHE PROG OUT [ARGS...]: go build PROG into OUT with GOCACHE=CACHE;
# prints "WALL CPU": wall-clock seconds and the user+system CPU seconds of the
# go command and everything it ran. Call it as $(build ...): in that subshell
# the children's CPU times, which the `times` builtin reports, start at zero.
build() {
	local cache=$1 prog=$2 out=$3
	shift 3
	local t0 t1
	t0=$(now)
	GOCACHE=$cache "$GO" build "$@" -o "$out" "./bench/buildcost/$prog" || return
	t1=$(now)
	# `times` prints the shell's own times, then its children's: "0m1.5s 0m0.2s".
	# It must run in this shell, not in a pipeline's subshell, hence the file.
	times >"$work/times.$BASHPID"
	awk -v a="$t1" -v b="$t0" 'NR == 2 {
		cpu = 0
		for (i = 1; i <= 2; i++) { split($i, f, /[ms]/); cpu += f[1] * 60 + f[2] }
		printf "%.3f %.3f", a - b, cpu
	}' "$work/times.$BASHPID"
}

size() { stat -c %s "$1"; }

# pkg_compile GRAPH PKG: seconds spent compiling PKG, from an action graph.
pkg_compile() {
	if command -v jq >/dev/null 2>&1 && [ -s "$1" ]; then
		jq -r --arg p "$2" \
			'[.[] | select(.Mode == "build" and .Package == $p) | (.CmdReal // 0)] | add // 0 | . / 1e9 | . * 100 | round / 100' "$1"
	else
		echo "n/a"
	fi
}
# shapes_compile GRAPH: seconds spent compiling shapes.
shapes_compile() { pkg_compile "$1" "$SHAPES_PKG"; }
# added_compile GRAPH: seconds of the compiles the measured program adds on
# the critical path: shapes, plus resources for PAIR=resources.
added_compile() {
	local c r
	c=$(shapes_compile "$1")
	if [ "$PAIR" = resources ] && [ "$c" != n/a ]; then
		r=$(pkg_compile "$1" "$RESOURCES_PKG")
		c=$(awk -v a="$c" -v b="$r" 'BEGIN { printf "%.2f", a + b }')
	fi
	echo "$c"
}

echo "buildcost: $("$GO" version), $(nproc) CPU(s), REPEATS=$REPEATS, PAIR=$PAIR ($BASE vs $MEAS)"
echo "buildcost: go mod download"
"$GO" mod download
# The programs must compile (in the normal cache) before anything is timed.
"$GO" build -o /dev/null "./bench/buildcost/$BASE" "./bench/buildcost/$MEAS"

declare -a cold_sdk_t cold_sdk_c cold_sdk_s cold_ws_t cold_ws_c cold_ws_s warm_ws_t relink_t shapes_c res_c cold_shapes_c cold_res_c crit
rows=()
# row RUN PROG KIND "WALL CPU" SIZE: one line of the table.
row() {
	local wc=($4)
	rows+=("$(printf '%-3s %-13s %-28s %9s %9s %12s' "$1" "$2" "$3" "${wc[0]}" "${wc[1]}" "$5")")
}

for ((i = 1; i <= REPEATS; i++)); do
	echo "buildcost: repeat $i/$REPEATS ..." >&2
	cache_sdk=$(mktemp -d "$work/cache-sdk-$i.XXXXXX")
	cache_ws=$(mktemp -d "$work/cache-ws-$i.XXXXXX")

	# Cold pair, interleaved: sdkonly then withshapes, each in an empty cache.
	# Both write an action graph (the same small cost on both sides).
	r=$(build "$cache_sdk" "$BASE" "$work/sdkonly-$i" -debug-actiongraph="$work/graph-sdk-$i.json")
	s=$(size "$work/sdkonly-$i")
	cold_sdk_t+=("${r% *}")
	cold_sdk_c+=("${r#* }")
	cold_sdk_s+=("$s")
	row "$i" "$BASE" "cold (empty GOCACHE)" "$r" "$s"

	r=$(build "$cache_ws" "$MEAS" "$work/withshapes-$i" -debug-actiongraph="$work/graph-ws-$i.json")
	s=$(size "$work/withshapes-$i")
	cold_ws_t+=("${r% *}")
	cold_ws_c+=("${r#* }")
	cold_ws_s+=("$s")
	row "$i" "$MEAS" "cold (empty GOCACHE)" "$r" "$s"
	cold_shapes_c+=("$(shapes_compile "$work/graph-ws-$i.json")")
	cold_res_c+=("$(pkg_compile "$work/graph-ws-$i.json" "$RESOURCES_PKG")")
	c=$(added_compile "$work/graph-ws-$i.json")
	if [ "$c" = n/a ]; then crit+=(n/a); else crit+=("$(awk -v w="${r% *}" -v c="$c" 'BEGIN { printf "%.3f", w / (w - c) }')"); fi

	# Informative: incremental cost in the cache the cold sdkonly build left
	# (standard library and SDK compiled). Relinking sdkonly is the baseline
	# (links are not cached; a new output name defeats the up-to-date check).
	r=$(build "$cache_sdk" "$BASE" "$work/sdkonly-relink-$i")
	relink_t+=("${r% *}")
	row "$i" "$BASE" "relink (SDK cache warm)" "$r" "$(size "$work/sdkonly-relink-$i")"

	r=$(build "$cache_sdk" "$MEAS" "$work/withshapes-warm-$i" -debug-actiongraph="$work/graph-warm-$i.json")
	warm_ws_t+=("${r% *}")
	shapes_c+=("$(shapes_compile "$work/graph-warm-$i.json")")
	res_c+=("$(pkg_compile "$work/graph-warm-$i.json" "$RESOURCES_PKG")")
	row "$i" "$MEAS" "incremental (SDK cache warm)" "$r" "$(size "$work/withshapes-warm-$i")"

	if [ -n "${GRAPHS:-}" ]; then
		mkdir -p "$GRAPHS"
		cp "$work/graph-sdk-$i.json" "$GRAPHS/$PAIR-$i-cold-$BASE.json"
		cp "$work/graph-ws-$i.json" "$GRAPHS/$PAIR-$i-cold-$MEAS.json"
		cp "$work/graph-warm-$i.json" "$GRAPHS/$PAIR-$i-incremental-$MEAS.json"
	fi

	# Free the disk as we go; the trap removes whatever is left.
	chmod -R u+w "$cache_sdk" "$cache_ws" 2>/dev/null || true
	rm -rf "$cache_sdk" "$cache_ws"
done

echo
printf '%-3s %-13s %-28s %9s %9s %12s\n' run program build "wall(s)" "cpu(s)" "size(B)"
printf '%s\n' "${rows[@]}"

m_sdk_t=$(median "${cold_sdk_t[@]}")
m_ws_t=$(median "${cold_ws_t[@]}")
m_sdk_c=$(median "${cold_sdk_c[@]}")
m_ws_c=$(median "${cold_ws_c[@]}")
m_sdk_s=$(median "${cold_sdk_s[@]}")
m_ws_s=$(median "${cold_ws_s[@]}")
m_relink=$(median "${relink_t[@]}")
m_warm=$(median "${warm_ws_t[@]}")
time_ratio=$(ratio "$m_ws_t" "$m_sdk_t")
cpu_ratio=$(ratio "$m_ws_c" "$m_sdk_c")
size_ratio=$(ratio "$m_ws_s" "$m_sdk_s")
if [ "${shapes_c[0]}" = n/a ]; then m_shapes=n/a; else m_shapes=$(median "${shapes_c[@]}")s; fi
if [ "${res_c[0]}" = n/a ]; then m_res=n/a; else m_res=$(median "${res_c[@]}")s; fi
if [ "${cold_shapes_c[0]}" = n/a ]; then m_cold_shapes=n/a; else m_cold_shapes=$(median "${cold_shapes_c[@]}")s; fi
if [ "${cold_res_c[0]}" = n/a ]; then m_cold_res=n/a; else m_cold_res=$(median "${cold_res_c[@]}")s; fi
if [ "${crit[0]}" = n/a ]; then m_crit=n/a; else m_crit=$(median "${crit[@]}"); fi

echo
echo "medians over $REPEATS cold build(s):"
printf '  %-13s wall %9ss  cpu %9ss  size %12s B\n' "$BASE" "$m_sdk_t" "$m_sdk_c" "$m_sdk_s"
printf '  %-13s wall %9ss  cpu %9ss  size %12s B\n' "$MEAS" "$m_ws_t" "$m_ws_c" "$m_ws_s"
printf '  time ratio %s/%s: %s (goal <= %s) %s\n' "$MEAS" "$BASE" "$time_ratio" "$TIME_GOAL" "$(verdict "$time_ratio" "$TIME_GOAL")"
printf '  size ratio %s/%s: %s (goal <= %s) %s\n' "$MEAS" "$BASE" "$size_ratio" "$SIZE_GOAL" "$(verdict "$size_ratio" "$SIZE_GOAL")"
printf '  cpu ratio %s/%s:  %s (informative: less sensitive to other load than wall time)\n' "$MEAS" "$BASE" "$cpu_ratio"
printf '  critical-path estimate of the time ratio: %s (informative: cold %s / (same - its %s compile); runs: %s)\n' "$m_crit" "$MEAS" "$ADDED" "${crit[*]}"
if [ "$PAIR" = resources ]; then
	printf '  compile actions in the cold %s builds (go build -debug-actiongraph): resources %s, shapes %s\n' "$MEAS" "$m_cold_res" "$m_cold_shapes"
fi
echo
echo "incremental cost of $ADDED with the SDK already in the cache (informative, medians):"
printf '  %s build %ss, %s relink %ss: %s compile ~ %ss\n' "$MEAS" "$m_warm" "$BASE" "$m_relink" "$ADDED" "$(sub "$m_warm" "$m_relink")"
printf '  shapes compile action (go build -debug-actiongraph): %s\n' "$m_shapes"
if [ "$PAIR" = resources ]; then
	printf '  resources compile action (go build -debug-actiongraph): %s\n' "$m_res"
fi
echo
extra=
if [ "$PAIR" = resources ]; then extra=" resources_compile_s=${m_res%s}"; fi
echo "buildcost: time_ratio=$time_ratio size_ratio=$size_ratio cpu_ratio=$cpu_ratio crit_ratio=$m_crit" \
	"time_goal=$TIME_GOAL size_goal=$SIZE_GOAL" \
	"time=$(verdict "$time_ratio" "$TIME_GOAL") size=$(verdict "$size_ratio" "$SIZE_GOAL")" \
	"sdk_s=$m_sdk_t shapes_s=$m_ws_t sdk_cpu_s=$m_sdk_c shapes_cpu_s=$m_ws_c" \
	"sdk_bytes=$m_sdk_s shapes_bytes=$m_ws_s" \
	"incremental_s=$m_warm relink_s=$m_relink shapes_compile_s=${m_shapes%s}$extra repeats=$REPEATS pair=$PAIR"
