/* vfork() and __vfork(), on x86-64: the same system call as libc's, with
 * the calling thread marked (process_vfork) while the child borrows it, so
 * that sigaction() and friends, and the dispatcher, can tell cheaply that
 * they run in a vfork child whose table is the parent's (core/process.h).
 * The mark, the depth and the pid of the process whose memory this is, is
 * set in one store before the system call: the child has it from its
 * first instruction (a signal pending for the process group reaches it at
 * once), and handlers that run in the parent meanwhile see their own pid
 * in it.  The pid is taken at depth 0 only, so a vfork child that vforks
 * again still knows it is one.  If getpid is denied (a seccomp filter
 * returning an error) the pid is 0, which no process has: every process
 * then counts as a vfork child while the mark is set, the safe side for
 * the table.  The parent, resumed, puts back the mark and its handler
 * state (dispatch_thread: the child runs on the same thread-local data and
 * may end inside a handler).  No signal is blocked: the parent stays
 * killable while it waits for the child, as with libc's vfork.  Elsewhere
 * libc's vfork stays.
 *
 * Assembly, because vfork cannot return through a C frame: the child runs
 * on the parent's stack and its own calls overwrite the slot a C wrapper's
 * return address would be in.  So, as libc does, what must survive the
 * system call lives in registers, which the child gets a copy of: r8 the
 * return address, r9 the mark as it was, rsi, rdx and rdi the three
 * words of the handler state as it was (addresses are loaded again after
 * the call, which takes rcx and r11).  With a shadow
 * stack in use, the child leaves through an indirect jump without popping
 * the shadow stack, which it shares with the parent (rdsspq reads 0 when
 * no shadow stack is active, or on CPUs without one). */
#include "dispatch.h"
#include "process.h"
#include <errno.h>
#include <stddef.h>

#ifdef __x86_64__
/* The layouts the assembly relies on: the mark is set in one 8-byte store,
 * the handler state saved as three 64-bit words. */
_Static_assert(offsetof(struct process_vfork, depth) == 0
               && offsetof(struct process_vfork, top_pid) == 4, "mark layout");
_Static_assert(offsetof(struct dispatch_thread, sig) == 0
               && offsetof(struct dispatch_thread, async) == 4
               && offsetof(struct dispatch_thread, user_fn) == 8
               && offsetof(struct dispatch_thread, handed_on) == 16
               && sizeof(struct dispatch_thread) == 24, "handler state layout");

/* A failed vfork: errno from the kernel's -errno, and -1. */
__attribute__((used)) long shim_vfork_failed(long ret)
{
    errno = (int)-ret;
    return -1;
}

__asm__(
    "    .text\n"
    "    .globl vfork\n"
    "    .type vfork, @function\n"
    "    .globl __vfork\n"
    "    .type __vfork, @function\n"
    "vfork:\n"
    "__vfork:\n"
    "    .cfi_startproc\n"
    "    endbr64\n"
    "    popq %r8\n"                        /* the return address */
    "    .cfi_adjust_cfa_offset -8\n"
    "    .cfi_register %rip, %r8\n"
    "    movq process_vfork@gottpoff(%rip), %r11\n"
    "    movq %fs:(%r11), %r9\n"             /* the mark as it was */
    "    movq dispatch_thread@gottpoff(%rip), %rax\n"
    "    movq %fs:(%rax), %rsi\n"            /* sig, async */
    "    movq %fs:8(%rax), %rdx\n"           /* user_fn */
    "    movq %fs:16(%rax), %rdi\n"          /* handed_on */
    "    movq %r9, %rcx\n"
    "    testl %r9d, %r9d\n"
    "    jnz 4f\n"                          /* nested: the pid stays */
    "    movl $39, %eax\n"                  /* SYS_getpid */
    "    syscall\n"
    "    testq %rax, %rax\n"
    "    jns 5f\n"
    "    xorl %eax, %eax\n"                 /* denied (seccomp): pid 0 */
    "5:\n"
    "    movq %rax, %rcx\n"
    "    shlq $32, %rcx\n"                  /* depth 0, this pid */
    "4:\n"
    "    incq %rcx\n"                       /* depth + 1 */
    "    movq process_vfork@gottpoff(%rip), %r11\n"
    "    movq %rcx, %fs:(%r11)\n"            /* one store: the child's mark */
    "    movl $58, %eax\n"                  /* SYS_vfork */
    "    syscall\n"
    "    testl %eax, %eax\n"
    "    jnz 1f\n"
    /* The child. */
    "    xorl %esi, %esi\n"
    "    rdsspq %rsi\n"
    "    testq %rsi, %rsi\n"
    "    jz 2f\n"
    "    jmp *%r8\n"                        /* shadow stack: leave it alone */
    "2:\n"
    "    .cfi_remember_state\n"
    "    pushq %r8\n"
    "    .cfi_adjust_cfa_offset 8\n"
    "    .cfi_rel_offset %rip, 0\n"
    "    ret\n"
    "    .cfi_restore_state\n"
    /* The parent, resumed (the child has exec'd or exited), or the call
     * failed: the mark and the handler state as they were. */
    "1:\n"
    "    movq process_vfork@gottpoff(%rip), %rcx\n"
    "    movq %r9, %fs:(%rcx)\n"
    "    movq dispatch_thread@gottpoff(%rip), %r11\n"
    "    movq %rsi, %fs:(%r11)\n"
    "    movq %rdx, %fs:8(%r11)\n"
    "    movq %rdi, %fs:16(%r11)\n"
    "    pushq %r8\n"
    "    .cfi_adjust_cfa_offset 8\n"
    "    .cfi_rel_offset %rip, 0\n"
    "    cmpq $-4095, %rax\n"
    "    jae 3f\n"
    "    ret\n"
    "3:\n"
    "    movq %rax, %rdi\n"
    "    jmp shim_vfork_failed\n"
    "    .cfi_endproc\n"
    "    .size vfork, .-vfork\n"
    "    .size __vfork, .-__vfork\n");
#endif
