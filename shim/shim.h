/* Internal interface of the shim layer (the interposed libc entry points). */
#ifndef SIGSHIM_SHIM_H
#define SIGSHIM_SHIM_H
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "table.h"

#define SHIM_EXPORT __attribute__((visibility("default")))

/* The caller of the interposed function, as seen from inside it. */
#define SHIM_CALLER() __builtin_extract_return_addr(__builtin_return_address(0))

/* Owner key for "every module shares one slot": signals that do not chain. */
#define OWNER_SHARED ((uintptr_t)1)

/* Lazy, idempotent start-up; safe before our constructor ran and from any
 * thread.  Resolves libc's functions and imports current dispositions. */
void shim_init(void);

/* The public API's state-changing calls in a vfork child, whose memory is
 * its parent's (core/process.h): true, with errno EPERM, to refuse. */
bool shim_refused_in_vfork_child(void);

/* sigaction() on behalf of the module that contains `caller`. */
int shim_sigaction(int sig, const struct sigaction *act,
                   struct sigaction *oldact, const void *caller);

/* An address in the module that made the call returning to `caller`
 * (caller itself, unless a tail call hid the real installer). */
const void *installer_address(const void *caller);

/* The slot owner for a call from `caller` about `sig`. */
uintptr_t shim_owner(int sig, const void *caller);

/* Module containing addr: a stable key (its load address), or 0. */
uintptr_t module_key(const void *addr);
void module_after_fork(void);
/* After dlclose: ranges that are no longer mapped match nothing. */
void module_forget_unmapped(void);
/* The file name (no directory) of the module with this key, from the
 * cache only (async-signal-safe); false if unknown. */
bool module_name(uintptr_t key, char *name, size_t size);

/* Tracing (shim/trace.c), configured by options. */
struct trace_config {
    int mode;               /* TRACE_OFF, TRACE_STDERR, TRACE_FILE */
    const char *path;       /* TRACE_FILE: may contain %p */
    bool json;
    bool report;
};
enum { TRACE_OFF, TRACE_STDERR, TRACE_FILE };
const struct trace_config *options_trace(void);
const char *options_plugins(void);
bool options_verbose(void);

void trace_start(void);
void trace_after_fork(void);
void trace_install(int sig, const void *caller, const struct action *a);
void trace_register(int sig, long id, const char *what);

/* Pointer checks (EFAULT, not a crash).  mem_writable may clobber the
 * first 8 bytes, which the caller must overwrite; nothing else changes. */
bool mem_readable(const void *p, size_t n);
bool mem_writable(void *p, size_t n);

/* What libc's sigaction reports for an action that was set through it. */
void report_action(const struct action *a, struct sigaction *out);
void report_base(const struct action *base, void *restorer, struct sigaction *out);
void report_learn(int keep_flags, int added_flags, void *restorer);

/* Signals that chain (SIGSHIM_CHAIN); the others: last installer wins. */
bool chain_enabled(int sig);
void options_load(void);
/* Parses one option's value as options_load would (for tests and fuzzing);
 * true if valid, and then in force. */
bool options_try(const char *name, const char *value);
/* Calls emit for every option with the value in force. */
void options_describe(void (*emit)(const char *name, const char *value));

/* Remembered by siginterrupt(), consulted by signal(). */
bool sigintr_is_set(int sig);
#endif
