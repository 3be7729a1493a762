/* Which process this is: the one that owns sigshim's table, or a vfork
 * child.  A vfork child borrows its parent's memory, table included, until
 * it execs or exits: whatever it changed there would change the parent's
 * handlers and queues. */
#ifndef SIGSHIM_PROCESS_H
#define SIGSHIM_PROCESS_H
#include <stdbool.h>

/* Records the owner: at start-up, and in a fork child (own memory). */
void process_adopt(void);

/* True in a vfork child.  On x86-64 sigshim's vfork() (shim/vfork.c)
 * marks the thread the child runs on, with the pid of the process whose
 * memory it is, so this costs a thread-local load, and a getpid only while
 * a mark is set.  Elsewhere it compares getpid with the owner every time,
 * and a child made without fork() or vfork() (raw clone, _Fork) is taken
 * for a vfork child. */
bool process_in_vfork_child(void);

/* The mark: how many vfork children deep this thread runs, and the pid of
 * the process whose memory this is (the one that called vfork at depth 0;
 * 0 if getpid was denied).  Set by sigshim's vfork() in one store before
 * the system call; the parent puts back what it was. */
struct process_vfork {
    int depth;
    int top_pid;
};
extern __thread struct process_vfork process_vfork;

/* For hot paths (every delivery): a vfork child that sigshim's vfork()
 * made.  A thread-local load while no mark is set; never true where vfork
 * is not tracked. */
static inline bool process_in_marked_vfork_child(void)
{
    return process_vfork.depth != 0 && process_in_vfork_child();
}
#endif
