/* Which process this is: the one that owns sigshim's table, or a vfork
 * child.  A vfork child (vfork(), or clone with CLONE_VM and no fork
 * handlers) borrows its parent's memory, table included, until it execs or
 * exits: whatever it changed there would change the parent's handlers. */
#ifndef SIGSHIM_PROCESS_H
#define SIGSHIM_PROCESS_H
#include <stdbool.h>

/* Records the owner: at start-up, and in a fork child (own memory). */
void process_adopt(void);

/* True in a vfork child of the owner.  Costs nothing while no vfork is in
 * flight where vfork() is tracked (x86-64, shim/vfork.c); elsewhere, and
 * while one is, a getpid system call. */
bool process_in_vfork_child(void);

/* Tracked vfork() calls not yet returned to the parent (shim/vfork.c). */
extern _Atomic int process_vforks;
#endif
