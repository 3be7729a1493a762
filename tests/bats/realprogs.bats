#!/usr/bin/env bats
# Real programs, run for real: HotSpot with a JNI library that has its own
# handlers (compared with HotSpot's libjsig), node's WebAssembly traps next
# to a crash reporter, CPython with a ctypes-loaded library, and bash job
# control.  docs/jvm.md has the measured comparison.
load common

JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
JSIG="$JAVA_HOME/lib/libjsig.so"

# The JNI library and the Java class, built once into $BUILD/java when
# missing or older than their sources.
setup_file() {
    local j="$BUILD/java" src="$ROOT/tests/java"
    [ -x "$JAVA_HOME/bin/java" ] || return 0
    mkdir -p "$j"
    if [ ! -e "$j/libchjni.so" ] || [ "$src/chjni.c" -nt "$j/libchjni.so" ]; then
        cc -O1 -g -Wall -Wextra -fPIC -shared -I"$JAVA_HOME/include" \
            -I"$JAVA_HOME/include/linux" -o "$j/libchjni.so" "$src/chjni.c"
    fi
    if [ ! -e "$j/ChJni.class" ] || [ "$src/ChJni.java" -nt "$j/ChJni.class" ]; then
        "$JAVA_HOME/bin/javac" -d "$j" "$src/ChJni.java"
    fi
}

need_java() {
    [ -x "$JAVA_HOME/bin/java" ] || skip "no JDK at $JAVA_HOME"
    [ -e "$BUILD/java/ChJni.class" ] || skip "JNI test classes not built"
}

# jrun PRELOAD ARGS...: java with the JNI library; PRELOAD is "" (plain),
# sigshim or libjsig.
jrun() {
    local pre="$1"; shift
    case "$pre" in
        sigshim) pre="$LIB" ;;
        libjsig) pre="$JSIG" ;;
    esac
    (cd "$BATS_TEST_TMPDIR" && env ${pre:+LD_PRELOAD="$pre"} "$JAVA_HOME/bin/java" \
        -XX:-CreateCoredumpOnCrash -XX:ErrorFile="$BATS_TEST_TMPDIR/hs_err_%p.log" \
        -Djava.library.path="$BUILD/java" -cp "$BUILD/java" "$@")
}

@test "java: 100000 NullPointerExceptions (implicit null checks, SIGSEGV) never reach the native reporter" {
    need_java
    # C1 only: every NPE in compiled code is a real SIGSEGV (C2 would
    # deoptimize to explicit checks after a few).
    # Plain: the reporter, installed last, replaced the JVM's handler: the
    # first implicit null check kills the JVM.
    run jrun "" -XX:TieredStopAtLevel=1 ChJni npe 100000
    assert_equal "$status" 139
    assert_output --partial 'native reporter: SIGSEGV (fault)'
    refute_output --partial 'caught'

    run jrun sigshim -XX:TieredStopAtLevel=1 ChJni npe 100000
    assert_success
    assert_line 'caught 100000 NullPointerExceptions'
    assert_line 'native reporter ran 0 times'
    # Every one of them was a real SIGSEGV (counted by an in-signal
    # handler the JNI library registers through sigshim_register).
    n=$(sed -n 's/^SIGSEGV delivered during the loop: \([0-9]*\)$/\1/p' <<<"$output")
    [ -n "$n" ] && [ "$n" -ge 100000 ]

    # libjsig, for docs/jvm.md: the same.
    run jrun libjsig -XX:TieredStopAtLevel=1 ChJni npe 100000
    assert_success
    assert_line 'caught 100000 NullPointerExceptions'
    assert_line 'native reporter ran 0 times'
}

# Starts ChJni sigint in the background, sends SIGINT (or $3) once it is
# ready.
# The JVM installs no SIGINT handler when SIGINT is ignored at start, and a
# shell without job control starts background jobs with SIGINT ignored:
# env --default-signal=INT gives java the disposition it has when started
# from an interactive shell.
sigint_run() {
    local out="$BATS_TEST_TMPDIR/sigint.$1.out"
    : >"$out"
    env --default-signal=INT bash -c 'cd "$1" && shift && exec "$@"' x "$BATS_TEST_TMPDIR" \
        env ${2:+LD_PRELOAD="$2"} "$JAVA_HOME/bin/java" -Djava.library.path="$BUILD/java" \
        -cp "$BUILD/java" ChJni sigint 2000 >"$out" 2>&1 &
    local pid=$!
    for _ in $(seq 600); do grep -q '^ready' "$out" && break; sleep 0.05; done   # at most 30 s
    kill -"${3:-INT}" "$pid"
    local st=0
    wait "$pid" || st=$?
    output="$(cat "$out")"
    mapfile -t lines <<<"$output"
    status=$st
    echo "status $status, output:"; echo "$output"
}

