/* The handler table: for each signal, two chain buffers behind a
 * half-lock.  `pub` holds (version << 1 | index of the live buffer).
 * Writers (serialised by the half-lock's writer lock, inside a guard so
 * no user code runs on their thread meanwhile) drain readers of the spare
 * buffer, fill it from the live one, edit it and publish it.  The
 * dispatcher copies the live buffer under a read section. */
#include "table.h"
#include "atomic.h"
#include "guard.h"
#include "halflock.h"
#include "kernel.h"
#include "process.h"
#include <errno.h>
#include <string.h>

struct sigentry {
    struct halflock lock;
    _Atomic uint64_t pub;
    _Atomic unsigned slots_hint; /* buf[pub & 1].n, for sizing snapshots */
    struct kstate applied;       /* what the kernel holds; writer lock */
    struct chain buf[2];
};

static struct sigentry entries[SIGBITS_MAX + 1];

static void copy_chain(struct chain *dst, const struct chain *src)
{
    unsigned n = src->n < TABLE_SLOTS ? src->n : TABLE_SLOTS;
    dst->base = src->base;
    dst->base_restorer = src->base_restorer;
    dst->n = n;
    memcpy(dst->slot, src->slot, n * sizeof src->slot[0]);
}

unsigned table_slots_hint(int sig)
{
    /* relaxed: only a size hint; table_snapshot checks it under its read
     * section, and the caller retries with more room if it fell short. */
    return load_relaxed(&entries[sig].slots_hint);
}

static void copy_view(const struct chain *live, struct chain_view *out,
                      struct slot *room, unsigned nroom)
{
    out->base = live->base;
    out->n = live->n < TABLE_SLOTS ? live->n : TABLE_SLOTS;
    out->slot = room;
    if (out->n <= nroom)
        memcpy(room, live->slot, out->n * sizeof room[0]);
}

struct view_ctx { struct chain_view *out; struct slot *room; unsigned nroom; };

static void look_view(const struct chain *c, void *arg)
{
    struct view_ctx *v = arg;
    copy_view(c, v->out, v->room, v->nroom);
}

/* In a vfork child the read section, the writer lock and the guard are the
 * parent's: a child killed inside them would leave them held.  So the
 * chain is peeked at, and the last look stands even if the parent kept
 * publishing. */
static uint64_t read_in_vfork_child(int sig, table_look_fn look, void *ctx)
{
    table_peek(sig, look, ctx);
    return load_acquire(&entries[sig].pub) >> 1;    /* pairs with the publish */
}

uint64_t table_snapshot(int sig, struct chain_view *out, struct slot *room,
                        unsigned nroom)
{
    struct sigentry *e = &entries[sig];
    if (process_in_marked_vfork_child()) {
        struct view_ctx v = { out, room, nroom };
        return read_in_vfork_child(sig, look_view, &v);
    }
    guard_enter();      /* the kernel may not have blocked every signal */
    unsigned ticket = halflock_read_begin(&e->lock);
    /* seq_cst: after our counter increment; pairs with the publish store
     * and the drain in table_update (halflock.c explains the pattern). */
    uint64_t p = load_seqcst(&e->pub);
    copy_view(&e->buf[p & 1], out, room, nroom);
    halflock_read_end(&e->lock, ticket);
    guard_leave();
    return p >> 1;
}

uint64_t table_version(int sig)
{
    /* acquire: pairs with the publish in table_update. */
    return load_acquire(&entries[sig].pub) >> 1;
}

uint64_t table_inspect(int sig, table_look_fn look, void *ctx)
{
    struct sigentry *e = &entries[sig];
    if (process_in_marked_vfork_child())
        return read_in_vfork_child(sig, look, ctx);
    guard_hold();       /* what arrives now waits, in order */
    halflock_write_lock(&e->lock);
    /* relaxed: writers are excluded by the lock we hold, whose acquire
     * made the last publish visible. */
    uint64_t p = load_relaxed(&e->pub);
    look(&e->buf[p & 1], ctx);
    halflock_write_unlock(&e->lock);
    guard_release();
    return p >> 1;
}

int table_peek(int sig, table_look_fn look, void *ctx)
{
    struct sigentry *e = &entries[sig];
    for (int tries = 0; tries < 16; tries++) {
        /* acquire: pairs with the publish in table_update. */
        uint64_t before = load_acquire(&e->pub);
        look(&e->buf[before & 1], ctx);
        /* acquire fence: look()'s reads happen before the second load.  A
         * writer only writes a buffer while it is the spare, which the one
         * we read becomes only with a publish: pub unchanged means look()
         * raced with no writer (a seqlock; a changed one is read again). */
        atomic_thread_fence(memory_order_acquire);
        if (load_relaxed(&e->pub) == before)    /* relaxed: after the fence */
            return 0;
    }
    return EAGAIN;
}

