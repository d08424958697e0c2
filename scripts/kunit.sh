#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the KUnit suites built into the guest kernel with kunit.py, on x86_64
# QEMU with two CPUs; record one verdict per case and one for a splat-free
# log.  (A developer can also run one suite alone, on UML or x86_64:
# tools/testing/kunit/kunit.py run --kunitconfig=drivers/dma-buf)
set -eu
. "$(dirname "$0")/lib.sh"

OUT=${GUEST_OUT:-$BUILD/out/guest}
if ! grep -qv '^#' "$TOP/tests/kunit/suites"; then
	say "kunit: tests/kunit/suites lists no suite yet"
	exit 0
fi
log=$LOGS/kunit-console.log
a=$("$TOP/scripts/qemu.sh" accel)
: >"$log"
: >"$LOGS/kunit-parsed.log"
: >"$LOGS/kunit-verdicts"
# One boot per line of tests/kunit/suites, running the cases its filter
# glob selects (kunit.filter_glob, "suite.case" shell patterns).
n=0
while read -r dir glob rest; do
	case "$dir" in ''|'#'*) continue ;; esac
	[ -n "$glob" ] || die "tests/kunit/suites: no filter glob for $dir"
	n=$((n + 1))
	blog=$LOGS/kunit-console-$n.log
	say "kunit.py exec '$glob' ($dir) on x86_64 ($a, 2 CPUs)"
	t0=$(date +%s)
	(cd "$LINUX" && ./tools/testing/kunit/kunit.py exec --arch=x86_64 \
		--build_dir="$OUT" --timeout="${VM_TIMEOUT:-1500}" --raw_output=all \
		--qemu_args="$("$TOP/scripts/qemu.sh" args)" "$glob") >"$blog" 2>&1 || true
	cat "$blog" >>"$log"
	(cd "$LINUX" && ./tools/testing/kunit/kunit.py parse "$blog") >"$blog.parsed" 2>&1 || true
	cat "$blog.parsed" >>"$LOGS/kunit-parsed.log"
	say "kunit: '$glob' ran $(($(date +%s) - t0))s; results in ${LOGS#"$TOP"/}/kunit-parsed.log"
	grep -E 'Testing complete|Ran [0-9]+ tests|FAILED|CRASHED' "$blog.parsed" || true

	# One verdict per test case, from kunit.py's JSON (suite.case).
	rm -f "$blog.json"
	(cd "$LINUX" && ./tools/testing/kunit/kunit.py parse --json="$blog.json" "$blog") >/dev/null 2>&1 || true
	python3 - "$blog.json" "$glob" <<'PY' >>"$LOGS/kunit-verdicts" || echo "FAIL kunit/parse-$n" >>"$LOGS/kunit-verdicts"
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
done <"$TOP/tests/kunit/suites"
while read -r v name; do "$TOP/scripts/result.sh" "$v" "$name"; done <"$LOGS/kunit-verdicts"
if "$TOP/scripts/splat-check.sh" "$log"; then
	"$TOP/scripts/result.sh" PASS kunit/no-splat
else
	"$TOP/scripts/result.sh" FAIL kunit/no-splat
fi
