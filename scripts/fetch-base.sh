#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install Debian's linux-source-6.12 at the version pinned in base.version
# (or the newest 6.12.y apt offers, loudly), unpack it once into
# build/pristine/<version>/, and lay it out as a git tree in build/linux with
# the pristine tree committed and tagged `base`.
set -eu
. "$(dirname "$0")/lib.sh"

want=$(cat "$TOP/base.version")
pkg=linux-source-6.12
have=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
if [ "$have" != "$want" ]; then
	if ! apt-get install -y -q "$pkg=$want" >"$LOGS/apt-linux-source.log" 2>&1; then
		apt-get update -q >>"$LOGS/apt-linux-source.log" 2>&1
		if ! apt-get install -y -q "$pkg=$want" >>"$LOGS/apt-linux-source.log" 2>&1; then
			apt-get install -y -q "$pkg" >>"$LOGS/apt-linux-source.log" 2>&1 ||
				die "cannot install $pkg (see $LOGS/apt-linux-source.log)"
		fi
	fi
	have=$(dpkg-query -W -f='${Version}' "$pkg")
fi
if [ "$have" != "$want" ]; then
	echo "************************************************************"
	echo "WARNING: base.version pins $pkg $want, but apt offers $have."
	echo "WARNING: using $have; the series is applied with git am -3."
	echo "************************************************************"
fi
echo "$have" >"$BUILD/base.used"

pristine=$BUILD/pristine/$have
if [ ! -f "$pristine/.unpacked" ]; then
	rm -rf "$pristine"
	mkdir -p "$pristine"
	step "unpack $pkg $have" unpack.log \
		tar -C "$pristine" --strip-components=1 -xf /usr/src/linux-source-6.12.tar.xz
	touch "$pristine/.unpacked"
fi

# series.baselayout: 2 = the base commit holds every file of the package,
# including the ones Debian's .gitignore files ignore (.kunitconfig,
# .cocciconfig, .mailmap, ...); a layout-1 base lacked them.
if git -C "$LINUX" rev-parse -q --verify refs/tags/base >/dev/null 2>&1 &&
   [ "$(git -C "$LINUX" config --get series.base || true)" = "$have" ] &&
   [ "$(git -C "$LINUX" config --get series.baselayout || true)" = 2 ]; then
	say "build/linux: base $have already in place"
	exit 0
fi

[ -e "$LINUX" ] && [ -n "$(git -C "$LINUX" status --porcelain 2>/dev/null | head -1)" ] &&
	die "build/linux has uncommitted changes; commit or remove them first"
if [ -d "$LINUX/.git" ]; then
	# Keep whatever was there reachable, so that nothing is lost.
	git -C "$LINUX" update-ref "refs/backup/$(date +%Y%m%d-%H%M%S)" HEAD 2>/dev/null || true
	git -C "$LINUX" tag -d base >/dev/null 2>&1 || true
fi
mkdir -p "$LINUX"
step "copy pristine tree to build/linux" copy-base.log \
	rsync -a --delete --exclude=/.git --exclude=/.unpacked "$pristine/" "$LINUX/"

# Debian's top-level .gitignore ends with a packaging block ("/*" then
# "!/debian/") that would hide every top-level entry from git.
sed -i '/^# Debian packaging: ignore everything/,$d' "$LINUX/.gitignore"
sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$LINUX/.gitignore"
sed -i '${/^#$/d}' "$LINUX/.gitignore"

cd "$LINUX"
[ -d .git ] || git init -q -b work
# A new base is a root commit, never a child of whatever was checked out
# (an older base, or the series on it): start an unborn branch for it.
if git rev-parse -q --verify HEAD >/dev/null; then
	git update-ref -d refs/heads/base-import 2>/dev/null || true
	git symbolic-ref HEAD refs/heads/base-import
fi
git config core.autocrlf false
git config diff.algorithm myers
git config format.signature ""
git config series.base "$have"
# -f: the package's own dot files (.kunitconfig of the KUnit suites,
# .cocciconfig, .mailmap, the .gitignore files themselves) are matched by
# the tree's .gitignore ('.*'); without them the base would not be the
# package.
git_linux add -A -f
git_linux commit -q --allow-empty -m "base: Debian linux-source-6.12 $have

Pristine tree of Debian's linux-source-6.12 package, version $have.
Debian's top-level .gitignore ends with a packaging block that ignores
every top-level entry (\"/*\" then \"!/debian/\"); that block is dropped
here so that git sees the tree and new files in it.  Every file of the
package is committed, including those the .gitignore files match."
git tag base
if [ "$(git symbolic-ref -q HEAD)" = refs/heads/base-import ]; then
	git checkout -q -B work base
	git branch -q -D base-import
fi
git config series.baselayout 2
say "build/linux: base $have committed and tagged 'base'"
