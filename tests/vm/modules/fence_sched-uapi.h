/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioctl of the fence_sched test module's debugfs file
 * /sys/kernel/debug/fence_sched/submit, for the module and the guest
 * programs that use it.
 */
#ifndef FENCE_SCHED_UAPI_H
#define FENCE_SCHED_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The job stays on the mock hardware until the module is removed. */
#define FENCE_SCHED_PENDING	(1u << 0)

/**
 * struct fence_sched_submit - submit one job to the test module's scheduler
 * @flags: FENCE_SCHED_PENDING or 0
 * @fence: out: a sync_file of the job's finished fence
 */
struct fence_sched_submit {
	__u32 flags;
	__s32 fence;
};

#define FENCE_SCHED_IOC_SUBMIT	_IOWR('F', 0x80, struct fence_sched_submit)

#endif
