#!/usr/bin/env bats
# Tracing: every disposition change and delivery of the demo program, line
# by line, in text and JSON; tracing changes nothing but the log.
load common

APP() { echo "$BUILD/demo/legacy_app"; }

setup_file() {
    make -C "$ROOT" --no-print-directory -s demo-build >/dev/null
}

trace_of() {
    SIGSHIM_TRACE="$BATS_TEST_TMPDIR/trace.log" SIGSHIM_TRACE_FORMAT="${1:-text}" \
        LD_PRELOAD="$LIB" "$(APP)" >"$BATS_TEST_TMPDIR/out" 2>&1
    cat "$BATS_TEST_TMPDIR/trace.log"
}

@test "trace of the demo, line by line: who installed what, and who ran on each delivery" {
    run trace_of text
    local hex='0x[0-9a-f]+' head='^sigshim\[[0-9]+\] [0-9]+\.[0-9]{6} '
    local expected=(
        "install SIGSEGV by libcrashreport.so\+$hex handler=libcrashreport.so\+$hex flags=SIGINFO chain=1$"
        "install SIGUSR1 by libcrashreport.so\+$hex handler=libcrashreport.so\+$hex flags=RESTART chain=1$"
        "install SIGSEGV by legacy_app\+$hex handler=legacy_app\+$hex flags=SIGINFO chain=2$"
        "install SIGCHLD by legacy_app\+$hex handler=legacy_app\+$hex flags=NOCLDSTOP\|RESTART chain=1$"
        "install SIGUSR1 by legacy_app\+$hex handler=legacy_app\+$hex flags=RESTART chain=2$"
        "install SIGCHLD by libjobs.so\+$hex handler=libjobs.so\+$hex flags=NOCLDSTOP\|RESTART chain=2$"
        "install SIGUSR1 by libjobs.so\+$hex handler=libjobs.so\+$hex flags=RESTART chain=3$"
        "deliver SIGUSR1 code=SI_TKILL sender=[0-9]+ tid=[0-9]+ -> libcrashreport.so,legacy_app,libjobs.so$"
        "deliver SIGCHLD code=CLD_EXITED sender=[0-9]+ tid=[0-9]+ -> legacy_app,libjobs.so$"
        "deliver SIGSEGV code=SEGV_ACCERR addr=$hex tid=[0-9]+ -> legacy_app handled$"
    )
    assert_equal "${#lines[@]}" "${#expected[@]}"
    for i in "${!expected[@]}"; do
        [[ "${lines[$i]}" =~ $head${expected[$i]} ]] || fail "line $i: '${lines[$i]}' !~ '${expected[$i]}'"
    done
}

@test "JSON trace lines parse with a real JSON parser and carry the same events" {
    run trace_of json
    assert_equal "${#lines[@]}" 10
    run python3 -c '
import json, sys
keys = {"time", "pid", "tid", "event", "signal"}
for n, line in enumerate(open(sys.argv[1]), 1):
    o = json.loads(line)
    missing = keys - o.keys()
    assert not missing, (n, missing)
    print(o["event"], o["signal"], o.get("module", o.get("by")), o.get("outcome", ""))
' "$BATS_TEST_TMPDIR/trace.log"
    assert_success
    assert_line --index 0 "install SIGSEGV libcrashreport.so "
    assert_line --index 6 "install SIGUSR1 libjobs.so "
    assert_line --index 7 "deliver SIGUSR1 libcrashreport.so,legacy_app,libjobs.so ran"
    assert_line --index 9 "deliver SIGSEGV legacy_app handled"
}

@test "tracing changes nothing but the log" {
    LD_PRELOAD="$LIB" "$(APP)" >"$BATS_TEST_TMPDIR/untraced" 2>&1
    trace_of text >/dev/null
    diff "$BATS_TEST_TMPDIR/untraced" "$BATS_TEST_TMPDIR/out"
}

@test "trace names exported handlers, consumed deliveries and signals that do not chain" {
    run env SIGSHIM_TRACE=stderr SIGSHIM_CHAIN=SIGUSR1,SIGUSR2 LD_PRELOAD="$LIB" \
        "$PROGS/trace_probe" "$PROGS/libtrace_mod.so"
    assert_success
    assert_output --regexp 'install SIGUSR1 by libtrace_mod.so\+0x[0-9a-f]+ handler=trace_mod_handler flags=RESTART chain=1'
    assert_output --regexp 'deliver SIGUSR1 code=SI_TKILL .* -> libtrace_mod.so'
    assert_output --regexp 'register SIGUSR2 id=[0-9]+'
    assert_output --regexp 'deliver SIGUSR2 code=SI_TKILL .* -> sigshim_register#[0-9]+ consumed'
    assert_output --regexp 'install SIGHUP by trace_probe\+0x[0-9a-f]+ handler=trace_probe\+0x[0-9a-f]+ flags=RESTART chain=1 chaining=off'
    assert_line done
}

@test "SIGSHIM_REPORT lists every chain at exit, in JSON too" {
    run env SIGSHIM_REPORT=on SIGSHIM_TRACE_FORMAT=json LD_PRELOAD="$LIB" "$(APP)"
    run python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.startswith("{")]
for r in rows:
    assert r["event"] == "report"
    print(r["signal"], r["position"], r["of"], r["module"])
' <<<"$output"
    assert_success
    assert_line "SIGUSR1 1 3 libcrashreport.so"
    assert_line "SIGUSR1 3 3 libjobs.so"
    assert_line "SIGSEGV 2 2 legacy_app"
}

@test "trace lists the modules in the order they ran: a fault's last installed first" {
    run env SIGSHIM_TRACE=stderr SIGSHIM_TRACE_FORMAT=json LD_PRELOAD="$LIB" "$PROGS/ch_run" \
        m.sa=SEGV,info,decline=sigaction a.sa=SEGV,info,decline=signal b.sa=SEGV,info,decline=sigset fault=segv
    assert_output --partial '"outcome":"default action","by":"libch_b.so,libch_a.so,ch_run"'
    run env SIGSHIM_TRACE=stderr SIGSHIM_TRACE_FORMAT=json LD_PRELOAD="$LIB" "$PROGS/ch_run" \
        m.sa=USR1 a.sa=USR1 b.sa=USR1 raise=USR1
    assert_output --partial '"outcome":"ran","by":"ch_run,libch_a.so,libch_b.so"'
}
