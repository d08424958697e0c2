# The fence_sched test module (tests/vm/modules) runs VM_FENCES jobs on a
# DRM scheduler with a mock backend; userspace holds their finished fences
# as sync_files and in a udmabuf's dma_resv, half of them pending.  The
# module is removed (its exit ends the pending jobs with -ENODEV, in the
# order drm_sched_fini() documents) and then gpu_sched, while a second
# thread keeps querying and polling every sync_file; then every one is
# queried, polled, merged and closed.
# from: drm/sched: Let the finished fence detach when it signals
ulimit -n 65536 || { echo "ulimit -n 65536 failed"; exit 1; }
modprobe gpu-sched || { echo "modprobe gpu-sched failed"; exit 1; }
insmod /tests/fence_sched.ko || { echo "insmod fence_sched failed"; exit 1; }
fence-unload -i sched -t "${VM_FENCES:-1000}"
