#!/usr/bin/env bats
# Deferred delivery through the real library (docs/deferred.md): deferred
# handlers run on sigshim's worker thread, subscriptions are drained with
# sigshim_wait() or polled.  The driver, tests/progs/d_deferred.c, links
# -lsigshim; each mode prints one fact per line ("FAILED: ..." when an
# expectation did not hold) and exits 0 when all held.
load common
bats_require_minimum_version 1.5.0

D="$PROGS/d_deferred"

setup() {
    [ -x "$D" ] || skip "build/progs/d_deferred missing: make progs"
}

# ms CMD...: runs CMD, leaves its output/status as `run` does and the wall
# time in milliseconds in $elapsed_ms.
ms() {
    local start end
    start=$(date +%s%N)
    run "$@"
    end=$(date +%s%N)
    elapsed_ms=$(( (end - start) / 1000000 ))
}

@test "a deferred callback runs on the worker thread named sigshim, and may allocate and print" {
    run "$D" thread
    assert_success
    assert_line --partial 'callback: signal 10 (User defined signal 1)'
    assert_line --partial 'on thread "sigshim", not the main thread, arg "hello"'
    assert_line 'callbacks run: 1'
}

@test "the worker thread exists only while a deferred handler does (not for subscriptions)" {
    run "$D" threads
    assert_success
    assert_line 'at start: 0 "sigshim" thread(s)'
    assert_line 'with a subscription: 0'
    assert_line 'with a deferred handler: 1'
    assert_line 'with two: still 1'
}

@test "sigshim_unregister() removes a deferred handler; a second time is ENOENT" {
    run "$D" unregister
    assert_success
    assert_line 'sigshim_unregister(deferred id) = 0'
    assert_line 'second unregister: ENOENT'
    assert_line 'after unregistering a, only b runs (a 1, b 2)'
}

@test "bad arguments: EINVAL for reserved/unblockable signals, NULL fn, flags; EBADF for a non-subscription" {
    run "$D" validate
    assert_success
    refute_line --partial FAILED
    assert_line 'register_deferred(9): EINVAL'
    assert_line 'register_deferred(19): EINVAL'
    assert_line 'register_deferred(32): EINVAL'
    assert_line 'register_deferred(33): EINVAL'
    assert_line 'wait on something that is not a subscription: EBADF'
}

@test "10000 sigqueue'd realtime values from another process reach a deferred handler in order (flow control)" {
    run timeout 60 "$D" rtorder 10000
    assert_success
    assert_line 'received 10000 of 10000 values, 0 out of order'
    assert_line 'dropped 0'
}

@test "a flood's last values are not held back: 3000 unpaced realtime values, the last one handled within 50 ms" {
    run timeout 60 "$D" floodtail 3000
    assert_success
    assert_line 'received 3000 of 3000 values, 0 out of order'
    assert_line --partial 'the last value ran its callback within 50 ms of being sent'
    assert_line 'dropped 0'
}

@test "100000 realtime values for a thread that keeps calling sigaction() reach a deferred handler in order" {
    run timeout 60 "$D" rtbusy 100000
    assert_success
    assert_line 'received 100000 of 100000 values, 0 out of order'
    assert_line 'dropped 0'
}

@test "10000 realtime values from another process reach a subscription of capacity 10000 in order, none lost" {
    run timeout 60 "$D" subrt 10000
    assert_success
    assert_line 'sigshim_wait: 10000 of 10000 values in order (0 wrong)'
    assert_line 'dropped 0'
}

@test "every subscriber sees every signal of its set, and legacy handlers still run" {
    run "$D" subwait
    assert_success
    assert_line 'the legacy signal() handler of SIGUSR2 still ran'
    assert_line 'subscriber a: sigshim_wait -> User defined signal 1 then User defined signal 2'
    assert_line 'subscriber b: sigshim_wait -> User defined signal 1 then User defined signal 2'
}

@test "the subscription fd is pollable: readable while a signal is pending, not after" {
    run "$D" subpoll
    assert_success
    assert_line --regexp '^fd [0-9]+: not readable before any signal$'
    assert_line --partial 'poll: readable after SIGHUP from another process'
    assert_line "sigshim_wait: SIGHUP from the child's pid"
    assert_line 'fd not readable once drained'
}

@test "sigshim_wait with a 10 ms (relative) timeout returns ETIMEDOUT after 10 ms" {
    run "$D" timeout
    assert_success
    assert_line 'sigshim_wait(10 ms): ETIMEDOUT'
    refute_line --partial FAILED
}

@test "sigshim_dropped() counts overflow exactly (subscription and deferred queue)" {
    run timeout 60 "$D" dropped
    assert_success
    assert_line 'subscription of 8, 20 signals: dropped 12 (12)'
    assert_line 'the first 8 are kept, in order (8)'
    assert_line 'deferred queue (4096) + 50 while the worker is busy: dropped 62 (62 in all)'
    assert_line 'then all 4096 queued callbacks run'
}

@test "fork() children deliver deferred signals on a worker of their own, with a zero drop count" {
    run timeout 30 "$D" fork
    assert_success
    for k in 0 1 2; do
        assert_line "child $k: 1 callback(s), dropped 0"
        assert_line "child $k delivered its deferred signal"
    done
}

