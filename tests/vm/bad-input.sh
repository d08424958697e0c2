# Every sync_file and sw_sync ioctl with invalid arguments returns the
# expected errno (bad-input), then sw_sync is unloaded.
[ -e /sys/kernel/debug/sync/sw_sync ] || modprobe sw_sync ||
	{ echo "modprobe sw_sync failed"; exit 1; }
bad-input || exit 1
if grep -q '^sw_sync ' /proc/modules; then
	rmmod sw_sync || { echo "rmmod sw_sync failed"; exit 1; }
fi
