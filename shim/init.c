/* Start-up: resolve libc's sigaction once, import what the kernel holds
 * (inherited SIG_IGN, handlers set before us), learn how libc reports
 * flags, and register the fork handler.  Runs from our constructor or
 * from whichever interposed call comes first (other libraries'
 * constructors may run before ours). */
#include "shim.h"
#include "atomic.h"
#include "deferred.h"
#include "dispatch.h"
#include "kernel.h"
#include "process.h"
#include "fmt.h"
#include "sigshim.h"
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

enum { INIT_NONE, INIT_RUNNING, INIT_DONE };
static _Atomic int init_state;
static __thread char running_here __attribute__((tls_model("initial-exec")));

static sigaction_fn resolve_sigaction(void)
{
    sigaction_fn fn = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
#ifdef __GLIBC__
    if (fn == NULL)
        fn = (sigaction_fn)dlvsym(RTLD_NEXT, "sigaction", "GLIBC_2.2.5");
#endif
    return fn;
}

static void import_signal(int sig, struct sigaction *k)
{
    struct action base = {
        .handler = (void *)k->sa_handler,
        .mask = sigset_bits(&k->sa_mask),
        .flags = k->sa_flags,
    };
    struct chain_view only_base = { .base = base };
    struct kstate applied = { KS_UNKNOWN, 0, 0 };
    if (!action_is_handler(&base))
        applied = kernel_state_for(sig, &only_base);
    table_import(sig, &base, (void *)k->sa_restorer, &applied);
}

/* Which sa_flags bits the kernel keeps and which libc adds, and libc's
 * restorer: on a signal whose default is to ignore, set every bit, then
 * none, reading each back; then put the original back.  The dispatcher is the probe's
 * handler, so a signal arriving meanwhile is still handled right. */
static void learn_reporting(const struct sigaction *original)
{
    struct sigaction probe, all, none;
    memset(&probe, 0, sizeof probe);
    probe.sa_sigaction = dispatch_signal;
    memset(&probe.sa_mask, 0xff, sizeof probe.sa_mask);
    probe.sa_flags = ~SA_RESETHAND;
    if (kernel_sigaction(SIGURG, &probe, NULL) != 0
        || kernel_sigaction(SIGURG, NULL, &all) != 0)
        return;
    probe.sa_flags = SA_SIGINFO;
    if (kernel_sigaction(SIGURG, &probe, NULL) == 0
        && kernel_sigaction(SIGURG, NULL, &none) == 0)
        report_learn(all.sa_flags | SA_RESETHAND, none.sa_flags & ~SA_SIGINFO,
                     (void *)all.sa_restorer);
    kernel_sigaction(SIGURG, original, NULL);
}

static void after_fork_child(void)
{
    process_adopt();
    table_after_fork();
    module_after_fork();
    trace_after_fork();
}

static void do_init(void)
{
    process_adopt();
    kernel_set_sigaction(resolve_sigaction());
    options_load();
    struct sigaction urg;
    memset(&urg, 0, sizeof urg);
    for (int sig = 1; sig <= SIGBITS_MAX; sig++) {
        struct sigaction k;
        memset(&k, 0, sizeof k);
        if (sig_reserved(sig) || kernel_sigaction(sig, NULL, &k) != 0)
            continue;
        import_signal(sig, &k);
        if (sig == SIGURG)
            urg = k;
    }
    learn_reporting(&urg);
    deferred_set_sync_hook(table_sync);
    trace_start();
    pthread_atfork(NULL, NULL, after_fork_child);
}

static void say_setting(const char *name, const char *value)
{
    fmt_say("sigshim:   ", name, "=", value, NULL);
}

/* SIGSHIM_PLUGINS: shared objects that register handlers from their own
 * constructors.  Loaded from our constructor only, never lazily from an
 * interposed call, which could be running in a signal handler. */
static void load_plugins(void)
{
    char path[512];
    for (const char *p = options_plugins(); *p;) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len < sizeof path) {
            memcpy(path, p, len);
            path[len] = 0;
            if (dlopen(path, RTLD_NOW | RTLD_LOCAL) == NULL)
                fmt_say("sigshim: SIGSHIM_PLUGINS: cannot load ", path,
                        "; going on without it", NULL);
        }
        p += len + (end != NULL);
    }
}

void shim_init(void)
{
    /* acquire: pairs with the release below; the imported table and the
     * resolved functions are visible once DONE is seen. */
    if (load_acquire(&init_state) == INIT_DONE)
        return;
    int expected = INIT_NONE;
    if (cas_acquire(&init_state, &expected, INIT_RUNNING)) {
        running_here = 1;
        do_init();
        running_here = 0;
        /* release: publishes everything do_init wrote. */
        store_release(&init_state, INIT_DONE);
        return;
    }
    /* Re-entered from inside do_init on this thread: go on without. */
    if (running_here)
        return;
    while (load_acquire(&init_state) != INIT_DONE)   /* pairs as above */
        sched_yield();
}

__attribute__((constructor)) static void sigshim_constructor(void)
{
    shim_init();
    if (options_verbose()) {
        fmt_say("sigshim ", sigshim_version(), ": loaded; settings:", NULL);
        options_describe(say_setting);
    }
    load_plugins();
}