@test "a fork child with a full fd table gets a subscription fd of its own: its signals never wake the parent's poll" {
    run timeout 30 "$D" forkfull
    assert_success
    assert_line "child: fd table full=yes, got its signal=yes, its fd readable=yes"
    assert_line "parent: the child's pending signal does not make the parent's fd readable"
    assert_line "parent: nothing to take either"
}

@test "a vfork child cannot subscribe or register (EPERM): the parent's queues and fds stay its own" {
    run timeout 30 "$D" vforksub
    assert_success
    assert_line "vfork child: sigshim_subscribe -> NULL, EPERM"
    assert_line "vfork child: sigshim_register_deferred -> -1, EPERM"
    assert_line "parent: its own subscription still gets SIGUSR1"
    assert_line "parent: and nothing more"
}

@test "exit is not delayed by the worker thread" {
    ms "$D" exit return
    assert_success
    assert_line 'main: returning'
    echo "elapsed: ${elapsed_ms} ms"
    [ "$elapsed_ms" -lt 500 ]
}

@test "the worker does not keep the process alive after main's pthread_exit and the last thread's end" {
    ms timeout 10 "$D" exit pthread_exit
    assert_success
    assert_line 'main: pthread_exit'
    echo "elapsed: ${elapsed_ms} ms"
    [ "$elapsed_ms" -lt 3000 ]
}

@test "a program a callback forks and execs gets the program's signal mask, not the worker's (all blocked)" {
    run "$D" spawnmask
    assert_success
    assert_line "a program exec'd from a callback has the program's mask, not the worker's"
}

@test "with every CPU busy, callbacks run about as soon as a self-pipe reader sees the signal; the worker keeps the program's CPU mask" {
    run "$D" busycpu
    assert_success
    assert_line 'every callback ran, and the reader saw every signal'
    assert_line 'callbacks over 1 ms late: at most 10% of the signals more than the reader'
    assert_line "the worker runs callbacks with the program's CPUs"
}

@test "a deferred handler or a subscription keeps the process alive on SIGTERM / SIGINT" {
    run "$D" keepalive
    assert_success
    assert_line --partial 'callback: signal 15 (Terminated)'
    assert_line 'SIGTERM with only a deferred handler: still alive, callback ran'
    assert_line 'SIGINT with only a subscription: still alive, event queued'
}

@test "preloaded rather than linked: the same library answers" {
    run_shim "$D" thread
    assert_success
    assert_line --partial 'on thread "sigshim", not the main thread'
}

# start_example NAME: runs build/examples/NAME in the background with a
# silent, open stdin; sets $out (its output file) and $pid once it printed
# "ready: pid N".  finish_example: waits for it to end, output in $output.
start_example() {
    local ex="$BUILD/examples/$1" in="$BATS_TEST_TMPDIR/$1.in" i
    out="$BATS_TEST_TMPDIR/$1.out"
    mkfifo "$in"
    ("$ex" <"$in" >"$out" 2>&1; echo "exit=$?" >>"$out") 3>&- &
    exec 4<>"$in"
    pid=""
    for i in $(seq 100); do
        pid=$(sed -n 's/^ready: pid //p' "$out" 2>/dev/null)
        [ -n "$pid" ] && break
        sleep 0.05
    done
    [ -n "$pid" ]
}

finish_example() {
    local i
    for i in $(seq 100); do grep -q '^exit=' "$out" && break; sleep 0.05; done
    exec 4>&-
    run cat "$out"
}

@test "example: a poll() event loop takes SIGHUP, SIGUSR1 (deferred) and SIGTERM as events" {
    [ -x "$BUILD/examples/poll_loop" ] || skip "build/examples/poll_loop missing: make progs"
    start_example poll_loop
    kill -HUP "$pid"; sleep 0.1
    kill -USR1 "$pid"; sleep 0.1
    kill -TERM "$pid"
    finish_example
    assert_line --regexp '^reload \(SIGHUP from pid [0-9]+\)$'
    assert_line 'stats: 1 events handled, 0 dropped'
    assert_line 'shutdown on Terminated'
    assert_line 'exit=0'
}

@test "example: a libuv loop polls the subscription fd; libuv's own SIGHUP watcher still sees every SIGHUP" {
    [ -x "$BUILD/examples/uv_loop" ] ||
        skip "build/examples/uv_loop missing: needs libuv (libuv1-dev, glibc only), then make progs"
    start_example uv_loop
    kill -HUP "$pid"; sleep 0.1
    kill -USR2 "$pid"; sleep 0.1
    kill -HUP "$pid"; sleep 0.1
    kill -TERM "$pid"
    finish_example
    [ "$(grep -c '^subscription: reload (SIGHUP from pid [0-9]*)$' <<<"$output")" -eq 2 ]
    [ "$(grep -c '^uv_signal: Hangup too$' <<<"$output")" -eq 2 ]
    assert_line 'subscription: status, 2 events handled'
    assert_line 'subscription: shutdown on Terminated'
    assert_line 'loop closed: yes'
    assert_line 'exit=0'
}
