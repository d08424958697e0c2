#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-full.sh's headers check (run it as `scripts/check-full.sh headers`;
# the shared parts are in scripts/full-lib.sh):
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
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/full-lib.sh"

check_headers() {
	local C=$FL/headers dirs
	rm -rf "$C" && mkdir -p "$C"
	dirs=$(user_dirs)
	say "headers: $(echo "$dirs" | wc -w) director(ies): $(echo $dirs | cut -c1-200)$([ ${#dirs} -le 200 ] || echo ...)"
	! dry_run || printf '      %s\n' $dirs
	objbuild headers x86_64 "$OUT_X86" "$BASE_SHA" base "W=1 C=1" $dirs
	objbuild headers x86_64 "$OUT_X86" "$HEAD_SHA" head "W=1 C=1" $dirs
	dry_run || compare headers
}

check_headers
