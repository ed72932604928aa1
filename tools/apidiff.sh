#!/usr/bin/env bash
# make apidiff: the Go side of an API update. Checks that api/*.txt, the
# committed listing of the exported API of the library packages, is up to
# date, and prints golang.org/x/exp/apidiff's report of incompatible and
# compatible changes against a baseline commit built in a temporary git
# worktree. See docs/updating.md.
#
#   bash tools/apidiff.sh            # what `make apidiff` runs
#   BASE=HEAD~3 bash tools/apidiff.sh  # report against any commit
#   UPDATE=1 bash tools/apidiff.sh   # rewrite api/*.txt (make apidiff-update)
#
# The baseline, unless BASE is set: the working tree's API differs from the
# listing committed at HEAD -> the commit that last changed api/ (the last
# recorded API), so the report shows what the working tree changes; it is
# the same -> that commit's parent, so the report shows what the last
# recorded API change did (what CI prints).
#
# Exit status: 1 when api/ is stale (the API changed and api/ was not
# rewritten), or on an error; the report itself never fails the check.
# Without git history (a shallow clone) the report is skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(./shapes ./resources ./waiters ./logtail ./highlevel ./smconfig ./imageuris)
MODULE=github.com/smcore-go/smcore
# golang.org/x/exp has no releases; this pseudo-version is the one checked.
APIDIFF_VERSION=${APIDIFF_VERSION:-v0.0.0-20261113113407-e3970619a1a4}
GO=${GO:-go}
start=$(date +%s)

if [ -n "${UPDATE:-}" ]; then
	$GO run ./tools/apilist -o api "${PKGS[@]}"
	echo "apidiff: rewrote api/ ($(cat api/*.txt | wc -l) lines); commit it with the change"
	exit 0
fi

tmp=$(mktemp -d)
# The baseline's worktree has a fixed path inside this worktree's git
# folder: the Go build cache keys compiled packages by their folder, so a
# second run against the same baseline compiles nothing.
worktree=""
remove_worktree() {
	if [ -n "$worktree" ]; then
		git worktree remove --force "$worktree" >/dev/null 2>&1 || rm -rf "$worktree"
		git worktree prune
	fi
}
cleanup() {
	remove_worktree
	rm -rf "$tmp"
}
trap cleanup EXIT

# 1. The listing of the working tree's API, and whether it matches the
#    committed one (api/ in the working tree) and HEAD's.
$GO build -o "$tmp/apilist" ./tools/apilist
"$tmp/apilist" -o "$tmp/api" "${PKGS[@]}"
same_as_head=true
for f in "$tmp"/api/*.txt; do
	if ! git show "HEAD:api/$(basename "$f")" 2>/dev/null | cmp -s - "$f"; then
		same_as_head=false
	fi
done

# 2. The baseline.
describe() { git log -1 --format='%h (%as, "%<(60,trunc)%s")' "$1" | sed 's/ *")$/")/'; }
base=${BASE:-}
what=""
if [ -n "$base" ]; then
	what="the working tree against $base"
elif last=$(git log -1 --format=%H -- api/ 2>/dev/null) && [ -n "$last" ]; then
	if $same_as_head; then
		if base=$(git rev-parse -q --verify "$last^" 2>/dev/null); then
			what="the last recorded API change, $(describe "$last"), against its parent"
		else
			base=""
			what="nothing: the commit that recorded api/ has no parent here"
		fi
	else
		base=$last
		what="the working tree against the last recorded API, $(describe "$last")"
	fi
else
	what="nothing: no commit records api/ (no git history, or api/ never committed)"
fi
echo "apidiff: reporting $what"

# 3. The report: apidiff -w writes each package's export data in the
#    baseline's worktree; apidiff compares it with the working tree's.
if [ -n "$base" ]; then
	if ! git rev-parse -q --verify "$base^{commit}" >/dev/null 2>&1; then
		echo "apidiff: baseline $base is not in this clone (shallow?): report skipped"
		base=""
	fi
fi
# Neither a failed build of apidiff nor a failed checkout fails the check:
# the report is information, a stale listing is what fails.
if [ -n "$base" ] && ! GOBIN="$tmp/bin" $GO install "golang.org/x/exp/cmd/apidiff@$APIDIFF_VERSION" 2>"$tmp/err"; then
	echo "apidiff: cannot build golang.org/x/exp/cmd/apidiff@$APIDIFF_VERSION: report skipped"
	sed 's/^/  /' "$tmp/err" | head -20
	base=""
fi
if [ -n "$base" ]; then
	worktree="$(git rev-parse --absolute-git-dir)/smcore-apidiff-base"
	remove_worktree
	if ! git worktree add --detach -q "$worktree" "$base" 2>"$tmp/err"; then
		echo "apidiff: cannot check out $base: report skipped"
		sed 's/^/  /' "$tmp/err" | head -20
		base=""
		worktree=""
	fi
fi
if [ -n "$base" ]; then
	total_incompatible=0
	total_compatible=0
	for p in "${PKGS[@]}"; do
		path="$MODULE/${p#./}"
		name=$(basename "$p")
		echo
		echo "== $path"
		if [ ! -d "$worktree/${p#./}" ]; then
			echo "(new package: not in the baseline)"
			continue
		fi
		if ! (cd "$worktree" && "$tmp/bin/apidiff" -w "$tmp/$name.export" "$path") 2>"$tmp/err"; then
			echo "(baseline does not build: $(head -c 2000 "$tmp/err"))"
			continue
		fi
		"$tmp/bin/apidiff" "$tmp/$name.export" "$path" >"$tmp/$name.report"
		if [ -s "$tmp/$name.report" ]; then
			cat "$tmp/$name.report"
		else
			echo "(no changes)"
		fi
		# Count the "- " lines under each header.
		read -r inc com < <(awk '/^Incompatible changes:/{s="i";next} /^Compatible changes:/{s="c";next} /^- /{if(s=="i")i++; else if(s=="c")c++} END{print i+0, c+0}' "$tmp/$name.report")
		total_incompatible=$((total_incompatible + inc))
		total_compatible=$((total_compatible + com))
	done
	echo
	echo "apidiff: $total_incompatible incompatible, $total_compatible compatible changes"
fi

# 4. Stale listing: fail, saying how to fix it.
echo
if "$tmp/apilist" -check api "${PKGS[@]}"; then
	echo "apidiff: api/ is up to date ($(( $(date +%s) - start )) s)"
else
	echo "apidiff: api/ is stale: the exported API changed; review the report above, run 'make apidiff-update' and commit api/ ($(( $(date +%s) - start )) s)"
	exit 1
fi
