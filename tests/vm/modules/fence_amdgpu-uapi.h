/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioctl of the fence_amdgpu test module's debugfs file
 * /sys/kernel/debug/fence_amdgpu/submit, for the module and the guest
 * programs that use it.
 */
#ifndef FENCE_AMDGPU_UAPI_H
#define FENCE_AMDGPU_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Emitted on the ring that completes nothing until the module is removed. */
#define FENCE_AMDGPU_PENDING	(1u << 0)
/* The hardware fence of a job (a direct submission's), not a bare one. */
#define FENCE_AMDGPU_JOB	(1u << 1)
#define FENCE_AMDGPU_FLAGS	(FENCE_AMDGPU_PENDING | FENCE_AMDGPU_JOB)

/**
 * struct fence_amdgpu_submit - emit one hardware fence on a mock ring
 * @flags: FENCE_AMDGPU_PENDING, FENCE_AMDGPU_JOB or 0
 * @fence: out: a sync_file of the hardware fence
 */
struct fence_amdgpu_submit {
	__u32 flags;
	__s32 fence;
};

#define FENCE_AMDGPU_IOC_SUBMIT	_IOWR('F', 0x81, struct fence_amdgpu_submit)

#endif
