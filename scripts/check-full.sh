#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Heavier checks than `make check`, for an issue that touches many drivers:
#
#   scripts/check-full.sh [CHECK...]     (default: $FULL_CHECKS, else all
#                                         but boot)
#
# Each check compares the series' HEAD with `base` (build/linux's refs, read
# once at the start) in its own worktree build/full-src and its own build
# dirs build/out/full-*; build/linux is never touched.  This script picks
# the checks and runs each one's script, scripts/full-CHECK.sh, whose header
# says what it does; what they share is in scripts/full-lib.sh.
#
#   headers     W=1 + sparse on the objects of every directory holding a .c
#               file that includes a fence header (x86_64 allmodconfig), at
#               base and HEAD: new warnings, new build errors, a table
#   arm64       the same for the header users x86_64 does not build
#   htmldocs    make htmldocs SPHINXDIRS=driver-api: new warnings
#   coccicheck  the kernel's Coccinelle scripts on the files the series
#               changes: new reports
#   bisect      a build at every commit of base..HEAD of what it touches
#   boot        not in the default set yet (FULL_CHECKS=boot): a boot at
#               every commit that touches dma-buf, sync_file, vgem or
#               sw_sync (guest kernel, dma-buf KUnit suites), and each guest
#               scenario at the first commit it applies to and at HEAD
#
# Environment:
#   FULL_CHECKS       checks to run (arguments win), e.g. "arm64 coccicheck"
#   FULL_BASE/FULL_HEAD   revisions to compare (default base and HEAD)
#   FULL_DIRS         replaces the header-user directory list (headers,
#                     arm64 candidates; bisect only builds dirs in it)
#   FULL_ARM64_DIRS   the arm64 directory list, as is (no x86_64 exclusion)
#   FULL_COCCI_DIRS   coccicheck whole directories instead (make coccicheck
#                     M=<dir> for each; reports on unchanged files count too)
#   FULL_SPHINXDIRS   default driver-api
#   FULL_BISECT_ARCHS bisect's architectures (default "x86_64 arm64")
#   FULL_SRC, FULL_OUT, FULL_LOGS   the worktree, the build dirs' parent
#                     and the logs (default build/full-src, build/out,
#                     build/logs/full): two runs side by side need their own
#                     (the results cache, build/out/full-cache, is shared)
#   FULL_PROBE_ONLY=1 headers/arm64: configure and list the objects that
#                     would be built (per-directory table), build nothing
#   FULL_DRY_RUN=1    say which revisions, commits and directories each
#                     check would build (or take from the results cache);
#                     configure, build, install and record nothing
#   FULL_NOCACHE=1    rebuild even when this revision/dir list/toolchain
#                     was already built (results cache: build/out/full-cache)
#   JOBS              make -j (default: nproc);  NICE  nice level (default 0)
#   RESULTS           verdict file (default build/full-results.txt)
#   VM_FENCES, VM_CYCLES, VM_TIMEOUT   boot: as for make vm-test
#
# One "PASS|FAIL full/<check>/<what>" line per verdict goes to $RESULTS;
# logs are in build/logs/full/<check>/; ends with "N passed, N failed".
set -eu
. "$(dirname "$0")/lib.sh"

DEFAULT_CHECKS="headers arm64 htmldocs coccicheck bisect"
ALL_CHECKS="$DEFAULT_CHECKS boot"
CHECKS=${*:-${FULL_CHECKS:-$DEFAULT_CHECKS}}

for c in $CHECKS; do
	case " $ALL_CHECKS " in *" $c "*) ;; *) die "unknown check '$c' (known: $ALL_CHECKS)" ;; esac
done

# A dry run's logs (the check scripts keep their lists there) and verdicts
# go to a scratch directory; it records no verdict but the failure of a
# check that aborted or found a broken input (a scenario's "# from:" line
# that names no commit), and then exits 1.
if [ "${FULL_DRY_RUN:-}" = 1 ]; then
	FULL_LOGS=$(mktemp -d)
	RESULTS=$FULL_LOGS/results.txt
	export FULL_LOGS RESULTS
	trap 'rm -rf "$FULL_LOGS"' EXIT
fi
. "$(dirname "$0")/full-lib.sh"

#### main

if dry_run; then
	say "dry run: what each check would build; nothing is built, installed or recorded"
else
	rm -f "$RESULTS"
	full_worktree
	need_pkgs sparse ccache
fi
say "full checks: $CHECKS; base $(git -C "$LINUX" log -1 --format='%h' "$BASE_SHA")," \
	"HEAD $(git -C "$LINUX" log -1 --format='%h %s' "$HEAD_SHA" | cut -c1-50), $NCOMMITS commit(s)"
[ "$NCOMMITS" != 0 ] || say "the series is empty: comparing base with itself"
: >"$FL/timings.txt"
for c in $CHECKS; do
	t0=$(date +%s)
	say "== full/$c"
	set +e
	"$TOP/scripts/full-$c.sh"
	rc=$?
	set -e
	if [ "$rc" != 0 ]; then
		say "full/$c aborted (exit $rc)"
		"$TOP/scripts/result.sh" FAIL "full/$c/aborted"
	fi
	say "== full/$c: done in $(($(date +%s) - t0))s"
	echo "$c $(($(date +%s) - t0))s" >>"$FL/timings.txt"
done
if dry_run; then
	! grep -q '^FAIL ' "$RESULTS" 2>/dev/null || exit 1
	exit 0
fi
"$TOP/scripts/result.sh" summary
