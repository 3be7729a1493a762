/* Deferred delivery: queues, the worker thread, subscriptions.
 *
 * Signal context (deferred_post, deferred_wants, the lookup half of
 * deferred_unregister) uses only atomics, the lock-free ring below,
 * sem_release() and write() on an eventfd.
 * Everything else runs in thread context under `reg_lock` (registry) and
 * may allocate.
 *
 * Queues: a bounded multi-producer multi-consumer ring (Vyukov's: a
 * sequence number per cell says whether it is free for position p (seq ==
 * 2p) or holds the event of position p (seq == 2p + 1); doubled so that
 * "full for p" and "free for p + 1" differ even with capacity 1).  A producer claims a
 * position with a cas on `tail`, fills the cell, publishes it with a
 * release store of seq; a cell still in use means full: the event is
 * counted in `dropped`.  Producers never wait for anyone.  Every published
 * event releases one permit of the queue's semaphore; a consumer takes a
 * permit first, so the position it then claims (fetch_add on `head`) was
 * claimed by a producer, which publishes within a bounded number of its own
 * steps: the consumer's short wait on seq is bounded.
 *
 * One ring for all deferred handlers (capacity DEFERRED_CAPACITY, allocated
 * with the first handler, never freed), consumed by the worker, which runs
 * each event's handlers in registration order.  One ring per subscription;
 * its permits also count in an EFD_SEMAPHORE eventfd (written before the
 * permit is released, read after a permit is taken, so its count is never
 * below the permits: readable while an event waits).
 *
 * Reclamation of subscriptions: posts reach them through slots that are
 * never freed.  A post raises the slot's `active`, then loads the slot's
 * pointer; unsubscribe clears the pointer, then waits for `active` to be 0
 * before it closes and frees anything.  Both pairs are seq_cst (store
 * buffering: one side sees the other).  Posts are bounded work, so the
 * wait is bounded.
 *
 * Lock order: reg_lock, then a semaphore's own lock (sem_close).  No lock
 * is held across a user callback or the sync hook. */
#include "deferred.h"
#include "clock.h"
#include "dispatch.h"
#include "parker.h"
#include "semaphore.h"
#include "sigbits.h"
#include "worker_wait.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "ids.h"

/* --- ring ---------------------------------------------------------------- */

struct event {
    _Atomic uint64_t seq;
    int sig;
    uint64_t gen;                /* registrations older than this see it */
    siginfo_t info;
};

struct ring {
    uint64_t cap;
    _Atomic uint64_t head, tail;
    struct event *cells;
};

static int ring_init(struct ring *r, uint64_t cap)
{
    r->cells = calloc(cap, sizeof *r->cells);
    if (r->cells == NULL)
        return ENOMEM;
    r->cap = cap;
    for (uint64_t i = 0; i < cap; i++)
        /* relaxed: published with the ring (mask release / lock). */
        atomic_store_explicit(&r->cells[i].seq, 2 * i, memory_order_relaxed);
    atomic_store_explicit(&r->head, 0, memory_order_relaxed);
    atomic_store_explicit(&r->tail, 0, memory_order_relaxed);
    return 0;
}

/* fork() child: empty it, whatever producers and consumers of the parent
 * were doing (they do not exist here). */
static void ring_reset(struct ring *r)
{
    for (uint64_t i = 0; i < r->cap; i++)
        /* relaxed: single-threaded child, signals blocked. */
        atomic_store_explicit(&r->cells[i].seq, 2 * i, memory_order_relaxed);
    atomic_store_explicit(&r->head, 0, memory_order_relaxed);
    atomic_store_explicit(&r->tail, 0, memory_order_relaxed);
}

