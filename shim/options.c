/* Every SIGSHIM_* environment variable, in one table: parsed once at
 * start-up.  A bad value prints one line on stderr naming the variable,
 * the value and what was expected, and the default stays in force. */
#include "shim.h"
#include "atomic.h"
#include "signames.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Atomic uint64_t chain_mask = ~0ULL;

bool chain_enabled(int sig)
{
    /* relaxed: set once during init, published by init's release. */
    return (load_relaxed(&chain_mask) & sigbit(sig)) != 0;
}

/* "all", "none", or a comma-separated list of signal names/numbers. */
static bool parse_signal_set(const char *v, uint64_t *out)
{
    if (strcmp(v, "all") == 0) {
        *out = ~0ULL;
        return true;
    }
    if (strcmp(v, "none") == 0) {
        *out = 0;
        return true;
    }
    uint64_t set = 0;
    for (const char *p = v;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        int sig = signame_parse(p, len);
        if (sig == 0)
            return false;
        set |= sigbit(sig);
        if (!end)
            break;
        p = end + 1;
    }
    *out = set;
    return true;
}

static bool apply_chain(const char *v)
{
    uint64_t set;
    if (!parse_signal_set(v, &set))
        return false;
    store_relaxed(&chain_mask, set);    /* relaxed: see chain_enabled */
    return true;
}

struct option {
    const char *name;
    const char *fallback;   /* the default, as the user would write it */
    const char *expected;   /* for the error line */
    bool (*apply)(const char *value);
};

static const struct option options[] = {
    { "SIGSHIM_CHAIN", "all",
      "all, none, or a list of signals such as SIGINT,SIGSEGV,SIGRTMIN+3",
      apply_chain },
};

static void say(const char *s)
{
    ssize_t r = write(STDERR_FILENO, s, strlen(s));
    (void)r;
}

void options_load(void)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        const struct option *o = &options[i];
        const char *v = getenv(o->name);
        if (v == NULL || o->apply(v))
            continue;
        say("sigshim: ");
        say(o->name);
        say("='");
        say(v);
        say("' is not valid: expected ");
        say(o->expected);
        say("; using the default '");
        say(o->fallback);
        say("'\n");
        o->apply(o->fallback);
    }
}
