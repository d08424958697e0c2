# sw_sync issues VM_FENCES fences on one timeline, userspace holds them as
# sync_files and in a udmabuf's dma_resv, closes the timeline (which
# signals the pending half with -ENOENT) and unloads sw_sync, then
# queries, polls, merges and closes every one.
# from: dma-buf/sw_sync: Allow building sw_sync as a module
ulimit -n 65536 || { echo "ulimit -n 65536 failed"; exit 1; }
modprobe sw_sync || { echo "modprobe sw_sync failed"; exit 1; }
fence-unload -i sw_sync "${VM_FENCES:-1000}"