@test "java: kill -INT runs both the native SIGINT handler and the Java shutdown hook" {
    need_java
    # Plain: the native handler replaced the JVM's; no shutdown.
    sigint_run plain ""
    assert_equal "$status" 0
    assert_line 'native SIGINT handler ran'
    assert_line 'no shutdown after SIGINT; native handler ran 1 times'

    sigint_run sigshim "$LIB"
    assert_equal "$status" 130
    assert_line 'native SIGINT handler ran'
    assert_line 'java shutdown hook ran'
    refute_line --partial 'no shutdown after SIGINT'

    # libjsig does not chain SIGINT (not a signal the JVM sets between
    # JVM_begin/end_signal_setting): measured as plain.
    sigint_run libjsig "$JSIG"
    assert_equal "$status" 0
    assert_line 'no shutdown after SIGINT; native handler ran 1 times'
}

@test "java: kill -SEGV runs the native SIGSEGV handler once, as with libjsig" {
    need_java
    # HotSpot does not recognise a sent SIGSEGV and chains it through
    # JVM_get_signal_action; the dispatcher must not run that handler again.
    for pre in "" "$LIB" "$JSIG"; do
        sigint_run segv "$pre" SEGV
        assert_equal "$status" 0
        assert_equal "$(grep -c '^native reporter: SIGSEGV (sent)$' <<<"$output")" 1
        refute_output --partial 'A fatal error has been detected'
    done
}

@test "libjsig interface: an asynchronous signal the JVM chains runs every handler once, in installation order" {
    # Module a plays libjvm.so and, like HotSpot with a sent SIGSEGV or a
    # SIGPIPE, runs the handler JVM_get_signal_action names; m and b
    # installed after it.
    for sig in SEGV PIPE USR1; do
        run_shim "$PROGS/ch_run" a.jvmbegin=$sig a.sa=$sig,info,jvmchain a.jvmend=$sig \
            m.sa=$sig,info b.sa=$sig,info kill=$sig
        assert_success
        assert_output "a.h $sig code=0
m.h $sig code=0
b.h $sig code=0
end"
    done
    # A one-shot (SA_RESETHAND) handler the JVM runs is reset, as when the
    # dispatcher runs it: the second delivery reaches only the JVM.
    for sig in SEGV PIPE; do
        run_shim "$PROGS/ch_run" a.jvmbegin=$sig a.sa=$sig,info,jvmchain a.jvmend=$sig \
            m.sa=$sig,info,reset kill=$sig kill=$sig m.old=$sig
        assert_success
        assert_output "a.h $sig code=0
m.h $sig code=0
a.h $sig code=0
m.old $sig = SIG_DFL flags=SIGINFO|RESETHAND
end"
    done
    # A real fault: the JVM hands it to the next in fault order (b, the
    # last installed), which fixes it; nobody else sees it.
    run_shim "$PROGS/ch_run" a.jvmbegin=SEGV a.sa=SEGV,info,jvmchain a.jvmend=SEGV \
        m.sa=SEGV,info b.sa=SEGV,info,fix fault=segv
    assert_success
    assert_output $'a.h SEGV code=1\nb.h SEGV code=1\nresumed\nend'
}

