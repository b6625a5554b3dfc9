// How each agent CLI is run against the mock: where it is installed, its
// environment and configuration (every endpoint on 127.0.0.1, dummy keys),
// and how the mock asks it for a shell command, a file read or a patch.
'use strict';
const fs = require('fs');
const path = require('path');

const PROMPT = 'Use the tool you are asked to use, then report what it returned.';

function binIn(cache, pkgdir, name) {
  return path.join(cache, pkgdir, 'node_modules', '.bin', name);
}

// Codex's shell tool, whichever form this model is offered.
function shellCall(byName, command) {
  if (byName.shell_command) return {name: 'shell_command', input: {command}};
  if (byName.exec_command) return {name: 'exec_command', input: {cmd: command}};
  if (byName.shell) return {name: 'shell', input: {command: ['bash', '-lc', command]}};
  return null;
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

const agents = {
  claude_code: {
    bin: (cache) => binIn(cache, '_anthropic-ai_claude-code_2.1.332', 'claude'),
    settingsFile: (home) => path.join(home, '.claude', 'settings.json'),
    setup: (home) => writeJson(path.join(home, '.claude', 'settings.json'), {cleanupPeriodDays: 30}),
    env: (home) => ({CLAUDE_CONFIG_DIR: path.join(home, '.claude'), ANTHROPIC_API_KEY: 'sk-ant-dummy',
                     DISABLE_AUTOUPDATER: '1', DISABLE_TELEMETRY: '1', DISABLE_ERROR_REPORTING: '1',
                     CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1'}),
    command: (ctx, port) => ({
      bin: ctx.bin, env: {...ctx.env, ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}`},
      argv: ['-p', PROMPT, '--output-format', 'json', '--allowedTools', 'Bash', 'Read']}),
    anthropicCall: (a) => (a.kind === 'read' ? {name: 'Read', input: {file_path: a.path}}
                                             : {name: 'Bash', input: {command: a.command, description: 'run it'}}),
  },
  codex: {
    bin: (cache) => binIn(cache, '_openai_codex_0.171.0', 'codex'),
    settingsFile: (home) => path.join(home, '.codex', 'config.toml'),
    setup: (home) => {
      fs.mkdirSync(path.join(home, '.codex'), {recursive: true});
      fs.writeFileSync(path.join(home, '.codex', 'config.toml'),
        'model = "gpt-5-codex"\nmodel_provider = "mock"\n\n[model_providers.mock]\nname = "mock"\n' +
        'base_url = "http://127.0.0.1:9/v1"\nwire_api = "responses"\nenv_key = "MOCK_API_KEY"\n');
    },
    env: (home) => ({CODEX_HOME: path.join(home, '.codex'), MOCK_API_KEY: 'dummy', SHELL: '/bin/bash'}),
    command: (ctx, port) => ({
      bin: ctx.bin, env: ctx.env,
      argv: ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox',
             '-c', `model_providers.mock.base_url="http://127.0.0.1:${port}/v1"`, PROMPT]}),
    openaiCall: (a, tools) => {
      const byName = Object.fromEntries(tools.map((t) => [t.name || (t.function && t.function.name), t]));
      const command = a.kind === 'read' ? `cat ${a.path}` : a.command;
      if (a.kind === 'patch' && byName.apply_patch)
        return byName.apply_patch.type === 'custom'
          ? {type: 'custom', name: 'apply_patch', input: a.patch}
          : {name: 'apply_patch', input: {input: a.patch}};
      const command2 = a.kind === 'patch' ? `apply_patch <<'EOF'\n${a.patch}EOF\n` : command;
      return shellCall(byName, command2);
    },
  },
  gemini: {
    bin: (cache) => binIn(cache, '_google_gemini-cli_0.61.0', 'gemini'),
    settingsFile: (home) => path.join(home, '.gemini', 'settings.json'),
    setup: (home, proj) => {
      writeJson(path.join(home, '.gemini', 'settings.json'), {
        security: {auth: {selectedType: 'gemini-api-key'}},
        privacy: {usageStatisticsEnabled: false}, telemetry: {enabled: false},
        general: {enableAutoUpdate: false, enableAutoUpdateNotification: false}});
      // the user trusts the project folder: in one not trusted Gemini runs no hooks
      writeJson(path.join(home, '.gemini', 'trustedFolders.json'), {[proj]: 'TRUST_FOLDER'});
    },
    env: () => ({GEMINI_API_KEY: 'dummy', GEMINI_CLI_NO_RELAUNCH: 'true'}),
    command: (ctx, port) => ({
      bin: ctx.bin, env: {...ctx.env, GOOGLE_GEMINI_BASE_URL: `http://127.0.0.1:${port}`},
      argv: ['-p', PROMPT, '--approval-mode', 'yolo', '-m', 'gemini-2.5-pro', '--output-format', 'json']}),
    geminiCall: (a) => (a.kind === 'read' ? {name: 'read_file', input: {file_path: a.path}}
                                          : {name: 'run_shell_command', input: {command: a.command}}),
  },
  copilot: {
    bin: (cache) => binIn(cache, '_github_copilot_1.0.102', 'copilot'),
    settingsFile: (home) => path.join(home, '.copilot', 'hooks', 'prempti.json'),
    setup: (home) => fs.mkdirSync(path.join(home, '.copilot'), {recursive: true}),
    env: (home) => ({COPILOT_HOME: path.join(home, '.copilot'), COPILOT_PROVIDER_TYPE: 'anthropic',
                     COPILOT_PROVIDER_API_KEY: 'dummy', COPILOT_MODEL: 'claude-sonnet-4.5',
                     COPILOT_AUTO_UPDATE: 'false'}),
    command: (ctx, port) => ({
      bin: ctx.bin, env: {...ctx.env, COPILOT_PROVIDER_BASE_URL: `http://127.0.0.1:${port}`},
      argv: ['-p', PROMPT, '--allow-all-tools', '--disable-client-telemetry']}),
    anthropicCall: (a) => (a.kind === 'read' ? {name: 'view', input: {path: a.path}}
                                             : {name: 'bash', input: {command: a.command, description: 'run it'}}),
  },
};

module.exports = {agents};
