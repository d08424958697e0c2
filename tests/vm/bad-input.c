// SPDX-License-Identifier: GPL-2.0
/*
 * bad-input: every sync_file and sw_sync ioctl with invalid arguments must
 * fail with the documented errno, and leave the kernel as it was (the host
 * fails the run on any splat, and kmemleak checks for leaks at the end).
 *
 * sw_sync also says why at debug level: with its debug messages enabled
 * (dynamic debug, "module sw_sync +p"), each failing sw_sync ioctl must
 * leave a line "sw_sync: bad-input[PID]: REASON" in the kernel log.
 *
 * Usage: bad-input
 * Prints one line per case that fails and a last line "PASS: ..." or
 * "FAIL: ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "sw_sync-uapi.h"

static int cases, failed, kmsg = -1;

static void die(const char *what)
{
	printf("FAIL: %s (%s)\n", what, strerror(errno));
	_exit(1);
}

/* Whether a kernel log record written since the last call contains @text. */
static int logged(const char *text)
{
	char rec[2048];
	int found = 0;
	ssize_t n;

	for (;;) {
		n = read(kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten records */
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (strstr(rec, text))
			found = 1;
	}
	return found;
}

/*
 * One case: ioctl(fd, cmd, arg) must fail with errno @want and, if @reason is
 * not NULL, log "sw_sync: bad-input[PID]: @reason".
 */
static void expect_why(const char *what, int fd, unsigned long cmd, void *arg,
		       int want, const char *reason)
{
	char text[256];
	int ret, err;

	logged("");	/* skip what came before */
	ret = ioctl(fd, cmd, arg);
	err = errno;
	cases++;
	if (ret != -1 || err != want) {
		failed++;
		printf("case %s: returned %d, errno %d (%s), want errno %d (%s)\n",
		       what, ret, ret == -1 ? err : 0,
		       ret == -1 ? strerror(err) : "none", want, strerror(want));
		return;
	}
	if (!reason)
		return;
	snprintf(text, sizeof(text), "sw_sync: bad-input[%d]: %s", getpid(), reason);
	if (!logged(text)) {
		failed++;
		printf("case %s: no log line \"%s\"\n", what, text);
	}
}

static void expect(const char *what, int fd, unsigned long cmd, void *arg,
		   int want)
{
	expect_why(what, fd, cmd, arg, want, NULL);
}

/* The reason a case must log, formatted (valid until the next call). */
static const char *why(const char *fmt, ...)
{
	static char buf[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

/* A page of @size bytes copied from @data that the process cannot write. */
static void *read_only(const void *data, size_t size)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	memcpy(p, data, size);
	if (mprotect(p, 4096, PROT_READ))
		die("mprotect");
	return p;
}

/* The lowest free fd: a failed ioctl must not leave one taken. */
static int next_fd(void)
{
	int fd = dup(0);

	if (fd < 0)
		die("dup");
	close(fd);
	return fd;
}

static int create_fence(int tl, unsigned int value)
{
	struct sw_sync_create_fence_data d = { .value = value, .name = "bad-input" };

	if (ioctl(tl, SW_SYNC_IOC_CREATE_FENCE, &d))
		die("SW_SYNC_IOC_CREATE_FENCE");
	return d.fence;
}

int main(void)
{
	struct sync_fence_info fi[2];
	struct sw_sync_get_deadline dl;
	struct sync_merge_data m;
	struct sync_file_info info;
	struct sync_set_deadline sd;
	struct sw_sync_create_fence_data cf = { .value = 30, .name = "ro" };
	int tl, tl2, pending, pending2, pending3, done, merged, other, nul;
	int fd;
	__u32 inc = 1;
	void *bad = (void *)(uintptr_t)16;	/* an unmapped user address */

	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg < 0)
		die("open /dev/kmsg");
	tl = open("/sys/kernel/debug/sync/sw_sync", O_RDWR);
	if (tl < 0)
		die("open /sys/kernel/debug/sync/sw_sync");
	/* A second timeline: a merge keeps one fence per timeline. */
	tl2 = open("/sys/kernel/debug/sync/sw_sync", O_RDWR);
	if (tl2 < 0)
		die("open /sys/kernel/debug/sync/sw_sync");
	nul = open("/dev/null", O_RDWR);
	if (nul < 0)
		die("open /dev/null");
	done = create_fence(tl, 1);
	pending = create_fence(tl, 10);
	pending2 = create_fence(tl2, 1);
	pending3 = create_fence(tl, 20);
	if (ioctl(tl, SW_SYNC_IOC_INC, &inc))
		die("SW_SYNC_IOC_INC");
	/* Two pending fences: a merge drops signaled ones. */
	memset(&m, 0, sizeof(m));
	strcpy(m.name, "merged");
	m.fd2 = pending2;
	if (ioctl(pending, SYNC_IOC_MERGE, &m))
		die("SYNC_IOC_MERGE");
	merged = m.fence;

	/* sync_file: SYNC_IOC_MERGE */
	memset(&m, 0, sizeof(m));
	m.fd2 = -1;
	expect("merge with fd2 -1", pending, SYNC_IOC_MERGE, &m, ENOENT);
	m.fd2 = nul;
	expect("merge with a file that is no sync_file", pending, SYNC_IOC_MERGE, &m, ENOENT);
	m.fd2 = done;
	m.flags = 1;
	expect("merge with flags", pending, SYNC_IOC_MERGE, &m, EINVAL);
	m.flags = 0;
	m.pad = 1;
	expect("merge with pad", pending, SYNC_IOC_MERGE, &m, EINVAL);
	expect("merge with a bad pointer", pending, SYNC_IOC_MERGE, bad, EFAULT);
	expect("merge with NULL", pending, SYNC_IOC_MERGE, NULL, EFAULT);

	/* sync_file: SYNC_IOC_FILE_INFO */
	memset(&info, 0, sizeof(info));
	info.flags = 1;
	expect("file info with flags", merged, SYNC_IOC_FILE_INFO, &info, EINVAL);
	info.flags = 0;
	info.pad = 1;
	expect("file info with pad", merged, SYNC_IOC_FILE_INFO, &info, EINVAL);
	info.pad = 0;
	info.num_fences = 1;	/* the merged file holds 2 */
	info.sync_fence_info = (uintptr_t)fi;
	expect("file info with too few entries", merged, SYNC_IOC_FILE_INFO, &info, EINVAL);
	info.num_fences = 2;
	info.sync_fence_info = (uintptr_t)bad;
	expect("file info with a bad array", merged, SYNC_IOC_FILE_INFO, &info, EFAULT);
	expect("file info with a bad pointer", merged, SYNC_IOC_FILE_INFO, bad, EFAULT);

	/* sync_file: SYNC_IOC_SET_DEADLINE */
	memset(&sd, 0, sizeof(sd));
	sd.pad = 1;
	expect("set deadline with pad", pending, SYNC_IOC_SET_DEADLINE, &sd, EINVAL);
	expect("set deadline with a bad pointer", pending, SYNC_IOC_SET_DEADLINE, bad, EFAULT);

	/* sync_file: unknown command */
	expect("unknown sync_file ioctl", pending, _IO(SYNC_IOC_MAGIC, 99), NULL, ENOTTY);

	/* sw_sync */
	expect_why("create fence with a bad pointer", tl, SW_SYNC_IOC_CREATE_FENCE, bad, EFAULT,
		   "CREATE_FENCE: cannot read the argument");
	fd = next_fd();
	expect_why("create fence with a read-only argument", tl, SW_SYNC_IOC_CREATE_FENCE,
		   read_only(&cf, sizeof(cf)), EFAULT,
		   "CREATE_FENCE: cannot write the fence fd back");
	cases++;
	if (next_fd() != fd) {
		failed++;
		printf("case create fence with a read-only argument: fd %d stayed taken\n", fd);
	}
	expect_why("inc with a bad pointer", tl, SW_SYNC_IOC_INC, bad, EFAULT,
		   "INC: cannot read the argument");
	memset(&dl, 0, sizeof(dl));
	dl.fence_fd = pending;
	dl.pad = 1;
	expect_why("get deadline with pad", tl, SW_SYNC_GET_DEADLINE, &dl, EINVAL,
		   "GET_DEADLINE: deadline_ns and pad must be 0");
	dl.pad = 0;
	dl.deadline_ns = 1;
	expect_why("get deadline with deadline_ns set", tl, SW_SYNC_GET_DEADLINE, &dl, EINVAL,
		   "GET_DEADLINE: deadline_ns and pad must be 0");
	dl.deadline_ns = 0;
	dl.fence_fd = -1;
	expect_why("get deadline of fd -1", tl, SW_SYNC_GET_DEADLINE, &dl, EINVAL,
		   "GET_DEADLINE: fd -1 is not a sync_file");
	dl.fence_fd = nul;
	expect_why("get deadline of a file that is no sync_file", tl, SW_SYNC_GET_DEADLINE,
		   &dl, EINVAL, why("GET_DEADLINE: fd %d is not a sync_file", nul));
	dl.fence_fd = merged;
	expect_why("get deadline of a merged (array) fence", tl, SW_SYNC_GET_DEADLINE, &dl,
		   EINVAL, why("GET_DEADLINE: fd %d is not a sw_sync fence", merged));
	dl.fence_fd = pending;
	expect_why("get deadline of a fence without one", tl, SW_SYNC_GET_DEADLINE, &dl,
		   ENOENT, why("GET_DEADLINE: fd %d has no deadline", pending));
	dl.fence_fd = done;
	expect_why("get deadline of a signaled fence", tl, SW_SYNC_GET_DEADLINE, &dl, ENOENT,
		   why("GET_DEADLINE: fd %d has signaled", done));
	expect_why("get deadline with a bad pointer", tl, SW_SYNC_GET_DEADLINE, bad, EFAULT,
		   "GET_DEADLINE: cannot read the argument");
	memset(&sd, 0, sizeof(sd));
	sd.deadline_ns = 1000000000;
	if (ioctl(pending3, SYNC_IOC_SET_DEADLINE, &sd))
		die("SYNC_IOC_SET_DEADLINE");
	dl.fence_fd = pending3;
	expect_why("get deadline with a read-only argument", tl, SW_SYNC_GET_DEADLINE,
		   read_only(&dl, sizeof(dl)), EFAULT,
		   "GET_DEADLINE: cannot write the deadline back");
	expect_why("unknown sw_sync ioctl", tl, _IO('W', 99), NULL, ENOTTY,
		   "unknown ioctl 0x5763");

	/* A sync_file ioctl on the timeline, a sw_sync one on a sync_file. */
	expect("sync_file ioctl on a timeline", tl, SYNC_IOC_FILE_INFO, &info, ENOTTY);
	expect("sw_sync ioctl on a sync_file", pending, SW_SYNC_IOC_INC, &inc, ENOTTY);

	/* A closed timeline: its fd is gone, its fences are signaled. */
	other = dup(pending);
	close(tl);
	expect("inc on a closed timeline", tl, SW_SYNC_IOC_INC, &inc, EBADF);
	memset(&info, 0, sizeof(info));
	if (ioctl(other, SYNC_IOC_FILE_INFO, &info) || info.status != -ENOENT) {
		cases++;
		failed++;
		printf("case fence of a closed timeline: status %d, want %d\n",
		       info.status, -ENOENT);
	}

	close(other);
	close(pending);
	close(pending2);
	close(pending3);
	close(done);
	close(merged);
	close(nul);
	close(tl2);
	if (failed) {
		printf("FAIL: %d of %d bad-input cases got another answer\n", failed, cases);
		return 1;
	}
	printf("PASS: %d bad-input cases, each failed with the expected errno (and sw_sync said why)\n",
	       cases);
	return 0;
}
