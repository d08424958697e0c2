// SPDX-License-Identifier: GPL-2.0
/*
 * fence_bench: the cost of dma_fence's hot paths, on the base and on the
 * series, from the same source.
 *
 * Loading the module runs every path (or those whose name matches the
 * parameter only=) a number of times (iters=) and prints one line each:
 *
 *   fence_bench: NAME iters=N ns=T
 *
 * T is the time of the whole batch from ktime_get_ns(). Under QEMU with
 * -icount shift=0 the guest's clock counts executed instructions, so T is
 * the path length of N runs; on real hardware (or UML) it is time. The
 * module keeps nothing once loaded: unload it to run it again with other
 * parameters.
 *
 * What only the series has is behind feature tests the Kbuild file makes
 * (HAVE_INLINE_LOCK: dma_fence_init() with a NULL lock, HAVE_NAME_ACCESSORS:
 * dma_fence_driver_name()); paths that need them are not run on the base.
 */
#include <linux/atomic.h>
#include <linux/dma-fence.h>
#include <linux/dma-fence-array.h>
#include <linux/dma-fence-chain.h>
#include <linux/dma-fence-unwrap.h>
#include <linux/dma-resv.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

/* The series has both; a tree with only one is neither base nor series. */
#if defined(HAVE_INLINE_LOCK) != defined(HAVE_NAME_ACCESSORS)
#error "fence_bench: feature detection found only one of the series' features"
#endif

#define ITERS_MAX	10000000u
#define ARRAY_FENCES	16
#define CHAIN_LINKS	64
#define RESV_FENCES	4

static unsigned int iters = 10000;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "runs of each path (1..10000000, default 10000)");

static char *only = "";
module_param(only, charp, 0444);
MODULE_PARM_DESC(only, "run only the paths whose name contains this string");

static DEFINE_SPINLOCK(bench_lock);

/* Runs of the path being measured: iters, or fewer for the heavy ones. */
static unsigned int runs;


static const char *bench_name(struct dma_fence *f)
{
	return "fence_bench";
}

static bool bench_never_signaled(struct dma_fence *f)
{
	return false;
}

static const struct dma_fence_ops bench_ops = {
	.get_driver_name = bench_name,
	.get_timeline_name = bench_name,
};

static const struct dma_fence_ops bench_ops_signaled_cb = {
	.get_driver_name = bench_name,
	.get_timeline_name = bench_name,
	.signaled = bench_never_signaled,
};

static u64 bench_context;

static struct dma_fence *bench_fence(const struct dma_fence_ops *ops,
				     spinlock_t *lock, u64 seqno)
{
	struct dma_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (f)
		dma_fence_init(f, ops, lock, bench_context, seqno);
	return f;
}

/* A fence for the paths that only read one: pending, or signaled. */
static struct dma_fence *probe_fence(const struct dma_fence_ops *ops,
				     bool signal)
{
	struct dma_fence *f = bench_fence(ops, &bench_lock, 1);

	if (f && signal)
		dma_fence_signal(f);
	return f;
}

/* Signal (if still pending) and drop a fence the benchmark holds. */
static void fence_end(struct dma_fence *f)
{
	dma_fence_signal(f);
	dma_fence_put(f);
}

static void report(const char *name, unsigned int n, u64 ns)
{
	pr_info("fence_bench: %s iters=%u ns=%llu\n", name, n, ns);
}

static bool selected(const char *name)
{
	return !only[0] || strstr(name, only);
}

/* One uncontended irqsave lock/unlock and one atomic: the floor. */
static int bench_floor(const char *name)
{
	atomic_t count = ATOMIC_INIT(0);
	unsigned long flags;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < runs; i++) {
		spin_lock_irqsave(&bench_lock, flags);
		atomic_inc(&count);
		spin_unlock_irqrestore(&bench_lock, flags);
	}
	report(name, runs, ktime_get_ns() - t0);
	return atomic_read(&count) == runs ? 0 : -EIO;
}

/*
 * Allocate, initialize, signal and drop a fence. The last put frees the
 * fence with kfree_rcu() on both trees; that deferred part is not timed.
 */
