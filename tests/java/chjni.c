/* JNI library for tests/bats/realprogs.bats and docs/jvm.md: native code
 * that installs its own handlers when the JVM loads it (JNI_OnLoad):
 *   - a SIGSEGV "crash reporter": prints one line, then declines (puts
 *     SIG_DFL back for itself and returns), as crash reporters do, so
 *     whoever comes next (the JVM's error handling, or the default action)
 *     deals with the crash;
 *   - a SIGINT handler and a SIGPIPE handler that print one line each.
 * When sigshim is there, it also registers an in-signal handler that only
 * counts SIGSEGV deliveries (to show the JIT really uses implicit null
 * checks).  Everything printed goes through write(2).  With
 * CHJNI_NO_HANDLERS set it installs nothing (a baseline). */
#include <jni.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t reporter_runs, sigint_runs;
static volatile long segv_seen = -1;

static void say(const char *s)
{
    ssize_t r = write(1, s, strlen(s));
    (void)r;
}

static void reporter(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    reporter_runs++;
    say(info->si_code > 0 ? "native reporter: SIGSEGV (fault)\n" : "native reporter: SIGSEGV (sent)\n");
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL);           /* decline: let the next one handle it */
}

static void on_sigpipe(int sig)
{
    (void)sig;
    say("native SIGPIPE handler ran\n");
}

static void on_sigint(int sig)
{
    (void)sig;
    sigint_runs++;
    say("native SIGINT handler ran\n");
}

typedef bool (*counter_fn)(int, siginfo_t *, void *, void *);
static bool count_segv(int sig, siginfo_t *info, void *uc, void *arg)
{
    (void)sig; (void)info; (void)uc; (void)arg;
    __atomic_add_fetch(&segv_seen, 1, __ATOMIC_RELAXED);
    return false;                          /* pass it on */
}

JNIEXPORT jint JNI_OnLoad(JavaVM *vm, void *reserved)
{
    (void)vm; (void)reserved;
    if (getenv("CHJNI_NO_HANDLERS"))        /* baseline for docs/jvm.md */
        return JNI_VERSION_1_8;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_sigaction = reporter;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_sigpipe;
    sigaction(SIGPIPE, &sa, NULL);
    long (*reg)(int, counter_fn, void *, unsigned) =
        (long (*)(int, counter_fn, void *, unsigned))dlsym(RTLD_DEFAULT, "sigshim_register");
    if (reg && reg(SIGSEGV, count_segv, NULL, 0) > 0)
        segv_seen = 0;
    return JNI_VERSION_1_8;
}

JNIEXPORT jint JNICALL Java_ChJni_reporterRuns(JNIEnv *env, jclass c)
{
    (void)env; (void)c;
    return reporter_runs;
}

JNIEXPORT jint JNICALL Java_ChJni_sigintRuns(JNIEnv *env, jclass c)
{
    (void)env; (void)c;
    return sigint_runs;
}

JNIEXPORT jlong JNICALL Java_ChJni_segvSeen(JNIEnv *env, jclass c)
{
    (void)env; (void)c;
    return __atomic_load_n(&segv_seen, __ATOMIC_RELAXED);
}

/* A write to a pipe whose reader is gone: SIGPIPE, as native I/O code gets. */
JNIEXPORT jint JNICALL Java_ChJni_brokenPipe(JNIEnv *env, jclass c)
{
    (void)env; (void)c;
    int p[2];
    if (pipe(p) != 0)
        return -1;
    close(p[0]);
    ssize_t r = write(p[1], "x", 1);
    close(p[1]);
    return (jint)r;
}

JNIEXPORT void JNICALL Java_ChJni_crash(JNIEnv *env, jclass c)
{
    (void)env; (void)c;
    say("native code writes to NULL\n");
    *(volatile int *)0 = 1;
}
