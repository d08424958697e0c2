#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the one x86_64 debug kernel that runs both the KUnit suites (built
# in) and the guest scenarios (issuers as modules), out of tree in
# build/out/guest (or $GUEST_OUT), with ccache.
#
# The configuration is what kunit.py would make: olddefconfig over the
# fragments in tests/kunit/debug.config, tests/vm/guest.config and every
# .kunitconfig listed in tests/kunit/suites.
set -eu
. "$(dirname "$0")/lib.sh"

SRC=${SRC:-$LINUX}
OUT=${GUEST_OUT:-$BUILD/out/guest}
JOBS=${JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2024-11-17}
mkdir -p "$OUT"

frags="$TOP/tests/kunit/debug.config $TOP/tests/vm/guest.config"
while read -r dir _; do
	case "$dir" in ''|'#'*) continue ;; esac
	if [ ! -f "$SRC/$dir/.kunitconfig" ]; then
		# The unpatched base (make demo BASE=1, make vm-base) predates
		# the series' suites: build it without them.
		[ "${BASE_TREE:-0}" = 1 ] || die "tests/kunit/suites names $dir, which has no .kunitconfig"
		say "note: $dir has no .kunitconfig in this tree: built without its suite"
		continue
	fi
	frags="$frags $SRC/$dir/.kunitconfig"
done <"$TOP/tests/kunit/suites"

want=$OUT/.config.want
cat $frags | grep '^CONFIG_' | sort -u >"$want"
cat "$want" "$TOP/tests/vm/optional.config" >"$OUT/.config.frag"
if ! cmp -s "$OUT/.config.frag" "$OUT/.config.frag.used" 2>/dev/null || [ ! -f "$OUT/.config" ]; then
	cp "$OUT/.config.frag" "$OUT/.config"
	step "configure guest kernel" "$(basename "$OUT")-config.log" \
		make -C "$SRC" O="$OUT" ARCH=x86_64 olddefconfig
	cp "$OUT/.config.frag" "$OUT/.config.frag.used"
fi

# Every option asked for must have ended up as asked (as kunit.py checks).
bad=0
while IFS='=' read -r opt val; do
	case "$val" in
	n) grep -qx "$opt=.*" "$OUT/.config" && { echo "config: $opt is set, wanted n"; bad=1; } ;;
	*) grep -qx "$opt=$val" "$OUT/.config" || { echo "config: $opt is not $val"; bad=1; } ;;
	esac
done <"$want"
[ "$bad" = 0 ] || die "guest kernel config misses options (dependencies?)"

step "build guest kernel ($JOBS jobs, ccache)" "$(basename "$OUT")-build.log" \
	make -C "$SRC" O="$OUT" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" bzImage modules
