/* vfork() and __vfork(), on x86-64: the same system call as libc's, with
 * the calling thread marked (process_vfork_depth) while the child borrows
 * it, so that sigaction() and friends, and the dispatcher, can tell cheaply
 * that they run in a vfork child whose table is the parent's
 * (core/process.h).  The child raises the mark; the parent, resumed, puts
 * back the value it had before.  Every signal stays blocked from before the
 * system call until the mark is right (a signal pending for the process
 * group would otherwise reach the child before its mark, and its handlers
 * would take the parent's table for the child's); then each side gets its
 * mask back.  Elsewhere libc's vfork stays.
 *
 * Assembly, because vfork cannot return through a C frame: the child runs
 * on the parent's stack and its own calls overwrite the slot a C wrapper's
 * return address would be in.  So, as libc does, what must survive the
 * system call lives in registers, which the child gets a copy of (r8: the
 * return address, r9: the mark as it was, r10: the mark's address, rdx:
 * the signal mask as it was), and the return address is pushed back after.
 * The red zone below the stack pointer holds the masks for the kernel.
 * With a shadow stack in use, the child leaves through an indirect jump
 * without popping the shadow stack, which it shares with the parent
 * (rdsspq reads 0 when no shadow stack is active, or on CPUs without one). */
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
    /* rt_sigprocmask(SIG_SETMASK, all, &old, 8) */
    "    movq $-1, -8(%rsp)\n"
    "    leaq -8(%rsp), %rsi\n"
    "    leaq -16(%rsp), %rdx\n"
    "    movl $2, %edi\n"
    "    movl $8, %r10d\n"
    "    movl $14, %eax\n"
    "    syscall\n"
    "    movq -16(%rsp), %rdx\n"            /* the mask as it was */
    "    movq process_vfork_depth@gottpoff(%rip), %r10\n"
    "    movl %fs:(%r10), %r9d\n"            /* the mark as it was */
    "    movl $58, %eax\n"                  /* SYS_vfork */
    "    syscall\n"
    /* The child: one level deeper; the parent, resumed (the child has
     * exec'd or exited) or failed: as it was. */
    "    leal 1(%r9), %esi\n"
    "    testl %eax, %eax\n"
    "    cmovnz %r9d, %esi\n"
    "    movl %esi, %fs:(%r10)\n"
    "    movq %rax, %r9\n"                  /* vfork's result */
    /* rt_sigprocmask(SIG_SETMASK, &old, NULL, 8) */
    "    movq %rdx, -8(%rsp)\n"
    "    leaq -8(%rsp), %rsi\n"
    "    xorl %edx, %edx\n"
    "    movl $2, %edi\n"
    "    movl $8, %r10d\n"
    "    movl $14, %eax\n"
    "    syscall\n"
    "    movq %r9, %rax\n"
    "    testq %rax, %rax\n"
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
    /* The parent. */
    "1:\n"
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
