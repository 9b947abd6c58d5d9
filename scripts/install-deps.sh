#!/bin/sh
# Install the build and test dependencies of graphc that are missing, and only
# those. Safe to run again: when everything is present it does nothing and
# never calls apt-get. Used by `make demo` and `make test`.
set -eu

# package name : how to tell it is present
need=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
want() { have_pkg "$1" || need="$need $1"; }

command -v gcc >/dev/null 2>&1 || need="$need gcc"
command -v make >/dev/null 2>&1 || need="$need make"
command -v flex >/dev/null 2>&1 || need="$need flex"
command -v bison >/dev/null 2>&1 || need="$need bison"
command -v python3 >/dev/null 2>&1 || need="$need python3"
want libgccjit-12-dev
want libcjson-dev
want libcmocka-dev
# libgomp comes with gcc on Debian, but be explicit: generated programs link it.
want libgomp1
# Fuzzing (make test runs each harness briefly) needs clang and its runtime.
if [ "${GRAPHC_NO_FUZZ_DEPS:-0}" != 1 ]; then
    command -v clang >/dev/null 2>&1 || need="$need clang"
    want libclang-rt-14-dev
    # clang's -fopenmp needs LLVM's OpenMP runtime (the fuzz harnesses link the runtime).
    want libomp-14-dev
fi

[ -z "$need" ] && exit 0

echo "install-deps: installing:$need"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install-deps: error: need root or sudo to install:$need" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
# Try without refreshing the package lists first (fast, works offline with a
# warm cache); refresh and retry when that fails.
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y --no-install-recommends $need; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends $need
fi
