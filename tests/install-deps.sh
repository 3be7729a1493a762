#!/bin/sh
# Installs what `make test` needs when it is missing (Debian, as root).
need=""
command -v bats >/dev/null 2>&1 || need="$need bats"
[ -f /usr/lib/bats/bats-support/load.bash ] || need="$need bats-support"
[ -f /usr/lib/bats/bats-assert/load.bash ] || need="$need bats-assert"
command -v musl-gcc >/dev/null 2>&1 || need="$need musl-tools"
command -v python3 >/dev/null 2>&1 || need="$need python3"
command -v spin >/dev/null 2>&1 || need="$need spin"
command -v pkg-config >/dev/null 2>&1 || need="$need pkgconf"
[ -f /usr/include/uv.h ] || need="$need libuv1-dev"
command -v man >/dev/null 2>&1 || need="$need man-db"
command -v readelf >/dev/null 2>&1 || need="$need binutils"
command -v valgrind >/dev/null 2>&1 || need="$need valgrind"
command -v clang >/dev/null 2>&1 || need="$need clang"
[ -e /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a ] \
    || ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 \
    || need="$need libclang-rt-14-dev"
[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/javac ] || need="$need openjdk-17-jdk-headless"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "sigshim: missing test dependencies:$need (install them, or run as root)" >&2
    exit 1
fi
echo "sigshim: installing$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq $need >/dev/null
