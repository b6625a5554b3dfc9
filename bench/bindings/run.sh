#!/bin/sh
# The bindings' benchmark: each binding's per-call overhead over C, and the
# Node binding against @cedar-policy/cedar-wasm and casbin on one 100-rule
# policy. Installs the library of BUILD_DIR into a scratch prefix, the Python
# binding into a virtual environment and the Node binding (with the two
# other engines, from npm) into a scratch project, then runs the rounds
# (interleave.py) and writes bench/results/bindings.json.
# usage: bench/bindings/run.sh BUILD_DIR [--quick]
set -eu
build=$(cd "$1" && pwd)
quick=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$build/bindings-bench
rm -rf "$work"
mkdir -p "$work/node" "$root/bench/results"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
pcdir=$(dirname "$(ls "$work"/prefix/lib*/pkgconfig/prempti.pc)")

python3 -m venv "$work/venv"
PKG_CONFIG_PATH=$pcdir "$work/venv/bin/pip" --disable-pip-version-check install --no-index \
    "$root/bindings/python" > "$work/pip.log" 2>&1 || { cat "$work/pip.log"; exit 1; }
cd "$work/node"
echo '{"name": "prempti-bindings-bench", "private": true}' > package.json
PKG_CONFIG_PATH=$pcdir npm install --no-audit --no-fund --loglevel=error --install-links \
    "$root/bindings/node" @cedar-policy/cedar-wasm casbin > "$work/npm.log" 2>&1 ||
    { cat "$work/npm.log"; exit 1; }

cd "$root"
NODE_PATH=$work/node/node_modules exec "$work/venv/bin/python" "$here/interleave.py" \
    --c "$build/bench/prempti-bench-overhead" --python "$work/venv/bin/python" \
    --rules "$root/rules" --json "$root/bench/results/bindings.json" $quick
