#!/usr/bin/env bats
# The ASan+UBSan build of the library, preloaded into ordinary programs.
# ASan interposes sigaction and signal itself, so two interposers stack;
# the order is fixed: the ASan runtime first (it insists on being the first
# object), then sigshim.  ASan's interceptor then calls sigshim, which calls
# libc.  Calls then come from inside libasan, so chaining sees every module
# as one (libasan): this build checks sigshim's memory safety, not chaining.
load common

ASAN_LIB="$ROOT/build/asan/libsigshim.so"

setup() {
    [ -f "$ASAN_LIB" ] || fail "run make asan first"
    ASAN_RT=$(cc -print-file-name=libasan.so)
}

asan_same() {
    run "$@"
    local plain="$output" plain_status="$status"
    run env LD_PRELOAD="$ASAN_RT:$ASAN_LIB" ASAN_OPTIONS=detect_leaks=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$@"
    assert_equal "$status" "$plain_status"
    assert_equal "$output" "$plain"
}

@test "asan build: oldact, delivery, masks and errno exactly as plain, no sanitizer report" {
    asan_same "$PROGS/t_oldact"
    asan_same "$PROGS/t_deliver"
    asan_same "$PROGS/t_handler_mask"
    asan_same "$PROGS/t_errno" set
}

@test "asan build: reentrancy, threads and fork under the sanitizers" {
    asan_same "$PROGS/t_re_inhandler"
    asan_same "$PROGS/t_runwait" "$PROGS/t_re_threads"
    asan_same "$PROGS/t_runwait" "$PROGS/t_re_fork"
}

@test "asan build: EFAULT for bad pointers without a sanitizer report" {
    run env LD_PRELOAD="$ASAN_RT:$ASAN_LIB" "$PROGS/t_efault" act-bad
    assert_success
    assert_line "act-bad -> -1 EFAULT"
}

@test "the ASan runtime must come first: sigshim's ASan build alone is refused by ASan" {
    run env LD_PRELOAD="$ASAN_LIB" "$PROGS/t_oldact"
    assert_failure
    assert_output --partial 'ASan runtime does not come first'
}
