# amdgpu's KUnit suites (its hardware fences on a mock ring, and from the
# TLB flush fence tests on, its TLB flush fences on a mock GMC) as a module:
# amdgpu stays a module in the guest, to be unloaded, so the suite is the
# module amdgpu-tests and runs when that loads.  The boot's
# kunit.filter_glob selects other suites: it is set to amdgpu's first
# (without a newline, which the parameter would keep).
# The KTAP output is read back from the kernel log, cleared before; then
# amdgpu-tests and amdgpu are unloaded.
# from: drm/amdgpu: Add KUnit tests for hardware fences on a mock ring
glob=/sys/module/kunit/parameters/filter_glob
old=$(cat $glob)
printf %s 'amdgpu_*' >$glob || { echo "cannot set $glob"; exit 1; }
dmesg -c >/dev/null
modprobe amdgpu-tests || { echo "modprobe amdgpu-tests failed"; exit 1; }
printf %s "$old" >$glob
rmmod amdgpu-tests || { echo "rmmod amdgpu-tests failed"; exit 1; }
rmmod amdgpu || { echo "rmmod amdgpu failed"; exit 1; }
log=$(dmesg | sed 's/^\[[^]]*\] //')
echo "$log" | grep -E '^    (not )?ok [0-9]+ |^# amdgpu' || true
passed=$(echo "$log" | grep -E '^    ok [0-9]+ ' | grep -vc '# SKIP')
failed=$(echo "$log" | grep -cE '^    not ok [0-9]+ ')
skipped=$(echo "$log" | grep -E '^    ok [0-9]+ ' | grep -c '# SKIP')
echo "amdgpu KUnit as a module: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$skipped" = 0 ] && [ "$passed" -gt 0 ]
