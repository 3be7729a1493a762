# sigshim: hand-written Makefile. Honours CC, CFLAGS, LDFLAGS, PREFIX, DESTDIR, V=1.
CC      ?= cc
CFLAGS  ?= -O2
PREFIX  ?= /usr/local
BUILD   ?= build
SAN     ?=
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)

WARN    := -Wall -Wextra -Werror
BASE    := -std=c11 -D_GNU_SOURCE -fPIC -pthread -Iinclude -Icore $(SAN)
LIBFLAGS:= -fvisibility=hidden
# -z now: every libc call sigshim makes is bound at load, so none is bound
# lazily inside a handler, where the loader's resolver would take up to 3 KB
# of a small alternate stack (docs/design.md, "Stack").
LIBLDS  := -shared -Wl,--version-script=preload.map -Wl,-z,defs -Wl,-z,now \
           -Wl,-soname,libsigshim.so.0 $(SAN)

CORE_SRC := $(wildcard core/*.c)
SHIM_SRC := $(wildcard shim/*.c)
LIB_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(CORE_SRC) $(SHIM_SRC))
CORE_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(CORE_SRC))
LIB      := $(BUILD)/libsigshim.so

# Test programs: tests/progs/lib*.c become shared objects ("modules"),
# every other tests/progs/*.c an executable. Special link needs live in
# tests/progs/*.mk, included below.
PROG_SRC := $(wildcard tests/progs/*.c)
PROG_LIBS:= $(patsubst tests/progs/%.c,$(BUILD)/progs/%.so,$(filter tests/progs/lib%,$(PROG_SRC)))
PROG_EXES:= $(patsubst tests/progs/%.c,$(BUILD)/progs/%,$(filter-out tests/progs/lib%,$(PROG_SRC)))
PROG_CFLAGS := -O1 -g -Wall -Wextra -Wno-unused-parameter -D_GNU_SOURCE -Iinclude
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_EXES:= $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRC))
STRESS_EXES := $(patsubst tests/stress/%.c,$(BUILD)/stress/%,$(filter-out tests/stress/lib%,$(wildcard tests/stress/*.c)))
STRESS_LIBS := $(patsubst tests/stress/%.c,$(BUILD)/stress/%.so,$(filter tests/stress/lib%,$(wildcard tests/stress/*.c)))
BENCH_SRC:= $(wildcard bench/*.c)
BENCH_EXES:= $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

.PHONY: all lib progs musl-progs unit test demo bench asan tsan musl verify fuzz stress clean deps install uninstall
all: lib
lib: $(LIB)

$(BUILD)/obj/%.o: %.c $(wildcard core/*.h shim/*.h include/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE) $(LIBFLAGS) $(WARN) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ) preload.map
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(LIBLDS) -o $@ $(LIB_OBJ) -ldl -pthread

$(BUILD)/progs/lib%.so: tests/progs/lib%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(PROG_CFLAGS) -fPIC -shared -o $@ $< -pthread

$(BUILD)/progs/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(PROG_CFLAGS) -o $@ $< -pthread -ldl

-include $(wildcard tests/progs/*.mk demo/*.mk bench/*.mk install.mk)

# Unit tests link the core objects directly (no preload involved).
$(BUILD)/unit/%: tests/unit/%.c $(CORE_OBJ) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(BASE) $(WARN) $(CFLAGS) -g -o $@ $< $(CORE_OBJ) -pthread

$(BUILD)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -Wall -Wextra -D_GNU_SOURCE -Iinclude -o $@ $< -pthread -ldl

# Stress programs link every tests/stress/lib*.so as a separate module.
$(BUILD)/stress/lib%.so: tests/stress/lib%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(PROG_CFLAGS) -O2 -fPIC -shared -o $@ $< -pthread

$(BUILD)/stress/%: tests/stress/%.c $(STRESS_LIBS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(PROG_CFLAGS) -O2 -o $@ $< $(STRESS_LIBS) -Wl,-rpath,'$$ORIGIN' -pthread -ldl

progs: $(PROG_LIBS) $(PROG_EXES) $(STRESS_LIBS) $(STRESS_EXES)
# Programs that need glibc-only interfaces add themselves to GLIBC_ONLY
# (as $(BUILD)/progs/NAME) in their .mk file.
musl-progs: $(filter-out $(GLIBC_ONLY),$(PROG_LIBS) $(PROG_EXES)) $(STRESS_LIBS) $(STRESS_EXES)
unit: $(UNIT_EXES)

deps:
	$(Q)sh tests/install-deps.sh

test: deps
	$(Q)$(MAKE) --no-print-directory lib progs unit
	$(Q)$(MAKE) --no-print-directory asan tsan musl
	$(Q)$(MAKE) --no-print-directory verify
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=60
	$(Q)rm -f $(BUILD)/test-summary
	$(Q)SIGSHIM_ROOT=$(CURDIR) SIGSHIM_SUMMARY=$(BUILD)/test-summary sh tests/run-bats.sh tests/bats
	@echo "deferred suite again, against musl (build/musl):"
	$(Q)SIGSHIM_ROOT=$(CURDIR) SIGSHIM_SUMMARY=$(BUILD)/test-summary SIGSHIM_BUILD=$(CURDIR)/build/musl \
	    sh tests/run-bats.sh tests/bats/deferred.bats
	$(Q)awk '{ p += $$1; f += $$2 } END { printf "total: %d passed, %d failed\n", p, f }' $(BUILD)/test-summary

demo: lib progs
	$(Q)sh demo/run.sh $(BUILD)

bench: lib $(BENCH_EXES)
	$(Q)sh bench/run.sh $(BUILD)

asan:
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" lib unit

tsan:
	$(Q)$(MAKE) --no-print-directory BUILD=build/tsan CFLAGS="-O1 -g" SAN="-fsanitize=thread" unit

# The library and the test programs built against musl (musl-tools).
musl:
	$(Q)$(MAKE) --no-print-directory BUILD=build/musl CC=musl-gcc lib musl-progs

# The long stress run (a short one is part of `make test`).
STRESS_SECONDS ?= 60
stress: lib progs
	$(Q)for p in $(STRESS_EXES); do LD_PRELOAD=$(CURDIR)/$(LIB) $$p $(STRESS_SECONDS) || exit 1; done

# Promela models of the half-lock and the parker, checked by spin.
verify:
	$(Q)sh verify/run.sh $(BUILD)

clean:
	rm -rf build

# libFuzzer over every parser of outside input (clang, libclang-rt-14-dev).
FUZZ_SECONDS ?= 600
FUZZ_SRC := tests/fuzz/fuzz_options.c shim/options.c shim/signames.c shim/fmt.c
$(BUILD)/fuzz/fuzz_options: $(FUZZ_SRC) shim/options.def
	@mkdir -p $(dir $@)
	$(Q)clang -g -O1 -std=c11 -D_GNU_SOURCE -Iinclude -Icore -Ishim \
	    -fsanitize=fuzzer,address,undefined -o $@ $(FUZZ_SRC)

fuzz: $(BUILD)/fuzz/fuzz_options
	$(Q)mkdir -p $(BUILD)/fuzz/corpus && cp tests/fuzz/corpus/* $(BUILD)/fuzz/corpus/
	$(Q)$(BUILD)/fuzz/fuzz_options -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus >$(BUILD)/fuzz/log 2>&1; \
	    status=$$?; grep -E '^(Done|stat::number_of_executed_units)|ERROR|SUMMARY' $(BUILD)/fuzz/log; \
	    exit $$status
