#!/bin/sh
# Runs every bats suite (TAP output), then one closing line:
# "tests: N passed, M failed".  Exits with bats' status.
log=$(mktemp "${TMPDIR:-/tmp}/sigshim-bats.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
bats --timing "$@" | tee "$log"
passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && grep -q '^1\.\.' "$log"
