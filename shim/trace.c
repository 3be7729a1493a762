/* Tracing: one line per disposition change and per delivery, naming the
 * module responsible.  Delivery lines are formatted inside the signal
 * handler with fmt.h (no stdio, no allocation) and written with write(2);
 * module names come from the module cache only.  Symbol names (dladdr) are
 * looked up only outside signal handlers. */
#define _GNU_SOURCE 1
#include "shim.h"
#include "dispatch.h"
#include "guard.h"
#include "fmt.h"
#include "signames.h"
#include <dlfcn.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int trace_fd = -1;
static bool json;

static void open_destination(void)
{
    const struct trace_config *t = options_trace();
    if (t->mode == TRACE_STDERR) {
        trace_fd = STDERR_FILENO;
        return;
    }
    char path[512];
    struct fmt f = { path, 0, sizeof path };
    for (const char *p = t->path; *p; p++) {
        if (p[0] == '%' && p[1] == 'p') {
            fmt_dec(&f, (long long)getpid());
            p++;
        } else {
            char c[2] = { *p, 0 };
            fmt_str(&f, c);
        }
    }
    path[f.len] = 0;
    trace_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (trace_fd < 0)
        fmt_say("sigshim: SIGSHIM_TRACE: cannot open '", path, "'; tracing is off", NULL);
}

/* "sigshim[pid] 1700000000.123456 " or the JSON object's opening keys. */
static void start_line(struct fmt *f, const char *event)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char frac[8];
    struct fmt u = { frac, 0, sizeof frac };
    long us = ts.tv_nsec / 1000;
    for (long d = 100000; d; d /= 10)
        fmt_dec(&u, (us / d) % 10);
    frac[u.len] = 0;
    long long pid = getpid(), tid = syscall(SYS_gettid);
    if (json) {
        fmt_str(f, "{\"time\":");
        fmt_dec(f, (long long)ts.tv_sec);
        fmt_str(f, ".");
        fmt_str(f, frac);
        fmt_str(f, ",\"pid\":");
        fmt_dec(f, pid);
        fmt_str(f, ",\"tid\":");
        fmt_dec(f, tid);
        fmt_str(f, ",\"event\":");
        fmt_json_str(f, event);
    } else {
        fmt_str(f, "sigshim[");
        fmt_dec(f, pid);
        fmt_str(f, "] ");
        fmt_dec(f, (long long)ts.tv_sec);
        fmt_str(f, ".");
        fmt_str(f, frac);
        fmt_str(f, " ");
        fmt_str(f, event);
    }
}

/* A key/value pair: ` key=value` in text, `,"key":"value"` in JSON. */
static void field(struct fmt *f, const char *key, const char *value)
{
    if (json) {
        fmt_str(f, ",");
        fmt_json_str(f, key);
        fmt_str(f, ":");
        fmt_json_str(f, value);
    } else {
        fmt_str(f, " ");
        fmt_str(f, key);
        fmt_str(f, "=");
        fmt_str(f, value);
    }
}

static void field_num(struct fmt *f, const char *key, long long v)
{
    char num[24];
    struct fmt n = { num, 0, sizeof num };
    fmt_dec(&n, v);
    num[n.len] = 0;
    if (json) {
        fmt_str(f, ",");
        fmt_json_str(f, key);
        fmt_str(f, ":");
        fmt_str(f, num);
    } else {
        field(f, key, num);
    }
}

static void end_line(struct fmt *f)
{
    if (json)
        fmt_str(f, "}");
    if (f->len + 1 >= f->cap)
        f->len = f->cap - 2;
    fmt_str(f, "\n");
    fmt_write(f, trace_fd);
}

static void sig_field(struct fmt *f, int sig)
{
    char name[24];
    signame_format(sig, name, sizeof name);
    if (json) {
        field(f, "signal", name);
    } else {
        fmt_str(f, " ");
        fmt_str(f, name);
    }
}

static void flags_text(int flags, char *out, size_t size)
{
    static const struct { int bit; const char *name; } names[] = {
        { SA_NOCLDSTOP, "NOCLDSTOP" }, { SA_NOCLDWAIT, "NOCLDWAIT" },
        { SA_SIGINFO, "SIGINFO" }, { SA_ONSTACK, "ONSTACK" },
        { SA_RESTART, "RESTART" }, { SA_NODEFER, "NODEFER" },
        { SA_RESETHAND, "RESETHAND" },
    };
    struct fmt f = { out, 0, size };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (flags & names[i].bit) {
            if (f.len)
                fmt_str(&f, "|");
            fmt_str(&f, names[i].name);
        }
    if (f.len == 0)
        fmt_str(&f, "0");
    out[f.len] = 0;
}

/* "libfoo.so", or "(any)" for a signal that does not chain. */
static void owner_text(uintptr_t owner, char *out, size_t size)
{
    if (owner == OWNER_SHARED || !module_name(owner, out, size)) {
        struct fmt f = { out, 0, size };
        fmt_str(&f, owner == OWNER_SHARED ? "(any)" : "(unknown)");
        out[f.len] = 0;
    }
}

