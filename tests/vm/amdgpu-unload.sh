# The fence_amdgpu test module (tests/vm/modules) drives amdgpu's own
# hardware fence code on two mock rings, with fence traffic on one of them
# for as long as it is loaded; userspace holds VM_FENCES of its hardware
# fences (bare and job fences) as sync_files and in a udmabuf's dma_resv,
# half of them pending.  The module is removed (amdgpu's own teardown
# completes the pending fences with -ECANCELED and waits a grace period
# before the rings go), then amdgpu and gpu_sched, while a second thread
# keeps querying and polling every sync_file; then every one is queried,
# polled, merged and closed.  Without a GPU: the rings' hardware is the
# module writing sequence numbers; what only a GPU could show is amdgpu's
# interrupt path and its real ring buffers.
# from: drm/amdgpu: Add KUnit tests for hardware fences on a mock ring
ulimit -n 65536 || { echo "ulimit -n 65536 failed"; exit 1; }
modprobe amdgpu || { echo "modprobe amdgpu failed"; exit 1; }
insmod /tests/fence_amdgpu.ko || { echo "insmod fence_amdgpu failed"; exit 1; }
fence-unload -i amdgpu -t "${VM_FENCES:-1000}"
