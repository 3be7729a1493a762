#!/bin/sh
# Runs every bats suite (TAP output), then one closing line:
# "tests: N passed, M failed" (also appended to $SIGSHIM_SUMMARY if set,
# for make test's total).  Fails if any test failed or none ran.
log=$(mktemp "${TMPDIR:-/tmp}/sigshim-bats.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
# Every signal at its default: a shell started in the background (make
# test &, an async list in a script) inherits SIGINT and SIGQUIT ignored,
# and the tests that check default actions would see them ignored.
# (GNU env 8.31 or later; elsewhere the suites run as they are.)
defaults="env --default-signal"
$defaults true 2>/dev/null || { defaults=""; echo "run-bats: env has no --default-signal; signals stay as inherited" >&2; }
$defaults bats --timing "$@" | tee "$log"
passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
echo "tests: $passed passed, $failed failed"
[ -n "$SIGSHIM_SUMMARY" ] && echo "$passed $failed" >>"$SIGSHIM_SUMMARY"
[ "$failed" -eq 0 ] && grep -q '^1\.\.' "$log"
