#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Speed of dma_fence's hot paths and of issuer teardown, base against series:
#
#   bench/run.sh            (make bench runs it after bench/sizes.sh)
#
# Builds one non-debug x86_64 kernel for the base (build/base-src) and one
# for the series (build/linux) from the same configuration (x86_64_defconfig
# and bench/guest/bench.config), each with the benchmark module
# (bench/module, the same source for both) and the userspace benchmark
# (bench/user) in its initramfs.  Then boots the two alternately,
# BENCH_ROUNDS times (default 3), under QEMU TCG with one vCPU and
# -icount shift=0,sleep=off -rtc clock=vm: the guest's clock then advances
# one nanosecond per executed instruction, so a guest "ns" is one
# instruction and the figures are path lengths, the same on any host.
# An atomic, a barrier or a cache miss counts as one instruction.
#
# Prints one line per path,
#
#   bench: NAME base=X series=Y ratio=Z (base A..B, series C..D)
#
# X and Y the medians over the rounds of instructions per run (per fence
# for the teardown paths), Z = Y/X, A..B and C..D the spread (min..max)
# over the rounds, and writes the table to bench/results/speed.md and the
# ratios as a chart (bench/results/speed.png, .svg; gnuplot).
#
# BENCH_ITERS (default 10000) runs of each path per boot (the array and
# chain paths run 1/16 and 1/64 of it); BENCH_FENCES (default 10000)
# pending fences for the teardown paths.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

ROUNDS=${BENCH_ROUNDS:-3}
ITERS=${BENCH_ITERS:-10000}
FENCES=${BENCH_FENCES:-10000}
JOBS=${JOBS:-$(nproc)}
RESULTS=$TOP/bench/results
BL=$LOGS/bench
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2024-11-17}
mkdir -p "$BL" "$RESULTS"

case $ROUNDS in ''|*[!0-9]*|0) die "BENCH_ROUNDS=$ROUNDS: not a count" ;; esac
case $ITERS in ''|*[!0-9]*|0) die "BENCH_ITERS=$ITERS: not a count" ;; esac
case $FENCES in ''|*[!0-9]*|0) die "BENCH_FENCES=$FENCES: not a count" ;; esac
# the guest's limits (bench/module, bench/user); vgem's fences signal by
# themselves after 10 s, about 100,000 fences' setup under -icount
[ "$ITERS" -le 10000000 ] || die "BENCH_ITERS=$ITERS: at most 10000000"
[ "$FENCES" -le 50000 ] || die "BENCH_FENCES=$FENCES: at most 50000"

"$TOP/scripts/deps.sh" gnuplot-nox

if ! git -C "$BUILD/base-src" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$LINUX" worktree prune
	git -C "$LINUX" worktree add -q --detach "$BUILD/base-src" base
fi
git -C "$BUILD/base-src" checkout -q --detach base

# build NAME SRC: kernel, modules, benchmark module and initramfs of a tree
build() {
	local name=$1 src=$2 out=$BUILD/out/bench-$1 root mods opt val bad=0
	mkdir -p "$out"
	if ! cmp -s "$TOP/bench/guest/bench.config" "$out/bench.config.used" ||
	   [ ! -f "$out/.config" ]; then
		step "configure the $name kernel" "bench/$name-config.log" sh -c "
			make -C '$src' O='$out' ARCH=x86_64 x86_64_defconfig &&
			cat '$TOP/bench/guest/bench.config' >>'$out/.config' &&
			make -C '$src' O='$out' ARCH=x86_64 olddefconfig"
		cp "$TOP/bench/guest/bench.config" "$out/bench.config.used"
	fi
	while IFS='=' read -r opt val; do
		case $opt in CONFIG_*) ;; *) continue ;; esac
		case $val in
		n) grep -qx "$opt=.*" "$out/.config" && { echo "$name: $opt is set, wanted n"; bad=1; } ;;
		*) grep -qx "$opt=$val" "$out/.config" || { echo "$name: $opt is not $val"; bad=1; } ;;
		esac
	done <"$TOP/bench/guest/bench.config"
	[ "$bad" = 0 ] || die "the $name bench kernel misses options"

	step "build the $name kernel ($JOBS jobs, ccache)" "bench/$name-build.log" \
		make -C "$src" O="$out" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" bzImage modules

	root=$out/bench-initramfs
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,lib/modules}
	cp /bin/busybox "$root/bin/busybox"
	for app in $("$root/bin/busybox" --list); do
		[ -e "$root/bin/$app" ] || ln -s busybox "$root/bin/$app"
	done
	cp "$TOP/bench/guest/init" "$root/init"
	step "install the $name headers and modules" "bench/$name-modules.log" sh -c "
		make -C '$src' O='$out' ARCH=x86_64 headers &&
		make -C '$src' O='$out' ARCH=x86_64 INSTALL_MOD_PATH='$root' \
			INSTALL_MOD_STRIP=1 modules_install"
	gcc -O2 -Wall -Wextra -Werror -static -I"$out/usr/include" \
		-o "$root/bin/fence-bench-user" "$TOP/bench/user/fence-bench-user.c" ||
		die "bench/user/fence-bench-user.c does not build against the $name tree"
	# 6.12's kbuild writes into M=: build a copy
	mods=$out/bench-module
	rm -rf "$mods"
	cp -r "$TOP/bench/module" "$mods"
	step "build the benchmark module for the $name tree" "bench/$name-module.log" \
		make -C "$out" ARCH=x86_64 CC="ccache gcc" M="$mods" W=1 modules
	cp "$mods/fence_bench.ko" "$root/fence_bench.ko"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/bench-initramfs.cpio.gz"
}

