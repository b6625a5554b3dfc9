#!/bin/sh
# Installs the built project into a scratch prefix, then builds and runs a
# tiny consumer three ways: pkg-config (the shared library, or the static one
# in a static-only build), find_package(Prempti) with
# Prempti::prempti, and find_package with Prempti::prempti_static.
# usage: run.sh BUILD_DIR WORK_DIR C_COMPILER
set -eu
build=$1 work=$2 cc=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" > "$work/install.log"

for f in include/prempti/prempti.h include/prempti/version.h lib*/pkgconfig/prempti.pc \
         lib*/cmake/Prempti/PremptiConfig.cmake lib*/cmake/Prempti/PremptiConfigVersion.cmake; do
    ls $prefix/$f > /dev/null || { echo "FAIL: not installed: $f"; exit 1; }
done

# 1. pkg-config
pcdir=$(dirname "$(ls $prefix/lib*/pkgconfig/prempti.pc)")
libdir=$(dirname "$pcdir")
flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs prempti)
# shellcheck disable=SC2086
"$cc" -std=c99 -Wall -Werror "$here/consumer/main.c" -o "$work/consumer-pc" $flags \
    -Wl,-rpath,"$libdir"
"$work/consumer-pc" | grep -q '^deny$' || { echo "FAIL: pkg-config consumer"; exit 1; }
rulesdir=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=rulesdir prempti)
[ -f "$rulesdir/00-base.yaml" ] || { echo "FAIL: rulesdir '$rulesdir' has no default pack"; exit 1; }

# 2. and 3. find_package
for target in Prempti::prempti Prempti::prempti_static; do
    dir=$work/cmake-$(echo $target | tr ':' '_')
    cmake -S "$here/consumer" -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" \
          -DCMAKE_C_COMPILER="$cc" -DPREMPTI_TARGET=$target > "$dir.log" 2>&1 ||
        { cat "$dir.log"; echo "FAIL: configure with $target"; exit 1; }
    cmake --build "$dir" >> "$dir.log" 2>&1 || { cat "$dir.log"; echo "FAIL: build with $target"; exit 1; }
    "$dir/consumer" | grep -q '^deny$' || { echo "FAIL: $target consumer"; exit 1; }
done
# 4. the tools of an installation under any prefix find their own adapter and
# default pack, not the configured ones
home=$work/home
mkdir -p "$home"
if [ -x "$prefix/bin/prempti" ] && [ -x "$prefix/bin/prempti-hook" ]; then
    status=$(HOME=$home PREMPTI_RULES= "$prefix/bin/prempti" status) ||
        { echo "$status"; echo "FAIL: prempti status under $prefix"; exit 1; }
    echo "$status" | grep -q "rules: *$prefix/bin/../share/prempti/rules (default)" ||
        { echo "$status"; echo "FAIL: the default pack is not the prefix's"; exit 1; }
    echo "$status" | grep -q "[1-9][0-9]* rules loaded" ||
        { echo "$status"; echo "FAIL: the prefix's default pack does not load"; exit 1; }
    HOME=$home "$prefix/bin/prempti" install gemini > "$work/prefix-install.log" 2>&1 ||
        { cat "$work/prefix-install.log"; echo "FAIL: prempti install under $prefix"; exit 1; }
    grep -q "\"$prefix/bin/prempti-hook --agent gemini\"" "$home/.gemini/settings.json" ||
        { echo "FAIL: the prefix's adapter was not registered"; exit 1; }
    echo '{"hook_event_name":"BeforeTool","session_id":"s","cwd":"/","tool_name":"read_file","tool_input":{"file_path":"'"$home"'/.ssh/id_rsa"}}' |
        HOME=$home "$prefix/bin/prempti-hook" --agent gemini > "$work/prefix-hook.out" &&
        grep -q '"decision":"deny"' "$work/prefix-hook.out" ||
        { cat "$work/prefix-hook.out"; echo "FAIL: the prefix's adapter does not use its pack"; exit 1; }
fi

echo "OK: pkg-config, Prempti::prempti and Prempti::prempti_static consumers work"
