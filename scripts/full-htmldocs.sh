#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-full.sh's htmldocs check (run it as `scripts/check-full.sh
# htmldocs`; the shared parts are in scripts/full-lib.sh):
#
#   htmldocs    make htmldocs SPHINXDIRS=driver-api (dma-buf.rst lives there)
#               at base and HEAD; fails on new Sphinx/kernel-doc warnings.
#
# FULL_SPHINXDIRS replaces driver-api.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/full-lib.sh"

# Sphinx and kernel-doc warnings of a htmldocs log, without line numbers
norm_docs() {
	grep -E 'WARNING|ERROR|CRITICAL|warning:|error:' "$1" |
		sed -E -e "s#$SRC/##g" -e "s#$OUT_DOC/##g" -e 's#:[0-9]+(:[0-9]+)?:#:#g' |
		sort || true
}

check_htmldocs() {
	local C=$FL/htmldocs dirs=${FULL_SPHINXDIRS:-driver-api} sha label key rc
	rm -rf "$C" && mkdir -p "$C"
	need_pkgs python3-sphinx python3-yaml
	if ! dry_run; then
		checkout "$HEAD_SHA"
		# informational: the kernel's own view of the Sphinx setup
		(cd "$SRC" && perl scripts/sphinx-pre-install --no-pdf --no-virtualenv) >"$C/sphinx-pre-install.log" 2>&1 || true
		say "htmldocs: $(sphinx-build --version 2>&1) (python3 $(python3 -c 'import sys; print(sys.version.split()[0])'));" \
			"sphinx-pre-install says: $(grep -E '^(Sphinx version|Warning|ERROR)' "$C/sphinx-pre-install.log" | tr '\n' ' ' | cut -c1-200)"
	fi
	for label in base head; do
		if [ $label = base ]; then sha=$BASE_SHA; else sha=$HEAD_SHA; fi
		key=$CACHE/htmldocs-$sha-$(printf '%s\n' "$dirs" "$(sphinx-build --version 2>&1)" | md5sum | cut -c1-16)
		if dry_run; then
			dry_plan "$key.rc" "$label: make htmldocs SPHINXDIRS=$dirs at $(git -C "$LINUX" log -1 --format='%h %s' "$sha" | cut -c1-60)"
			continue
		fi
		if [ "${FULL_NOCACHE:-}" != 1 ] && [ -f "$key.rc" ]; then
			cp "$key.log" "$C/$label.log"; cp "$key.rc" "$C/$label.rc"
			say "$label: cached result of an earlier run"
		else
			checkout "$sha"
			rm -rf "$OUT_DOC/Documentation/output"
			mkdir -p "$OUT_DOC"
			rc=0
			step "$label: make htmldocs SPHINXDIRS=$dirs" "$C/$label.log" \
				nice -n "$NICE" make -C "$SRC" O="$OUT_DOC" -j"$JOBS" htmldocs SPHINXDIRS="$dirs" || rc=$?
			echo $rc >"$C/$label.rc"
			sed -i "s#$SRC/##g" "$C/$label.log"	# cached logs outlive $SRC
			[ "$rc" != 0 ] || { cp "$C/$label.log" "$key.log"; cp "$C/$label.rc" "$key.rc"; }
		fi
		norm_docs "$C/$label.log" >"$C/$label.warn"
		say "  $label: $(wc -l <"$C/$label.warn") warning(s), make exit $(cat "$C/$label.rc")"
	done
	! dry_run || return 0
	comm -13 "$C/base.warn" "$C/head.warn" >"$C/new-warnings.txt"
	if [ -s "$C/new-warnings.txt" ] || [ "$(cat "$C/base.rc")$(cat "$C/head.rc")" != 00 ]; then
		say "htmldocs: new warnings at HEAD (or make htmldocs failed):"
		sed 's/^/      | /; s/\t/  /g' "$C/new-warnings.txt" | head -n 50
		"$TOP/scripts/result.sh" FAIL full/htmldocs/new-warnings
	else
		"$TOP/scripts/result.sh" PASS full/htmldocs/new-warnings
	fi
}

check_htmldocs