static int init_signal_put(const char *name, spinlock_t *lock)
{
	struct dma_fence *f;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < runs; i++) {
		f = bench_fence(&bench_ops, lock, i + 1);
		if (!f)
			return -ENOMEM;
		dma_fence_signal(f);
		dma_fence_put(f);
	}
	report(name, runs, ktime_get_ns() - t0);
	return 0;
}

static int bench_init_signal_put_extlock(const char *name)
{
	return init_signal_put(name, &bench_lock);
}

#ifdef HAVE_INLINE_LOCK
static int bench_init_signal_put_inline(const char *name)
{
	return init_signal_put(name, NULL);
}
#endif

static int is_signaled(const char *name, const struct dma_fence_ops *ops,
		       bool signal)
{
	struct dma_fence *f = probe_fence(ops, signal);
	unsigned int i, n = 0;
	u64 t0;

	if (!f)
		return -ENOMEM;
	t0 = ktime_get_ns();
	for (i = 0; i < runs; i++)
		n += dma_fence_is_signaled(f);
	report(name, runs, ktime_get_ns() - t0);
	fence_end(f);
	return n == (signal ? runs : 0) ? 0 : -EIO;
}

static int bench_is_signaled_signaled(const char *name)
{
	return is_signaled(name, &bench_ops, true);
}

static int bench_is_signaled_pending(const char *name)
{
	return is_signaled(name, &bench_ops, false);
}

static int bench_is_signaled_pending_cb(const char *name)
{
	return is_signaled(name, &bench_ops_signaled_cb, false);
}

struct counted_cb {
	struct dma_fence_cb cb;
	unsigned int count;
};

static void count_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	container_of(cb, struct counted_cb, cb)->count++;
}

/* A fresh fence each run, so that the callback list is the real one. */
static int bench_add_callback_signal(const char *name)
{
	struct counted_cb c = { .count = 0 };
	struct dma_fence *f;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < runs; i++) {
		f = bench_fence(&bench_ops, &bench_lock, i + 1);
		if (!f)
			return -ENOMEM;
		if (dma_fence_add_callback(f, &c.cb, count_cb))
			c.count = UINT_MAX;
		dma_fence_signal(f);
		dma_fence_put(f);
	}
	report(name, runs, ktime_get_ns() - t0);
	return c.count == runs ? 0 : -EIO;
}

static int bench_get_rcu_safe(const char *name)
{
	struct dma_fence *f = probe_fence(&bench_ops, false);
	struct dma_fence __rcu *slot;
	struct dma_fence *g;
	unsigned int i;
	u64 t0;

	if (!f)
		return -ENOMEM;
	RCU_INIT_POINTER(slot, f);
	t0 = ktime_get_ns();
	for (i = 0; i < runs; i++) {
		rcu_read_lock();
		g = dma_fence_get_rcu_safe(&slot);
		rcu_read_unlock();
		dma_fence_put(g);
	}
	report(name, runs, ktime_get_ns() - t0);
	fence_end(f);
	return 0;
}

/*
 * A reservation object with RESV_FENCES fences of distinct contexts: each
 * run adds one of them again (replacing itself) and iterates them
 * all, locked or not.
 */
static int resv_add_iterate(const char *name, bool locked)
{
	struct dma_fence *f[RESV_FENCES], *g;
	struct dma_resv_iter cursor;
	struct dma_resv resv;
	unsigned int i, j, n = 0;
	int ret = 0;
	u64 t0;

	dma_resv_init(&resv);
	for (j = 0; j < RESV_FENCES; j++) {
		f[j] = kzalloc(sizeof(*f[j]), GFP_KERNEL);
		if (!f[j]) {
			ret = -ENOMEM;
			goto out;
		}
		dma_fence_init(f[j], &bench_ops, &bench_lock,
			       bench_context + 1 + j, 1);
	}
	t0 = ktime_get_ns();
	for (i = 0; i < runs; i++) {
		dma_resv_lock(&resv, NULL);
		ret = dma_resv_reserve_fences(&resv, 1);
		if (!ret)
			dma_resv_add_fence(&resv, f[i % RESV_FENCES],
					   DMA_RESV_USAGE_READ);
		if (locked)
			dma_resv_for_each_fence(&cursor, &resv,
						DMA_RESV_USAGE_BOOKKEEP, g)
				n++;
		dma_resv_unlock(&resv);
		if (ret)
			break;
		if (!locked) {
			dma_resv_iter_begin(&cursor, &resv,
					    DMA_RESV_USAGE_BOOKKEEP);
			dma_resv_for_each_fence_unlocked(&cursor, g)
				n++;
			dma_resv_iter_end(&cursor);
		}
	}
	if (!ret)
		report(name, runs, ktime_get_ns() - t0);
	/* All RESV_FENCES fences are there from the RESV_FENCES-th run on. */
	if (!ret && runs > RESV_FENCES &&
	    n < (runs - RESV_FENCES) * RESV_FENCES)
		ret = -EIO;
	j = RESV_FENCES;
out:
	while (j--)
		fence_end(f[j]);
	dma_resv_fini(&resv);
	return ret;
}

