#!/bin/sh
# Checks every Promela model here with spin: safety (assertions, invalid
# end states) and liveness (non-progress cycles under weak fairness).
# Prints the states explored per model.  Usage: verify/run.sh [build-dir]
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-build}/verify
mkdir -p "$out"
status=0
for model in "$here"/*.pml; do
    name=$(basename "$model" .pml)
    dir="$out/$name"
    rm -rf "$dir" && mkdir -p "$dir" && cp "$model" "$dir/"
    (cd "$dir" && spin -a "$name.pml" >/dev/null \
        && cc -O2 -DSAFETY -o pan_safety pan.c 2>/dev/null \
        && cc -O2 -DNP -o pan_live pan.c 2>/dev/null) || { echo "$name: build failed"; status=1; continue; }
    safety=$(cd "$dir" && ./pan_safety -m100000 2>&1)
    live=$(cd "$dir" && ./pan_live -l -f -m100000 2>&1)
    states=$(printf '%s\n' "$safety" | awk '/states, stored/{print $1; exit}')
    lstates=$(printf '%s\n' "$live" | awk '/states, stored/{print $1; exit}')
    if printf '%s\n' "$safety$live" | grep -q 'errors: [1-9]'; then
        echo "$name: FAILED"; printf '%s\n' "$safety" "$live" | grep -E 'assert|cycle|errors' ; status=1
    else
        echo "$name: safety ok ($states states), liveness ok ($lstates states)"
    fi
done
exit $status
