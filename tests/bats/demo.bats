#!/usr/bin/env bats
# `make demo` (demo/) and `make bench` (bench/) keep working.
load common

setup_file() {
    # make test builds lib, progs and unit only: build the demo and the
    # bench programs here (without running them).
    make -C "$ROOT" --no-print-directory BUILD="$BUILD" demo-build bench-build >&2
}

@test "demo without sigshim: the last installer wins, and the crash reporter never sees a real crash" {
    run env -u LD_PRELOAD "$BUILD/demo/legacy_app"
    echo "$output"
    assert_success
    assert_line "  [jobs] SIGUSR1: reload config"
    refute_line "  [app] SIGUSR1: print JIT stats"
    refute_line "  [crashreport] SIGUSR1: dump state"
    refute_line "  [app] SIGCHLD: a child exited"
    assert_line --partial "handler runs: app.usr1=0 crashreport.usr1=0 jobs.usr1=1 app.chld=0"
    run env -u LD_PRELOAD bash -c 'ulimit -c 0; exec "$0" --real-crash' "$BUILD/demo/legacy_app"
    echo "$output"
    [ "$status" -eq $((128 + 11)) ]
    assert_line "  [app] SIGSEGV: not a JIT fault, declining"
    refute_line --partial "[crashreport] SIGSEGV"
}

@test "demo with sigshim: every handler runs once, the JIT handles its fault, the reporter stays quiet" {
    run_shim "$BUILD/demo/legacy_app"
    echo "$output"
    assert_success
    assert_line "handler runs: app.usr1=1 crashreport.usr1=1 jobs.usr1=1 app.chld=1 jobs.chld=1 app.segv=1 crashreport.segv=0 jobs.reaped=1"
    refute_line --partial "[crashreport] SIGSEGV"
    # Installation order within one delivery.
    [ "$(grep -F '] SIGUSR1:' <<<"$output" | cut -d']' -f1 | tr -d ' [' | tr '\n' ' ')" = "crashreport app jobs " ]
    [ "$(grep -F '] SIGCHLD:' <<<"$output" | cut -d']' -f1 | tr -d ' [' | tr '\n' ' ')" = "app jobs " ]
}

@test "demo with sigshim: a real crash is declined by the JIT and reported, then the process dies with SIGSEGV" {
    run_shim bash -c 'ulimit -c 0; exec "$0" --real-crash' "$BUILD/demo/legacy_app"
    echo "$output"
    [ "$status" -eq $((128 + 11)) ]
    assert_line "  [app] SIGSEGV: not a JIT fault, declining"
    assert_line "  [crashreport] SIGSEGV: FATAL crash at address 0x40, report written; dying"
    [ "$(grep -c '\[crashreport\] SIGSEGV' <<<"$output")" -eq 1 ]
    # The fault went to the JIT, installed last, first.
    [ "$(grep -F '] SIGSEGV:' <<<"$output" | tail -n 2 | cut -d']' -f1 | tr -d ' [' | tr '\n' ' ')" = "app crashreport " ]
}

@test "demo/run.sh shows both columns, for the normal run and a real crash, and exits 0" {
    run sh "$ROOT/demo/run.sh" "$BUILD"
    echo "$output"
    assert_success
    assert_output --partial "without sigshim"
    assert_line --regexp '^program +exit 0 +exit 0$'
    assert_line --regexp '^crashreport +SIGSEGV +\(the JIT.s fault\) +0 +0$'
    assert_line --regexp '^crashreport +SIGSEGV +report the crash +0 +1$'
    assert_line --regexp '^program +killed by SIGSEGV +killed by SIGSEGV$'
    refute_output --partial "UNEXPECTED"
}

@test "bench: a quick run prints every figure for a plain and a preloaded run" {
    BENCH_QUICK=1 run sh "$ROOT/bench/run.sh" "$BUILD"
    echo "$output"
    assert_success
    assert_output --partial "plain run: sigshim not loaded;  preloaded run: sigshim loaded, version"
    for fig in "raise+handler" "sigaction replace" "sigaction query" \
               "chain 8 vs 1 handler" "chain 8 vs 8 by hand"; do
        assert_line --regexp "^$(sed 's/[+]/[+]/g' <<<"$fig") .* ns .* ns +ratio +[0-9]+\.[0-9]+ "
    done
    refute_output --partial "WARNING"
}
