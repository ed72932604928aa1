#!/usr/bin/env bash
# Users' go.mod picks the newest SageMaker SDK, not the one smcore pins: build
# and test the library packages against it. In a scratch copy of the repository,
# `go get -u` the SDK (and what it needs), tidy, then go build and go test the
# library packages (not gen/ or the emulator, which are generated against the
# pinned SDK). Prints the SDK version it got; exits non-zero, loudly, when the
# build or a test breaks.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
SDK=github.com/aws/aws-sdk-go-v2/service/sagemaker
PKGS=(./shapes ./resources ./waiters ./logtail ./smconfig ./highlevel)
start=$(date +%s)

pinned=$($GO list -m -f '{{.Version}}' "$SDK")
scratch=$(mktemp -d "${TMPDIR:-/tmp}/smcore-newer-sdk.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# The repository's files as they are in the working tree (tracked files only
# in a git checkout, so build output and editor files stay behind).
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --exclude-standard | while IFS= read -r -d '' f; do
		[ -e "$f" ] && printf '%s\0' "$f"
	done | tar --null -T - -cf - | tar -xf - -C "$scratch"
else
	cp -a . "$scratch"
fi

fail() {
	echo
	echo "newer-sdk: FAILED: $1 with $SDK $newer (smcore pins $pinned)" >&2
	echo "newer-sdk: users whose go.mod selects this SDK cannot build or test smcore" >&2
	exit 1
}

cd "$scratch"
newer=unknown
$GO get -u "$SDK" || fail "go get -u $SDK"
$GO mod tidy || fail "go mod tidy"
newer=$($GO list -m -f '{{.Version}}' "$SDK")
echo "newer-sdk: $SDK $newer (pinned: $pinned)"
$GO list -m -f '{{.Path}} {{.Version}}' github.com/aws/aws-sdk-go-v2 github.com/aws/smithy-go | sed 's/^/newer-sdk:   with /'
$GO build "${PKGS[@]}" || fail "go build ${PKGS[*]}"
$GO test -count=1 "${PKGS[@]}" || fail "go test ${PKGS[*]}"
echo "newer-sdk: ok: ${PKGS[*]} build and pass with $SDK $newer in $(( $(date +%s) - start )) s"