@test "java: a real native crash reaches the reporter once, then HotSpot's fatal error handling" {
    need_java
    # Plain: the reporter declines, the default action kills the JVM: no
    # hs_err file, no fatal error report.
    run jrun "" ChJni crash
    assert_equal "$status" 139
    assert_line 'native reporter: SIGSEGV (fault)'
    refute_output --partial 'A fatal error has been detected'
    ! ls "$BATS_TEST_TMPDIR"/hs_err_*.log 2>/dev/null

    for pre in sigshim libjsig; do
        rm -f "$BATS_TEST_TMPDIR"/hs_err_*.log
        run jrun $pre ChJni crash
        assert_equal "$status" 1          # -XX:-CreateCoredumpOnCrash: exit(1)
        assert_equal "$(grep -c '^native reporter' <<<"$output")" 1
        assert_line --partial 'A fatal error has been detected by the Java Runtime Environment'
        assert_line --partial 'Java_ChJni_crash'
        # The reporter ran before the JVM's report, i.e. from the JVM's
        # handler through JVM_get_signal_action.
        r=$(grep -n '^native reporter' <<<"$output" | cut -d: -f1)
        f=$(grep -n 'A fatal error has been detected' <<<"$output" | head -1 | cut -d: -f1)
        [ "$r" -lt "$f" ]
        ls "$BATS_TEST_TMPDIR"/hs_err_*.log
    done
}

@test "java: HotSpot finds sigshim's libjsig interface and calls it" {
    need_java
    command -v gdb >/dev/null || skip "no gdb"
    cat >"$BATS_TEST_TMPDIR/gdb.cmd" <<'EOF'
set pagination off
set confirm off
handle SIGSEGV nostop noprint pass
handle SIGUSR2 nostop noprint pass
set breakpoint pending on
break JVM_begin_signal_setting
break JVM_end_signal_setting
break JVM_get_signal_action
run
bt 2
continue
bt 2
continue
bt 2
continue
EOF
    run timeout 60 gdb -q -batch -x "$BATS_TEST_TMPDIR/gdb.cmd" --args env LD_PRELOAD="$LIB" \
        "$JAVA_HOME/bin/java" -XX:-CreateCoredumpOnCrash -XX:ErrorFile="$BATS_TEST_TMPDIR/hs_err_%p.log" \
        -Djava.library.path="$BUILD/java" -cp "$BUILD/java" ChJni crash
    assert_output --regexp 'JVM_begin_signal_setting.*
#1 [^
]*install_signal_handlers'
    assert_output --regexp 'JVM_end_signal_setting.*
#1 [^
]*install_signal_handlers'
    assert_output --regexp 'JVM_get_signal_action.*
#1 [^
]*PosixSignals::chained_handler'
}

@test "java: a native SIGPIPE handler runs once per SIGPIPE (HotSpot chains it, the dispatcher must not run it again)" {
    need_java
    for pre in "" sigshim libjsig; do
        run jrun "$pre" ChJni sigpipe
        assert_success
        assert_output $'native SIGPIPE handler ran\nwrite to a broken pipe returned -1'
    done
}

@test "java: the libjsig interface answers from sigshim's table" {
    # Module a plays libjvm.so: it brackets its install with begin/end.
    run "$PROGS/ch_run" a.jvmget=SEGV
    assert_output $'no JVM_ interface\nend'
    # For a fault: the handler installed last, the next in fault order
    # (libjsig too hands on the last one the application installed).
    args=(a.jvmget=SEGV a.jvmbegin=SEGV a.sa=SEGV,info a.jvmend=SEGV a.jvmget=SEGV
          m.sa=SEGV,info b.sa=SEGV a.jvmget=SEGV b.dfl=SEGV a.jvmget=SEGV m.ign=SEGV a.jvmget=SEGV)
    run_shim "$PROGS/ch_run" "${args[@]}"
    assert_output - <<'EOF'
a.jvmget SEGV = NULL
a.jvmget SEGV = NULL
a.jvmget SEGV = b.h flags=0
a.jvmget SEGV = m.h flags=SIGINFO
a.jvmget SEGV = NULL
end
EOF
    # A signal that does not chain: the JVM keeps its own saved oldact.
    SIGSHIM_CHAIN=INT run_shim "$PROGS/ch_run" a.jvmbegin=SEGV a.sa=SEGV a.jvmend=SEGV m.sa=SEGV a.jvmget=SEGV
    assert_output $'a.jvmget SEGV = NULL\nend'
}

