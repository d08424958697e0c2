#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Heavier checks than `make check`, for an issue that touches many drivers:
#
#   scripts/check-full.sh [CHECK...]     (default: $FULL_CHECKS, else all)
#
# Each check compares the series' HEAD with `base` (build/linux's refs, read
# once at the start) in its own worktree build/full-src and its own build
# dirs build/out/full-*; build/linux is never touched.
#
#   headers     x86_64 allmodconfig (minus sanitizers, coverage, debug info,
#               modversions, WERROR: see FRAG) builds, with W=1 C=1, the
#               objects of every directory holding a .c file that directly
#               includes dma-fence*.h, dma-resv.h, sync_file.h, dma-buf.h or
#               drm/gpu_scheduler.h at HEAD (the directory's own objects, not
#               its subdirectories), at base and at HEAD.  Fails on W=1/sparse
#               warnings HEAD has and base has not (per object, keyed
#               by file, message and the text of the reported line at
#               that revision, line and column numbers stripped, as
#               multisets) and on build errors base did not have.
#               Prints a per-directory before/after count table (also in
#               build/logs/full/headers/table.md).
#   arm64       the same with ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- for
#               those header-user directories the x86_64 configuration does
#               not build (ARM-only drivers).
#   htmldocs    make htmldocs SPHINXDIRS=driver-api (dma-buf.rst lives there)
#               at base and HEAD; fails on new Sphinx/kernel-doc warnings.
#   coccicheck  every script of scripts/coccinelle (MODE=report) on every
#               .c/.h file the series changes, base vs HEAD, the way `make
#               C=2 CHECK=scripts/coccicheck` runs them on one file; fails on
#               new reports.
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
#   FULL_NOCACHE=1    rebuild even when this revision/dir list/toolchain
#                     was already built (results cache: build/out/full-cache)
#   JOBS              make -j (default: nproc);  NICE  nice level (default 0)
#   RESULTS           verdict file (default build/full-results.txt)
#
# One "PASS|FAIL full/<check>/<what>" line per verdict goes to $RESULTS;
# logs are in build/logs/full/<check>/; ends with "N passed, N failed".
set -eu
. "$(dirname "$0")/lib.sh"

ALL_CHECKS="headers arm64 htmldocs coccicheck bisect"
CHECKS=${*:-${FULL_CHECKS:-$ALL_CHECKS}}
SRC=${FULL_SRC:-$BUILD/full-src}
OUT=${FULL_OUT:-$BUILD/out}
OUT_X86=$OUT/full-x86
OUT_ARM=$OUT/full-arm64
OUT_DOC=$OUT/full-docs
OUT_COC=$OUT/full-cocci
CACHE=$BUILD/out/full-cache
RESULTS=${RESULTS:-$BUILD/full-results.txt}
JOBS=${JOBS:-$(nproc)}
NICE=${NICE:-0}
FL=${FULL_LOGS:-$LOGS/full}
KCONFIGS=':(glob)**/Kconfig*'
export RESULTS
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2024-11-17}
export LC_ALL=C

for c in $CHECKS; do
	case " $ALL_CHECKS " in *" $c "*) ;; *) die "unknown check '$c' (known: $ALL_CHECKS)" ;; esac
done

# allmodconfig overrides (KCONFIG_ALLCONFIG).  Sanitizers and coverage only
# add instrumentation and make every compile several times slower, debug
# info makes the objects huge, modversions adds a genksyms pass per object;
# none of them changes which driver code is compiled.  WERROR would turn the
# W=1 warnings into errors.  DRM, accel and dma-buf stay as allmodconfig has
# them (COMPILE_TEST=y, everything =m).
FRAG='# CONFIG_WERROR is not set
# CONFIG_KASAN is not set
# CONFIG_KCSAN is not set
# CONFIG_KMSAN is not set
# CONFIG_UBSAN is not set
# CONFIG_KCOV is not set
# CONFIG_GCOV_KERNEL is not set
# CONFIG_GCC_PLUGINS is not set
# CONFIG_MODVERSIONS is not set
CONFIG_DEBUG_INFO_NONE=y'

