# As sw_sync-unload, with a second thread querying (SYNC_IOC_FILE_INFO) and
# polling every sync_file in a loop while the timeline is closed and
# sw_sync is unloaded: load during unload.
# from: dma-buf/sw_sync: Allow building sw_sync as a module
ulimit -n 65536 || { echo "ulimit -n 65536 failed"; exit 1; }
modprobe sw_sync || { echo "modprobe sw_sync failed"; exit 1; }
fence-unload -i sw_sync -t "${VM_FENCES:-1000}"
