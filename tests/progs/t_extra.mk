# Test programs with special build needs (included by the Makefile).

# t_c99signal: strict C99 + POSIX, so that signal() becomes __sysv_signal.
$(BUILD)/progs/t_c99signal: tests/progs/t_c99signal.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -O1 -g -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -o $@ $<

# t_re_ctor: libt_ctor.so as DT_NEEDED, so its constructor runs before
# sigshim's.
$(BUILD)/progs/t_re_ctor: tests/progs/t_re_ctor.c $(BUILD)/progs/libt_ctor.so
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(PROG_CFLAGS) -o $@ $< -L$(BUILD)/progs -lt_ctor \
	    -Wl,-rpath,'$$ORIGIN' -Wl,--no-as-needed -pthread -ldl

progs: $(BUILD)/progs/t_c99signal $(BUILD)/progs/t_re_ctor
GLIBC_ONLY += $(BUILD)/progs/t_c99signal $(BUILD)/progs/t_ep_sysv \
    $(BUILD)/progs/t_ep_signal $(BUILD)/progs/t_ep_sigvec \
    $(BUILD)/progs/t_ep_sigaction2 $(BUILD)/progs/t_restart \
    $(BUILD)/progs/t_vfork_seccomp

# Every t_ program includes t_common.h.
$(filter $(BUILD)/progs/t_%,$(PROG_EXES)) $(BUILD)/progs/t_re_ctor: tests/progs/t_common.h

# decline_raise links the reporter module (installed second) as DT_NEEDED.
$(BUILD)/progs/decline_raise: tests/progs/decline_raise.c $(BUILD)/progs/libdecline_reporter.so
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(PROG_CFLAGS) -o $@ $< -L$(BUILD)/progs -ldecline_reporter \
	    -Wl,-rpath,'$$ORIGIN' -pthread
