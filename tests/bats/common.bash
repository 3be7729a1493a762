# Shared setup for every bats suite: `load common` at the top of a file.
ROOT="${SIGSHIM_ROOT:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
BUILD="${SIGSHIM_BUILD:-$ROOT/build}"
LIB="$BUILD/libsigshim.so"
PROGS="$BUILD/progs"
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

# run_shim CMD...: like `run`, with sigshim preloaded.
run_shim() { run env LD_PRELOAD="$LIB${LD_PRELOAD:+:$LD_PRELOAD}" "$@"; }

# same_plain_and_shim CMD...: the program prints and exits the same with
# and without sigshim; leaves the preloaded run in $output/$status.
same_plain_and_shim() {
    run "$@"
    local plain_out="$output" plain_status="$status"
    run_shim "$@"
    if [ "$output" != "$plain_out" ] || [ "$status" != "$plain_status" ]; then
        echo "plain (status $plain_status):"; echo "$plain_out"
        echo "under sigshim (status $status):"; echo "$output"
        return 1
    fi
}

# same_ending ARGS...: runs a program through t_runwait, which reports "exit
# N" or "signal NAME core yes|no" (in a temporary directory with core dumps
# enabled); that ending is the same with and without sigshim.
same_ending() { same_plain_and_shim "$PROGS/t_runwait" "$@"; }

# require_lib HOW: fails the test at once when the library under test is
# missing, saying how to build it.
require_lib() { [ -f "$LIB" ] || fail "$LIB is missing: run $1"; }

# The room sigshim may take on a handler's alternate stack, on top of what
# the delivery needs without it (docs/design.md, "Stack").
ALTSTACK_ROOM=1024

# For each kind of handler: the bytes of alternate stack its delivery uses
# without sigshim; with 512 fewer it crashes (so the guard page works); with
# ALTSTACK_ROOM more it runs, without sigshim and with it.
altstack_room_check() {
    local mode need
    for mode in empty rearm query fault modcall; do
        run "$PROGS/t_altstack_room" "$mode" 0
        assert_success
        need=$output
        run "$PROGS/t_altstack_room" "$mode" $((need - 512))
        assert_failure 139
        run "$PROGS/t_altstack_room" "$mode" $((need + ALTSTACK_ROOM))
        assert_output ok
        run_shim "$PROGS/t_altstack_room" "$mode" $((need + ALTSTACK_ROOM))
        assert_success
        assert_output ok
    done
}
