// SPDX-License-Identifier: GPL-2.0
/*
 * fence_amdgpu: amdgpu's own hardware fence code driven on two mock rings
 * of a mock device, no GPU needed, its fences held by userspace as
 * sync_files (a test module of the project, not part of the series; it
 * calls the fence driver functions amdgpu exports to KUnit).
 *
 * The rings are amdgpu_ring structures whose fence memory is a u32 of this
 * module: the module plays the hardware by writing a sequence number there
 * and the interrupt by calling amdgpu_fence_process(). Ring 0 completes
 * each fence as soon as it is emitted; ring 1 completes none until the
 * module is removed. A kthread keeps emitting and completing fences on
 * ring 0, bare hardware fences and job fences in turn, for as long as the
 * module is loaded.
 *
 * FENCE_AMDGPU_IOC_SUBMIT on /sys/kernel/debug/fence_amdgpu/submit emits one
 * fence, on ring 1 with FENCE_AMDGPU_PENDING, as a job's fence with
 * FENCE_AMDGPU_JOB, and returns it as a sync_file.
 *
 * The module's exit tears the device down with amdgpu's own functions, in
 * the order amdgpu documents: the device is gone (unplugged), so
 * amdgpu_fence_driver_hw_fini() completes every pending fence with
 * -ECANCELED; amdgpu_fence_driver_sw_fini() frees the slots and waits a
 * grace period; then the rings and the device are freed. Userspace keeps
 * the fences, and uses them after this module and amdgpu are gone.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/file.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include "amdgpu.h"
#include "amdgpu_job.h"

#include "fence_amdgpu-uapi.h"
#include "sync_file_out.h"

/* Ring 1 holds every pending fence: 2 * 8192 slots, one per fence. */
#define FENCE_AMDGPU_PENDING_MAX	(2 * 8192)

static struct {
	struct device *dev;
	struct amdgpu_device *adev;
	struct amdgpu_ring *ring[2];	/* 0: completes at once, 1: at exit */
	u32 seq_mem[2];			/* the rings' fence memory */
	struct mutex lock;		/* serialises emission and completion */
	struct task_struct *traffic;
	unsigned long traffic_fences;
	struct dentry *dir;
} fa;

static void fence_amdgpu_ring_emit_fence(struct amdgpu_ring *ring, u64 addr,
					 u64 seq, unsigned int flags)
{
}

static const struct amdgpu_ring_funcs fence_amdgpu_ring_funcs = {
	.type = AMDGPU_RING_TYPE_COMPUTE,
	.emit_fence = fence_amdgpu_ring_emit_fence,
};

/*
 * Emit a hardware fence on ring @i, a job's if @job, and complete it at once
 * on ring 0; the caller holds fa.lock. The job itself is done with once its
 * fence is emitted, as a direct submission's is.
 */
static int fence_amdgpu_emit(unsigned int i, bool job, struct dma_fence **f)
{
	struct amdgpu_ring *ring = fa.ring[i];
	struct amdgpu_job *j = NULL;
	int r;

	if (job) {
		r = amdgpu_job_alloc(fa.adev, NULL, NULL, NULL, 1, &j, 0);
		if (r)
			return r;
	}
	r = amdgpu_fence_emit(ring, f, j, 0);
	if (j)
		amdgpu_job_free(j);
	if (r)
		return r;

	if (i == 0) {
		WRITE_ONCE(fa.seq_mem[0], (__force u32)cpu_to_le32(lower_32_bits((*f)->seqno)));
		amdgpu_fence_process(ring);
	}
	return 0;
}

/* Fence traffic on ring 0 while the module is loaded. */
static int fence_amdgpu_traffic(void *arg)
{
	while (!kthread_should_stop()) {
		struct dma_fence *f;

		mutex_lock(&fa.lock);
		if (!fence_amdgpu_emit(0, fa.traffic_fences % 2, &f)) {
			fa.traffic_fences++;
			dma_fence_put(f);
		}
		mutex_unlock(&fa.lock);
		usleep_range(200, 400);
	}
	return 0;
}

static int fence_amdgpu_submit(struct fence_amdgpu_submit *req,
			       struct fence_amdgpu_submit __user *uarg)
{
	bool pending = req->flags & FENCE_AMDGPU_PENDING;
	struct amdgpu_fence_driver *drv = &fa.ring[1]->fence_drv;
	struct dma_fence *f;
	int r;

