/* Driver of the chaining tests: runs its arguments as commands, in order.
 * The executable itself is module "m"; modules a, b, c are the shared
 * objects libch_a.so, libch_b.so, libch_c.so next to it (dlopen'ed on
 * first use).  "M.cmd" is a module command (ch_mod.h); the others:
 *   raise=SIG kill=SIG tkill=SIG queue=SIG (value 42)  send a signal
 *   timer=SIG        a POSIX timer fires SIG once after 10 ms; waits for it
 *   itimer           setitimer(ITIMER_REAL) fires SIGALRM once; waits
 *   wait=MS          wait until some handler ran (at most MS)
 *   sleep=MS         sleep (restarted across signals)
 *   child=exit|stop  fork a child that exits, or stops and is continued
 *   reap             waitpid(-1) until no child is left, print results
 *   fault=segv|bus|ill|fpe|trap  a real CPU fault; prints "resumed" after
 *   readpipe=SIG     read() from an empty pipe; SIG arrives after 50 ms,
 *                    data after 300 ms: prints "read: 1" or "read: EINTR"
 *   altstack         sigaltstack() for this thread
 *   kernel=SIG       what the kernel holds (raw rt_sigaction)
 *   execkernel=SIG   the same, printed by an exec'd copy of this program
 *   tty              become a session leader on a new pty (fork; the
 *                    parent waits and passes on the status)
 *   tty=INT|QUIT|TSTP|WINCH  have the tty driver send the signal; waits
 *   load=M           dlopen module M now (without any other call)
 *   load=M           dlopen module M now (without any other call)
 *   block=SIG unblock=SIG  print=TEXT */
#define MOD "m"
#include "ch_mod.h"
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>

static void *resume_pc;
static volatile sig_atomic_t hits;
static char dir[PATH_MAX];
static int pty_master = -1;

static void out(const char *s)
{
    ssize_t r = write(1, s, strlen(s));
    (void)r;
}

static void out_num(long n)
{
    char b[24], *p = b + sizeof b;
    bool neg = n < 0;
    unsigned long u = neg ? -(unsigned long)n : (unsigned long)n;
    *--p = 0;
    do *--p = (char)('0' + u % 10); while (u /= 10);
    if (neg)
        *--p = '-';
    out(p);
}

static const struct { int sig; const char *name; } names[] = {
    { SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" }, { SIGILL, "ILL" },
    { SIGTRAP, "TRAP" }, { SIGABRT, "ABRT" }, { SIGBUS, "BUS" }, { SIGFPE, "FPE" },
    { SIGKILL, "KILL" }, { SIGUSR1, "USR1" }, { SIGSEGV, "SEGV" }, { SIGUSR2, "USR2" },
    { SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" }, { SIGTERM, "TERM" }, { SIGCHLD, "CHLD" },
    { SIGCONT, "CONT" }, { SIGSTOP, "STOP" }, { SIGTSTP, "TSTP" }, { SIGTTIN, "TTIN" },
    { SIGTTOU, "TTOU" }, { SIGURG, "URG" }, { SIGWINCH, "WINCH" }, { SIGPROF, "PROF" },
    { SIGVTALRM, "VTALRM" }, { SIGIO, "IO" }, { SIGSYS, "SYS" },
};

static void out_sig(int sig)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig) {
            out(names[i].name);
            return;
        }
    if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
        out("RTMIN+");
        out_num(sig - SIGRTMIN);
        return;
    }
    out_num(sig);
}

static int parse_sig(const char *s, size_t len)
{
    char b[32];
    if (len >= sizeof b)
        return -1;
    memcpy(b, s, len);
    b[len] = 0;
    char *p = b;
    if (!strncmp(p, "SIG", 3))
        p += 3;
    if (*p >= '0' && *p <= '9')
        return atoi(p);
    if (!strncmp(p, "RTMIN+", 6))
        return SIGRTMIN + atoi(p + 6);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(names[i].name, p))
            return names[i].sig;
    return -1;
}

static int sig_of(const char *s) { return parse_sig(s, strlen(s)); }

/* Modules: m (this executable), a, b, c. */
struct module {
    char id;
    int (*cmd)(const char *, const char *(*)(void *));
    const char *(*name_of)(void *);
};
static struct module mods[4];
static int nmods;
static void exec_cmd(const char *cmd);

static struct ch_ctx ctx = { &resume_pc, &hits, exec_cmd, parse_sig, out, out_sig, out_num };

static const char *any_name_of(void *p)
{
    for (int i = 0; i < nmods; i++) {
        const char *n = mods[i].name_of(p);
        if (n)
            return n;
    }
    return NULL;
}

