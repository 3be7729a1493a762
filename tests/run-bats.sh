#!/bin/sh
# Runs every bats suite (TAP output), then one closing line:
# "tests: N passed, M failed" (also appended to $SIGSHIM_SUMMARY if set,
# for make test's total).  Fails if any test failed or none ran.
log=$(mktemp "${TMPDIR:-/tmp}/sigshim-bats.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
# Every signal at its default: a shell started in the background (make
# test &, an async list in a script) inherits SIGINT and SIGQUIT ignored,
# and the tests that check default actions would see them ignored.
env --default-signal bats --timing "$@" | tee "$log"
passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
echo "tests: $passed passed, $failed failed"
[ -n "$SIGSHIM_SUMMARY" ] && echo "$passed $failed" >>"$SIGSHIM_SUMMARY"
[ "$failed" -eq 0 ] && grep -q '^1\.\.' "$log"
