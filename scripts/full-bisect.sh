#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-full.sh's bisect check (run it as `scripts/check-full.sh bisect`;
# the shared parts are in scripts/full-lib.sh):
#
#   bisect      for every commit in base..HEAD, builds (W=1, no sparse) the
#               objects of every directory it touches, and for a touched
#               include/ header whose change removes or changes code, those
#               of every directory including it directly (a header change
#               that only adds code: one such directory); fails on any build
#               error.  A directory of which HEAD's x86_64 configuration
#               builds nothing (ARM-only drivers) is built for arm64 at
#               each commit that touches it (its own verdict, NAME-arm64).
#               FULL_BASE/FULL_HEAD split the series into runs.
#
# FULL_BISECT_ARCHS selects the architectures (default "x86_64 arm64");
# with FULL_DIRS set, only directories of that list are built.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/full-lib.sh"

# removes_code SHA FILE: does the commit remove or change a line of FILE
# that is not blank and not a comment?
removes_code() {
	git -C "$LINUX" show --format= "$1" -- "$2" |
		grep -E '^-([^-]|$)' | grep -vE '^-[[:space:]]*(\*|/\*|//|$)' | grep -q .
}

# own_dirs SHA: kbuild directories of the files (other than include/
# headers) the commit changes
own_dirs() {
	git -C "$LINUX" diff-tree --no-commit-id --name-only -r --diff-filter=d "$1" |
		grep -v '^include/.*\.h$' | xargs -r -n1 dirname | kbuild_dirs "$1"
}

