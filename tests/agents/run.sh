#!/bin/sh
# The end-to-end suite with the agents' real CLIs (scripts/test --agents).
# Installs the pinned CLIs from npm into a cache outside the source tree
# ($PREMPTI_AGENTS_CACHE, default ~/.cache/prempti-agents), then runs them
# inside a network namespace of their own where only loopback exists (when
# unshare is allowed; otherwise every endpoint and proxy still points at
# 127.0.0.1). Skips, saying so, when npm or the registry is unavailable.
# usage: run.sh PREMPTI PREMPTI_HOOK RULES_DIR [AGENTS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prempti=$1 hook=$2 rules=$3 agents=${4:-claude_code,codex,gemini,copilot}
cache=${PREMPTI_AGENTS_CACHE:-$HOME/.cache/prempti-agents}
pins="@anthropic-ai/claude-code@2.1.332 @openai/codex@0.171.0 @google/gemini-cli@0.61.0 @github/copilot@1.0.102"

skip() {
    echo "agents: SKIPPED: $*"
    exit 0
}

command -v node > /dev/null && command -v npm > /dev/null || skip "node and npm are not installed"
mkdir -p "$cache"
for pin in $pins; do
    dir=$cache/$(echo "$pin" | tr '/@' '__')
    [ -d "$dir/node_modules/.bin" ] && continue
    timeout 60 npm view "$pin" version > /dev/null 2>&1 || skip "the npm registry cannot be reached ($pin)"
    mkdir -p "$dir"
    echo "agents: installing $pin into $dir"
    timeout 600 npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$pin" > "$dir.log" 2>&1 ||
        { cat "$dir.log"; rm -rf "$dir"; echo "agents: FAILED to install $pin"; exit 1; }
done

run() {
    node "$here/run.js" --cache "$cache" --prempti "$prempti" --hook "$hook" --rules "$rules" \
        --agents "$agents" --timeout 90
}
if [ "$(id -u)" = 0 ] && unshare -n true 2> /dev/null; then
    echo "agents: running in a network namespace with loopback only"
    exec unshare -n sh -c 'ip link set lo up && exec node "$0" --cache "$1" --prempti "$2" --hook "$3" --rules "$4" --agents "$5" --timeout 90' \
        "$here/run.js" "$cache" "$prempti" "$hook" "$rules" "$agents"
fi
echo "agents: no network namespace here; every endpoint and proxy points at 127.0.0.1"
run
