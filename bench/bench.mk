# bench/bench.mk: extra build rules for `make bench` (included by the Makefile).
# The eight modules of the chaining figure: one source, -DMOD=1..8, each its
# own shared object next to the bench programs (they dlopen them from there).
BENCH_MODS := $(foreach n,1 2 3 4 5 6 7 8,$(BUILD)/bench/libmod$(n).so)

$(BUILD)/bench/libmod%.so: bench/mods/libmod.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -Wall -Wextra -D_GNU_SOURCE -fPIC -shared -DMOD=$* -o $@ $<

bench: $(BENCH_MODS)

# Build everything `make bench` runs, without running it (the bats suite
# uses this, then runs bench/run.sh with BENCH_QUICK=1).
.PHONY: bench-build
bench-build: lib $(BENCH_EXES) $(BENCH_MODS)
