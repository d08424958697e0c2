#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-test.sh [SCENARIO...]: boot the guest kernel with the initramfs and run
# guest scenarios (default: those in tests/vm/scenarios), recording one
# verdict each, plus one for a splat-free console and one for kmemleak.
# VM_FENCES and VM_CYCLES size the scenarios; VM_TAG names the console log.
set -eu
. "$(dirname "$0")/lib.sh"

OUT=${GUEST_OUT:-$BUILD/out/guest}
tag=${VM_TAG:-vm}
if [ $# -eq 0 ]; then
	set -- $(grep -v '^#' "$TOP/tests/vm/scenarios")
fi
list=$(echo "$@" | tr ' ' ,)
log=$LOGS/$tag-console.log

"$TOP/scripts/initramfs.sh"
# kunit.filter_glob=drm_sched*: the built-in KUnit suites run in their own
# boot (make kunit); the scheduler's, a module here, run when a scenario
# loads it.
# sysctl.vm.mem_profiling=1: allocation profiling on (the guest config's
# default, said explicitly), so that an issuer module unloaded while memory it
# allocated is alive WARNs, which fails the run.
"$TOP/scripts/qemu.sh" boot "$log" \
	"kunit.filter_glob=drm_sched* sysctl.vm.mem_profiling=1 vmtest=$list vm.fences=${VM_FENCES:-1000} vm.cycles=${VM_CYCLES:-10}" \
	"$OUT/initramfs.cpio.gz"

grep -a '^VMTEST: \(PASS\|FAIL\|SKIP\)' "$log" | sed 's/^VMTEST: //' || true
grep -a '^VMTEST: \(PASS\|FAIL\) ' "$log" | while read -r _ v name _; do
	"$TOP/scripts/result.sh" "$v" "$tag/$name"
done
for t in "$@"; do
	grep -aq "^VMTEST: \(PASS\|FAIL\|SKIP\) $t " "$log" ||
		{ echo "$t: no verdict (guest crashed or hung?)"; "$TOP/scripts/result.sh" FAIL "$tag/$t"; }
done
if grep -aq '^VMTEST: END' "$log"; then
	"$TOP/scripts/result.sh" PASS "$tag/completed"
else
	echo "guest did not reach the end of its scenarios; console tail:"
	tail -n 40 "$log"
	"$TOP/scripts/result.sh" FAIL "$tag/completed"
fi
if "$TOP/scripts/splat-check.sh" "$log"; then
	"$TOP/scripts/result.sh" PASS "$tag/no-splat"
else
	"$TOP/scripts/result.sh" FAIL "$tag/no-splat"
fi
