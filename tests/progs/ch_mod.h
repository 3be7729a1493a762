/* One "module" of the chaining tests, included by the driver (ch_run.c, as
 * module "m") and by each shared object libch_a.c, libch_b.c, libch_c.c.
 * Everything is static: each module has its own handlers, and every
 * sigaction()/signal() call below has its return address inside the
 * module that includes this file, which is what sigshim attributes it to.
 *
 * Module commands (the part after "M."):
 *   sa=SIG[,opt...]     install the handler with sigaction()
 *   signal=SIG[,opt...] install it with signal() (opts: behaviour only)
 *   sysv=SIG, ssignal=SIG, bsd=SIG, sigset=SIG (same, other entry points)
 *   dfl=SIG, ign=SIG    sigaction() with SIG_DFL / SIG_IGN
 *   sigignore=SIG       sigignore()
 *   old=SIG             query with sigaction(sig, NULL, &old) and print it
 *   jvmbegin=SIG, jvmend=SIG, jvmget=SIG  call the libjsig interface from
 *                       this module (as HotSpot does from libjvm.so)
 * Options: info (SA_SIGINFO), reset (SA_RESETHAND), nodefer, restart,
 *   onstack, nocldstop, nocldwait, mask+SIG (add to sa_mask);
 *   behaviour: showmask (print the blocked signals of interest), fix (a
 *   fault: resume after the faulting instruction), decline=HOW (remove
 *   itself with HOW = sigaction|signal|sysv|sigset|sigignore|ssignal|bsd
 *   before returning), tag=NAME (printed instead of "h"), jvmchain (then
 *   run the handler JVM_get_signal_action names, as HotSpot's handler does
 *   with a signal it does not recognise), then=CMD (run driver command CMD
 *   inside the handler; takes the rest of the string).
 */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef MOD
#error define MOD
#endif

#include "ch_ctx.h"

extern sighandler_t __sysv_signal(int, sighandler_t);
extern sighandler_t ssignal(int, sighandler_t);
extern sighandler_t bsd_signal(int, sighandler_t);

static struct ch_ctx *C;

struct conf {
    bool showmask, fix, onstack, jvmchain;
    char decline[16];
    char tag[16];
    char then[128];
};
static struct conf conf[65];

/* As HotSpot's handler does with a signal it does not recognise: run the
 * handler JVM_get_signal_action names (none: nothing, in this test). */
static void jvm_chain(int sig, siginfo_t *si, void *ucv)
{
    struct sigaction *(*get)(int) =
        (struct sigaction *(*)(int))dlsym(RTLD_DEFAULT, "JVM_get_signal_action");
    struct sigaction *a = get ? get(sig) : NULL;
    if (a == NULL || a->sa_handler == SIG_DFL || a->sa_handler == SIG_IGN)
        return;
    if (a->sa_flags & SA_SIGINFO)
        a->sa_sigaction(sig, si, ucv);
    else
        a->sa_handler(sig);
}

