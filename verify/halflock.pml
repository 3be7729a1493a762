/* Model of core/halflock.c + the publish step of core/table.c.
 * Two readers (the dispatcher's read section) loop forever; one writer
 * drains (two generation flips) before it overwrites the spare buffer,
 * then publishes it.  Only the parity of the generation matters, so it is
 * a bit.  Each statement is one seq_cst atomic operation of the C code.
 *
 * Safety: no reader copies a buffer while the writer overwrites it (the
 *         asserts on both sides).
 * Liveness: the writer's drain ends under continuous readers (no
 *         non-progress cycle under weak fairness: pan -l -f). */
bit gen;                /* halflock.gen & 1 */
byte readers[2];        /* halflock.readers[] */
bit pub;                /* index of the live buffer */
byte reading[2];        /* readers copying buffer i (ghost) */
bit writing[2];         /* the writer is overwriting buffer i (ghost) */

active [2] proctype reader()
{
    bit g, l;
    do
    :: g = gen;                 /* halflock_read_begin: load gen */
       readers[g]++;            /* ...fetch_add readers[g] */
       l = pub;                 /* table_snapshot: load pub */
       reading[l]++;            /* copy starts */
       assert(!writing[l]);
       reading[l]--;            /* copy ends */
       readers[g]--             /* halflock_read_end */
    od
}

active proctype writer()
{
    bit g, spare;
    do
    :: spare = 1 - pub;
       atomic { g = gen; gen = 1 - gen };   /* drain: first flip */
       readers[g] == 0;
       atomic { g = gen; gen = 1 - gen };   /* drain: second flip */
       readers[g] == 0;
       writing[spare] = 1;                  /* copy_chain + edit */
       assert(reading[spare] == 0);
       writing[spare] = 0;
       pub = spare;                         /* publish */
progress:
       skip
    od
}
