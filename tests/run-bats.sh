#!/bin/sh
# Runs every bats suite (TAP output), then one closing line:
# "tests: N passed, M failed" (also appended to $SIGSHIM_SUMMARY if set,
# for make test's total).  Fails if any test failed or none ran.
log=$(mktemp "${TMPDIR:-/tmp}/sigshim-bats.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
bats --timing "$@" | tee "$log"
passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
echo "tests: $passed passed, $failed failed"
[ -n "$SIGSHIM_SUMMARY" ] && echo "$passed $failed" >>"$SIGSHIM_SUMMARY"
[ "$failed" -eq 0 ] && grep -q '^1\.\.' "$log"