static void h_common(int sig, siginfo_t *si, void *ucv, bool info)
{
    int saved = errno;
    struct conf *k = &conf[sig];
    (*C->hits)++;
    C->out(MOD ".");
    C->out(k->tag[0] ? k->tag : "h");
    C->out(" ");
    C->out_sig(sig);
    if (info && si) {
        C->out(" code=");
        C->out_num(si->si_code);
        if (si->si_code == SI_QUEUE) {
            C->out(" val=");
            C->out_num(si->si_value.sival_int);
        }
    }
    if (k->showmask) {
        sigset_t cur;
        sigprocmask(SIG_BLOCK, NULL, &cur);
        static const int interest[] = { SIGINT, SIGUSR1, SIGUSR2, SIGTERM, SIGALRM, SIGCHLD, SIGQUIT };
        C->out(" blocked=");
        bool any = false;
        for (size_t i = 0; i < sizeof interest / sizeof interest[0]; i++)
            if (sigismember(&cur, interest[i])) {
                if (any)
                    C->out(",");
                C->out_sig(interest[i]);
                any = true;
            }
        if (!any)
            C->out("-");
    }
    if (k->onstack) {
        stack_t ss;
        sigaltstack(NULL, &ss);
        C->out((ss.ss_flags & SS_ONSTACK) ? " altstack=yes" : " altstack=no");
    }
    C->out("\n");
    if (k->then[0])
        C->exec(k->then);
    if (k->jvmchain)
        jvm_chain(sig, si, ucv);
    if (k->fix && ucv) {
        ucontext_t *uc = ucv;
        uc->uc_mcontext.gregs[REG_RIP] = (greg_t)*C->resume_pc;
    }
    if (k->decline[0]) {
        const char *d = k->decline;
        if (!strcmp(d, "sigaction")) {
            struct sigaction a;
            memset(&a, 0, sizeof a);
            a.sa_handler = SIG_DFL;
            sigaction(sig, &a, NULL);
        } else if (!strcmp(d, "signal"))
            signal(sig, SIG_DFL);
        else if (!strcmp(d, "sysv"))
            __sysv_signal(sig, SIG_DFL);
        else if (!strcmp(d, "ssignal"))
            ssignal(sig, SIG_DFL);
        else if (!strcmp(d, "bsd"))
            bsd_signal(sig, SIG_DFL);
        else if (!strcmp(d, "sigset"))
            sigset(sig, SIG_DFL);
        else if (!strcmp(d, "sigignore"))
            sigignore(sig);
    }
    errno = saved;
}

static void h_plain(int sig) { h_common(sig, NULL, NULL, false); }
static void h_info(int sig, siginfo_t *si, void *uc) { h_common(sig, si, uc, true); }

static const char *mod_name_of(void *p)
{
    if (p == (void *)h_plain || p == (void *)h_info)
        return MOD ".h";
    return NULL;
}

static int parse_opts(const char *s, int *sig, struct sigaction *a, struct conf *k)
{
    memset(a, 0, sizeof *a);
    memset(k, 0, sizeof *k);
    size_t len = strcspn(s, ",");
    *sig = C->parse_sig(s, len);
    if (*sig <= 0)
        return -1;
    s += len;
    while (*s == ',') {
        s++;
        if (!strncmp(s, "then=", 5)) {
            strncpy(k->then, s + 5, sizeof k->then - 1);
            break;
        }
        len = strcspn(s, ",");
#define OPT(name) (len == strlen(name) && !strncmp(s, name, len))
        if (OPT("info")) a->sa_flags |= SA_SIGINFO;
        else if (OPT("reset")) a->sa_flags |= SA_RESETHAND;
        else if (OPT("nodefer")) a->sa_flags |= SA_NODEFER;
        else if (OPT("restart")) a->sa_flags |= SA_RESTART;
        else if (OPT("onstack")) { a->sa_flags |= SA_ONSTACK; k->onstack = true; }
        else if (OPT("nocldstop")) a->sa_flags |= SA_NOCLDSTOP;
        else if (OPT("nocldwait")) a->sa_flags |= SA_NOCLDWAIT;
        else if (OPT("showmask")) k->showmask = true;
        else if (OPT("fix")) k->fix = true;
        else if (OPT("jvmchain")) k->jvmchain = true;
        else if (len > 5 && !strncmp(s, "mask+", 5)) {
            int m = C->parse_sig(s + 5, len - 5);
            if (m <= 0)
                return -1;
            sigaddset(&a->sa_mask, m);
        } else if (len > 8 && !strncmp(s, "decline=", 8) && len - 8 < sizeof k->decline)
            memcpy(k->decline, s + 8, len - 8);
        else if (len > 4 && !strncmp(s, "tag=", 4) && len - 4 < sizeof k->tag)
            memcpy(k->tag, s + 4, len - 4);
        else
            return -1;
#undef OPT
        s += len;
    }
    a->sa_sigaction = (a->sa_flags & SA_SIGINFO) ? h_info : NULL;
    if (!(a->sa_flags & SA_SIGINFO))
        a->sa_handler = h_plain;
    return 0;
}

