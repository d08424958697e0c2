// SPDX-License-Identifier: GPL-2.0
/*
 * fence_sched: a DRM scheduler with a mock backend whose finished fences
 * userspace holds as sync_files (a test module of the project, not part of
 * the series).
 *
 * FENCE_SCHED_IOC_SUBMIT on /sys/kernel/debug/fence_sched/submit submits one
 * job to the module's scheduler and returns its finished fence as a
 * sync_file. The mock hardware completes a job as soon as it runs, or, with
 * FENCE_SCHED_PENDING, keeps it until the module is removed.
 *
 * The module's exit tears down in the order drm_sched_fini() documents: the
 * hardware stops and completes the jobs it still has with -ENODEV (and any
 * job that runs from then on), the entity is finished, the scheduler frees
 * every job, then drm_sched_fini(), and only then are the scheduler's name
 * and the device freed. Userspace keeps the finished fences, and uses them
 * after this module and gpu_sched are gone.
 *
 * On the series the hardware fences are allocated with dma_fence_alloc() and
 * use their inline lock, as an independent issuer's do; built against a
 * kernel without dma_fence_alloc() (the base), they use a lock of the module.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/dma-fence.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <drm/gpu_scheduler.h>

#include "fence_sched-uapi.h"
#include "sync_file_out.h"

/* How long the exit waits for the scheduler to free its jobs. */
#define FENCE_SCHED_WAIT	(10 * HZ)

struct fence_sched_job {
	struct drm_sched_job base;
	struct dma_fence *hw_fence;
	struct list_head link;	/* on fence_sched.ring while pending */
	bool pending;
	bool hw_fence_live;
};

static struct {
	struct device *dev;
	struct drm_gpu_scheduler sched;
	struct drm_sched_entity entity;
	char *name;
	struct dentry *dir;
	struct mutex submit_lock;	/* serialises arm and push */
	spinlock_t lock;		/* protects ring, seqno, dying */
	struct list_head ring;
	u64 context;
	u64 seqno;
	bool dying;
	atomic_t live;			/* jobs not yet freed */
	wait_queue_head_t wq;
#ifndef HAVE_DMA_FENCE_ALLOC
	spinlock_t hw_lock;		/* of every hardware fence (base only) */
#endif
} fs;

static const char *fence_sched_hw_driver_name(struct dma_fence *fence)
{
	return "fence_sched";
}

static const char *fence_sched_hw_timeline_name(struct dma_fence *fence)
{
	return "fence_sched_hw";
}

static const struct dma_fence_ops fence_sched_hw_ops = {
	.get_driver_name = fence_sched_hw_driver_name,
	.get_timeline_name = fence_sched_hw_timeline_name,
};

static struct fence_sched_job *to_job(struct drm_sched_job *job)
{
	return container_of(job, struct fence_sched_job, base);
}

static struct dma_fence *fence_sched_hw_alloc(void)
{
#ifdef HAVE_DMA_FENCE_ALLOC
	return dma_fence_alloc(sizeof(struct dma_fence), GFP_KERNEL);
#else
	return kzalloc(sizeof(struct dma_fence), GFP_KERNEL);
#endif
}

static struct dma_fence *fence_sched_run_job(struct drm_sched_job *sched_job)
{
	struct fence_sched_job *job = to_job(sched_job);
#ifdef HAVE_DMA_FENCE_ALLOC
	spinlock_t *hw_lock = NULL;
#else
	spinlock_t *hw_lock = &fs.hw_lock;
#endif

	spin_lock(&fs.lock);
	dma_fence_init(job->hw_fence, &fence_sched_hw_ops, hw_lock, fs.context,
		       ++fs.seqno);
	job->hw_fence_live = true;
	if (job->pending && !fs.dying) {
		list_add_tail(&job->link, &fs.ring);
	} else {
		/* Done at once; -ENODEV once the hardware is stopped. */
		if (fs.dying)
			dma_fence_set_error(job->hw_fence, -ENODEV);
		dma_fence_signal(job->hw_fence);
	}
	spin_unlock(&fs.lock);

	/* The scheduler takes this reference; the job keeps its own. */
	return dma_fence_get(job->hw_fence);
}

static void fence_sched_free_job(struct drm_sched_job *sched_job)
{
	struct fence_sched_job *job = to_job(sched_job);

	spin_lock(&fs.lock);
	list_del_init(&job->link);
	spin_unlock(&fs.lock);

	drm_sched_job_cleanup(sched_job);
	if (job->hw_fence_live)
		dma_fence_put(job->hw_fence);
	else
		kfree(job->hw_fence);
	kfree(job);

	/*
	 * Jobs killed at entity fini are freed from a work item the exit does
	 * not wait for: it waits for @live, then drm_sched_fini() waits for a
	 * grace period, so wake it inside an RCU read-side critical section.
	 */
	rcu_read_lock();
	if (atomic_dec_and_test(&fs.live))
		wake_up_all(&fs.wq);
	rcu_read_unlock();
}

