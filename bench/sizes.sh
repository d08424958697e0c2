#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Memory cost of the series: sizeof(struct dma_fence), struct dma_fence_array
# and struct dma_fence_chain at `base` and at HEAD of build/linux, on x86_64,
# for the configurations that change the size of spinlock_t:
#
#   defconfig       x86_64_defconfig (spinlock_t 4 bytes)
#   debug-spinlock  + DEBUG_SPINLOCK (24 bytes)
#   lockdep         + PROVE_LOCKING (DEBUG_SPINLOCK + DEBUG_LOCK_ALLOC: 64 bytes)
#   rt              + PREEMPT_RT (rt_mutex based spinlock_t: 32 bytes), as in
#                   Debian's linux-image-rt-amd64
#
#   bench/sizes.sh [CONFIG...]       (default: all four)
#
# Builds only the three dma-buf objects that define the types, with -g, in
# a worktree of its own (build/bench-src) and build/out/bench-<config>, and
# reads the sizes with gdb.  Writes bench/results/sizes.md.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

SRC=$BUILD/bench-src
REPORT=$TOP/bench/results/sizes.md
CONFIGS=${*:-defconfig debug-spinlock lockdep rt}
OBJS="drivers/dma-buf/dma-fence.o drivers/dma-buf/dma-fence-array.o drivers/dma-buf/dma-fence-chain.o"
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}

frag() {
	case $1 in
	defconfig) ;;
	debug-spinlock) echo CONFIG_DEBUG_KERNEL=y; echo CONFIG_DEBUG_SPINLOCK=y ;;
	lockdep) echo CONFIG_DEBUG_KERNEL=y; echo CONFIG_PROVE_LOCKING=y ;;
	rt) echo CONFIG_EXPERT=y; echo CONFIG_PREEMPT_RT=y ;;
	*) die "unknown configuration $1" ;;
	esac
}

kmake() { make -C "$SRC" O="$1" CC="ccache gcc" KCFLAGS=-g -j"$(nproc)" "${@:2}"; }

# sizeof TYPE OBJ: sizeof(struct TYPE) from OBJ's debug info
sizeof() { gdb -batch -ex "print sizeof(struct $1)" "$2" 2>/dev/null | sed -n 's/^\$1 = //p'; }

BASE_SHA=$(git -C "$LINUX" rev-parse base)
HEAD_SHA=$(git -C "$LINUX" rev-parse HEAD)
git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1 ||
	git -C "$LINUX" worktree add -q -f --detach "$SRC" "$BASE_SHA"
mkdir -p "$(dirname "$REPORT")" "$LOGS/bench"

rows=
for c in $CONFIGS; do
	out=$BUILD/out/bench-$c
	mkdir -p "$out"
	line="| $c"
	for rev in base head; do
		if [ $rev = base ]; then sha=$BASE_SHA; else sha=$HEAD_SHA; fi
		git -C "$SRC" checkout -q -f --detach "$sha"
		if [ ! -f "$out/.config" ] || [ "$(frag "$c" | md5sum)" != "$(cat "$out/.frag-md5" 2>/dev/null)" ]; then
			kmake "$out" defconfig >"$LOGS/bench/sizes-$c.log" 2>&1
			frag "$c" >>"$out/.config"
			kmake "$out" olddefconfig >>"$LOGS/bench/sizes-$c.log" 2>&1
			frag "$c" | while read -r l; do
				grep -qx "$l" "$out/.config" || die "$c: $l did not stick"
			done
			frag "$c" | md5sum >"$out/.frag-md5"
		fi
		(cd "$out" && rm -f $OBJS)
		step "sizes: $c at $rev" "bench/sizes-$c-$rev.log" kmake "$out" $OBJS
		line="$line | $(sizeof spinlock "$out/drivers/dma-buf/dma-fence.o")"
		line="$line | $(sizeof dma_fence "$out/drivers/dma-buf/dma-fence.o")"
		line="$line | $(sizeof dma_fence_array "$out/drivers/dma-buf/dma-fence-array.o")"
		line="$line | $(sizeof dma_fence_chain "$out/drivers/dma-buf/dma-fence-chain.o")"
	done
	rows="$rows$line |
"
done

{
	echo "# sizeof, base vs series (x86_64)"
	echo
	echo "base $(git -C "$LINUX" log -1 --format='%h' base), series HEAD $(git -C "$LINUX" log -1 --format='%h %s' HEAD | cut -c1-60);"
	echo "written by bench/sizes.sh on $(date -u +%Y-%m-%d), $(gcc --version | head -n 1)."
	echo
	echo "| config | spinlock_t base | dma_fence base | array base | chain base | spinlock_t series | dma_fence series | array series | chain series |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	printf '%s' "$rows"
} >"$REPORT"
cat "$REPORT"
