# make demo: vgem issues fences, userspace holds them, vgem is unloaded,
# userspace uses them.  The host narrates this scenario's output.
echo "demo: modprobe vgem"
modprobe vgem || exit 1
fence-unload "${VM_FENCES:-200}"
