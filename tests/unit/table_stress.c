/* Stress of the half-lock table: reader threads take snapshots the way the
 * dispatcher does (room for as many slots as the hint says, more if that
 * fell short) while writer threads publish edits; every snapshot must be
 * one whole published version (no torn copy), the short-room retry must
 * happen and succeed, and each writer's last edit must be visible at the
 * end (nothing lost).  Usage: table_stress [seconds] */
#include "table.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SIG 10
#define WRITERS 2
#define READERS 4

static atomic_bool stop;
static atomic_long snapshots, torn, edits, retries;

/* Every edit rewrites the whole chain with one stamp: n = stamp % 15 + 1
 * slots, each owned by `stamp`, with its mask equal to the stamp too. */
static int edit_stamp(int sig, struct chain *c, void *ctx)
{
    (void)sig;
    long stamp = *(long *)ctx;
    c->n = (unsigned)(stamp % 15) + 1;
    for (unsigned i = 0; i < c->n; i++) {
        c->slot[i].kind = SLOT_MODULE;
        c->slot[i].owner = (uintptr_t)stamp;
        c->slot[i].act.mask = (uint64_t)stamp;
        c->slot[i].act.handler = (void *)(uintptr_t)(stamp * 16 + 16);
    }
    return 0;
}

static bool consistent(const struct chain_view *c)
{
    if (c->n == 0)
        return true;            /* nothing published yet */
    long stamp = (long)c->slot[0].owner;
    if (c->n != (unsigned)(stamp % 15) + 1)
        return false;
    for (unsigned i = 0; i < c->n; i++)
        if (c->slot[i].owner != (uintptr_t)stamp || c->slot[i].act.mask != (uint64_t)stamp)
            return false;
    return true;
}

static void *reader(void *arg)
{
    (void)arg;
    struct chain c;
    while (!atomic_load(&stop)) {
        unsigned room = table_slots_hint(SIG);
        struct slot slots[TABLE_SLOTS];
        struct chain_view v;
        table_snapshot(SIG, &v, slots, room);
        if (v.n > room) {
            atomic_fetch_add(&retries, 1);
            table_snapshot(SIG, &v, slots, TABLE_SLOTS);
        }
        if (!consistent(&v))
            atomic_fetch_add(&torn, 1);
        table_read(SIG, &c);
        struct chain_view whole = chain_view_of(&c);
        if (!consistent(&whole))
            atomic_fetch_add(&torn, 1);
        atomic_fetch_add(&snapshots, 2);
    }
    return NULL;
}

static long last_stamp[WRITERS];

static void *writer(void *arg)
{
    long w = (long)(intptr_t)arg;
    for (long k = 1; !atomic_load(&stop); k++) {
        long stamp = k * WRITERS + w;
        table_update(SIG, edit_stamp, &stamp);
        last_stamp[w] = stamp;
        atomic_fetch_add(&edits, 1);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    pthread_t r[READERS], w[WRITERS];
    for (int i = 0; i < READERS; i++)
        pthread_create(&r[i], NULL, reader, NULL);
    for (long i = 0; i < WRITERS; i++)
        pthread_create(&w[i], NULL, writer, (void *)(intptr_t)i);
    struct timespec ts = { (time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9) };
    nanosleep(&ts, NULL);
    atomic_store(&stop, true);
    for (int i = 0; i < READERS; i++)
        pthread_join(r[i], NULL);
    for (int i = 0; i < WRITERS; i++)
        pthread_join(w[i], NULL);
    struct chain c;
    table_read(SIG, &c);
    long final = (long)c.slot[0].owner;
    bool lost = final != last_stamp[0] && final != last_stamp[1];
    printf("table_stress: %ld snapshots, %ld edits, %ld short-room retries, %ld torn, "
           "last edit %s\n", atomic_load(&snapshots), atomic_load(&edits),
           atomic_load(&retries), atomic_load(&torn), lost ? "LOST" : "visible");
    return atomic_load(&torn) == 0 && !lost && atomic_load(&edits) > 0
        && atomic_load(&retries) > 0 ? 0 : 1;
}
