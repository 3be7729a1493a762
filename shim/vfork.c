/* vfork() and __vfork(), on x86-64: the same system call as libc's, with
 * the calling thread marked (process_vfork_depth) while the child borrows
 * it, so that sigaction() and friends, and the dispatcher, can tell cheaply
 * that they run in a vfork child whose table is the parent's
 * (core/process.h).  The mark is raised before the system call, so the
 * child has it from its first instruction (a signal pending for the process
 * group reaches it at once); the parent, resumed, puts back the value it
 * had.  A handler that runs in the parent meanwhile sees the mark, but its
 * pid is the owner's.  No signal is blocked: the parent stays killable
 * while it waits for the child, as with libc's vfork.  Elsewhere libc's
 * vfork stays.
 *
 * Assembly, because vfork cannot return through a C frame: the child runs
 * on the parent's stack and its own calls overwrite the slot a C wrapper's
 * return address would be in.  So, as libc does, what must survive the
 * system call lives in registers, which the child gets a copy of (r8: the
 * return address, r9: the mark as it was, r10: the mark's address), and
 * the return address is pushed back after.  With a shadow stack in use,
 * the child leaves through an indirect jump without popping the shadow
 * stack, which it shares with the parent (rdsspq reads 0 when no shadow
 * stack is active, or on CPUs without one). */
#include "process.h"
#include <errno.h>

#ifdef __x86_64__
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
    "    movq process_vfork_depth@gottpoff(%rip), %r10\n"
    "    movl %fs:(%r10), %r9d\n"            /* the mark as it was */
    "    leal 1(%r9), %esi\n"
    "    movl %esi, %fs:(%r10)\n"            /* one deeper, for the child */
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
     * failed: the mark as it was. */
    "1:\n"
    "    movl %r9d, %fs:(%r10)\n"
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
