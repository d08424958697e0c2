// SPDX-License-Identifier: GPL-2.0
/*
 * fence-unload: userspace holds fences of an issuer (vgem, sw_sync, the
 * DRM scheduler of the fence_sched test module, or amdgpu's hardware fences
 * on the mock rings of the fence_amdgpu test module), the issuer is
 * unloaded, then userspace uses the fences.
 *
 * Each fence is held twice: as a sync_file, and in the dma_resv of a
 * udmabuf (a dma-buf the issuer does not own, so it does not pin the
 * module).  Half of the fences are signaled, the other half are left
 * pending until the issuer's file is closed, which signals them with an
 * error: -ECANCELED from vgem (unless vgem's 10 s expiry signaled them
 * first), -ENOENT from sw_sync; fence_sched's pending jobs end with -ENODEV
 * when the module is removed, and gpu_sched is removed after it;
 * fence_amdgpu's pending fences end with -ECANCELED when the module is
 * removed (amdgpu's own teardown completes them), and amdgpu and gpu_sched
 * are removed after it.  All vgem
 * handles, dma-bufs and the device (the sw_sync timeline, fence_sched's
 * submit file) are closed before the unload.  Afterwards
 * every sync_file is queried (SYNC_IOC_FILE_INFO), polled, merged and
 * closed, the udmabuf's fences are exported and queried, and so are
 * merged sync_files (of two pending fences) made before the unload.
 *
 * A pending fence must report its issuer's names, a signaled one the fixed
 * "detached-driver" and "signaled-timeline"; each must report the status
 * it was signaled with.
 *
 * Usage: fence-unload [-i vgem|sw_sync|sched|amdgpu] [-t] [-q] [NFENCES]
 *   -i  the issuer (default vgem; sched: fence_sched, then gpu_sched;
 *       amdgpu: fence_amdgpu, then amdgpu and gpu_sched)
 *   -t  a second thread keeps querying (SYNC_IOC_FILE_INFO) and polling
 *       every sync_file while the issuer signals them at close and is
 *       unloaded; it must have made a pass before the close and another
 *       after the unload, and every answer must be valid
 *   -q  print the last line only
 * Prints one line per step and a last line "PASS: ..." or "FAIL: ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/drm_mode.h>
#include <drm/vgem_drm.h>
#include <linux/dma-buf.h>
#include <linux/sync_file.h>
#include <linux/udmabuf.h>

#include "modules/fence_amdgpu-uapi.h"
#include "modules/fence_sched-uapi.h"
#include "sw_sync-uapi.h"

static int quiet;
#define step(...) do { if (!quiet) printf(__VA_ARGS__); } while (0)

#define fail(...) do {							\
		printf("FAIL: " __VA_ARGS__);				\
		printf(" (%s)\n", strerror(errno));			\
		exit(1);						\
	} while (0)

static int open_vgem(void)
{
	char name[32] = "";
	struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };
	int fd = open("/dev/dri/card0", O_RDWR);

	if (fd < 0 || ioctl(fd, DRM_IOCTL_VERSION, &v))
		fail("cannot open /dev/dri/card0");
	if (strcmp(name, "vgem"))
		fail("/dev/dri/card0 is %s, not vgem", name);
	return fd;
}

/* A vgem buffer with one fence on it, exported as a sync_file. */
static int vgem_fence_sync_file(int drm, int signal)
{
	struct drm_mode_create_dumb bo = { .width = 1024, .height = 1, .bpp = 32 };
	struct drm_vgem_fence_attach attach = { .flags = VGEM_FENCE_WRITE };
	struct drm_vgem_fence_signal sig = { 0 };
	struct drm_prime_handle prime = { .flags = DRM_CLOEXEC };
	struct dma_buf_export_sync_file exp = { .flags = DMA_BUF_SYNC_RW };
	struct drm_gem_close cl = { 0 };

	if (ioctl(drm, DRM_IOCTL_MODE_CREATE_DUMB, &bo))
		fail("DRM_IOCTL_MODE_CREATE_DUMB");
	attach.handle = bo.handle;
	if (ioctl(drm, DRM_IOCTL_VGEM_FENCE_ATTACH, &attach))
		fail("DRM_IOCTL_VGEM_FENCE_ATTACH");
	prime.handle = bo.handle;
	if (ioctl(drm, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime))
		fail("DRM_IOCTL_PRIME_HANDLE_TO_FD");
	if (ioctl(prime.fd, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &exp))
		fail("DMA_BUF_IOCTL_EXPORT_SYNC_FILE");
	sig.fence = attach.out_fence;
	if (signal && ioctl(drm, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig))
		fail("DRM_IOCTL_VGEM_FENCE_SIGNAL");
	close(prime.fd);
	cl.handle = bo.handle;
	if (ioctl(drm, DRM_IOCTL_GEM_CLOSE, &cl))
		fail("DRM_IOCTL_GEM_CLOSE");
	return exp.fd;
}

