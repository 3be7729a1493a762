# install.mk: `make install` and `make uninstall` (included by the Makefile).
# Honours PREFIX and DESTDIR, and the directories below, which may be set
# one by one.  uninstall removes exactly the files install creates; it
# leaves directories alone, since they may have existed before.
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
MANDIR       ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
INSTALL      ?= install

# The version has one home, the library's source (sigshim_version()).
SIGSHIM_VERSION := $(shell sed -n 's/^\#define SIGSHIM_VERSION "\(.*\)"$$/\1/p' shim/api.c)
SIGSHIM_REAL    := libsigshim.so.$(SIGSHIM_VERSION)
# sigshim(3) also answers `man sigshim_register` and the like.
SIGSHIM_MAN3    := sigshim_register sigshim_unregister sigshim_register_deferred \
                   sigshim_dropped sigshim_subscribe sigshim_wait sigshim_sub_fd \
                   sigshim_unsubscribe sigshim_version

I_LIB    := $(DESTDIR)$(LIBDIR)
I_MAN    := $(DESTDIR)$(MANDIR)
# Every file install creates (uninstall removes these, and only these).
SIGSHIM_INSTALLED := \
    $(I_LIB)/$(SIGSHIM_REAL) $(I_LIB)/libsigshim.so.0 $(I_LIB)/libsigshim.so \
    $(DESTDIR)$(INCLUDEDIR)/sigshim.h \
    $(DESTDIR)$(BINDIR)/sigshim \
    $(DESTDIR)$(PKGCONFIGDIR)/sigshim.pc \
    $(I_MAN)/man1/sigshim.1 $(I_MAN)/man3/sigshim.3 $(I_MAN)/man7/sigshim.7 \
    $(patsubst %,$(I_MAN)/man3/%.3,$(SIGSHIM_MAN3))

# Substituted into the installed command, man pages and sigshim.pc.
SIGSHIM_SUBST := -e "s|@PREFIX@|$(PREFIX)|g" -e "s|@LIBDIR@|$(LIBDIR)|g" \
                 -e "s|@INCLUDEDIR@|$(INCLUDEDIR)|g" -e "s|@VERSION@|$(SIGSHIM_VERSION)|g"
SIGSHIM_MANVER := -e '1s/^\(\.TH .*\) "sigshim" /\1 "sigshim $(SIGSHIM_VERSION)" /'

install: $(LIB) bin/sigshim include/sigshim.h sigshim.pc.in man/sigshim.1 man/sigshim.3 man/sigshim.7
	@test -n "$(SIGSHIM_VERSION)" || { echo "install.mk: no SIGSHIM_VERSION in shim/api.c" >&2; exit 1; }
	@$(if $(Q),echo "  INSTALL $(DESTDIR)$(PREFIX)")
	$(Q)$(INSTALL) -d "$(I_LIB)" "$(DESTDIR)$(INCLUDEDIR)" "$(DESTDIR)$(BINDIR)" \
	    "$(DESTDIR)$(PKGCONFIGDIR)" "$(I_MAN)/man1" "$(I_MAN)/man3" "$(I_MAN)/man7"
	$(Q)$(INSTALL) -m 755 $(LIB) "$(I_LIB)/$(SIGSHIM_REAL)"
	$(Q)ln -sf $(SIGSHIM_REAL) "$(I_LIB)/libsigshim.so.0"
	$(Q)ln -sf $(SIGSHIM_REAL) "$(I_LIB)/libsigshim.so"
	$(Q)$(INSTALL) -m 644 include/sigshim.h "$(DESTDIR)$(INCLUDEDIR)/sigshim.h"
	$(Q)sed $(SIGSHIM_SUBST) bin/sigshim >"$(DESTDIR)$(BINDIR)/sigshim"
	$(Q)chmod 755 "$(DESTDIR)$(BINDIR)/sigshim"
	$(Q)sed $(SIGSHIM_SUBST) sigshim.pc.in >"$(DESTDIR)$(PKGCONFIGDIR)/sigshim.pc"
	$(Q)chmod 644 "$(DESTDIR)$(PKGCONFIGDIR)/sigshim.pc"
	$(Q)for s in 1 3 7; do \
	    sed $(SIGSHIM_MANVER) man/sigshim.$$s >"$(I_MAN)/man$$s/sigshim.$$s" && \
	    chmod 644 "$(I_MAN)/man$$s/sigshim.$$s" || exit 1; \
	done
	$(Q)for f in $(SIGSHIM_MAN3); do \
	    echo '.so man3/sigshim.3' >"$(I_MAN)/man3/$$f.3" && \
	    chmod 644 "$(I_MAN)/man3/$$f.3" || exit 1; \
	done

uninstall:
	@$(if $(Q),echo "  UNINSTALL $(DESTDIR)$(PREFIX)")
	$(Q)rm -f $(foreach f,$(SIGSHIM_INSTALLED),"$(f)")
