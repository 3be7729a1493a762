#!/bin/sh
# demo/run.sh BUILD: runs the bundled legacy program (BUILD/demo/legacy_app
# with libcrashreport.so and libjobs.so) without and with sigshim, and shows
# side by side how often each module's handlers ran, then the same for a
# real crash.  The crashes are expected; they are reported, not errors.  Exits 0 when the
# sigshim runs behave as sigshim promises, 1 otherwise (with their output).
# DEMO_VERBOSE=1 also prints the programs' own output.

B=${1:-build}
APP=$B/demo/legacy_app
LIB=$(cd "$B" 2>/dev/null && pwd)/libsigshim.so
for f in "$APP" "$LIB"; do
    if [ ! -f "$f" ]; then
        echo "demo: $f is missing (run make demo)"
        exit 1
    fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sigshim-demo.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# run NAME shim|plain [ARGS]: output in $tmp/NAME.out, status in $tmp/NAME.st.
# Core dumps are switched off: the crash runs are meant to crash.  The subshell
# waits for the program itself (no exec), so the shell's own "Segmentation
# fault" notice lands in the output file, not on the terminal.
run() {
    name=$1 mode=$2
    shift 2
    (
        ulimit -c 0 2>/dev/null
        if [ "$mode" = shim ]; then
            env LD_PRELOAD="$LIB" "$APP" "$@"
        else
            env -u LD_PRELOAD "$APP" "$@"
        fi
        exit $?
    ) >"$tmp/$name.out" 2>&1
    echo $? >"$tmp/$name.st"
}

# how NAME: "exit N" or "killed by SIG<name>" (SIGSEGV, say).
how() {
    st=$(cat "$tmp/$1.st")
    if [ "$st" -gt 128 ]; then
        echo "killed by SIG$(kill -l $((st - 128)))"
    else
        echo "exit $st"
    fi
}

# runs NAME PATTERN: how many times a handler announced itself.
runs() {
    grep -c "^  \[$2" "$tmp/$1.out"
}

run plain plain
run shim shim
run plain_crash plain --real-crash
run crash shim --real-crash

echo "sigshim demo: legacy_app = app (a JIT: the executable) + libcrashreport.so + libjobs.so"
echo "Each module installs its own handlers, in this order: crashreport, app, jobs."
echo
printf '%-40s %-18s %s\n' "handler (module, signal, job)" "without sigshim" "with sigshim"
got=""
row() { # row LABEL PATTERN [PLAIN-RUN SHIM-RUN]
    p=$(runs "${3:-plain}" "$2")
    s=$(runs "${4:-shim}" "$2")
    got="$got $s"
    printf '%-40s %8s %17s\n' "$1" "$p" "$s"
}
row "crashreport  SIGUSR1  dump state"        "crashreport] SIGUSR1:"
row "app          SIGUSR1  print JIT stats"   "app] SIGUSR1:"
row "jobs         SIGUSR1  reload config"     "jobs] SIGUSR1:"
row "app          SIGCHLD  note child exit"   "app] SIGCHLD:"
row "jobs         SIGCHLD  reap finished job" "jobs] SIGCHLD: reaped 1 "
row "app          SIGSEGV  fix JIT guard page" "app] SIGSEGV: JIT hit its guard page"
row "crashreport  SIGSEGV  (the JIT's fault)" "crashreport] SIGSEGV:"
printf '%-40s %-18s %s\n' "program" "$(how plain)" "$(how shim)"
echo "then a real crash (--real-crash):"
row "app          SIGSEGV  decline: not mine" "app] SIGSEGV: not a JIT fault" plain_crash crash
row "crashreport  SIGSEGV  report the crash"  "crashreport] SIGSEGV:" plain_crash crash
printf '%-40s %-18s %s\n' "program" "$(how plain_crash)" "$(how crash)"
echo
echo "Without sigshim the last installer of a signal wins: the others' handlers are lost, and"
echo "the crash reporter never sees the real crash that the JIT declines."
echo "With sigshim every handler runs, in installation order. A fault goes to the last installed"
echo "first, as without sigshim: the JIT handles its own fault, and hands on the real crash."

ok=1
[ "$got" = " 1 1 1 1 1 1 0 1 1" ] && [ "$(how shim)" = "exit 0" ] \
    && [ "$(how crash)" = "killed by SIGSEGV" ] || ok=0
if [ $ok = 0 ] || [ "${DEMO_VERBOSE:-0}" = 1 ]; then
    [ $ok = 0 ] && { echo; echo "demo: UNEXPECTED: the sigshim runs did not behave as documented."; }
    for n in plain shim plain_crash crash; do
        echo
        echo "--- $n run ($(how $n)):"
        cat "$tmp/$n.out"
    done
fi
[ $ok = 1 ]
