#!/bin/sh
# Checks that the shared library exports exactly the symbols listed in
# symbols.txt, and that the list equals the PREMPTI_API declarations of the
# public headers and the linker version script.
# usage: check-symbols.sh LIBRARY SYMBOLS_TXT MAP_FILE HEADER_DIR
set -eu
lib=$1 list=$2 map=$3 headers=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$lib" | awk '$2 ~ /^[TDRBVW]$/ { print $3 }' | sed 's/@.*//' |
    grep -v '^PREMPTI_' | sort -u > "$tmp/exported"
grep -v '^#' "$list" | sed '/^$/d' | sort -u > "$tmp/expected"
sed -n 's/^ *\(prempti_[a-z0-9_]*\);$/\1/p' "$map" | sort -u > "$tmp/map"
cat "$headers"/*.h "$headers"/*.h.in 2>/dev/null | grep '^PREMPTI_API ' |
    sed -E 's/^([^(]*[ *])([a-z_0-9]+)\(.*/\2/' | sort -u > "$tmp/headers"

status=0
compare() {
    if ! diff -u "$tmp/expected" "$tmp/$1" > "$tmp/diff"; then
        echo "FAIL: $2 differs from symbols.txt:"
        cat "$tmp/diff"
        status=1
    fi
}
compare exported "the library's exported symbols"
compare map "the version script"
compare headers "the PREMPTI_API declarations"
[ $status -eq 0 ] && echo "OK: $(wc -l < "$tmp/expected") symbols"
exit $status
