#!/bin/sh
# demo/run.sh BUILD: runs the bundled legacy program (BUILD/demo/legacy_app
# with libcrashreport.so and libjobs.so) without and with sigshim, and shows
# side by side how often each module's handlers ran.  The plain run is
# expected to crash; that is reported, not an error.  Exits 0 when the
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
# Core dumps are switched off: the plain run is meant to crash.  The subshell
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
run crash shim --real-crash

echo "sigshim demo: legacy_app = app (a JIT: the executable) + libcrashreport.so + libjobs.so"
echo "Each module installs its own handlers, in this order: app, crashreport, jobs."
echo
printf '%-40s %-18s %s\n' "handler (module, signal, job)" "without sigshim" "with sigshim"
got=""
row() { # row LABEL PATTERN
    p=$(runs plain "$2")
    s=$(runs shim "$2")
    got="$got $s"
    printf '%-40s %8s %17s\n' "$1" "$p" "$s"
}
row "app          SIGUSR1  print JIT stats"   "app] SIGUSR1:"
row "crashreport  SIGUSR1  dump state"        "crashreport] SIGUSR1:"
row "jobs         SIGUSR1  reload config"     "jobs] SIGUSR1:"
row "app          SIGCHLD  note child exit"   "app] SIGCHLD:"
row "jobs         SIGCHLD  reap finished job" "jobs] SIGCHLD: reaped 1 "
row "app          SIGSEGV  fix JIT guard page" "app] SIGSEGV: JIT hit its guard page"
row "crashreport  SIGSEGV  report a crash"    "crashreport] SIGSEGV:"
printf '%-40s %-18s %s\n' "program" "$(how plain)" "$(how shim)"
echo
echo "Without sigshim the last installer of a signal wins: the others' handlers are lost, and"
echo "the JIT's routine guard-page fault reaches the crash reporter, which kills a healthy program."
echo "With sigshim every handler runs, in installation order; the JIT handles its fault first."

# A real crash must still reach the crash reporter.
c_app=$(runs crash "app] SIGSEGV: not a JIT fault")
c_rep=$(runs crash "crashreport] SIGSEGV:")
c_how=$(how crash)
if [ "$c_app" = 1 ] && [ "$c_rep" = 1 ]; then
    echo "A real crash (--real-crash) with sigshim: the JIT declines, the crash reporter reports, $c_how."
else
    echo "A real crash (--real-crash) with sigshim: JIT declined $c_app time(s), reporter ran $c_rep time(s), $c_how."
fi

ok=1
[ "$got" = " 1 1 1 1 1 1 0" ] && [ "$(how shim)" = "exit 0" ] || ok=0
[ "$c_app" = 1 ] && [ "$c_rep" = 1 ] && [ "$c_how" = "killed by SIGSEGV" ] || ok=0
if [ $ok = 0 ] || [ "${DEMO_VERBOSE:-0}" = 1 ]; then
    [ $ok = 0 ] && { echo; echo "demo: UNEXPECTED: the sigshim runs did not behave as documented."; }
    for n in plain shim crash; do
        echo
        echo "--- $n run ($(how $n)):"
        cat "$tmp/$n.out"
    done
fi
[ $ok = 1 ]
