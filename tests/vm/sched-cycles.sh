# VM_CYCLES times: load gpu_sched and the fence_sched test module, hold 16
# finished fences of its scheduler as sync_files (half of them pending
# until the module is removed), remove the module and gpu_sched under
# them, then use and close them (fence-unload -q).
# from: drm/sched: Let the finished fence detach when it signals
n=${VM_CYCLES:-10}
i=0
while [ $i -lt "$n" ]; do
	modprobe gpu-sched || { echo "cycle $i: modprobe gpu-sched failed"; exit 1; }
	insmod /tests/fence_sched.ko || { echo "cycle $i: insmod fence_sched failed"; exit 1; }
	out=$(fence-unload -i sched -q 16) || { echo "cycle $i: $out"; exit 1; }
	! grep -qE '^(fence_sched|gpu_sched) ' /proc/modules ||
		{ echo "cycle $i: fence_sched or gpu_sched still loaded"; exit 1; }
	i=$((i + 1))
done
echo "gpu_sched: $n load/unload cycles, each with 16 live sync_files"
