/* vfork() and __vfork(), on x86-64: the same system call as libc's, with
 * the calling thread marked (process_vfork_depth) while the child borrows
 * it, so that sigaction() and friends, and the dispatcher, can tell cheaply
 * that they run in a vfork child whose table is the parent's
 * (core/process.h).  The child raises the mark; the parent, resumed, puts
 * back the value it had before.  Elsewhere libc's vfork stays.
 *
 * Assembly, because vfork cannot return through a C frame: the child runs
 * on the parent's stack and its own calls overwrite the slot a C wrapper's
 * return address would be in.  So, as libc does, the return address and
 * the mark's old value are kept in registers (the child gets a copy of the
 * registers, not of the stack) and the return address is pushed back after
 * the system call.  With a shadow stack in use, the child leaves through an
 * indirect jump without popping the shadow stack, which it shares with the
 * parent (rdsspq reads 0 when no shadow stack is active, or on CPUs
 * without one). */
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
    "    popq %rdi\n"                       /* the return address */
    "    .cfi_adjust_cfa_offset -8\n"
    "    .cfi_register %rip, %rdi\n"
    "    movq process_vfork_depth@gottpoff(%rip), %r8\n"
    "    movl %fs:(%r8), %r9d\n"             /* the mark as it was */
    "    movl $58, %eax\n"                  /* SYS_vfork */
    "    syscall\n"
    "    testl %eax, %eax\n"
    "    jnz 1f\n"
    /* The child: one level deeper. */
    "    leal 1(%r9), %esi\n"
    "    movl %esi, %fs:(%r8)\n"
    "    xorl %esi, %esi\n"
    "    rdsspq %rsi\n"
    "    testq %rsi, %rsi\n"
    "    jz 2f\n"
    "    jmp *%rdi\n"                       /* shadow stack: leave it alone */
    "2:\n"
    "    pushq %rdi\n"
    "    .cfi_adjust_cfa_offset 8\n"
    "    .cfi_rel_offset %rip, 0\n"
    "    ret\n"
    /* The parent, resumed (the child has exec'd or exited), or the call
     * failed: the mark as it was. */
    "1:\n"
    "    .cfi_adjust_cfa_offset -8\n"
    "    .cfi_register %rip, %rdi\n"
    "    movl %r9d, %fs:(%r8)\n"
    "    pushq %rdi\n"
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