@test "libjsig interface: faults go to the JVM first, even before a handler installed after it" {
    # Module a plays libjvm.so; m installed before it, b after it.
    run_shim "$PROGS/ch_run" m.sa=SEGV,info,decline=signal a.jvmbegin=SEGV a.sa=SEGV,info,fix \
        a.jvmend=SEGV b.sa=SEGV,info,decline=signal fault=segv
    assert_success
    assert_output $'a.h SEGV code=1\nresumed\nend'
    # The JVM declines: then the others, last installed first.
    run_shim "$PROGS/ch_run" m.sa=SEGV,info,decline=signal a.jvmbegin=SEGV a.sa=SEGV,info,decline=signal \
        a.jvmend=SEGV b.sa=SEGV,info,decline=signal fault=segv
    assert_equal "$status" 139
    assert_output $'a.h SEGV code=1\nb.h SEGV code=1\nm.h SEGV code=1'
}

@test "perl: a POSIX::sigaction handler runs once per signal (perl and its POSIX.so both install)" {
    perl -MPOSIX -e 1 2>/dev/null || skip "no perl with POSIX"
    prog='use POSIX; my $n = 0;
POSIX::sigaction(SIGUSR2, POSIX::SigAction->new(sub { $n++ })) or die;
kill USR2 => $$ for 1..10;
print "calls: $n\n";'
    same_plain_and_shim perl -e "$prog"
    assert_success
    assert_output 'calls: 10'
}

@test "python: a ctypes library's SIGINT handler and KeyboardInterrupt both fire" {
    cat >"$BATS_TEST_TMPDIR/pyint.py" <<'EOF'
import ctypes, os, signal, sys, time
lib = ctypes.CDLL(sys.argv[1])
if sys.argv[2] == "library-after-python":
    lib.ch_pyint_install()       # Python installed its handler at start-up
else:
    lib.ch_pyint_install()
    signal.signal(signal.SIGINT, signal.default_int_handler)
try:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(1)
    print("no KeyboardInterrupt", flush=True)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
print("native handler runs:", lib.ch_pyint_runs(), flush=True)
EOF
    py=(python3 "$BATS_TEST_TMPDIR/pyint.py" "$PROGS/libch_pyint.so")
    # Plain, the library after Python: KeyboardInterrupt is lost.
    run "${py[@]}" library-after-python
    assert_output $'native SIGINT handler ran\nno KeyboardInterrupt\nnative handler runs: 1'
    # Plain, Python (signal.signal) after the library: the native handler is lost.
    run "${py[@]}" python-after-library
    assert_output $'KeyboardInterrupt\nnative handler runs: 0'

    run_shim "${py[@]}" library-after-python
    assert_output $'native SIGINT handler ran\nKeyboardInterrupt\nnative handler runs: 1'
    run_shim "${py[@]}" python-after-library
    assert_output $'native SIGINT handler ran\nKeyboardInterrupt\nnative handler runs: 1'
}

@test "python -X faulthandler: a ctypes JIT's own faults never reach faulthandler; a real crash gets its traceback" {
    cat >"$BATS_TEST_TMPDIR/pyjit.py" <<'EOF'
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
assert lib.ch_pyjit_install() == 0
print("guard faults fixed:", lib.ch_pyjit_emit(8192), flush=True)
if sys.argv[2] == "crash":
    lib.ch_pyjit_crash()
print("still alive")
EOF
    py=(python3 -X faulthandler "$BATS_TEST_TMPDIR/pyjit.py" "$PROGS/libch_pyjit.so")
    # Plainly the JIT, installed after faulthandler, replaced it: its own
    # fault is fixed quietly, and a real crash it declines has no traceback.
    run "${py[@]}" run
    assert_success
    assert_output $'guard faults fixed: 1\nstill alive'
    run bash -c 'ulimit -c 0; exec "$@"' _ "${py[@]}" crash
    assert_equal "$status" 139
    refute_output --partial "Fatal Python error"
    # Under sigshim the fault goes to the JIT first, as plainly, and a
    # real crash it declines goes on to faulthandler.
    run_shim "${py[@]}" run
    assert_success
    assert_output $'guard faults fixed: 1\nstill alive'
    run_shim bash -c 'ulimit -c 0; exec "$@"' _ "${py[@]}" crash
    assert_equal "$status" 139
    assert_line --index 0 "guard faults fixed: 1"
    assert_line "Fatal Python error: Segmentation fault"
    assert_equal "$(grep -c 'Fatal Python error' <<<"$output")" 1
}

