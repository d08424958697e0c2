# vgem issues VM_FENCES fences, userspace holds them as sync_files and in a
# udmabuf's dma_resv, vgem is unloaded, userspace then queries, polls,
# merges and closes every one (the scenario `make demo` narrates).
# from: drm/vgem: Signal the fences of a closed file with -ECANCELED
ulimit -n 65536 || { echo "ulimit -n 65536 failed"; exit 1; }
modprobe vgem || { echo "modprobe vgem failed"; exit 1; }
fence-unload "${VM_FENCES:-1000}"
