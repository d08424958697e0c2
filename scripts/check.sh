#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: set up, build the guest kernel, then lint, cocci, kunit and vm-test,
# each recording verdicts in build/results.txt; a failing part does not stop
# the others.  Ends with the line "N passed, N failed".
set -eu
. "$(dirname "$0")/lib.sh"

export RESULTS=$BUILD/results.txt
rm -f "$RESULTS"
t0=$(date +%s)
run() {
	local name=$1 t
	t=$(date +%s)
	shift
	say "---- $name"
	"$@" || { echo "$name: failed"; "$TOP/scripts/result.sh" FAIL "$name/ran"; }
	say "---- $name: $(($(date +%s) - t))s"
}
if ! make -C "$TOP" --no-print-directory deps tree; then
	"$TOP/scripts/result.sh" FAIL setup
	"$TOP/scripts/result.sh" summary
	exit 1
fi
run guest make -C "$TOP" --no-print-directory guest
run lint make -C "$TOP" --no-print-directory lint
run cocci "$TOP/scripts/cocci.sh"
say "QEMU acceleration: $("$TOP/scripts/qemu.sh" accel) (KVM only if a probe boot under it works)"
# The two guests run at the same time: each alone leaves a core mostly idle
# (TCG threads of a guest waiting on each other).
run kunit "$TOP/scripts/kunit.sh" >"$LOGS/check-kunit.out" 2>&1 &
kpid=$!
run vm-test "$TOP/scripts/vm-test.sh" >"$LOGS/check-vm-test.out" 2>&1 &
vpid=$!
wait $kpid || true
cat "$LOGS/check-kunit.out"
wait $vpid || true
cat "$LOGS/check-vm-test.out"
say "make check: $(($(date +%s) - t0))s in all"
"$TOP/scripts/result.sh" summary
