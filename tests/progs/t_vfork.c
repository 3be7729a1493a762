/* A vfork child that resets signals before exec, the old way of spawning:
 * the child borrows its parent's memory, so under sigshim its signal()
 * calls must change only the child, never the parent's handlers.
 *   t_vfork exec    the child resets USR1, ignores USR2, execs "t_vfork report"
 *   t_vfork exit    the child resets USR1 and USR2, then _exits
 *   t_vfork report  (the exec'd child) prints what it inherited
 * The parent then sends itself USR1 and USR2: its handlers must run.
 * Children that are not vfork children must not be taken for one:
 *   t_vfork resethand  a vfork child gets an SA_RESETHAND signal twice
 *   t_vfork longjmp    the parent leaves vfork() through a handler's
 *                      siglongjmp, then forks (raw fork system call)
 *   t_vfork threads    a raw fork while another thread is inside vfork()
 * In each, the child that gets the SA_RESETHAND signal twice must die of
 * the second one, as the kernel's one-shot handler would have it.
 *   t_vfork group   another process keeps signalling the process group
 *                   while the parent vforks: handlers that run in vfork
 *                   children (from their very first instruction) change
 *                   the child only
 *   t_vfork lookup  a vfork child is killed (SIGALRM) while sigshim looks
 *                   up a module it has not seen (30000 mappings make the
 *                   walk slow): the parent's signals must still be handled
 *   t_vfork term    SIGTERM kills a process waiting in vfork() for its
 *                   child at once, as the kernel's wait is killable
 * A vfork child's handlers see what the parent's do:
 *   t_vfork jvm       a HotSpot-like module (libfakejvm.so) chains to the
 *                     program's handler through JVM_get_signal_action
 *   t_vfork jvmspawn  that handler spawns with vfork, and the child ends in
 *                     a handler of its own: back in the parent, the
 *                     handler the JVM ran is still not run a second time
 *   t_vfork tailcall  a handler ending in a tail call to sigaction() gets
 *                     its own handler as oldact
 *   t_vfork rawparent the one-shot handler of a child made by a raw fork
 *                     system call (no fork handlers) runs while it waits in
 *                     vfork(): it is the parent there, and is reset
 *   t_vfork nested    a vfork child vforks; its own child signals it, and
 *                     its handler resets the signal: a change of its own,
 *                     not of the top process */
#include "t_common.h"
#include <stdbool.h>
#include <pthread.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

static volatile int ran1, ran2;
static void on_usr1(int sig) { (void)sig; ran1++; }
static void on_usr2(int sig) { (void)sig; ran2++; }

/* What the child saw, read by the parent once the child has gone. */
static volatile int saw_parent_handler, saw_default_after;

static const char *yes(int b) { return b ? "yes" : "no"; }

static void *action_of(int sig)
{
    struct sigaction now;
    sigaction(sig, NULL, &now);
    return (void *)now.sa_handler;
}

static void on_once(int sig) { (void)sig; t_say("one-shot handler ran\n"); }

/* How a child ended, as one line. */
static void say_end(const char *who, pid_t pid)
{
    int st;
    if (waitpid(pid, &st, 0) != pid)
        printf("%s: not waited for\n", who);
    else if (WIFSIGNALED(st))
        printf("%s: killed by signal %s\n", who, WTERMSIG(st) == SIGUSR1 ? "USR1" : "other");
    else
        printf("%s: exit %d\n", who, WEXITSTATUS(st));
}

/* Not raise(): musl's targets the thread id it cached, which in a child
 * made without fork() is still the parent's. */
static void kill_self_twice(void)
{
    pid_t self = (pid_t)syscall(SYS_getpid);
    kill(self, SIGUSR1);
    kill(self, SIGUSR1);
}

/* A child of its own memory made without fork() (no fork handlers). */
static void raw_fork_resethand(const char *who)
{
    pid_t pid = (pid_t)syscall(SYS_fork);
    if (pid == 0) {
        kill_self_twice();
        _exit(0);
    }
    say_end(who, pid);
}

