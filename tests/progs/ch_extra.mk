# Chaining tests (tests/bats/chaining.bats, realprogs.bats).
# ch_api_linked: the API test linked with -lsigshim instead of preloaded.
# The library's soname is libsigshim.so.0, so the loader needs that name.
$(BUILD)/libsigshim.so.0: $(LIB)
	$(Q)ln -sf libsigshim.so $@

$(BUILD)/progs/ch_api_linked: tests/progs/ch_api.c $(BUILD)/libsigshim.so.0 include/sigshim.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(PROG_CFLAGS) -DLINKED -o $@ $< -L$(BUILD) -lsigshim \
	    -Wl,-rpath,$(abspath $(BUILD)) -pthread -ldl

progs: $(BUILD)/progs/ch_api_linked

# glibc-only interfaces (__sysv_signal, ssignal, x86_64 ucontext).
GLIBC_ONLY += $(BUILD)/progs/ch_run $(BUILD)/progs/libch_a.so \
    $(BUILD)/progs/libch_b.so $(BUILD)/progs/libch_c.so $(BUILD)/progs/ch_api

# The modules share their code through headers the pattern rules do not know.
$(BUILD)/progs/ch_run $(BUILD)/progs/libch_a.so $(BUILD)/progs/libch_b.so \
$(BUILD)/progs/libch_c.so: tests/progs/ch_mod.h tests/progs/ch_ctx.h
$(BUILD)/progs/ch_loaderlock: tests/progs/ch_ctx.h
