#!/usr/bin/env bats
# The sigshim command (bin/sigshim): run, trace, status, every option, exit
# status and signals passed through, refusals, bad usage, bad option values,
# and the documentation generated from shim/options.def.
load common
bats_require_minimum_version 1.5.0

SIGSHIM="$ROOT/bin/sigshim"
PROBE="$PROGS/cli_probe"
# The library the command finds by itself is $ROOT/build/libsigshim.so;
# with another build directory, say which one.
LIBOPT=()
[ "$BUILD" = "$ROOT/build" ] || LIBOPT=(--library "$LIB")
SHIMLIB=$(readlink -f "$LIB")
VERSION=$(sed -n 's/^#define SIGSHIM_VERSION "\(.*\)"$/\1/p' "$ROOT/shim/api.c")

setup() {
    for p in "$PROBE" "$PROGS/cli_status" "$LIB"; do
        [ -e "$p" ] || fail "$p is missing: run make lib progs first"
    done
    cd "$BATS_TEST_TMPDIR"
    ulimit -c 0
    : >"$BATS_TEST_TMPDIR/pids"
}

teardown() {
    local pid
    while read -r pid; do
        kill -KILL "$pid" 2>/dev/null || true
    done <"$BATS_TEST_TMPDIR/pids"
}

# shim ARGS...: the command; run/trace get $LIBOPT.
shim() {
    case $1 in
        run|trace) local sub=$1; shift; "$SIGSHIM" "$sub" "${LIBOPT[@]}" "$@" ;;
        *) "$SIGSHIM" "$@" ;;
    esac
}

# NAME<TAB>expected for every OPTION in shim/options.def.
options_table() {
    sed -n 's/^OPTION(\([A-Z0-9_]*\), *"[^"]*", *"\([^"]*\)".*/\1\t\2/p' "$ROOT/shim/options.def"
}

# --------------------------------------------------------------- usage

@test "--version prints 'sigshim VERSION' with the library's sigshim_version()" {
    run shim --version
    assert_success
    assert_output "sigshim $VERSION"
    run shim -V
    assert_output "sigshim $VERSION"
    # The library that run preloads reports the same version.
    run shim run -- "$PROBE" loaded
    assert_success
    assert_output "sigshim $VERSION"
}

@test "--help prints the usage of every subcommand on stdout" {
    run --separate-stderr shim --help
    assert_success
    [ -z "$stderr" ]
    assert_line --partial "sigshim run [OPTIONS] [--] PROGRAM"
    assert_line --partial "sigshim trace [-o FILE] [--json]"
    assert_line --partial "sigshim status PID"
    run shim run --help
    assert_success
    assert_line --partial "sigshim status PID"
}