static sigjmp_buf out_of_vfork;
static void on_usr2_jump(int sig) { (void)sig; siglongjmp(out_of_vfork, 1); }

static void *vfork_slowly(void *arg)
{
    (void)arg;
    pid_t pid = vfork();
    if (pid == 0) {
        usleep(300 * 1000);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return NULL;
}

static pid_t parent_pid;
static volatile int ran_in_child;
static void on_group(int sig)
{
    (void)sig;
    if ((pid_t)syscall(SYS_getpid) != parent_pid) {     /* a vfork child */
        ran_in_child++;
        signal(SIGUSR2, SIG_IGN);       /* the child's own business */
    }
}

static int group_signals(void)
{
    setpgid(0, 0);                      /* a group of our own to signal */
    parent_pid = getpid();
    signal(SIGUSR1, on_group);
    signal(SIGUSR2, on_usr2);
    pid_t sender = fork();
    if (sender == 0) {
        signal(SIGUSR1, SIG_IGN);
        for (;;) {
            kill(0, SIGUSR1);
            usleep(20);
        }
    }
    bool kept = true;
    for (int i = 0; i < 20000 && kept && ran_in_child < 20; i++) {
        pid_t pid = vfork();
        if (pid == 0)
            _exit(0);
        waitpid(pid, NULL, 0);
        kept = action_of(SIGUSR2) == (void *)on_usr2;
    }
    kill(sender, SIGKILL);
    waitpid(sender, NULL, 0);
    printf("handlers ran in vfork children=%s, parent's USR2 handler kept=%s\n",
           yes(ran_in_child > 0), yes(kept));
    return 0;
}

static int killed_in_lookup(void)
{
    signal(SIGUSR1, on_usr1);
    void (*lib_query)(int) =
        (void (*)(int))t_next_to_me("libaltstack_call.so", "lib_query_action");
    for (int i = 0; i < 30000; i++)
        mmap(NULL, 4096, i & 1 ? PROT_READ : PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pid_t pid = vfork();
    if (pid == 0) {
        struct itimerval soon = { { 0, 0 }, { 0, 2000 } };
        setitimer(ITIMER_REAL, &soon, NULL);
        lib_query(SIGUSR1);             /* its first sigaction() */
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    fprintf(stderr, "child: %s\n", WIFSIGNALED(st) ? "killed in the lookup" : "done in time");
    raise(SIGUSR1);
    raise(SIGUSR1);
    printf("parent: USR1 handler ran %d times\n", ran1);
    return 0;
}

static int killable_wait(void)
{
    signal(SIGUSR1, on_usr1);
    pid_t waiter = fork();
    if (waiter == 0) {
        pid_t pid = vfork();
        if (pid == 0) {
            usleep(2000 * 1000);
            _exit(0);
        }
        waitpid(pid, NULL, 0);
        _exit(0);
    }
    long start = t_now_us();
    usleep(200 * 1000);
    kill(waiter, SIGTERM);
    int st;
    waitpid(waiter, &st, 0);
    printf("waiting in vfork(): killed by SIGTERM=%s, within a second=%s\n",
           yes(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM), yes(t_now_us() - start < 1000000));
    return 0;
}

static void kill_self(int sig)
{
    syscall(SYS_kill, syscall(SYS_getpid), sig);
}

static volatile int native_runs;
static void on_native(int sig) { (void)sig; native_runs++; }

static int jvm_chaining(void)
{
    signal(SIGPIPE, on_native);
    void (*start)(int) = (void (*)(int))t_next_to_me("libfakejvm.so", "fakejvm_start");
    start(SIGPIPE);
    kill_self(SIGPIPE);
    printf("parent: the program's handler ran %d time(s)\n", native_runs);
    native_runs = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        kill_self(SIGPIPE);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("vfork child: the program's handler ran %d time(s)\n", native_runs);
    return 0;
}

static void on_usr2_exit(int sig) { (void)sig; _exit(0); }

static void on_spawner(int sig)
{
    (void)sig;
    native_runs++;
    pid_t pid = vfork();
    if (pid == 0) {
        kill_self(SIGUSR2);     /* its handler ends the child */
        _exit(1);
    }
    waitpid(pid, NULL, 0);
}

static int jvm_spawn(void)
{
    void (*start)(int) = (void (*)(int))t_next_to_me("libfakejvm.so", "fakejvm_start");
    start(SIGUSR1);
    signal(SIGUSR2, on_usr2_exit);
    signal(SIGUSR1, on_spawner);
    kill_self(SIGUSR1);
    printf("the program's handler ran %d time(s) for one SIGUSR1\n", native_runs);
    return 0;
}

static struct sigaction tail_new, tail_old;
/* Ends in a tail call: sigaction's return address is sigshim's. */
__attribute__((noinline, optimize("optimize-sibling-calls")))
static void on_tail(int sig) { sigaction(sig, &tail_new, &tail_old); }

static const char *tail_old_name(void)
{
    return tail_old.sa_handler == on_tail ? "its own handler"
        : tail_old.sa_handler == SIG_DFL ? "SIG_DFL" : "another";
}

static int tail_call(void)
{
    t_install(SIGUSR1, (void *)on_tail, 0, NULL);
    tail_new.sa_handler = on_usr2;
    pid_t pid = vfork();
    if (pid == 0) {
        kill_self(SIGUSR1);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("vfork child: oldact in the handler = %s\n", tail_old_name());
    memset(&tail_old, 0, sizeof tail_old);
    t_install(SIGUSR1, (void *)on_tail, 0, NULL);
    kill_self(SIGUSR1);
    printf("parent: oldact in the handler = %s\n", tail_old_name());
    return 0;
}

static int raw_parent(void)
{
    pid_t raw = (pid_t)syscall(SYS_fork);
    if (raw == 0) {
        t_install(SIGUSR1, (void *)on_once, SA_RESETHAND, NULL);
        pid_t me = (pid_t)syscall(SYS_getpid);
        pid_t pid = vfork();
        if (pid == 0) {
            syscall(SYS_kill, me, SIGUSR1);    /* runs as the parent resumes */
            _exit(0);
        }
        waitpid(pid, NULL, 0);
        printf("raw fork child: one-shot handler now %s\n",
               action_of(SIGUSR1) == (void *)SIG_DFL ? "reset" : "still installed");
        t_install(SIGUSR1, (void *)on_once, 0, NULL);
        kill_self(SIGUSR1);
        _exit(0);
    }
    say_end("raw fork child", raw);
    return 0;
}

static int resethand_in_child(void)
{
    t_install(SIGUSR1, (void *)on_once, SA_RESETHAND, NULL);
    pid_t pid = vfork();
    if (pid == 0) {
        kill_self_twice();
        _exit(0);
    }
    say_end("vfork child", pid);
    raise(SIGUSR1);         /* the parent's one shot is still there */
    return 0;
}

static int raw_fork_after_longjmp(void)
{
    t_install(SIGUSR1, (void *)on_once, SA_RESETHAND, NULL);
    signal(SIGUSR2, on_usr2_jump);
    if (sigsetjmp(out_of_vfork, 1) == 0) {
        pid_t pid = vfork();
        if (pid == 0) {
            kill(getppid(), SIGUSR2);
            _exit(0);
        }
        printf("vfork returned\n");    /* SIGUSR2 came too late */
    }
    wait(NULL);
    raw_fork_resethand("raw fork child");
    return 0;
}

static int raw_fork_during_vfork(void)
{
    t_install(SIGUSR1, (void *)on_once, SA_RESETHAND, NULL);
    pthread_t t;
    pthread_create(&t, NULL, vfork_slowly, NULL);
    usleep(100 * 1000);
    raw_fork_resethand("raw fork child");
    pthread_join(t, NULL);
    return 0;
}

static int print_inherited(void)
{
    printf("exec'd child: USR2 ignored=%s USR1 default=%s\n",
           yes(action_of(SIGUSR2) == (void *)SIG_IGN),
           yes(action_of(SIGUSR1) == (void *)SIG_DFL));
    return 0;
}

/* The child resets USR1 and USR2 (ignores USR2 if it execs), then execs
 * "t_vfork report" or _exits. */
static int reset_in_child(bool exec_it)
{
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, on_usr2);

    pid_t pid = vfork();
    if (pid == 0) {
        /* Only what a vfork child may do: signal(), sigaction(), exec. */
        saw_parent_handler = signal(SIGUSR1, SIG_DFL) == on_usr1;
        saw_default_after = action_of(SIGUSR1) == (void *)SIG_DFL;
        signal(SIGUSR2, exec_it ? SIG_IGN : SIG_DFL);
        if (exec_it)
            execl("/proc/self/exe", "t_vfork", "report", (char *)NULL);
        _exit(exec_it ? 127 : 0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return 3;
    printf("child: exit %d, saw the parent's USR1 handler=%s, then USR1 default=%s\n",
           WIFEXITED(status) ? WEXITSTATUS(status) : -1,
           yes(saw_parent_handler), yes(saw_default_after));
    raise(SIGUSR1);
    raise(SIGUSR2);
    printf("parent: USR1 handler ran %d, USR2 handler ran %d, still installed=%s\n",
           ran1, ran2, yes(action_of(SIGUSR1) == (void *)on_usr1
                            && action_of(SIGUSR2) == (void *)on_usr2));
    return 0;
}

static pid_t top_pid;
static void on_nested(int sig)
{
    if ((pid_t)syscall(SYS_getpid) == top_pid)
        ran1++;
    else
        signal(sig, SIG_DFL);           /* the vfork child's own reset */
}

static int nested_vfork(void)
{
    top_pid = (pid_t)syscall(SYS_getpid);
    signal(SIGUSR1, on_nested);
    pid_t c1 = vfork();
    if (c1 == 0) {
        pid_t me = (pid_t)syscall(SYS_getpid);
        pid_t c2 = vfork();
        if (c2 == 0) {
            syscall(SYS_kill, me, SIGUSR1);   /* runs as c1 resumes */
            _exit(0);
        }
        _exit(0);
    }
    waitpid(c1, NULL, 0);
    kill_self(SIGUSR1);
    printf("top process: handler ran %d, still installed=%s\n", ran1,
           yes(action_of(SIGUSR1) == (void *)on_nested));
    return 0;
}

static int reset_then_exec(void) { return reset_in_child(true); }
static int reset_then_exit(void) { return reset_in_child(false); }

int main(int argc, char **argv)
{
    static const struct { const char *name; int (*run)(void); } modes[] = {
        { "exec", reset_then_exec }, { "exit", reset_then_exit },
        { "report", print_inherited }, { "resethand", resethand_in_child },
        { "longjmp", raw_fork_after_longjmp }, { "threads", raw_fork_during_vfork },
        { "group", group_signals }, { "lookup", killed_in_lookup },
        { "term", killable_wait }, { "jvm", jvm_chaining }, { "jvmspawn", jvm_spawn },
        { "tailcall", tail_call }, { "rawparent", raw_parent },
        { "nested", nested_vfork },
    };
    t_init(5);
    for (size_t i = 0; argc == 2 && i < sizeof modes / sizeof modes[0]; i++)
        if (!strcmp(argv[1], modes[i].name))
            return modes[i].run();
    fprintf(stderr, "usage: t_vfork MODE (see the top of t_vfork.c)\n");
    return 2;
}
