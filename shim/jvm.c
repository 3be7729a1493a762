/* The libjsig interface that HotSpot looks up at start-up with
 * dlsym(RTLD_DEFAULT, ...).  When it finds these three functions it
 * brackets the installation of its own handlers with begin/end and, for a
 * signal its handler does not recognise (a real crash), asks
 * JVM_get_signal_action(sig) for the action to chain to: it calls that
 * handler (SA_SIGINFO or not, with its sa_mask) and treats the signal as
 * handled; a NULL result makes it fall back to the oldact it saved itself,
 * and then to its fatal-error handling (hs_err file).
 *
 * On top of sigshim's table: begin/end remember which module is the JVM
 * (the module of their caller, libjvm.so); JVM_get_signal_action returns
 * another module's handler, as that module's oldact would report it: for
 * a fault, the one installed last (the next in fault order), otherwise
 * the first installed.  The JVM's own handler runs first in the chain
 * (end moves its slots to the front and marks them to lead faults, even
 * before native handlers installed later), so faults the JVM uses for
 * itself (implicit null checks, safepoint polls, stack banging) never
 * reach native handlers, while a crash the JVM does not recognise is
 * handed to a native handler before hs_err is written.
 *
 * Asynchronous signals differ: the dispatcher runs every module's handler
 * itself (rule 4), while HotSpot also chains a kill -SEGV it does not
 * recognise, and SIGPIPE and SIGXFSZ (it calls the chained handler, then
 * ignores the signal).  Asked from inside the JVM's handler for such a
 * delivery, the answer is the next handler in installation order, and the
 * dispatcher is told not to run that one again: every handler still runs
 * once per delivery, in installation order.  See docs/jvm.md. */
#include "shim.h"
#include "atomic.h"
#include "dispatch.h"
#include <string.h>

/* The JVM's module key, 0 while no JVM announced itself. */
static _Atomic uintptr_t jvm_key;

/* What JVM_get_signal_action returns a pointer to: HotSpot reads it and
 * writes into it (adds the signal to sa_mask, resets sa_handler for
 * SA_RESETHAND) before it calls the handler, on the thread that asked.
 * One per thread, refilled on every call, so that threads taking the same
 * signal at once do not fill and write one copy together.  initial-exec:
 * used in signal context. */
static __thread struct sigaction chained __attribute__((tls_model("initial-exec")));

static void remember_jvm(const void *caller)
{
    shim_init();
    uintptr_t key = module_key(installer_address(caller));
    if (key)
        /* relaxed: a single word read on its own by get_signal_action. */
        store_relaxed(&jvm_key, key);
}

SHIM_EXPORT void JVM_begin_signal_setting(void)
{
    remember_jvm(SHIM_CALLER());
}

/* The JVM's slot moves to the front of each chain and leads faults: it
 * chains to the others itself (JVM_get_signal_action), and its own faults
 * (implicit null checks, safepoint polls) must never reach a native
 * handler, even one installed after the JVM started (which the fault order,
 * last installed first, would otherwise try first), as with libjsig. */
static int edit_jvm_first(int sig, struct chain *c, void *ctx)
{
    (void)sig;
    struct slot *s = chain_find(c, SLOT_MODULE, *(uintptr_t *)ctx);
    if (s == NULL || (s == &c->slot[0] && s->leads_faults))
        return -1;
    struct slot jvm = *s;
    jvm.leads_faults = 1;
    memmove(&c->slot[1], &c->slot[0], (size_t)(s - c->slot) * sizeof *s);
    c->slot[0] = jvm;
    return 0;
}

SHIM_EXPORT void JVM_end_signal_setting(void)
{
    remember_jvm(SHIM_CALLER());
    /* relaxed: see remember_jvm. */
    uintptr_t jvm = load_relaxed(&jvm_key);
    for (int sig = 1; jvm && sig <= SIGBITS_MAX; sig++)
        if (sig_valid(sig) && chain_enabled(sig))
            table_update(sig, edit_jvm_first, &jvm);
}

static bool fault_signal(int sig)
{
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE
        || sig == SIGTRAP;
}

struct chained_ctx {
    uintptr_t jvm;
    bool fault_order;
    uintptr_t found;            /* the module answered, 0: none */
};

/* The first handler of another module in the order the dispatcher gives
 * the signal to them (for a fault, the next in fault order), reported
 * into this thread's `chained`. */
static void look_chained(const struct chain *c, void *ctx)
{
    struct chained_ctx *x = ctx;
    struct chain_view v = chain_view_of(c);
    for (unsigned k = 0; k < c->n; k++) {
        const struct slot *s = &c->slot[x->fault_order ? dispatch_fault_turn(&v, k) : k];
        if (s->kind == SLOT_MODULE && s->owner != x->jvm && action_is_handler(&s->act)) {
            report_action(&s->act, &chained);
            x->found = s->owner;
            return;
        }
    }
}

SHIM_EXPORT struct sigaction *JVM_get_signal_action(int sig)
{
    shim_init();
    if (!sig_valid(sig) || !chain_enabled(sig))
        return NULL;    /* not chaining: the JVM's own saved oldact rules */
    /* Inside the JVM's handler for a delivery of sig (HotSpot also asks
     * when it prints its handlers), an asynchronous one perhaps. */
    bool handling = dispatch_handled_sig() == sig;
    bool async = handling && dispatch_handling_async();
    /* relaxed: see remember_jvm. */
    struct chained_ctx x = { load_relaxed(&jvm_key), fault_signal(sig) && !async, 0 };
    table_inspect(sig, look_chained, &x);
    if (!x.found)
        return NULL;
    if (handling)
        dispatch_handed_on(x.found);    /* HotSpot calls it now */
    return &chained;
}