/* Signal context: lock-free, false when full. */
static bool ring_push(struct ring *r, int sig, uint64_t gen, const siginfo_t *info)
{
    /* relaxed: only a guess; the cas below decides. */
    uint64_t pos = atomic_load_explicit(&r->tail, memory_order_relaxed);
    struct event *c;
    for (;;) {
        c = &r->cells[pos % r->cap];
        /* acquire: pairs with the consumer's release store that freed the
         * cell (its reads of the cell are done before we overwrite). */
        uint64_t seq = atomic_load_explicit(&c->seq, memory_order_acquire);
        int64_t dif = (int64_t)(seq - 2 * pos);
        if (dif == 0) {
            /* relaxed: the cell's seq carries the ordering, not tail. */
            if (atomic_compare_exchange_weak_explicit(&r->tail, &pos, pos + 1,
                    memory_order_relaxed, memory_order_relaxed))
                break;
        } else if (dif < 0) {
            return false;       /* the cell still holds position pos - cap */
        } else {
            /* relaxed: another producer took pos; retry with a fresh one. */
            pos = atomic_load_explicit(&r->tail, memory_order_relaxed);
        }
    }
    c->sig = sig;
    c->gen = gen;
    memcpy(&c->info, info, sizeof c->info);
    /* release: pairs with the acquire load in ring_pop (the event is
     * visible before the cell reads as full). */
    atomic_store_explicit(&c->seq, 2 * pos + 1, memory_order_release);
    return true;
}

/* Thread context, holding a permit: the next event exists or is being
 * written by a producer that will finish without waiting for anyone. */
static void ring_pop(struct ring *r, struct event *out)
{
    /* relaxed: the permit guarantees this position was claimed; the cell's
     * seq carries the ordering. */
    uint64_t pos = atomic_fetch_add_explicit(&r->head, 1, memory_order_relaxed);
    struct event *c = &r->cells[pos % r->cap];
    unsigned spins = 0;
    /* acquire: pairs with the release store in ring_push. */
    while (atomic_load_explicit(&c->seq, memory_order_acquire) != 2 * pos + 1) {
        if (++spins > 64)
            sched_yield();
    }
    out->sig = c->sig;
    out->gen = c->gen;
    memcpy(&out->info, &c->info, sizeof out->info);
    /* release: pairs with the acquire load in ring_push (our reads are done
     * before a producer reuses the cell). */
    atomic_store_explicit(&c->seq, 2 * (pos + r->cap), memory_order_release);
}

/* --- registry -------------------------------------------------------------- */

struct handler {
    _Atomic long id;             /* 0: free slot */
    int sig;
    deferred_fn fn;
    void *arg;
    uint64_t gen;
};

#define CHUNK 32
struct hchunk {
    struct handler h[CHUNK];
    struct hchunk *_Atomic next;
};

struct dsub {
    uint64_t sigs;
    int efd;
    _Atomic int refs;            /* 1 while subscribed, +1 per waiter */
    struct ring ring;
    struct semaphore sem;
};

