/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sw_sync's ioctls, for the guest programs of tests/vm: its uapi is private
 * to drivers/dma-buf/sw_sync_main.c, so no installed header has it.
 */
#ifndef SW_SYNC_UAPI_H
#define SW_SYNC_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

struct sw_sync_create_fence_data {
	__u32 value;
	char name[32];
	__s32 fence;
};

struct sw_sync_get_deadline {
	__u64 deadline_ns;
	__u32 pad;
	__s32 fence_fd;
};

#define SW_SYNC_IOC_CREATE_FENCE _IOWR('W', 0, struct sw_sync_create_fence_data)
#define SW_SYNC_IOC_INC _IOW('W', 1, __u32)
#define SW_SYNC_GET_DEADLINE _IOWR('W', 2, struct sw_sync_get_deadline)

#endif
