#!/bin/sh
# prempti install / uninstall against a temporary HOME, for every agent:
# the file written is exactly tests/data/tools/install/AGENT.after.json
# (foreign hooks and settings kept), installing twice changes nothing,
# uninstalling restores the file before, every change leaves a backup, a
# file that is not JSON is never touched, --dry-run changes nothing.
# usage: install.sh PREMPTI PREMPTI_HOOK DATA_DIR
set -u
prempti=$1
hook=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
data=$3/install
rules=$3/eval/rules.yaml
failures=0
work=$(mktemp -d "${TMPDIR:-/tmp}/prempti-install-XXXXXX")
trap 'rm -rf "$work"' EXIT
unset PREMPTI_CONFIG PREMPTI_MODE PREMPTI_FLOOR PREMPTI_AUDIT_LOG \
      PREMPTI_FAIL_OPEN CLAUDE_CONFIG_DIR CODEX_HOME COPILOT_HOME
# install runs the adapter on a sample call first: it needs rules that load
PREMPTI_RULES=$rules
export PREMPTI_RULES

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# A fresh HOME for each scenario.
new_home() {
    HOME=$(mktemp -d "$work/home-XXXXXX")
    export HOME
}

config_file() {
    case $1 in
    claude_code) echo .claude/settings.json ;;
    codex) echo .codex/hooks.json ;;
    copilot) echo .copilot/hooks/prempti.json ;;
    gemini) echo .gemini/settings.json ;;
    cursor) echo .cursor/hooks.json ;;
    esac
}

backups() {
    ls "$1".prempti-backup-* 2> /dev/null | wc -l | tr -d ' '
}

# run EXPECTED_STATUS CMD...: runs a command, keeping its output in $out.
run() {
    want=$1
    shift
    out=$("$@" 2>&1)
    got=$?
    [ "$got" -eq "$want" ] || fail "'$*' exited $got, want $want: $out"
}

expect_output() {
    case $out in
    *"$1"*) ;;
    *) fail "$2: output lacks '$1': $out" ;;
    esac
}

agent_roundtrip() {
    agent=$1
    new_home
    file=$HOME/$(config_file "$agent")
    mkdir -p "$(dirname "$file")"
    before=$data/$agent.before.json
    [ -f "$before" ] && cp "$before" "$file"
    # a foreign hook file next to Copilot's own must stay untouched
    [ "$agent" = copilot ] && cp "$data/copilot.other.json" "$(dirname "$file")/other.json"

    run 0 "$prempti" install --dry-run --hook "$hook" "$agent"
    expect_output "dry run: would write $file" "$agent dry run"
    if [ -f "$before" ]; then
        cmp -s "$before" "$file" || fail "$agent: --dry-run changed the file"
    else
        [ ! -e "$file" ] || fail "$agent: --dry-run created the file"
    fi

    run 0 "$prempti" install --hook "$hook" "$agent"
    expect_output "registered $hook --agent $agent" "$agent install"
    sed "s|@HOOK@|$hook|g" "$data/$agent.after.json" > "$work/want.json"
    cmp -s "$work/want.json" "$file" || fail "$agent: installed file differs:
$(diff "$work/want.json" "$file")"
    if [ -f "$before" ]; then
        [ "$(backups "$file")" = 1 ] || fail "$agent: want one backup, have $(backups "$file")"
        cmp -s "$before" "$file".prempti-backup-* || fail "$agent: the backup is not the old file"
        expect_output "backup of the previous file: $file.prempti-backup-" "$agent backup"
    fi

    cp "$file" "$work/installed.json"
    run 0 "$prempti" install --hook "$hook" "$agent"
    expect_output "already installed" "$agent install twice"
    cmp -s "$work/installed.json" "$file" || fail "$agent: installing twice changed the file"

    run 0 "$prempti" status
    expect_output "installed (" "$agent status"

    run 0 "$prempti" uninstall "$agent"
    expect_output "removed the adapter" "$agent uninstall"
    if [ -f "$before" ]; then
        cmp -s "$before" "$file" || fail "$agent: uninstall did not restore the file:
$(diff "$before" "$file")"
    else
        [ ! -e "$file" ] || fail "$agent: uninstall left prempti's own file behind"
    fi
    run 0 "$prempti" uninstall "$agent"
    expect_output "not installed" "$agent uninstall twice"
    if [ "$agent" = copilot ]; then
        cmp -s "$data/copilot.other.json" "$(dirname "$file")/other.json" ||
            fail "copilot: a foreign hook file changed"
    fi
}

for agent in claude_code codex copilot gemini cursor; do
    agent_roundtrip "$agent"
done

