'use strict';
// Shared by the tests: the policy and case table of bindings/testdata.
const fs = require('node:fs');
const path = require('node:path');
const prempti = require('prempti');

const TESTDATA = path.resolve(__dirname, '..', '..', 'testdata');
const POLICY = path.join(TESTDATA, 'policy.yaml');
const TABLE = JSON.parse(fs.readFileSync(path.join(TESTDATA, 'cases.json'), 'utf8'));

// Events do not depend on the machine: no symlinks resolved, a fixed $HOME.
const EVENT_OPTIONS = { paths: 'lexical', home: '/home/tester' };

function eventFor(c) {
  if (c.tool) {
    const { kind, name, input, cwd, agent } = c.tool;
    return prempti.Event.fromTool({ kind, name, input, cwd, agent }, EVENT_OPTIONS);
  }
  const payload = c.payload_text !== undefined ? c.payload_text : c.payload;
  return prempti.Event.fromJSON(payload, { agent: c.agent, ...EVENT_OPTIONS });
}

function policyEngine(options) {
  const engine = new prempti.Engine(options);
  engine.loadRules(POLICY);
  return engine;
}

function shell(command, extra = {}) {
  return prempti.Event.fromTool({ kind: 'shell', name: 'run', input: { command },
    cwd: '/home/tester/proj', ...extra }, EVENT_OPTIONS);
}

function pack(name, tag) {
  return `- rule: ${name}\n  desc: d\n  condition: tool.input_command startswith make\n` +
    `  output: ${name} saw %tool.input_command\n  priority: WARNING\n` +
    `  source: coding_agent\n  tags: [${tag}]\n`;
}

module.exports = { prempti, POLICY, TABLE, EVENT_OPTIONS, eventFor, policyEngine, shell, pack };
