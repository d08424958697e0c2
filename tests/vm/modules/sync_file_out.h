/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the test modules of tests/vm/modules: hand a fence to userspace as a
 * sync_file, from an ioctl whose argument has an out field for its fd.
 */
#ifndef SYNC_FILE_OUT_H
#define SYNC_FILE_OUT_H

#include <linux/dma-fence.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

/*
 * Wrap @fence in a sync_file (taking over the caller's reference), store
 * its new fd in *@fd, which is a field of @req, copy @size bytes of @req to
 * @uarg and install the fd only once that succeeded.
 */
static inline int sync_file_out(struct dma_fence *fence, __s32 *fd,
				const void *req, void __user *uarg, size_t size)
{
	struct sync_file *sync_file = sync_file_create(fence);
	int n;

	dma_fence_put(fence);
	if (!sync_file)
		return -ENOMEM;
	n = get_unused_fd_flags(O_CLOEXEC);
	if (n < 0) {
		fput(sync_file->file);
		return n;
	}
	*fd = n;
	if (copy_to_user(uarg, req, size)) {
		put_unused_fd(n);
		fput(sync_file->file);
		return -EFAULT;
	}
	fd_install(n, sync_file->file);
	return 0;
}

#endif
