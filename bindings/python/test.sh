#!/bin/sh
# Installs the built library into a scratch prefix, installs the Python
# binding into a fresh virtual environment with pip (offline: --no-index),
# then runs its unittest suite and the example agent loop.
# usage: test.sh BUILD_DIR WORK_DIR PYTHON
set -eu
build=$1 work=$2 python=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work/empty"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
pcdir=$(dirname "$(ls "$work"/prefix/lib*/pkgconfig/prempti.pc)")
"$python" -m venv "$work/venv"
pip="$work/venv/bin/pip --disable-pip-version-check"

# Without the library the build stops and says what is missing.
if PKG_CONFIG_LIBDIR=$work/empty PKG_CONFIG_PATH= $pip install --no-index "$here" \
    > "$work/missing.log" 2>&1; then
    echo "FAIL: the binding built without libprempti"; exit 1
fi
grep -q "libprempti was not found by pkg-config" "$work/missing.log" ||
    { cat "$work/missing.log"; echo "FAIL: no clear message without libprempti"; exit 1; }

PKG_CONFIG_PATH=$pcdir $pip install --no-index "$here" > "$work/pip.log" 2>&1 ||
    { cat "$work/pip.log"; echo "FAIL: pip install"; exit 1; }
cd "$here/tests"
"$work/venv/bin/python" -m unittest

# The example agent loop: harmless calls run, the others are stopped.
"$work/venv/bin/python" "$here/../../examples/python/agent_loop.py" --auto --no-input \
    > "$work/example.log" 2>&1 || { cat "$work/example.log"; echo "FAIL: example"; exit 1; }
for want in "hello from the agent" "remember the milk" "blocked: the user said no"; do
    grep -q "$want" "$work/example.log" ||
        { cat "$work/example.log"; echo "FAIL: example: no '$want'"; exit 1; }
done
# the download piped into a shell and the private key read are denied
[ "$(grep -c '^  blocked: Deny ' "$work/example.log")" -eq 2 ] ||
    { cat "$work/example.log"; echo "FAIL: example: not two denials"; exit 1; }
echo "OK: python binding"
