/* Every SIGSHIM_* environment variable, from the one table in
 * options.def: parsed once at start-up.  A bad value prints one line on
 * stderr naming the variable, the value and what was expected, and the
 * default stays in force; the host program always goes on. */
#include "shim.h"
#include "atomic.h"
#include "fmt.h"
#include "signames.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Atomic uint64_t chain_mask = ~0ULL;
static struct trace_config trace;
static const char *plugins = "";
static bool verbose;

bool chain_enabled(int sig)
{
    /* relaxed: set once during init, published by init's release. */
    return (load_relaxed(&chain_mask) & sigbit(sig)) != 0;
}

const struct trace_config *options_trace(void) { return &trace; }
const char *options_plugins(void) { return plugins; }
bool options_verbose(void) { return verbose; }

/* "all", "none", or a comma-separated list of signal names/numbers. */
static bool parse_signal_set(const char *v, uint64_t *out)
{
    if (strcmp(v, "all") == 0 || strcmp(v, "none") == 0) {
        *out = v[0] == 'a' ? ~0ULL : 0;
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

static bool apply_SIGSHIM_CHAIN(const char *v)
{
    uint64_t set;
    if (!parse_signal_set(v, &set))
        return false;
    store_relaxed(&chain_mask, set);    /* relaxed: see chain_enabled */
    return true;
}

static bool apply_SIGSHIM_TRACE(const char *v)
{
    if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
        trace.mode = TRACE_OFF;
    else if (strcmp(v, "stderr") == 0 || strcmp(v, "1") == 0)
        trace.mode = TRACE_STDERR;
    else if (strchr(v, '/')) {
        trace.mode = TRACE_FILE;
        trace.path = v;
    } else
        return false;
    return true;
}

static bool apply_SIGSHIM_TRACE_FORMAT(const char *v)
{
    if (strcmp(v, "text") != 0 && strcmp(v, "json") != 0)
        return false;
    trace.json = v[0] == 'j';
    return true;
}

static bool on_off(const char *v, const char *on, const char *off, bool *out)
{
    if (strcmp(v, on) != 0 && strcmp(v, off) != 0)
        return false;
    *out = strcmp(v, on) == 0;
    return true;
}

static bool apply_SIGSHIM_REPORT(const char *v)
{
    return on_off(v, "on", "off", &trace.report);
}

static bool apply_SIGSHIM_VERBOSE(const char *v)
{
    return on_off(v, "1", "0", &verbose);
}

/* Each entry must name a shared object by path; loading happens later. */
static bool apply_SIGSHIM_PLUGINS(const char *v)
{
    for (const char *p = v; *p;) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0 || memchr(p, '/', len) == NULL)
            return false;
        p += len + (end != NULL);
    }
    plugins = v;
    return true;
}

struct option {
    const char *name;
    const char *fallback;   /* the default, as the user would write it */
    const char *expected;   /* for the error line */
    bool (*apply)(const char *value);
};

#define OPTION(name, fallback, expected, meaning) \
    { #name, fallback, expected, apply_##name },
static const struct option options[] = {
#include "options.def"
};
#undef OPTION

bool options_try(const char *name, const char *value)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (strcmp(options[i].name, name) == 0)
            return options[i].apply(value);
    return false;
}

/* The value each option has in force, as the user would write it. */
static const char *in_force[sizeof options / sizeof options[0]];

void options_describe(void (*emit)(const char *name, const char *value))
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        emit(options[i].name, in_force[i] ? in_force[i] : options[i].fallback);
}

void options_load(void)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        const struct option *o = &options[i];
        const char *v = getenv(o->name);
        in_force[i] = v;
        if (v == NULL || o->apply(v))
            continue;
        in_force[i] = o->fallback;
        fmt_say("sigshim: ", o->name, "='", v, "' is not valid: expected ",
                o->expected, "; using the default '", o->fallback, "'", NULL);
        o->apply(o->fallback);
    }
}
