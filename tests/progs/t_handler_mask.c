/* The thread's signal mask inside a handler is the interrupted mask | sa_mask
 * | the signal (unless SA_NODEFER), and the interrupted mask is back once the
 * handler returns, even when the handler changed its own mask. */
#include "t_common.h"
#include <ucontext.h>

static sigset_t in_handler, in_uc;
static int touch_mask;

static void h(int sig)
{
    (void)sig;
    pthread_sigmask(SIG_BLOCK, NULL, &in_handler);
    if (touch_mask) { /* the handler changes its own mask before returning */
        sigset_t s;
        sigfillset(&s);
        sigprocmask(SIG_SETMASK, &s, NULL);
    }
}

static void hi(int sig, siginfo_t *si, void *ucv)
{
    (void)si;
    in_uc = ((ucontext_t *)ucv)->uc_sigmask;
    h(sig);
}

static void one(int sig, int flags, const char *mname, const sigset_t *sa_mask,
                const char *iname, const sigset_t *interrupted)
{
    sigset_t before, after;
    sigprocmask(SIG_SETMASK, interrupted, NULL);
    before = t_curmask();
    t_install(sig, (flags & SA_SIGINFO) ? (void *)hi : (void *)h, flags, sa_mask);
    sigemptyset(&in_handler);
    raise(sig);
    after = t_curmask();
    printf("%s flags=%s%s%s sa_mask=%s interrupted=%s: in=%s", t_signame(sig),
           flags & SA_NODEFER ? "NODEFER" : "0",
           flags & SA_SIGINFO ? "|SIGINFO" : "",
           touch_mask ? "|handler-sets-mask" : "", mname, iname,
           t_setstr(&in_handler));
    if (flags & SA_SIGINFO)
        printf(" uc_sigmask=%s", t_setstr(&in_uc));
    printf(" after=%s\n", !t_sameset(&before, &after) ? t_setstr(&after)
                                                             : "restored");
}

int main(void)
{
    t_init(5);
    sigset_t none, some, full, intr, intr_sig;
    sigemptyset(&none);
    sigemptyset(&some);
    sigaddset(&some, SIGUSR2);
    sigaddset(&some, SIGINT);
    sigaddset(&some, SIGRTMIN + 4);
    sigfillset(&full);
    sigemptyset(&intr);
    sigaddset(&intr, SIGTERM);
    sigaddset(&intr, SIGRTMAX);
    intr_sig = intr;
    sigaddset(&intr_sig, SIGUSR2); /* overlaps sa_mask */

    struct { const char *n; sigset_t *s; } masks[] = {
        { "none", &none }, { "{USR2,INT,RTMIN+4}", &some }, { "full", &full } };
    struct { const char *n; sigset_t *s; } intrs[] = {
        { "none", &none }, { "{TERM,RTMAX}", &intr }, { "{TERM,RTMAX,USR2}", &intr_sig } };
    int flagsets[] = { 0, SA_NODEFER, SA_SIGINFO, SA_SIGINFO | SA_NODEFER };
    int sigs[] = { SIGUSR1, SIGRTMIN + 1 };

    for (int s = 0; s < 2; s++)
        for (int f = 0; f < 4; f++)
            for (int m = 0; m < 3; m++)
                for (int i = 0; i < 3; i++)
                    one(sigs[s], flagsets[f], masks[m].n, masks[m].s,
                        intrs[i].n, intrs[i].s);
    touch_mask = 1;
    one(SIGUSR1, 0, "none", &none, "{TERM,RTMAX}", &intr);
    one(SIGUSR1, SA_SIGINFO | SA_NODEFER, "{USR2,INT,RTMIN+4}", &some, "none", &none);
    return 0;
}