struct sslot {
    struct dsub *_Atomic sub;
    _Atomic unsigned active;     /* posts using this slot right now */
};
struct schunk {
    struct sslot s[CHUNK];
    struct schunk *_Atomic next;
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle_cond = PTHREAD_COND_INITIALIZER;
static struct hchunk hfirst;
static struct schunk sfirst;
static _Atomic uint64_t hmask, smask, wants;   /* written under reg_lock */
static _Atomic uint64_t hgen;                   /* registrations so far */
static _Atomic unsigned long dropped;
static void (*_Atomic sync_hook)(int);

static struct ring hring;                       /* cells != NULL once used */
static struct semaphore work = SEMAPHORE_INIT(0);
static struct parker doze = PARKER_INIT;        /* the worker dozes on it */
static bool worker_up;                          /* reg_lock */
static long running;                            /* reg_lock: id in a callback */
static __thread bool on_worker;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

#define FOR_HANDLERS(c, it)                                                \
    for (struct hchunk *c = &hfirst; c;                                    \
         c = atomic_load_explicit(&c->next, memory_order_acquire))         \
        for (struct handler *it = c->h; it < c->h + CHUNK; it++)
#define FOR_SLOTS(c, it)                                                   \
    for (struct schunk *c = &sfirst; c;                                    \
         c = atomic_load_explicit(&c->next, memory_order_acquire))         \
        for (struct sslot *it = c->s; it < c->s + CHUNK; it++)
/* (acquire on next: pairs with the release store that appends a chunk.) */

bool deferred_sig_ok(int sig)
{
    return sig_valid(sig) && sig != SIGKILL && sig != SIGSTOP;
}

bool deferred_wants(int sig)
{
    if (sig < 1 || sig > SIGBITS_MAX)
        return false;
    /* acquire: pairs with the release store in publish_masks. */
    return atomic_load_explicit(&wants, memory_order_acquire) & sigbit(sig);
}

void deferred_set_sync_hook(void (*hook)(int sig))
{
    /* release: pairs with the acquire load in call_hooks. */
    atomic_store_explicit(&sync_hook, hook, memory_order_release);
}

unsigned long deferred_dropped(void)
{
    /* relaxed: a statistic. */
    return atomic_load_explicit(&dropped, memory_order_relaxed);
}

bool deferred_worker_running(void)
{
    pthread_mutex_lock(&reg_lock);
    bool up = worker_up;
    pthread_mutex_unlock(&reg_lock);
    return up;
}

/* Under reg_lock: recompute the masks; returns the bits of `wants` that
 * changed, for call_hooks once the lock is dropped. */
static uint64_t publish_masks(void)
{
    uint64_t h = 0, s = 0;
    FOR_HANDLERS(c, x)
        /* relaxed: we hold reg_lock, the only writer. */
        if (atomic_load_explicit(&x->id, memory_order_relaxed))
            h |= sigbit(x->sig);
    FOR_SLOTS(c, x) {
        /* relaxed: reg_lock again. */
        struct dsub *d = atomic_load_explicit(&x->sub, memory_order_relaxed);
        if (d)
            s |= d->sigs;
    }
    /* release: pairs with the acquire loads in deferred_post (the ring and
     * the hgen of a new handler are visible before its bit). */
    atomic_store_explicit(&hmask, h, memory_order_release);
    atomic_store_explicit(&smask, s, memory_order_release);
    /* relaxed read: reg_lock; release store: pairs with deferred_wants. */
    uint64_t before = atomic_load_explicit(&wants, memory_order_relaxed);
    atomic_store_explicit(&wants, h | s, memory_order_release);
    return before ^ (h | s);
}

static void call_hooks(uint64_t changed)
{
    /* acquire: pairs with deferred_set_sync_hook. */
    void (*hook)(int) = atomic_load_explicit(&sync_hook, memory_order_acquire);
    if (hook == NULL)
        return;
    for (int sig = 1; sig <= SIGBITS_MAX; sig++)
        if (changed & sigbit(sig))
            hook(sig);
}

/* --- fork ------------------------------------------------------------------ */

static int start_worker(void);

static void fork_prepare(void)
{
    pthread_mutex_lock(&reg_lock);
}

static void fork_parent(void)
{
    pthread_mutex_unlock(&reg_lock);
}

/* The mask of the program's thread that started the worker: what a thread
 * of the program has, which a process forked by a callback gets back
 * (rather than the worker's, with every signal blocked, which it would
 * pass on through exec: a child deaf to SIGTERM and SIGINT). */
static sigset_t program_mask;

/* In a fork child: the subscription's eventfd is the parent's open file,
 * so the child gets its own under the same number.  The child's fd table
 * is a copy of the parent's; if it is full, that number is freed first to
 * make room.  Should even that fail, the child's subscription has no fd
 * (sigshim_wait still works; sigshim_sub_fd says EBADF) rather than
 * sharing the parent's, where its events would wake the parent's poll. */
static void own_eventfd(struct dsub *d)
{
    int flags = fcntl(d->efd, F_GETFD);
    int cloexec = flags >= 0 && (flags & FD_CLOEXEC) ? O_CLOEXEC : 0;
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE);
    if (fd < 0) {
        close(d->efd);
        fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE);
        if (fd < 0) {
            d->efd = -1;
            return;
        }
    }
    if (fd == d->efd) {
        if (!cloexec)
            fcntl(fd, F_SETFD, 0);
    } else {
        dup3(fd, d->efd, cloexec);
        close(fd);
    }
}

/* The child has only the forking thread: no worker (unless the fork came
 * from a callback on the worker itself, which goes on in the child), no
 * posts in flight, no waiters.  Queued events belong to the parent. */
