#!/bin/sh
# Runs a command with a fresh temporary HOME and none of the PREMPTI_* or
# agent directory variables, so that no personal configuration leaks in.
# usage: isolated.sh PROGRAM [ARGS...]
set -eu
home=$(mktemp -d "${TMPDIR:-/tmp}/prempti-isolated-XXXXXX")
trap 'rm -rf "$home"' EXIT
unset PREMPTI_CONFIG PREMPTI_MODE PREMPTI_FLOOR PREMPTI_RULES PREMPTI_AUDIT_LOG \
      PREMPTI_FAIL_OPEN CLAUDE_CONFIG_DIR CODEX_HOME COPILOT_HOME
HOME=$home "$@"
