# demo/demo.mk: build rules for `make demo` (included by the Makefile).
# legacy_app links libcrashreport.so and libjobs.so (DT_NEEDED, rpath
# $ORIGIN), all three under $(BUILD)/demo/.
DEMO_DIR   := $(BUILD)/demo
DEMO_FLAGS := -O2 -g -Wall -Wextra -D_GNU_SOURCE
DEMO_LIBS  := $(DEMO_DIR)/libcrashreport.so $(DEMO_DIR)/libjobs.so

$(DEMO_DIR)/lib%.so: demo/lib%.c demo/demo.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(DEMO_FLAGS) -fPIC -shared -Wl,-soname,lib$*.so -o $@ $<

$(DEMO_DIR)/legacy_app: demo/legacy_app.c demo/demo.h $(DEMO_LIBS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(DEMO_FLAGS) -o $@ $< -L$(DEMO_DIR) -lcrashreport -ljobs -Wl,-rpath,'$$ORIGIN'

demo: $(DEMO_DIR)/legacy_app

# Build the demo without running it (the bats suite uses this).
.PHONY: demo-build
demo-build: lib $(DEMO_DIR)/legacy_app
