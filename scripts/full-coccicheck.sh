#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-full.sh's coccicheck check (run it as `scripts/check-full.sh
# coccicheck`; the shared parts are in scripts/full-lib.sh):
#
#   coccicheck  every script of scripts/coccinelle (MODE=report) on every
#               .c/.h file the series changes, base vs HEAD, the way `make
#               C=2 CHECK=scripts/coccicheck` runs them on one file; fails on
#               new reports.
#
# FULL_COCCI_DIRS: whole directories instead (make coccicheck M=<dir> for
# each; reports on unchanged files count too).
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/full-lib.sh"

# The series' .c/.h files as "BASE-PATH HEAD-PATH" lines, "-" where the file
# does not exist (added, deleted); a renamed file keeps its pair.
cocci_files() {
	git -C "$LINUX" diff --name-status -M "$BASE_SHA" "$HEAD_SHA" -- '*.c' '*.h' |
		awk -F'\t' '$1 ~ /^R/ { print $2, $3; next }
			    $1 == "A" { print "-", $2; next }
			    $1 == "D" { print $2, "-"; next }
			    { print $2, $2 }'
}

# cocci_units COL PAIRS: the units coccicheck runs on at base (COL 1) or
# HEAD (COL 2): FULL_COCCI_DIRS, else that side of cocci_files' PAIRS
cocci_units() {
	if [ -n "${FULL_COCCI_DIRS:-}" ]; then
		printf '%s\n' $FULL_COCCI_DIRS
	else
		echo "$2" | awk -v c="$1" '$c != "-" { print $c }'
	fi
}

# norm_cocci LOG SHA: the reports of LOG as "FILE: MESSAGE | CODE", CODE
# being the reported line of FILE at SHA, blanks squeezed: a report keeps
# its key when lines move, not when it moves to other code.
norm_cocci() {
	grep -E "^($SRC/)?[^ :]+\.[ch]:[0-9]+" "$1" |
		sed -E -e "s#$SRC/##g" -e 's#^([^ :]+):([0-9]+)(:[0-9]+(-[0-9]+)?)?:#\1 \2#' \
			-e 's#(lines?) [0-9]+(,[0-9]+)*#\1 N#g' |
		CODE_LINUX=$LINUX CODE_SHA=$2 awk "$AWK_CANON$AWK_CODE"'
			{	f = $1; l = $2
				sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]*/, ""); sub(/[ \t]+$/, "")
				print f ": " $0 " | " code(f, l) }' |
		sort || true
}

# coccicheck_unit U LOG: the reports of every script on U, once per script
# (so that one failing script does not stop the others); exit 1 if any
# failed.  U is a directory (FULL_COCCI_DIRS: make coccicheck M=U) or a
# file: scripts/coccicheck in the "online" mode `make C=2
# CHECK=scripts/coccicheck` runs it in, with each script's own Options and
# kbuild's x86_64 include paths, without compiling anything.
coccicheck_unit() {
	local u=$1 log=$2 s rc=0
	: >"$log"
	for s in $COCCI_SCRIPTS; do
		echo "### $s" >>"$log"
		if [ -d "$SRC/$u" ]; then
			nice -n "$NICE" make -C "$SRC" O="$OUT_COC" coccicheck MODE=report \
				M="$SRC/$u" COCCI="$SRC/$s" J="$JOBS" >>"$log" 2>&1
		else
			env -u SPFLAGS -u DEBUG_FILE -u SPATCH -u KBUILD_EXTMOD \
				C=1 MODE=report V=0 COCCI="$SRC/$s" srctree="$SRC" \
				LINUXINCLUDE="$COCCI_INC" nice -n "$NICE" \
				"$SRC/scripts/coccicheck" "$SRC/$u" >>"$log" 2>&1
		fi || { rc=1; echo "### FAILED: $s" >>"$log"; }
	done
	return $rc
}