# A file that is not JSON is refused and left as it was, with no backup.
new_home
mkdir -p "$HOME/.claude"
printf '{"hooks": {"PreToolUse": [}\n' > "$HOME/.claude/settings.json"
cp "$HOME/.claude/settings.json" "$work/broken.json"
run 1 "$prempti" install --hook "$hook" claude_code
expect_output "cannot parse $HOME/.claude/settings.json" "broken file"
expect_output "nothing was changed" "broken file"
cmp -s "$work/broken.json" "$HOME/.claude/settings.json" || fail "a broken file was changed"
[ "$(backups "$HOME/.claude/settings.json")" = 0 ] || fail "a broken file got a backup"
run 1 "$prempti" uninstall claude_code
cmp -s "$work/broken.json" "$HOME/.claude/settings.json" || fail "uninstall changed a broken file"

# JSON of an unexpected shape is refused too.
printf '{"hooks": ["not", "an", "object"]}\n' > "$HOME/.claude/settings.json"
run 1 "$prempti" install --hook "$hook" claude_code
expect_output '"hooks" is not a JSON object; nothing was changed' "hooks array"
printf '{"hooks": {"PreToolUse": {"matcher": "*"}}}\n' > "$HOME/.claude/settings.json"
run 1 "$prempti" install --hook "$hook" claude_code
expect_output '"hooks"."PreToolUse" is not a JSON array' "event object"
printf '[1, 2]\n' > "$HOME/.claude/settings.json"
run 1 "$prempti" install --hook "$hook" claude_code
expect_output "does not hold a JSON object" "top-level array"

# An empty file counts as an empty object.
: > "$HOME/.claude/settings.json"
run 0 "$prempti" install --hook "$hook" claude_code
grep -q "\"command\": \"$hook --agent claude_code\"" "$HOME/.claude/settings.json" ||
    fail "install into an empty file"

# A different adapter path replaces the old registration, never adds a second.
new_home
mkdir -p "$work/other-bin"
cp "$hook" "$work/other-bin/prempti-hook"
run 0 "$prempti" install --hook "$hook" codex
run 0 "$prempti" install --hook "$work/other-bin/prempti-hook" codex
n=$(grep -c 'prempti-hook --agent codex' "$HOME/.codex/hooks.json")
[ "$n" = 2 ] || fail "after a new --hook: $n registrations, want 2 (one per event)"
grep -q "$work/other-bin/prempti-hook --agent codex" "$HOME/.codex/hooks.json" ||
    fail "the new adapter path was not registered"
expect_output "recorded Codex's trust in the adapter's hooks in $HOME/.codex/config.toml" \
    "codex trust"

# Codex trusts a hook by the SHA-256 of its definition, keyed by position:
# the table written holds exactly that hash, computed here independently.
codex_hash() { # COMMAND EVENT
    esc=$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')
    printf '{"event_name":"%s","hooks":[{"async":false,"command":"%s","timeout":30,"type":"command"}],"matcher":".*"}' \
        "$2" "$esc" | sha256sum | cut -d' ' -f1
}
new_home
mkdir -p "$HOME/.codex"
printf 'model = "o3"\n\n[projects."/src/app"]\ntrust_level = "trusted"\n' > "$HOME/.codex/config.toml"
cp "$HOME/.codex/config.toml" "$work/config.toml.before"
run 0 "$prempti" install --hook "$hook" codex
cmd="$hook --agent codex || { rc=\$?; [ \$rc -eq 2 ] || echo \"prempti-hook failed to start (exit \$rc)\" >&2; exit 2; }"
for ev in pre_tool_use:PreToolUse permission_request:PermissionRequest; do
    label=${ev%%:*}
    want="[hooks.state.\"$HOME/.codex/hooks.json:$label:0:0\"]
trusted_hash = \"sha256:$(codex_hash "$cmd" "$label")\""
    grep -F -x -q "trusted_hash = \"sha256:$(codex_hash "$cmd" "$label")\"" "$HOME/.codex/config.toml" &&
        grep -F -q "[hooks.state.\"$HOME/.codex/hooks.json:$label:0:0\"]" "$HOME/.codex/config.toml" ||
        fail "codex: no trust for $label:
want: $want
have: $(cat "$HOME/.codex/config.toml")"
done
grep -q '^model = "o3"$' "$HOME/.codex/config.toml" || fail "codex: config.toml lost its settings"
run 0 "$prempti" status
case $out in *"does not trust"*) fail "codex: status says untrusted after install: $out" ;; esac
# a changed hash (the command edited by hand) is reported
sed -i 's/trusted_hash = "sha256:[0-9a-f]*/&0/' "$HOME/.codex/config.toml"
run 0 "$prempti" status
expect_output "Codex does not trust the hook $HOME/.codex/hooks.json:pre_tool_use:0:0 as it is now" \
    "codex untrusted status"
