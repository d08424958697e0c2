#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# splat-check.sh LOG: print the kernel splats (tests/splat-patterns) found in
# a console log, with a few lines of context; exit 1 if there is any.
set -eu
. "$(dirname "$0")/lib.sh"
pat=$TOP/tests/splat-patterns
if grep -n -E -f <(grep -v '^#' "$pat") "$1" >/dev/null; then
	echo "splat in ${1#"$TOP"/}:"
	grep -n -E -A8 -f <(grep -v '^#' "$pat") "$1" | head -n 60
	exit 1
fi
exit 0
