/* Per signal: the chain of actions that installers set, behind a
 * half-lock, double-buffered, fixed capacity, no allocation. */
#ifndef SIGSHIM_TABLE_H
#define SIGSHIM_TABLE_H
#include <stdint.h>
#include "sigbits.h"

#define TABLE_SLOTS 16

/* An action exactly as an installer gave it. */
struct action {
    void *handler;        /* SIG_DFL, SIG_IGN or a function */
    uint64_t mask;        /* sa_mask as the kernel keeps it */
    int flags;            /* sa_flags as given */
};

enum slot_kind {
    SLOT_MODULE = 1,      /* set with sigaction() & co by module `owner` */
    SLOT_FN = 2,          /* sigshim_register(): owner is the id */
};

struct slot {
    uintptr_t owner;
    void *arg;            /* SLOT_FN: the user's argument */
    struct action act;
    int kind;
    int leads_faults;     /* faults go to it before any other (the JVM's) */
};

struct chain {
    struct action base;   /* what the signal had before any module set it */
    void *base_restorer;  /* reported with the base, as the kernel had it */
    unsigned n;           /* slots in installation order */
    struct slot slot[TABLE_SLOTS];
};

static inline bool action_is_handler(const struct action *a)
{
    return a->handler != (void *)SIG_DFL && a->handler != (void *)SIG_IGN;
}

/* The dispatcher's copy of a chain: its slots live in an array the
 * dispatcher sizes to the chain, because handlers may run on a small
 * alternate stack that has no room for all TABLE_SLOTS of them. */
struct chain_view {
    struct action base;
    unsigned n;
    const struct slot *slot;
};

static inline struct chain_view chain_view_of(const struct chain *c)
{
    return (struct chain_view){ c->base, c->n, c->slot };
}

/* How many slots sig's chain had at its last update: a hint for sizing
 * the room given to table_snapshot. */
unsigned table_slots_hint(int sig);

/* Dispatcher side: a consistent copy of sig's chain, its slots copied to
 * room[0..nroom).  Call with every signal blocked (inside the dispatcher
 * before any user code).  Returns the chain's version.  If out->n > nroom
 * the room was too small and nothing was copied: call again with more. */
uint64_t table_snapshot(int sig, struct chain_view *out, struct slot *room,
                        unsigned nroom);

/* Normal side (any context, guarded): a consistent copy. */
uint64_t table_read(int sig, struct chain *out);

/* Normal side, without the copy (sigaction() may run on a handler's small
 * alternate stack): look() sees the live chain in place, with writers
 * locked out.  It must be short and call no user code.  Returns the
 * chain's version. */
typedef void (*table_look_fn)(const struct chain *c, void *ctx);
uint64_t table_inspect(int sig, table_look_fn look, void *ctx);

/* For a vfork child, which must leave no lock, counter or guard of the
 * parent's held if it is killed meanwhile: look() sees the live chain with
 * no lock at all, again until no update was published meanwhile (at most
 * a few tries; it may then see a chain being rewritten, so it must only
 * read and tolerate nonsense).  Returns 0 if look() saw a stable chain. */
int table_peek(int sig, table_look_fn look, void *ctx);

/* The current version: it changes with every published update. */
uint64_t table_version(int sig);

/* Edits sig's chain: edit() gets a private copy; returning 0 publishes it,
 * anything else discards it and becomes the result.  After publishing,
 * the kernel's disposition is brought in line with the chain.  Guarded,
 * async-signal-safe, never waits for user code.  In a vfork child
 * (process.h) nothing changes and the result is EPERM. */
typedef int (*table_edit_fn)(int sig, struct chain *c, void *ctx);
int table_update(int sig, table_edit_fn edit, void *ctx);

/* Brings the kernel in line with the chain, e.g. after deferred consumers
 * came or went (table_sync), or even if it looks in line already, after
 * something changed the kernel behind our back (table_resync). */
void table_sync(int sig);
void table_resync(int sig);

/* Slot helpers used by edit functions. */
struct slot *chain_find(struct chain *c, int kind, uintptr_t owner);
struct slot *chain_append(struct chain *c, int kind, uintptr_t owner);
void chain_remove(struct chain *c, struct slot *s);

/* At start-up, before any other use: what the kernel already holds. */
struct kstate;
void table_import(int sig, const struct action *base, void *restorer,
                  const struct kstate *applied);

void table_after_fork(void);
#endif