# coccicheck_run LABEL UNIT...: coccicheck_unit on each unit, $JOBS files
# at a time (a directory runs alone: make coccicheck is parallel itself),
# all logs into $C/LABEL.log; exit 1 if a script failed anywhere or a unit
# left no exit status (so that an incomplete log is never cached)
coccicheck_run() {
	local label=$1 u d=$C/$label-units i=0 jobs=$JOBS rc
	shift
	[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
	rm -rf "$d" && mkdir -p "$d"
	for u; do
		i=$((i + 1))
		if [ -d "$SRC/$u" ]; then
			rc=0; coccicheck_unit "$u" "$d/$i.log" || rc=$?
			echo $rc >"$d/$i.rc"
			continue
		fi
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
		{ rc=0; coccicheck_unit "$u" "$d/$i.log" || rc=$?; echo $rc >"$d/$i.rc"; } &
	done
	wait
	: >"$C/$label.log"
	for i in $(seq 1 $#); do
		cat "$d/$i.log" >>"$C/$label.log" || return 1
		[ "$(cat "$d/$i.rc" 2>/dev/null)" = 0 ] || return 1
	done
}

check_coccicheck() {
	local C=$FL/coccicheck sha label key rc t0 skip units pairs col
	rm -rf "$C" && mkdir -p "$C"
	need_pkgs coccinelle
	if dry_run; then
		pairs=$(cocci_files)
		say "coccicheck: (dry run) the kernel's scripts on $(cocci_units 1 "$pairs" | grep -c .) unit(s) at base," \
			"$(cocci_units 2 "$pairs" | grep -c .) at HEAD (the cache is not looked up: its key needs HEAD checked out)"
		cocci_units 1 "$pairs" | sed 's/^/      base /'
		cocci_units 2 "$pairs" | sed 's/^/      head /'
		return 0
	fi
	mkdir -p "$OUT_COC"
	checkout "$HEAD_SHA"
	COCCI_SCRIPTS=$(cd "$SRC" && find scripts/coccinelle -name '*.cocci' | sort)
	# Scripts with OCaml rules need the OCaml compiler (Debian: ocaml,
	# ~430 MB); without it they are skipped and named.
	if ! command -v ocamlopt >/dev/null && ! command -v ocamlopt.opt >/dev/null; then
		skip=$(cd "$SRC" && grep -l '^@ *\(script\|initialize\|finalize\) *: *ocaml' $COCCI_SCRIPTS || true)
		COCCI_SCRIPTS=$(echo "$COCCI_SCRIPTS" | grep -vxF -f <(echo "$skip") || true)
		say "note: coccicheck: no OCaml compiler, skipping $(echo $skip)"
	fi
	# kbuild's x86_64 LINUXINCLUDE without the generated headers (no build
	# dir is involved, so a result depends on the revision only)
	COCCI_INC="-I$SRC/arch/x86/include -I$SRC/include -I$SRC/arch/x86/include/uapi"
	COCCI_INC="$COCCI_INC -I$SRC/include/uapi -include $SRC/include/linux/compiler-version.h"
	COCCI_INC="$COCCI_INC -include $SRC/include/linux/kconfig.h"
	# By default the files the series changes: a script reports on the file
	# it reads.  Blind spots: the few scripts that read headers for types
	# (unsigned_lesser_than_zero: --all-includes) could report on an
	# unchanged file after a header's type change, and code spatch cannot
	# parse yields no report at all (as with make coccicheck).
	pairs=$(cocci_files)
	say "coccicheck: $(spatch --version 2>&1 | head -n 1); $(echo "$COCCI_SCRIPTS" | wc -l) scripts;" \
		"${FULL_COCCI_DIRS:+M= $FULL_COCCI_DIRS}${FULL_COCCI_DIRS:-$(echo "$pairs" | wc -l) files the series changes}"
	echo 0 >"$C/base.rc"
	echo 0 >"$C/head.rc"
	for label in base head; do
		if [ $label = base ]; then sha=$BASE_SHA col=1; else sha=$HEAD_SHA col=2; fi
		units=$(cocci_units $col "$pairs")
		key=$CACHE/cocci-$sha-$(printf '%s\n' v2 $units "$(spatch --version 2>&1 | head -n 1)" \
			$COCCI_SCRIPTS "$COCCI_INC" | sed "s#$BUILD/##g" | md5sum | cut -c1-16)
		if [ "${FULL_NOCACHE:-}" != 1 ] && [ -f "$key.log" ]; then
			cp "$key.log" "$C/$label.log"
			say "$label: cached result of an earlier run"
		else
			checkout "$sha"
			t0=$(date +%s)
			say "$label: coccicheck MODE=report on $(echo "$units" | wc -l) unit(s), $JOBS at a time (log: ${C#"$TOP"/}/$label.log)"
			rc=0
			coccicheck_run $label $units || rc=$?
			sed -i "s#$SRC/##g" "$C/$label.log"	# cached logs outlive $SRC
			if [ "$rc" = 0 ]; then
				cp "$C/$label.log" "$key.log"
			else
				echo 1 >"$C/$label.rc"
				say "  failed: $(sed -n 's/^### FAILED: //p' "$C/$label.log" | sort | uniq -c | tr '\n' ' ')"
			fi
			say "  done in $(($(date +%s) - t0))s"
		fi
		norm_cocci "$C/$label.log" "$sha" >"$C/$label.warn"
		say "  $label: $(wc -l <"$C/$label.warn") report(s)"
	done
	# a renamed file's base reports count under its new name
	echo "$pairs" | awk '$1 != "-" && $2 != "-" && $1 != $2 { print $1, $2 }' |
		while read -r from to; do
			awk -v f="$from: " -v t="$to: " \
				'index($0, f) == 1 { $0 = t substr($0, length(f) + 1) } { print }' \
				"$C/base.warn" >"$C/base.warn.tmp"
			mv "$C/base.warn.tmp" "$C/base.warn"
		done
	sort -o "$C/base.warn" "$C/base.warn"
	sort -o "$C/head.warn" "$C/head.warn"
	comm -13 "$C/base.warn" "$C/head.warn" >"$C/new-reports.txt"
	if [ -s "$C/new-reports.txt" ]; then
		say "coccicheck: new reports at HEAD:"
		sed 's/^/      | /' "$C/new-reports.txt" | head -n 50
		"$TOP/scripts/result.sh" FAIL full/coccicheck/new-reports
	else
		"$TOP/scripts/result.sh" PASS full/coccicheck/new-reports
	fi
	if [ "$(cat "$C/base.rc")$(cat "$C/head.rc")" != 00 ]; then
		say "coccicheck: some scripts failed to run (see the logs' '### FAILED' lines)"
		"$TOP/scripts/result.sh" FAIL full/coccicheck/run
	fi
}

check_coccicheck
