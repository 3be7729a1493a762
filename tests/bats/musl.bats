#!/usr/bin/env bats
# The same behaviours against musl: the library built with musl-gcc
# (build/musl/libsigshim.so, `make musl`) preloaded into programs linked
# against musl.  Each test compares the program with and without sigshim;
# the glibc suites pin the expected values, here only sameness counts, since
# musl's own answers differ (reserved signals 32-34, signal() flags).
# The deferred suite runs a second time against musl from `make test`
# (SIGSHIM_BUILD=build/musl tests/bats/deferred.bats).
SIGSHIM_BUILD="${SIGSHIM_ROOT:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}/build/musl"
load common

setup() { require_lib "make musl"; }

same() { same_plain_and_shim "$PROGS/$@"; }
# Here programs are named relative to $PROGS (the musl build).
same_ending() { same_plain_and_shim "$PROGS/t_runwait" "$PROGS/$@"; }

@test "musl: the library and the programs are musl objects" {
    run readelf -d "$LIB"
    assert_output --partial '[libc.so]'
    refute_output --partial 'libc.so.6'
    run readelf -l "$PROGS/t_oldact"
    assert_output --partial 'ld-musl'
}

@test "musl: oldact, queries and restorer exactly as musl reports them" {
    same t_oldact
    same t_oldact restorer
    same t_query_all
    same t_straddle             # musl leaves sa_restorer and the rest as they were
}

@test "musl: errors for bad signals (32-34 reserved) and EFAULT instead of a crash" {
    same t_errors
    for mode in act-bad act-noaccess oldact-readonly oldact-bad oldact-tail-readonly; do
        run_shim "$PROGS/t_efault" "$mode"
        assert_success
        assert_line "$mode -> -1 EFAULT"
    done
}

@test "musl: delivery, siginfo, ucontext edits and masks" {
    same t_deliver
    same t_fault_skip
    same t_handler_mask
}

@test "musl: SA_RESETHAND, SA_NODEFER, SA_ONSTACK, SA_NOCLDSTOP, SA_NOCLDWAIT" {
    same_ending t_resethand
    same t_nodefer nodefer
    same t_altstack
    same_ending t_altstack overflow
    same t_nocldstop nocldstop
    same t_nocldwait nocldwait
    same t_nocldwait ignore
}

@test "musl: errno is preserved and a handler's errno stays visible" {
    same t_errno set
    same t_errno keep
}

@test "musl: default actions, core dumps and exec inheritance" {
    for sig in TERM QUIT USR1 ABRT; do
        same_ending t_default "$sig" none
        same_ending t_default "$sig" dfl
    done
    same_ending t_default SEGV fault
    same_ending t_exec_ign
    same_ending t_crash segv-return
    same_ending t_crash abort-in-handler
    same_ending t_crash reraise-term
}

@test "musl: sigset, sigignore, siginterrupt, sighold" {
    same t_ep_sigset
    same t_ep_sigignore
    same t_ep_siginterrupt
    same t_ep_sighold
}

@test "musl: standard signals arriving together during sigaction() keep their own siginfo" {
    run_shim "$PROGS/t_re_siginfo"      # the bound: see reentrancy.bats
    echo "$output"
    assert_success
    assert_line 'every timer delivered: yes'
    assert_line 'wrong ones at most 1 in 1000: yes'
}

# posix_spawn/system/popen are left out: they run the system's glibc
# /bin/sh, which cannot load a musl library from LD_PRELOAD.
@test "musl: reentrancy, threads, fork, constructors, realtime order (also under sigaction calls), sigwait" {
    same t_re_inhandler
    same_ending t_re_timer
    same_ending t_re_threads
    same_ending t_re_fork
    same_ending t_re_ctor
    same t_re_rtorder
    same t_re_rtflood
    same_ending t_decline_tail
    same_ending t_fault_handover
    same t_re_sigwait
}

@test "musl: chaining keeps the executable's handler next to a plugin's (dlclose never unloads on musl)" {
    run "$PROGS/dlclose_handler" "$PROGS/libunload_plugin.so" 3
    assert_line "own handler ran 0 times"
    run_shim "$PROGS/dlclose_handler" "$PROGS/libunload_plugin.so" 3
    assert_success
    assert_line "own handler ran 3 times"
    assert_line plugin
}

@test "musl: chaining: two modules keep their handlers through churn, faults declined by re-raising" {
    run_shim "$BUILD/stress/stress_churn" 1
    assert_success
    assert_line PASS
    run_shim "$PROGS/decline_raise"
    assert_success
    assert_output "reporter: declines
jit: code=2
continued"
}

@test "musl: reentrant sigaction under a timer storm, and fork while threads install" {
    run_shim "$BUILD/stress/stress_nested" 1
    assert_success
    assert_line PASS
    run_shim "$BUILD/stress/stress_fork" 1
    assert_success
    assert_line PASS
}

@test "musl: sigshim takes at most 1 KB more of a small alternate stack" {
    altstack_room_check
}

@test "musl: a vfork child's signal() calls change the child only; a failed vfork is libc's" {
    same t_vfork exec
    assert_success
    assert_line "parent: USR1 handler ran 1, USR2 handler ran 1, still installed=yes"
    same t_vfork exit
    assert_success
    same t_vfork group
    assert_output "handlers ran in vfork children=yes, parent's USR2 handler kept=yes"
    same t_vfork term
    assert_output "waiting in vfork(): killed by SIGTERM=yes, within a second=yes"
    for mode in jvm tailcall rawparent nested; do
        same t_vfork "$mode"
        assert_success
    done
    run_shim "$PROGS/t_vfork" lookup
    assert_line "child: killed in the lookup"
    assert_line "parent: USR1 handler ran 2 times"
    for mode in resethand longjmp threads; do
        same t_vfork "$mode"
        assert_success
        assert_line --regexp "child: killed by signal USR1"
    done
    same t_vfork_fail
    assert_success
}
