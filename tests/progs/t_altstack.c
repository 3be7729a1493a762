/* SA_ONSTACK: the handler runs on the alternate signal stack (a local's
 * address lies inside it and sigaltstack reports SS_ONSTACK); without
 * SA_ONSTACK it runs on the normal stack. "overflow" recovers from a stack
 * overflow, the classic use: only possible on the alternate stack.
 * t_altstack flags|overflow */
#include "t_common.h"
#include <sys/resource.h>

static char *alt;
static size_t altsz;
static int on_alt, ss_onstack;

static void h(int sig)
{
    char local;
    stack_t cur;
    (void)sig;
    on_alt = &local >= alt && &local < alt + altsz;
    sigaltstack(NULL, &cur);
    ss_onstack = (cur.ss_flags & SS_ONSTACK) != 0;
}

static void on_overflow(int sig)
{
    char local;
    (void)sig;
    t_say(&local >= alt && &local < alt + altsz ? "overflow caught on the alternate stack\n"
                                                : "overflow caught elsewhere\n");
    _exit(0);
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(volatile char *p)
{
    volatile char buf[4096];
    buf[0] = p ? p[0] : 1;
    return recurse(buf) + buf[1];
}

int main(int argc, char **argv)
{
    t_init(5);
    altsz = 64 * 1024;
    alt = malloc(altsz);
    stack_t ss = { .ss_sp = alt, .ss_size = altsz };
    sigaltstack(&ss, NULL);
    if (argc > 1 && !strcmp(argv[1], "overflow")) {
        struct rlimit rl = { 1 << 20, 1 << 20 };
        setrlimit(RLIMIT_STACK, &rl);
        t_install(SIGSEGV, (void *)on_overflow, SA_ONSTACK, NULL);
        return recurse(NULL);
    }
    t_install(SIGUSR1, (void *)h, SA_ONSTACK, NULL);
    raise(SIGUSR1);
    printf("SA_ONSTACK: on alternate stack=%s SS_ONSTACK=%s\n", on_alt ? "yes" : "no",
           ss_onstack ? "yes" : "no");
    t_install(SIGUSR1, (void *)h, 0, NULL);
    raise(SIGUSR1);
    printf("no SA_ONSTACK: on alternate stack=%s SS_ONSTACK=%s\n", on_alt ? "yes" : "no",
           ss_onstack ? "yes" : "no");
    return 0;
}