# boot NAME ROUND: one benchmark boot; its BENCH lines in $BL/NAME-ROUND.txt
boot() {
	local out=$BUILD/out/bench-$1 log=$BL/$1-$2.log rc=0
	timeout 1800 qemu-system-x86_64 -nodefaults -no-reboot -nographic \
		-bios qboot.rom -m 1024 -smp 1 -accel tcg -cpu max,la57=off \
		-icount shift=0,sleep=off -rtc clock=vm -serial stdio \
		-kernel "$out/arch/x86/boot/bzImage" -initrd "$out/bench-initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 oops=panic quiet bench.iters=$ITERS bench.fences=$FENCES" \
		>"$log" 2>&1 </dev/null || rc=$?
	tr -d '\r' <"$log" | sed -n 's/^BENCH: //p' >"$BL/$1-$2.txt"
	# step prints this output's tail when the boot fails
	if [ "$rc" != 0 ] || ! grep -qx END "$BL/$1-$2.txt" || grep -q '^FAIL' "$BL/$1-$2.txt"; then
		tail -n 30 "$log"
		echo "$1 benchmark boot $2 failed (exit $rc; log: ${log#"$TOP"/})"
		return 1
	fi
}

build base "$BUILD/base-src"
build series "$LINUX"

t0=$(date +%s)
for r in $(seq 1 "$ROUNDS"); do
	for name in base series; do
		step "benchmark boot: $name, round $r of $ROUNDS" "bench/$name-$r.step.log" boot "$name" "$r"
	done
done
say "benchmark boots: $(($(date +%s) - t0))s"

# One line per (tree, path, round): instructions per run.
for r in $(seq 1 "$ROUNDS"); do
	for name in base series; do
		sed -n 's/^fence_bench: \([a-z0-9_]*\) iters=\([0-9]*\) ns=\([0-9]*\)$/\1 \2 \3/p' \
			"$BL/$name-$r.txt" | awk -v t="$name" '{ printf "%s %s %.1f\n", t, $1, $3 / $2 }'
	done
done >"$BL/runs.txt"

# median and spread per tree and path; ratio of the medians
awk '
function median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	k = $1 SUBSEP $2
	v[k, ++n[k]] = $3
	if (!($2 in seen)) { seen[$2] = 1; order[++np] = $2 }
}
END {
	for (p = 1; p <= np; p++) {
		name = order[p]
		for (t = 1; t <= 2; t++) {
			tree = t == 1 ? "base" : "series"
			k = tree SUBSEP name
			m = n[k]
			if (!m) { med[t] = ""; continue }
			lo = hi = v[k, 1]
			for (i = 1; i <= m; i++) {
				a[i] = v[k, i]
				if (a[i] < lo) lo = a[i]
				if (a[i] > hi) hi = a[i]
			}
			med[t] = median(a, m); min[t] = lo; max[t] = hi
		}
		if (med[1] == "")
			printf "bench: %s base=- series=%.1f ratio=- (series only; series %.1f..%.1f)\n", name, med[2], min[2], max[2]
		else if (med[2] == "")
			printf "bench: %s base=%.1f series=- ratio=- (base only)\n", name, med[1]
		else
			printf "bench: %s base=%.1f series=%.1f ratio=%.3f (base %.1f..%.1f, series %.1f..%.1f)\n", name, med[1], med[2], med[2] / med[1], min[1], max[1], min[2], max[2]
	}
}' "$BL/runs.txt" | tee "$BL/summary.txt"

{
	echo "# Path length: base $(git -C "$LINUX" log -1 --format=%h base), series $(git -C "$LINUX" log -1 --format=%h HEAD) ($(git -C "$LINUX" rev-list --count base..HEAD) patches)"
	echo
	echo "Guest nanoseconds per run (QEMU TCG, -icount shift=0: one per instruction while the guest runs), median of $ROUNDS boots each, $ITERS runs per path and boot (array: 1/16, chain: 1/64); teardown paths: per fence, $FENCES fences; unload_latency: one module removal, mostly waiting."
	echo
	echo "| path | base | series | ratio | spread |"
	echo "| --- | ---: | ---: | ---: | --- |"
	sed -E 's/^bench: ([^ ]*) base=([^ ]*) series=([^ ]*) ratio=([^ ]*) \((.*)\)$/| \1 | \2 | \3 | \4 | \5 |/' "$BL/summary.txt"
} >"$RESULTS/speed.md"

# The chart: one bar per path with both trees, ratio series/base, and the
# floor's ratio as a line.
awk '$5 != "ratio=-" { split($5, r, "="); print $2, r[2] }' "$BL/summary.txt" >"$BL/ratios.dat"
if [ -s "$BL/ratios.dat" ]; then
	for term in "pngcairo noenhanced size 900,500" "svg noenhanced size 900,500"; do
		ext=${term%% *}; ext=${ext%cairo}
		gnuplot <<-EOF
			set terminal $term
			set output "$RESULTS/speed.$ext"
			set title "dma_fence path length, series / base (1.0 = same; 1.05 = limit)"
			set style data histograms
			set style fill solid 0.6
			set boxwidth 0.7
			set xtics rotate by -40 scale 0 font ",9"
			set yrange [0:*]
			set grid ytics
			set arrow from graph 0, first 1.05 to graph 1, first 1.05 nohead dt 2 lc rgb "red"
			set arrow from graph 0, first 1 to graph 1, first 1 nohead lc rgb "black"
			plot "$BL/ratios.dat" using 2:xtic(1) title "series / base" lc rgb "#4477aa"
		EOF
	done
fi
say "report: bench/results/speed.md, speed.png, speed.svg"
