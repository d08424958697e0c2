# vgem loads and unloads cleanly, VM_CYCLES times.
n=${VM_CYCLES:-10}
i=0
while [ $i -lt "$n" ]; do
	modprobe vgem || { echo "cycle $i: modprobe vgem failed"; exit 1; }
	[ -c /dev/dri/card0 ] || { echo "cycle $i: no /dev/dri/card0"; exit 1; }
	rmmod vgem || { echo "cycle $i: rmmod vgem failed"; exit 1; }
	i=$((i + 1))
done
echo "vgem: $n load/unload cycles"