# Headers whose direct users the headers/arm64 checks build.
INC_RE='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](linux/(dma-fence[-a-z0-9_]*|dma-resv|sync_file|dma-buf)|drm/gpu_scheduler)\.h[>"]'

BASE_SHA=$(git -C "$LINUX" rev-parse --verify "${FULL_BASE:-base}^{commit}") ||
	die "no ${FULL_BASE:-base} in $LINUX"
HEAD_SHA=$(git -C "$LINUX" rev-parse --verify "${FULL_HEAD:-HEAD}^{commit}") ||
	die "no ${FULL_HEAD:-HEAD} in $LINUX"
NCOMMITS=$(git -C "$LINUX" rev-list --count "$BASE_SHA..$HEAD_SHA")
# the series' last commit (build/linux's HEAD), whatever FULL_HEAD says
SERIES_SHA=$(git -C "$LINUX" rev-parse --verify HEAD^{commit})

# Extra Debian packages, only when missing.
need_pkgs() {
	local p missing=
	for p; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages:$missing (run as root, or install them)"
	DEBIAN_FRONTEND=noninteractive step "apt-get install$missing" "$FL/apt.log" \
		apt-get install -y -q --no-install-recommends $missing
}

kmake() {	# kmake OUT ARCH ARGS...: make in $SRC, out of tree
	local out=$1 arch=$2 cross=
	shift 2
	[ "$arch" = arm64 ] && cross=aarch64-linux-gnu-
	nice -n "$NICE" make -C "$SRC" O="$out" ARCH="$arch" \
		${cross:+CROSS_COMPILE=$cross} CC="ccache ${cross}gcc" \
		HOSTCC="ccache gcc" CF="$SPARSE_CF" -j"$JOBS" "$@"
}

checkout() {	# checkout SHA: check SHA out in $SRC
	[ "$(git -C "$SRC" rev-parse HEAD)" = "$1" ] ||
		git -C "$SRC" checkout -q -f --detach "$1"
}

# configure OUT ARCH LOG: allmodconfig + FRAG for the tree in $SRC (again
# only when FRAG or a Kconfig file changed), then prepare.
configure() {
	local out=$1 arch=$2 log=$3 at l opt
	mkdir -p "$out"
	printf '%s\n' "$FRAG" >"$out/full.frag"
	at=$(cat "$out/.full-config-at" 2>/dev/null || echo none)
	: >"$log"
	if ! { [ -f "$out/.config" ] && cmp -s "$out/full.frag" "$out/full.frag.used" &&
	       git -C "$SRC" diff --quiet "$at" HEAD -- "$KCONFIGS" 2>/dev/null; }; then
		rm -f "$out/.full-config-at"
		kmake "$out" "$arch" KCONFIG_ALLCONFIG="$out/full.frag" allmodconfig >>"$log" 2>&1 || return
		cp "$out/full.frag" "$out/full.frag.used"
		git -C "$SRC" rev-parse HEAD >"$out/.full-config-at"
		while read -r l; do
			case $l in
			'# CONFIG_'*) opt=${l#\# }; opt=${opt%% *}
				! grep -q "^$opt=" "$out/.config" || say "note: $arch config: $opt still set" ;;
			CONFIG_*) grep -qx "$l" "$out/.config" || say "note: $arch config: $l did not stick" ;;
			esac
		done <"$out/full.frag"
	fi
	kmake "$out" "$arch" W=1 prepare >>"$log" 2>&1
}

# Read by every make (through MAKEFILES): the goal DIR/.full-probe.o prints
# DIR's own objects (no subdirectories) in this configuration; a directory
# the configuration does not descend into prints nothing.
PROBE=$FL/probe.mk
mkdir -p "$FL" "$CACHE" "$(dirname "$RESULTS")"
# (renamed into place: a check running alongside may be reading it)
cat >"$PROBE.$$" <<'EOF'
ifneq ($(FULL_PROBE),)
ifneq ($(obj),)
$(obj)/.full-probe.o: FORCE
	@echo 'FULL-PROBE $(obj) $(sort $(filter %.o,$(real-obj-y) $(real-obj-m) $(lib-y)))'
