/* A libuv event loop that takes signals as events through a sigshim
 * subscription: the subscription's fd is watched with uv_poll like any
 * other descriptor, and the callback drains the events with a zero timeout.
 * The loop runs ordinary code for them (stdio, malloc, libuv calls), with
 * no handler of its own.
 *
 * The loop also keeps libuv's own signal watcher (uv_signal_start) on
 * SIGHUP, as a library inside the program might: libuv installs a handler
 * with sigaction(), sigshim chains it, and both see every SIGHUP.
 *
 *   SIGHUP            "reload", seen by the subscription and by uv_signal
 *   SIGUSR2           "status": the pending event count, then the line
 *   SIGINT, SIGTERM   clean shutdown: every handle closed, exit status 0
 *
 * Build: cc -o uv_loop uv_loop.c -lsigshim $(pkg-config --cflags --libs libuv)
 * (make progs builds it as build/examples/uv_loop when libuv is found). */
#include <sigshim.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

struct app {
    void *sub;                  /* the sigshim subscription */
    uv_poll_t sub_watch;        /* its fd, in the loop */
    uv_signal_t uv_hup;         /* libuv's own watcher on SIGHUP */
    unsigned handled;
};

static void shut_down(struct app *a)
{
    uv_poll_stop(&a->sub_watch);
    uv_close((uv_handle_t *)&a->sub_watch, NULL);
    uv_close((uv_handle_t *)&a->uv_hup, NULL);
}

/* The subscription's fd is readable while an event waits: take them all. */
static void on_signals(uv_poll_t *w, int status, int events)
{
    (void)events;
    struct app *a = w->data;
    if (status < 0) {
        fprintf(stderr, "uv_poll: %s\n", uv_strerror(status));
        shut_down(a);
        return;
    }
    siginfo_t si;
    struct timespec now = { 0, 0 };
    while (sigshim_wait(a->sub, &si, &now) == 0) {
        a->handled++;
        switch (si.si_signo) {
        case SIGHUP:
            printf("subscription: reload (SIGHUP from pid %d)\n", (int)si.si_pid);
            break;
        case SIGUSR2:
            printf("subscription: status, %u events handled\n", a->handled);
            break;
        default:
            printf("subscription: shutdown on %s\n", strsignal(si.si_signo));
            shut_down(a);
            fflush(stdout);
            return;
        }
        fflush(stdout);
    }
}

static void on_uv_hup(uv_signal_t *s, int signum)
{
    (void)s;
    printf("uv_signal: %s too\n", strsignal(signum));
    fflush(stdout);
}

int main(void)
{
    struct app a = { 0 };
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    a.sub = sigshim_subscribe(&set, 64);
    if (a.sub == NULL) {
        perror("sigshim_subscribe");
        return 1;
    }
    uv_loop_t *loop = uv_default_loop();
    int err = uv_poll_init(loop, &a.sub_watch, sigshim_sub_fd(a.sub));
    if (err == 0) {
        a.sub_watch.data = &a;
        err = uv_poll_start(&a.sub_watch, UV_READABLE, on_signals);
    }
    if (err == 0)
        err = uv_signal_init(loop, &a.uv_hup);
    if (err == 0)
        err = uv_signal_start(&a.uv_hup, on_uv_hup, SIGHUP);
    if (err != 0) {
        fprintf(stderr, "libuv: %s\n", uv_strerror(err));
        return 1;
    }
    printf("ready: pid %d\n", (int)getpid());
    fflush(stdout);

    uv_run(loop, UV_RUN_DEFAULT);       /* returns once every handle closed */
    int closed = uv_loop_close(loop);
    sigshim_unsubscribe(a.sub);
    printf("loop closed: %s\n", closed == 0 ? "yes" : uv_strerror(closed));
    return closed == 0 ? 0 : 1;
}
