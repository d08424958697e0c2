#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install, with apt, the Debian 12 packages the project needs (the kernel
# source itself is fetched by fetch-base.sh), and the packages named as
# arguments (what one target alone needs, like gnuplot for `make bench`).
# Quiet when all are present.
set -eu
. "$(dirname "$0")/lib.sh"

pkgs="build-essential bc bison flex libelf-dev libssl-dev cpio kmod rsync
xz-utils git perl python3 ccache sparse coccinelle qemu-system-x86 busybox-static $*"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
[ "$(id -u)" = 0 ] || die "missing packages:$missing (run as root, or install them)"
export DEBIAN_FRONTEND=noninteractive
step "apt-get update" apt-update.log apt-get update -q
step "apt-get install$missing" apt-install.log apt-get install -y -q --no-install-recommends $missing
