/* sigshim.h - the public API of libsigshim.
 *
 * libsigshim is normally loaded with LD_PRELOAD, where it needs no code
 * changes at all.  Programs that want to register handlers themselves can
 * also link it (-lsigshim) and call the functions below.  Every function
 * follows the libc convention: on failure it returns -1 (or NULL) and sets
 * errno.  See sigshim(3) and docs/semantics.md.
 */
#ifndef SIGSHIM_H
#define SIGSHIM_H

#include <signal.h>
#include <stdbool.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* In-signal handler: runs inside the signal handler, before the handlers
 * that modules installed with sigaction()/signal(), in registration order.
 * Return true to consume the signal (later handlers do not run and no
 * default action happens), false to pass it on.  Must be
 * async-signal-safe. */
typedef bool (*sigshim_handler_fn)(int signo, siginfo_t *info,
                                   void *ucontext, void *arg);

/* Registers fn for signo.  flags must be 0.  Returns an id > 0, or -1 with
 * errno EINVAL (bad signal, fn NULL, SIGKILL/SIGSTOP, reserved signal, bad
 * flags) or ENOSPC (the signal's chain is full).  Async-signal-safe. */
long sigshim_register(int signo, sigshim_handler_fn fn, void *arg,
                      unsigned flags);

/* Removes a handler registered by sigshim_register() or
 * sigshim_register_deferred().  Returns 0, or -1 with errno ENOENT.
 * Async-signal-safe for in-signal handlers. */
int sigshim_unregister(long id);

/* Deferred handler: runs on sigshim's worker thread (named "sigshim"),
 * where it may allocate, lock and print.  flags must be 0. */
typedef void (*sigshim_deferred_fn)(int signo, const siginfo_t *info,
                                    void *arg);
long sigshim_register_deferred(int signo, sigshim_deferred_fn fn, void *arg,
                               unsigned flags);

/* Number of deferred events dropped because a queue was full, since
 * start (or since fork() in a child). */
unsigned long sigshim_dropped(void);

/* Subscriptions: the pull form.  Every subscriber sees every signal of its
 * set.  sigshim_wait() returns 0, or -1 with errno ETIMEDOUT, EINTR or
 * EBADF; a NULL timeout waits forever.  sigshim_sub_fd() is readable while
 * events are pending. */
void *sigshim_subscribe(const sigset_t *set, unsigned capacity);
int sigshim_wait(void *sub, siginfo_t *out, const struct timespec *timeout);
int sigshim_sub_fd(void *sub);
void sigshim_unsubscribe(void *sub);

/* The library's version, e.g. "0.1.0". */
const char *sigshim_version(void);

#ifdef __cplusplus
}
#endif
#endif
