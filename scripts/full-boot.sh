#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-full.sh's boot check, "a boot at every commit" (run it as
# `scripts/check-full.sh boot`; the shared parts are in scripts/full-lib.sh).
# Not in check-full's default set yet: FULL_CHECKS=boot selects it.
#
#   boot        at each commit of base..HEAD (numbered as bisect numbers
#               them) that touches drivers/dma-buf, include/linux/dma-*.h,
#               include/linux/sync_file.h, drivers/gpu/drm/vgem or a sw_sync
#               file, builds the guest kernel of `make guest` for that
#               commit (scripts/build-guest.sh, with BASE_TREE=1 for the
#               commits before the series' suites) and, from the first
#               commit that has drivers/dma-buf/.kunitconfig, runs the
#               dma-buf KUnit suites it has (scripts/kunit.sh on the
#               drivers/dma-buf line of tests/kunit/suites): one verdict,
#               full/boot/boot-NN.  Each guest scenario of tests/vm/scenarios
#               runs at the first commit it applies to and at HEAD, in a
#               boot of its own (scripts/vm-test.sh, as make vm-base runs
#               them): one verdict per run, full/boot/boot-NN/SCENARIO.
#
# The first commit a scenario applies to is named by a line
#
#   # from: SUBJECT
#
# in tests/vm/SCENARIO.sh, SUBJECT being that commit's subject line; without
# one the scenario runs at HEAD only.  That commit and HEAD are built even
# when they touch none of the paths above.  With FULL_BASE/FULL_HEAD, HEAD
# is FULL_HEAD, and a scenario that starts before FULL_BASE runs at HEAD
# only (its first run belongs to the earlier part).
#
# The kernel is built in the worktree $FULL_SRC, checked out at each
# commit, into $FULL_OUT/full-boot (incrementally, with ccache).  A commit's
# verdict and each scenario run's are cached when they pass (key: the
# commit's tree, the scripts and configuration files involved, the
# compiler), so a stopped run resumes.  VM_FENCES, VM_CYCLES (default 1000
# and 10, as make vm-test) and VM_TIMEOUT are passed on.  The scripts it
# reuses log to build/logs/full-boot-*; the logs of each commit are copied
# to build/logs/full/boot/.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/full-lib.sh"

GOUT=$OUT/full-boot
# What a commit must touch to be booted.
BOOT_PATHS=(drivers/dma-buf ':(glob)include/linux/dma-*.h' include/linux/sync_file.h
	drivers/gpu/drm/vgem ':(glob)**/*sw_sync*')
# The project's files a commit's verdict (guest build, KUnit) depends on,
# and those a scenario run depends on too, besides tests/vm/SCENARIO.sh.
BOOT_FILES=(scripts/build-guest.sh scripts/kunit.sh scripts/qemu.sh scripts/splat-check.sh
	tests/kunit/debug.config tests/kunit/suites tests/vm/guest.config
	tests/vm/optional.config tests/splat-patterns)
VM_FILES=(scripts/vm-test.sh scripts/initramfs.sh tests/vm/init "$TOP"/tests/vm/*.c)

# cached FILE: is there a result of an earlier run to take?
cached() { [ "${FULL_NOCACHE:-}" != 1 ] && [ -f "$1" ]; }

has_kunit() {	# has_kunit SHA: does the commit have the dma-buf suites?
	git -C "$LINUX" cat-file -e "$1:drivers/dma-buf/.kunitconfig" 2>/dev/null
}

# boot_key SHA WHAT FILE...: the results cache file of WHAT at commit SHA,
# keyed by the commit's tree, the contents of the project's FILEs and the
# compiler
boot_key() {
	local sha=$1 what=$2
	shift 2
	echo "$CACHE/boot-$(git -C "$LINUX" rev-parse "$sha^{tree}")-$(
		{ printf '%s\n' v1 "$what" "$(gcc --version | head -n 1)"; (cd "$TOP" && cat "$@"); } |
		md5sum | cut -c1-16).ok"
}
commit_key() { boot_key "$1" kunit "${BOOT_FILES[@]}"; }
scenario_key() {	# scenario_key SHA SCENARIO
	boot_key "$1" "$2 ${VM_FENCES:-1000} ${VM_CYCLES:-10}" "${BOOT_FILES[@]}" "${VM_FILES[@]}" "tests/vm/$2.sh"
}

# scenario_from NAME: the commit whose subject the "# from: SUBJECT" line of
# tests/vm/NAME.sh names (the oldest of base..HEAD and base..SERIES with
# it); nothing without such a line, "?" when no commit has that subject
scenario_from() {
	local subject
	subject=$(sed -n 's/^# from: *//p' "$TOP/tests/vm/$1.sh" | head -n 1)
	[ -n "$subject" ] || return 0
	git -C "$LINUX" log --reverse --format='%H %s' "$HEAD_SHA" "$SERIES_SHA" --not base |
		awk -v s="$subject" 'substr($0, 42) == s { print $1; found = 1; exit }
			END { if (!found) print "?" }'
}

