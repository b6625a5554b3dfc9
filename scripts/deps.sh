#!/bin/sh
# Makes sure the Debian packages the build needs are installed. As root it
# installs what is missing with apt-get; otherwise it prints the exact
# apt-get command and fails.
# usage: scripts/deps.sh [build|bindings|test]   (test includes bindings)
set -eu
what=${1:-build}
pkgs="cmake make gcc pkg-config libjson-c-dev libyaml-dev"
if [ "$what" = test ] || [ "$what" = bindings ]; then
    # The Python binding (SWIG, Python headers, venv for its tests) and the
    # Node binding (Debian's Node.js keeps its headers in libnode-dev). A
    # node that already comes with npm (NodeSource's nodejs bundles it, and
    # conflicts with Debian's npm package) is used as is.
    pkgs="$pkgs swig python3-dev python3-venv"
    command -v npm > /dev/null 2>&1 || pkgs="$pkgs nodejs npm libnode-dev"
fi
if [ "$what" = test ]; then
    pkgs="$pkgs g++ check valgrind"
fi

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

if [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq > /dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing > /dev/null
else
    echo "deps: missing packages; install them with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
