#!/bin/sh
# Compares the ABI of the built shared library with the checked-in baseline
# (prempti.abi, libabigail's XML), or with --update rewrites the baseline.
# Only the public interface counts: the exported functions and the types
# their declarations in include/prempti/ reach; handles are opaque, so the
# library's own structures may change freely. See docs/abi.md.
# usage: check-abi.sh [--update] LIBRARY BASELINE SOURCE_DIR BUILD_DIR
set -eu
update=0
if [ "${1:-}" = "--update" ]; then
    update=1
    shift
fi
lib=$1 baseline=$2 src=$(cd "$3" && pwd) build=$(cd "$4" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Source paths are made relative so that the baseline names no checkout.
abidw --headers-dir "$src/include/prempti" --headers-dir "$build/include/prempti" \
    --drop-private-types --exported-interfaces-only --no-show-locs --no-comp-dir-path \
    --no-corpus-path --no-elf-needed --type-id-style hash --out-file "$tmp/raw.abi" "$lib"
sed -e "s|path='$src/|path='|g" -e "s|path='$build/|path='|g" "$tmp/raw.abi" > "$tmp/current.abi"

if [ $update -eq 1 ]; then
    cp "$tmp/current.abi" "$baseline"
    echo "ABI baseline written to $baseline"
    exit 0
fi
# Any difference fails, an added function too (abidiff exits 4): the
# baseline changes only on purpose.
if abidiff --no-show-locs "$baseline" "$tmp/current.abi" > "$tmp/report"; then
    echo "OK: the ABI equals the baseline ($(grep -c '<elf-symbol ' "$baseline") symbols)"
    exit 0
fi
echo "FAIL: the ABI differs from $baseline:"
cat "$tmp/report"
echo "If the change is intended: CHANGELOG.md gets an 'ABI:' line and the baseline is"
echo "updated (docs/abi.md): tests/abi/check-abi.sh --update $lib $baseline $src $build"
exit 1
