#!/bin/sh
# Folds what a fuzzing run found (BUILD/fuzz-work/TARGET, see run.sh) into
# the checked-in corpus: the union minimised with libFuzzer's -merge=1 (the
# inputs that add coverage), the empty-collection seeds always kept.
#   usage: tests/fuzz/merge.sh BUILD_DIR TARGET...
set -eu
build=$(cd "$1" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
for t in "$@"; do
    corpus=$here/corpus/$t
    fresh=$build/fuzz-merge/$t
    rm -rf "$fresh"
    mkdir -p "$fresh"
    "$build/tests/fuzz/fuzz_$t" -merge=1 "$fresh" "$corpus" "$build/fuzz-work/$t" \
        > "$build/fuzz-merge/$t.log" 2>&1 ||
        { tail -20 "$build/fuzz-merge/$t.log"; exit 1; }
    cp "$corpus"/seed-empty* "$fresh"/
    for f in "$corpus"/regress-*; do # fixed findings stay, whatever their coverage
        [ -e "$f" ] && cp "$f" "$fresh"/
    done
    rm -rf "$corpus"
    mv "$fresh" "$corpus"
    echo "$t: $(ls "$corpus" | wc -l) inputs"
done
