// SPDX-License-Identifier: GPL-2.0
/*
 * fence-bench-user: the userspace side of `make bench`, run in the guest.
 *
 *   fence-bench-user fileinfo ITERS
 *	SYNC_IOC_FILE_INFO with fence info on a sync_file of 64 sw_sync
 *	fences (32 signaled, 32 pending), ITERS times.
 *   fence-bench-user close-sw_sync NFENCES
 *	teardown_sw_sync: close a sw_sync timeline that leaves NFENCES
 *	pending fences held as sync_files, which the close signals, then
 *	close the sync_files (the two trees split the work between the two
 *	differently, so both are timed).
 *   fence-bench-user close-vgem NFENCES
 *	teardown_vgem: the same with a vgem file and NFENCES pending fences
 *	(one per BO).
 *   fence-bench-user unload MODULE
 *	unload_latency: remove MODULE (delete_module(2)), after the above;
 *	mostly the grace period and the waits of the module core.
 *
 * Each prints "fence_bench: NAME iters=N ns=T", T from CLOCK_MONOTONIC
 * for the N runs (N fences for a teardown): under QEMU -icount shift=0 the
 * guest's clock counts instructions while the guest runs, but it also
 * advances while the guest idles (RCU grace periods, timers).
 * Exits 1 with a message on any error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/drm_mode.h>
#include <drm/vgem_drm.h>
#include <linux/dma-buf.h>
#include <linux/sync_file.h>

#include "../../tests/vm/sw_sync-uapi.h"

#define SW_SYNC_PATH	"/sys/kernel/debug/sync/sw_sync"
#define FILEINFO_FENCES	64
#define MAX_FENCES	100000

static void die(const char *what)
{
	fprintf(stderr, "fence-bench-user: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static void report(const char *name, unsigned long n, uint64_t ns)
{
	printf("fence_bench: %s iters=%lu ns=%llu\n", name, n,
	       (unsigned long long)ns);
}

static unsigned long count_arg(const char *arg, unsigned long max)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (errno || *end || !n || n > max) {
		fprintf(stderr, "fence-bench-user: %s: not a count in 1..%lu\n",
			arg, max);
		exit(2);
	}
	return n;
}

static int sw_sync_fence(int timeline, unsigned int value)
{
	struct sw_sync_create_fence_data data = { .value = value };

	snprintf(data.name, sizeof(data.name), "bench-%u", value);
	if (ioctl(timeline, SW_SYNC_IOC_CREATE_FENCE, &data))
		die("SW_SYNC_IOC_CREATE_FENCE");
	return data.fence;
}

static int merge(int a, int b)
{
	struct sync_merge_data data = { .fd2 = b };

	strcpy(data.name, "bench-merge");
	if (ioctl(a, SYNC_IOC_MERGE, &data))
		die("SYNC_IOC_MERGE");
	return data.fence;
}

/*
 * A merge keeps one fence per context (the later one) and drops signaled
 * ones: 64 timelines with a fence each, merged while all are pending, then
 * half of them signaled.
 */
static void fileinfo(unsigned long iters)
{
	struct sync_fence_info info[FILEINFO_FENCES];
	int timeline[FILEINFO_FENCES];
	struct sync_file_info fi;
	int file = -1, fd, next;
	unsigned int i, one = 1;
	unsigned long n;
	uint64_t t0;

	for (i = 0; i < FILEINFO_FENCES; i++) {
		timeline[i] = open(SW_SYNC_PATH, O_RDWR);
		if (timeline[i] < 0)
			die(SW_SYNC_PATH);
		fd = sw_sync_fence(timeline[i], 1);
		if (file < 0) {
			file = fd;
			continue;
		}
		next = merge(file, fd);
		close(fd);
		close(file);
		file = next;
	}
	for (i = 0; i < FILEINFO_FENCES / 2; i++)
		if (ioctl(timeline[i], SW_SYNC_IOC_INC, &one))
			die("SW_SYNC_IOC_INC");

	t0 = now_ns();
	for (n = 0; n < iters; n++) {
		memset(&fi, 0, sizeof(fi));
		fi.num_fences = FILEINFO_FENCES;
		fi.sync_fence_info = (uintptr_t)info;
		if (ioctl(file, SYNC_IOC_FILE_INFO, &fi))
			die("SYNC_IOC_FILE_INFO");
		if (fi.num_fences != FILEINFO_FENCES) {
			fprintf(stderr, "fence-bench-user: %u fences, not %u\n",
				fi.num_fences, FILEINFO_FENCES);
			exit(1);
		}
	}
	report("file_info64", iters, now_ns() - t0);
	close(file);
	for (i = 0; i < FILEINFO_FENCES; i++)
		close(timeline[i]);
}