static void print_flags(int f)
{
    static const struct { int bit; const char *name; } fl[] = {
        { SA_SIGINFO, "SIGINFO" }, { SA_RESETHAND, "RESETHAND" },
        { SA_NODEFER, "NODEFER" }, { SA_RESTART, "RESTART" },
        { SA_ONSTACK, "ONSTACK" }, { SA_NOCLDSTOP, "NOCLDSTOP" },
        { SA_NOCLDWAIT, "NOCLDWAIT" },
    };
    bool any = false;
    for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++)
        if (f & fl[i].bit) {
            C->out(any ? "|" : "");
            C->out(fl[i].name);
            any = true;
        }
    if (!any)
        C->out("0");
}

/* Returns 0 on success, -1 on a bad command, 1 if the call failed. */
static int mod_cmd(const char *cmd, const char *(*name_of)(void *))
{
    const char *eq = strchr(cmd, '=');
    if (!eq)
        return -1;
    size_t vlen = (size_t)(eq - cmd);
    const char *arg = eq + 1;
    int sig;
    struct sigaction a;
    struct conf k;
    if (parse_opts(arg, &sig, &a, &k) < 0)
        return -1;
#define VERB(name) (vlen == strlen(name) && !strncmp(cmd, name, vlen))
    if (VERB("sa")) {
        conf[sig] = k;
        return sigaction(sig, &a, NULL) == 0 ? 0 : 1;
    }
    sighandler_t r = SIG_DFL;
    if (VERB("signal") || VERB("sysv") || VERB("ssignal") || VERB("bsd") || VERB("sigset")) {
        conf[sig] = k;
        if (VERB("signal")) r = signal(sig, h_plain);
        else if (VERB("sysv")) r = __sysv_signal(sig, h_plain);
        else if (VERB("ssignal")) r = ssignal(sig, h_plain);
        else if (VERB("bsd")) r = bsd_signal(sig, h_plain);
        else r = sigset(sig, h_plain);
        return r == SIG_ERR ? 1 : 0;
    }
    if (VERB("dfl") || VERB("ign")) {
        memset(&a, 0, sizeof a);
        a.sa_handler = VERB("dfl") ? SIG_DFL : SIG_IGN;
        return sigaction(sig, &a, NULL) == 0 ? 0 : 1;
    }
    if (VERB("sigignore"))
        return sigignore(sig) == 0 ? 0 : 1;
    if (VERB("jvmbegin") || VERB("jvmend") || VERB("jvmget")) {
        /* The libjsig interface, called from this module as HotSpot
         * calls it from libjvm.so. */
        void *f = dlsym(RTLD_DEFAULT, VERB("jvmbegin") ? "JVM_begin_signal_setting"
                        : VERB("jvmend") ? "JVM_end_signal_setting" : "JVM_get_signal_action");
        if (!f) {
            C->out("no JVM_ interface\n");
            return 0;
        }
        if (!VERB("jvmget")) {
            ((void (*)(void))f)();
            return 0;
        }
        struct sigaction *o = ((struct sigaction *(*)(int))f)(sig);
        C->out(MOD ".jvmget ");
        C->out_sig(sig);
        C->out(" = ");
        if (!o) {
            C->out("NULL\n");
            return 0;
        }
        void *h = (void *)o->sa_handler;
        const char *n = h == (void *)SIG_DFL ? "SIG_DFL" : h == (void *)SIG_IGN ? "SIG_IGN" : name_of(h);
        C->out(n ? n : "unknown");
        C->out(" flags=");
        print_flags(o->sa_flags & ~0x04000000 /* SA_RESTORER */);
        C->out("\n");
        return 0;
    }
    if (VERB("old")) {
        struct sigaction o;
        memset(&o, 0, sizeof o);
        if (sigaction(sig, NULL, &o) != 0)
            return 1;
        C->out(MOD ".old ");
        C->out_sig(sig);
        C->out(" = ");
        void *h = (void *)o.sa_handler;
        const char *n = h == (void *)SIG_DFL ? "SIG_DFL" : h == (void *)SIG_IGN ? "SIG_IGN" : name_of(h);
        C->out(n ? n : "unknown");
        C->out(" flags=");
        print_flags(o.sa_flags & ~0x04000000 /* SA_RESTORER */);
        C->out("\n");
        return 0;
    }
#undef VERB
    return -1;
}
