# VM_CYCLES times: load vgem, hold 16 of its fences as sync_files (half of
# them pending until vgem's close signals them), unload vgem under them,
# then use and close them (fence-unload -q).
# from: drm/vgem: Signal the fences of a closed file with -ECANCELED
n=${VM_CYCLES:-10}
i=0
while [ $i -lt "$n" ]; do
	modprobe vgem || { echo "cycle $i: modprobe vgem failed"; exit 1; }
	[ -c /dev/dri/card0 ] || { echo "cycle $i: no /dev/dri/card0"; exit 1; }
	out=$(fence-unload -q 16) || { echo "cycle $i: $out"; exit 1; }
	! grep -q '^vgem ' /proc/modules || { echo "cycle $i: vgem still loaded"; exit 1; }
	i=$((i + 1))
done
echo "vgem: $n load/unload cycles, each with 16 live sync_files"