static void look_copy(const struct chain *c, void *out)
{
    copy_chain(out, c);
}

uint64_t table_read(int sig, struct chain *out)
{
    return table_inspect(sig, look_copy, out);
}

/* Makes the kernel hold what the live chain needs.  Lock held. */
static void sync_kernel(int sig, struct sigentry *e, int force)
{
    /* relaxed: writers are serialised by the lock we hold. */
    struct chain_view live = chain_view_of(&e->buf[load_relaxed(&e->pub) & 1]);
    struct kstate want = kernel_state_for(sig, &live);
    if (!force && kstate_equal(&e->applied, &want))
        return;
    /* Tracked before the dispatcher can get the signal, and after it
     * cannot any more. */
    if (want.kind == KS_DISPATCH)
        guard_track(sig, true);
    if (kernel_apply(sig, &want) == 0) {
        e->applied = want;
        if (want.kind != KS_DISPATCH)
            guard_track(sig, false);
    } else
        e->applied.kind = KS_UNKNOWN;
}

int table_update(int sig, table_edit_fn edit, void *ctx)
{
    struct sigentry *e = &entries[sig];
    if (process_in_vfork_child())
        return EPERM;   /* the table is the parent's (process.h) */
    guard_hold();       /* what arrives now waits, in order */
    halflock_write_lock(&e->lock);
    /* relaxed: only writers change pub, and we hold the lock. */
    uint64_t p = load_relaxed(&e->pub);
    unsigned spare = (unsigned)(p & 1) ^ 1;
    halflock_drain(&e->lock);     /* no reader still copies buf[spare] */
    copy_chain(&e->buf[spare], &e->buf[p & 1]);
    int err = edit(sig, &e->buf[spare], ctx);
    if (err == 0) {
        /* seq_cst: publishes the filled buffer (release for the readers'
         * seq_cst load) and orders it before the next drain's flips. */
        store_seqcst(&e->pub, ((p >> 1) + 1) << 1 | spare);
        store_relaxed(&e->slots_hint, e->buf[spare].n); /* see table_slots_hint */
        sync_kernel(sig, e, 0);
    }
    halflock_write_unlock(&e->lock);
    guard_release();
    return err;
}

static void sync_locked(int sig, int force)
{
    struct sigentry *e = &entries[sig];
    if (process_in_vfork_child())
        return;         /* e->applied is the parent's kernel, not ours */
    guard_hold();       /* what arrives now waits, in order */
    halflock_write_lock(&e->lock);
    sync_kernel(sig, e, force);
    halflock_write_unlock(&e->lock);
    guard_release();
}

void table_sync(int sig) { sync_locked(sig, 0); }
void table_resync(int sig) { sync_locked(sig, 1); }

struct slot *chain_find(struct chain *c, int kind, uintptr_t owner)
{
    for (unsigned i = 0; i < c->n; i++)
        if (c->slot[i].kind == kind && c->slot[i].owner == owner)
            return &c->slot[i];
    return NULL;
}

struct slot *chain_append(struct chain *c, int kind, uintptr_t owner)
{
    if (c->n == TABLE_SLOTS) {
        /* Reuse the first module slot back at SIG_DFL: it behaves as if
         * never set, except for what its module's oldact would report. */
        for (unsigned i = 0; i < c->n; i++)
            if (c->slot[i].kind == SLOT_MODULE
                && c->slot[i].act.handler == (void *)SIG_DFL) {
                chain_remove(c, &c->slot[i]);
                break;
            }
        if (c->n == TABLE_SLOTS)
            return NULL;
    }
    struct slot *s = &c->slot[c->n++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->owner = owner;
    return s;
}

void chain_remove(struct chain *c, struct slot *s)
{
    unsigned i = (unsigned)(s - c->slot);
    memmove(&c->slot[i], &c->slot[i + 1], (c->n - i - 1) * sizeof *s);
    c->n--;
}

void table_import(int sig, const struct action *base, void *restorer,
                  const struct kstate *applied)
{
    struct sigentry *e = &entries[sig];
    guard_hold();       /* what arrives now waits, in order */
    halflock_write_lock(&e->lock);
    for (int i = 0; i < 2; i++) {
        e->buf[i].base = *base;
        e->buf[i].base_restorer = restorer;
    }
    e->applied = *applied;
    halflock_write_unlock(&e->lock);
    guard_release();
}

void table_after_fork(void)
{
    for (int sig = 1; sig <= SIGBITS_MAX; sig++)
        halflock_after_fork(&entries[sig].lock);
}
