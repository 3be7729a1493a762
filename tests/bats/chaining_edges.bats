#!/usr/bin/env bats
# Chaining at its edges: a full chain, and a decliner that re-raises.
load common

@test "a fault declined by re-raising and handled by the next handler is not delivered again" {
    run "$PROGS/decline_raise"
    assert_equal "$status" 139              # plainly: the reporter replaced the JIT
    assert_output "reporter: declines"
    run_shim "$PROGS/decline_raise"
    assert_success
    assert_output "reporter: declines
jit: code=2
continued"
}

@test "20 modules on one signal: sigaction never fails; beyond 15 the extra modules share the last slot" {
    run "$PROGS/many_modules" "$PROGS/libmanymod.so" 20 "$BATS_TEST_TMPDIR"
    assert_line "handlers: 19 "                    # plainly: the last one wins
    run_shim "$PROGS/many_modules" "$PROGS/libmanymod.so" 20 "$BATS_TEST_TMPDIR"
    assert_success
    assert_line "installs failed: 0"
    assert_line "handlers: 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 19 "
}
