# The base's dma-buf selftests module, where the tree still has it (the
# series turns them into KUnit suites).  Loading fails when a test fails.
modinfo dmabuf_selftests >/dev/null 2>&1 || exit 77
modprobe dmabuf_selftests || exit 1
dmesg | grep -i 'dma-buf' | tail -n 5
rmmod dmabuf_selftests