/* SIG_DFL, SIG_IGN, a symbol (outside handlers only), or module+offset. */
static void handler_text(void *h, char *out, size_t size)
{
    struct fmt f = { out, 0, size };
    Dl_info info;
    uintptr_t key = module_key(h);
    char mod[48];
    if (h == (void *)SIG_DFL)
        fmt_str(&f, "SIG_DFL");
    else if (h == (void *)SIG_IGN)
        fmt_str(&f, "SIG_IGN");
    else if (!dispatch_in_handler() && dladdr(h, &info) && info.dli_sname
             && info.dli_saddr == h)
        fmt_str(&f, info.dli_sname);
    else {
        owner_text(key, mod, sizeof mod);
        fmt_str(&f, mod);
        fmt_str(&f, "+");
        fmt_hex(&f, (uintptr_t)h - key);
    }
    out[f.len] = 0;
}

/* The chain's handlers, counted in place (this runs inside sigaction(),
 * maybe on a handler's small alternate stack: no copy of the chain). */
static void count_handlers(const struct chain *c, void *ctx)
{
    unsigned *n = ctx;
    for (unsigned i = 0; i < c->n; i++)
        *n += c->slot[i].kind == SLOT_FN || action_is_handler(&c->slot[i].act);
}

void trace_install(int sig, const void *caller, const struct action *a)
{
    if (trace_fd < 0)
        return;
    char line[768], mod[48], handler[128], flags[96], where[80];
    struct fmt f = { line, 0, sizeof line };
    uintptr_t owner = shim_owner(sig, caller);
    caller = installer_address(caller);
    uintptr_t key = module_key(caller);
    owner_text(key ? key : OWNER_SHARED, mod, sizeof mod);
    struct fmt w = { where, 0, sizeof where };
    fmt_str(&w, mod);
    fmt_str(&w, "+");
    fmt_hex(&w, (uintptr_t)caller - key);
    where[w.len] = 0;
    handler_text(a->handler, handler, sizeof handler);
    flags_text(a->flags, flags, sizeof flags);
    unsigned handlers = 0;
    table_inspect(sig, count_handlers, &handlers);
    start_line(&f, "install");
    sig_field(&f, sig);
    if (json) {
        field(&f, "module", mod);
        field(&f, "caller", where);
    } else {
        fmt_str(&f, " by ");
        fmt_str(&f, where);
    }
    field(&f, "handler", handler);
    field(&f, "flags", flags);
    field_num(&f, "chain", handlers);
    if (owner == OWNER_SHARED)
        field(&f, "chaining", "off");
    end_line(&f);
}

void trace_register(int sig, long id, const char *what)
{
    if (trace_fd < 0)
        return;
    char line[256];
    struct fmt f = { line, 0, sizeof line };
    start_line(&f, what);
    sig_field(&f, sig);
    field_num(&f, "id", id);
    end_line(&f);
}

static const char *code_name(int sig, int code)
{
    switch (code) {
    case SI_USER: return "SI_USER";
    case SI_KERNEL: return "SI_KERNEL";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TIMER: return "SI_TIMER";
    case SI_MESGQ: return "SI_MESGQ";
    case SI_ASYNCIO: return "SI_ASYNCIO";
    case SI_SIGIO: return "SI_SIGIO";
    case SI_TKILL: return "SI_TKILL";
    }
    static const char *const segv[] = { 0, "SEGV_MAPERR", "SEGV_ACCERR" };
    static const char *const bus[] = { 0, "BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR" };
    static const char *const ill[] = { 0, "ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR",
        "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG", "ILL_COPROC", "ILL_BADSTK" };
    static const char *const fpe[] = { 0, "FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV",
        "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB" };
    static const char *const chld[] = { 0, "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED",
        "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED" };
    static const char *const trap[] = { 0, "TRAP_BRKPT", "TRAP_TRACE" };
#define PICK(table) (code > 0 && (size_t)code < sizeof table / sizeof table[0] ? table[code] : NULL)
    switch (sig) {
    case SIGSEGV: return PICK(segv);
    case SIGBUS: return PICK(bus);
    case SIGILL: return PICK(ill);
    case SIGFPE: return PICK(fpe);
    case SIGCHLD: return PICK(chld);
    case SIGTRAP: return PICK(trap);
    }
#undef PICK
    return NULL;
}

static void info_fields(struct fmt *f, int sig, const siginfo_t *info)
{
    if (info == NULL)
        return;
    const char *code = code_name(sig, info->si_code);
    if (code)
        field(f, "code", code);
    else
        field_num(f, "code", info->si_code);
    switch (sig) {
    case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
        if (info->si_code > 0) {
            char addr[24];
            struct fmt a = { addr, 0, sizeof addr };
            fmt_hex(&a, (uintptr_t)info->si_addr);
            addr[a.len] = 0;
            field(f, "addr", addr);
            return;
        }
    }
    if (info->si_code <= 0 || sig == SIGCHLD)
        field_num(f, "sender", info->si_pid);
}

