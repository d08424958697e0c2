#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: set up, then lint, kunit and vm-test, each recording verdicts
# in build/results.txt; a failing part does not stop the others.  Ends with
# the line "N passed, N failed".
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
run kunit make -C "$TOP" --no-print-directory kunit
run vm-test make -C "$TOP" --no-print-directory vm-test
say "make check: $(($(date +%s) - t0))s in all"
"$TOP/scripts/result.sh" summary
