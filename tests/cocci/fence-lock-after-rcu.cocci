// SPDX-License-Identifier: GPL-2.0-only
/// A fence's lock is taken after the RCU read-side critical section in
/// which the fence, or its lock, was looked up, with no reference to the
/// fence taken in that section.  Once the section ends the fence can be
/// freed at any time, and its lock with it: a lock inside the fence (the
/// inline lock, or a lock in the issuer's object the fence is part of) or
/// in memory its issuer frees.  Take a reference with
/// dma_fence_get_rcu_safe() or dma_fence_get_rcu() inside the section and
/// drop it after unlocking, or take and drop the lock inside the section.
//
// Written for the dma-fence series (tests/cocci/); run by scripts/cocci.sh,
// which also checks that it still reports the base's instance:
// Reports at base: drivers/gpu/drm/amd/amdgpu/amdgpu_vm.h
// Confidence: High
// Options: --no-includes --include-headers

virtual report

// the lock pointer itself is looked up inside the section
@lock_ptr depends on report exists@
expression F, l;
position p;
@@

rcu_read_lock();
... when != rcu_read_unlock()
l = \(dma_fence_spinlock(F)\|dma_fence_extern_spinlock(F)\|F->lock\|F->extern_lock\|&F->inline_lock\);
... when != rcu_read_unlock()
rcu_read_unlock();
... when != l = ...
(
spin_lock@p(l)
|
spin_lock_irq@p(l)
|
spin_lock_irqsave@p(l, ...)
)

// the same, with the lock pointer declared and initialised in the section
@lock_decl depends on report exists@
expression F;
identifier l;
type T;
position p;
@@

rcu_read_lock();
... when != rcu_read_unlock()
T l = \(dma_fence_spinlock(F)\|dma_fence_extern_spinlock(F)\|F->lock\|F->extern_lock\|&F->inline_lock\);
... when != rcu_read_unlock()
rcu_read_unlock();
... when != l = ...
(
spin_lock@p(l)
|
spin_lock_irq@p(l)
|
spin_lock_irqsave@p(l, ...)
)

// the fence is looked up inside the section, its lock is taken after it
@fence_ptr depends on report exists@
expression P, f;
position p;
@@

rcu_read_lock();
... when != rcu_read_unlock()
f = \(rcu_dereference(P)\|rcu_dereference_check(P, ...)\|rcu_dereference_raw(P)\|READ_ONCE(P)\);
... when != rcu_read_unlock()
    when != dma_fence_get_rcu(f)
    when != dma_fence_get_rcu_safe(...)
    when != dma_fence_get(f)
rcu_read_unlock();
... when != f = ...
(
dma_fence_lock_irqsave@p(f, ...)
|
spin_lock@p(\(dma_fence_spinlock(f)\|dma_fence_extern_spinlock(f)\|f->lock\|f->extern_lock\|&f->inline_lock\))
|
spin_lock_irq@p(\(dma_fence_spinlock(f)\|dma_fence_extern_spinlock(f)\|f->lock\|f->extern_lock\|&f->inline_lock\))
|
spin_lock_irqsave@p(\(dma_fence_spinlock(f)\|dma_fence_extern_spinlock(f)\|f->lock\|f->extern_lock\|&f->inline_lock\), ...)
)

@script:python depends on report@
p << lock_ptr.p;
@@
coccilib.report.print_report(p[0], "fence lock taken after the RCU read-side section it was looked up in, without a fence reference")

@script:python depends on report@
p << lock_decl.p;
@@
coccilib.report.print_report(p[0], "fence lock taken after the RCU read-side section it was looked up in, without a fence reference")

@script:python depends on report@
p << fence_ptr.p;
@@
coccilib.report.print_report(p[0], "lock of a fence taken after the RCU read-side section it was looked up in, without a fence reference")
