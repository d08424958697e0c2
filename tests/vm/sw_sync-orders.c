// SPDX-License-Identifier: GPL-2.0
/*
 * sw_sync-orders: take both orders of sw_sync's locks, for lockdep.
 *
 * sw_sync signals a timeline's fences with the timeline lock held, and each
 * fence has its own lock, nested inside the timeline's (SW_SYNC_IOC_INC).
 * A fence can also be signaled through its .signaled op by anyone who asks
 * whether it is signaled (SYNC_IOC_FILE_INFO), with only its own lock held;
 * a callback of that fence may then drop the last reference of a fence of
 * another timeline.  If releasing a sw_sync fence took the timeline lock
 * (as a .release that unlinks the fence would), that is fence lock then
 * timeline lock: the reverse order, a deadlock against SW_SYNC_IOC_INC.
 *
 * Each iteration: timeline A gets AHEAD fences, the last one "pt2"; a
 * signaled fence "pt3" of timeline B is wrapped in an array whose last
 * reference a callback on pt2 drops (the fence_orders test module, armed
 * through debugfs); pt3's sync_file is closed, so the callback releases
 * pt3.  A second thread asks for pt2's status in a loop while the main
 * thread signals timeline A, so pt2 is signaled either by SW_SYNC_IOC_INC
 * after the fences ahead of it (timeline lock held) or through .signaled
 * by the asking thread (no timeline lock).
 *
 * Passes when every callback ran and at least one ran in the asking thread
 * (the second order was taken); the kernel log must stay free of lockdep
 * reports, which the scenario's splat check judges.
 *
 * Usage: sw_sync-orders [ITERATIONS [AHEAD]]   (default 20 256)
 * Prints one line per step and a last line "PASS: ..." or "FAIL: ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "sw_sync-uapi.h"

#define ARM "/sys/kernel/debug/fence_orders/arm"

static void fail(const char *what)
{
	printf("FAIL: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int timeline(void)
{
	int fd = open("/sys/kernel/debug/sync/sw_sync", O_RDWR);

	if (fd < 0)
		fail("open /sys/kernel/debug/sync/sw_sync");
	return fd;
}

static int fence(int tl, unsigned int value)
{
	struct sw_sync_create_fence_data d = { .value = value, .name = "pt" };

	if (ioctl(tl, SW_SYNC_IOC_CREATE_FENCE, &d))
		fail("SW_SYNC_IOC_CREATE_FENCE");
	return d.fence;
}

static void inc(int tl, unsigned int n)
{
	if (ioctl(tl, SW_SYNC_IOC_INC, &n))
		fail("SW_SYNC_IOC_INC");
}

/* 1 signaled, 0 pending, as SYNC_IOC_FILE_INFO says */
static int status(int fd)
{
	struct sync_file_info info;

	memset(&info, 0, sizeof(info));
	if (ioctl(fd, SYNC_IOC_FILE_INFO, &info))
		fail("SYNC_IOC_FILE_INFO");
	if (info.status < 0) {
		errno = -info.status;
		fail("pt2 signaled with an error");
	}
	return info.status;
}

static struct {
	int fd;			/* pt2's sync_file */
	atomic_int asked;	/* SYNC_IOC_FILE_INFO calls made */
	pid_t tid;
} asker;

static void *ask(void *arg __attribute__((unused)))
{
	asker.tid = syscall(SYS_gettid);
	while (!status(asker.fd))
		atomic_fetch_add(&asker.asked, 1);
	return NULL;
}

static void arm(int pt2, int pt3)
{
	char buf[32];
	int fd = open(ARM, O_WRONLY);
	int n = snprintf(buf, sizeof(buf), "%d %d", pt2, pt3);

	if (fd < 0)
		fail("open " ARM " (fence_orders loaded?)");
	if (write(fd, buf, n) != n)
		fail("arm fence_orders");
	close(fd);
}

/* the thread that ran the callback; 0 if it has not run */
static pid_t fired(void)
{
	char buf[32] = "";
	int fd = open(ARM, O_RDONLY);
	int tid;

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		fail("read " ARM);
	close(fd);
	if (sscanf(buf, "fired %d", &tid) == 1)
		return tid;
	printf("FAIL: fence_orders says \"%.*s\"\n", (int)strcspn(buf, "\n"), buf);
	exit(1);
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 20;
	int ahead = argc > 2 ? atoi(argv[2]) : 256;
	pid_t self = syscall(SYS_gettid);
	int by_inc = 0, by_asker = 0;
	int *fds;

	if (iters < 1 || ahead < 1 || ahead > 10000) {
		printf("FAIL: usage: sw_sync-orders [ITERATIONS [AHEAD (1-10000)]]\n");
		return 1;
	}
	fds = calloc(ahead, sizeof(*fds));
	if (!fds)
		fail("calloc");

	for (int i = 0; i < iters; i++) {
		int a = timeline(), b = timeline(), pt3;
		pthread_t thread;
		pid_t tid;

		for (int k = 0; k < ahead; k++)
			fds[k] = fence(a, k + 1);
		asker.fd = fds[ahead - 1];
		pt3 = fence(b, 1);
		inc(b, 1);
		arm(asker.fd, pt3);
		close(pt3);

		atomic_store(&asker.asked, 0);
		if (pthread_create(&thread, NULL, ask, NULL))
			fail("pthread_create");
		while (atomic_load(&asker.asked) < 1)
			sched_yield();
		inc(a, ahead);
		pthread_join(thread, NULL);

		tid = fired();
		if (tid == self) {
			by_inc++;
		} else if (tid == asker.tid) {
			by_asker++;
		} else {
			printf("FAIL: iteration %d: the callback ran in thread %d, neither %d nor %d\n",
			       i, tid, self, asker.tid);
			return 1;
		}
		for (int k = 0; k < ahead; k++)
			close(fds[k]);
		close(a);
		close(b);
	}
	printf("pt2 signaled by SW_SYNC_IOC_INC (timeline lock held) %d times, through .signaled by SYNC_IOC_FILE_INFO %d times\n",
	       by_inc, by_asker);
	if (!by_asker) {
		printf("FAIL: no iteration signaled pt2 through .signaled: the second order was not taken\n");
		return 1;
	}
	printf("PASS: %d iterations, both lock orders taken (%d by .signaled)\n",
	       iters, by_asker);
	return 0;
}
