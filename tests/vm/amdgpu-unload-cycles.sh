# VM_CYCLES times: load amdgpu and the fence_amdgpu test module (fence
# traffic on its mock ring), hold 16 of its hardware fences as sync_files
# (half of them pending until the module is removed), remove the module,
# amdgpu and gpu_sched under them, then use and close them
# (fence-unload -q).
# from: drm/amdgpu: Add KUnit tests for hardware fences on a mock ring
n=${VM_CYCLES:-10}
i=0
while [ $i -lt "$n" ]; do
	modprobe amdgpu || { echo "cycle $i: modprobe amdgpu failed"; exit 1; }
	insmod /tests/fence_amdgpu.ko || { echo "cycle $i: insmod fence_amdgpu failed"; exit 1; }
	out=$(fence-unload -i amdgpu -q 16) || { echo "cycle $i: $out"; exit 1; }
	! grep -qE '^(fence_amdgpu|amdgpu|gpu_sched) ' /proc/modules ||
		{ echo "cycle $i: fence_amdgpu, amdgpu or gpu_sched still loaded"; exit 1; }
	i=$((i + 1))
done
echo "amdgpu: $n load/unload cycles, each with 16 live sync_files of its hardware fences"