static struct module *module(char id)
{
    for (int i = 0; i < nmods; i++)
        if (mods[i].id == id)
            return &mods[i];
    if (id < 'a' || id > 'c')
        return NULL;
    char path[PATH_MAX + 16], sym[32];
    snprintf(path, sizeof path, "%s/libch_%c.so", dir, id);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        exit(2);
    }
    struct module *m = &mods[nmods++];
    m->id = id;
    snprintf(sym, sizeof sym, "ch_%c_cmd", id);
    m->cmd = (int (*)(const char *, const char *(*)(void *)))dlsym(h, sym);
    snprintf(sym, sizeof sym, "ch_%c_name_of", id);
    m->name_of = (const char *(*)(void *))dlsym(h, sym);
    snprintf(sym, sizeof sym, "ch_%c_init", id);
    ((void (*)(struct ch_ctx *))dlsym(h, sym))(&ctx);
    return m;
}

static void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

static void wait_hits(sig_atomic_t before, long ms)
{
    for (long i = 0; i < ms && hits == before; i++)
        sleep_ms(1);
    if (hits == before)
        out("timeout\n");
}

static void print_status(int st)
{
    if (WIFEXITED(st)) {
        out("exit ");
        out_num(WEXITSTATUS(st));
    } else if (WIFSIGNALED(st)) {
        out("killed by ");
        out_sig(WTERMSIG(st));
    } else {
        out("status ");
        out_num(st);
    }
}

static void do_fault(const char *kind)
{
    if (!strcmp(kind, "segv")) {
        volatile int *p = (int *)16;
        __asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, %0\n\t"
                         "movl $1, (%1)\n1:\n" : "=m"(resume_pc) : "r"(p) : "rax", "memory");
    } else if (!strcmp(kind, "bus")) {
        int fd = memfd_create("bus", 0);
        if (fd < 0 || ftruncate(fd, 1) != 0)
            exit(2);
        char *map = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (map == MAP_FAILED)
            exit(2);
        __asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, %0\n\t"
                         "movl $1, (%1)\n1:\n" : "=m"(resume_pc) : "r"(map + 4096) : "rax", "memory");
    } else if (!strcmp(kind, "ill")) {
        __asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, %0\n\tud2\n1:\n"
                         : "=m"(resume_pc) : : "rax", "memory");
    } else if (!strcmp(kind, "fpe")) {
        __asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, %0\n\t"
                         "xor %%edx, %%edx\n\tmov $1, %%eax\n\txor %%ecx, %%ecx\n\t"
                         "idivl %%ecx\n1:\n" : "=m"(resume_pc) : : "rax", "rcx", "rdx", "memory");
    } else if (!strcmp(kind, "trap")) {
        __asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, %0\n\tint3\n1:\n"
                         : "=m"(resume_pc) : : "rax", "memory");
    } else {
        fprintf(stderr, "bad fault %s\n", kind);
        exit(2);
    }
    out("resumed\n");
}

static void print_kernel(int sig)
{
    struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; } k;
    if (syscall(SYS_rt_sigaction, sig, NULL, &k, 8) != 0) {
        out("kernel: error\n");
        return;
    }
    out("kernel ");
    out_sig(sig);
    out(": ");
    out(k.handler == (void *)SIG_DFL ? "DFL" : k.handler == (void *)SIG_IGN ? "IGN" : "handler");
    out(" flags=");
    C = &ctx;
    print_flags((int)k.flags & ~0x04000000);
    out("\n");
}

static void tty_setup(void)
{
    pid_t pid = fork();
    if (pid > 0) {
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        if (WIFSIGNALED(st)) {
            signal(WTERMSIG(st), SIG_DFL);
            raise(WTERMSIG(st));
        }
        _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 3);
    }
    if (setsid() < 0)
        exit(2);
    pty_master = posix_openpt(O_RDWR | O_NOCTTY);
    if (pty_master < 0 || grantpt(pty_master) || unlockpt(pty_master))
        exit(2);
    int slave = open(ptsname(pty_master), O_RDWR);   /* our controlling tty */
    if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) != 0)
        exit(2);
}

static void tty_send(int sig)
{
    if (sig == SIGWINCH) {
        struct winsize ws = { 40, 100, 0, 0 };
        ioctl(pty_master, TIOCSWINSZ, &ws);
        return;
    }
    char c = sig == SIGINT ? 3 : sig == SIGQUIT ? 28 : sig == SIGTSTP ? 26 : 0;
    if (write(pty_master, &c, 1) != 1)
        exit(2);
}