@test "every option in --help is documented in sigshim(1), and the reverse" {
    local help man opt
    help=$(shim --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
    man=$(LC_ALL=C MANWIDTH=200 man -l "$ROOT/man/sigshim.1" 2>/dev/null |
          sed -n '/^OPTIONS/,/^EXIT STATUS/p' | grep -o -- '--[a-z][a-z-]*' | sort -u)
    [ -n "$help" ] && [ -n "$man" ]
    diff <(echo "$help") <(echo "$man")
}

@test "every SIGSHIM_* option has a run option that sets it, named in --help and sigshim(1)" {
    local name expected help man line opt arg
    help=$(shim --help)
    man=$(LC_ALL=C MANWIDTH=200 man -l "$ROOT/man/sigshim.1" 2>/dev/null)
    while IFS=$'\t' read -r name expected; do
        # "  --chain LIST          SIGSHIM_CHAIN: ..." or "  --report   SIGSHIM_REPORT=on: ..."
        line=$(grep -E "^  --[a-z-]+( [A-Z]+)? +$name[:=]" <<<"$help") ||
            fail "--help has no option for $name"
        opt=$(awk '{ print $1 }' <<<"$line")
        arg=()
        [[ "$line" =~ ^\ \ --[a-z-]+\ [A-Z]+\  ]] && arg=(some/value)
        run shim run "$opt" "${arg[@]}" -- "$PROBE" env "$name"
        assert_line --regexp "^$name="
        grep -q "$name" <<<"$man" || fail "sigshim(1) does not name $name"
    done < <(options_table)
}

@test "status knows the same option names as options.def" {
    local script table
    script=$(sed -n "/^OPTION_NAMES='/,/'\$/p" "$SIGSHIM" | tr -d "'" | sed 's/^OPTION_NAMES=//' | tr ' ' '\n' | sort)
    table=$(options_table | cut -f1 | sort)
    diff <(echo "$script") <(echo "$table")
}

@test "no arguments: usage on stderr, status 2" {
    run --separate-stderr shim
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [[ "$stderr" == *"sigshim run"* ]]
}

@test "bad usage: one message, a hint, nothing run, status 2" {
    local args
    while IFS= read -r args; do
        eval "set -- $args"
        run --separate-stderr shim "$@"
        echo "sigshim $args -> status $status, stderr: $stderr"
        [ "$status" -eq 2 ]
        [ -z "$output" ]
        [ "${#stderr_lines[@]}" -eq 2 ]
        [[ "${stderr_lines[0]}" == "sigshim: "* ]]
        [ "${stderr_lines[1]}" = "Try 'sigshim --help'." ]
    done <<EOF
frobnicate
--frobnicate
run
run --
run --frobnicate -- "$PROBE"
run --chain
run --trace
run --trace-format
run --plugin
run --library
run --report=on -- "$PROBE"
run --verbose=1 -- "$PROBE"
run --plugin a:b.so -- "$PROBE"
run --json -- "$PROBE"
run -o trace.log -- "$PROBE"
trace
trace -o
trace --json=yes -- "$PROBE"
status
status abc
status -1
status 1 2
EOF
}

# ------------------------------------------------------ run: passing through

@test "run passes the program's exit status through (exit 3)" {
    run shim run -- "$PROBE" exit 3
    [ "$status" -eq 3 ]
    run shim run -- "$PROBE" exit 0
    [ "$status" -eq 0 ]
}

@test "run passes a terminating signal through: SIGTERM is status 143, and the parent sees the signal" {
    run shim run -- "$PROBE" raise 15
    [ "$status" -eq 143 ]
    refute_output --partial "after raise"
    # Not exit(143): the waiting parent sees death by signal 15.
    run "$PROBE" spawn "$SIGSHIM" run "${LIBOPT[@]}" -- "$PROBE" raise 15
    assert_success
    assert_output "signal 15"
    run "$PROBE" spawn "$SIGSHIM" run "${LIBOPT[@]}" -- "$PROBE" raise 12
    assert_output "signal 12"
    run "$PROBE" spawn "$SIGSHIM" run "${LIBOPT[@]}" -- "$PROBE" exit 143
    assert_output "exit 143"
}

@test "the program replaces the command: same process id" {
    run bash -c 'echo "shell $$"; exec "$@"' x "$SIGSHIM" run "${LIBOPT[@]}" -- "$PROBE" pid
    assert_success
    local shell_pid=${lines[0]#shell }
    assert_line "pid $shell_pid"
}

@test "run passes the arguments unchanged, spaces and options included" {
    run shim run -- "$PROBE" env 'a b' --chain
    [ "$status" -eq 99 ]        # cli_probe: '--chain' is a bad action
    assert_line "a b unset"
    run shim run "$PROBE" exit 4        # "--" is optional
    [ "$status" -eq 4 ]
}

@test "run preloads the library found next to the command (../build in the source tree)" {
    [ "$BUILD" = "$ROOT/build" ] || skip "SIGSHIM_BUILD is set: the command finds \$ROOT/build"
    run env -u LD_PRELOAD "$SIGSHIM" run -- "$PROBE" env LD_PRELOAD loaded
    assert_success
    assert_output "LD_PRELOAD=$SHIMLIB
sigshim $VERSION"
}

@test "run --library PATH preloads that library (made absolute)" {
    cp "$LIB" "$BATS_TEST_TMPDIR/libother.so"
    run env -u LD_PRELOAD "$SIGSHIM" run --library libother.so -- "$PROBE" env LD_PRELOAD loaded
    assert_success
    assert_output "LD_PRELOAD=$BATS_TEST_TMPDIR/libother.so
sigshim $VERSION"
    run --separate-stderr "$SIGSHIM" run --library "$BATS_TEST_TMPDIR/none.so" -- "$PROBE"
    [ "$status" -eq 125 ]
    [[ "$stderr" == *"none.so"* ]]
}

@test "run prepends to an existing LD_PRELOAD instead of replacing it" {
    local libm
    libm=$(cc -print-file-name=libm.so.6)
    libm=$(readlink -f "$libm")
    [ -f "$libm" ]
    LD_PRELOAD="$libm" run shim run -- "$PROBE" env LD_PRELOAD loaded
    assert_success
    assert_output "LD_PRELOAD=$SHIMLIB:$libm
sigshim $VERSION"
    # Already first: not added twice.
    LD_PRELOAD="$SHIMLIB:$libm" run shim run -- "$PROBE" env LD_PRELOAD
    assert_output "LD_PRELOAD=$SHIMLIB:$libm"
}

@test "run finds the program in PATH like a shell, and says so when it cannot (127, 126)" {
    PATH="$PROGS:$PATH" run shim run -- cli_probe exit 5
    [ "$status" -eq 5 ]
    run -127 --separate-stderr shim run -- no-such-program-here
    assert_equal "$stderr" "sigshim: no-such-program-here: command not found"
    run -127 --separate-stderr shim run -- ./missing
    printf 'not a program\n' >notexec
    run --separate-stderr shim run -- ./notexec
    [ "$status" -eq 126 ]
    [[ "$stderr" == *"Permission denied"* ]]
    run --separate-stderr shim run -- "$BATS_TEST_TMPDIR"
    [ "$status" -eq 126 ]
}

@test "run accepts a script whose interpreter is dynamically linked" {
    printf '#!/bin/sh\nexec "%s" env LD_PRELOAD loaded\n' "$PROBE" >script.sh
    chmod +x script.sh
    run env -u LD_PRELOAD "$SIGSHIM" run "${LIBOPT[@]}" -- ./script.sh
    assert_success
    assert_line "LD_PRELOAD=$SHIMLIB"
    assert_line "sigshim $VERSION"
}

# ------------------------------------------------------------ refusals

build_static() {     # build_static FLAG OUT
    local libc
    libc=$(cc -print-file-name=libc.a)
    [ -f "$libc" ] || fail "libc.a (libc6-dev) is needed to build a static program"
    cc "$1" -O1 -o "$2" "$ROOT/tests/progs/cli_probe.c" || fail "cc $1 failed"
}

@test "run refuses a statically linked program (125, nothing run)" {
    build_static -static static_probe
    run ./static_probe exit 0               # it does run on its own
    assert_success
    run --separate-stderr shim run -- ./static_probe pid
    [ "$status" -eq 125 ]
    [ -z "$output" ]
    [ "${#stderr_lines[@]}" -eq 1 ]
    [[ "$stderr" == "sigshim: ./static_probe is statically linked"* ]]
}

@test "run refuses a static-pie program too" {
    build_static -static-pie static_pie
    run --separate-stderr shim run -- ./static_pie pid
    [ "$status" -eq 125 ]
    [ -z "$output" ]
    [[ "$stderr" == *"statically linked"* ]]
}

# A PATH with the tools the command uses, but no readelf: the ELF program
# headers are then read with od.  (Also catches a new, undeclared tool.)
path_without_readelf() {
    mkdir -p noreadelf
    local tool
    for tool in sh od tr sed awk cat grep readlink; do
        ln -sf "$(command -v "$tool")" "noreadelf/$tool"
    done
    echo "$BATS_TEST_TMPDIR/noreadelf"
}

@test "without readelf, static programs are still refused and dynamic ones still run" {
    build_static -static static_probe
    build_static -static-pie static_pie
    local p
    p=$(path_without_readelf)
    run --separate-stderr env PATH="$p" "$SIGSHIM" run "${LIBOPT[@]}" -- ./static_probe
    [ "$status" -eq 125 ]
    [[ "$stderr" == *"statically linked"* ]]
    run --separate-stderr env PATH="$p" "$SIGSHIM" run "${LIBOPT[@]}" -- ./static_pie
    [ "$status" -eq 125 ]
    run --separate-stderr env PATH="$p" "$SIGSHIM" run "${LIBOPT[@]}" -- "$PROBE" loaded exit 7
    [ "$status" -eq 7 ]
    [ -z "$stderr" ]
    assert_output "sigshim $VERSION"
}

@test "run refuses set-user-ID and set-group-ID programs (by the mode bits, even as root)" {
    cp "$PROBE" plain_copy
    cp "$PROBE" suid_copy && chmod u+s suid_copy
    cp "$PROBE" sgid_copy && chmod g+s sgid_copy
    run shim run -- ./plain_copy exit 0
    assert_success
    local p
    for p in ./suid_copy ./sgid_copy; do
        run --separate-stderr shim run -- "$p" pid
        [ "$status" -eq 125 ]
        [ -z "$output" ]
        [ "${#stderr_lines[@]}" -eq 1 ]
        [[ "$stderr" == "sigshim: $p is set-user-ID or set-group-ID"* ]]
    done
}

@test "run refuses a library built for the other C library (glibc library, musl program)" {
    command -v musl-gcc >/dev/null || fail "musl-gcc (musl-tools) is missing"
    musl-gcc -O1 -o musl_probe "$ROOT/tests/progs/cli_probe.c"
    run --separate-stderr shim run --library "$LIB" -- ./musl_probe loaded
    [ "$status" -eq 125 ]
    [ -z "$output" ]
    [ "${#stderr_lines[@]}" -eq 1 ]
    [[ "$stderr" == "sigshim: ./musl_probe is linked with musl, but "*" is built for glibc"* ]]
}

@test "in the source tree, a musl program gets the musl build (build/musl, from make musl)" {
    local musl_lib="$ROOT/build/musl/libsigshim.so"
    [ -f "$musl_lib" ] || fail "$musl_lib is missing: run make musl first"
    command -v musl-gcc >/dev/null || fail "musl-gcc (musl-tools) is missing"
    musl-gcc -O1 -o musl_probe "$ROOT/tests/progs/cli_probe.c"
    # A copy of the tree's layout: bin/sigshim, build/, build/musl/.
    mkdir -p tree/bin tree/build/musl
    cp "$SIGSHIM" tree/bin/sigshim
    cp "$LIB" tree/build/libsigshim.so
    cp "$musl_lib" tree/build/musl/libsigshim.so
    run env -u LD_PRELOAD tree/bin/sigshim run -- ./musl_probe env LD_PRELOAD loaded
    assert_success
    assert_output "LD_PRELOAD=$BATS_TEST_TMPDIR/tree/build/musl/libsigshim.so
sigshim $VERSION"
    run env -u LD_PRELOAD tree/bin/sigshim run -- "$PROBE" env LD_PRELOAD
    assert_output "LD_PRELOAD=$BATS_TEST_TMPDIR/tree/build/libsigshim.so"
}

# ------------------------------------------------------ options -> environment

@test "each run option sets its SIGSHIM_* variable" {
    run --separate-stderr shim run --chain SIGINT,SIGUSR1 --trace-format json --trace ./t.log \
        --report --verbose -- "$PROBE" env SIGSHIM_CHAIN env SIGSHIM_TRACE \
        env SIGSHIM_TRACE_FORMAT env SIGSHIM_REPORT env SIGSHIM_VERBOSE env SIGSHIM_PLUGINS
    assert_success
    assert_output "SIGSHIM_CHAIN=SIGINT,SIGUSR1
SIGSHIM_TRACE=./t.log
SIGSHIM_TRACE_FORMAT=json
SIGSHIM_REPORT=on
SIGSHIM_VERBOSE=1
SIGSHIM_PLUGINS unset"
}

@test "options also take --option=value, and values already in the environment pass through" {
    SIGSHIM_CHAIN=SIGTERM run shim run --trace=off -- "$PROBE" env SIGSHIM_CHAIN env SIGSHIM_TRACE
    assert_success
    assert_output "SIGSHIM_CHAIN=SIGTERM
SIGSHIM_TRACE=off"
    SIGSHIM_CHAIN=SIGTERM run shim run --chain=none -- "$PROBE" env SIGSHIM_CHAIN
    assert_output "SIGSHIM_CHAIN=none"
}

@test "--plugin is repeatable and joins the paths with ':' (a bare name is a file here)" {
    run --separate-stderr shim run --plugin /a/one.so --plugin two.so --plugin=sub/three.so -- \
        "$PROBE" env SIGSHIM_PLUGINS
    assert_output "SIGSHIM_PLUGINS=/a/one.so:./two.so:sub/three.so"
}

@test "--plugin loads a plugin that registers a handler through sigshim.h" {
    cc -O1 -fPIC -shared -I"$ROOT/include" -o plugin.so "$ROOT/tests/progs/cli_plugin.c"
    # Without the plugin SIGUSR2 kills the program...
    run shim run -- "$PROBE" raise 12
    [ "$status" -eq 140 ]
    # ...with it, the plugin consumes the signal.
    run --separate-stderr shim run --plugin plugin.so -- "$PROBE" raise 12
    assert_success
    [ -z "$stderr" ]
    assert_output "plugin consumed SIGUSR2
after raise 12"
}

@test "--report writes the chains at exit" {
    run --separate-stderr shim run --report -- "$PROBE" usr1
    assert_success
    assert_output "handled SIGUSR1"
    [[ "$stderr" == *"report SIGUSR1"* ]]
}

@test "--verbose prints the version on stderr at start-up" {
    run --separate-stderr shim run --verbose -- "$PROBE" exit 0
    assert_success
    [[ "$stderr" == *"sigshim $VERSION"* ]]
}

# Bad values: one line on stderr naming the variable, the value and what was
# expected; the program runs as it would without the bad setting.
bad_value() {
    case $1 in
        SIGSHIM_CHAIN) echo SIGNOPE ;;
        SIGSHIM_TRACE) echo nowhere ;;
        SIGSHIM_TRACE_FORMAT) echo xml ;;
        SIGSHIM_REPORT) echo maybe ;;
        SIGSHIM_PLUGINS) echo noslash.so ;;
        SIGSHIM_VERBOSE) echo 2 ;;
        *) return 1 ;;
    esac
}

