#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-full.sh's arm64 check (run it as `scripts/check-full.sh arm64`; the
# shared parts are in scripts/full-lib.sh):
#
#   arm64       the same as headers (scripts/full-headers.sh) with ARCH=arm64
#               CROSS_COMPILE=aarch64-linux-gnu- for those header-user
#               directories the x86_64 configuration does not build
#               (ARM-only drivers).
#
# FULL_ARM64_DIRS replaces that list, as is.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/full-lib.sh"

check_arm64() {
	local C=$FL/arm64 dirs none
	rm -rf "$C" && mkdir -p "$C"
	need_pkgs gcc-aarch64-linux-gnu
	if [ -n "${FULL_ARM64_DIRS:-}" ]; then
		dirs=$(printf '%s\n' $FULL_ARM64_DIRS)
	elif dry_run; then
		say "arm64: (dry run) those of these header-user dir(s) of which HEAD's x86_64" \
			"configuration builds nothing, at base and HEAD (an x86_64 allmodconfig at HEAD tells which: not run)"
		user_dirs | sed 's/^/      /'
		return 0
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
	! dry_run || printf '      %s\n' $dirs
	objbuild arm64 arm64 "$OUT_ARM" "$BASE_SHA" base "W=1 C=1" $dirs
	objbuild arm64 arm64 "$OUT_ARM" "$HEAD_SHA" head "W=1 C=1" $dirs
	! dry_run || return 0
	none=$(echo "$dirs" | grep -vxF -f <(cut -d' ' -f1 "$C/head.probe") || true)
	[ -z "$none" ] || say "note: arm64: not built by the arm64 config either: $(echo $none)"
	compare arm64
}

check_arm64
