#!/usr/bin/env bats
# The core unit and stress tests (tests/unit/*.c), as built by `make unit`
# (build/unit), `make asan` (build/asan/unit) and `make tsan`
# (build/tsan/unit).  Each binary must exit 0 and stay under 5 seconds;
# a flavour that was not built is skipped.
load common

UNIT_LIMIT=5      # seconds per binary, stress parts included

# run_unit BINARY: runs it with a hard timeout; fails on a non-zero exit, a
# sanitizer report, or a run of UNIT_LIMIT seconds or more.
run_unit() {
    local bin="$1" start end rc
    start=$(date +%s%N)
    run timeout 60 "$bin"
    rc=$status
    end=$(date +%s%N)
    local ms=$(( (end - start) / 1000000 ))
    echo "$bin: exit $rc in ${ms} ms"
    if [ "$rc" -ne 0 ] || [[ "$output" == *"WARNING: ThreadSanitizer"* ]] \
       || [[ "$output" == *"ERROR: AddressSanitizer"* ]] \
       || [[ "$output" == *"runtime error:"* ]]; then
        echo "$output" | tail -40
        return 1
    fi
    if [ "$ms" -ge $((UNIT_LIMIT * 1000)) ]; then
        echo "too slow: ${ms} ms (limit ${UNIT_LIMIT} s)"
        return 1
    fi
}

# run_flavour DIR: every binary in DIR.
run_flavour() {
    local dir="$1" failed=0 n=0
    [ -d "$dir" ] && compgen -G "$dir/*" >/dev/null || skip "$dir not built"
    for bin in "$dir"/*; do
        [ -x "$bin" ] || continue
        n=$((n + 1))
        run_unit "$bin" || failed=1
    done
    echo "$n binaries"
    [ "$failed" -eq 0 ]
}

need() { [ -x "$1" ] || skip "$1 not built"; }

@test "every core unit test passes (build/unit)" {
    run_flavour "$BUILD/unit"
}

@test "every core unit test passes under ASan and UBSan (build/asan/unit)" {
    run_flavour "$BUILD/asan/unit"
}

@test "every core unit test passes under TSan (build/tsan/unit)" {
    run_flavour "$BUILD/tsan/unit"
}

@test "parker: unit and stress tests pass under TSan" {
    need "$BUILD/tsan/unit/parker"
    run_unit "$BUILD/tsan/unit/parker"
    run_unit "$BUILD/tsan/unit/parker_stress"
}

@test "semaphore: unit and stress tests pass under TSan" {
    need "$BUILD/tsan/unit/semaphore"
    run_unit "$BUILD/tsan/unit/semaphore"
    run_unit "$BUILD/tsan/unit/semaphore_stress"
}

@test "deferred: unsubscribing and unregistering with events in flight is safe under ASan" {
    need "$BUILD/asan/unit/deferred_stress"
    run_unit "$BUILD/asan/unit/deferred_stress"
    [[ "$output" == *"ok: churn:"* ]]
}

@test "semaphore: a large request is not starved by small ones" {
    need "$BUILD/unit/semaphore"
    run_unit "$BUILD/unit/semaphore"
    [[ "$output" == *"ok: 10th permit serves the big request first"* ]]
}

@test "parker: an unpark before the park is not lost, spurious wake-ups are absorbed" {
    need "$BUILD/unit/parker"
    run_unit "$BUILD/unit/parker"
    [[ "$output" == *"ok: unpark before park"* ]]
    [[ "$output" == *"ok: 100 stray FUTEX_WAKEs: still parked"* ]]
}
