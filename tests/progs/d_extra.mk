# Deferred delivery (tests/bats/deferred.bats): tests/progs/d_*.c and
# examples/*.c use the sigshim_* API, so they link the library itself
# (soname libsigshim.so.0: the symlink rule is in ch_extra.mk).
$(BUILD)/progs/d_%: tests/progs/d_%.c $(BUILD)/libsigshim.so.0 include/sigshim.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(PROG_CFLAGS) -o $@ $< -L$(BUILD) -lsigshim \
	    -Wl,-rpath,$(abspath $(BUILD)) -pthread

EXAMPLES := $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c))
$(BUILD)/examples/%: examples/%.c $(BUILD)/libsigshim.so.0 include/sigshim.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(PROG_CFLAGS) -o $@ $< -L$(BUILD) -lsigshim \
	    -Wl,-rpath,$(abspath $(BUILD)) -pthread

progs: $(EXAMPLES)
musl-progs: $(EXAMPLES)
