/* Unit tests of core/parker.c: token kept across an early unpark, timeouts,
 * cross-thread wake, spurious futex wake-ups and signal handlers do not end
 * a park, EINTR only when interruptible, unpark from a signal handler,
 * errno preserved. */
#include "parker.h"
#include "test_util.h"
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>

static struct parker P = PARKER_INIT;
static atomic_int returned;
static atomic_int park_result;

static int state(void) { return atomic_load(&P.state); }

static void wait_parked(void)
{
    while (state() != PARKER_PARKED)
        sleep_ms(1);
    sleep_ms(5);        /* let it enter futex_wait */
}

static void *parks(void *arg)
{
    bool intr = arg != NULL;
    atomic_store(&park_result, parker_park_until(&P, NULL, intr));
    atomic_store(&returned, 1);
    return NULL;
}

static void on_usr1(int sig) { (void)sig; }

static struct parker *handler_target;
static void unpark_in_handler(int sig)
{
    (void)sig;
    parker_unpark(handler_target);
}

int main(void)
{
    watchdog(20);
    double t;

    /* 1. An unpark before the park is not lost. */
    parker_unpark(&P);
    t = now_ms();
    parker_park(&P);
    CHECK(now_ms() - t < 100 && state() == PARKER_EMPTY,
          "unpark before park: park returns at once and consumes the token");

    /* 2. Several unparks leave one token. */
    parker_unpark(&P);
    parker_unpark(&P);
    struct timespec d = deadline_ms(0);
    CHECK(parker_park_until(&P, &d, false) == 0, "first park after two unparks returns 0");
    d = deadline_ms(0);
    CHECK(parker_park_until(&P, &d, false) == ETIMEDOUT,
          "second park times out: unparks do not accumulate");

    /* 3. Timeouts. */
    t = now_ms();
    d = deadline_ms(20);
    int r = parker_park_until(&P, &d, false);
    double el = now_ms() - t;
    CHECK(r == ETIMEDOUT && el >= 19.5 && el < 1000,
          "park_until(now+20ms) -> ETIMEDOUT after %.1f ms", el);
    CHECK(state() == PARKER_EMPTY, "after a timeout the state is EMPTY again");
    d = deadline_ms(-50);
    CHECK(parker_park_until(&P, &d, false) == ETIMEDOUT,
          "a deadline in the past times out immediately");
    struct timespec bad[2] = { { 1, -1 }, { 1, 1000000000L } };
    for (int i = 0; i < 2; i++) {
        t = now_ms();
        r = parker_park_until(&P, &bad[i], false);
        CHECK(r == EINVAL && now_ms() - t < 100 && state() == PARKER_EMPTY,
              "a malformed deadline (tv_nsec %ld) -> EINVAL at once, state EMPTY",
              (long)bad[i].tv_nsec);
    }

    /* 4. Cross-thread wake. */
    pthread_t th;
    atomic_store(&returned, 0);
    pthread_create(&th, NULL, parks, NULL);
    wait_parked();
    CHECK(!atomic_load(&returned), "thread stays parked without unpark");
    parker_unpark(&P);
    pthread_join(th, NULL);
    CHECK(atomic_load(&park_result) == 0 && state() == PARKER_EMPTY,
          "unpark wakes the parked thread; state EMPTY");

    /* 5. Spurious futex wake-ups do not end a park. */
    atomic_store(&returned, 0);
    pthread_create(&th, NULL, parks, NULL);
    wait_parked();
    for (int i = 0; i < 100; i++) {
        syscall(SYS_futex, &P.state, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
        if (i % 10 == 0)
            sleep_ms(1);
    }
    sleep_ms(10);
    CHECK(!atomic_load(&returned) && state() == PARKER_PARKED,
          "100 stray FUTEX_WAKEs: still parked");
    parker_unpark(&P);
    pthread_join(th, NULL);
    CHECK(atomic_load(&returned) == 1, "then a real unpark ends the park");

    /* 6. Signal handlers (no SA_RESTART) interrupt the futex: ignored
     * unless interruptible. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    atomic_store(&returned, 0);
    pthread_create(&th, NULL, parks, NULL);
    wait_parked();
    for (int i = 0; i < 5; i++) {
        pthread_kill(th, SIGUSR1);
        sleep_ms(2);
    }
    CHECK(!atomic_load(&returned), "5 signal handlers in the parked thread: still parked");
    parker_unpark(&P);
    pthread_join(th, NULL);
    CHECK(atomic_load(&park_result) == 0, "non-interruptible park returns 0 on unpark");

    atomic_store(&returned, 0);
    pthread_create(&th, NULL, parks, (void *)1);
    wait_parked();
    pthread_kill(th, SIGUSR1);
    pthread_join(th, NULL);
    CHECK(atomic_load(&park_result) == EINTR && state() == PARKER_EMPTY,
          "interruptible park returns EINTR on a signal handler; state EMPTY");

    /* 7. Unpark from a signal handler (the dispatcher's case). */
    if (UNDER_TSAN) {
        printf("skipped under TSan: unpark from a handler on the parked thread\n");
        goto errno_check;
    }
    struct parker local = PARKER_INIT;
    handler_target = &local;
    timer_t timer = handler_after_ms(SIGUSR2, unpark_in_handler, 20);
    t = now_ms();
    parker_park(&local);
    el = now_ms() - t;
    CHECK(el >= 15 && el < 2000, "unpark from a signal handler on the parked thread itself "
          "(SA_RESTART) ends the park after %.1f ms", el);
    timer_delete(timer);

errno_check:
    /* 8. errno is preserved. */
    errno = 1234;
    parker_unpark(&P);
    d = deadline_ms(1);
    parker_park_until(&P, &d, false);
    parker_park_until(&P, &d, false);
    CHECK(errno == 1234, "park and unpark preserve errno");

    return test_result("parker");
}
