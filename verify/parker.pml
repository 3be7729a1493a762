/* Model of core/parker.c: one parker (park, or park_until with a timeout
 * that may fire at any moment) against one unparker, with futex_wait
 * modelled as "sleep only if the word still holds the expected value" and
 * up to two spurious wake-ups.
 *
 * Safety: park never sleeps forever after an unpark (a lost wake-up leaves
 *         the parker blocked: spin reports an invalid end state); a token is
 *         consumed exactly once (the final asserts).
 * Liveness: no non-progress cycle under weak fairness (pan -l -f). */
#define PARKED   (-1)
#define EMPTY    0
#define NOTIFIED 1

short state = EMPTY;     /* the futex word */
bool sleeping;           /* the parker is inside futex_wait, asleep */
byte spurious;
bool timed;              /* park_until with a deadline */
byte result = 255;       /* 0, or 1 for ETIMEDOUT */

proctype parker()
{
    short old;
    bool timedout;
    atomic { old = state; state = state - 1 };      /* fetch_sub */
    if
    :: old == NOTIFIED -> result = 0; goto done
    :: else -> skip
    fi;
wait:
    timedout = false;
    atomic {                                        /* futex_wait(PARKED) */
        if
        :: state == PARKED -> sleeping = true
        :: else -> skip                             /* EAGAIN */
        fi
    };
    if
    :: !sleeping -> skip                            /* woken, or never slept */
    :: atomic { sleeping && spurious < 2 -> spurious++; sleeping = false }
    :: atomic { sleeping && timed -> sleeping = false; timedout = true }
    fi;
    atomic {                                        /* cas NOTIFIED -> EMPTY */
        if
        :: state == NOTIFIED -> state = EMPTY; result = 0; goto done
        :: else -> skip
        fi
    };
    if
    :: timedout ->
        atomic {                                    /* exchange(EMPTY) */
            if
            :: state == NOTIFIED -> result = 0      /* a token raced in */
            :: else -> result = 1
            fi;
            state = EMPTY
        };
        goto done
    :: else -> goto wait
    fi;
done:
progress:
    skip
}

proctype unparker()
{
    short old;
    atomic { old = state; state = NOTIFIED };       /* exchange */
    if
    :: old == PARKED -> sleeping = false            /* futex_wake */
    :: else -> skip
    fi
}

init
{
    if
    :: timed = false
    :: timed = true
    fi;
    atomic { run parker(); run unparker() };
    _nr_pr == 1;                                    /* both finished */
    /* The token was consumed by park, or kept for the next park after a
     * timeout that happened before the unpark. */
    assert((result == 0 && state == EMPTY) || (result == 1 && state == NOTIFIED));
    assert(!sleeping)
}
