# VM_CYCLES times: load amdgpu with no AMD device present (its PCI driver
# binds nothing; its KFD part and its module init and exit run) and unload
# it.  This proves amdgpu's own init and exit are clean under the debug
# options, before fences are blamed; run on the base too (make vm-base).
# It does not reach any fence: that takes a device, or the mock ring of
# amdgpu-kunit.
n=${VM_CYCLES:-10}
i=0
while [ $i -lt "$n" ]; do
	modprobe amdgpu || { echo "cycle $i: modprobe amdgpu failed"; exit 1; }
	rmmod amdgpu || { echo "cycle $i: rmmod amdgpu failed"; exit 1; }
	i=$((i + 1))
done
! grep -q '^amdgpu ' /proc/modules || { echo "amdgpu still loaded"; exit 1; }
echo "amdgpu: $n load/unload cycles without a device"
