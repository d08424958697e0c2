#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Pack the guest's initramfs: busybox-static, the guest init, the guest
# kernel's modules, the C programs of tests/vm/ (static, against the tree's
# uapi headers), the test modules of tests/vm/modules and the in-tree sync
# selftests (built by their own Makefile).
set -eu
. "$(dirname "$0")/lib.sh"

SRC=${SRC:-$LINUX}
OUT=${GUEST_OUT:-$BUILD/out/guest}
ROOT=$OUT/initramfs
IMG=$OUT/initramfs.cpio.gz

rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,dev,proc,sys,tmp,tests,lib/modules}
cp /bin/busybox "$ROOT/bin/busybox"
for app in $("$ROOT/bin/busybox" --list); do
	[ -e "$ROOT/bin/$app" ] || ln -s busybox "$ROOT/bin/$app"
done
cp "$TOP/tests/vm/init" "$ROOT/init"
chmod +x "$ROOT/init"

step "install guest headers and modules" "$(basename "$OUT")-modules.log" sh -c "
	make -C '$SRC' O='$OUT' ARCH=x86_64 LOCALVERSION= headers &&
	make -C '$SRC' O='$OUT' ARCH=x86_64 LOCALVERSION= INSTALL_MOD_PATH='$ROOT' \
		INSTALL_MOD_STRIP=1 modules_install"

hdr=$OUT/usr/include
cflags="-O2 -Wall -Wextra -Werror -static -pthread -I$hdr"
for c in "$TOP"/tests/vm/*.c; do
	[ -e "$c" ] || continue
	gcc $cflags -o "$ROOT/tests/$(basename "$c" .c)" "$c" ||
		die "guest program $(basename "$c") does not build"
done
cp "$TOP"/tests/vm/*.sh "$ROOT/tests/" 2>/dev/null || true

# the test modules of tests/vm/modules (not part of the series), built
# against the guest kernel in a copy: 6.12's kbuild writes into M=
mods=$OUT/test-modules
rm -rf "$mods"
cp -r "$TOP/tests/vm/modules" "$mods"
step "build the test modules (tests/vm/modules)" guest-test-modules.log \
	make -C "$SRC" O="$OUT" ARCH=x86_64 LOCALVERSION= M="$mods" W=1 modules
cp "$mods"/*.ko "$ROOT/tests/"

st=$OUT/selftests/sync
mkdir -p "$st"
step "build tools/testing/selftests/sync" guest-sync-selftest.log \
	make -C "$SRC/tools/testing/selftests/sync" OUTPUT="$st" \
		KHDR_INCLUDES="-I$hdr" LDFLAGS="-pthread -static"
cp "$st/sync_test" "$ROOT/tests/sync_test"

(cd "$ROOT" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 >"$IMG"
say "initramfs: ${IMG#"$TOP"/} ($(du -k "$IMG" | cut -f1) KiB)"
