# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the scripts in this directory.  Source it, do not run it.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
LINUX=$BUILD/linux
LOGS=$BUILD/logs
mkdir -p "$LOGS"

say() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# step NAME LOG CMD...: run CMD with its output in $LOGS/LOG, say how long it
# took, and on failure print the log's tail.
step() {
	local name=$1 log=$LOGS/$2 t0 rc=0
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
# nothing after its first error in a file, and every amdgpu object hits one
# on the base: amdgv_sriovmsg.h's _Static_assert on a struct size, which
# sparse computes differently from gcc, inside "#ifdef __linux__".  Without
# __linux__ (and with _LINUX, which ACPI's headers accept instead) sparse
# skips that block and checks amdgpu like any other driver; gcc still
# checks the assertion.  The only other users of __linux__ outside tools/
# are uapi headers that test __KERNEL__ first, and sound/coda uapi headers.
SPARSE_CF="-U__linux__ -D_LINUX"

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
