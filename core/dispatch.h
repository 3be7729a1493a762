/* The one handler the kernel sees for every signal that needs handling. */
#ifndef SIGSHIM_DISPATCH_H
#define SIGSHIM_DISPATCH_H
#include <signal.h>

void dispatch_signal(int sig, siginfo_t *info, void *ucontext);

/* In-signal handlers registered through the public API. */
typedef _Bool (*dispatch_fn)(int sig, siginfo_t *info, void *uc, void *arg);
#endif
