#!/usr/bin/env bats
# glibc's other signal entry points (signal, bsd_signal, ssignal,
# sysv_signal, __sysv_signal, sigset, sigignore, siginterrupt, sigvec,
# __sigaction, sighold/sigrelse) keep glibc's semantics under sigshim.
load common

setup() { require_lib "make lib"; }

@test "signal(): BSD semantics, handler stays, SA_RESTART, the signal in sa_mask" {
    same_plain_and_shim "$PROGS/t_ep_signal" signal
    assert_success
    assert_line 'USR1: handler=h1 flags=0x14000000 mask=10'
    assert_line 'two raises: runs=2'
    assert_line 'signal(USR1, h2) -> h1'
}

@test "signal(): siginterrupt(sig, 1) makes later signal() calls drop SA_RESTART for that signal only" {
    same_plain_and_shim "$PROGS/t_ep_signal" signal
    assert_line 'USR1 after siginterrupt 1: handler=h1 flags=0x04000000 mask=10'
    assert_line 'USR1 after siginterrupt 0: handler=h1 flags=0x14000000 mask=10'
    assert_line 'HUP: handler=h1 flags=0x14000000 mask=1'
    assert_line 'USR2 (siginterrupt 1 before): handler=h1 flags=0x04000000 mask=12'
}

@test "bsd_signal and ssignal behave as signal()" {
    for fn in bsd_signal ssignal; do
        same_plain_and_shim "$PROGS/t_ep_signal" "$fn"
        assert_success
        assert_line "$fn(USR1, h1) -> SIG_DFL"
        assert_line 'USR1: handler=h1 flags=0x14000000 mask=10'
        assert_line 'two raises: runs=2'
    done
}

@test "sysv_signal and __sysv_signal are one-shot: SA_RESETHAND|SA_NODEFER, no SA_RESTART" {
    for fn in sysv_signal __sysv_signal; do
        same_ending "$PROGS/t_ep_sysv" "$fn"
        assert_line 'USR1: handler=h flags=0xc4000000 mask=-'
        assert_line 'first raise: runs=1 mask inside=-'
        assert_line 'USR1 after delivery: handler=SIG_DFL flags=0xc4000000 mask=-'
        assert_line "$fn(KILL, h) -> SIG_ERR EINVAL"
        assert_line 'signal USR1 core no'
    done
}

@test "a -std=c99 program's signal() binds to __sysv_signal and is one-shot" {
    run nm -D "$PROGS/t_c99signal"
    assert_line --regexp ' U __sysv_signal'
    refute_line --regexp ' U signal(@|$)'
    same_ending "$PROGS/t_c99signal"
    assert_output 'signal(USR1, h) -> SIG_DFL
USR1: handler=h flags=0xc4000000
after delivery: runs=1 handler=SIG_DFL flags=0xc4000000
signal USR1 core no'
}

@test "sigset(): SIG_HOLD blocks and returns the previous disposition, a handler unblocks" {
    same_plain_and_shim "$PROGS/t_ep_sigset"
    assert_success
    assert_line 'sigset(USR1, SIG_HOLD) -> h1 blocked=1 pending=0 runs h1=1 h2=0'
    assert_line 'sigset(USR1, SIG_HOLD) again -> SIG_HOLD blocked=1 pending=1 runs h1=1 h2=0'
    assert_line 'sigset(USR1, h2) -> SIG_HOLD blocked=0 pending=0 runs h1=1 h2=1'
    assert_line 'USR1: handler=h2 flags=0x04000000 mask=-'
    assert_line 'sigset(0, SIG_HOLD) -> SIG_ERR EINVAL'
    assert_line 'sigset(65, SIG_HOLD) -> SIG_ERR EINVAL'
}

@test "sigignore(): SIG_IGN with no flags, discards a pending signal, EINVAL for bad signals" {
    same_plain_and_shim "$PROGS/t_ep_sigignore"
    assert_success
    assert_line 'USR1: handler=SIG_IGN flags=0x04000000 mask=-'
    assert_line 'USR2 pending after sigignore: 0'
    assert_line 'sigignore(9) -> -1 EINVAL'
}

@test "siginterrupt() toggles SA_RESTART and keeps handler, other flags and mask" {
    same_plain_and_shim "$PROGS/t_ep_siginterrupt"
    assert_success
    assert_line '  now: handler=h flags=0x0c000000 mask=3'
    assert_line '  now: handler=SIG_IGN flags=0x14000000 mask=1'
    assert_line 'siginterrupt(KILL, 1) -> -1 EINVAL'
}

@test "siginterrupt() decides whether a real read() is restarted or fails with EINTR" {
    same_plain_and_shim "$PROGS/t_restart" sigaction-siginterrupt
    assert_output 'sigaction-siginterrupt: read -> -1 EINTR alarms=1'
    same_plain_and_shim "$PROGS/t_restart" siginterrupt0
    assert_output 'siginterrupt0: read -> 1 got x alarms=1'
    same_plain_and_shim "$PROGS/t_restart" signal-siginterrupt
    assert_output 'signal-siginterrupt: read -> -1 EINTR alarms=1'
}

@test "read() restart per entry point: signal and bsd_signal restart, sysv_signal and sigset do not" {
    for m in signal bsd_signal; do
        same_plain_and_shim "$PROGS/t_restart" "$m"
        assert_output "$m: read -> 1 got x alarms=1"
    done
    for m in sysv_signal sigset; do
        same_plain_and_shim "$PROGS/t_restart" "$m"
        assert_output "$m: read -> -1 EINTR alarms=1"
    done
}

@test "sighold/sigrelse with sigset, sigignore and sigpause" {
    same_plain_and_shim "$PROGS/t_ep_sighold"
    assert_success
    assert_line 'held, raised: blocked=1 pending=1 runs=0'
    assert_line 'released: blocked=0 pending=0 runs=1'
    assert_line 'held, raised, sigset(h): blocked=0 pending=0 runs=2'
    assert_line 'held, raised, sigignore: blocked=1 pending=0 runs=2'
    assert_line 'sigpause -> -1 EINTR'
}

@test "__sigaction is sigaction: same oldact, same errors" {
    same_plain_and_shim "$PROGS/t_ep_sigaction2"
    assert_success
    assert_line '  query: handler=h flags=0x54000000 mask=12'
    assert_line 'sigaction sees: handler=SIG_IGN flags=0x54000000 mask=12'
    assert_line '__sigaction(33, NULL) -> -1 EINVAL'
}

@test "sigvec (compat symbol of old binaries) maps the 4.2BSD flags as glibc does" {
    run nm -D "$PROGS/t_ep_sigvec"
    assert_line --regexp ' U sigvec@GLIBC_2.2.5'
    same_plain_and_shim "$PROGS/t_ep_sigvec"
    assert_success
    assert_line 'USR1: handler=h flags=0x14000000 mask=12'
    assert_line 'USR1: handler=h flags=0x8c000000 mask=12'
    assert_line 'query: handler=h mask=0x00000800 flags=0x7'
}
