#!/bin/sh
# Makes sure the Debian packages a build needs are installed. As root it
# installs what is missing with apt-get; otherwise it prints the exact
# commands and fails.
# usage: scripts/deps.sh [build|bindings|test|clang|cross-arm64|cross-mingw]
#   build        compilers, CMake, json-c, libyaml
#   bindings     and SWIG, the Python headers and venv, Node.js with npm and
#                its headers (the Python and Node bindings)
#   test         and the bindings' packages, Check, valgrind, a C++ compiler,
#                abidiff (abigail-tools)
#   clang        and clang with its sanitizer and libFuzzer runtimes
#   cross-arm64  the arm64 cross compiler, qemu-user, and the arm64 json-c,
#                libyaml and Check (Debian multiarch: adds the arm64 architecture)
#   cross-mingw  the Windows cross compiler (json-c and libyaml for Windows are
#                built from Debian's sources by scripts/mingw-deps.sh)
set -eu
what=${1:-build}
pkgs="cmake make gcc pkg-config libjson-c-dev libyaml-dev"
arch=""
# The Python binding (SWIG, Python headers, venv for its tests) and the Node
# binding (Debian's Node.js keeps its headers in libnode-dev). A node that
# already comes with npm (NodeSource's nodejs bundles it, and conflicts with
# Debian's npm package) is used as is.
bindings="swig python3-dev python3-venv"
command -v npm > /dev/null 2>&1 || bindings="$bindings nodejs npm libnode-dev"
case $what in
build) ;;
bindings) pkgs="$pkgs $bindings" ;;
test) pkgs="$pkgs $bindings g++ check valgrind abigail-tools" ;;
clang) pkgs="$pkgs check clang libclang-rt-dev" ;;
cross-arm64)
    arch=arm64
    pkgs="$pkgs gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user libc6:arm64"
    pkgs="$pkgs libjson-c-dev:arm64 libyaml-dev:arm64 check:arm64"
    ;;
cross-mingw) pkgs="$pkgs gcc-mingw-w64-x86-64 ca-certificates" ;;
*)
    echo "usage: scripts/deps.sh [build|bindings|test|clang|cross-arm64|cross-mingw]" >&2
    exit 2
    ;;
esac

if ! command -v dpkg-query > /dev/null 2>&1; then
    echo "deps: not a Debian system; make sure these are installed: $pkgs" >&2
    exit 0
fi
missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
add_arch=""
if [ -n "$arch" ] && [ "$(dpkg --print-architecture)" != "$arch" ] &&
    ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    add_arch=$arch
fi

if [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    [ -z "$add_arch" ] || dpkg --add-architecture "$add_arch"
    apt-get update -qq > /dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing > /dev/null
else
    echo "deps: missing packages; install them with:" >&2
    [ -z "$add_arch" ] || echo "  sudo dpkg --add-architecture $add_arch" >&2
    [ -z "$add_arch" ] || echo "  sudo apt-get update" >&2
    echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