static void fork_child(void)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);   /* no post during the reset */
    pthread_mutex_init(&reg_lock, NULL);
    pthread_cond_init(&idle_cond, NULL);
    /* relaxed: single thread, signals blocked. */
    atomic_store_explicit(&dropped, 0, memory_order_relaxed);
    bool worker_here = worker_up && on_worker;
    if (!worker_here) {
        worker_up = false;
        running = 0;
    }
    if (hring.cells)
        ring_reset(&hring);
    sem_init_permits(&work, 0);
    parker_init(&doze);
    FOR_SLOTS(c, x) {
        atomic_store_explicit(&x->active, 0, memory_order_relaxed);  /* relaxed: as above */
        struct dsub *d = atomic_load_explicit(&x->sub, memory_order_relaxed);
        if (d == NULL)
            continue;
        ring_reset(&d->ring);
        sem_init_permits(&d->sem, 0);
        atomic_store_explicit(&d->refs, 1, memory_order_relaxed);    /* relaxed: as above */
        own_eventfd(d);
    }
    /* relaxed: single thread. */
    if (!worker_here && (atomic_load_explicit(&hmask, memory_order_relaxed) != 0))
        start_worker();
    pthread_sigmask(SIG_SETMASK, worker_here ? &program_mask : &old, NULL);
}

static void register_atfork(void)
{
    pthread_atfork(fork_prepare, fork_parent, fork_child);
}

/* --- the worker ------------------------------------------------------------- */

/* True when every other thread of the process has ended (a main thread
 * that called pthread_exit stays a zombie until the group ends). */
static bool only_thread_left(void)
{
    DIR *d = opendir("/proc/self/task");
    if (d == NULL)
        return false;
    int live = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && live < 2) {
        if (e->d_name[0] == '.')
            continue;
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/self/task/%s/stat", e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n <= 0)
            continue;
        buf[n] = 0;
        char *p = strrchr(buf, ')');
        if (p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
            continue;
        live++;
    }
    closedir(d);
    return live == 1;
}

/* The handlers of ev, oldest registration first, each run without any lock
 * held; one registered or unregistered meanwhile is seen or not as the
 * registry says when its turn comes. */
static void run_handlers(const struct event *ev)
{
    long last = 0;
    pthread_mutex_lock(&reg_lock);
    for (;;) {
        struct handler *best = NULL;
        long best_id = 0;
        FOR_HANDLERS(c, h) {
            /* relaxed: reg_lock held. */
            long id = atomic_load_explicit(&h->id, memory_order_relaxed);
            if (id > last && h->sig == ev->sig && h->gen <= ev->gen
                && (best == NULL || id < best_id)) {
                best = h;
                best_id = id;
            }
        }
        if (best == NULL)
            break;
        deferred_fn fn = best->fn;
        void *arg = best->arg;
        last = running = best_id;
        pthread_mutex_unlock(&reg_lock);
        const void *prev = dispatch_user_enter((const void *)fn);
        fn(ev->sig, &ev->info, arg);
        dispatch_user_leave(prev);
        pthread_mutex_lock(&reg_lock);
        running = 0;
        pthread_cond_broadcast(&idle_cond);
    }
    pthread_mutex_unlock(&reg_lock);
}

/* A dozing worker (worker_wait.c) is woken early only when this many
 * events are queued: one futex wake per DOZE_WAKE_AT events at most. */
#define DOZE_WAKE_AT (DEFERRED_CAPACITY / 16)

/* Yields between looks; a yield that took long means other threads want
 * this CPU: the poll ends and polling pauses (worker_wait.c). */
static int poll_for_work(struct worker_pace *pace)
{
    long now = monotonic_ns(), until = now + WORKER_POLL_NS;
    for (;;) {
        int r = sem_try_acquire(&work, 1);
        if (r != EAGAIN || now > until)
            return r;
        sched_yield();
        long then = now;
        now = monotonic_ns();
        if (now - then > WORKER_CONTENDED_NS) {
            worker_wait_contended(pace, now);
            return sem_try_acquire(&work, 1);
        }
    }
}

static int doze_for_work(void)
{
    struct timespec d, pause = { 0, WORKER_DOZE_NS };
    deadline_after(&d, &pause);
    parker_park_until(&doze, &d, false);
    return sem_try_acquire(&work, 1);
}