/* The issuer under test: vgem, sw_sync (-i sw_sync) or sched (-i sched). */
static struct {
	const char *module, *driver, *timeline;
	const char *also[2];	/* modules unloaded after the issuer's */
	int cancel_status;	/* of a fence the issuer signals at close */
} is = { "vgem", "vgem", "unbound", { NULL }, -ECANCELED };

/* A job of fence_sched's scheduler; its finished fence as a sync_file. */
static int sched_fence(int fd, int pending)
{
	struct fence_sched_submit s = { .flags = pending ? FENCE_SCHED_PENDING : 0 };

	if (ioctl(fd, FENCE_SCHED_IOC_SUBMIT, &s))
		fail("FENCE_SCHED_IOC_SUBMIT");
	return s.fence;
}

/*
 * A hardware fence of fence_amdgpu's mock rings as a sync_file: pending
 * fences on the ring that completes none until the module goes, a job's
 * fence every other time.
 */
static int amdgpu_fence(int fd, int i, int pending)
{
	struct fence_amdgpu_submit s = {
		.flags = (pending ? FENCE_AMDGPU_PENDING : 0) |
			 (i % 4 >= 2 ? FENCE_AMDGPU_JOB : 0),
	};

	if (ioctl(fd, FENCE_AMDGPU_IOC_SUBMIT, &s))
		fail("FENCE_AMDGPU_IOC_SUBMIT");
	return s.fence;
}

/* The issuer's debugfs file: sw_sync's timeline, a test module's submit file. */
static int debugfs_open(const char *path)
{
	int fd = open(path, O_RDWR);

	if (fd < 0)
		fail("open %s", path);
	return fd;
}

/* A sw_sync fence at @value on the timeline @tl, as a sync_file. */
static int sw_sync_fence(int tl, unsigned int value)
{
	struct sw_sync_create_fence_data d = { .value = value, .name = "fence" };

	if (ioctl(tl, SW_SYNC_IOC_CREATE_FENCE, &d))
		fail("SW_SYNC_IOC_CREATE_FENCE");
	return d.fence;
}

/*
 * The status fence @i may report once the issuer's file is closed: the even
 * ones were signaled, the odd ones cancelled at close, unless vgem expired
 * them first (after 10 s).
 */
static int status_ok(int i, int status)
{
	if (i % 2 == 0)
		return status == 1;
	return status == is.cancel_status ||
	       (!strcmp(is.module, "vgem") && status == 1);
}

/* CLOCK_MONOTONIC (the fences' timestamps) in ns. */
static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int udmabuf_create(void)
{
	struct udmabuf_create c = { .size = 4096 };
	int dev, buf, memfd = memfd_create("fence-holder", MFD_ALLOW_SEALING);

	if (memfd < 0 || ftruncate(memfd, 4096) ||
	    fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK))
		fail("memfd for udmabuf");
	dev = open("/dev/udmabuf", O_RDWR);
	if (dev < 0)
		fail("open /dev/udmabuf");
	c.memfd = memfd;
	buf = ioctl(dev, UDMABUF_CREATE, &c);
	if (buf < 0)
		fail("UDMABUF_CREATE");
	close(dev);
	close(memfd);
	return buf;
}

/* Query one sync_file: status, and the names of its first fence. */
static int query(int fd, struct sync_fence_info *fi, __u32 nfi, __u32 *num,
		 int *status)
{
	struct sync_file_info info = { .num_fences = nfi,
				       .sync_fence_info = (uintptr_t)fi };

	memset(fi, 0, nfi * sizeof(*fi));
	if (ioctl(fd, SYNC_IOC_FILE_INFO, &info))
		return -1;
	*num = info.num_fences;
	*status = info.status;
	return 0;
}

