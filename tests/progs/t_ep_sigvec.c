/* sigvec, glibc's 4.2BSD compatibility symbol (only old binaries import it:
 * bound here to sigvec@GLIBC_2.2.5). SV_INTERRUPT clears SA_RESTART,
 * SV_RESETHAND maps to SA_RESETHAND, SV_ONSTACK to SA_ONSTACK; sv_mask is a
 * 32-bit mask of signals 1..32. */
#include "t_common.h"

struct t_sigvec {
    void (*sv_handler)(int);
    int sv_mask;
    int sv_flags;
};
#define T_SV_ONSTACK 1
#define T_SV_INTERRUPT 2
#define T_SV_RESETHAND 4

__asm__(".symver t_sigvec_compat, sigvec@GLIBC_2.2.5");
extern int t_sigvec_compat(int, const struct t_sigvec *, struct t_sigvec *);

static volatile sig_atomic_t runs;
static void h(int sig) { (void)sig; runs++; }

static void show_vec(const char *label, const struct t_sigvec *v)
{
    printf("%s: handler=%s mask=0x%08x flags=0x%x\n", label,
           t_hname((void *)v->sv_handler), (unsigned)v->sv_mask, v->sv_flags);
}

int main(void)
{
    t_init(5);
    t_name((void *)h, "h");
    struct t_sigvec v = { h, 1 << (SIGUSR2 - 1), 0 }, old;
    memset(&old, 0, sizeof old);
    printf("sigvec(USR1, h, 0) -> %d\n", t_sigvec_compat(SIGUSR1, &v, &old));
    show_vec("  old", &old);
    t_show("USR1", SIGUSR1);
    raise(SIGUSR1);
    printf("runs=%d\n", (int)runs);
    v.sv_flags = T_SV_INTERRUPT | T_SV_RESETHAND | T_SV_ONSTACK;
    memset(&old, 0, sizeof old);
    printf("sigvec(USR1, h, INTERRUPT|RESETHAND|ONSTACK) -> %d\n",
           t_sigvec_compat(SIGUSR1, &v, &old));
    show_vec("  old", &old);
    t_show("USR1", SIGUSR1);
    memset(&old, 0, sizeof old);
    t_sigvec_compat(SIGUSR1, NULL, &old);
    show_vec("query", &old);
    errno = 0;
    int r = t_sigvec_compat(SIGKILL, &v, NULL);
    printf("sigvec(KILL) -> %d %s\n", r, t_errname(errno));
    return 0;
}
