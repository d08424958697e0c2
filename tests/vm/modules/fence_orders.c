// SPDX-License-Identifier: GPL-2.0
/*
 * fence_orders: a test module (not part of the series) that lets userspace
 * run a fence callback that drops the last reference of another fence, in
 * whatever context signals the first one.
 *
 * Userspace writes "SIGNALER HELD" (two sync_file fds of the writing
 * process) to /sys/kernel/debug/fence_orders/arm.  The module wraps HELD's
 * fence in a dma_fence_array of one (the array takes the reference) and
 * adds a callback to SIGNALER's fence that puts the array.  Once userspace
 * has closed HELD's sync_file, that put is the last reference of HELD's
 * fence too, so the fence is released inside SIGNALER's callback, with
 * SIGNALER's lock held.
 *
 * Reading the file gives "pending" while the callback has not run, and
 * otherwise "fired TID" (the thread that signaled SIGNALER) and disarms, so
 * that the next write can arm again.  One arm at a time.
 *
 * sw_sync-orders (tests/vm) uses it to take both orders of sw_sync's two
 * locks: timeline lock then fence lock (SW_SYNC_IOC_INC signals the
 * timeline's fences), and fence lock then whatever the release of a sw_sync
 * fence takes (SYNC_IOC_FILE_INFO signals a fence through .signaled, and
 * the callback releases another).  Lockdep is the judge.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/dma-fence-array.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

static struct fence_orders {
	struct mutex lock;		/* serializes arm, read and exit */
	struct dma_fence *signaler;	/* NULL when disarmed */
	struct dma_fence *array;	/* put by the callback */
	struct dma_fence_cb cb;
	pid_t tid;			/* set by the callback */
	bool fired;			/* set last by the callback */
	struct dentry *dir;
} orders = {
	.lock = __MUTEX_INITIALIZER(orders.lock),
};

static void fence_orders_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct fence_orders *o = container_of(cb, struct fence_orders, cb);
	struct dma_fence *array = o->array;

	o->array = NULL;
	o->tid = in_task() ? task_pid_nr(current) : 0;
	/* The last reference of the held fence, in the signaler's callback. */
	dma_fence_put(array);
	/* Pairs with the read's acquire: @tid is written before @fired. */
	smp_store_release(&o->fired, true);
}

/* Drop what an armed state holds; o->lock held. */
static void fence_orders_disarm(struct fence_orders *o)
{
	if (!o->signaler)
		return;
	if (dma_fence_remove_callback(o->signaler, &o->cb)) {
		dma_fence_put(o->array);
		o->array = NULL;
	}
	dma_fence_put(o->signaler);
	o->signaler = NULL;
	o->fired = false;
}

static int fence_orders_arm(struct fence_orders *o, int sfd, int hfd)
{
	struct dma_fence *signaler, *held, **fences;
	struct dma_fence_array *array;
	int err;

	signaler = sync_file_get_fence(sfd);
	if (!signaler) {
		pr_warn("arm: fd %d is not a sync_file\n", sfd);
		return -EINVAL;
	}
	held = sync_file_get_fence(hfd);
	if (!held) {
		pr_warn("arm: fd %d is not a sync_file\n", hfd);
		err = -EINVAL;
		goto put_signaler;
	}
	fences = kmalloc_array(1, sizeof(*fences), GFP_KERNEL);
	if (!fences) {
		err = -ENOMEM;
		goto put_held;
	}
	fences[0] = held;
	array = dma_fence_array_create(1, fences, dma_fence_context_alloc(1),
				       1, false);
	if (!array) {
		kfree(fences);
		err = -ENOMEM;
		goto put_held;
	}
	/* The array owns @fences and the reference of @held now. */
	o->array = &array->base;
	o->fired = false;
	err = dma_fence_add_callback(signaler, &o->cb, fence_orders_cb);
	if (err) {
		pr_warn("arm: the fence of fd %d is signaled already\n", sfd);
		dma_fence_put(o->array);
		o->array = NULL;
		goto put_signaler;
	}
	o->signaler = signaler;
	return 0;

put_held:
	dma_fence_put(held);
put_signaler:
	dma_fence_put(signaler);
	return err;
}

static ssize_t fence_orders_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	char buf[32];
	int sfd, hfd, err;

	if (len >= sizeof(buf)) {
		pr_warn("arm: write of %zu bytes, expected \"SIGNALER_FD HELD_FD\"\n", len);
		return -EINVAL;
	}
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%d %d", &sfd, &hfd) != 2) {
		pr_warn("arm: expected \"SIGNALER_FD HELD_FD\"\n");
		return -EINVAL;
	}

	mutex_lock(&orders.lock);
	if (orders.signaler) {
		pr_warn("arm: armed already (read the file to disarm)\n");
		err = -EBUSY;
	} else {
		err = fence_orders_arm(&orders, sfd, hfd);
	}
	mutex_unlock(&orders.lock);

	return err ? err : len;
}

static ssize_t fence_orders_read(struct file *file, char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	char buf[32];
	int n;

	if (*ppos)
		return 0;

	mutex_lock(&orders.lock);
	if (!orders.signaler)
		n = scnprintf(buf, sizeof(buf), "disarmed\n");
	/* Pairs with the callback's release: @tid is valid once @fired is. */
	else if (!smp_load_acquire(&orders.fired))
		n = scnprintf(buf, sizeof(buf), "pending\n");
	else
		n = scnprintf(buf, sizeof(buf), "fired %d\n", orders.tid);
	if (orders.signaler && orders.fired)
		fence_orders_disarm(&orders);
	mutex_unlock(&orders.lock);

	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations fence_orders_fops = {
	.owner = THIS_MODULE,
	.read = fence_orders_read,
	.write = fence_orders_write,
};

static int __init fence_orders_init(void)
{
	orders.dir = debugfs_create_dir("fence_orders", NULL);
	debugfs_create_file("arm", 0600, orders.dir, NULL, &fence_orders_fops);
	return 0;
}

static void __exit fence_orders_exit(void)
{
	debugfs_remove_recursive(orders.dir);
	mutex_lock(&orders.lock);
	fence_orders_disarm(&orders);
	mutex_unlock(&orders.lock);
}

module_init(fence_orders_init);
module_exit(fence_orders_exit);
MODULE_DESCRIPTION("Test: a fence callback that releases another fence");
MODULE_LICENSE("GPL");
