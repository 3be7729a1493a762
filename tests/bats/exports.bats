#!/usr/bin/env bats
# The library exports exactly the interposed libc names and the public API.
load common

expected_exports() {
    printf '%s\n' JVM_begin_signal_setting JVM_end_signal_setting \
        JVM_get_signal_action __sigaction dlclose __sysv_signal bsd_signal sigaction \
        sigignore siginterrupt signal sigset sigshim_dropped \
        sigshim_register sigshim_register_deferred sigshim_sub_fd \
        sigshim_subscribe sigshim_unregister sigshim_unsubscribe \
        sigshim_version sigshim_wait sigvec ssignal sysv_signal
    # x86-64: vfork, to tell a vfork child from its parent (docs/design.md)
    [ "$(uname -m)" != x86_64 ] || printf '%s\n' vfork __vfork
}

@test "exports are exactly the interposed names and sigshim_*" {
    run bash -c "nm -D --defined-only '$LIB' | awk '{print \$3}' | sort"
    assert_success
    diff <(expected_exports | sort) <(printf '%s\n' "$output")
}

@test "exported symbols carry no version (a named node is bypassed on glibc)" {
    run bash -c "nm -D --defined-only '$LIB' | grep '@'"
    assert_failure
}

@test "the library has a soname with an ABI version" {
    run bash -c "readelf -d '$LIB' | grep SONAME"
    assert_output --partial 'libsigshim.so.0'
}