static void slot_text(struct fmt *f, const struct slot *s)
{
    char name[48];
    if (f->len)
        fmt_str(f, ",");
    if (s->kind == SLOT_FN) {
        fmt_str(f, "sigshim_register#");
        fmt_dec(f, (long long)s->owner);
    } else {
        owner_text(s->owner, name, sizeof name);
        fmt_str(f, name);
    }
}

/* "app,libfoo.so" for the slots in `which`, in the order they ran:
 * registered handlers ("sigshim_register#id") first, then the base or the
 * module slots, which a fault goes through last installed first. */
static void who_text(const struct delivery *d, unsigned which, char *out, size_t size)
{
    struct fmt f = { out, 0, size };
    const struct chain_view *c = d->chain;
    _Static_assert(TABLE_SLOTS < 31, "a slot's bit in delivery.ran");
    for (unsigned i = 0; i < c->n; i++)
        if ((which & (1u << i)) && c->slot[i].kind == SLOT_FN)
            slot_text(&f, &c->slot[i]);
    if (which & DELIVERY_BASE_BIT)
        fmt_str(&f, f.len ? ",(inherited)" : "(inherited)");
    bool fault = is_sync_fault(d->sig, d->info);
    for (unsigned k = 0; k < c->n; k++) {
        unsigned i = fault ? dispatch_fault_turn(c, k) : k;
        if ((which & (1u << i)) && c->slot[i].kind != SLOT_FN)
            slot_text(&f, &c->slot[i]);
    }
    out[f.len] = 0;
}

static void on_delivery(const struct delivery *d)
{
    static const char *const outcome[] = {
        [OUTCOME_RAN] = "ran", [OUTCOME_HANDLED] = "handled",
        [OUTCOME_CONSUMED] = "consumed", [OUTCOME_DEFAULT] = "default action",
        [OUTCOME_IGNORED] = "ignored",
    };
    char line[768], who[256];
    struct fmt f = { line, 0, sizeof line };
    unsigned which = d->ran;
    if (d->outcome == OUTCOME_HANDLED || d->outcome == OUTCOME_CONSUMED)
        which = d->by < 0 ? DELIVERY_BASE_BIT : 1u << d->by;
    who_text(d, which, who, sizeof who);
    start_line(&f, "deliver");
    sig_field(&f, d->sig);
    info_fields(&f, d->sig, d->info);
    if (json) {
        field(&f, "outcome", outcome[d->outcome]);
        field(&f, "by", who);
        field(&f, "deferred", d->deferred ? "yes" : "no");
    } else {
        fmt_str(&f, " tid=");
        fmt_dec(&f, (long long)syscall(SYS_gettid));
        fmt_str(&f, " -> ");
        if (d->outcome == OUTCOME_RAN) {
            fmt_str(&f, who[0] ? who : "nothing");
        } else if (d->outcome == OUTCOME_HANDLED || d->outcome == OUTCOME_CONSUMED) {
            fmt_str(&f, who);
            fmt_str(&f, " ");
            fmt_str(&f, outcome[d->outcome]);
        } else {
            fmt_str(&f, outcome[d->outcome]);
        }
        if (d->deferred)
            fmt_str(&f, " +deferred");
    }
    end_line(&f);
}

/* SIGSHIM_REPORT: every signal's chain, at exit. */
__attribute__((destructor)) static void trace_report(void)
{
    if (!options_trace()->report)
        return;
    int fd = trace_fd >= 0 ? trace_fd : STDERR_FILENO;
    int saved = trace_fd;
    trace_fd = fd;
    for (int sig = 1; sig <= SIGBITS_MAX; sig++) {
        if (!sig_valid(sig))
            continue;
        struct chain c;
        table_read(sig, &c);
        for (unsigned i = 0; i < c.n; i++) {
            const struct slot *s = &c.slot[i];
            char line[512], who[48], handler[128], flags[96];
            struct fmt f = { line, 0, sizeof line };
            start_line(&f, "report");
            sig_field(&f, sig);
            field_num(&f, "position", i + 1);
            field_num(&f, "of", c.n);
            if (s->kind == SLOT_FN) {
                field(&f, "module", "sigshim_register");
                field_num(&f, "id", (long long)s->owner);
            } else {
                owner_text(s->owner, who, sizeof who);
                field(&f, "module", who);
                handler_text(s->act.handler, handler, sizeof handler);
                flags_text(s->act.flags, flags, sizeof flags);
                field(&f, "handler", handler);
                field(&f, "flags", flags);
            }
            end_line(&f);
        }
    }
    trace_fd = saved;
}

void trace_start(void)
{
    const struct trace_config *t = options_trace();
    json = t->json;
    if (t->mode == TRACE_OFF)
        return;
    open_destination();
    if (trace_fd >= 0)
        dispatch_set_observer(on_delivery);
}

void trace_after_fork(void)
{
    const struct trace_config *t = options_trace();
    if (t->mode == TRACE_FILE && strstr(t->path, "%p") && trace_fd >= 0) {
        close(trace_fd);
        open_destination();
    }
}