endif
endif
EOF
mv "$PROBE.$$" "$PROBE"

# awk: path without . and .. components
AWK_CANON='function canon(p,   n, a, b, i, k, r) {
	n = split(p, a, "/"); k = 0
	for (i = 1; i <= n; i++)
		if (a[i] == "..") { if (k > 0) k-- }
		else if (a[i] != "." && a[i] != "") b[++k] = a[i]
	r = b[1]; for (i = 2; i <= k; i++) r = r "/" b[i]
	return r }'

# awk (after AWK_CANON): code(FILE, LINE), that line of FILE at revision
# $CODE_SHA of $CODE_LINUX, blanks squeezed ("" for a file not in git);
# each file is read once.  Arguments are quoted: a log's file name is
# never run by the shell.
AWK_CODE='
function q(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
function code(f, l,   c, s, i) {
	f = canon(f)
	if (!(f in read)) {
		read[f] = 1; i = 0
		c = "git -C " q(ENVIRON["CODE_LINUX"]) " show " \
			q(ENVIRON["CODE_SHA"] ":" f) " 2>/dev/null"
		while ((c | getline s) > 0) src[f, ++i] = s
		close(c)
	}
	s = src[f, l]
	gsub(/[ \t]+/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s)
	return s }'

# probe OUT ARCH LOG DIR...: "DIR<TAB>OBJ" for each object the config
# builds under one of the DIRs, whichever Makefile (of one of the DIRs)
# builds it: i915's builds gem/*.o, amdgpu's ../amdkfd/*.o.  DIR is the
# deepest of the DIRs holding the object, OBJ the target name kbuild knows.
# An object a DIR's Makefile builds outside every DIR (amdgpu's
# ../display/*.o when drivers/gpu/drm is not listed) counts for that DIR:
# it is part of the same module and sees the same driver headers.
probe() {
	local out=$1 arch=$2 log=$3 d goals=
	shift 3
	for d; do goals="$goals $d/.full-probe.o"; done
	MAKEFILES=$PROBE FULL_PROBE=1 kmake "$out" "$arch" W=1 -k $goals >"$log" 2>&1 || true
	sed -n 's/^FULL-PROBE //p' "$log" | awk -v dirs="$*" "$AWK_CANON"'
		BEGIN { n = split(dirs, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
		{ for (i = 2; i <= NF; i++) {
			c = canon($i); d = c
			while (sub(/\/[^\/]*$/, "", d)) if (d in want) break
			if (!(d in want)) d = $1
			if (!(d in want) || (c in seen)) continue
			# an object of the module of $1 outside it, in a listed
			# ancestor (amd/display of amdgpu): counts for $1
			if (index($1, d "/") == 1) d = $1
			seen[c] = 1; print d "\t" $i } }' | sort
}

# norm_build LOG SHA: the warning/error lines of a kbuild log (made with
# -Otarget, so each follows the "CC" line of its object) as
# "OBJ<TAB>FILE: KIND: MESSAGE<TAB>CODE", without the source prefix, line
# and column numbers and objtool offsets; CODE is the reported line of FILE
# at SHA, blanks squeezed (empty for a generated file).  A warning keeps its
# key when lines move, not when it moves to other code of the same file.
norm_build() {
	sed -E -e "s#$SRC/##g" "$1" | awk "$AWK_CANON"'
		/^  (CC|AS)( \[M\])? +[^ ]+\.o$/ { cur = canon($NF); next }
		/: (warning|error|fatal error): / { print cur "\t" $0 }' |
	sed -E -e 's#\+0x[0-9a-f]+(/0x[0-9a-f]+)?##g' |
	CODE_LINUX=$LINUX CODE_SHA=$2 awk -F'\t' "$AWK_CANON$AWK_CODE"'
		{	w = substr($0, index($0, "\t") + 1); c = ""
			if (match(w, /^[^ :]+:[0-9]+(:[0-9]+)?: (warning|error|fatal error): /)) {
				split(w, p, ":")
				c = code(p[1], p[2])
				w = p[1] substr(w, index(w, ": "))
			}
			print $1 "\t" w "\t" c }' |
	sort
}

# warnings L SHA: $L.warn, "DIR<TAB>" and norm_build's lines for the
# objects of $L.objs only (not what prepare may have rebuilt)
warnings() {
	norm_build "$1.log" "$2" | awk -F'\t' "$AWK_CANON"'
		NR == FNR { dir[canon($2)] = $1; next }
		$1 in dir { print dir[$1] "\t" $0 }' "$1.objs" - | sort >"$1.warn"
}

# objbuild CHECK ARCH OUT SHA LABEL FLAGS DIR...: build, at SHA, the own
# objects of each DIR the ARCH configuration builds, with make FLAGS, from
# scratch (ccache makes the compiler part cheap; sparse always reruns).
# Leaves $FL/CHECK/LABEL.{probe,log,warn,rc}; reuses an earlier result for
# the same SHA, dirs, flags and toolchain unless FULL_NOCACHE=1.
objbuild() {
	local check=$1 arch=$2 out=$3 sha=$4 label=$5 flags=$6 key objs rc=0 t0
	local L=$FL/$1/$5
	shift 6
	key=$(printf '%s\n' v6 "$check" "$arch" "$flags" "$SPARSE_CF" "$FRAG" "$@" \
		"$(gcc --version | head -n 1)" \
		"$(aarch64-linux-gnu-gcc --version 2>/dev/null | head -n 1)" \
		"$(sparse --version 2>/dev/null)" | md5sum | cut -c1-16)
	key=$CACHE/$check-$sha-$key
	if [ "${FULL_NOCACHE:-}" != 1 ] && [ "${FULL_PROBE_ONLY:-}" != 1 ] && [ -f "$key.rc" ]; then
		for x in objs probe log rc; do cp "$key.$x" "$L.$x"; done
		warnings "$L" "$sha"
		say "$label ($arch, $(git -C "$LINUX" log -1 --format='%h %s' "$sha" | cut -c1-50)): cached result of an earlier run"
		return 0
	fi
	t0=$(date +%s)
	say "$label: $arch build at $(git -C "$LINUX" log -1 --format='%h %s' "$sha" | cut -c1-60)"
	checkout "$sha"
	if ! configure "$out" "$arch" "$L.config.log"; then
		cp "$L.config.log" "$L.log"
		: >"$L.probe"; : >"$L.objs"
		norm_build "$L.log" "$sha" | sed 's/^/(configure)\t/' >"$L.warn"
		echo config-failed >"$L.rc"
		tail -n 20 "$L.config.log"
		return 0
	fi
	probe "$out" "$arch" "$L.probe.log" "$@" >"$L.objs"
	# "DIR OBJ..." per directory
	awk -F'\t' '{ o[$1] = o[$1] " " $2 } END { for (d in o) print d o[d] }' "$L.objs" | sort >"$L.probe"
	objs=$(cut -f2 "$L.objs")
	say "  $(wc -l <"$L.probe") of $# dir(s) built by the $arch config, $(echo "$objs" | grep -c . || true) object(s); configure+probe $(($(date +%s) - t0))s"
	if [ "${FULL_PROBE_ONLY:-}" = 1 ]; then
		: >"$L.log"; : >"$L.warn"; echo 0 >"$L.rc"
		return 0
	fi
	# One directory at a time, each result kept in the cache as soon as
	# it is known, so that a run that is stopped resumes where it was.
	: >"$L.log"
	local d dkey dobjs drc n=0 nd
	nd=$(cut -f1 "$L.objs" | sort -u | grep -c . || true)
	for d in $(cut -f1 "$L.objs" | sort -u); do
		n=$((n + 1))
		dkey=$key-$(printf '%s\n' "$d" | md5sum | cut -c1-8)
		if [ "${FULL_NOCACHE:-}" != 1 ] && [ -f "$dkey.drc" ]; then
			cat "$dkey.dlog" >>"$L.log"
			drc=$(cat "$dkey.drc")
		else
			t1=$(date +%s)
			dobjs=$(awk -F'\t' -v d="$d" '$1 == d { print $2 }' "$L.objs")
			(cd "$out" && rm -f $dobjs)
			drc=0
			kmake "$out" "$arch" -k -Otarget $flags cmd_checkdoc= $dobjs >"$L.dlog" 2>&1 || drc=$?
			sed -i "s#$SRC/##g" "$L.dlog"	# cached logs outlive $SRC
			cp "$L.dlog" "$dkey.dlog.tmp" && mv "$dkey.dlog.tmp" "$dkey.dlog"
			echo "$drc" >"$dkey.drc"
			cat "$L.dlog" >>"$L.log"
			say "  [$n/$nd] $d: $(echo $dobjs | wc -w) object(s), make exit $drc, $(($(date +%s) - t1))s"
		fi
		[ "$drc" = 0 ] || rc=$drc
	done
	echo "$rc" >"$L.rc"
	warnings "$L" "$sha"
	say "  $label: make exit $rc, $(grep -c . "$L.warn" || true) warning/error line(s), $(($(date +%s) - t0))s"
	for x in objs probe log rc; do cp "$L.$x" "$key.$x"; done
}

# compare CHECK: verdicts and table from $FL/CHECK/{base,head}.*
compare() {
	local check=$1 C=$FL/$1 bad=0
	# per directory: objects, sparse and gcc (W=1) warnings, errors
	{
		echo "| directory | objs | sparse base | sparse HEAD | W=1 base | W=1 HEAD | errors base | errors HEAD |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
		awk -F'\t' '
			FILENAME ~ /\.probe$/ { d = $0; sub(/ .*/, "", d); n = split($0, a, " ");
				dirs[d] = 1; objs[d] = n - 1; next }
			{	d = $1; w = $3
				side = FILENAME ~ /base\.warn$/ ? "b" : "h"
				k = w ~ /: (error|fatal error): / ? "e" : (w ~ /\[-W[^]]*\]$/ ? "g" : "s")
				if (w ~ /objtool: /) k = "g"
				cnt[d, k side]++; if (!(d in dirs)) dirs[d] = 1 }
			END { for (d in dirs) printf "| %s | %d | %d | %d | %d | %d | %d | %d |\n", d, objs[d],
				cnt[d, "sb"], cnt[d, "sh"], cnt[d, "gb"], cnt[d, "gh"], cnt[d, "eb"], cnt[d, "eh"] }' \
			"$C/head.probe" "$C/base.warn" "$C/head.warn" | sort
		awk -F'\t' '{ k = $3 ~ /: (error|fatal error): / ? "e" : ($3 ~ /\[-W[^]]*\]$/ || $3 ~ /objtool: / ? "g" : "s")
				side = FILENAME ~ /base\.warn$/ ? "b" : "h"; t[k side]++ }
			END { printf "| **total** | | %d | %d | %d | %d | %d | %d |\n", t["sb"], t["sh"], t["gb"], t["gh"], t["eb"], t["eh"] }' \
			"$C/base.warn" "$C/head.warn"
	} >"$C/table.md"
	cat "$C/table.md"
	# Sparse says nothing after its first error in a file: name the
	# objects it only partly checked (a build error would also count).
	awk -F'\t' '$3 ~ /: (error|fatal error): / { print $2 }' "$C/head.warn" | sort -u >"$C/sparse-blind.txt"
	if [ -s "$C/sparse-blind.txt" ]; then
		say "note: $check: $(wc -l <"$C/sparse-blind.txt") object(s) with an error line at HEAD, which sparse checked only up to it: $(tr '\n' ' ' <"$C/sparse-blind.txt" | cut -c1-400)"
	fi
	# new warnings (errors are judged below)
	awk -F'\t' '$3 !~ /: (error|fatal error): /' "$C/base.warn" >"$C/base.w"
	awk -F'\t' '$3 !~ /: (error|fatal error): /' "$C/head.warn" >"$C/head.w"
	comm -13 "$C/base.w" "$C/head.w" >"$C/new-warnings.txt"
	if [ -s "$C/new-warnings.txt" ]; then
		say "$check: $(wc -l <"$C/new-warnings.txt") new W=1/sparse warning(s) at HEAD (a base warning on a line the series edits counts as new too):"
		sed 's/^/      | /; s/\t/  /g' "$C/new-warnings.txt" | head -n 50
		"$TOP/scripts/result.sh" FAIL "full/$check/new-warnings"
	else
		"$TOP/scripts/result.sh" PASS "full/$check/new-warnings"
	fi
	awk -F'\t' '$3 ~ /: (error|fatal error): /' "$C/base.warn" >"$C/base.e"
	awk -F'\t' '$3 ~ /: (error|fatal error): /' "$C/head.warn" >"$C/head.e"
	comm -13 "$C/base.e" "$C/head.e" >"$C/new-errors.txt"
	if [ -s "$C/new-errors.txt" ] ||
	   { [ "$(cat "$C/head.rc")" != 0 ] && [ "$(cat "$C/base.rc")" = 0 ]; }; then
		say "$check: HEAD does not build (make exit $(cat "$C/head.rc"), base $(cat "$C/base.rc")):"
		{ cat "$C/new-errors.txt"; grep -E '\*\*\* |^make.*Error' "$C/head.log" | head -n 10; } |
			sed 's/^/      | /; s/\t/  /g' | head -n 40
		bad=1
	elif [ "$(cat "$C/head.rc")" != 0 ]; then
		say "note: $check: make fails at base too (exit $(cat "$C/base.rc")), no new errors at HEAD"
	fi
	if [ "$bad" = 1 ]; then
		"$TOP/scripts/result.sh" FAIL "full/$check/build"
	else
		"$TOP/scripts/result.sh" PASS "full/$check/build"
	fi
}

# kbuild_dirs SHA: kbuild directories (with a Makefile or Kbuild at $sha) of the
# paths on stdin; tools/ and Documentation/ are not kernel code.
kbuild_dirs() {
	local sha=$1 d
	while read -r d; do
		case $d in tools/*|Documentation/*|.) continue ;; esac
		while [ "$d" != . ]; do
			if git -C "$LINUX" cat-file -e "$sha:$d/Makefile" 2>/dev/null ||
			   git -C "$LINUX" cat-file -e "$sha:$d/Kbuild" 2>/dev/null; then
				echo "$d"
				break
			fi
			d=$(dirname "$d")
		done
	done | sort -u
}

grep_users() {	# grep_users SHA ERE: kbuild dirs of .c files matching ERE
	git -C "$LINUX" grep -lE "$2" "$1" -- '*.c' | sed "s#^$1:##" |
		xargs -r -n1 dirname | sort -u | kbuild_dirs "$1"
}

# not_x86 DIR...: those of the DIRs HEAD's x86_64 configuration builds
# nothing in (ARM-only drivers); leaves $C/x86-dirs, the others
not_x86() {
	checkout "$HEAD_SHA"
	configure "$OUT_X86" x86_64 "$C/x86-config.log" ||
		{ tail -n 20 "$C/x86-config.log" >&2; return 1; }
	probe "$OUT_X86" x86_64 "$C/x86-probe.log" "$@" | cut -f1 | sort -u >"$C/x86-dirs"
	printf '%s\n' "$@" | grep -vxF -f "$C/x86-dirs" || true
}

user_dirs() {	# directories to build for the headers/arm64 checks
	if [ -n "${FULL_DIRS:-}" ]; then
		printf '%s\n' $FULL_DIRS
	else
		grep_users "$HEAD_SHA" "$INC_RE"
	fi
}

#### the checks

check_headers() {
	local C=$FL/headers dirs
	rm -rf "$C" && mkdir -p "$C"
	dirs=$(user_dirs)
	say "headers: $(echo "$dirs" | wc -w) director(ies): $(echo $dirs | cut -c1-200)$([ ${#dirs} -le 200 ] || echo ...)"
	objbuild headers x86_64 "$OUT_X86" "$BASE_SHA" base "W=1 C=1" $dirs
	objbuild headers x86_64 "$OUT_X86" "$HEAD_SHA" head "W=1 C=1" $dirs
	compare headers
}

check_arm64() {
	local C=$FL/arm64 dirs none
	rm -rf "$C" && mkdir -p "$C"
	need_pkgs gcc-aarch64-linux-gnu
	if [ -n "${FULL_ARM64_DIRS:-}" ]; then
		dirs=$(printf '%s\n' $FULL_ARM64_DIRS)
	else
		# header users that the x86_64 configuration leaves out
		dirs=$(not_x86 $(user_dirs))
		say "arm64: $(wc -l <"$C/x86-dirs") header-user dir(s) are built on x86_64; the others: $(echo $dirs)"
	fi
	if [ -z "$dirs" ]; then
		say "arm64: nothing to build"
		"$TOP/scripts/result.sh" PASS full/arm64/nothing-to-build
		return 0
	fi
	objbuild arm64 arm64 "$OUT_ARM" "$BASE_SHA" base "W=1 C=1" $dirs
	objbuild arm64 arm64 "$OUT_ARM" "$HEAD_SHA" head "W=1 C=1" $dirs
	none=$(echo "$dirs" | grep -vxF -f <(cut -d' ' -f1 "$C/head.probe") || true)
	[ -z "$none" ] || say "note: arm64: not built by the arm64 config either: $(echo $none)"
	compare arm64
}

# Sphinx and kernel-doc warnings of a htmldocs log, without line numbers
norm_docs() {
	grep -E 'WARNING|ERROR|CRITICAL|warning:|error:' "$1" |
		sed -E -e "s#$SRC/##g" -e "s#$OUT_DOC/##g" -e 's#:[0-9]+(:[0-9]+)?:#:#g' |
		sort || true
}

check_htmldocs() {
	local C=$FL/htmldocs dirs=${FULL_SPHINXDIRS:-driver-api} sha label key rc
	rm -rf "$C" && mkdir -p "$C"
	need_pkgs python3-sphinx python3-yaml
	checkout "$HEAD_SHA"
	# informational: the kernel's own view of the Sphinx setup
	(cd "$SRC" && perl scripts/sphinx-pre-install --no-pdf --no-virtualenv) >"$C/sphinx-pre-install.log" 2>&1 || true
	say "htmldocs: $(sphinx-build --version 2>&1) (python3 $(python3 -c 'import sys; print(sys.version.split()[0])'));" \
		"sphinx-pre-install says: $(grep -E '^(Sphinx version|Warning|ERROR)' "$C/sphinx-pre-install.log" | tr '\n' ' ' | cut -c1-200)"
	for label in base head; do
		if [ $label = base ]; then sha=$BASE_SHA; else sha=$HEAD_SHA; fi
		key=$CACHE/htmldocs-$sha-$(printf '%s\n' "$dirs" "$(sphinx-build --version 2>&1)" | md5sum | cut -c1-16)
		if [ "${FULL_NOCACHE:-}" != 1 ] && [ -f "$key.rc" ]; then
			cp "$key.log" "$C/$label.log"; cp "$key.rc" "$C/$label.rc"
			say "$label: cached result of an earlier run"
		else
			checkout "$sha"
			rm -rf "$OUT_DOC/Documentation/output"
			mkdir -p "$OUT_DOC"
			rc=0
			step "$label: make htmldocs SPHINXDIRS=$dirs" "$C/$label.log" \
				nice -n "$NICE" make -C "$SRC" O="$OUT_DOC" -j"$JOBS" htmldocs SPHINXDIRS="$dirs" || rc=$?
			echo $rc >"$C/$label.rc"
			sed -i "s#$SRC/##g" "$C/$label.log"	# cached logs outlive $SRC
			[ "$rc" != 0 ] || { cp "$C/$label.log" "$key.log"; cp "$C/$label.rc" "$key.rc"; }
		fi
		norm_docs "$C/$label.log" >"$C/$label.warn"
		say "  $label: $(wc -l <"$C/$label.warn") warning(s), make exit $(cat "$C/$label.rc")"
	done
	comm -13 "$C/base.warn" "$C/head.warn" >"$C/new-warnings.txt"
	if [ -s "$C/new-warnings.txt" ] || [ "$(cat "$C/base.rc")$(cat "$C/head.rc")" != 00 ]; then
		say "htmldocs: new warnings at HEAD (or make htmldocs failed):"
		sed 's/^/      | /; s/\t/  /g' "$C/new-warnings.txt" | head -n 50
		"$TOP/scripts/result.sh" FAIL full/htmldocs/new-warnings
	else
		"$TOP/scripts/result.sh" PASS full/htmldocs/new-warnings
	fi
}

# The series' .c/.h files as "BASE-PATH HEAD-PATH" lines, "-" where the file
# does not exist (added, deleted); a renamed file keeps its pair.
cocci_files() {
	git -C "$LINUX" diff --name-status -M "$BASE_SHA" "$HEAD_SHA" -- '*.c' '*.h' |
		awk -F'\t' '$1 ~ /^R/ { print $2, $3; next }
			    $1 == "A" { print "-", $2; next }
			    $1 == "D" { print $2, "-"; next }
			    { print $2, $2 }'
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
	rm -rf "$C" && mkdir -p "$C" "$OUT_COC"
	need_pkgs coccinelle
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
		if [ -n "${FULL_COCCI_DIRS:-}" ]; then
			units=$(printf '%s\n' $FULL_COCCI_DIRS)
		else
			units=$(echo "$pairs" | awk -v c=$col '$c != "-" { print $c }')
		fi
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
	local C=$FL/bisect sha n=0 dirs name arm a x86=0 arm64=0
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
	if [ "$arm64" = 1 ] && [ -s "$C/dirs.all" ]; then
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
		if [ "$x86" = 1 ]; then
			bisect_build "$sha" "$name" "$OUT_X86" x86_64 \
				"$CACHE/bisect-$sha-$(printf '%s\n' v2 "$FRAG" $dirs "$(gcc --version | head -n 1)" | md5sum | cut -c1-16)" \
				$dirs
		fi
		arm=$(grep -xF -f "$C/arm-only" "$C/dirs-$sha" || true)
		if [ "$arm64" = 1 ] && [ -n "$arm" ]; then
			bisect_build "$sha" "$name-arm64" "$OUT_ARM" arm64 \
				"$CACHE/bisect-arm64-$sha-$(printf '%s\n' v1 "$FRAG" $arm "$(aarch64-linux-gnu-gcc --version | head -n 1)" | md5sum | cut -c1-16)" \
				$arm
		fi
	done
}

#### main

rm -f "$RESULTS"
if ! git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
	step "create worktree ${SRC#"$TOP"/}" "$FL/worktree.log" \
		git -C "$LINUX" worktree add -f --detach "$SRC" "$BASE_SHA"
fi
need_pkgs sparse ccache
say "full checks: $CHECKS; base $(git -C "$LINUX" log -1 --format='%h' "$BASE_SHA")," \
	"HEAD $(git -C "$LINUX" log -1 --format='%h %s' "$HEAD_SHA" | cut -c1-50), $NCOMMITS commit(s)"
[ "$NCOMMITS" != 0 ] || say "the series is empty: comparing base with itself"
: >"$FL/timings.txt"
for c in $CHECKS; do
	t0=$(date +%s)
	say "== full/$c"
	set +e
	(set -e; "check_$c")
	rc=$?
	set -e
	if [ "$rc" != 0 ]; then
		say "full/$c aborted (exit $rc)"
		"$TOP/scripts/result.sh" FAIL "full/$c/aborted"
	fi
	say "== full/$c: done in $(($(date +%s) - t0))s"
	echo "$c $(($(date +%s) - t0))s" >>"$FL/timings.txt"
done
"$TOP/scripts/result.sh" summary
