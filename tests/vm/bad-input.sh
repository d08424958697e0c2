# Every sync_file and sw_sync ioctl with invalid arguments returns the
# expected errno, and sw_sync logs why at debug level (bad-input), then
# sw_sync is unloaded.
# from: dma-buf/sw_sync: Say at debug level why an ioctl fails
[ -e /sys/kernel/debug/sync/sw_sync ] || modprobe sw_sync ||
	{ echo "modprobe sw_sync failed"; exit 1; }
# sw_sync's debug messages, built in or a module (dynamic debug)
echo 'module sw_sync +p' >/proc/dynamic_debug/control ||
	echo "note: cannot enable sw_sync's debug messages"
bad-input
rc=$?
echo 'module sw_sync -p' >/proc/dynamic_debug/control 2>/dev/null
[ "$rc" = 0 ] || exit 1
if grep -q '^sw_sync ' /proc/modules; then
	rmmod sw_sync || { echo "rmmod sw_sync failed"; exit 1; }
fi
