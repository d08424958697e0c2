#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lint every patch of the series, one commit at a time, oldest first:
#
#   scripts/lint.sh [REV_RANGE]        (default: base..HEAD of build/linux)
#
# For each commit, in the worktree build/lint-src (never build/linux's own
# checkout) and the out-of-tree build dir build/out/lint, configured like
# the guest kernel (olddefconfig over tests/kunit/debug.config,
# tests/vm/guest.config, the series' .kunitconfig files,
# tests/vm/optional.config and tests/lint/lint.config):
#
#   checkpatch       scripts/checkpatch.pl --strict on the format-patch
#                    output; any ERROR, WARNING or CHECK fails.
#   build-w1-sparse  every touched .c whose object the config builds is
#                    compiled with W=1 C=1 at the commit and at its parent;
#                    fails if the object does not build at the commit or if
#                    it has warnings (line/column numbers stripped, compared
#                    as multisets) that the parent does not have.
#   kernel-doc       scripts/kernel-doc -none -Wall (as netdev's CI and the
#                    doc maintainers run it) on every touched .c/.h that has
#                    kernel-doc comments; fails on warnings the file did not
#                    have at the parent.  (W=1 would also run kernel-doc on
#                    compiled files, without -Wall; that is switched off in
#                    the build so each warning is reported once, here.)
#
# One "PASS|FAIL lint/<NNNN-subject>/<check>" line per patch and check is
# appended to $RESULTS, failures are shown with their offending lines, full
# logs are in build/logs/lint/.  Exits 1 if any check failed.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -le 1 ] || die "usage: $0 [REV_RANGE]"
RANGE=${1:-base..HEAD}
SRC=${LINT_SRC:-$BUILD/lint-src}
OUT=${LINT_OUT:-$BUILD/out/lint}
RESULTS=${RESULTS:-$BUILD/results.txt}
JOBS=${JOBS:-2}
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2024-11-17}
LL=$LOGS/lint
KCONFIGS=':(glob)**/Kconfig*'

# A single revision means that one commit.
case $RANGE in *..*|*^!|*^@|*^-*) ;; *) RANGE="$RANGE^!" ;; esac
commits=$(git -C "$LINUX" rev-list --reverse "$RANGE") ||
	die "cannot resolve '$RANGE' in $LINUX"
if [ -z "$commits" ]; then
	say "no patches in $RANGE: nothing to lint"
	exit 0
fi
set -- $commits
say "linting $# patch(es) in $RANGE"

rm -rf "$LL/objs" "$LL/tmp"
mkdir -p "$LL/objs" "$LL/tmp" "$OUT" "$(dirname "$RESULTS")"

if ! git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
	# -f: also when a removed lint-src is still registered
	step "create worktree ${SRC#"$TOP"/}" lint/worktree.log \
		git -C "$LINUX" worktree add -f --detach "$SRC" "$1"
fi

MAKE_LINT() {
	make -C "$SRC" O="$OUT" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" \
		W=1 C=1 CF="$SPARSE_CF" cmd_checkdoc= "$@"
}

# Read by every make of an object build (through MAKEFILES): in the
# Makefile.build instances of the directories above the object, print
# whether kbuild builds the object with this configuration (y or m: the
# object's own directory, or the one whose composite object it is part of,
# like i915's gt/), or n from the object's own directory.  A directory the
# configuration does not descend into prints nothing.
PROBE=$OUT/.lint-probe.mk
cat >"$PROBE" <<'EOF'
ifneq ($(filter $(obj)/%,$(LINT_OBJ)),)
$(LINT_OBJ): lint-probe
.PHONY: lint-probe
lint-probe:
	@echo 'LINT-PROBE $(if $(filter $(LINT_OBJ),$(real-obj-y) $(lib-y)),y,$(if $(filter $(LINT_OBJ),$(real-obj-m)),m,$(if $(filter $(obj),$(patsubst %/,%,$(dir $(LINT_OBJ)))),n)))'
endif
EOF

