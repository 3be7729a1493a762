/* Half-lock.
 *
 * State: gen (64-bit, only grows), readers[2], locked.
 * Reader:  g = gen; readers[g & 1]++; ...read the published pointer and
 *          copy...; readers[g & 1]--.
 * Writer (holding locked): before overwriting a buffer that was live
 *          until its last publish, drain(): twice { g = gen++; wait until
 *          readers[g & 1] == 0 }.
 *
 * Why two flips: a reader R that may still copy the old buffer loaded the
 * published index before the publish, so its increment precedes the
 * publish, and hence both flips, in the single total order of seq_cst
 * operations.  R counted itself under the parity of some gen value it read
 * earlier; the two flips wait on both parities, each after R's increment,
 * so the writer proceeds only once R has decremented.  Readers that enter
 * after a flip count under the other parity, so each wait ends as soon as
 * the bounded copies already started have finished: the writer is never
 * starved by a stream of new readers.
 *
 * The reader's increment followed by its load of the published index, and
 * the writer's publish followed by its load of the counter, form a
 * store-buffering pattern: all four operations are seq_cst, acquire and
 * release would not be enough.
 */
#include "halflock.h"
#include "atomic.h"
#include <sched.h>

unsigned halflock_read_begin(struct halflock *h)
{
    /* seq_cst: pairs with the flip in halflock_drain (see header proof). */
    uint64_t g = load_seqcst(&h->gen);
    unsigned ticket = (unsigned)(g & 1);
    /* seq_cst: ordered before the caller's seq_cst load of the published
     * index; pairs with drain's seq_cst load of this counter. */
    fetch_add_seqcst(&h->readers[ticket], 1);
    return ticket;
}

void halflock_read_end(struct halflock *h, unsigned ticket)
{
    /* release: the copy made under the section happens before a writer
     * that sees the counter drop (its seq_cst load acquires) reuses it. */
    fetch_sub_release(&h->readers[ticket], 1);
}

void halflock_write_lock(struct halflock *h)
{
    for (unsigned spins = 0;; spins++) {
        int expected = 0;
        /* acquire: pairs with the release in halflock_write_unlock, so the
         * previous writer's buffer writes are visible. */
        if (cas_acquire(&h->locked, &expected, 1))
            return;
        if (spins > 64)
            sched_yield();
        else
            cpu_relax();
    }
}

void halflock_write_unlock(struct halflock *h)
{
    /* release: pairs with the acquire CAS of the next writer. */
    store_release(&h->locked, 0);
}

void halflock_drain(struct halflock *h)
{
    for (int flip = 0; flip < 2; flip++) {
        /* seq_cst: total order with readers' increments (header proof). */
        uint64_t g = fetch_add_seqcst(&h->gen, 1);
        for (unsigned spins = 0;
             /* seq_cst: pairs with the reader's increment; the decrement's
              * release makes its copy happen before our reuse. */
             load_seqcst(&h->readers[g & 1]) != 0; spins++) {
            if (spins > 64)
                sched_yield();
            else
                cpu_relax();
        }
    }
}

void halflock_after_fork(struct halflock *h)
{
    /* The child has one thread; it is not inside a read section (those run
     * with every signal blocked and call nothing), so all counts are stale. */
    store_relaxed(&h->readers[0], 0);
    store_relaxed(&h->readers[1], 0);
    /* Writers hold the lock only inside a guard, and fork() cannot run on
     * a thread inside a guard, so a held lock belonged to a vanished
     * thread; its spare buffer is abandoned, the live one is intact. */
    store_relaxed(&h->locked, 0);
}
