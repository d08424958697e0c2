#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Reset build/linux to `base` and apply patches/series with git am, one patch
# at a time.  A patch that does not apply stops the run with its name and
# the conflicting files, leaving build/linux at the last good commit.
# Refuses to throw away uncommitted work; the previous HEAD stays reachable
# as refs/backup/<time>.
set -eu
. "$(dirname "$0")/lib.sh"

cd "$LINUX"
git rev-parse -q --verify refs/tags/base >/dev/null || die "no base in build/linux: run 'make base'"
[ -z "$(git status --porcelain)" ] ||
	die "build/linux has uncommitted changes: commit them (and 'make export') or discard them first"
if [ -d "$(git rev-parse --git-path rebase-apply)" ]; then
	git am --abort
fi
# Already applied?  Then leave the files (and their mtimes, and so the
# builds) alone.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
format_series "$tmp"
(cd "$tmp" && ls -- *.patch 2>/dev/null) >"$tmp/applied" || true
if [ "$(git rev-parse --abbrev-ref HEAD)" = work ] &&
   grep -v '^#' "$TOP/patches/series" | diff -q - "$tmp/applied" >/dev/null &&
   (cd "$tmp" && for p in $(cat applied); do cmp -s "$p" "$TOP/patches/$p" || exit 1; done); then
	say "build/linux: already at base + patches/series ($(wc -l <"$tmp/applied") patches)"
	exit 0
fi
if [ "$(git rev-parse HEAD)" != "$(git rev-parse base)" ]; then
	git update-ref "refs/backup/$(date +%Y%m%d-%H%M%S)" HEAD
fi
git checkout -q -B work base

n=0
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	[ -f "$TOP/patches/$p" ] || die "patches/series names $p, which does not exist"
	if ! git_linux am -q -3 --committer-date-is-author-date "$TOP/patches/$p" \
		>"$LOGS/am.log" 2>&1; then
		echo "ERROR: patches/$p does not apply on top of $(git log -1 --format='%h %s')" >&2
		echo "conflicting files:" >&2
		{ git diff --name-only --diff-filter=U
		  sed -n 's/^error: patch failed: \(.*\):[0-9]*$/\1/p' "$LOGS/am.log"
		} | sort -u | sed 's/^/  /' >&2
		sed 's/^/  git am: /' "$LOGS/am.log" | tail -n 15 >&2
		git am --abort
		echo "build/linux is left at the last good commit ($n patches applied)" >&2
		exit 1
	fi
	n=$((n + 1))
done <"$TOP/patches/series"
say "build/linux: $n patches applied on base ($(git config --get series.base))"
