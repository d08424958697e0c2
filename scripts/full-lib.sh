# SPDX-License-Identifier: GPL-2.0
# The parts the checks of scripts/check-full.sh share: settings, the
# series' revisions, the worktree, package installs, kbuild runs (kmake,
# configure, the probe of the objects a configuration builds, object builds
# with their results cache), warning keys (norm_build, AWK_CANON, AWK_CODE),
# the base/HEAD comparison of the headers and arm64 checks, and the
# directory lists (header users, ARM-only ones).  Source it after lib.sh,
# do not run it.  The environment variables are described in
# scripts/check-full.sh.
# shellcheck shell=bash disable=SC2034 # (settings the check scripts use)

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

# FULL_DRY_RUN=1 (check-full.sh): the checks say what they would build (and
# dry_plan whether a cached result would be taken instead); they configure,
# build, install and check out nothing
dry_run() { [ "${FULL_DRY_RUN:-}" = 1 ]; }
dry_plan() {	# dry_plan KEYFILE WHAT [TODO]: TODO default "to build"
	if [ "${FULL_NOCACHE:-}" != 1 ] && [ -f "$1" ]; then
		say "  (dry run) $2: cached result of an earlier run"
	else
		say "  (dry run) $2: ${3:-to build}"
	fi
}

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

# build/linux's refs are read once, by check-full.sh, which passes them on
# to the check scripts it runs in FULL_RUN_SHAS ("BASE HEAD SERIES"): a
# commit made in build/linux meanwhile does not change what a run checks.
if [ -z "${FULL_RUN_SHAS:-}" ]; then
	BASE_SHA=$(git -C "$LINUX" rev-parse --verify "${FULL_BASE:-base}^{commit}") ||
		die "no ${FULL_BASE:-base} in $LINUX"
	HEAD_SHA=$(git -C "$LINUX" rev-parse --verify "${FULL_HEAD:-HEAD}^{commit}") ||
		die "no ${FULL_HEAD:-HEAD} in $LINUX"
	# the series' last commit (build/linux's HEAD), whatever FULL_HEAD says
	SERIES_SHA=$(git -C "$LINUX" rev-parse --verify HEAD^{commit})
	export FULL_RUN_SHAS="$BASE_SHA $HEAD_SHA $SERIES_SHA"
fi
read -r BASE_SHA HEAD_SHA SERIES_SHA <<<"$FULL_RUN_SHAS"
NCOMMITS=$(git -C "$LINUX" rev-list --count "$BASE_SHA..$HEAD_SHA")

# full_worktree: the worktree the checks check revisions out in ($SRC),
# created at base if missing
full_worktree() {
	if ! git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
		step "create worktree ${SRC#"$TOP"/}" "$FL/worktree.log" \
			git -C "$LINUX" worktree add -f --detach "$SRC" "$BASE_SHA"
	fi
}

# Extra Debian packages, only when missing.
need_pkgs() {
	local p missing=
	for p; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if dry_run; then say "(dry run) would install:$missing"; return 0; fi
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
mkdir -p "$FL" "$(dirname "$RESULTS")"
dry_run || mkdir -p "$CACHE"
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
	if dry_run; then
		dry_plan "$key.rc" "$label: $arch build at $(git -C "$LINUX" log -1 --format='%h %s' "$sha" | cut -c1-60), $flags, the objects of $# dir(s)"
		return 0
	fi
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
