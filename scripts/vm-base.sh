#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-base.sh [SCENARIO...]: run the guest scenarios (default: those of
# tests/vm/scenarios) on the unpatched base, one boot each, since a scenario
# that crashes the base kernel would end the boot, and print what happened
# to each, next to the verdicts of the series' last `make vm-test`:
#
#   | scenario | base | series |
#
# The table also goes to build/logs/vm-base.md.  The series is expected to
# pass everything; on the base, the unload scenarios crash or report memory
# misuse, and sw_sync, built in there, cannot be unloaded at all.  Not part
# of `make check`: it documents the bug, it does not gate the series.
set -eu
. "$(dirname "$0")/lib.sh"

export SRC=$BUILD/base-src GUEST_OUT=$BUILD/out/guest-base BASE_TREE=1
if ! git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$LINUX" worktree prune
	git -C "$LINUX" worktree add -q --detach "$SRC" base
fi
git -C "$SRC" checkout -q --detach base
if [ $# -eq 0 ]; then
	set -- $(grep -v '^#' "$TOP/tests/vm/scenarios")
fi
"$TOP/scripts/build-guest.sh"

series_log=$LOGS/vm-console.log
table=$LOGS/vm-base.md
{
	echo "| scenario | base ($(git -C "$LINUX" log -1 --format=%h base)) | series |"
	echo "| --- | --- | --- |"
} >"$table"
for t; do
	log=$LOGS/base-$t-console.log
	RESULTS=$BUILD/base-results.txt VM_TAG=base-$t "$TOP/scripts/vm-test.sh" "$t" >/dev/null 2>&1 || true
	if ! "$TOP/scripts/splat-check.sh" "$log" >/dev/null 2>&1; then
		what=$(grep -a -m1 -E -f <(grep -v '^#' "$TOP/tests/splat-patterns") "$log" |
			sed -E 's/^\[ *[0-9.]+\] //' | cut -c1-100)
		rip=$(grep -a -m1 '^RIP: 0010:' "$log" | sed 's/^RIP: 0010://' | cut -d' ' -f1)
		base="crash: ${what}${rip:+ at $rip}"
	elif grep -aq "^VMTEST: PASS $t " "$log"; then
		base=PASS
	elif grep -aq "^VMTEST: FAIL $t " "$log"; then
		base="FAIL: $(grep -a -E '^(FAIL:|cycle [0-9]+:)' "$log" | head -n 1 | cut -c1-100)"
	else
		base="no verdict (guest hung?)"
	fi
	series=$(grep -a -o "^VMTEST: \(PASS\|FAIL\|SKIP\) $t ([0-9]*s" "$series_log" 2>/dev/null |
		sed -E "s/^VMTEST: ([A-Z]+) $t \(/\1 (/; s/$/)/" || true)
	echo "| $t | $base | ${series:-not run} |" | tee -a "$table"
done
say "table: ${table#"$TOP"/}"