run 0 "$prempti" install --hook "$hook" codex
run 0 "$prempti" status
case $out in *"does not trust"*) fail "codex: reinstall did not restore the trust: $out" ;; esac
run 0 "$prempti" uninstall codex
expect_output "removed Codex's trust in the adapter's hooks" "codex untrust"
cmp -s "$work/config.toml.before" "$HOME/.codex/config.toml" ||
    fail "codex: uninstall did not restore config.toml:
$(diff "$work/config.toml.before" "$HOME/.codex/config.toml")"
# hook state set in a form the editor does not handle: nothing is written
printf 'hooks = { state = {} }\n' > "$HOME/.codex/config.toml"
run 1 "$prempti" install --hook "$hook" codex
expect_output "sets Codex's hook state in a form prempti does not edit" "codex inline hooks"
! grep -q prempti-hook "$HOME/.codex/hooks.json" ||
    fail "codex: registered although the trust could not be written"
# hooks switched off
printf '[features]\nhooks = false\n' > "$HOME/.codex/config.toml"
run 0 "$prempti" install --hook "$hook" codex
expect_output "[features] hooks = false" "codex hooks feature off"

# Status and install say when the agent has hooks switched off.
new_home
mkdir -p "$HOME/.claude" "$HOME/.gemini"
printf '{"disableAllHooks": true}\n' > "$HOME/.claude/settings.json"
run 0 "$prempti" install --hook "$hook" claude_code
expect_output "warning: disableAllHooks is true" "claude disableAllHooks at install"
run 0 "$prempti" status
expect_output "warning: disableAllHooks is true" "claude disableAllHooks in status"
printf '{"hooksConfig": {"enabled": false, "disabled": ["prempti"]}, "security": {"folderTrust": {"enabled": true}}}\n' \
    > "$HOME/.gemini/settings.json"
run 0 "$prempti" install --hook "$hook" gemini
run 0 "$prempti" status
expect_output "hooksConfig.enabled is false" "gemini hooks disabled"
expect_output "hooksConfig.disabled lists 'prempti'" "gemini prempti disabled"
expect_output "folder trust is on" "gemini folder trust"

# An adapter that does not answer is never registered.
new_home
mkdir -p "$work/bad-bin"
printf '#!/bin/sh\nexit 1\n' > "$work/bad-bin/prempti-hook"
chmod +x "$work/bad-bin/prempti-hook"
for agent in claude_code codex copilot gemini cursor; do
    run 1 "$prempti" install --hook "$work/bad-bin/prempti-hook" "$agent"
    expect_output "the adapter did not answer a sample" "$agent broken adapter"
    [ ! -e "$HOME/$(config_file "$agent")" ] || fail "$agent: a broken adapter was registered"
done
# ... nor one whose rules do not load, with the reason
printf -- '- rule: x\n  condition: (\n' > "$work/broken.yaml"
run 1 env PREMPTI_RULES="$work/broken.yaml" "$prempti" install --hook "$hook" gemini
expect_output "rules failed to load" "broken rules at install"
[ ! -e "$HOME/.gemini/settings.json" ] || fail "registered with rules that do not load"

# An adapter that does not exist is not registered.
new_home
run 1 "$prempti" install --hook "$work/none/prempti-hook" gemini
expect_output "is not an executable file" "missing adapter"
[ ! -e "$HOME/.gemini/settings.json" ] || fail "a missing adapter was registered"

# Unknown agents and usage errors.
run 2 "$prempti" install --hook "$hook" windsurf
expect_output "unknown agent 'windsurf'" "unknown agent"
run 2 "$prempti" install
run 2 "$prempti" uninstall --hook "$hook" codex

# The agents' own directory variables are honoured.
new_home
mkdir -p "$HOME/codex-home"
run 0 env CODEX_HOME="$HOME/codex-home" "$prempti" install --hook "$hook" codex
[ -f "$HOME/codex-home/hooks.json" ] || fail "CODEX_HOME was not honoured"
[ ! -e "$HOME/.codex" ] || fail "CODEX_HOME set, yet ~/.codex was written"

# A settings file that is a symbolic link stays one; its target changes.
new_home
mkdir -p "$HOME/dotfiles" "$HOME/.claude"
cp "$data/claude_code.before.json" "$HOME/dotfiles/claude.json"
ln -s "$HOME/dotfiles/claude.json" "$HOME/.claude/settings.json"
run 0 "$prempti" install --hook "$hook" claude_code
[ -L "$HOME/.claude/settings.json" ] || fail "the symbolic link was replaced by a file"
grep -q "prempti-hook --agent claude_code" "$HOME/dotfiles/claude.json" ||
    fail "the link's target was not updated"

# A new file is private to the user.
new_home
run 0 "$prempti" install --hook "$hook" cursor
[ "$(stat -c %a "$HOME/.cursor/hooks.json")" = 600 ] || fail "a new file is not mode 600"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "install/uninstall: all scenarios passed"
