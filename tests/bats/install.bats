#!/usr/bin/env bats
# make install / make uninstall (install.mk): the installed files, PREFIX,
# DESTDIR and the directory variables, a program built with pkg-config
# against the installed copy, the installed command and man pages, and an
# uninstall that removes exactly what install created.
load common
bats_require_minimum_version 1.5.0

VERSION=$(sed -n 's/^#define SIGSHIM_VERSION "\(.*\)"$/\1/p' "$ROOT/shim/api.c")

setup() {
    [ -n "$VERSION" ] || fail "no SIGSHIM_VERSION in shim/api.c"
    DEST="$BATS_TEST_TMPDIR/dest"
    mkdir -p "$DEST"
}

# make_in TARGET VAR=VALUE...: make -C $ROOT with our build directory.
make_in() {
    make -C "$ROOT" --no-print-directory BUILD="$BUILD" "$@"
}

# The files (and symbolic links) install creates under PREFIX=/usr.
expected_files() {
    local f
    {
        printf '%s\n' usr/bin/sigshim usr/include/sigshim.h \
            usr/lib/libsigshim.so "usr/lib/libsigshim.so.$VERSION" usr/lib/libsigshim.so.0 \
            usr/lib/pkgconfig/sigshim.pc usr/share/man/man1/sigshim.1 \
            usr/share/man/man3/sigshim.3 usr/share/man/man7/sigshim.7
        for f in sigshim_register sigshim_unregister sigshim_register_deferred \
                 sigshim_dropped sigshim_subscribe sigshim_wait sigshim_sub_fd \
                 sigshim_unsubscribe sigshim_version; do
            echo "usr/share/man/man3/$f.3"
        done
    } | sort
}

installed_files() {     # installed_files DIR: everything but directories
    (cd "$1" && find . ! -type d | sed 's|^\./||' | sort)
}

@test "make install DESTDIR=... PREFIX=/usr installs exactly the library, header, command, pkg-config file and man pages" {
    run make_in install DESTDIR="$DEST" PREFIX=/usr
    assert_success
    diff <(expected_files) <(installed_files "$DEST")
    # The real file and its two links.
    [ -f "$DEST/usr/lib/libsigshim.so.$VERSION" ] && [ ! -L "$DEST/usr/lib/libsigshim.so.$VERSION" ]
    [ "$(readlink "$DEST/usr/lib/libsigshim.so.0")" = "libsigshim.so.$VERSION" ]
    [ "$(readlink "$DEST/usr/lib/libsigshim.so")" = "libsigshim.so.$VERSION" ]
    cmp "$LIB" "$DEST/usr/lib/libsigshim.so.$VERSION"
    run bash -c "readelf -d '$DEST/usr/lib/libsigshim.so.$VERSION' | grep SONAME"
    assert_output --partial "[libsigshim.so.0]"
    cmp "$ROOT/include/sigshim.h" "$DEST/usr/include/sigshim.h"
    # Modes.
    [ "$(stat -c %a "$DEST/usr/lib/libsigshim.so.$VERSION")" = 755 ]
    [ "$(stat -c %a "$DEST/usr/bin/sigshim")" = 755 ]
    local f
    for f in usr/include/sigshim.h usr/lib/pkgconfig/sigshim.pc usr/share/man/man1/sigshim.1 \
             usr/share/man/man3/sigshim.3 usr/share/man/man3/sigshim_wait.3 usr/share/man/man7/sigshim.7; do
        [ "$(stat -c %a "$DEST/$f")" = 644 ] || fail "$f: mode $(stat -c %a "$DEST/$f")"
    done
}