/* The worker unparks it once named; static, so that a worker late past
 * start_worker's wait still finds it. */
static struct parker worker_started = PARKER_INIT;

static void *worker_main(void *unused)
{
    (void)unused;
    on_worker = true;
    prctl(PR_SET_NAME, "sigshim", 0, 0, 0);
    parker_unpark(&worker_started);
    struct event ev;
    struct worker_pace pace = WORKER_PACE_INIT;
    for (;;) {
        struct timespec d, second = { 1, 0 };
        int r = sem_try_acquire(&work, 1);
        if (r == EAGAIN) {
            enum worker_wait how = worker_wait_next(&pace);
            if (how == WORKER_DOZE)
                r = doze_for_work();
            else if (how == WORKER_POLL)
                r = poll_for_work(&pace);
        }
        if (r == EAGAIN) {
            deadline_after(&d, &second);
            r = sem_acquire(&work, 1, &d, false);
        }
        if (r == ETIMEDOUT) {
            /* Never keep the process alive: if everyone else is gone, end
             * it as the last thread's pthread_exit would have. */
            if (only_thread_left())
                exit(0);
            continue;
        }
        if (r != 0)
            return NULL;
        worker_wait_took(&pace);
        ring_pop(&hring, &ev);
        run_handlers(&ev);
    }
}

/* Under reg_lock. */
static int start_worker(void)
{
    if (worker_up)
        return 0;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);   /* inherited by the worker */
    program_mask = old;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    parker_init(&worker_started);
    int err = pthread_create(&t, &attr, worker_main, NULL);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (err == 0) {
        /* Named when the call that needed it returns (at most a second:
         * a thread that is created runs). */
        struct timespec d, second = { 1, 0 };
        deadline_after(&d, &second);
        parker_park_until(&worker_started, &d, false);
        worker_up = true;
    }
    return err;
}

/* --- deferred handlers ------------------------------------------------------ */

long deferred_register(int sig, deferred_fn fn, void *arg)
{
    if (!deferred_sig_ok(sig) || fn == NULL) {
        errno = EINVAL;
        return -1;
    }
    pthread_once(&atfork_once, register_atfork);
    pthread_mutex_lock(&reg_lock);
    int err = 0;
    if (hring.cells == NULL)
        err = ring_init(&hring, DEFERRED_CAPACITY);
    if (err == 0)
        err = start_worker();
    struct handler *slot = NULL;
    if (err == 0) {
        struct hchunk *tail = NULL;
        FOR_HANDLERS(c, h) {
            tail = c;
            /* relaxed: reg_lock held. */
            if (slot == NULL && atomic_load_explicit(&h->id, memory_order_relaxed) == 0)
                slot = h;
        }
        if (slot == NULL) {
            struct hchunk *more = calloc(1, sizeof *more);
            if (more == NULL) {
                err = ENOMEM;
            } else {
                /* release: pairs with the acquire in FOR_HANDLERS. */
                atomic_store_explicit(&tail->next, more, memory_order_release);
                slot = &more->h[0];
            }
        }
    }
    if (err) {
        pthread_mutex_unlock(&reg_lock);
        errno = err;
        return -1;
    }
    long id = core_next_id();
    slot->sig = sig;
    slot->fn = fn;
    slot->arg = arg;
    /* relaxed: writers hold reg_lock; hmask's release publishes it. */
    slot->gen = atomic_fetch_add_explicit(&hgen, 1, memory_order_relaxed) + 1;
    /* release: pairs with the acquire in the lock-free lookup of
     * deferred_unregister. */
    atomic_store_explicit(&slot->id, id, memory_order_release);
    uint64_t changed = publish_masks();
    pthread_mutex_unlock(&reg_lock);
    call_hooks(changed);
    return id;
}

static struct handler *find_handler(long id)
{
    FOR_HANDLERS(c, h)
        /* acquire: pairs with the release store in deferred_register. */
        if (atomic_load_explicit(&h->id, memory_order_acquire) == id)
            return h;
    return NULL;
}

