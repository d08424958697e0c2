# The kernel's own sw_sync selftests (tools/testing/selftests/sync).
exec /tests/sync_test