	mutex_lock(&fa.lock);
	/* A pending fence needs a free slot: emit would wait for the old one. */
	if (pending && drv->sync_seq - atomic_read(&drv->last_seq) >= drv->num_fences_mask) {
		mutex_unlock(&fa.lock);
		pr_warn_ratelimited("submit: %u fences pending already\n",
				    drv->num_fences_mask);
		return -EBUSY;
	}
	r = fence_amdgpu_emit(pending, req->flags & FENCE_AMDGPU_JOB, &f);
	mutex_unlock(&fa.lock);
	if (r)
		return r;

	return sync_file_out(f, &req->fence, req, uarg, sizeof(*req));
}

static long fence_amdgpu_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct fence_amdgpu_submit __user *uarg = (void __user *)arg;
	struct fence_amdgpu_submit req;

	if (cmd != FENCE_AMDGPU_IOC_SUBMIT) {
		pr_warn_ratelimited("submit: unknown ioctl %#x\n", cmd);
		return -ENOTTY;
	}
	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.flags & ~FENCE_AMDGPU_FLAGS) {
		pr_warn_ratelimited("submit: unknown flags %#x\n", req.flags);
		return -EINVAL;
	}

	return fence_amdgpu_submit(&req, uarg);
}

static const struct file_operations fence_amdgpu_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = fence_amdgpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* Free what fence_amdgpu_init() set up: rings, device. */
static void fence_amdgpu_free(void)
{
	kfree(fa.ring[1]);
	kfree(fa.ring[0]);
	kvfree(fa.adev);
	root_device_unregister(fa.dev);
}

static int fence_amdgpu_ring_init(unsigned int i, unsigned int num_hw_submission)
{
	struct amdgpu_ring *ring;
	int r;

	ring = kzalloc(sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	ring->adev = fa.adev;
	ring->funcs = &fence_amdgpu_ring_funcs;
	ring->idx = i;
	ring->num_hw_submission = num_hw_submission;
	ring->fence_cpu_addr = &fa.seq_mem[i];
	snprintf(ring->name, sizeof(ring->name), "fence-amdgpu-%u", i);
	fa.ring[i] = ring;

	r = amdgpu_fence_driver_init_ring(ring);
	if (r)
		return r;
	fa.adev->rings[i] = ring;
	fa.adev->num_rings = i + 1;
	return amdgpu_fence_driver_start_ring(ring, NULL, 0);
}

static int __init fence_amdgpu_init(void)
{
	int r;

	mutex_init(&fa.lock);
	fa.dev = root_device_register("fence_amdgpu");
	if (IS_ERR(fa.dev))
		return PTR_ERR(fa.dev);
	fa.adev = kvzalloc(sizeof(*fa.adev), GFP_KERNEL);
	if (!fa.adev) {
		r = -ENOMEM;
		goto free;
	}
	fa.adev->dev = fa.dev;
	fa.adev->ddev.dev = fa.dev;
	fa.adev->fence_context = dma_fence_context_alloc(AMDGPU_MAX_RINGS);

	r = fence_amdgpu_ring_init(0, 4);
	if (!r)
		r = fence_amdgpu_ring_init(1, FENCE_AMDGPU_PENDING_MAX / 2);
	if (r)
		goto fini;

	fa.traffic = kthread_run(fence_amdgpu_traffic, NULL, "fence_amdgpu");
	if (IS_ERR(fa.traffic)) {
		r = PTR_ERR(fa.traffic);
		goto fini;
	}
	fa.dir = debugfs_create_dir("fence_amdgpu", NULL);
	debugfs_create_file("submit", 0600, fa.dir, NULL, &fence_amdgpu_fops);
	return 0;

fini:
	/* Nothing was emitted: the fence driver has nothing to complete. */
	amdgpu_fence_driver_sw_fini(fa.adev);
	for (unsigned int i = 0; i < ARRAY_SIZE(fa.ring); i++)
		if (fa.ring[i] && !fa.adev->rings[i])
			kfree(fa.ring[i]->fence_drv.fences);
free:
	fence_amdgpu_free();
	return r;
}

static void __exit fence_amdgpu_exit(void)
{
	debugfs_remove_recursive(fa.dir);
	kthread_stop(fa.traffic);
	pr_info("exit: %lu fences of traffic on %s\n", fa.traffic_fences,
		fa.ring[0]->name);

	/*
	 * amdgpu's teardown order: the device is gone, so the fence driver
	 * completes what the rings still have with -ECANCELED, then frees
	 * the slots and waits for name readers; then the rings may go.
	 */
	fa.adev->ddev.unplugged = true;
	amdgpu_fence_driver_hw_fini(fa.adev);
	amdgpu_fence_driver_sw_fini(fa.adev);
	fence_amdgpu_free();
}

module_init(fence_amdgpu_init);
module_exit(fence_amdgpu_exit);
MODULE_DESCRIPTION("Test: amdgpu hardware fences on mock rings that outlive amdgpu");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
