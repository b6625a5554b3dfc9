#!/bin/sh
# prempti logs --follow (records appended later, a truncated log, a rotated
# log) and colour on a terminal. The formatting and the filters are pinned
# by tests/data/tools/cases/logs.cases.
# usage: logs.sh PREMPTI PREMPTI_HOOK DATA_DIR
set -u
prempti=$1
hook=$2
data=$3
failures=0
work=$(mktemp -d "${TMPDIR:-/tmp}/prempti-logs-XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2> /dev/null; rm -rf "$work"' EXIT
unset PREMPTI_CONFIG PREMPTI_MODE PREMPTI_FLOOR PREMPTI_RULES PREMPTI_AUDIT_LOG PREMPTI_FAIL_OPEN
HOME=$work
export HOME TZ=UTC

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

log=$work/audit.jsonl
out=$work/out.txt

# One call through the adapter, recorded in $log.
call() {
    printf '{"session_id":"%s","cwd":"/tmp/proj","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"echo %s"},"tool_use_id":"t"}' \
        "$1" "$2" |
        "$hook" --agent claude_code --rules "$data/hook/command_rules.yaml" \
            --config "$data/hook/config.yaml" --audit-log "$log" > /dev/null 2>&1
}

# Waits up to 10 s for $out to hold $1 lines.
wait_lines() {
    i=0
    while [ "$(wc -l < "$out")" -lt "$1" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ "$(wc -l < "$out")" -eq "$1" ] || fail "$2: $(wc -l < "$out") lines, want $1: $(cat "$out")"
}

: > "$out"
call follow-1 deny-me
"$prempti" logs --follow --decision deny "$log" > "$out" 2> "$work/err.txt" &
pid=$!
wait_lines 1 "the existing record"
call follow-2 ask-me   # filtered out
call follow-3 deny-me
wait_lines 2 "a record appended while following"
grep -q "deny         Deny marker: Falco blocked echo deny-me" "$out" || fail "follow format"
echo "garbage" >> "$log"
call follow-4 deny-me
wait_lines 3 "a record after a line that is not one"
grep -q "skipped a line that is not an audit record" "$work/err.txt" ||
    fail "a bad line while following is not reported"

: > "$log" # truncated: read again from the start
call follow-5 deny-me
wait_lines 4 "a record after the log was truncated"

call follow-6 deny-me # appended just before the rotation: still shown
mv "$log" "$log.1"    # rotated: the new file is followed
call follow-7 deny-me
wait_lines 6 "records around a rotation"
kill "$pid"
wait "$pid" 2> /dev/null
pid=

# --tail N then --follow: the last N, then new records.
call tail-1 allow-me
: > "$out" # before the background job, which truncates it at a time of its own
"$prempti" logs --tail 1 --follow "$log" > "$out" 2>&1 &
pid=$!
wait_lines 1 "--tail 1 --follow"
call tail-2 ask-me
wait_lines 2 "--tail 1 --follow, then a new record"
kill "$pid"
wait "$pid" 2> /dev/null
pid=

# Colour on a terminal (through script(1)), never with --no-color or NO_COLOR.
if command -v script > /dev/null 2>&1; then
    script -qec "'$prempti' logs '$data/logs/audit.jsonl'" /dev/null > "$work/tty.txt" 2>&1
    grep -q "$(printf '\033')\[31mdeny" "$work/tty.txt" || fail "deny is not red on a terminal"
    grep -q "$(printf '\033')\[33mask" "$work/tty.txt" || fail "ask is not yellow on a terminal"
    grep -q "$(printf '\033')\[32mallow" "$work/tty.txt" || fail "allow is not green on a terminal"
    script -qec "'$prempti' logs --no-color '$data/logs/audit.jsonl'" /dev/null > "$work/tty.txt" 2>&1
    grep -q "$(printf '\033')\[" "$work/tty.txt" && fail "--no-color still colours"
    NO_COLOR=1 script -qec "'$prempti' logs '$data/logs/audit.jsonl'" /dev/null > "$work/tty.txt" 2>&1
    grep -q "$(printf '\033')\[" "$work/tty.txt" && fail "NO_COLOR is not honoured"
else
    echo "SKIP: colour on a terminal (script(1) is not installed)"
fi
"$prempti" logs "$data/logs/audit.jsonl" > "$work/pipe.txt" 2> /dev/null
grep -q "$(printf '\033')\[" "$work/pipe.txt" && fail "colour when stdout is not a terminal"

# Agents' text cannot drive the terminal: escape sequences, C1 controls and
# bidirectional overrides in a command are shown as escapes by logs and by
# eval --table (which print it), never as they are.
csi=$(printf '\302\233')  # U+009B, a C1 CSI
rlo=$(printf '\342\200\256') # U+202E, right-to-left override
hostile_json="echo deny-me \\u001b]0;owned\\u0007\\u001b[2J${csi}31m ${rlo}gpj.exe"
rm -f "$log"
printf '{"session_id":"esc","cwd":"/tmp/proj","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"%s"},"tool_use_id":"t"}' \
    "$hostile_json" > "$work/hostile.json"
"$hook" --agent claude_code --rules "$data/hook/command_rules.yaml" --audit-log "$log" \
    < "$work/hostile.json" > /dev/null 2>&1
for what in logs eval; do
    if [ $what = logs ]; then
        "$prempti" logs --no-color "$log" > "$work/shown.txt" 2>&1
    else
        "$prempti" eval --table --rules "$data/hook/command_rules.yaml" "$work/hostile.json" \
            > "$work/shown.txt" 2>&1
    fi
    grep -q 'owned' "$work/shown.txt" || fail "$what: the hostile record is not shown: $(cat "$work/shown.txt")"
    LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$work/shown.txt" &&
        fail "$what: a control character reaches the terminal"
    LC_ALL=C grep -q "$csi" "$work/shown.txt" && fail "$what: a C1 control reaches the terminal"
    LC_ALL=C grep -q "$rlo" "$work/shown.txt" && fail "$what: a bidi override reaches the terminal"
    grep -qF '\x1b]0;owned\x07\x1b[2J\u{009b}31m \u{202e}gpj.exe' "$work/shown.txt" ||
        fail "$what: escapes not shown as text: $(cat "$work/shown.txt")"
done

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "logs: follow and colour scenarios passed"