/* An array for NFENCES sync_files, and room for them in the fd table. */
static int *fd_array(unsigned long nfences)
{
	struct rlimit rl = { .rlim_cur = nfences + 64, .rlim_max = nfences + 64 };
	int *fds = calloc(nfences, sizeof(*fds));

	if (!fds)
		die("calloc");
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit(RLIMIT_NOFILE)");
	return fds;
}

/* Close the issuer, which signals the fences, then the sync_files: timed. */
static void teardown(const char *name, int issuer, int *fds,
		     unsigned long nfences)
{
	unsigned long n;
	uint64_t t0 = now_ns();

	close(issuer);
	for (n = 0; n < nfences; n++)
		close(fds[n]);
	report(name, nfences, now_ns() - t0);
	free(fds);
}

static void close_sw_sync(unsigned long nfences)
{
	int *fds = fd_array(nfences);
	unsigned long n;
	int timeline;

	timeline = open(SW_SYNC_PATH, O_RDWR);
	if (timeline < 0)
		die(SW_SYNC_PATH);
	for (n = 0; n < nfences; n++)
		fds[n] = sw_sync_fence(timeline, n + 1);
	teardown("teardown_sw_sync", timeline, fds, nfences);
}

/* A vgem BO with one pending fence on it, exported as a sync_file. */
static int vgem_fence(int dev)
{
	struct drm_mode_create_dumb bo = { .width = 1024, .height = 1, .bpp = 32 };
	struct drm_vgem_fence_attach attach = { .flags = VGEM_FENCE_WRITE };
	struct drm_prime_handle prime = { .flags = DRM_CLOEXEC };
	struct dma_buf_export_sync_file exp = { .flags = DMA_BUF_SYNC_RW };
	struct drm_gem_close cl = { 0 };

	if (ioctl(dev, DRM_IOCTL_MODE_CREATE_DUMB, &bo))
		die("DRM_IOCTL_MODE_CREATE_DUMB");
	attach.handle = bo.handle;
	if (ioctl(dev, DRM_IOCTL_VGEM_FENCE_ATTACH, &attach))
		die("DRM_IOCTL_VGEM_FENCE_ATTACH");
	prime.handle = bo.handle;
	if (ioctl(dev, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime))
		die("DRM_IOCTL_PRIME_HANDLE_TO_FD");
	if (ioctl(prime.fd, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &exp))
		die("DMA_BUF_IOCTL_EXPORT_SYNC_FILE");
	close(prime.fd);
	cl.handle = bo.handle;
	if (ioctl(dev, DRM_IOCTL_GEM_CLOSE, &cl))
		die("DRM_IOCTL_GEM_CLOSE");
	return exp.fd;
}

static int vgem_open(void)
{
	char path[32], name[8];
	int n, dev;

	for (n = 0; n < 16; n++) {
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };

		memset(name, 0, sizeof(name));
		snprintf(path, sizeof(path), "/dev/dri/card%d", n);
		dev = open(path, O_RDWR);
		if (dev < 0)
			continue;
		if (!ioctl(dev, DRM_IOCTL_VERSION, &v) && !strcmp(name, "vgem"))
			return dev;
		close(dev);
	}
	fprintf(stderr, "fence-bench-user: no vgem device\n");
	exit(1);
}

/*
 * vgem signals a fence by itself 10 s after it was attached: the close
 * must find the first fence still pending, or it measures nothing.
 */
static void expect_pending(int fd)
{
	struct sync_file_info fi = { 0 };

	if (ioctl(fd, SYNC_IOC_FILE_INFO, &fi))
		die("SYNC_IOC_FILE_INFO");
	if (fi.status != 0) {
		fprintf(stderr, "fence-bench-user: the first fence is no longer pending (status %d)\n",
			fi.status);
		exit(1);
	}
}

static void close_vgem(unsigned long nfences)
{
	int *fds = fd_array(nfences);
	unsigned long n;
	int dev;

	dev = vgem_open();
	for (n = 0; n < nfences; n++)
		fds[n] = vgem_fence(dev);
	expect_pending(fds[0]);
	teardown("teardown_vgem", dev, fds, nfences);
}

static void unload(const char *module)
{
	uint64_t t0 = now_ns();

	if (syscall(SYS_delete_module, module, O_NONBLOCK))
		die(module);
	report("unload_latency", 1, now_ns() - t0);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "fileinfo"))
		fileinfo(count_arg(argv[2], 100000000));
	else if (argc == 3 && !strcmp(argv[1], "close-sw_sync"))
		close_sw_sync(count_arg(argv[2], MAX_FENCES));
	else if (argc == 3 && !strcmp(argv[1], "close-vgem"))
		close_vgem(count_arg(argv[2], MAX_FENCES));
	else if (argc == 3 && !strcmp(argv[1], "unload"))
		unload(argv[2]);
	else {
		fprintf(stderr,
			"usage: fence-bench-user fileinfo ITERS | close-sw_sync NFENCES | close-vgem NFENCES | unload MODULE\n");
		return 2;
	}
	return 0;
}
