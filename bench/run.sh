#!/bin/sh
# bench/run.sh BUILD: runs every bench program (BUILD/bench/*, not the
# lib*.so modules) plainly and with LD_PRELOAD=BUILD/libsigshim.so, alternating,
# BENCH_ROUNDS times each (default 3), then prints one line per figure: the two
# medians and their ratio.  Never fails: it reports (exit 0).  BENCH_QUICK=1
# makes the programs short and runs one round.
#
# A program prints "result KEY NS" lines; a figure compares two of those
# results, each named MODE:KEY with MODE plain or shim.  To add a figure,
# add a `fig` line below (and, if needed, the measurement to a bench/*.c).

B=${1:-build}
LIB=$(cd "$B" 2>/dev/null && pwd)/libsigshim.so
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sigbench.XXXXXX") || exit 0
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -f "$LIB" ]; then
    echo "bench: $LIB not found (make lib); only the plain runs are possible"
fi

# ---- run the programs ----
# Plain and preloaded runs alternate, ROUNDS times each, so that a change in
# machine load hits both sides alike; a figure uses the median over rounds.
rounds=${BENCH_ROUNDS:-3}
[ "${BENCH_QUICK:-0}" = 1 ] && rounds=1
progs=0
for prog in "$B"/bench/*; do
    case "$prog" in *.so) continue ;; esac
    [ -f "$prog" ] && [ -x "$prog" ] && progs=$((progs + 1))
done
if [ $progs -eq 0 ]; then
    echo "bench: no bench programs in $B/bench (make bench builds them)"
    exit 0
fi
r=1
while [ $r -le "$rounds" ]; do
    for prog in "$B"/bench/*; do
        case "$prog" in *.so) continue ;; esac
        [ -f "$prog" ] && [ -x "$prog" ] || continue
        name=${prog##*/}
        for mode in plain shim; do
            out="$tmp/$mode.$name.$r"
            if [ "$mode" = plain ]; then
                "$prog" >"$out" 2>&1
            else
                LD_PRELOAD="$LIB${LD_PRELOAD:+:$LD_PRELOAD}" "$prog" >"$out" 2>&1
            fi
            st=$?
            [ $st -eq 0 ] || echo "$name ($mode run): exited with status $st" >>"$tmp/warn"
            # A wrong run must be visible: plain must lack sigshim, shim have it.
            loaded=$(sed -n 's/^# sigshim: //p' "$out" | head -n 1)
            case "$mode:$loaded" in
                plain:"not loaded") ;;
                shim:loaded*) ;;
                *) echo "$name ($mode run): sigshim ${loaded:-detection missing}" >>"$tmp/warn" ;;
            esac
            # Warnings and anything that is neither a result nor a comment.
            grep -v -e '^result ' -e '^# ' "$out" | sed "s/^/$name ($mode run): /" >>"$tmp/warn"
            grep '^# WARNING' "$out" | sed "s/^# /$name ($mode run): /" >>"$tmp/warn"
        done
    done
    r=$((r + 1))
done
[ -s "$tmp/warn" ] && sort -u "$tmp/warn" | sed 's/^/bench: WARNING /'

plain_id=$(sed -n 's/^# sigshim: //p' "$tmp"/plain.* | sort -u | head -n 1)
shim_id=$(sed -n 's/^# sigshim: //p' "$tmp"/shim.* | sort -u | head -n 1)
method=$(sed -n 's/^# method: //p' "$tmp"/plain.* | sort -u | paste -sd ';' -)
echo "sigshim bench: $method, $rounds alternating plain/preloaded runs"
echo "  plain run: sigshim $plain_id;  preloaded run: sigshim $shim_id"

# val MODE:KEY -> the median over rounds in ns, or nothing.
val() {
    mode=${1%%:*}
    key=${1#*:}
    cat "$tmp/$mode".* 2>/dev/null |
        awk -v k="$key" '$1 == "result" && $2 == k { print $3 }' | sort -n |
        awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# fig LABEL BASE-NAME BASE-RESULT CMP-NAME CMP-RESULT TARGET(ratio max, or -)
fig() {
    a=$(val "$3")
    b=$(val "$5")
    awk -v label="$1" -v an="$2" -v a="$a" -v bn="$4" -v b="$b" -v t="$6" 'BEGIN {
        fa = (a == "") ? "   n/a" : sprintf("%6.0f", a)
        fb = (b == "") ? "   n/a" : sprintf("%6.0f", b)
        if (a == "" || b == "" || a + 0 <= 0)
            r = "  n/a"
        else
            r = sprintf("%5.2f", b / a)
        if (t == "-")
            note = "(informational)"
        else if (r == "  n/a")
            note = sprintf("(target <= %s)", t)
        else
            note = sprintf("(target <= %s%s)", t, (b / a <= t + 0) ? "" : ": MISSED")
        printf "%-22s %-7s %s ns   %-7s %s ns   ratio %s  %s\n", label, an, fa, bn, fb, r, note
    }'
}

# ---- the figures: one line each ----
#   label                   base name/result        compared name/result   target
fig "raise+handler"         plain plain:raise       sigshim shim:raise     1.10
fig "sigaction replace"     plain plain:replace     sigshim shim:replace   3.0
fig "sigaction query"       plain plain:query       sigshim shim:query     -
fig "chain 8 vs 1 handler"  1-hdlr shim:chain1      8-hdlrs shim:chain8    -
fig "chain 8 vs 8 by hand"  plain plain:hand8       sigshim shim:chain8    -
# Deferred delivery (bench/deferbench.c): latency from kill() in another
# process to the callback; throughput as ns per queued realtime signal
# (>= 0.9 x signalfd's events/s is <= 1.11 x its ns per event).
fig "deferred vs self-pipe" self-pipe plain:lat_selfpipe deferred shim:lat_deferred 0.8
fig "deferred vs signalfd"  signalfd plain:lat_signalfd deferred shim:lat_deferred 1.0
# The floor under any handler-based delivery: a plain handler stamping in
# place, no hand-off (signalfd needs no signal frame at all).
fig "plain handler vs sfd"  signalfd plain:lat_signalfd handler plain:lat_handler -
fig "throughput vs sfd"     signalfd plain:tput_signalfd deferred shim:tput_deferred 1.11
exit 0
