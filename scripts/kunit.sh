#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the KUnit suites built into the guest kernel with kunit.py, on x86_64
# QEMU with two CPUs; record one verdict per case and one for a splat-free
# log.  (A developer can also run one suite alone, on UML or x86_64:
# tools/testing/kunit/kunit.py run --kunitconfig=drivers/dma-buf)
# KUNIT_SUITES: another suites file than tests/kunit/suites (check-full's
# boot check: the dma-buf line); KUNIT_TAG names the logs (default kunit:
# build/logs/kunit-*); GUEST_OUT the kernel's build directory.
set -eu
. "$(dirname "$0")/lib.sh"

OUT=${GUEST_OUT:-$BUILD/out/guest}
SUITES=${KUNIT_SUITES:-$TOP/tests/kunit/suites}
tag=${KUNIT_TAG:-kunit}
if ! grep -qv '^#' "$SUITES"; then
	say "kunit: ${SUITES#"$TOP"/} lists no suite yet"
	exit 0
fi
log=$LOGS/$tag-console.log
a=$("$TOP/scripts/qemu.sh" accel)
: >"$log"
: >"$LOGS/$tag-parsed.log"
: >"$LOGS/$tag-verdicts"
# One boot per line of the suites file, running the cases its filter
# glob selects (kunit.filter_glob, "suite.case" shell patterns).
n=0
while read -r dir glob rest; do
	case "$dir" in ''|'#'*) continue ;; esac
	[ -n "$glob" ] || die "${SUITES#"$TOP"/}: no filter glob for $dir"
	n=$((n + 1))
	blog=$LOGS/$tag-console-$n.log
	say "kunit.py exec '$glob' ($dir) on x86_64 ($a, 2 CPUs)"
	t0=$(date +%s)
	(cd "$LINUX" && ./tools/testing/kunit/kunit.py exec --arch=x86_64 \
		--build_dir="$OUT" --timeout="${VM_TIMEOUT:-1500}" --raw_output=all \
		--qemu_args="$("$TOP/scripts/qemu.sh" args)" "$glob") >"$blog" 2>&1 || true
	cat "$blog" >>"$log"
	(cd "$LINUX" && ./tools/testing/kunit/kunit.py parse "$blog") >"$blog.parsed" 2>&1 || true
	cat "$blog.parsed" >>"$LOGS/$tag-parsed.log"
	say "kunit: '$glob' ran $(($(date +%s) - t0))s; results in ${LOGS#"$TOP"/}/$tag-parsed.log"
	grep -E 'Testing complete|Ran [0-9]+ tests|FAILED|CRASHED' "$blog.parsed" || true

	# One verdict per test case, from kunit.py's JSON (suite.case).
	rm -f "$blog.json"
	(cd "$LINUX" && ./tools/testing/kunit/kunit.py parse --json="$blog.json" "$blog") >/dev/null 2>&1 || true
	python3 - "$blog.json" "$glob" <<'PY' >>"$LOGS/$tag-verdicts" || echo "FAIL kunit/parse-$n" >>"$LOGS/$tag-verdicts"
import json, sys

def walk(group, prefix):
    for sub in group.get("sub_groups", []):
        yield from walk(sub, prefix + [sub["name"]])
    for case in group.get("test_cases", []):
        yield ".".join(prefix + [case["name"]]), case["status"]

verdicts = [(n, s) for n, s in walk(json.load(open(sys.argv[1])), []) if s != "SKIP"]
for name, status in verdicts:
    print(("PASS" if status == "PASS" else "FAIL") + " kunit/" + name)
if not verdicts:
    print("FAIL kunit/no-cases-ran-for-" + sys.argv[2])
PY
done <"$SUITES"
while read -r v name; do "$TOP/scripts/result.sh" "$v" "$name"; done <"$LOGS/$tag-verdicts"
if "$TOP/scripts/splat-check.sh" "$log"; then
	"$TOP/scripts/result.sh" PASS kunit/no-splat
else
	"$TOP/scripts/result.sh" FAIL kunit/no-splat
fi
