#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# result.sh PASS|FAIL NAME...: record one test verdict in $RESULTS.
# result.sh summary: print every failure and the closing "N passed, N failed"
# line; exit 1 if anything failed or nothing ran.
set -eu
. "$(dirname "$0")/lib.sh"
RESULTS=${RESULTS:-$BUILD/results.txt}
case $1 in
PASS|FAIL)
	v=$1
	shift
	echo "$v $*" >>"$RESULTS"
	;;
summary)
	touch "$RESULTS"
	p=$(grep -c '^PASS ' "$RESULTS" || true)
	f=$(grep -c '^FAIL ' "$RESULTS" || true)
	grep '^FAIL ' "$RESULTS" || true
	echo "$p passed, $f failed"
	[ "$f" = 0 ] && [ "$p" -gt 0 ]
	;;
*) die "usage: result.sh PASS|FAIL NAME | summary" ;;
esac
