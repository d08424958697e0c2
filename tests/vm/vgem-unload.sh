# vgem issues VM_FENCES fences, userspace holds them as sync_files and in a
# udmabuf's dma_resv, vgem is unloaded, userspace then queries, polls,
# merges and closes every one (the scenario `make demo` narrates).
modprobe vgem || { echo "modprobe vgem failed"; exit 1; }
fence-unload "${VM_FENCES:-1000}"