int deferred_unregister(long id)
{
    if (id <= 0 || find_handler(id) == NULL) {   /* lock-free: any context */
        errno = ENOENT;
        return -1;
    }
    pthread_mutex_lock(&reg_lock);
    struct handler *h = find_handler(id);
    if (h == NULL) {
        pthread_mutex_unlock(&reg_lock);
        errno = ENOENT;
        return -1;
    }
    /* relaxed: reg_lock held; readers under the lock only. */
    atomic_store_explicit(&h->id, 0, memory_order_relaxed);
    uint64_t changed = publish_masks();
    while (running == id && !on_worker)
        pthread_cond_wait(&idle_cond, &reg_lock);
    pthread_mutex_unlock(&reg_lock);
    call_hooks(changed);
    return 0;
}

/* --- posting (signal context) -------------------------------------------- */

static void post_sub(struct dsub *d, int sig, const siginfo_t *info)
{
    if (!ring_push(&d->ring, sig, 0, info)) {
        /* relaxed: a statistic. */
        atomic_fetch_add_explicit(&dropped, 1, memory_order_relaxed);
        return;
    }
    uint64_t one = 1;
    ssize_t w = write(d->efd, &one, sizeof one);  /* before the permit */
    (void)w;
    sem_release(&d->sem, 1);
}

void deferred_post(int sig, const siginfo_t *info)
{
    if (sig < 1 || sig > SIGBITS_MAX)
        return;
    int saved = errno;
    siginfo_t blank;
    if (info == NULL) {
        memset(&blank, 0, sizeof blank);
        blank.si_signo = sig;
        info = &blank;
    }
    uint64_t bit = sigbit(sig);
    /* acquire: pairs with the release in publish_masks (ring allocated). */
    if (atomic_load_explicit(&hmask, memory_order_acquire) & bit) {
        /* relaxed: ordered after hmask's acquire; see deferred_register. */
        uint64_t gen = atomic_load_explicit(&hgen, memory_order_relaxed);
        if (ring_push(&hring, sig, gen, info)) {
            sem_release(&work, 1);
            /* A dozing worker is woken early only when the queue fills. */
            if (sem_available(&work) >= DOZE_WAKE_AT)
                parker_unpark(&doze);
        } else
            /* relaxed: a statistic. */
            atomic_fetch_add_explicit(&dropped, 1, memory_order_relaxed);
    }
    /* acquire: pairs with the release in publish_masks. */
    if (atomic_load_explicit(&smask, memory_order_acquire) & bit) {
        FOR_SLOTS(c, x) {
            /* seq_cst: "active++" of the store-buffering pair with
             * deferred_unsubscribe's "sub = NULL; read active". */
            atomic_fetch_add_explicit(&x->active, 1, memory_order_seq_cst);
            /* seq_cst: the other half of that pair. */
            struct dsub *d = atomic_load_explicit(&x->sub, memory_order_seq_cst);
            if (d && (d->sigs & bit))
                post_sub(d, sig, info);
            /* release: pairs with the acquire wait in deferred_unsubscribe
             * (our use of d happens before it is freed). */
            atomic_fetch_sub_explicit(&x->active, 1, memory_order_release);
        }
    }
    errno = saved;
}

/* --- subscriptions ---------------------------------------------------------- */

static void sub_free(struct dsub *d)
{
    close(d->efd);
    free(d->ring.cells);
    free(d);
}

static void sub_put(struct dsub *d)
{
    /* acq_rel: the last one out sees every other holder's accesses. */
    if (atomic_fetch_sub_explicit(&d->refs, 1, memory_order_acq_rel) == 1)
        sub_free(d);
}

/* Under reg_lock. */
static struct sslot *find_slot(struct dsub *d)
{
    FOR_SLOTS(c, x)
        /* relaxed: reg_lock held (the only writer). */
        if (d && atomic_load_explicit(&x->sub, memory_order_relaxed) == d)
            return x;
    return NULL;
}

/* A reference to d if it is a live subscription. */
static bool sub_get(struct dsub *d)
{
    pthread_mutex_lock(&reg_lock);
    bool ok = find_slot(d) != NULL;
    if (ok)
        /* relaxed: reg_lock orders it before any unsubscribe's put. */
        atomic_fetch_add_explicit(&d->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&reg_lock);
    return ok;
}