static void readpipe(int sig)
{
    int p[2];
    if (pipe(p) != 0)
        exit(2);
    pid_t w = fork();
    if (w == 0) {
        sleep_ms(300);
        if (write(p[1], "x", 1) != 1)
            _exit(1);
        _exit(0);
    }
    timer_t t;
    struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = sig };
    struct itimerspec its = { .it_value = { 0, 50 * 1000000L } };
    timer_create(CLOCK_MONOTONIC, &ev, &t);
    timer_settime(t, 0, &its, NULL);
    char c;
    ssize_t r = read(p[0], &c, 1);
    int e = errno;
    out("read: ");
    if (r < 0)
        out(e == EINTR ? "EINTR" : "error");
    else
        out_num(r);
    out("\n");
    timer_delete(t);
    waitpid(w, NULL, 0);
    close(p[0]);
    close(p[1]);
}

static void exec_cmd(const char *cmd)
{
    if (cmd[0] && cmd[1] == '.') {
        struct module *m = module(cmd[0]);
        int r = m ? m->cmd(cmd + 2, any_name_of) : -1;
        if (r < 0) {
            fprintf(stderr, "bad command: %s\n", cmd);
            exit(2);
        }
        if (r > 0) {
            out(cmd);
            out(": failed: ");
            out(strerror(errno));
            out("\n");
        }
        return;
    }
    const char *eq = strchr(cmd, '=');
    const char *arg = eq ? eq + 1 : "";
    size_t n = eq ? (size_t)(eq - cmd) : strlen(cmd);
#define IS(name) (n == strlen(name) && !strncmp(cmd, name, n))
    sig_atomic_t before = hits;
    if (IS("raise")) raise(sig_of(arg));
    else if (IS("kill")) kill(getpid(), sig_of(arg));
    else if (IS("tkill")) syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig_of(arg));
    else if (IS("queue")) sigqueue(getpid(), sig_of(arg), (union sigval){ .sival_int = 42 });
    else if (IS("timer")) {
        timer_t t;
        struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = sig_of(arg) };
        struct itimerspec its = { .it_value = { 0, 10 * 1000000L } };
        timer_create(CLOCK_MONOTONIC, &ev, &t);
        timer_settime(t, 0, &its, NULL);
        wait_hits(before, 2000);
        timer_delete(t);
    } else if (IS("itimer")) {
        struct itimerval it = { .it_value = { 0, 10000 } };
        setitimer(ITIMER_REAL, &it, NULL);
        wait_hits(before, 2000);
    } else if (IS("wait")) wait_hits(before, atol(arg));
    else if (IS("sleep")) sleep_ms(atol(arg));
    else if (IS("child")) {
        bool stop = !strcmp(arg, "stop");
        pid_t pid = fork();
        if (pid == 0) {
            if (stop) {
                raise(SIGSTOP);
                sleep_ms(50);   /* so CLD_CONTINUED and CLD_EXITED stay apart */
            }
            _exit(7);
        }
        if (stop) {
            sleep_ms(100);
            kill(pid, SIGCONT);
        }
        sleep_ms(100);
    } else if (IS("reap")) {
        for (;;) {
            int st;
            pid_t r = waitpid(-1, &st, 0);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                out(errno == ECHILD ? "reap: ECHILD\n" : "reap: error\n");
                break;
            }
            out("reaped: ");
            print_status(st);
            out("\n");
        }
    } else if (IS("fault")) do_fault(arg);
    else if (IS("readpipe")) readpipe(sig_of(arg));
    else if (IS("altstack")) {
        static char stack[64 * 1024];
        stack_t ss = { .ss_sp = stack, .ss_size = sizeof stack };
        sigaltstack(&ss, NULL);
    } else if (IS("kernel")) print_kernel(sig_of(arg));
    else if (IS("execkernel")) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            char a[48];
            snprintf(a, sizeof a, "kernel=%s", arg);
            execl("/proc/self/exe", "ch_run", a, (char *)NULL);
            _exit(127);
        }
        waitpid(pid, NULL, 0);
    } else if (IS("tty")) {
        if (eq) {
            tty_send(sig_of(arg));
            wait_hits(before, 2000);
        } else
            tty_setup();
    } else if (IS("block") || IS("unblock")) {
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, sig_of(arg));
        sigprocmask(IS("block") ? SIG_BLOCK : SIG_UNBLOCK, &s, NULL);
    } else if (IS("load")) {
        module(arg[0]);
    } else if (IS("print")) {
        out(arg);
        out("\n");
    } else {
        fprintf(stderr, "bad command: %s\n", cmd);
        exit(2);
    }
#undef IS
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    C = &ctx;
    mods[nmods++] = (struct module){ 'm', mod_cmd, mod_name_of };
    ssize_t len = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (len <= 0)
        return 2;
    dir[len] = 0;
    *strrchr(dir, '/') = 0;
    for (int i = 1; i < argc; i++)
        exec_cmd(argv[i]);
    out("end\n");
    return 0;
}
