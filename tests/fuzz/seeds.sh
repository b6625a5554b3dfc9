#!/bin/sh
# Writes the seed inputs of every fuzz target, taken from the test data, the
# default pack and the examples, into DIR/TARGET/ (one file per input, named
# seed-*), plus the empty collections ({} [] and an empty file) every
# target starts from. docs/fuzzing.md says how the checked-in corpora were
# made from these seeds.
# usage: tests/fuzz/seeds.sh DIR
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
data=$src/tests/data

# values KEY FILE...: the values of KEY in case files (blocks separated by
# "---" lines, "key: value" lines, continuation lines indented by two
# spaces), one per output record, records separated by a NUL-free marker.
values() {
    key=$1
    shift
    awk -v key="$key" '
        function flush() { if (have) printf "%s\n\036\n", val; have = 0; cur = "" }
        /^---$/ { flush(); next }
        /^#/ || /^$/ { next }
        /^  / { if (cur == key) val = val "\n" substr($0, 3); next }
        {
            if (cur == key) flush()
            i = index($0, ": ")
            k = i ? substr($0, 1, i - 1) : substr($0, 1, length($0) - 1)
            cur = k
            if (k == key) { have = 1; val = i ? substr($0, i + 2) : "" }
        }
        END { flush() }
    ' "$@"
}

# split TARGET NAME: stdin records (from values) into TARGET/seed-NAME-N.
split() {
    mkdir -p "$out/$1"
    awk -v dir="$out/$1" -v name="$2" -v suffix="${3:-}" '
        BEGIN { RS = "\n\036\n"; n = 0 }
        { f = sprintf("%s/seed-%s-%03d", dir, name, n++); printf "%s%s", $0, suffix > f; close(f) }
    '
}

# copy TARGET FILE...: whole files as seeds.
copy() {
    t=$1
    shift
    mkdir -p "$out/$t"
    for f in "$@"; do
        cp "$f" "$out/$t/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
    done
}

empty() {
    mkdir -p "$out/$1"
    printf '' > "$out/$1/seed-empty"
    printf '{}' > "$out/$1/seed-empty-object"
    printf '[]' > "$out/$1/seed-empty-list"
}

for t in event rules cond regex format shell patch eval packs hook config testcases auditlog; do
    empty $t
done

# Hook payloads: the event cases, the examples.
for f in "$data"/events/*.txt "$data"/responses/*.cases "$data"/tools/hook/payloads.cases; do
    for t in event packs hook; do
        values payload "$f" | split $t "$(basename "$f" | sed 's/\..*//')"
    done
done
for t in event packs hook; do
    copy $t "$src"/examples/events/*.json
done

# Rules files: the pack, the rules cases' files, the tools' rules.
for f in "$data"/rules/*.cases; do
    for t in rules eval; do
        awk '/^file [^:]*:$/ { on = 1; print "\036"; next }
             /^[a-z]/ { on = 0 } /^---$/ { on = 0 }
             on && /^  / { print substr($0, 3) }' "$f" |
            awk 'BEGIN { RS = "\036\n" } NF { printf "%s\n\036\n", $0 }' |
            split $t "$(basename "$f" .cases)"
    done
done
for t in rules eval; do
    copy $t "$src"/rules/*.yaml "$data"/tools/check/*.yaml "$data"/tools/eval/*.yaml \
        "$data"/result_json/rules.yaml
done

# Conditions (with an output line), regexes (with a text line), formats
# (with a suffix line), shell commands, patches.
values cond "$data"/cond/compile.cases "$data"/cond/parse.cases | split cond cond \
    "$(printf '\n%%tool.name %%shell.commands')"
values pattern "$data"/cond/regex.cases | split regex pattern "$(printf '\nfoo/bar baz')"
values format "$data"/cond/output.cases | split format format \
    "$(printf '\n%%tool.name (policy=%%agent.name)')"
values cmd "$data"/shell/*.cases "$data"/shell_fields/fields.cases | split shell cmd
values patch "$data"/events/patch_parse.txt | split patch patch
printf '\377\010echo $(echo $(echo ((( `' > "$out/shell/seed-long-nesting"
printf '\377\200true; ' > "$out/shell/seed-long-commands"

# The tools' files: config files and option lines, test case files, logs.
copy config "$data"/tools/hook/*config*.yaml
printf 'floor=allow\nmode=monitor\nmax_yaml_depth=4\nreason_suffix=%%tool.name\n' \
    > "$out/config/seed-options"
copy testcases "$src"/rules/tests/*.yaml "$data"/tools/testcmd/cases/*
copy auditlog "$data"/tools/logs/audit.jsonl
echo "seeds written to $out"
