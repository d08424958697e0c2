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
if [ -n "$rev" ]; then
	git rev-parse -q --verify "$rev^{commit}" >/dev/null || die "no revision $rev in build/linux"
	git grep -l -e rcu_read_unlock "$rev" -- 'drivers/*.[ch]' 'include/*.h' |
		sed "s#^$rev:##" >"$tmp/cand"
	src=$tmp/src
	while read -r f; do
		mkdir -p "$src/$(dirname "$f")"
		git show "$rev:$f" >"$src/$f"
	done <"$tmp/cand"
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
	(cd "$src" && xargs -r spatch --very-quiet -D report --no-includes --include-headers \
		--sp-file "$sp" <"$tmp/files") >"$log" 2>&1 || rc=$?
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
		mkdir -p "$tmp/base/$(dirname "$f")"
		git show "base:$f" >"$tmp/base/$f" 2>/dev/null || { missed="$missed $f(not-at-base)"; continue; }
		(cd "$tmp/base" && spatch --very-quiet -D report --no-includes --include-headers \
			--sp-file "$sp" "$f") >"$CL/$name.base.log" 2>&1 || true
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
