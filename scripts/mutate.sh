#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Mutation check: seed each lifetime bug of tests/mutations/*.patch into the
# series, rebuild the guest kernel (incremental, ccache), run the KUnit
# suites (or the guest scenarios it names) in a boot of its own, and count
# the mutation as caught when a case fails or the kernel splats.  Ends with "caught X/Y" and the survivors.
#
#   scripts/mutate.sh [MUTATION.patch...]     (default: all of them)
#
# Works in build/linux itself (it must be clean) and restores it, and the
# guest kernel, when done.  Each patch starts with "# " lines: the first
# says what bug it seeds, "# caught-by:" names the case expected to catch it,
# and an optional "# run: vm SCENARIO..." runs those guest scenarios
# (tests/vm) instead of the KUnit suites, "# run: cocci" the Coccinelle
# checks of tests/cocci (scripts/cocci.sh: no kernel build, no boot).
set -eu
. "$(dirname "$0")/lib.sh"

[ -z "$(git -C "$LINUX" status --porcelain)" ] ||
	die "build/linux has uncommitted changes: commit or stash them first"
[ $# -gt 0 ] || set -- "$TOP"/tests/mutations/*.patch
# git apply runs in build/linux: make the paths absolute
set -- $(for m; do realpath -e "$m" || die "no mutation $m"; done)
ML=$LOGS/mutate
rm -rf "$ML"
mkdir -p "$ML"
restore() {
	git -C "$LINUX" checkout -q -- .
	say "build/linux restored; rebuilding the guest kernel"
	"$TOP/scripts/build-guest.sh" >"$ML/restore.log" 2>&1 || tail -n 20 "$ML/restore.log"
}
trap restore EXIT

t0=$(date +%s)
caught=0 total=0 survivors=
for m; do
	name=$(basename "$m" .patch)
	total=$((total + 1))
	what=$(sed -n '1s/^# //p' "$m")
	say "[$name] $what"
	git -C "$LINUX" apply "$m" || die "$name does not apply"
	vm=$(sed -n 's/^# run: vm //p' "$m")
	if grep -qx '# run: cocci' "$m"; then
		RESULTS=$ML/$name.results "$TOP/scripts/cocci.sh" >"$ML/$name.cocci.log" 2>&1 || true
	elif ! "$TOP/scripts/build-guest.sh" >"$ML/$name.build.log" 2>&1; then
		echo "  does not build (a mutation must build): see ${ML#"$TOP"/}/$name.build.log"
		survivors="$survivors $name(no-build)"
		git -C "$LINUX" checkout -q -- .
		continue
	elif [ -n "$vm" ]; then
		# shellcheck disable=SC2086 # a list of scenarios
		VM_TAG=mutate VM_FENCES=200 RESULTS=$ML/$name.results \
			"$TOP/scripts/vm-test.sh" $vm >"$ML/$name.vm.log" 2>&1 || true
		cp "$LOGS/mutate-console.log" "$ML/$name.console.log"
	else
		RESULTS=$ML/$name.results "$TOP/scripts/kunit.sh" >"$ML/$name.kunit.log" 2>&1 || true
		cp "$LOGS/kunit-console.log" "$ML/$name.console.log"
	fi
	touch "$ML/$name.results"
	fails=$(sed -n 's/^FAIL //p' "$ML/$name.results" | tr '\n' ' ')
	if [ -n "$fails" ]; then
		caught=$((caught + 1))
		echo "  caught by: $fails"
	else
		echo "  SURVIVED (expected: $(sed -n 's/^# caught-by: //p' "$m"))"
		survivors="$survivors $name"
	fi
	git -C "$LINUX" checkout -q -- .
done
say "caught $caught/$total in $(($(date +%s) - t0))s${survivors:+; survivors:$survivors}"
[ "$caught" = "$total" ]