@test "bash: job control (stop, continue, bg, fg, wait, wait -n) and traps work unchanged" {
    cat >"$BATS_TEST_TMPDIR/jobs.sh" <<'EOF'
set -m
trap 'echo "trap: USR1"' USR1
trap 'echo "trap: INT"' INT
kill -USR1 $$
kill -INT $$
sleep 30 &
p=$!
kill -STOP $p
wait $p; echo "wait after kill -STOP: $?"
jobs
bg %1
sleep 0.1
jobs
kill -TSTP $p
wait $p; echo "wait after kill -TSTP: $?"
jobs
kill -CONT $p
sleep 0.1
jobs
kill $p
wait $p; echo "wait after kill: $?"
(sleep 0.3; exit 3) &
(sleep 0.1; exit 4) &
wait -n; echo "wait -n: $?"
wait -n; echo "wait -n: $?"
wait -n; echo "wait -n (none left): $?"
(exit 5) & wait; echo "wait all: $?"
sh -c 'kill -STOP $$; exit 6' &
wait $!; echo "child stopped itself: $?"
fg %% >/dev/null 2>&1; echo "fg: $?"
trap - INT
jobs; echo done
EOF
    same_plain_and_shim bash "$BATS_TEST_TMPDIR/jobs.sh"
    assert_success
    assert_output - <<'EOF'
trap: USR1
trap: INT
wait after kill -STOP: 147
[1]+  Stopped                 sleep 30
[1]+ sleep 30 &
[1]+  Running                 sleep 30 &
wait after kill -TSTP: 148
[1]+  Stopped                 sleep 30
[1]+  Running                 sleep 30 &
[1]+  Terminated              sleep 30
wait after kill: 143
wait -n: 4
wait -n: 3
wait -n (none left): 127
wait all: 0
child stopped itself: 147
fg: 6
done
EOF
}

@test "java: a reporter installed before the JVM starts still never sees the JVM's own faults, and reports a real crash once" {
    need_java
    local early="$PROGS/libch_jreporter.so"
    # The JVM announces itself through the libjsig interface, so its slot
    # goes first although the reporter installed earlier.
    run env CHJNI_NO_HANDLERS=1 LD_PRELOAD="$LIB $early" \
        "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -Djava.library.path="$BUILD/java" \
        -cp "$BUILD/java" ChJni npe 100000
    assert_success
    assert_line 'caught 100000 NullPointerExceptions'
    refute_output --partial 'early reporter'

    run env CHJNI_NO_HANDLERS=1 LD_PRELOAD="$LIB $early" bash -c "cd '$BATS_TEST_TMPDIR' && \
        '$JAVA_HOME/bin/java' -XX:-CreateCoredumpOnCrash -Djava.library.path='$BUILD/java' \
        -cp '$BUILD/java' ChJni crash"
    assert_equal "$(grep -c 'early reporter: SIGSEGV' <<<"$output")" 1
    assert_output --partial 'A fatal error has been detected'
}

@test "node: V8's WebAssembly traps never reach a crash reporter installed before node, as without sigshim" {
    command -v node >/dev/null || skip "node is not installed"
    local early="$PROGS/libch_jreporter.so" js="$ROOT/tests/node/wasm_traps.js"
    # Plainly V8 replaced the reporter and chains to it by hand.
    run env LD_PRELOAD="$early" node "$js" 1000
    assert_success
    assert_output "caught 1000 WebAssembly traps, in-bounds load 0"
    run env SIGSHIM_TRACE="$BATS_TEST_TMPDIR/trace" LD_PRELOAD="$LIB $early" node "$js" 1000
    assert_success
    assert_output "caught 1000 WebAssembly traps, in-bounds load 0"
    # Both handlers were in sigshim's chain, and V8's took every trap (the
    # trace names a module by its file: nodejs on some systems).
    local exe; exe=$(basename "$(readlink -f "$(command -v node)")")
    grep -q ' install SIGSEGV by libch_jreporter.so' "$BATS_TEST_TMPDIR/trace"
    grep -q " install SIGSEGV by $exe+" "$BATS_TEST_TMPDIR/trace"
    assert_equal "$(grep -c " deliver SIGSEGV .* -> $exe handled\$" "$BATS_TEST_TMPDIR/trace")" 1000
}