static int bench_resv_add_iterate_unlocked(const char *name)
{
	return resv_add_iterate(name, false);
}

static int bench_resv_add_iterate_locked(const char *name)
{
	return resv_add_iterate(name, true);
}

/* ARRAY_FENCES pending fences and an array of them; NULL on failure. */
static struct dma_fence_array *bench_array(void)
{
	struct dma_fence_array *array;
	struct dma_fence **fences;
	unsigned int j;

	fences = kcalloc(ARRAY_FENCES, sizeof(*fences), GFP_KERNEL);
	if (!fences)
		return NULL;
	for (j = 0; j < ARRAY_FENCES; j++) {
		fences[j] = bench_fence(&bench_ops, &bench_lock, 1);
		if (!fences[j])
			goto fail;
	}
	array = dma_fence_array_create(ARRAY_FENCES, fences, bench_context,
				       1, false);
	if (array)
		return array;
fail:
	while (j--)
		fence_end(fences[j]);
	kfree(fences);
	return NULL;
}

static void bench_array_end(struct dma_fence_array *array)
{
	unsigned int j;

	for (j = 0; j < array->num_fences; j++)
		dma_fence_signal(array->fences[j]);
	dma_fence_put(&array->base);
}

static int bench_unwrap_array16(const char *name)
{
	struct dma_fence_array *array = bench_array();
	struct dma_fence_unwrap iter;
	struct dma_fence *f;
	unsigned int i, n = 0;
	u64 t0;

	if (!array)
		return -ENOMEM;
	t0 = ktime_get_ns();
	for (i = 0; i < runs; i++)
		dma_fence_unwrap_for_each(f, &iter, &array->base)
			n++;
	report(name, runs, ktime_get_ns() - t0);
	bench_array_end(array);
	return n == runs * ARRAY_FENCES ? 0 : -EIO;
}

/* Build an array of 16, wait for it through a callback, signal the 16. */
static int bench_signal_array16(const char *name)
{
	struct counted_cb c = { .count = 0 };
	struct dma_fence_array *array;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < runs; i++) {
		array = bench_array();
		if (!array)
			return -ENOMEM;
		if (dma_fence_add_callback(&array->base, &c.cb, count_cb))
			return -EIO;
		bench_array_end(array);
		/*
		 * The array signals from irq_work, which the self-IPI runs when
		 * the last fence's signal restores interrupts: the callback has
		 * run before it is added again.
		 */
		if (c.count != i + 1)
			return -EIO;
	}
	report(name, runs, ktime_get_ns() - t0);
	return c.count == runs ? 0 : -EIO;
}

/* Build a chain of 64 links, wait for its head, signal the 64 fences. */
static int bench_signal_chain64(const char *name)
{
	struct dma_fence *fences[CHAIN_LINKS];
	struct counted_cb c = { .count = 0 };
	struct dma_fence_chain *link;
	struct dma_fence *head;
	unsigned int i, j, k;
	int ret = 0;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < runs && !ret; i++) {
		head = NULL;
		for (j = 0; j < CHAIN_LINKS; j++) {
			fences[j] = bench_fence(&bench_ops, &bench_lock, 1);
			link = dma_fence_chain_alloc();
			if (!fences[j] || !link) {
				kfree(fences[j]);
				dma_fence_chain_free(link);
				ret = -ENOMEM;
				break;
			}
			dma_fence_get(fences[j]);
			dma_fence_chain_init(link, head, fences[j], j + 1);
			head = &link->base;
		}
		if (!ret && dma_fence_add_callback(head, &c.cb, count_cb))
			ret = -EIO;
		/* In timeline order, oldest first, as a driver signals them. */
		for (k = 0; k < j; k++)
			dma_fence_signal(fences[k]);
		while (j--)
			dma_fence_put(fences[j]);
		dma_fence_put(head);
		/* As for the array: the callback ran before it is added again. */
		if (!ret && c.count != i + 1)
			ret = -EIO;
	}
	if (ret)
		return ret;
	report(name, runs, ktime_get_ns() - t0);
	return c.count == runs ? 0 : -EIO;
}

