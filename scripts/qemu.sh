#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# qemu.sh accel           print the QEMU acceleration to use (probed once)
# qemu.sh boot LOG APPEND [INITRD]
#                         boot the guest kernel, serial console to LOG
#
# /dev/kvm can open and still hang a nested guest here, so KVM is used only
# when a short probe boot under it prints the kernel banner; otherwise TCG
# with -cpu max,la57=off (plain "max" enables 5-level paging, which gave a
# false early-boot KASAN report).  QEMU_ACCEL=kvm|tcg overrides the probe.
set -eu
. "$(dirname "$0")/lib.sh"

OUT=${GUEST_OUT:-$BUILD/out/guest}
KERNEL=$OUT/arch/x86/boot/bzImage
TIMEOUT=${VM_TIMEOUT:-1500}

accel() {
	local cache=$OUT/accel
	if [ -n "${QEMU_ACCEL:-}" ]; then
		echo "$QEMU_ACCEL"
		return
	fi
	if [ ! -s "$cache" ] || [ "$cache" -ot "$KERNEL" ]; then
		local probe=$LOGS/kvm-probe.log
		echo tcg >"$cache"
		# Without an initramfs a good boot ends in a root-mount panic.
		if [ -w /dev/kvm ]; then
			timeout 20 qemu-system-x86_64 -nodefaults -no-reboot \
				-nographic -bios qboot.rom -m 512 -accel kvm -cpu host \
				-serial stdio -kernel "$KERNEL" \
				-append "console=ttyS0 panic=-1" >"$probe" 2>&1 </dev/null || true
			grep -q 'Unable to mount root' "$probe" && echo kvm >"$cache"
		fi
	fi
	cat "$cache"
}

# The QEMU arguments for an accelerator, for this script and for kunit.py.
accel_args() {
	case $1 in
	kvm) echo "-smp 2 -accel kvm -cpu host" ;;
	*) echo "-smp 2 -accel tcg -cpu max,la57=off" ;;
	esac
}

case ${1:-} in
accel) accel ;;
args) accel_args "$(accel)" ;;
boot)
	log=$2 append=$3 initrd=${4:-}
	a=$(accel)
	say "boot guest ($a): ${append}"
	set -- -nodefaults -no-reboot -nographic -bios qboot.rom -m 2048 \
		$(accel_args "$a") -serial stdio -kernel "$KERNEL" \
		-append "console=ttyS0 panic=-1 oops=panic $append"
	[ -n "$initrd" ] && set -- "$@" -initrd "$initrd"
	t0=$(date +%s)
	rc=0
	timeout "$TIMEOUT" qemu-system-x86_64 "$@" >"$log" 2>&1 </dev/null || rc=$?
	say "guest ran $(($(date +%s) - t0))s (exit $rc), console: ${log#"$TOP"/}"
	[ "$rc" = 124 ] && echo "guest timed out after ${TIMEOUT}s" >&2
	exit 0
	;;
*) die "usage: qemu.sh accel | args | boot LOG APPEND [INITRD]" ;;
esac
