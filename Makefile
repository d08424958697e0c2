# dma-fence independence for Linux 6.12: a patch queue over Debian's
# linux-source-6.12.  The kernel tree is build/linux; patches/ is the product.
# `make help` lists the targets.

SHELL := /bin/bash
S := scripts

.PHONY: help deps base tree export guest lint cocci kunit vm-test vm-test-full vm-base check check-full mutate bench demo clean

## help: list the targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## deps: install the Debian packages the project needs (apt)
deps:
	@$(S)/deps.sh

## base: fetch linux-source-6.12 (base.version) and lay out build/linux, tag `base`
base: deps
	@$(S)/fetch-base.sh

## tree: reset build/linux to `base` and apply patches/series (git am)
tree: base
	@$(S)/tree.sh

## export: regenerate patches/ and patches/series from build/linux (base..HEAD)
export:
	@$(S)/export.sh

## guest: build the x86_64 debug kernel for KUnit and the guest (build/out/guest)
guest:
	@$(S)/build-guest.sh

## lint: checkpatch --strict, W=1 + sparse and kernel-doc on every patch, new warnings only
lint:
	@$(S)/lint.sh

## cocci: the Coccinelle checks of tests/cocci on build/linux (fence use under RCU; seconds)
cocci: tree
	@$(S)/cocci.sh

## kunit: run the KUnit suites (tests/kunit/suites) on x86_64 QEMU, 2 CPUs
kunit: guest
	@$(S)/kunit.sh

## vm-test: boot the guest and run the scenarios in tests/vm/scenarios
vm-test: guest
	@$(S)/vm-test.sh

## vm-test-full: the guest scenarios at full size (10,000 fences, 100 load/unload cycles), not part of check
vm-test-full: guest
	@VM_FENCES=10000 VM_CYCLES=100 $(S)/vm-test.sh

## vm-base: the guest scenarios on the unpatched base, one boot each, as a table next to the series' verdicts (not part of check)
vm-base: tree
	@$(S)/vm-base.sh

## check: set up, then lint + cocci + kunit + vm-test; ends with "N passed, N failed"
check:
	@$(S)/check.sh

## check-full: heavier checks: allmod W=1+sparse on dma-fence users (x86_64, arm64), htmldocs, coccicheck, build at every patch (FULL_CHECKS= selects; boot: a boot at every commit, not by default)
check-full:
	@$(S)/check-full.sh $(FULL_CHECKS)

## mutate: seed each lifetime bug of tests/mutations/ and check the KUnit suites catch it ("caught X/Y")
mutate: tree guest
	@$(S)/mutate.sh

## bench: the series' costs against the base: bench/sizes.sh (sizeof per spinlock_t configuration) and bench/run.sh (path length of the hot paths and of issuer teardown, QEMU -icount), report in bench/results/
bench: tree
	@bench/sizes.sh
	@bench/run.sh

## demo: unload vgem while userspace holds its fences, narrated (BASE=1: on the unpatched base)
demo: tree
	@$(S)/demo.sh

## clean: remove build outputs and logs (keeps the unpacked base and ccache)
clean:
	rm -rf build/out build/logs build/results.txt build/demo-results.txt build/full-results.txt
