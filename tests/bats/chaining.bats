#!/usr/bin/env bats
# The chaining semantics of docs/semantics.md, one group of tests per rule.
# Each test first runs the scenario plainly and asserts what plain libc does
# (a handler is lost, the wrong oldact, ...), then runs it under sigshim and
# asserts the rule.  The driver, tests/progs/ch_run.c, is module "m"; a, b
# and c are the shared objects libch_a.so, libch_b.so, libch_c.so; handlers
# print "MODULE.h SIGNAL [details]".
load common
bats_require_minimum_version 1.5.0   # run --separate-stderr

CH="$PROGS/ch_run"

setup() {
    [ -x "$CH" ] || skip "build/progs/ch_run missing: make progs"
}

# Runs a program under python3 with an unlimited core size, in a scratch
# directory, and prints how it ended: "exit=N" or "signal=N core=BOOL".
ended() {
    local dir="$BATS_TEST_TMPDIR/ended.$RANDOM"
    mkdir -p "$dir"
    (cd "$dir" && python3 -c '
import os, sys, resource
resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
sys.stdout.flush()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, st = os.waitpid(pid, 0)
if os.WIFSIGNALED(st):
    print("signal=%d core=%s" % (os.WTERMSIG(st), bool(os.WCOREDUMP(st))))
else:
    print("exit=%d" % os.WEXITSTATUS(st))
' "$@")
}

# --- Rule 1: an installer is a module; each module has its own slot -------

@test "rule 1: the executable and a shared object each keep their handler" {
    run "$CH" m.sa=USR1 a.sa=USR1 raise=USR1
    assert_output $'a.h USR1\nend'                  # plain: m's handler is lost
    run_shim "$CH" m.sa=USR1 a.sa=USR1 raise=USR1
    assert_success
    assert_output $'m.h USR1\na.h USR1\nend'
}

@test "rule 1: modules in a directory whose path is near PATH_MAX (4080 characters) keep their own slots" {
    # The module lookup reads /proc/self/maps in small chunks (it may run
    # on a handler's alternate stack); lines of any length must parse.
    local d="$BATS_TEST_TMPDIR/m"
    while [ $(( ${#d} + 201 )) -le 4080 ]; do d="$d/$(printf 'd%.0s' {1..200})"; done
    d="$d/$(printf 'e%.0s' $(seq 1 $(( 4080 - ${#d} - 1 ))))"
    [ ${#d} -eq 4080 ]
    mkdir -p "$d"
    cp "$CH" "$PROGS/libch_a.so" "$PROGS/libch_c.so" "$d/"
    run "$d/ch_run" m.sa=USR1 a.sa=USR1 raise=USR1
    assert_output $'a.h USR1\nend'                  # plain: m's handler is lost
    run_shim "$d/ch_run" m.sa=USR1 a.sa=USR1 raise=USR1
    assert_success
    assert_output $'m.h USR1\na.h USR1\nend'
    # the same lookup from inside a handler, for a module not seen before
    run_shim "$d/ch_run" load=c m.sa=USR1,then=c.sa=USR2 raise=USR1 m.sa=USR2 raise=USR2 c.old=USR2
    assert_success
    assert_output $'m.h USR1\nc.h USR2\nm.h USR2\nc.old USR2 = c.h flags=0\nend'
}

@test "rule 1: a module is the whole object, whichever function and entry point calls" {
    # a installs with sigaction() and replaces it with signal(), called
    # from another function of libch_a.so: one slot, replaced in place.
    run "$CH" a.sa=USR1 m.sa=USR1 a.signal=USR1,tag=h2 b.sa=USR1 raise=USR1
    assert_output $'b.h USR1\nend'
    run_shim "$CH" a.sa=USR1 m.sa=USR1 a.signal=USR1,tag=h2 b.sa=USR1 raise=USR1
    assert_output $'a.h2 USR1\nm.h USR1\nb.h USR1\nend'
}

@test "rule 1: a module first seen inside a signal handler gets its own slot" {
    # m's USR1 handler makes libch_c.so (loaded, never called before) install
    # its USR2 handler: the module lookup runs in signal context.
    run "$CH" load=c m.sa=USR1,then=c.sa=USR2 raise=USR1 m.sa=USR2 raise=USR2 c.old=USR2
    assert_output $'m.h USR1\nm.h USR2\nc.old USR2 = m.h flags=0\nend'
    run_shim "$CH" load=c m.sa=USR1,then=c.sa=USR2 raise=USR1 m.sa=USR2 raise=USR2 c.old=USR2
    assert_output $'m.h USR1\nc.h USR2\nm.h USR2\nc.old USR2 = c.h flags=0\nend'
}

@test "rule 1: the module lookup does not wait for a thread that holds the loader lock" {
    # Control: dladdr() there waits until the constructor gives up (3 s).
    run "$PROGS/ch_loaderlock" dladdr
    assert_line --index 0 'constructor: timed out'
    run_shim "$PROGS/ch_loaderlock"
    assert_success
    assert_output $'sigaction from module b returned\nconstructor: released\nb.h USR1\nend'
}

# --- Rule 2: a module replaces only its own slot; oldact is its own --------

@test "rule 2: oldact is the module's own previous action, or the base" {
    run "$CH" m.sa=USR1 a.sa=USR1,info m.old=USR1 a.old=USR1 b.old=USR1
    assert_output - <<'EOF'
m.old USR1 = a.h flags=SIGINFO
a.old USR1 = a.h flags=SIGINFO
b.old USR1 = a.h flags=SIGINFO
end
EOF
    run_shim "$CH" m.sa=USR1 a.sa=USR1,info m.old=USR1 a.old=USR1 b.old=USR1
    assert_output - <<'EOF'
m.old USR1 = m.h flags=0
a.old USR1 = a.h flags=SIGINFO
b.old USR1 = SIG_DFL flags=0
end
EOF
}

@test "rule 2: a handler installed for a module that set the signal itself replaces that module's handler, as without sigshim" {
    # The executable installs first(); a library installs second(), also a
    # function of the executable (a runtime's extension installing its
    # core's handler, as Perl's POSIX.so does).  Before this rule both ran
    # and the library's oldact was SIG_DFL.
    same_plain_and_shim "$PROGS/t_home_slot"
    assert_success
    assert_output $'oldact: first\nfirst ran 0, second ran 2'
}

@test "rule 2: a module that never set a signal sees the inherited disposition" {
    cmd=(bash -c 'trap "" USR1; exec "$@"' x "$CH" m.sa=USR1 a.old=USR1 raise=USR1)
    run "${cmd[@]}"
    assert_output $'a.old USR1 = m.h flags=0\nm.h USR1\nend'
    run_shim "${cmd[@]}"
    assert_output $'a.old USR1 = SIG_IGN flags=0\nm.h USR1\nend'
}

@test "rule 2: SIG_DFL from one module removes only that module's handler" {
    run "$CH" m.sa=USR1 a.sa=USR1 a.dfl=USR1 raise=USR1
    assert_equal "$status" 138                       # plain: killed by SIGUSR1
    run_shim "$CH" m.sa=USR1 a.sa=USR1 a.dfl=USR1 raise=USR1 a.old=USR1 m.old=USR1
    assert_success
    assert_output $'m.h USR1\na.old USR1 = SIG_DFL flags=0\nm.old USR1 = m.h flags=0\nend'
}

@test "rule 2: SIG_IGN from one module removes only that module's handler" {
    run "$CH" m.sa=USR1 a.sa=USR1 a.ign=USR1 raise=USR1
    assert_output 'end'
    run_shim "$CH" m.sa=USR1 a.sa=USR1 a.ign=USR1 raise=USR1
    assert_output $'m.h USR1\nend'
}

# --- Rule 3: the effective disposition ---------------------------------------

@test "rule 3: one module's SIG_IGN never suppresses another module's handler" {
    run "$CH" m.sa=USR1 a.ign=USR1 raise=USR1 kernel=USR1
    assert_output $'kernel USR1: IGN flags=0\nend'
    run_shim "$CH" m.sa=USR1 a.ign=USR1 raise=USR1 kernel=USR1
    assert_output $'m.h USR1\nkernel USR1: handler flags=SIGINFO\nend'
}

@test "rule 3: when every slot that was set is SIG_IGN the kernel holds SIG_IGN (inherited by exec)" {
    # Passes plainly too: the kernel's own SIG_IGN, exactly.
    run_shim "$CH" m.sa=USR1 a.ign=USR1 m.ign=USR1 kernel=USR1 execkernel=USR1 raise=USR1
    assert_success
    assert_output $'kernel USR1: IGN flags=0\nkernel USR1: IGN flags=0\nend\nend'
}

@test "rule 3: otherwise the default: one module's SIG_DFL beats another's SIG_IGN" {
    run "$CH" a.dfl=USR1 m.ign=USR1 kernel=USR1 raise=USR1
    assert_output $'kernel USR1: IGN flags=0\nend'    # plain: the last one, SIG_IGN
    run_shim "$CH" a.dfl=USR1 m.ign=USR1 kernel=USR1 raise=USR1
    assert_equal "$status" 138
    assert_output 'kernel USR1: DFL flags=0'
}

@test "rule 3: SIGCHLD children are auto-reaped only if every installer asked for it" {
    run "$CH" a.sa=CHLD m.ign=CHLD child=exit reap
    assert_output $'reap: ECHILD\nend'               # plain: a's handler lost, child gone
    run_shim "$CH" a.sa=CHLD m.ign=CHLD child=exit reap kernel=CHLD
    assert_output $'a.h CHLD\nreaped: exit 7\nreap: ECHILD\nkernel CHLD: handler flags=SIGINFO\nend'
    # Both ask (SIG_IGN, SA_NOCLDWAIT): reaped by the kernel, handler still runs.
    run_shim "$CH" a.sa=CHLD,nocldwait m.ign=CHLD child=exit reap kernel=CHLD
    assert_output $'a.h CHLD\nreap: ECHILD\nkernel CHLD: handler flags=SIGINFO|NOCLDWAIT\nend'
}

@test "rule 3: SA_RESTART only if every handler has it" {
    run "$CH" m.sa=ALRM a.sa=ALRM,restart readpipe=ALRM
    assert_output $'a.h ALRM\nread: 1\nend'          # plain: m wanted EINTR, lost
    run_shim "$CH" m.sa=ALRM a.sa=ALRM,restart readpipe=ALRM
    assert_output $'m.h ALRM\na.h ALRM\nread: EINTR\nend'
    run_shim "$CH" m.sa=ALRM,restart a.sa=ALRM,restart readpipe=ALRM
    assert_output $'m.h ALRM\na.h ALRM\nread: 1\nend'
}

@test "rule 3: SA_ONSTACK if any handler has it" {
    run "$CH" altstack m.sa=USR1,onstack a.sa=USR1 raise=USR1 kernel=USR1
    assert_output $'a.h USR1\nkernel USR1: handler flags=0\nend'
    run_shim "$CH" altstack m.sa=USR1,onstack a.sa=USR1 raise=USR1 kernel=USR1
    assert_output $'m.h USR1 altstack=yes\na.h USR1\nkernel USR1: handler flags=SIGINFO|ONSTACK\nend'
}

@test "rule 3: SA_NOCLDSTOP if all have it; stop/continue skipped only for those that asked" {
    run "$CH" a.sa=CHLD,info,nocldstop m.sa=CHLD,info child=stop reap
    assert_output $'m.h CHLD code=5\nm.h CHLD code=6\nm.h CHLD code=1\nreaped: exit 7\nreap: ECHILD\nend'
    run_shim "$CH" a.sa=CHLD,info,nocldstop m.sa=CHLD,info child=stop reap kernel=CHLD
    assert_output - <<'EOF'
m.h CHLD code=5
m.h CHLD code=6
a.h CHLD code=1
m.h CHLD code=1
reaped: exit 7
reap: ECHILD
kernel CHLD: handler flags=SIGINFO
end
EOF
    run_shim "$CH" a.sa=CHLD,info,nocldstop m.sa=CHLD,info,nocldstop child=stop reap kernel=CHLD
    assert_output $'a.h CHLD code=1\nm.h CHLD code=1\nreaped: exit 7\nreap: ECHILD\nkernel CHLD: handler flags=SIGINFO|NOCLDSTOP\nend'
}

# --- Rule 4: asynchronous signals --------------------------------------------

@test "rule 4: kill, raise, tgkill, sigqueue and timers run every handler once, in installation order" {
    args=(m.sa=USR1 a.sa=USR1 b.sa=USR1 a.sa=USR1,tag=h2
          raise=USR1 kill=USR1 tkill=USR1 queue=USR1 timer=USR1
          m.sa=ALRM c.sa=ALRM itimer)
    run "$CH" "${args[@]}"
    assert_output $'a.h2 USR1\na.h2 USR1\na.h2 USR1\na.h2 USR1\na.h2 USR1\nc.h ALRM\nend'
    run_shim "$CH" "${args[@]}"
    # a replaced its handler and kept its place, between m and b; the
    # chain runs once per way of sending (raise, kill, tkill, queue, timer).
    chain=$'m.h USR1\na.h2 USR1\nb.h USR1\n'
    assert_output "${chain}${chain}${chain}${chain}${chain}"$'m.h ALRM\nc.h ALRM\nend'
}

@test "rule 4: a module keeps its place when it replaces its own handler, even via SIG_DFL/SIG_IGN" {
    args=(m.sa=USR1 a.sa=USR1 b.sa=USR1 a.dfl=USR1 a.sa=USR1,tag=h2 raise=USR1
          a.ign=USR1 a.signal=USR1,tag=h3 raise=USR1)
    run "$CH" "${args[@]}"
    assert_output $'a.h2 USR1\na.h3 USR1\nend'         # plain: m and b lost
    run_shim "$CH" "${args[@]}"
    assert_output $'m.h USR1\na.h2 USR1\nb.h USR1\nm.h USR1\na.h3 USR1\nb.h USR1\nend'
}

@test "rule 4: signals from the terminal driver (^C, ^\\, ^Z, window size) reach every handler" {
    args=(tty m.sa=INT a.sa=INT tty=INT m.sa=QUIT a.sa=QUIT tty=QUIT
          m.sa=WINCH a.sa=WINCH tty=WINCH m.sa=TSTP b.sa=TSTP tty=TSTP)
    run "$CH" "${args[@]}"
    assert_output $'a.h INT\na.h QUIT\na.h WINCH\nb.h TSTP\nend'
    run_shim "$CH" "${args[@]}"
    assert_output $'m.h INT\na.h INT\nm.h QUIT\na.h QUIT\nm.h WINCH\na.h WINCH\nm.h TSTP\nb.h TSTP\nend'
}

@test "rule 4: SIGCHLD reaches every handler" {
    run "$CH" m.sa=CHLD,info a.sa=CHLD,info child=exit reap
    assert_output $'a.h CHLD code=1\nreaped: exit 7\nreap: ECHILD\nend'
    run_shim "$CH" m.sa=CHLD,info a.sa=CHLD,info child=exit reap
    assert_output $'m.h CHLD code=1\na.h CHLD code=1\nreaped: exit 7\nreap: ECHILD\nend'
}

@test "rule 4: each handler gets its own calling convention, mask and flags" {
    args=(m.sa=USR1,info,showmask a.sa=USR1,showmask,mask+USR2 b.sa=USR1,nodefer,showmask,info queue=USR1)
    run "$CH" "${args[@]}"
    assert_output $'b.h USR1 code=-1 val=42 blocked=-\nend'
    run_shim "$CH" "${args[@]}"
    assert_output - <<'EOF'
m.h USR1 code=-1 val=42 blocked=USR1
a.h USR1 blocked=USR1,USR2
b.h USR1 code=-1 val=42 blocked=-
end
EOF
}

@test "rule 4: SA_RESETHAND resets only the handler's own slot" {
    args=(m.sa=USR1,reset a.sa=USR1 raise=USR1 raise=USR1 m.old=USR1 a.old=USR1)
    run "$CH" "${args[@]}"
    assert_output $'a.h USR1\na.h USR1\nm.old USR1 = a.h flags=0\na.old USR1 = a.h flags=0\nend'
    run_shim "$CH" "${args[@]}"
    assert_output - <<'EOF'
m.h USR1
a.h USR1
a.h USR1
m.old USR1 = SIG_DFL flags=RESETHAND
a.old USR1 = a.h flags=0
end
EOF
}

# --- Rule 5: synchronous faults ------------------------------------------------

@test "rule 5: a fault goes to the last installed first; the first that returns still installed handled it, no other runs" {
    for f in segv bus ill fpe trap; do
        S=${f^^}
        run "$CH" m.sa=$S,info,fix a.sa=$S,info,fix b.sa=$S,info,decline=sigaction fault=$f
        assert_line --index 0 --regexp "^b\.h $S code=[0-9]+$"   # plain: m's and a's handlers lost
        refute_line --regexp '^a\.h'
        run_shim "$CH" m.sa=$S,info,fix a.sa=$S,info,fix b.sa=$S,info,decline=sigaction fault=$f
        assert_success
        assert_line --index 0 --regexp "^b\.h $S code=[0-9]+$"
        assert_line --index 1 --regexp "^a\.h $S code=[0-9]+$"
        assert_line --index 2 'resumed'
        refute_line --regexp '^m\.h'
    done
}

@test "rule 5: a crash reporter installed before a JIT never sees the JIT's faults, as without sigshim" {
    for how in sigaction signal; do
        same_plain_and_shim "$CH" m.sa=SEGV,info,decline=$how a.sa=SEGV,info,fix fault=segv
        assert_output $'a.h SEGV code=1\nresumed\nend'
    done
}

@test "rule 5: a handler that removes itself declined, through any entry point; the one installed before it runs" {
    for how in sigaction signal sysv ssignal bsd sigset sigignore; do
        run "$CH" a.sa=SEGV,info,fix m.sa=SEGV,info,decline=$how fault=segv
        assert_output 'm.h SEGV code=1'                    # plain: a's handler lost
        assert_equal "$status" 139
        run_shim "$CH" a.sa=SEGV,info,fix m.sa=SEGV,info,decline=$how fault=segv
        assert_success
        assert_output $'m.h SEGV code=1\na.h SEGV code=1\nresumed\nend'
    done
}

@test "rule 5: a one-shot handler (SA_RESETHAND) that fixed the fault handled it: no other runs, as without sigshim" {
    for f in segv trap; do
        S=${f^^}
        same_plain_and_shim "$CH" a.sa=$S,info,decline=signal m.sa=$S,info,reset,fix fault=$f
        assert_output $'m.h '"$S"' code='"$([ $f = segv ] && echo 1 || echo 128)"$'\nresumed\nend'
    done
}

@test "rule 5: a one-shot handler (SA_RESETHAND) that left the fault unfixed: it faults again, into the one installed before it" {
    for f in segv bus ill fpe; do
        S=${f^^}
        run_shim "$CH" b.sa=$S,info,fix a.sa=$S,info,fix m.sa=$S,info,reset fault=$f
        assert_success
        assert_line --index 0 --regexp "^m\.h $S "
        assert_line --index 1 --regexp "^a\.h $S "
        assert_line --index 2 'resumed'
        refute_line --regexp '^b\.h'
    done
}

@test "rule 5: when every handler declines the process ends as by default (signal, status, core)" {
    for f in segv bus ill fpe; do
        S=${f^^}
        # Plainly, one declining handler; the kernel's default follows.
        run ended "$CH" m.sa=$S,info,reset fault=$f
        plain="${lines[-1]}"
        [[ "$plain" == *"core=True" ]]
        run ended env LD_PRELOAD="$LIB" "$CH" m.sa=$S,info,reset a.sa=$S,info,decline=signal b.sa=$S,info,decline=sigset fault=$f
        assert_line --index 0 --regexp "^b\.h $S "       # last installed first
        assert_line --index 1 --regexp "^a\.h $S "
        assert_line --index 2 --regexp "^m\.h $S "
        assert_equal "${lines[-1]}" "$plain"
    done
}

@test "rule 5: a decliner that re-raises with no handler left dies of its own copy, even for an int3" {
    # a's slot (SIG_DFL) has its turn after m's, but holds no handler.
    same_ending "$CH" a.dfl=TRAP m.sa=TRAP,info,decline=signal,then=raise=TRAP fault=trap
    assert_equal "${lines[-1]}" "signal TRAP core yes"
}

@test "rule 5: a decliner that re-raises, then every other handler declines too: it dies of its own copy, even for an int3" {
    run ended "$CH" a.sa=TRAP,info,decline=signal m.sa=TRAP,info,decline=signal,then=raise=TRAP fault=trap
    plain="${lines[-1]}"
    assert_equal "$plain" "signal=5 core=True"
    run ended env LD_PRELOAD="$LIB" "$CH" a.sa=TRAP,info,decline=signal m.sa=TRAP,info,decline=signal,then=raise=TRAP fault=trap
    assert_line --index 0 --regexp '^m\.h TRAP '
    assert_line --index 1 --regexp '^a\.h TRAP '
    assert_equal "${lines[-1]}" "$plain"
}

@test "rule 5: a handler that declines by a tail call to signal(SIG_DFL) is attributed to itself: the fault ends the process" {
    # The return address signal() sees is then sigshim's own dispatcher.
    run objdump -d "$PROGS/t_decline_tail"
    assert_output --regexp 'jmp +[0-9a-f]+ <signal@plt>'
    same_ending "$PROGS/t_decline_tail"
    assert_output 'declining
signal SEGV core yes'
}

@test "rule 5: a fault handler that installs another one and returns handed over (not declined): the next fault reaches it" {
    same_ending "$PROGS/t_fault_handover"
    assert_output 'first stage hands over
second stage fixes the page
survived, page[0]=1
exit 0'
}

@test "rule 5: a fault signal sent with kill is asynchronous: every handler runs" {
    run "$CH" m.sa=SEGV,info a.sa=SEGV,info kill=SEGV
    assert_output $'a.h SEGV code=0\nend'
    run_shim "$CH" m.sa=SEGV,info,decline=signal a.sa=SEGV,info kill=SEGV
    assert_output $'m.h SEGV code=0\na.h SEGV code=0\nend'
}

# --- Rule 6: SIGSHIM_CHAIN -----------------------------------------------------

@test "rule 6: SIGSHIM_CHAIN=none: the last installer wins exactly as without sigshim" {
    export SIGSHIM_CHAIN=none
    same_plain_and_shim "$CH" m.sa=USR1 a.sa=USR1,info b.sa=USR1 raise=USR1 m.old=USR1 a.old=USR1 c.old=USR1
    assert_output $'b.h USR1\nm.old USR1 = b.h flags=0\na.old USR1 = b.h flags=0\nc.old USR1 = b.h flags=0\nend'
    same_plain_and_shim "$CH" m.sa=USR1 a.sa=USR1 a.dfl=USR1 raise=USR1
    assert_equal "$status" 138
    same_plain_and_shim "$CH" a.sa=SEGV,info,fix m.sa=SEGV,info,decline=signal fault=segv
    assert_equal "$status" 139
    same_plain_and_shim "$CH" m.sa=CHLD a.ign=CHLD child=exit reap
}

@test "rule 6: a list chains only the signals it names (names, numbers, SIGRTMIN+n)" {
    args=(m.sa=USR1 a.sa=USR1 raise=USR1 m.old=USR1 m.sa=INT a.sa=INT raise=INT
          m.sa=USR2 a.sa=USR2 raise=USR2 m.sa=RTMIN+3 a.sa=RTMIN+3 raise=RTMIN+3)
    SIGSHIM_CHAIN=SIGINT,SEGV run_shim "$CH" "${args[@]}"
    assert_output - <<'EOF'
a.h USR1
m.old USR1 = a.h flags=0
m.h INT
a.h INT
a.h USR2
a.h RTMIN+3
end
EOF
    SIGSHIM_CHAIN=12,SIGRTMIN+3 run_shim "$CH" "${args[@]}"
    assert_output - <<'EOF'
a.h USR1
m.old USR1 = a.h flags=0
a.h INT
m.h USR2
a.h USR2
m.h RTMIN+3
a.h RTMIN+3
end
EOF
}

@test "rule 6: a bad SIGSHIM_CHAIN prints one line naming the variable and chains by default" {
    # 32 and 33: the libc's own signals (sigaction refuses them).
    for bad in bogus 'INT,,SEGV' '' 'SIGRTMIN+99' 0 32 SIG33; do
        run --separate-stderr env SIGSHIM_CHAIN="$bad" LD_PRELOAD="$LIB" "$CH" m.sa=USR1 a.sa=USR1 raise=USR1
        assert_success
        assert_output $'m.h USR1\na.h USR1\nend'
        [ "${#stderr_lines[@]}" -eq 1 ]
        [[ "$stderr" == "sigshim: SIGSHIM_CHAIN="* ]]
    done
}

# --- Rule 7: the public API ------------------------------------------------------

expected_api_output() {
    cat <<'EOF'
register signal 0: EINVAL
register signal 65: EINVAL
register SIGKILL: EINVAL
register SIGSTOP: EINVAL
register reserved 32: EINVAL
register NULL fn: EINVAL
register flags 1: EINVAL
unregister 0: ENOENT
unregister -1: ENOENT
unregister unknown: ENOENT
ids positive and distinct: yes
reg first USR1 all-blocked
reg second USR1 all-blocked
module handler USR1
reg first USR1 all-blocked val=42
reg second USR1 all-blocked val=42
module handler USR1
reg first USR1 all-blocked
reg second USR1 all-blocked
reg consumer USR1 all-blocked
unregister consumer: 0
unregister consumer again: ENOENT
unregister first: 0
reg second USR1 all-blocked
module handler USR1
reg consume-usr2 USR2 all-blocked
survived SIGUSR2
reg second USR1 all-blocked
reg thread USR1 all-blocked
module handler USR1
unregister from main what a thread registered: 0
registered from a handler
reg from-handler USR2 all-blocked
unregistered from a handler
reg fault SEGV all-blocked
resumed after the fault
done
EOF
}

@test "rule 7: registered handlers run first, in order, all signals blocked; true consumes; errno as sigaction" {
    run "$PROGS/ch_api"
    assert_failure
    assert_output 'sigshim API not found'
    run_shim "$PROGS/ch_api"
    assert_success
    assert_output "$(expected_api_output)"
}

@test "rule 7: the API works when the program links -lsigshim instead of preloading" {
    [ -x "$PROGS/ch_api_linked" ] || skip "build/progs/ch_api_linked missing: make progs"
    run readelf -d "$PROGS/ch_api_linked"
    assert_output --partial '[libsigshim.so.0]'
    LD_PRELOAD= run "$PROGS/ch_api_linked"
    assert_success
    assert_output "$(expected_api_output)"
}
