#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the project's own Coccinelle checks (tests/cocci/*.cocci) over the
# kernel code that uses fences under RCU:
#
#   scripts/cocci.sh [REV]     (default: build/linux's working tree)
#
# The files checked are the .c/.h files under drivers/ and include/ that
# call rcu_read_unlock() and mention a fence: a few dozen, so a run takes
# seconds, not the hours of a tree-wide coccicheck.  With REV (a commit of
# build/linux, e.g. `base`), the files are taken from that commit.
#
# One "PASS|FAIL cocci/<script>" line per script goes to $RESULTS (default
# build/results.txt), with every report printed; logs in build/logs/cocci/.
# Without REV, a script's "// Reports at base: FILE" lines are checked too
# (PASS|FAIL cocci/<script>/reports-base): the script must still report
# FILE as it is at `base`, so that a script that stopped matching (a
# Coccinelle upgrade, a parse failure) cannot pass by reporting nothing.
# Exits 1 if a script reports anything, fails to run or misses a base case.
set -eu
. "$(dirname "$0")/lib.sh"

RESULTS=${RESULTS:-$BUILD/results.txt}
CL=$LOGS/cocci
rev=${1:-}
rm -rf "$CL"
mkdir -p "$CL"
command -v spatch >/dev/null || die "spatch not found (Debian package coccinelle: make deps)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$LINUX"

# extract REV DIR: write the files named on stdin, as they are at REV, under DIR
extract() {
	local f
	while read -r f; do
		mkdir -p "$2/$(dirname "$f")"
		git show "$1:$f" >"$2/$f" || return
	done
}

# spatch_report SP DIR: run the script SP in report mode over the files
# named on stdin, relative to DIR (reports name them that way)
spatch_report() {
	(cd "$2" && xargs -r spatch --very-quiet -D report --no-includes \
		--include-headers --sp-file "$1")
}

if [ -n "$rev" ]; then
	git rev-parse -q --verify "$rev^{commit}" >/dev/null || die "no revision $rev in build/linux"
	git grep -l -e rcu_read_unlock "$rev" -- 'drivers/*.[ch]' 'include/*.h' |
		sed "s#^$rev:##" >"$tmp/cand"
	src=$tmp/src
	extract "$rev" "$src" <"$tmp/cand"
else
	git grep -l --untracked -e rcu_read_unlock -- 'drivers/*.[ch]' 'include/*.h' >"$tmp/cand"
	src=$LINUX
fi
(cd "$src" && xargs -r grep -lE '\bdma_fence|\bfence\b' <"$tmp/cand") >"$tmp/files" || true
nfiles=$(grep -c . "$tmp/files" || true)
[ "$nfiles" -gt 0 ] || die "no file to check (is build/linux there?)"
say "cocci: $(spatch --version | head -n 1 | cut -d' ' -f1-3); $nfiles file(s) at ${rev:-the working tree}"

bad=0
for sp in "$TOP"/tests/cocci/*.cocci; do
	name=$(basename "$sp" .cocci)
	log=$CL/$name.log
	rc=0
	spatch_report "$sp" "$src" <"$tmp/files" >"$log" 2>&1 || rc=$?
	# reports are "FILE:LINE:COL-COL: message"
	grep -E '^[^ :]+\.[ch]:[0-9]+:' "$log" | sed "s#^$src/##" >"$CL/$name.reports" || true
	if [ "$rc" != 0 ]; then
		say "cocci/$name: spatch failed (exit $rc):"
		tail -n 20 "$log" | sed 's/^/      | /'
		"$TOP/scripts/result.sh" FAIL "cocci/$name"
		bad=1
	elif [ -s "$CL/$name.reports" ]; then
		say "cocci/$name: $(wc -l <"$CL/$name.reports") report(s):"
		sed 's/^/      | /' "$CL/$name.reports"
		"$TOP/scripts/result.sh" FAIL "cocci/$name"
		bad=1
	else
		say "cocci/$name: no report"
		"$TOP/scripts/result.sh" PASS "cocci/$name"
	fi
done

# Each script still reports the base's instances it names.
[ -n "$rev" ] || for sp in "$TOP"/tests/cocci/*.cocci; do
	name=$(basename "$sp" .cocci)
	files=$(sed -n 's#^// Reports at base: ##p' "$sp")
	[ -n "$files" ] || continue
	missed=
	for f in $files; do
		echo "$f" | extract base "$tmp/base" 2>/dev/null || { missed="$missed $f(not-at-base)"; continue; }
		echo "$f" | spatch_report "$sp" "$tmp/base" >"$CL/$name.base.log" 2>&1 || true
		grep -q "^$f:[0-9]" "$CL/$name.base.log" || missed="$missed $f"
	done
	if [ -n "$missed" ]; then
		say "cocci/$name: no longer reports at base:$missed"
		"$TOP/scripts/result.sh" FAIL "cocci/$name/reports-base"
		bad=1
	else
		say "cocci/$name: reports the base's$(printf ' %s' $files)"
		"$TOP/scripts/result.sh" PASS "cocci/$name/reports-base"
	fi
done
exit $bad
