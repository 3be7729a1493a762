#!/usr/bin/env bats
# A short form of the transparency suite under valgrind memcheck: the same
# output as the plain run, no memory errors, no leaks from sigshim.
load common

setup_file() {
    command -v valgrind >/dev/null || skip "valgrind is not installed"
}

# memcheck PROG ARGS...: the output under valgrind must be the same with
# and without sigshim (valgrind emulates signal delivery, e.g. it does not
# apply sa_mask with SA_NODEFER, so both runs go through it), and valgrind
# must report nothing for the sigshim run.
memcheck() {
    run valgrind -q "$@"
    local plain="$output" plain_status="$status"
    local log="$BATS_TEST_TMPDIR/vg.log"
    # LD_PRELOAD on valgrind itself: it passes it on to the program, with
    # its own preloads added (`valgrind env LD_PRELOAD=...` would run only
    # `env` under valgrind).
    run env LD_PRELOAD="$LIB" valgrind -q --log-file="$log" --error-exitcode=99 \
        --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite "$@"
    cat "$log"
    grep -q sigshim_version <(nm -D "$LIB")
    assert_equal "$status" "$plain_status"
    assert_equal "$output" "$plain"
    [ ! -s "$log" ]
}

@test "oldact reporting under valgrind: same output, no errors, no leaks" {
    memcheck "$PROGS/t_oldact"
}

@test "delivery with siginfo and ucontext under valgrind" {
    memcheck "$PROGS/t_deliver"
}

@test "handler masks under valgrind" {
    memcheck "$PROGS/t_handler_mask"
}

@test "errno preservation under valgrind" {
    memcheck "$PROGS/t_errno"
}

@test "glibc signal() entry points under valgrind" {
    memcheck "$PROGS/t_ep_signal"
}

@test "invalid pointers give EFAULT under valgrind, without a memory error" {
    run env LD_PRELOAD="$LIB" valgrind -q --error-exitcode=99 "$PROGS/t_efault"
    assert_success
}
