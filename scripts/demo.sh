#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo [BASE=1]: build the guest kernel with the series (or, BASE=1, the
# unpatched base), boot it, and run tests/vm/demo.sh: vgem issues fences,
# userspace holds them as sync_files and in a udmabuf, vgem is unloaded,
# userspace queries, polls, merges and closes them.  Narrates the result.
set -eu
. "$(dirname "$0")/lib.sh"

if [ "${BASE:-0}" = 1 ]; then
	what="the unpatched base"
	export SRC=$BUILD/base-src GUEST_OUT=$BUILD/out/guest-base BASE_TREE=1
	if ! git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$LINUX" worktree prune
		git -C "$LINUX" worktree add -q --detach "$SRC" base
	fi
	git -C "$SRC" checkout -q --detach base
else
	what="the series ($(git -C "$LINUX" rev-list --count base..HEAD) patches)"
fi
say "demo on $what"
"$TOP/scripts/build-guest.sh"
export RESULTS=$BUILD/demo-results.txt VM_TAG=demo VM_FENCES=${VM_FENCES:-200}
rm -f "$RESULTS"
"$TOP/scripts/vm-test.sh" demo >/dev/null
log=$LOGS/demo-console.log

echo
echo "What happened in the guest ($what):"
grep -a -E '^(demo:|step [0-9]|        fence|PASS:|FAIL:)' "$log" | sed 's/^/  /'
if ! "$TOP/scripts/splat-check.sh" "$log" >"$LOGS/demo-splat.txt"; then
	echo "  The kernel reported:"
	grep -a -m1 -E -f <(grep -v '^#' "$TOP/tests/splat-patterns") "$log" | sed 's/^/    /'
	grep -a -m1 '^RIP: 0010:' "$log" | sed 's/^/    /'
	awk '/Call Trace:/ { t = 1; next } t && /^ [a-z_]/ { print "    called from " $1; if (++n == 3) exit }' "$log"
	if [ "${BASE:-0}" = 1 ]; then
		echo "VERDICT: $what: the kernel crashed after vgem was unloaded, as expected: this is the bug the series removes (console: ${log#"$TOP"/})"
		exit 0
	fi
	echo "VERDICT: $what: the kernel crashed or reported memory misuse after the issuer was unloaded (console: ${log#"$TOP"/})"
	exit 1
fi
if grep -aq '^PASS:' "$log"; then
	echo "VERDICT: $what: fences outlived their issuer's module; no splat, no leak"
	exit 0
fi
echo "VERDICT: $what: the demo did not complete (console: ${log#"$TOP"/})"
exit 1
