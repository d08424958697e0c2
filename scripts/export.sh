#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate patches/NNNN-*.patch and patches/series from the commits
# base..HEAD of build/linux.  The hand-written cover letter
# (patches/0000-cover-letter.patch) keeps its text; its subject count,
# shortlog and diffstat are refreshed.  Byte-stable: the same commits give
# the same files.
set -eu
. "$(dirname "$0")/lib.sh"

cd "$LINUX"
[ -z "$(git status --porcelain)" ] ||
	die "build/linux has uncommitted changes: commit them first (nothing exported)"
[ ! -d "$(git rev-parse --git-path rebase-apply)" ] ||
	die "build/linux is in the middle of git am/rebase: finish it first"

q=$TOP/patches
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
format_series "$tmp"
n=$(git rev-list --count base..HEAD)

cover=$q/0000-cover-letter.patch
if [ -f "$cover" ]; then
	# Keep everything above the shortlog marker, refresh what follows.
	sed -n '/^-- >8 -- shortlog$/q;p' "$cover" >"$tmp/cover"
	sed -i "s|^Subject: \[PATCH 0/[0-9]*\]|Subject: [PATCH 0/$n]|" "$tmp/cover"
	{
		cat "$tmp/cover"
		echo "-- >8 -- shortlog"
		git shortlog base..HEAD
		git diff --stat=72 --summary base..HEAD
	} >"$tmp/0000-cover-letter.patch"
fi

find "$q" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' -delete
mv "$tmp"/*.patch "$q"/ 2>/dev/null || true
{
	echo "# Applied in this order on Debian linux-source-6.12 (base.version)."
	(cd "$q" && ls [0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v '^0000-' || true)
} >"$q/series"
say "patches/: $n patches exported"