/* As query(), for the main thread: failing the ioctl ends the run. */
static int file_info(int fd, struct sync_fence_info *fi, __u32 nfi, __u32 *num)
{
	int status;

	if (query(fd, fi, nfi, num, &status))
		fail("SYNC_IOC_FILE_INFO");
	return status;
}

/*
 * Names a fence may report: its issuer's, or the fixed ones once signaled
 * (the driver name may be read just before, the timeline just after).
 */
static int names_ok(const struct sync_fence_info *fi)
{
	if (!strcmp(fi->driver_name, is.driver))
		return !strcmp(fi->obj_name, is.timeline) ||
		       !strcmp(fi->obj_name, "signaled-timeline");
	return !strcmp(fi->driver_name, "detached-driver") &&
	       !strcmp(fi->obj_name, "signaled-timeline");
}

struct reader {
	const int *sync;
	int n;
	atomic_int stop;
	atomic_long passes;
	long queries, bad;
};

/* The second thread: query and poll every sync_file until told to stop. */
static void *reader_main(void *arg)
{
	struct reader *r = arg;
	int i;

	while (!atomic_load(&r->stop)) {
		for (i = 0; i < r->n; i++) {
			struct pollfd p = { .fd = r->sync[i], .events = POLLIN };
			struct sync_fence_info fi;
			int status;
			__u32 num;

			if (query(r->sync[i], &fi, 1, &num, &status) ||
			    num != 1 || !names_ok(&fi) ||
			    (status != 0 && !status_ok(i, status)))
				r->bad++;
			if (poll(&p, 1, 0) < 0)
				r->bad++;
			r->queries++;
		}
		atomic_fetch_add(&r->passes, 1);
	}
	return NULL;
}

/* Wait until the reader has finished @more passes after this call. */
static void reader_wait(struct reader *r, long more)
{
	long until = atomic_load(&r->passes) + more;

	while (atomic_load(&r->passes) < until)
		sched_yield();
}

