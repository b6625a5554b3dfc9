#!/bin/sh
# Runs libFuzzer targets of a PREMPTI_FUZZ build, each from its checked-in
# corpus (read-only: new inputs go to BUILD/fuzz-work/TARGET) with its
# dictionary, and prints one line per target: executions, seconds, result.
# Findings are written to BUILD/fuzz-findings/TARGET/; the exit status is
# 1 when any target found something.
#   usage: tests/fuzz/run.sh BUILD_DIR LIMIT [TARGET...]
#   LIMIT: SECONDS per target, or runs=N for N executions per target
#   (default targets: every fuzz_* binary of BUILD_DIR/tests/fuzz)
set -u
build=$(cd "$1" && pwd)
limit=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
bin=$build/tests/fuzz

# A fixed seed by default, so that a run is repeatable (the same binary and
# corpus mutate the same way); PREMPTI_FUZZ_SEED=0 lets libFuzzer pick one.
seed=${PREMPTI_FUZZ_SEED:-1}

case $limit in
runs=*) budget="-runs=${limit#runs=}" ;;
*) budget="-max_total_time=$limit" ;;
esac

# The dictionary a target reads: targets fed the same kind of input share one.
dict_of() {
    case $1 in
    packs | hook) echo event ;;
    lexers) echo shell ;;
    eval) echo rules ;;
    format) echo cond ;;
    *) echo "$1" ;;
    esac
}

if [ $# -eq 0 ]; then
    for f in "$bin"/fuzz_*; do
        case $f in *-replay | *.a) continue ;; esac
        [ -x "$f" ] && set -- "$@" "${f##*/fuzz_}"
    done
fi
[ $# -gt 0 ] || { echo "run.sh: no fuzz targets in $bin (configure with -DPREMPTI_FUZZ=ON)"; exit 1; }

# a huge allocation is an out-of-memory error to handle, not a finding; a
# smaller quarantine and shallower malloc stacks double the speed
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:allocator_may_return_null=1:quarantine_size_mb=8:malloc_context_size=4"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
printf '%-10s %12s %8s  %s\n' target executions seconds result
for t in "$@"; do
    work=$build/fuzz-work/$t
    findings=$build/fuzz-findings/$t
    log=$build/fuzz-work/$t.log
    mkdir -p "$work" "$findings"
    # shellcheck disable=SC2086
    "$bin/fuzz_$t" $budget -seed="$seed" -dict="$here/dict/$(dict_of "$t").dict" -timeout=30 \
        -rss_limit_mb=3072 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$findings/" "$work" "$here/corpus/$t" > "$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    if [ $rc -eq 0 ]; then
        result="no finding"
    else
        result="FINDING (exit $rc): $(ls "$findings" | head -3 | tr '\n' ' ')see $log"
        status=1
    fi
    printf '%-10s %12s %8s  %s\n' "$t" "${runs:-?}" "${secs:-?}" "$result"
done
exit $status