# pass_cached NAME KEY [WHAT]: the verdict PASS full/boot/NAME that an earlier
# run remembered in the cache file KEY
pass_cached() {
	"$TOP/scripts/result.sh" PASS "full/boot/$1"
	say "  PASS ${3:+$3 }(cached result of an earlier run: $(cat "$2"))"
}

# boot_verdict NAME KEY LOG RC T0 WHAT [NEED]: PASS (remembered in KEY) when
# the script that wrote LOG.results (its output in LOG.log, the console in
# LOG.console.log) exited 0 and they hold PASS lines, no FAIL line and the
# line NEED; FAIL otherwise
boot_verdict() {
	local name=$1 key=$2 log=$3 r=$3.results rc=$4 t0=$5 what=$6 need=${7:-} p f
	p=$(grep -c '^PASS ' "$r" 2>/dev/null || true)
	f=$(grep -c '^FAIL ' "$r" 2>/dev/null || true)
	if [ "$rc" = 0 ] && [ "${f:-0}" = 0 ] && [ "${p:-0}" -gt 0 ] &&
	   { [ -z "$need" ] || grep -qxF "$need" "$r"; }; then
		"$TOP/scripts/result.sh" PASS "full/boot/$name"
		say "  PASS $what: $p verdict(s) in $(($(date +%s) - t0))s"
		echo "$what: $p verdict(s) in $(($(date +%s) - t0))s" >"$key"
	else
		"$TOP/scripts/result.sh" FAIL "full/boot/$name"
		say "  FAIL $what (exit $rc, ${p:-0} passed, ${f:-0} failed${need:+, no \"$need\"}) in $(($(date +%s) - t0))s;" \
			"logs: ${log#"$TOP"/}.log, .console.log"
		grep '^FAIL ' "$r" 2>/dev/null | sed 's/^/      | /' | head -n 20
	fi
}

# boot_commit N SHA SCENARIO...: build the guest kernel at SHA, run the
# dma-buf KUnit suites it has (verdict boot-NN) and each SCENARIO in a boot
# of its own (verdict boot-NN/SCENARIO); a result of an earlier run is
# taken from the cache
boot_commit() {
	local n=$1 sha=$2 name key s todo='' rc t0 r tag
	shift 2
	name=$(printf 'boot-%02d' "$n")
	key=$(commit_key "$sha")
	for s; do cached "$(scenario_key "$sha" "$s")" || todo="$todo $s"; done
	say "[$name] $(git -C "$LINUX" log -1 --format='%h %s' "$sha" | cut -c1-60):" \
		"guest build$(! has_kunit "$sha" || echo ", dma-buf KUnit")${*:+, scenarios: $*}"
	if dry_run; then
		dry_plan "$key" "build$(! has_kunit "$sha" || echo " + KUnit")"
		for s; do dry_plan "$(scenario_key "$sha" "$s")" "$s" "to run"; done
		return 0
	fi
	if cached "$key" && [ -z "$todo" ]; then
		pass_cached "$name" "$key"
		for s; do pass_cached "$name/$s" "$(scenario_key "$sha" "$s")" "$s"; done
		return 0
	fi
	checkout "$sha"
	t0=$(date +%s)
	if ! SRC=$SRC GUEST_OUT=$GOUT BASE_TREE=1 nice -n "$NICE" "$TOP/scripts/build-guest.sh" \
		>"$C/$name.build.log" 2>&1; then
		"$TOP/scripts/result.sh" FAIL "full/boot/$name"
		cp "$LOGS/$(basename "$GOUT")-build.log" "$C/$name.make.log" 2>/dev/null || true
		say "  FAIL: the guest kernel does not build ($(($(date +%s) - t0))s; logs: ${C#"$TOP"/}/$name.build.log, .make.log)"
		tail -n 20 "$C/$name.build.log" | sed 's/^/      | /'
		for s; do
			"$TOP/scripts/result.sh" FAIL "full/boot/$name/$s"
			say "  FAIL $s: not run"
		done
		return 0
	fi
	say "  guest kernel built in $(($(date +%s) - t0))s"
	t0=$(date +%s)
	if cached "$key"; then
		pass_cached "$name" "$key"
	elif has_kunit "$sha"; then
		r=$C/$name.kunit rc=0
		rm -f "$r.results"
		KUNIT_SUITES=$C/suites KUNIT_TAG=full-boot GUEST_OUT=$GOUT RESULTS=$r.results \
			"$TOP/scripts/kunit.sh" >"$r.log" 2>&1 || rc=$?
		cp "$LOGS/full-boot-console.log" "$r.console.log" 2>/dev/null || true
		boot_verdict "$name" "$key" "$r" "$rc" "$t0" "dma-buf KUnit"
	else
		"$TOP/scripts/result.sh" PASS "full/boot/$name"
		say "  PASS: built (no dma-buf KUnit suites at this commit)"
		echo "built, no KUnit suites" >"$key"
	fi
	for s; do
		case " $todo " in
		*" $s "*) ;;
		*)	pass_cached "$name/$s" "$(scenario_key "$sha" "$s")" "$s"
			continue ;;
		esac
		t0=$(date +%s) r=$C/$name.$s tag=full-boot-$s rc=0
		rm -f "$r.results"
		SRC=$SRC GUEST_OUT=$GOUT VM_TAG=$tag RESULTS=$r.results \
			"$TOP/scripts/vm-test.sh" "$s" >"$r.log" 2>&1 || rc=$?
		cp "$LOGS/$tag-console.log" "$r.console.log" 2>/dev/null || true
		boot_verdict "$name/$s" "$(scenario_key "$sha" "$s")" "$r" "$rc" "$t0" "$s" "PASS $tag/$s"
	done
}