/* Read a fence's two names as a sync_file or a tracepoint does. */
static size_t read_names(struct dma_fence *f)
{
	size_t len;

#ifdef HAVE_NAME_ACCESSORS
	const char __rcu *driver, *timeline;

	rcu_read_lock();
	driver = dma_fence_driver_name(f);
	timeline = dma_fence_timeline_name(f);
	len = strlen(rcu_dereference(driver)) + strlen(rcu_dereference(timeline));
	rcu_read_unlock();
#else
	len = strlen(f->ops->get_driver_name(f)) +
	      strlen(f->ops->get_timeline_name(f));
#endif
	return len;
}

static int names(const char *name, bool signal)
{
	struct dma_fence *f = probe_fence(&bench_ops, signal);
	unsigned int i;
	size_t len = 0;
	u64 t0;

	if (!f)
		return -ENOMEM;
	t0 = ktime_get_ns();
	for (i = 0; i < runs; i++)
		len += read_names(f);
	report(name, runs, ktime_get_ns() - t0);
	fence_end(f);
	return len ? 0 : -EIO;
}

static int bench_names_pending(const char *name)
{
	return names(name, false);
}

static int bench_names_signaled(const char *name)
{
	return names(name, true);
}

/* div: the heavy paths run iters/div times (at least once). */
static const struct {
	const char *name;
	int (*run)(const char *name);
	unsigned int div;
} paths[] = {
	{ "floor", bench_floor },
	{ "init_signal_put_extlock", bench_init_signal_put_extlock },
#ifdef HAVE_INLINE_LOCK
	{ "init_signal_put_inline", bench_init_signal_put_inline },
#endif
	{ "is_signaled_signaled", bench_is_signaled_signaled },
	{ "is_signaled_pending", bench_is_signaled_pending },
	{ "is_signaled_pending_cb", bench_is_signaled_pending_cb },
	{ "add_callback_signal", bench_add_callback_signal },
	{ "get_rcu_safe", bench_get_rcu_safe },
	{ "resv_add_iterate_unlocked", bench_resv_add_iterate_unlocked },
	{ "resv_add_iterate_locked", bench_resv_add_iterate_locked },
	{ "unwrap_array16", bench_unwrap_array16 },
	{ "signal_array16", bench_signal_array16, 16 },
	{ "signal_chain64", bench_signal_chain64, 64 },
	{ "names_pending", bench_names_pending },
	{ "names_signaled", bench_names_signaled },
};

static int __init fence_bench_init(void)
{
	unsigned int i, n = 0;
	int ret;

	if (!iters || iters > ITERS_MAX) {
		pr_err("fence_bench: iters=%u: must be 1..%u\n", iters, ITERS_MAX);
		return -EINVAL;
	}
	bench_context = dma_fence_context_alloc(1 + RESV_FENCES);

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		if (!selected(paths[i].name))
			continue;
		runs = max(iters / max(paths[i].div, 1u), 1u);
		ret = paths[i].run(paths[i].name);
		if (ret) {
			pr_err("fence_bench: %s failed: %d\n", paths[i].name, ret);
			return ret;
		}
		n++;
	}
	if (!n) {
		pr_err("fence_bench: no path matches only=%s\n", only);
		return -EINVAL;
	}
	pr_info("fence_bench: done, %u path(s)\n", n);
	return 0;
}
module_init(fence_bench_init);

static void __exit fence_bench_exit(void)
{
}
module_exit(fence_bench_exit);

MODULE_DESCRIPTION("Cost of dma_fence's hot paths");
MODULE_LICENSE("GPL");