# touched_dirs SHA OWN LATER: the directories to build at commit SHA; OWN
# lists its own_dirs, LATER the directories that commits after SHA change.
#
# The commit's own directories, and for each header under include/ it
# changes:
#  - if the change removes or changes code: every directory whose .c files
#    include the header directly, and every directory a later commit of the
#    series changes.  A user the commit breaks and nothing after it touches
#    is broken at HEAD too, where the headers check builds every user (of
#    this header, of the headers including it); one that a later commit
#    fixes (a conversion ordered after the change that needs it) is only
#    seen here.
#  - if it only adds code: one directory including it directly, unless one
#    of the commit's own directories does, so that the addition is compiled.
touched_dirs() {
	local sha=$1 own=$2 later=$3 f h re users
	{
		cat "$own"
		git -C "$LINUX" diff-tree --no-commit-id --name-only -r --diff-filter=d "$sha" |
		grep '^include/.*\.h$' | while read -r f; do
			h=${f#include/}
			h=${h#uapi/}
			re="^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]${h//./\\.}[>\"]"
			users=$(grep_users "$sha" "$re")
			if removes_code "$sha" "$f"; then
				echo "$users"
				cat "$later"
			elif [ -n "$users" ] && ! grep -qxF -f <(echo "$users") "$own"; then
				echo "$users" | head -n 1
			fi
		done
	} | grep . | sort -u
}

# bisect_verdict NAME RC KEY T0 OBJS...: PASS (remembered in KEY.ok) or
# FAIL with the errors of $C/NAME.log
bisect_verdict() {
	local name=$1 rc=$2 key=$3 t0=$4
	shift 4
	if [ "$rc" = 0 ]; then
		"$TOP/scripts/result.sh" PASS "full/bisect/$name"
		say "  PASS $# object(s) in $(($(date +%s) - t0))s"
		echo "$# object(s) in $(($(date +%s) - t0))s" >"$key.ok"
	else
		"$TOP/scripts/result.sh" FAIL "full/bisect/$name"
		say "  FAIL (make exit $rc) in $(($(date +%s) - t0))s:"
		grep -E 'error:|\*\*\* ' "$C/$name.log" | sed "s#$SRC/##g; s/^/      | /" | head -n 20
	fi
}

# bisect_build SHA NAME OUT ARCH KEY DIR...: configure ARCH at SHA and
# build (W=1, no sparse) the objects of the DIRs; verdict NAME, cached in
# KEY.ok
bisect_build() {
	local sha=$1 name=$2 out=$3 arch=$4 key=$5 objs= rc=0 t0
	shift 5
	t0=$(date +%s)
	say "[$name] $# dir(s): $(echo "$@" | cut -c1-150)"
	if dry_run; then
		dry_plan "$key.ok" "$arch"
		printf '      %s\n' "$@"
		return 0
	fi
	# A commit that built once with these dirs, config and toolchain
	# built: a stopped run resumes with the next commit.
	if [ "${FULL_NOCACHE:-}" != 1 ] && [ -f "$key.ok" ]; then
		"$TOP/scripts/result.sh" PASS "full/bisect/$name"
		say "  PASS (cached result of an earlier run: $(cat "$key.ok"))"
		return 0
	fi
	checkout "$sha"
	if ! configure "$out" "$arch" "$C/$name.config.log"; then
		cp "$C/$name.config.log" "$C/$name.log"
		rc=config
	elif [ $# != 0 ]; then
		probe "$out" "$arch" "$C/$name.probe.log" "$@" >"$C/$name.objs"
		objs=$(cut -f2 "$C/$name.objs")
		if [ -n "$objs" ]; then
			kmake "$out" "$arch" -k -Otarget W=1 cmd_checkdoc= $objs \
				>"$C/$name.log" 2>&1 || rc=$?
		fi
	fi
	bisect_verdict "$name" "$rc" "$key" "$t0" $objs
}

check_bisect() {
	local C=$FL/bisect sha tree n=0 dirs name arm a x86=0 arm64=0
	rm -rf "$C" && mkdir -p "$C"
	for a in ${FULL_BISECT_ARCHS:-x86_64 arm64}; do
		case $a in
		x86_64) x86=1 ;;
		arm64) arm64=1 ;;
		*) die "FULL_BISECT_ARCHS: unknown architecture '$a' (known: x86_64 arm64)" ;;
		esac
	done
	if [ "$NCOMMITS" = 0 ]; then
		say "bisect: the series is empty, nothing to build"
		"$TOP/scripts/result.sh" PASS full/bisect/0-commits
		return 0
	fi
	# directories changed by the commits after each one, up to the
	# series' end (not only up to FULL_HEAD)
	local all=$C/later.all
	: >"$all"
	for sha in $(git -C "$LINUX" rev-list "$BASE_SHA..$SERIES_SHA"); do
		cp "$all" "$C/later-$sha"
		own_dirs "$sha" >"$C/own-$sha"
		sort -u -o "$all" "$all" "$C/own-$sha"
	done
	# the directories each commit builds
	: >"$C/dirs.all"
	for sha in $(git -C "$LINUX" rev-list "$BASE_SHA..$HEAD_SHA"); do
		if [ -z "${FULL_DIRS:-}" ]; then
			touched_dirs "$sha" "$C/own-$sha" "$C/later-$sha" >"$C/dirs-$sha"
		else
			touched_dirs "$sha" "$C/own-$sha" "$C/later-$sha" |
				grep -xF -f <(printf '%s\n' $FULL_DIRS) >"$C/dirs-$sha" || true
		fi
		sort -u -o "$C/dirs.all" "$C/dirs.all" "$C/dirs-$sha"
	done
	# ARM-only: of those, the ones HEAD's x86_64 configuration builds
	# nothing in
	: >"$C/arm-only"
	if [ "$arm64" = 1 ] && [ -s "$C/dirs.all" ] && dry_run; then
		say "bisect: (dry run) the directories of which HEAD's x86_64 configuration builds nothing would" \
			"be built for arm64 too (an x86_64 allmodconfig at HEAD tells which: not run), among: $(tr '\n' ' ' <"$C/dirs.all")"
	elif [ "$arm64" = 1 ] && [ -s "$C/dirs.all" ]; then
		not_x86 $(cat "$C/dirs.all") >"$C/arm-only"
		say "bisect: built for arm64 where a commit touches them (no x86_64 object at HEAD): $(echo $(cat "$C/arm-only"))"
		[ ! -s "$C/arm-only" ] || need_pkgs gcc-aarch64-linux-gnu
	fi
	# commit numbers count from the series' first commit
	n=$(git -C "$LINUX" rev-list --count "$(git -C "$LINUX" rev-parse base)..$BASE_SHA")
	for sha in $(git -C "$LINUX" rev-list --reverse "$BASE_SHA..$HEAD_SHA"); do
		n=$((n + 1))
		name=$(printf '%04d-%s' "$n" "$(git -C "$LINUX" log -1 --format=%f "$sha" | cut -c1-52)")
		dirs=$(cat "$C/dirs-$sha")
		# keyed by the commit's tree: a commit whose message alone
		# changed keeps its verdict
		tree=$(git -C "$LINUX" rev-parse "$sha^{tree}")
		if [ "$x86" = 1 ]; then
			bisect_build "$sha" "$name" "$OUT_X86" x86_64 \
				"$CACHE/bisect-$tree-$(printf '%s\n' v2 "$FRAG" $dirs "$(gcc --version | head -n 1)" | md5sum | cut -c1-16)" \
				$dirs
		fi
		arm=$(grep -xF -f "$C/arm-only" "$C/dirs-$sha" || true)
		if [ "$arm64" = 1 ] && [ -n "$arm" ]; then
			bisect_build "$sha" "$name-arm64" "$OUT_ARM" arm64 \
				"$CACHE/bisect-arm64-$tree-$(printf '%s\n' v1 "$FRAG" $arm "$(aarch64-linux-gnu-gcc --version | head -n 1)" | md5sum | cut -c1-16)" \
				$arm
		fi
	done
}

check_bisect
