# Deferred delivery (tests/bats/deferred.bats): tests/progs/d_*.c and
# examples/*.c use the sigshim_* API, so they link the library itself
# (soname libsigshim.so.0: the symlink rule is in ch_extra.mk).
$(BUILD)/progs/d_%: tests/progs/d_%.c $(BUILD)/libsigshim.so.0 include/sigshim.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(PROG_CFLAGS) -o $@ $< -L$(BUILD) -lsigshim \
	    -Wl,-rpath,$(abspath $(BUILD)) -pthread

# examples/uv_*.c also need libuv: built when pkg-config finds it, for
# glibc only (Debian has no musl libuv).
UV_EXAMPLES := $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/uv_*.c))
EXAMPLES := $(filter-out $(UV_EXAMPLES),$(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c)))
UV_LIBS := $(shell pkg-config --libs libuv 2>/dev/null)
$(BUILD)/examples/%: examples/%.c $(BUILD)/libsigshim.so.0 include/sigshim.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(PROG_CFLAGS) -o $@ $< -L$(BUILD) -lsigshim \
	    -Wl,-rpath,$(abspath $(BUILD)) -pthread \
	    $(if $(filter $@,$(UV_EXAMPLES)),$(shell pkg-config --cflags libuv) $(UV_LIBS))

progs: $(EXAMPLES) $(if $(UV_LIBS),$(UV_EXAMPLES))
musl-progs: $(EXAMPLES)
