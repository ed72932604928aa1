# The output filter of smcore's scripts (sm_train.sh, sm_classic.sh), put
# in place of their "# smcore:filter" line when they are embedded
# (filter.go). The script runs itself again with every line it writes
# going through awk, which masks the values of variables whose names mark
# them secret and keeps the last lines for the failure file.
if [ "${SMCORE_FILTERED:-}" != 1 ]; then
	SMCORE_FILTERED=1
	export SMCORE_FILTERED
	tmp=${TMPDIR:-/tmp}
	status=$(mktemp "$tmp/smcore-status.XXXXXX") || exit 1
	tail=$(mktemp "$tmp/smcore-tail.XXXXXX") || exit 1
	{
		/bin/sh "$0" "$@"
		echo $? >"$status"
	} 2>&1 | awk -v tail="$tail" '
		BEGIN {
			n = 0
			for (k in ENVIRON) {
				u = toupper(k)
				if (u ~ /SECRET|PASSWORD|TOKEN|KEY|PRIVATE|CREDS|CREDENTIALS/ && length(ENVIRON[k]) >= 8) {
					masks[++n] = ENVIRON[k]
				}
			}
			keep = 20
		}
		{
			line = $0
			for (i = 1; i <= n; i++) {
				out = ""
				while ((p = index(line, masks[i])) > 0) {
					out = out substr(line, 1, p - 1) "********"
					line = substr(line, p + length(masks[i]))
				}
				line = out line
			}
			print line
			fflush()
			last[NR % keep] = line
		}
		END {
			first = NR - keep + 1
			if (first < 1) first = 1
			for (i = first; i <= NR; i++) print last[i % keep] > tail
		}'
	code=$(cat "$status" 2>/dev/null)
	code=${code:-1}
	if [ "$code" != 0 ] && [ ! -s "$SM_OUTPUT_FAILURE" ]; then
		mkdir -p "$(dirname -- "$SM_OUTPUT_FAILURE")"
		{
			printf 'the training script exited with status %s; its last output:\n' "$code"
			cat "$tail"
		} >"$SM_OUTPUT_FAILURE"
	fi
	rm -f "$status" "$tail"
	exit "$code"
fi