# (Re)configure $OUT for the tree checked out in $SRC when the fragments or
# any Kconfig file changed since it was last configured.
configure() {
	local frags="$TOP/tests/kunit/debug.config $TOP/tests/vm/guest.config" dir at
	while read -r dir _; do
		case "$dir" in ''|'#'*) continue ;; esac
		if [ -f "$SRC/$dir/.kunitconfig" ]; then
			frags="$frags $SRC/$dir/.kunitconfig"
		fi
	done <"$TOP/tests/kunit/suites"
	cat $frags "$TOP/tests/lint/lint.config" | grep '^CONFIG_' | sort -u >"$OUT/.config.want"
	cat $frags "$TOP/tests/vm/optional.config" "$TOP/tests/lint/lint.config" >"$OUT/.config.frag"
	at=$(cat "$OUT/.lint-config-at" 2>/dev/null || echo none)
	if [ -f "$OUT/.config" ] && cmp -s "$OUT/.config.frag" "$OUT/.config.frag.used" &&
	   git -C "$SRC" diff --quiet "$at" HEAD -- "$KCONFIGS" 2>/dev/null; then
		return 0
	fi
	rm -f "$OUT/.lint-config-at"
	cp "$OUT/.config.frag" "$OUT/.config"
	step "configure lint build at $(git -C "$SRC" log -1 --format='%h %s' | cut -c1-60)" \
		lint/config.log make -C "$SRC" O="$OUT" ARCH=x86_64 CC="ccache gcc" olddefconfig || return
	cp "$OUT/.config.frag" "$OUT/.config.frag.used"
	git -C "$SRC" rev-parse HEAD >"$OUT/.lint-config-at"
	while IFS='=' read -r opt val; do
		case "$val" in
		n) grep -qx "$opt=.*" "$OUT/.config" || continue ;;
		*) grep -qx "$opt=$val" "$OUT/.config" && continue ;;
		esac
		say "note: lint config asks for $opt=$val but got $(grep -x "$opt=.*" "$OUT/.config" || echo unset)"
	done <"$OUT/.config.want"
	step "prepare lint build dir" lint/prepare.log MAKE_LINT prepare
}

# Check out commit $1 in $SRC and configure $OUT for it.
cur=
goto() {
	[ "$cur" = "$1" ] && return 0
	cur=
	git -C "$SRC" checkout -q -f --detach "$1"
	configure || return
	cur=$1
}

# Warning and error lines of a log, without line and column numbers (and
# objtool offsets), sorted: the multiset that is compared.
norm() {
	sed -n -E -e "s#$SRC/##g" -e 's#\+0x[0-9a-f]+(/0x[0-9a-f]+)?##g' \
		-e 's#^([^ :]+)(:[0-9]+)?(:[0-9]+)?: (warning|error|fatal error): #\1: \4: #p' \
		"$1" | LC_ALL=C sort
}

