# VM_CYCLES times: load sw_sync, hold 16 of its fences as sync_files (half
# of them pending until the timeline is closed), unload sw_sync under
# them, then use and close them (fence-unload -q).
# from: dma-buf/sw_sync: Allow building sw_sync as a module
n=${VM_CYCLES:-10}
i=0
while [ $i -lt "$n" ]; do
	modprobe sw_sync || { echo "cycle $i: modprobe sw_sync failed"; exit 1; }
	out=$(fence-unload -i sw_sync -q 16) || { echo "cycle $i: $out"; exit 1; }
	! grep -q '^sw_sync ' /proc/modules || { echo "cycle $i: sw_sync still loaded"; exit 1; }
	i=$((i + 1))
done
echo "sw_sync: $n load/unload cycles, each with 16 live sync_files"