check_boot() {
	local C=$FL/boot n sha s from scenarios builds=0 kboots=0 vboots=0 runs=0 todo
	local -A at=()	# commit: the scenarios that run there
	rm -rf "$C" && mkdir -p "$C"
	if [ "$NCOMMITS" = 0 ]; then
		say "boot: the series is empty, nothing to boot"
		"$TOP/scripts/result.sh" PASS full/boot/0-commits
		return 0
	fi
	awk '$1 == "drivers/dma-buf"' "$TOP/tests/kunit/suites" >"$C/suites"
	[ -s "$C/suites" ] || die "tests/kunit/suites has no drivers/dma-buf line"
	# each scenario at the first commit it applies to (if in this run)
	# and at HEAD
	for s in $(grep -v '^#' "$TOP/tests/vm/scenarios"); do
		from=$(scenario_from "$s")
		if [ "$from" = "?" ]; then
			say "boot: tests/vm/$s.sh: no commit of the series has the subject its '# from:' line names: at HEAD only"
			"$TOP/scripts/result.sh" FAIL "full/boot/$s-from"
		elif [ -z "$from" ]; then
			:
		elif ! git -C "$LINUX" merge-base --is-ancestor "$from" "$HEAD_SHA"; then
			say "boot: $s applies from $(git -C "$LINUX" log -1 --format=%h "$from"), after this run's HEAD: not run"
			continue
		elif git -C "$LINUX" merge-base --is-ancestor "$from" "$BASE_SHA"; then
			say "boot: $s applies from $(git -C "$LINUX" log -1 --format=%h "$from"), before this run's base: at HEAD only"
		else
			at[$from]="${at[$from]:-} $s"
		fi
		[ "$from" = "$HEAD_SHA" ] || at[$HEAD_SHA]="${at[$HEAD_SHA]:-} $s"
	done
	# the commits to boot, numbered from the series' first commit:
	# "N SHA SCENARIO..."
	n=$(git -C "$LINUX" rev-list --count "$(git -C "$LINUX" rev-parse base)..$BASE_SHA")
	: >"$C/plan"
	for sha in $(git -C "$LINUX" rev-list --reverse "$BASE_SHA..$HEAD_SHA"); do
		n=$((n + 1))
		if [ -n "${at[$sha]:-}" ] ||
		   ! git -C "$LINUX" diff-tree --quiet --no-commit-id -r "$sha" -- "${BOOT_PATHS[@]}"; then
			echo "$n $sha${at[$sha]:-}" >>"$C/plan"
		fi
	done
	# the work left: what the cache does not hold
	while read -r n sha scenarios; do
		todo=0
		if ! cached "$(commit_key "$sha")"; then
			todo=1
			! has_kunit "$sha" || kboots=$((kboots + 1))
		fi
		for s in $scenarios; do
			runs=$((runs + 1))
			cached "$(scenario_key "$sha" "$s")" || { todo=1; vboots=$((vboots + 1)); }
		done
		builds=$((builds + todo))
	done <"$C/plan"
	say "boot: $(grep -c . "$C/plan") of $NCOMMITS commit(s) to boot, $runs scenario run(s); not cached:" \
		"$builds guest build(s), $kboots KUnit boot(s), $vboots scenario boot(s):" \
		"up to ~$((builds * 10 + (kboots + vboots) * 4)) min on two cores (~10 min a cold guest build, less with ccache; ~4 min a boot under TCG)"
	# (the plan on fd 3: kunit.py and QEMU get the standard input)
	while read -r -u 3 n sha scenarios; do
		# shellcheck disable=SC2086 # a list of scenarios
		boot_commit "$n" "$sha" $scenarios
	done 3<"$C/plan"
}

check_boot
