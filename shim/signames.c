#include "signames.h"
#include "sigbits.h"
#include <signal.h>
#include <string.h>

static const struct { int sig; const char *name; } names[] = {
    { SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" },
    { SIGILL, "ILL" }, { SIGTRAP, "TRAP" }, { SIGABRT, "ABRT" },
    { SIGABRT, "IOT" }, { SIGBUS, "BUS" }, { SIGFPE, "FPE" },
    { SIGKILL, "KILL" }, { SIGUSR1, "USR1" }, { SIGSEGV, "SEGV" },
    { SIGUSR2, "USR2" }, { SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" },
    { SIGTERM, "TERM" }, { SIGSTKFLT, "STKFLT" }, { SIGCHLD, "CHLD" },
    { SIGCHLD, "CLD" }, { SIGCONT, "CONT" }, { SIGSTOP, "STOP" },
    { SIGTSTP, "TSTP" }, { SIGTTIN, "TTIN" }, { SIGTTOU, "TTOU" },
    { SIGURG, "URG" }, { SIGXCPU, "XCPU" }, { SIGXFSZ, "XFSZ" },
    { SIGVTALRM, "VTALRM" }, { SIGPROF, "PROF" }, { SIGWINCH, "WINCH" },
    { SIGIO, "IO" }, { SIGIO, "POLL" }, { SIGPWR, "PWR" }, { SIGSYS, "SYS" },
};

static char upper(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 32) : c; }

static bool same_word(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    if (len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (upper(s[i]) != word[i])
            return false;
    return true;
}

/* Digits only, no sign; -1 if empty or not a number or too large. */
static int parse_uint(const char *s, size_t len)
{
    if (len == 0 || len > 4)
        return -1;
    int v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* The signals between the kernel's first realtime signal (32) and the
 * libc's SIGRTMIN are the libc's own (threads, cancellation): sigaction()
 * refuses them, so a list naming one is a mistake. */
static bool valid_number(int sig)
{
    return sig >= 1 && sig <= SIGBITS_MAX && (sig < 32 || sig >= SIGRTMIN);
}

int signame_parse(const char *s, size_t len)
{
    int n = parse_uint(s, len);
    if (n >= 0)
        return valid_number(n) ? n : 0;
    if (len >= 3 && same_word(s, 3, "SIG")) {
        s += 3;
        len -= 3;
        n = parse_uint(s, len);         /* "SIG40", as signame_format writes */
        if (n >= 0)
            return valid_number(n) ? n : 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (same_word(s, len, names[i].name))
            return names[i].sig;
    if (len >= 5 && (same_word(s, 5, "RTMIN") || same_word(s, 5, "RTMAX"))) {
        bool min = upper(s[4]) == 'N';
        int base = min ? SIGRTMIN : SIGRTMAX;
        if (len == 5)
            return base;
        int off = parse_uint(s + 6, len - 6);
        if (off < 0 || s[5] != (min ? '+' : '-'))
            return 0;
        int sig = min ? base + off : base - off;
        return sig >= SIGRTMIN && sig <= SIGRTMAX ? sig : 0;
    }
    return 0;
}

static size_t put(char *out, size_t size, size_t at, const char *s)
{
    while (*s && at + 1 < size)
        out[at++] = *s++;
    out[at < size ? at : size - 1] = 0;
    return at;
}

void signame_format(int sig, char *out, size_t size)
{
    if (size == 0)
        return;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig) {
            put(out, size, put(out, size, 0, "SIG"), names[i].name);
            return;
        }
    if (sig == SIGRTMIN) {
        put(out, size, 0, "SIGRTMIN");
        return;
    }
    char num[12];
    int off = sig - SIGRTMIN, at = 11;
    const char *prefix = "SIGRTMIN+";
    if (sig < SIGRTMIN || sig > SIGRTMAX) {
        prefix = "SIG";
        off = sig;
    }
    num[at] = 0;
    do {
        num[--at] = (char)('0' + off % 10);
        off /= 10;
    } while (off && at > 0);
    put(out, size, put(out, size, 0, prefix), num + at);
}
