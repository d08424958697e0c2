# As vgem-unload, with a second thread querying (SYNC_IOC_FILE_INFO) and
# polling every sync_file in a loop while vgem signals them at close and
# is unloaded: load during unload.
# from: drm/vgem: Signal the fences of a closed file with -ECANCELED
ulimit -n 65536 || { echo "ulimit -n 65536 failed"; exit 1; }
modprobe vgem || { echo "modprobe vgem failed"; exit 1; }
fence-unload -t "${VM_FENCES:-1000}"