int main(int argc, char **argv)
{
	struct sync_fence_info fi[2];
	int *sync, *merged, nmerged = 0, drm, holder, i, st, bad = 0, errs = 0,
	    names = 0, cancelled = 0;
	int n = 200, threaded = 0, sw = 0, sc = 0, am = 0, opt;
	struct reader r = { 0 };
	pthread_t thread;
	__u64 *t_create;
	__u32 num;

	while ((opt = getopt(argc, argv, "i:tq")) != -1) {
		switch (opt) {
		case 'i':
			if (!strcmp(optarg, "sw_sync")) {
				sw = 1;
				is.module = is.driver = "sw_sync";
				/* sw_sync names a timeline after its opener */
				is.timeline = "fence-unload";
				is.cancel_status = -ENOENT;
			} else if (!strcmp(optarg, "sched")) {
				sc = 1;
				is.module = "fence_sched";
				is.driver = "drm_sched";
				is.timeline = "fence-sched";
				is.also[0] = "gpu_sched";
				is.cancel_status = -ENODEV;
			} else if (!strcmp(optarg, "amdgpu")) {
				am = 1;
				is.module = "fence_amdgpu";
				is.driver = "amdgpu";
				/* the ring of the pending fences */
				is.timeline = "fence-amdgpu-1";
				is.also[0] = "amdgpu";
				is.also[1] = "gpu_sched";
				is.cancel_status = -ECANCELED;
			} else if (strcmp(optarg, "vgem")) {
				printf("FAIL: unknown issuer %s\n", optarg);
				return 2;
			}
			break;
		case 't':
			threaded = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			printf("FAIL: usage: fence-unload [-i vgem|sw_sync|sched|amdgpu] [-t] [-q] [NFENCES]\n");
			return 2;
		}
	}
	if (optind < argc)
		n = atoi(argv[optind]);
	if (n < 2)
		n = 2;
	sync = calloc(n, sizeof(*sync));
	t_create = calloc(n, sizeof(*t_create));
	drm = sw ? debugfs_open("/sys/kernel/debug/sync/sw_sync") :
	      sc ? debugfs_open("/sys/kernel/debug/fence_sched/submit") :
	      am ? debugfs_open("/sys/kernel/debug/fence_amdgpu/submit") : open_vgem();
	holder = udmabuf_create();
	for (i = 0; i < n; i++) {
		struct dma_buf_import_sync_file imp = { .flags = DMA_BUF_SYNC_WRITE };

		/*
		 * Every other fence is left for the issuer to signal at close.
		 * sw_sync signals in timeline order: the even fences get the
		 * first (n + 1) / 2 points, the odd ones points past n.
		 */
		t_create[i] = now_ns();
		if (sw)
			sync[i] = sw_sync_fence(drm, i % 2 == 0 ? i / 2 + 1 : n + i);
		else if (sc)
			sync[i] = sched_fence(drm, i % 2);
		else if (am)
			sync[i] = amdgpu_fence(drm, i, i % 2);
		else
			sync[i] = vgem_fence_sync_file(drm, i % 2 == 0);
		imp.fd = sync[i];
		if (ioctl(holder, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &imp))
			fail("DMA_BUF_IOCTL_IMPORT_SYNC_FILE");
	}
	if (sw) {
		__u32 inc = (n + 1) / 2;

		if (ioctl(drm, SW_SYNC_IOC_INC, &inc))
			fail("SW_SYNC_IOC_INC");
	}
	/*
	 * fence_sched completes the even jobs when its scheduler runs them,
	 * asynchronously: wait for them, or the unload would end them with
	 * -ENODEV too.
	 */
	for (i = 0; sc && i < n; i += 2) {
		struct pollfd p = { .fd = sync[i], .events = POLLIN };

		if (poll(&p, 1, 10000) != 1)
			fail("fence %d of fence_sched not signaled within 10 s", i);
	}
	step("step 1: %d %s fences held as sync_files and in a udmabuf's dma_resv\n",
	     n, is.module);
	/*
	 * The newest pending fence: vgem expires its fences after 10 s, which
	 * the oldest may have reached already on a slow machine.
	 */
	i = n % 2 ? n - 2 : n - 1;
	st = file_info(sync[i], fi, 1, &num);
	step("        fence %d (pending) before unload: driver '%s', timeline '%s', status %d\n",
	     i, fi[0].driver_name, fi[0].obj_name, st);
	/* A pending fence names its issuer. */
	if (st == 0 && (strcmp(fi[0].driver_name, is.driver) ||
			strcmp(fi[0].obj_name, is.timeline)))
		names++;
	/* Only vgem's fences expire: this one must be pending. */
	if ((sw || sc || am) && st != 0)
		bad++;
	file_info(sync[0], fi, 1, &num);
	step("        fence 0 (signaled) before unload: driver '%s', timeline '%s'\n",
	     fi[0].driver_name, fi[0].obj_name);

	/*
	 * Merged sync_files held across the unload too, each of two pending
	 * fences: a dma_fence_array of two vgem fences (one context each), or
	 * for sw_sync (one timeline) the later of the two.
	 */
	merged = calloc(n / 4 + 1, sizeof(*merged));
	for (i = 1; i + 2 < n; i += 4) {
		struct sync_merge_data m = { .name = "held", .fd2 = sync[i + 2] };

		if (ioctl(sync[i], SYNC_IOC_MERGE, &m))
			fail("SYNC_IOC_MERGE");
		merged[nmerged++] = m.fence;
	}
	step("        %d merged sync_files of two pending fences held too\n", nmerged);

	if (threaded) {
		r.sync = sync;
		r.n = n;
		errno = pthread_create(&thread, NULL, reader_main, &r);
		if (errno)
			fail("pthread_create");
		reader_wait(&r, 1);
	}

	close(drm);
	step("step 2: %s closed (%s signals the fences still pending)\n",
	     sw ? "sw_sync timeline" : sc ? "fence_sched's submit file" :
	     am ? "fence_amdgpu's submit file" : "vgem device",
	     sc || am ? "the module's exit" : is.module);

	if (syscall(SYS_delete_module, is.module, O_NONBLOCK))
		fail("rmmod %s", is.module);
	step("step 3: %s module unloaded while the fences are held\n", is.module);
	for (i = 0; i < 2 && is.also[i]; i++) {
		if (syscall(SYS_delete_module, is.also[i], O_NONBLOCK))
			fail("rmmod %s", is.also[i]);
		step("        %s module unloaded too\n", is.also[i]);
	}

	if (threaded) {
		reader_wait(&r, 1);
		atomic_store(&r.stop, 1);
		errno = pthread_join(thread, NULL);
		if (errno)
			fail("pthread_join");
		step("        reader thread: %ld passes, %ld queries and polls during close and unload, %ld bad\n",
		     atomic_load(&r.passes), r.queries, r.bad);
		bad += r.bad;
	}
	fflush(stdout);

	for (i = 0; i < n; i++) {
		struct sync_merge_data m = { .name = "merged" };
		struct pollfd p = { .fd = sync[i], .events = POLLIN };
		int j = (i + 1) % n;

		st = file_info(sync[i], fi, 1, &num);
		if (i < 2)
			step("        fence %d after unload: driver '%s', timeline '%s', status %d\n",
			     i, fi[0].driver_name, fi[0].obj_name, st);
		if (!status_ok(i, st) || num != 1)
			bad++;
		/*
		 * Signaled without an error: only vgem's expiry may do that,
		 * 10 s (less a few jiffies of timer slack) after the attach.
		 */
		if (i % 2 && st == 1 &&
		    fi[0].timestamp_ns + 50000000ull < t_create[i] + 10000000000ull)
			bad++;
		cancelled += st < 0;
		/* A signaled fence no longer names its issuer. */
		if (strcmp(fi[0].driver_name, "detached-driver") ||
		    strcmp(fi[0].obj_name, "signaled-timeline"))
			names++;
		if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN))
			bad++;
		m.fd2 = sync[j];
		if (ioctl(sync[i], SYNC_IOC_MERGE, &m))
			fail("SYNC_IOC_MERGE");
		/*
		 * Signaled fences merge into a signaled stub fence (which
		 * does not keep their errors).
		 */
		if (file_info(m.fence, fi, 2, &num) != 1 || num < 1)
			bad++;
		close(m.fence);
	}
	step("step 4: %d sync_files queried, polled and merged: %d bad, %d cancelled (status %d)\n",
	     n, bad, cancelled, is.cancel_status);

	{
		struct dma_buf_export_sync_file exp = { .flags = DMA_BUF_SYNC_RW };
		struct sync_fence_info *all = calloc(n, sizeof(*all));

		if (ioctl(holder, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &exp))
			fail("DMA_BUF_IOCTL_EXPORT_SYNC_FILE from udmabuf");
		st = file_info(exp.fd, all, n, &num);
		for (i = 0; i < (int)num; i++)
			errs += all[i].status < 0;
		step("step 5: udmabuf's dma_resv exported: %u fences, %d with an error, status %d\n",
		     num, errs, st);
		/*
		 * All signaled: the export skips signaled fences and gives a
		 * signaled stub.
		 */
		if (st != 1)
			bad++;
		close(exp.fd);
		free(all);
	}
	for (i = 0; i < nmerged; i++) {
		struct pollfd p = { .fd = merged[i], .events = POLLIN };
		__u32 k;

		st = file_info(merged[i], fi, 2, &num);
		if (st == 0 || num < 1 || num > 2)
			bad++;
		for (k = 0; k < num && k < 2; k++)
			if (strcmp(fi[k].driver_name, "detached-driver") ||
			    strcmp(fi[k].obj_name, "signaled-timeline"))
				names++;
		if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN))
			bad++;
		close(merged[i]);
	}
	step("step 6: %d merged sync_files held across the unload queried and polled\n",
	     nmerged);

	for (i = 0; i < n; i++)
		close(sync[i]);
	close(holder);
	step("step 7: every sync_file and the udmabuf closed\n");

	if (bad) {
		printf("FAIL: %d checks saw an unsignaled fence after the unload, or an invalid answer while it happened\n", bad);
		return 1;
	}
	if (names) {
		printf("FAIL: %d fences reported other names than expected\n", names);
		return 1;
	}
	printf("PASS: %d fences outlived the %s module%s%s%s%s%s\n", n, is.module,
	       is.also[0] ? " and " : "", is.also[0] ? is.also[0] : "",
	       is.also[1] ? " and " : "", is.also[1] ? is.also[1] : "",
	       threaded ? ", queried and polled by a second thread while it went" : "");
	return 0;
}