# obj_of FILE: the object kbuild builds FILE (a .c file) into.  The KFD's
# files are part of amdgpu.ko: amdgpu's Makefile lists them as
# ../amdkfd/NAME.o, and only built from there do they get amdgpu's include
# paths.
obj_of() {
	case $1 in
	drivers/gpu/drm/amd/amdkfd/*.c)
		echo "drivers/gpu/drm/amd/amdgpu/../amdkfd/$(basename "${1%.c}").o" ;;
	*)	echo "${1%.c}.o" ;;
	esac
}

# build_obj SHA FILE: build FILE's object at SHA with W=1 C=1 (once per
# run).  $LL/objs/SHA/FILE.st says built, failed, not-built (by the lint
# config) or absent; .log is make's output, .w its normalised warnings.
build_obj() {
	local sha=$1 f=$2 o b=$LL/objs/$1/$2 rc=0 kind t0
	o=$(obj_of "$f")
	[ -f "$b.st" ] && return 0
	mkdir -p "$(dirname "$b")"
	: >"$b.w"
	if ! git -C "$SRC" cat-file -e "$sha:$f" 2>/dev/null; then
		echo absent >"$b.st"
		return 0
	fi
	if ! goto "$sha"; then
		cp "$LOGS/lint/config.log" "$b.log"
		echo failed >"$b.st"
		return 0
	fi
	t0=$(date +%s)
	rm -f "$OUT/$o"
	MAKEFILES=$PROBE LINT_OBJ=$o MAKE_LINT "$o" >"$b.log" 2>&1 || rc=$?
	# The object's own directory prints y, m or n; the directories above
	# it print an empty value (or y/m for a composite object's part), in
	# an order that make -j does not fix: take any non-empty one.
	kind=$(sed -n 's/^LINT-PROBE \([ymn]\)$/\1/p' "$b.log" | tail -n 1)
	case "$kind,$rc" in
	[ym],0) echo built >"$b.st" ;;
	[ym],*) echo failed >"$b.st" ;;
	n,*) echo not-built >"$b.st" ;;
	,*)	# kbuild never got to the object's directory: either the
		# configuration does not descend there or prepare failed.
		if [ "$rc" != 0 ] && ! grep -q "No rule to make target '$o'" "$b.log"; then
			echo failed >"$b.st"
		else
			echo not-built >"$b.st"
		fi ;;
	esac
	[ "$(cat "$b.st")" = not-built ] || norm "$b.log" >"$b.w"
	echo "  $(git -C "$SRC" log -1 --format=%h "$sha") $o: $(cat "$b.st"), $(wc -l <"$b.w") warning(s), $(($(date +%s) - t0))s"
}

# kdoc SHA FILE OUT: normalised kernel-doc -Wall warnings of FILE as it is
# at SHA, using $LL/tmp/kernel-doc (the script of the commit under test).
kdoc() {
	local tmp=$LL/tmp/kdoc
	rm -rf "$tmp"
	mkdir -p "$tmp/$(dirname "$2")"
	: >"$3.log"
	if git -C "$LINUX" show "$1:$2" >"$tmp/$2" 2>/dev/null; then
		(cd "$tmp" && perl "$LL/tmp/kernel-doc" -none -Wall "$2") >"$3.log" 2>&1 || true
	fi
	norm "$3.log" >"$3"
}

has_kdoc() { grep -Eq '^[[:space:]]*/\*\*([[:space:]]|$)' "$1"; }

# parent_path SHA FILE: FILE's path at SHA's parent (its old name when SHA
# renames it), so that a renamed file is compared with itself.
parent_path() {
	git -C "$LINUX" diff-tree -M --no-commit-id --name-status -r "$1" |
		awk -F'\t' -v f="$2" '$1 ~ /^R/ && $3 == f { print $2; found = 1 }
			END { if (!found) print f }'
}

# touched_objects SHA: for every .c file and header SHA touches, the .c files
# listed for it in tests/lint/header-users, or else the .c file itself (for a
# header, the .c file of the same name next to it); each once.
touched_objects() {
	local f users
	for f in $(git -C "$LINUX" diff-tree --no-commit-id --name-only -r --diff-filter=d "$1" -- '*.c' '*.h'); do
		users=$(awk -v h="$f" '$1 == h { $1 = ""; print }' "$TOP/tests/lint/header-users")
		[ -n "$users" ] || users=${f%.[ch]}.c
		for u in $users; do
			git -C "$LINUX" cat-file -e "$1:$u" 2>/dev/null && echo "$u"
		done
	done | awk '!seen[$0]++'
}

nfail=0
failed=
result() {	# result PASS|FAIL CHECK [DETAILS-FILE]
	echo "$1 lint/$name/$2" >>"$RESULTS"
	printf '  %s %s\n' "$1" "$2"
	if [ "$1" = FAIL ]; then
		nfail=$((nfail + 1))
		failed="$failed
  FAIL lint/$name/$2"
		[ -z "${3:-}" ] || sed -e "s#$SRC/##g" -e 's/^/      | /' "$3"
	fi
}

for sha; do
	t0=$(date +%s)
	if git -C "$LINUX" merge-base --is-ancestor base "$sha" 2>/dev/null; then
		n=$(git -C "$LINUX" rev-list --count "base..$sha")
	else
		n=$(( ${n:-0} + 1 ))
	fi
	mkdir -p "$LL/patches"
	patch=$(git -C "$LINUX" format-patch -1 --start-number "$n" -o "$LL/patches" "$sha")
	name=$(basename "$patch" .patch)
	[ -n "$name" ] || die "git format-patch gave no file for $sha"
	P=$LL/$name
	rm -rf "$P"
	mkdir -p "$P"
	parent=$(git -C "$LINUX" rev-parse "$sha^")
	say "[$name] $(git -C "$LINUX" log -1 --format='%h %s' "$sha")"

	# Start at the commit: checkpatch runs from its tree.
	goto "$sha" || true

	# 1. checkpatch.  Its FILE_PATH_CHANGES question ("does MAINTAINERS need
	# updating?") is answered here: not when every added or deleted file
	# sits in a directory that a MAINTAINERS section other than THE REST
	# already covers.
	rc=0 cpopt=
	ad=$(git -C "$LINUX" diff-tree --no-commit-id --name-only -r --diff-filter=AD "$sha")
	if [ -n "$ad" ] && ! git -C "$LINUX" diff-tree --no-commit-id --name-only -r "$sha" | grep -qx MAINTAINERS; then
		cpopt="--ignore FILE_PATH_CHANGES"
		for f in $ad; do
			sec=$(cd "$SRC" && perl scripts/get_maintainer.pl --no-git --no-git-fallback \
				--subsystem --no-email -f "$(dirname "$f")/" 2>/dev/null | grep -vx 'THE REST' | grep -v @ || true)
			[ -n "$sec" ] || { cpopt=; break; }
		done
		[ -n "$cpopt" ] && echo "  (added/deleted files are covered by MAINTAINERS: FILE_PATH_CHANGES not asked)"
	fi
	# A Fixes: tag names an upstream commit, which the Debian base (one
	# commit, no upstream history) cannot have: checkpatch still checks the
	# tag's form (GIT_COMMIT_ID), not whether the id exists here.
	if git -C "$LINUX" log -1 --format=%B "$sha" | grep -q '^Fixes: '; then
		cpopt="${cpopt:+$cpopt }--ignore UNKNOWN_COMMIT_ID"
	fi
	(cd "$SRC" && perl scripts/checkpatch.pl --strict --show-types --color=never $cpopt "$patch") \
		>"$P/checkpatch.log" 2>&1 || rc=$?
	awk '/^(ERROR|WARNING|CHECK):/ { p = 1 } /^$/ { p = 0 } p' "$P/checkpatch.log" >"$P/checkpatch.fail"
	if [ "$rc" = 0 ] && [ ! -s "$P/checkpatch.fail" ]; then
		result PASS checkpatch
	else
		[ -s "$P/checkpatch.fail" ] || tail -n 20 "$P/checkpatch.log" >"$P/checkpatch.fail"
		result FAIL checkpatch "$P/checkpatch.fail"
	fi

	# 2. W=1 C=1 build of the touched objects, at the commit and its parent,
	# and of the objects that compile what a touched header defines
	# (tests/lint/header-users; by default the .c of the same name).
	: >"$P/build.fail"
	for f in $(touched_objects "$sha"); do
		build_obj "$sha" "$f"
		b=$LL/objs/$sha/$f
		mkdir -p "$(dirname "$P/build/$f")"
		cp "$b.log" "$P/build/$f.log"
		case $(cat "$b.st") in
		not-built)
			echo "  note: $f: not built by lint config (not checked; see tests/lint/lint.config)"
			continue ;;
		failed)
			{ echo "$f: does not build at this commit:"
			  if grep -q 'error' "$b.log"; then
				grep 'error' "$b.log" | head -n 20
			  else
				tail -n 20 "$b.log"
			  fi
			} >>"$P/build.fail"
			continue ;;
		esac
		# Sparse says nothing after its first error in a file (e.g. a
		# static assertion it evaluates differently from gcc): name
		# the objects it only partly checked.
		e=$(grep -m1 -E '^[^ :]+: error: ' "$b.w" || true)
		[ -z "$e" ] || echo "  note: $f: sparse checked it only up to its first error ($e)"
		build_obj "$parent" "$f"
		LC_ALL=C comm -13 "$LL/objs/$parent/$f.w" "$b.w" >"$P/build.new"
		if [ -s "$P/build.new" ]; then
			{ echo "$f: new W=1/sparse warnings (parent had $(wc -l <"$LL/objs/$parent/$f.w")):"
			  while read -r l; do
				grep -F -- "${l#*: *: }" "$b.log" | grep -F -- "${l%%: *}" |
					head -n 1 | grep . || echo "$l"
			  done <"$P/build.new" | sort -u
			} >>"$P/build.fail"
		fi
	done
	if [ -s "$P/build.fail" ]; then
		result FAIL build-w1-sparse "$P/build.fail"
	else
		result PASS build-w1-sparse
	fi

	# 3. kernel-doc, counted against the parent
	: >"$P/kernel-doc.fail"
	: >"$P/kernel-doc.log"
	git -C "$LINUX" show "$sha:scripts/kernel-doc" >"$LL/tmp/kernel-doc"
	for f in $(git -C "$LINUX" diff-tree --no-commit-id --name-only -r --diff-filter=d "$sha" -- '*.c' '*.h'); do
		git -C "$LINUX" show "$sha:$f" | has_kdoc /dev/stdin || continue
		kdoc "$sha" "$f" "$LL/tmp/new"
		old=$(parent_path "$sha" "$f")
		kdoc "$parent" "$old" "$LL/tmp/old"
		[ "$old" = "$f" ] || sed -i "s#^$old: #$f: #" "$LL/tmp/old"
		{ echo "== $f"; cat "$LL/tmp/new.log"; } >>"$P/kernel-doc.log"
		LC_ALL=C comm -13 "$LL/tmp/old" "$LL/tmp/new" >"$LL/tmp/diff"
		if [ -s "$LL/tmp/diff" ]; then
			{ echo "$f: new kernel-doc warnings (parent had $(wc -l <"$LL/tmp/old")):"
			  while read -r l; do
				grep -F -- "${l#*: *: }" "$LL/tmp/new.log" |
					head -n 1 | grep . || echo "$l"
			  done <"$LL/tmp/diff" | sort -u
			} >>"$P/kernel-doc.fail"
		fi
	done
	if [ -s "$P/kernel-doc.fail" ]; then
		result FAIL kernel-doc "$P/kernel-doc.fail"
	else
		result PASS kernel-doc
	fi
	say "[$name] done in $(($(date +%s) - t0))s"
done

if [ "$nfail" -gt 0 ]; then
	say "$nfail check(s) failed (logs: ${LL#"$TOP"/}/):$failed"
	exit 1
fi
say "all checks passed on $# patch(es)"
