#!/bin/sh
# Installs the built library into a scratch prefix, runs `npm install` of the
# Node binding in a scratch project (the README's command: it builds the
# addon in this folder), then runs the node --test suite and the example
# agent loop.
# usage: test.sh BUILD_DIR WORK_DIR
set -eu
build=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work/app" "$work/empty"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
pcdir=$(dirname "$(ls "$work"/prefix/lib*/pkgconfig/prempti.pc)")
cd "$work/app"
echo '{"name": "prempti-binding-test", "private": true}' > package.json
npm="npm --no-audit --no-fund --loglevel=error"

# Without the library the build stops and says what is missing.
if PKG_CONFIG_LIBDIR=$work/empty PKG_CONFIG_PATH= node "$here/build.js" \
    > "$work/missing.log" 2>&1; then
    echo "FAIL: the addon built without libprempti"; exit 1
fi
grep -q "libprempti was not found by pkg-config" "$work/missing.log" ||
    { cat "$work/missing.log"; echo "FAIL: no clear message without libprempti"; exit 1; }

PKG_CONFIG_PATH=$pcdir $npm install "$here" > "$work/npm.log" 2>&1 ||
    { cat "$work/npm.log"; echo "FAIL: npm install"; exit 1; }
node -e "require('prempti')" || { echo "FAIL: the installed package does not load"; exit 1; }
(cd "$here" && node --expose-gc --test test/*.test.js)

# The example agent loop: harmless calls run, the others are stopped.
NODE_PATH=$work/app/node_modules node "$here/../../examples/node/agent_loop.js" --auto --no-input \
    > "$work/example.log" 2>&1 || { cat "$work/example.log"; echo "FAIL: example"; exit 1; }
for want in "hello from the agent" "remember the milk" "blocked: the user said no"; do
    grep -q "$want" "$work/example.log" ||
        { cat "$work/example.log"; echo "FAIL: example: no '$want'"; exit 1; }
done
# the download piped into a shell and the private key read are denied
[ "$(grep -c '^  blocked: Deny ' "$work/example.log")" -eq 2 ] ||
    { cat "$work/example.log"; echo "FAIL: example: not two denials"; exit 1; }
echo "OK: node binding"