@test "a bad value of any SIGSHIM_* variable: exactly one line on stderr, and the program runs normally" {
    local name expected value n=0
    while IFS=$'\t' read -r name expected; do
        value=$(bad_value "$name") || fail "no bad value listed in cli.bats for $name"
        run --separate-stderr env "$name=$value" "$SIGSHIM" run "${LIBOPT[@]}" -- "$PROBE" usr1 exit 6
        echo "$name=$value: status $status, stderr:"
        printf '%s\n' "$stderr"
        [ "$status" -eq 6 ]
        assert_output "handled SIGUSR1"
        [ "${#stderr_lines[@]}" -eq 1 ]
        [[ "$stderr" == *"$name"* ]] || fail "the line does not name $name"
        [[ "$stderr" == *"'$value'"* ]] || fail "the line does not quote the value '$value'"
        [[ "$stderr" == *"$expected"* ]] || fail "the line does not say what was expected: $expected"
        n=$((n + 1))
    done < <(options_table)
    [ "$n" -ge 6 ]
}

@test "a bad value given as a command option gets the same single line" {
    local opt value
    for opt in "--chain=SIGNOPE" "--trace=nowhere" "--trace-format=xml"; do
        run --separate-stderr shim run "$opt" -- "$PROBE" usr1
        echo "$opt: $stderr"
        assert_success
        assert_output "handled SIGUSR1"
        [ "${#stderr_lines[@]}" -eq 1 ]
        value=${opt#*=}
        [[ "$stderr" == *"'$value'"* ]]
    done
}

# ---------------------------------------------------------------- trace

@test "trace logs installs and deliveries as text lines on stderr" {
    run --separate-stderr shim trace -- "$PROBE" pid usr1
    assert_success
    local pid=${lines[0]#pid }
    assert_line "handled SIGUSR1"
    printf '%s\n' "$stderr"
    grep -Eq "^sigshim\[$pid\] .*install SIGUSR1 by [^ ]*cli_probe\+0x[0-9a-f]+ handler=[^ ]+ flags=[^ ]+ chain=1( |$)" <<<"$stderr"
    grep -Eq "^sigshim\[$pid\] .*deliver SIGUSR1 code=SI_USER .*-> .*cli_probe" <<<"$stderr"
    # Every line is a trace line.
    ! grep -Ev "^sigshim\[$pid\] " <<<"$stderr"
}

@test "trace --json writes one JSON object per line with the documented keys" {
    run --separate-stderr shim trace --json -- "$PROBE" pid usr1
    assert_success
    local pid=${lines[0]#pid }
    [ -n "$stderr" ]
    printf '%s\n' "$stderr" | python3 -c '
import json, sys
pid = int(sys.argv[1])
events = []
for n, line in enumerate(sys.stdin, 1):
    obj = json.loads(line)                  # every line parses
    for key in ("time", "pid", "tid", "event"):
        assert key in obj, "line %d lacks %s: %s" % (n, key, line)
    assert obj["pid"] == pid, line
    assert isinstance(obj["time"], (int, float)) and isinstance(obj["tid"], int), line
    events.append(obj)
inst = [e for e in events if e["event"] == "install" and e.get("signal") == "SIGUSR1"]
dlv = [e for e in events if e["event"] == "deliver" and e.get("signal") == "SIGUSR1"]
assert inst and inst[0]["module"].endswith("cli_probe"), inst
assert dlv and dlv[0].get("code") == "SI_USER", dlv
' "$pid"
    # And jq, where it is installed, agrees.
    if command -v jq >/dev/null; then
        printf '%s\n' "$stderr" | jq -e -s 'length > 0 and all(.[]; has("event"))' >/dev/null
    fi
}

@test "trace -o FILE writes the trace to FILE (a bare name is in the current directory), not stderr" {
    run --separate-stderr shim trace -o trace.log -- "$PROBE" pid usr1
    assert_success
    [ -z "$stderr" ]
    local pid=${lines[0]#pid }
    grep -Eq "^sigshim\[$pid\] .*install SIGUSR1" trace.log
    grep -Eq "^sigshim\[$pid\] .*deliver SIGUSR1" trace.log
}

@test "trace --json -o FILE, with %p for the process id" {
    run --separate-stderr shim trace --json --output "$BATS_TEST_TMPDIR/t.%p.json" -- "$PROBE" pid usr1
    assert_success
    [ -z "$stderr" ]
    local pid=${lines[0]#pid }
    [ -s "t.$pid.json" ]
    python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "t.$pid.json"
}

@test "trace to a file that cannot be opened: one line on stderr, the program runs" {
    run --separate-stderr shim trace -o /nonexistent/dir/trace.log -- "$PROBE" usr1 exit 2
    [ "$status" -eq 2 ]
    assert_output "handled SIGUSR1"
    [ "${#stderr_lines[@]}" -eq 1 ]
    [[ "$stderr" == *"/nonexistent/dir/trace.log"* ]]
}

@test "trace passes exit status and signals through like run" {
    run shim trace -o t.log -- "$PROBE" exit 3
    [ "$status" -eq 3 ]
    run "$PROBE" spawn "$SIGSHIM" trace "${LIBOPT[@]}" -o t.log -- "$PROBE" raise 15
    assert_output "signal 15"
}

@test "trace refuses what run refuses" {
    build_static -static static_probe
    run shim trace -- ./static_probe
    [ "$status" -eq 125 ]
}

# ---------------------------------------------------------------- status

# start_status NAME [sigshim run options]: starts cli_status with every signal
# at its default (a background job would ignore SIGINT and SIGQUIT), plain
# or under sigshim, and waits until its signal state is set up.
start_status() {
    local name=$1
    shift
    local ready="$BATS_TEST_TMPDIR/$name.ready"
    # Not on our stdout: $(start_status) would wait for the process to end.
    if [ "$name" = plain ]; then
        env --default-signal "$PROGS/cli_status" "$ready" >"$ready.out" 2>&1 &
    else
        env --default-signal "$SIGSHIM" run "${LIBOPT[@]}" "$@" -- "$PROGS/cli_status" "$ready" \
            >"$ready.out" 2>&1 &
    fi
    local pid=$!
    echo "$pid" >>"$BATS_TEST_TMPDIR/pids"
    local i
    for i in $(seq 100); do
        [ -s "$ready" ] && break
        sleep 0.05
    done
    [ -s "$ready" ] || fail "cli_status did not start"
    echo "$pid"
}

@test "status decodes caught, ignored, blocked and pending signals by name" {
    local pid
    pid=$(start_status plain)
    run shim status "$pid"
    assert_success
    assert_output "process $pid (cli_status), 1 thread
sigshim:  not loaded
caught:   SIGUSR1 SIGRTMIN+3
ignored:  SIGPIPE
blocked:  SIGINT SIGUSR2
pending:  SIGINT SIGUSR2"
}

@test "status says that sigshim is loaded, with the same signal state and its settings" {
    local plain shimmed
    plain=$(start_status plain)
    shimmed=$(start_status shimmed --chain SIGUSR1,SIGRTMIN+3)
    run shim status "$plain"
    local plain_out=$output
    run shim status "$shimmed"
    assert_success
    assert_line "sigshim:  loaded ($SHIMLIB)"
    assert_line "settings: SIGSHIM_CHAIN=SIGUSR1,SIGRTMIN+3"
    # The kernel's view is the same as without sigshim.
    diff <(grep -E '^(caught|ignored|blocked|pending):' <<<"$plain_out") \
         <(grep -E '^(caught|ignored|blocked|pending):' <<<"$output")
}

@test "status of a process that does not exist, or has exited: one line, status 1" {
    run --separate-stderr shim status 999999999
    [ "$status" -eq 1 ]
    assert_equal "$stderr" "sigshim: no process 999999999"
    # A zombie: exited, not yet waited for.
    "$PROBE" zombie >zombie.out 2>&1 &
    echo "$!" >>"$BATS_TEST_TMPDIR/pids"
    disown
    local i zombie=
    for i in $(seq 100); do
        zombie=$(sed -n 's/^zombie //p' zombie.out)
        [ -n "$zombie" ] && grep -q '^State:.*Z' "/proc/$zombie/status" 2>/dev/null && break
        sleep 0.05
    done
    grep -q '^State:.*Z' "/proc/$zombie/status" || fail "no zombie"
    run --separate-stderr shim status "$zombie"
    [ "$status" -eq 1 ]
    assert_equal "$stderr" "sigshim: process $zombie has exited (it is a zombie)"
}

# ------------------------------------------------------- documentation

@test "the man pages render without warnings and have a NAME section" {
    local page
    for page in sigshim.1 sigshim.3 sigshim.7; do
        run bash -c 'MANWIDTH=80 man -l "$1" 2>&1 >/dev/null' x "$ROOT/man/$page"
        echo "$page: $output"
        [ -z "$output" ]
        run bash -c 'LC_ALL=C MANWIDTH=80 man --warnings=all -l "$1" 2>&1 >/dev/null' x "$ROOT/man/$page"
        echo "$page (all warnings): $output"
        [ -z "$output" ]
        run env LC_ALL=C MANWIDTH=80 man -l "$ROOT/man/$page"
        assert_line "NAME"
    done
}

@test "the README's options table is the one tools/render-options makes from options.def" {
    local readme
    readme=$(sed -n '/^<!-- options:begin -->$/,/^<!-- options:end -->$/p' "$ROOT/README.md" | sed '1d;$d')
    [ -n "$readme" ] || fail "README.md has no options section between the markers"
    # It sits under the heading "## Options".
    [ "$(grep -B999 -m1 -x '<!-- options:begin -->' "$ROOT/README.md" | grep '^## ' | tail -1)" = "## Options" ]
    diff <(echo "$readme") <("$ROOT/tools/render-options" --markdown) ||
        fail "README.md is out of date: run tools/render-options --update README.md"
    run "$ROOT/tools/render-options" --check "$ROOT/README.md"
    assert_success
}

@test "sigshim(7)'s options section is the one tools/render-options makes from options.def" {
    local page
    page=$(sed -n '/^\.\\" options:begin$/,/^\.\\" options:end$/p' "$ROOT/man/sigshim.7" | sed '1d;$d')
    [ -n "$page" ] || fail "man/sigshim.7 has no options section between the markers"
    diff <(echo "$page") <("$ROOT/tools/render-options" --man) ||
        fail "man/sigshim.7 is out of date: run tools/render-options --update man/sigshim.7"
    # Every option shows up in the rendered page.
    local name expected rendered
    rendered=$(LC_ALL=C MANWIDTH=80 man -l "$ROOT/man/sigshim.7" 2>/dev/null)
    while IFS=$'\t' read -r name expected; do
        grep -q "^       $name\$" <<<"$rendered" || fail "sigshim(7) does not show $name"
    done < <(options_table)
}

@test "render-options refuses a malformed options table instead of dropping an entry" {
    printf 'OPTION(SIGSHIM_A, "x", "y", "z")\nOPTION(SIGSHIM_B, "x", "y")\n' >bad.def
    run --separate-stderr "$ROOT/tools/render-options" --markdown bad.def
    assert_failure
    [[ "$stderr" == *"bad.def:2:"* ]]
    printf 'OPTION(SIGSHIM_A, "a|b", "say \\"hi\\"", "back\\\\slash")\n' >odd.def
    run "$ROOT/tools/render-options" --markdown odd.def
    assert_success
    assert_line '| `SIGSHIM_A` | `a\|b` | say "hi" | back\slash |'
    run "$ROOT/tools/render-options" --man odd.def
    assert_line 'back\eslash'
}