struct dsub *deferred_subscribe(uint64_t sigs, unsigned capacity)
{
    bool ok = sigs != 0 && capacity <= DEFERRED_SUB_MAX;
    for (int sig = 1; sig <= SIGBITS_MAX; sig++)
        if ((sigs & sigbit(sig)) && !deferred_sig_ok(sig))
            ok = false;
    if (!ok) {
        errno = EINVAL;
        return NULL;
    }
    pthread_once(&atfork_once, register_atfork);
    struct dsub *d = calloc(1, sizeof *d);
    if (d == NULL || ring_init(&d->ring, capacity ? capacity : DEFERRED_SUB_DEFAULT)) {
        free(d);
        errno = ENOMEM;
        return NULL;
    }
    d->sigs = sigs;
    sem_init_permits(&d->sem, 0);
    atomic_store_explicit(&d->refs, 1, memory_order_relaxed);  /* relaxed: not shared yet */
    d->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE);
    if (d->efd < 0) {
        int err = errno;
        free(d->ring.cells);
        free(d);
        errno = err;
        return NULL;
    }
    pthread_mutex_lock(&reg_lock);
    struct sslot *slot = NULL;
    struct schunk *tail = NULL;
    FOR_SLOTS(c, x) {
        tail = c;
        /* relaxed: reg_lock held. */
        if (slot == NULL && atomic_load_explicit(&x->sub, memory_order_relaxed) == NULL)
            slot = x;
    }
    if (slot == NULL) {
        struct schunk *more = calloc(1, sizeof *more);
        if (more == NULL) {
            pthread_mutex_unlock(&reg_lock);
            sub_free(d);
            errno = ENOMEM;
            return NULL;
        }
        /* release: pairs with the acquire in FOR_SLOTS. */
        atomic_store_explicit(&tail->next, more, memory_order_release);
        slot = &more->s[0];
    }
    /* seq_cst: publishes d to posts (pairs with their seq_cst load). */
    atomic_store_explicit(&slot->sub, d, memory_order_seq_cst);
    uint64_t changed = publish_masks();
    pthread_mutex_unlock(&reg_lock);
    call_hooks(changed);
    return d;
}

void deferred_unsubscribe(struct dsub *d)
{
    pthread_mutex_lock(&reg_lock);
    struct sslot *slot = find_slot(d);
    if (slot == NULL) {
        pthread_mutex_unlock(&reg_lock);
        return;
    }
    /* seq_cst: "sub = NULL" of the store-buffering pair with the
     * "active++; read sub" of deferred_post. */
    atomic_store_explicit(&slot->sub, NULL, memory_order_seq_cst);
    uint64_t changed = publish_masks();
    pthread_mutex_unlock(&reg_lock);
    call_hooks(changed);
    /* seq_cst: "read active", the other half; also an acquire pairing with
     * the release decrement in deferred_post.  Posts are bounded work. */
    while (atomic_load_explicit(&slot->active, memory_order_seq_cst) != 0)
        sched_yield();
    sem_close(&d->sem);      /* waiters leave with EBADF */
    sub_put(d);
}

int deferred_wait(struct dsub *d, siginfo_t *out, const struct timespec *rel)
{
    if (rel && (rel->tv_sec < 0 || rel->tv_nsec < 0 || rel->tv_nsec >= 1000000000L)) {
        errno = EINVAL;
        return -1;
    }
    if (!sub_get(d)) {
        errno = EBADF;
        return -1;
    }
    struct timespec deadline;
    if (rel)
        deadline_after(&deadline, rel);
    int err = sem_acquire(&d->sem, 1, rel ? &deadline : NULL, true);
    if (err == 0) {
        struct event ev;
        ring_pop(&d->ring, &ev);
        uint64_t one;
        ssize_t r = read(d->efd, &one, sizeof one);   /* after the permit */
        (void)r;
        if (out)
            memcpy(out, &ev.info, sizeof *out);
    }
    sub_put(d);
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

int deferred_sub_fd(struct dsub *d)
{
    pthread_mutex_lock(&reg_lock);
    int fd = find_slot(d) ? d->efd : -1;
    pthread_mutex_unlock(&reg_lock);
    if (fd < 0)
        errno = EBADF;
    return fd;
}