@test "the installed sigshim.pc builds and links a program against the installed copy" {
    command -v pkg-config >/dev/null || fail "pkg-config is missing (tests/install-deps.sh installs it)"
    run make_in install DESTDIR="$DEST" PREFIX=/usr
    assert_success
    export PKG_CONFIG_PATH="$DEST/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$DEST"
    run pkg-config --modversion sigshim
    assert_output "$VERSION"
    local flags
    flags=$(pkg-config --cflags --libs sigshim)
    [[ "$flags" == *"-I$DEST/usr/include"* ]]
    [[ "$flags" == *"-L$DEST/usr/lib"* ]]
    [[ "$flags" == *"-lsigshim"* ]]
    cat >"$BATS_TEST_TMPDIR/app.c" <<'EOF'
#include <sigshim.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t seen;

static bool on_usr1(int signo, siginfo_t *info, void *uc, void *arg)
{
    (void)info; (void)uc; (void)arg;
    seen = signo;
    return true;
}

int main(void)
{
    printf("version %s\n", sigshim_version());
    long id = sigshim_register(SIGUSR1, on_usr1, NULL, 0);
    if (id <= 0)
        return 1;
    raise(SIGUSR1);
    printf("%s\n", seen == SIGUSR1 ? "handled SIGUSR1" : "not handled");
    return sigshim_unregister(id);
}
EOF
    # shellcheck disable=SC2086
    cc -O1 -Wall -Wextra -Werror -o "$BATS_TEST_TMPDIR/app" "$BATS_TEST_TMPDIR/app.c" $flags
    # Linked by soname, found in the installed directory.
    run bash -c "readelf -d '$BATS_TEST_TMPDIR/app' | grep NEEDED"
    assert_output --partial "[libsigshim.so.0]"
    run env LD_LIBRARY_PATH="$DEST/usr/lib" "$BATS_TEST_TMPDIR/app"
    assert_success
    assert_output "version $VERSION
handled SIGUSR1"
}

@test "the installed command finds the installed library and knows its version" {
    run make_in install DESTDIR="$DEST" PREFIX=/usr
    assert_success
    ! grep -n '@[A-Z]*@' "$DEST/usr/bin/sigshim"
    run "$DEST/usr/bin/sigshim" --version
    assert_success
    assert_output "sigshim $VERSION"
    run env -u LD_PRELOAD "$DEST/usr/bin/sigshim" run -- "$PROGS/cli_probe" env LD_PRELOAD loaded exit 3
    [ "$status" -eq 3 ]
    assert_output "LD_PRELOAD=$(readlink -f "$DEST/usr/lib")/libsigshim.so.0
sigshim $VERSION"
}

@test "an installed command that is moved or linked elsewhere still finds the library of its prefix" {
    local prefix="$BATS_TEST_TMPDIR/prefix"
    run make_in install PREFIX="$prefix"
    assert_success
    # A symbolic link to the command, from another directory.
    mkdir -p "$BATS_TEST_TMPDIR/links"
    ln -s "$prefix/bin/sigshim" "$BATS_TEST_TMPDIR/links/sigshim"
    run env -u LD_PRELOAD "$BATS_TEST_TMPDIR/links/sigshim" run -- "$PROGS/cli_probe" env LD_PRELOAD
    assert_output "LD_PRELOAD=$(readlink -f "$prefix/lib")/libsigshim.so.0"
    # A copy: found through the library directory it was installed with.
    mkdir -p "$BATS_TEST_TMPDIR/copy"
    cp "$prefix/bin/sigshim" "$BATS_TEST_TMPDIR/copy/sigshim"
    run env -u LD_PRELOAD "$BATS_TEST_TMPDIR/copy/sigshim" run -- "$PROGS/cli_probe" env LD_PRELOAD
    assert_output "LD_PRELOAD=$prefix/lib/libsigshim.so.0"
    run make_in uninstall PREFIX="$prefix"
    assert_success
    [ -z "$(find "$prefix" ! -type d)" ]
}

