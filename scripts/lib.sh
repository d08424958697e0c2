# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the scripts in this directory.  Source it, do not run it.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
LINUX=$BUILD/linux
LOGS=$BUILD/logs
mkdir -p "$LOGS"

say() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# step NAME LOG CMD...: run CMD with its output in $LOGS/LOG (LOG if absolute),
# say how long it took, and on failure print the log's tail.
step() {
	local name=$1 log=$2 t0 rc=0
	case $log in /*) ;; *) log=$LOGS/$log ;; esac
	shift 2
	t0=$(date +%s)
	say "$name (log: ${log#"$TOP"/})"
	"$@" >"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		printf '%s failed (exit %d) after %ds; last lines of %s:\n' \
			"$name" "$rc" $(($(date +%s) - t0)) "$log" >&2
		tail -n 40 "$log" >&2
		return "$rc"
	fi
	say "$name: done in $(($(date +%s) - t0))s"
}

# Extra sparse flags (make CF=) for every C=1 build.  Sparse reports
# nothing after its first error in a file, and static assertions on struct
# sizes or offsets, which sparse computes differently from gcc, are such
# errors on the base: every amdgpu object (amdgv_sriovmsg.h), imagination's
# pvr objects (pvr_rogue_fwif_check.h), amd display's dmub_dcn401.c.  gcc
# checks every static assertion; sparse is told to skip them.  The quotes
# keep the parentheses away from the shell kbuild runs sparse in.
SPARSE_CF="'-D_Static_assert(...)='"

# Identity used for commits in the work tree, so that `git am` and
# `git format-patch` never depend on the user's global configuration.
git_linux() {
	git -C "$LINUX" -c user.name="dma-fence series" \
		-c user.email="dma-fence@localhost" "$@"
}

# format_series DIR: write base..HEAD of build/linux as numbered patches in
# DIR, byte-stable (no commit ids, no signature), as patches/ holds them.
# Empty context lines are written empty, not as a single space: checkpatch
# run on a patch file that git tracks checks it as a plain file and would
# report each of those spaces as trailing whitespace; git am reads an empty
# line in a hunk as an empty context line.
format_series() {
	git -C "$LINUX" -c diff.suppressBlankEmpty=true format-patch -q \
		--numbered --zero-commit --no-signature \
		--subject-prefix=PATCH -o "$1" base..HEAD
}
