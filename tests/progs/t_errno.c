/* errno around a handler: what a handler stores in errno is visible to the
 * interrupted code; a handler that leaves errno alone leaves the interrupted
 * code's errno unchanged. The signal arrives either synchronously (kill to
 * self) or asynchronously while the main thread spins in user space.
 * t_errno set|keep|set-async|keep-async|fail-async */
#include "t_common.h"
#include <fcntl.h>
#include <pthread.h>

static int set_it, fail_it;
static volatile sig_atomic_t done;

static void h(int sig)
{
    (void)sig;
    if (set_it)
        errno = EDOM;
    if (fail_it) { /* a failing system call inside the handler */
        int r = close(-1);
        (void)r;
    }
    done = 1;
}

static void *sender(void *arg)
{
    usleep(20000);
    pthread_kill(*(pthread_t *)arg, SIGUSR1);
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(5);
    const char *mode = argc > 1 ? argv[1] : "set";
    set_it = !strncmp(mode, "set", 3);
    fail_it = !strncmp(mode, "fail", 4);
    int async = strstr(mode, "async") != NULL;
    t_install(SIGUSR1, (void *)h, 0, NULL);
    pthread_t self = pthread_self(), t;
    if (async)
        pthread_create(&t, NULL, sender, &self);
    volatile int *ep = &errno; /* errno as memory: the handler may change it */
    *ep = ERANGE;
    if (async) {
        while (!done)
            ; /* spin: the signal interrupts user code */
    } else {
        kill(getpid(), SIGUSR1);
    }
    int e = *ep;
    printf("%s: errno after handler = %s\n", mode, t_errname(e));
    if (async)
        pthread_join(t, NULL);
    return 0;
}
