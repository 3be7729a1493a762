/* libcrashreport.so: the demo's "crash reporter" library.
 *
 * Like most crash reporters it assumes it is alone: its SIGSEGV handler
 * takes any SIGSEGV for a real crash, writes a report, restores SIG_DFL and
 * returns, so the faulting instruction runs again and the process dies with
 * SIGSEGV as it would have without the reporter.  Its SIGUSR1 handler dumps
 * (here: announces) some internal state.
 */
#include "demo.h"

static volatile sig_atomic_t runs_usr1, runs_segv;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    runs_segv++;
    say("  [crashreport] SIGSEGV: FATAL crash at address ");
    say_hex((unsigned long)si->si_addr);
    say(", report written; dying\n");
    /* Hand the fault back to the default action.  (Checked, so the call is
     * not compiled as a tail call: sigshim attributes a call to the module
     * its return address is in.) */
    if (signal(sig, SIG_DFL) == SIG_ERR)
        say("  [crashreport] could not restore SIG_DFL\n");
}

static void on_usr1(int sig)
{
    (void)sig;
    runs_usr1++;
    say("  [crashreport] SIGUSR1: dump state\n");
}

void crashreport_init(void)
{
    install(SIGSEGV, NULL, on_segv, SA_SIGINFO);
    install(SIGUSR1, on_usr1, NULL, SA_RESTART);
}

int crashreport_runs(int sig)
{
    return sig == SIGSEGV ? runs_segv : sig == SIGUSR1 ? runs_usr1 : 0;
}
