# The DRM scheduler's KUnit suites as a module: gpu_sched stays a module in
# the guest, to be unloaded, so they cannot be built in.  They run when the
# module loads (vm-test boots with kunit.filter_glob=drm_sched*, which keeps
# the built-in suites for make kunit); their KTAP output is in the kernel
# log.  Then both modules are unloaded.
# from: drm/sched: Add KUnit tests with a mock backend
modprobe drm-sched-tests || { echo "modprobe drm-sched-tests failed"; exit 1; }
rmmod drm-sched-tests || { echo "rmmod drm-sched-tests failed"; exit 1; }
rmmod gpu-sched || { echo "rmmod gpu-sched failed"; exit 1; }
log=$(dmesg | sed 's/^\[[^]]*\] //')
echo "$log" | grep -E '^    (not )?ok [0-9]+ |^# drm_sched' || true
passed=$(echo "$log" | grep -E '^    ok [0-9]+ ' | grep -vc '# SKIP')
failed=$(echo "$log" | grep -cE '^    not ok [0-9]+ ')
skipped=$(echo "$log" | grep -E '^    ok [0-9]+ ' | grep -c '# SKIP')
echo "drm_sched KUnit as a module: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$skipped" = 0 ] && [ "$passed" -gt 0 ]
