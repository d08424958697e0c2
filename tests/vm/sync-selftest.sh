# The kernel's own sw_sync selftests (tools/testing/selftests/sync).
# sw_sync is a module with the series, built in on the base.
# from: drm/amdgpu: Hold a reference to the last TLB flush fence while locking it
[ -e /sys/kernel/debug/sync/sw_sync ] || modprobe sw_sync ||
	{ echo "modprobe sw_sync failed"; exit 1; }
/tests/sync_test
