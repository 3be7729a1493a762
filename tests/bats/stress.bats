#!/usr/bin/env bats
# Short runs of the stress programs (`make stress` runs them for a minute).
load common

@test "handlers churned by two threads while four threads take signals: none lost, no deadlock" {
    run_shim "$BUILD/stress/stress_churn" 3
    echo "$output"
    assert_success
    assert_line PASS
}

@test "without sigshim the churning module's SIG_DFL kills the program" {
    run "$BUILD/stress/stress_churn" 1
    assert_failure
}

@test "sigaction from handlers that interrupted sigaction on the same thread, thousands of times" {
    run_shim "$BUILD/stress/stress_nested" 2
    echo "$output"
    assert_success
    assert_line PASS
}

@test "fork and vfork in a loop while other threads install and take signals: every child works, vfork children leave the parent's handlers alone" {
    run_shim "$BUILD/stress/stress_fork" 3
    echo "$output"
    assert_success
    assert_line PASS
}

@test "dlclose of a module whose handler is installed: the others still run, no crash" {
    run "$PROGS/dlclose_handler" "$PROGS/libunload_plugin.so"
    assert_equal "$status" 139          # plainly: a jump into unmapped code
    run_shim "$PROGS/dlclose_handler" "$PROGS/libunload_plugin.so" 100
    assert_success
    assert_output "own handler ran 100 times"
}
