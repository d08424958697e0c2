# Both orders of sw_sync's timeline lock and fence lock, with the release of
# a sw_sync fence inside a callback that runs under a fence lock (the
# fence_orders test module, tests/vm/modules): lockdep must stay quiet.
# from: dma-buf/sw_sync: Allow building sw_sync as a module
modprobe sw_sync || { echo "modprobe sw_sync failed"; exit 1; }
insmod /tests/fence_orders.ko || { echo "insmod fence_orders failed"; exit 1; }
sw_sync-orders 20 256
rc=$?
rmmod fence_orders || { echo "rmmod fence_orders failed"; exit 1; }
exit $rc