@test "the installed man pages render without warnings, carry the version, and man finds sigshim_register(3)" {
    run make_in install DESTDIR="$DEST" PREFIX=/usr
    assert_success
    local man="$DEST/usr/share/man" page
    for page in man1/sigshim.1 man3/sigshim.3 man7/sigshim.7; do
        run bash -c 'MANWIDTH=80 man -l "$1" 2>&1 >/dev/null' x "$man/$page"
        [ -z "$output" ] || fail "$page: $output"
        head -1 "$man/$page" | grep -q "\"sigshim $VERSION\"" || fail "$page: no version in .TH"
    done
    run env LC_ALL=C MANWIDTH=80 man -M "$man" 3 sigshim_register
    assert_success
    assert_line --regexp "^ +sigshim_register, +sigshim_unregister,"
    run env LC_ALL=C MANWIDTH=80 man -M "$man" 7 sigshim
    assert_line "ENVIRONMENT"
}

@test "make uninstall removes exactly what install created, and nothing else" {
    # Files of other packages in the same directories.
    local other
    for other in usr/bin/other usr/include/other.h usr/lib/libother.so.1 \
                 usr/lib/pkgconfig/other.pc usr/share/man/man1/other.1 \
                 usr/share/man/man3/other.3 usr/share/man/man7/other.7; do
        mkdir -p "$DEST/$(dirname "$other")"
        echo "$other" >"$DEST/$other"
    done
    local before
    before=$(installed_files "$DEST")
    run make_in install DESTDIR="$DEST" PREFIX=/usr
    assert_success
    run make_in uninstall DESTDIR="$DEST" PREFIX=/usr
    assert_success
    diff <(echo "$before") <(installed_files "$DEST")
    for other in $before; do
        [ "$(cat "$DEST/$other")" = "$other" ]
    done
}

@test "install then uninstall into an empty DESTDIR leaves no file behind" {
    run make_in install DESTDIR="$DEST" PREFIX=/usr
    assert_success
    run make_in uninstall DESTDIR="$DEST" PREFIX=/usr
    assert_success
    run find "$DEST" -type f
    assert_output ""
    run find "$DEST" ! -type d
    assert_output ""
}

@test "install honours PREFIX and the directory variables, and can be repeated" {
    run make_in install DESTDIR="$DEST" PREFIX=/opt/sigshim
    assert_success
    run make_in install DESTDIR="$DEST" PREFIX=/opt/sigshim
    assert_success
    diff <(expected_files | sed 's|^usr/|opt/sigshim/|') <(installed_files "$DEST")
    grep -qx 'prefix=/opt/sigshim' "$DEST/opt/sigshim/lib/pkgconfig/sigshim.pc"
    run make_in uninstall DESTDIR="$DEST" PREFIX=/opt/sigshim
    assert_success
    [ -z "$(installed_files "$DEST")" ]

    run make_in install DESTDIR="$DEST" PREFIX=/usr LIBDIR=/usr/lib/x86_64-linux-gnu MANDIR=/usr/man
    assert_success
    [ -f "$DEST/usr/lib/x86_64-linux-gnu/libsigshim.so.$VERSION" ]
    [ -f "$DEST/usr/lib/x86_64-linux-gnu/pkgconfig/sigshim.pc" ]
    [ -f "$DEST/usr/man/man7/sigshim.7" ]
    PKG_CONFIG_PATH="$DEST/usr/lib/x86_64-linux-gnu/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$DEST" \
        run pkg-config --libs sigshim
    assert_output --partial "-L$DEST/usr/lib/x86_64-linux-gnu"
    run make_in uninstall DESTDIR="$DEST" PREFIX=/usr LIBDIR=/usr/lib/x86_64-linux-gnu MANDIR=/usr/man
    assert_success
    [ -z "$(installed_files "$DEST")" ]
}

@test "uninstall when nothing is installed succeeds and touches nothing" {
    echo keep >"$DEST/keep"
    run make_in uninstall DESTDIR="$DEST" PREFIX=/usr
    assert_success
    [ "$(installed_files "$DEST")" = keep ]
}