static enum drm_gpu_sched_stat
fence_sched_timedout_job(struct drm_sched_job *sched_job)
{
	/* No timeout is set: the jobs wait for the module's exit. */
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static const struct drm_sched_backend_ops fence_sched_ops = {
	.run_job = fence_sched_run_job,
	.timedout_job = fence_sched_timedout_job,
	.free_job = fence_sched_free_job,
};

static int fence_sched_submit(struct fence_sched_submit *req,
			      struct fence_sched_submit __user *uarg)
{
	struct fence_sched_job *job;
	struct dma_fence *finished;
	int err;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	job->hw_fence = fence_sched_hw_alloc();
	if (!job->hw_fence) {
		kfree(job);
		return -ENOMEM;
	}
	INIT_LIST_HEAD(&job->link);
	job->pending = req->flags & FENCE_SCHED_PENDING;
	err = drm_sched_job_init(&job->base, &fs.entity, 1, NULL, 0);
	if (err) {
		kfree(job->hw_fence);
		kfree(job);
		return err;
	}

	mutex_lock(&fs.submit_lock);
	drm_sched_job_arm(&job->base);
	finished = dma_fence_get(&job->base.s_fence->finished);
	atomic_inc(&fs.live);
	drm_sched_entity_push_job(&job->base);
	mutex_unlock(&fs.submit_lock);

	/* The job is the scheduler's now: only the fence is handed out. */
	return sync_file_out(finished, &req->fence, req, uarg, sizeof(*req));
}

static long fence_sched_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct fence_sched_submit __user *uarg = (void __user *)arg;
	struct fence_sched_submit req;

	if (cmd != FENCE_SCHED_IOC_SUBMIT) {
		pr_warn_ratelimited("submit: unknown ioctl %#x\n", cmd);
		return -ENOTTY;
	}
	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.flags & ~FENCE_SCHED_PENDING) {
		pr_warn_ratelimited("submit: unknown flags %#x\n", req.flags);
		return -EINVAL;
	}

	return fence_sched_submit(&req, uarg);
}

static const struct file_operations fence_sched_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = fence_sched_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static int __init fence_sched_init(void)
{
	struct drm_sched_init_args args = {
		.ops = &fence_sched_ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = U32_MAX,
		.timeout = MAX_SCHEDULE_TIMEOUT,
	};
	struct drm_gpu_scheduler *list[] = { &fs.sched };
	int err;

	mutex_init(&fs.submit_lock);
	spin_lock_init(&fs.lock);
#ifndef HAVE_DMA_FENCE_ALLOC
	spin_lock_init(&fs.hw_lock);
#endif
	INIT_LIST_HEAD(&fs.ring);
	init_waitqueue_head(&fs.wq);
	fs.context = dma_fence_context_alloc(1);

	/* Driver memory, freed at exit: finished fences read it until they signal. */
	fs.name = kstrdup("fence-sched", GFP_KERNEL);
	if (!fs.name)
		return -ENOMEM;
	fs.dev = root_device_register("fence_sched");
	if (IS_ERR(fs.dev)) {
		err = PTR_ERR(fs.dev);
		goto free_name;
	}
	args.name = fs.name;
	args.dev = fs.dev;
	err = drm_sched_init(&fs.sched, &args);
	if (err)
		goto unregister;
	err = drm_sched_entity_init(&fs.entity, DRM_SCHED_PRIORITY_NORMAL, list,
				    ARRAY_SIZE(list), NULL);
	if (err)
		goto fini;

	fs.dir = debugfs_create_dir("fence_sched", NULL);
	debugfs_create_file("submit", 0600, fs.dir, NULL, &fence_sched_fops);
	return 0;

fini:
	drm_sched_fini(&fs.sched);
unregister:
	root_device_unregister(fs.dev);
free_name:
	kfree(fs.name);
	return err;
}

static void __exit fence_sched_exit(void)
{
	struct fence_sched_job *job;

	debugfs_remove_recursive(fs.dir);

	/*
	 * The hardware stops: what it still has ends with -ENODEV. The jobs
	 * stay on the ring until freed (free_job takes them off), so each is
	 * taken off here under the lock and signaled outside it.
	 */
	spin_lock(&fs.lock);
	fs.dying = true;
	while ((job = list_first_entry_or_null(&fs.ring, typeof(*job), link))) {
		list_del_init(&job->link);
		spin_unlock(&fs.lock);
		dma_fence_set_error(job->hw_fence, -ENODEV);
		dma_fence_signal(job->hw_fence);
		spin_lock(&fs.lock);
	}
	spin_unlock(&fs.lock);

	/*
	 * Waits until the scheduler has run what is queued (done at once
	 * now); what it did not run is killed with -ESRCH.
	 */
	drm_sched_entity_fini(&fs.entity);
	/* Every job must be freed before the scheduler goes: no timeout. */
	while (!wait_event_timeout(fs.wq, !atomic_read(&fs.live), FENCE_SCHED_WAIT))
		pr_err("exit: %d job(s) not freed by the scheduler yet\n",
		       atomic_read(&fs.live));
	drm_sched_fini(&fs.sched);

	kfree(fs.name);
	root_device_unregister(fs.dev);
}

module_init(fence_sched_init);
module_exit(fence_sched_exit);
MODULE_DESCRIPTION("Test: a DRM scheduler whose finished fences outlive it");
MODULE_LICENSE("GPL");
