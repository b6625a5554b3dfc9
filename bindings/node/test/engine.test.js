'use strict';
// Engines, events and results one feature at a time.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { prempti, POLICY, EVENT_OPTIONS, policyEngine, shell, pack } = require('./helpers.js');

function tmpdir(t) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'prempti-node-'));
  t.after(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

test('options by key', () => {
  assert.equal(policyEngine({ floor: 'allow' }).evaluate(shell('ls')).decision, 'allow');
  const monitor = policyEngine({ mode: 'monitor' }).evaluate(shell('rm -rf x'));
  assert.equal(monitor.decision, 'defer');
  assert.equal(monitor.wouldBe, 'deny');
  const suffixed = policyEngine({ reason_suffix: ' | tool=%tool.name', deny_tags: ['coding_agent_deny', 'x'] });
  assert.ok(suffixed.evaluate(shell('rm -r x')).reason.endsWith(' | tool=run'));
});

test('files and directories load as one step; a failure changes nothing', (t) => {
  const d = tmpdir(t);
  fs.writeFileSync(path.join(d, 'a.yaml'), pack('from a', 'coding_agent_deny'));
  const engine = new prempti.Engine();
  engine.loadRules(POLICY, d);
  assert.deepEqual(engine.rules.map((r) => r.name).slice(-1), ['from a']);
  assert.equal(engine.evaluate(shell('make')).decision, 'deny');
  const before = engine.rules;
  assert.throws(() => engine.loadRules(path.join(d, 'a.yaml'), '/nonexistent.yaml'),
    prempti.FileError);
  assert.deepEqual(engine.rules, before);
  assert.throws(() => engine.loadRules(), TypeError);
});

test('rules text, Buffers and names', () => {
  const engine = new prempti.Engine();
  engine.loadRules(Buffer.from(POLICY));
  engine.loadRulesText(pack('texted', 'coding_agent_deny'), 'extra');
  assert.equal(engine.rules.at(-1).file, 'extra');
  engine.loadRulesText(Buffer.from(pack('buffered', 'coding_agent_deny')));
  assert.equal(engine.rules.at(-1).file, '<rules>');
  assert.equal(engine.evaluate(shell('make')).decision, 'deny');
  assert.throws(() => engine.loadRulesText(42), TypeError);
});

test('rule metadata', () => {
  const r = policyEngine().rules[0];
  assert.deepEqual(r, {
    name: 'Deny recursive delete', description: 'rm -r of anything', priority: 'Critical',
    tags: ['coding_agent_deny', 'files'], file: POLICY, line: 6, column: 3, active: true,
  });
});

test('warnings', () => {
  const engine = new prempti.Engine();
  engine.loadRulesText('- macro: unused\n  condition: tool.kind = shell\n', 'w.yaml');
  const [w] = engine.warnings;
  assert.deepEqual([w.severity, w.kind, w.file, w.line], ['warning', 'LOAD_UNUSED_MACRO', 'w.yaml', 1]);
  assert.match(String(w), /^w\.yaml:1:\d+: warning: /);
});

test('reload reads the files again, or other paths', (t) => {
  const d = tmpdir(t);
  const file = path.join(d, 'r.yaml');
  fs.writeFileSync(file, pack('first', 'coding_agent_deny'));
  const engine = new prempti.Engine();
  engine.loadRules(file);
  assert.equal(engine.evaluate(shell('make')).decision, 'deny');
  fs.writeFileSync(file, pack('second', 'coding_agent_allow'));
  engine.reload();
  assert.equal(engine.evaluate(shell('make')).decision, 'allow');
  fs.writeFileSync(file, '- rule: [broken\n');
  assert.throws(() => engine.reload(), prempti.RulesError);
  assert.deepEqual(engine.rules.map((r) => r.name), ['second']);
  engine.reload(POLICY);
  assert.equal(engine.evaluate(shell('make')).decision, 'defer');
  assert.equal(engine.rules.length, 4);
});

test('events from strings, Buffers and objects', () => {
  const payload = { hook_event_name: 'PreToolUse', tool_name: 'Bash', session_id: 's',
    tool_input: { command: 'rm -r x' }, cwd: '/p' };
  const engine = policyEngine();
  for (const p of [JSON.stringify(payload), Buffer.from(JSON.stringify(payload)),
    new Uint8Array(Buffer.from(JSON.stringify(payload))), payload]) {
    const ev = prempti.Event.fromJSON(p);
    assert.deepEqual([ev.agent, ev.hook], ['claude_code', 'PreToolUse']);
    assert.equal(engine.evaluate(ev).decision, 'deny');
  }
  assert.equal(prempti.Event.fromJSON(payload, { agent: 'codex' }).agent, 'codex');
  assert.throws(() => prempti.Event.fromJSON(42), TypeError);
  assert.throws(() => new prempti.Event(), TypeError);
});

test('fromTool fields', () => {
  const ev = prempti.Event.fromTool({ kind: 'mcp', name: 'create_issue', input: { title: 't' },
    server: 'github', agent: 'acme', sessionId: 's1', toolUseId: 'c1' });
  assert.deepEqual([ev.agent, ev.hook], ['acme', '']);
  for (const [field, value] of [['tool.kind', 'mcp'], ['mcp.server', 'github'],
    ['mcp.tool', 'create_issue'], ['agent.session_id', 's1'], ['tool.use_id', 'c1'],
    ['tool.input[title]', 't'], ['agent.dialect', 'neutral'], ['tool.input[absent]', null]]) {
    assert.equal(ev.field(field), value, field);
  }
  assert.throws(() => ev.field('no.such.field'), prempti.UnsupportedError);
  const read = prempti.Event.fromTool({ kind: 'read', input: { file_path: '/x' } });
  assert.deepEqual([read.agent, read.field('tool.name')], ['custom', 'read']);
});

test('responses for the event\'s agent and for a chosen one', () => {
  const engine = policyEngine();
  const r = engine.evaluate(prempti.Event.fromJSON({ hook_event_name: 'PreToolUse',
    tool_name: 'Bash', tool_input: { command: 'rm -r x' }, cwd: '/p', session_id: 's' }));
  const own = r.response();
  assert.equal(own.exitCode, 0);
  assert.equal(JSON.parse(own.stdout).hookSpecificOutput.permissionDecision, 'deny');
  assert.ok(own.stderr.startsWith('Deny recursive delete: '));
  assert.equal(JSON.parse(r.response('gemini').stdout).decision, 'deny');

  const neutral = engine.evaluate(shell('rm -r x', { agent: 'acme' }));
  assert.throws(() => neutral.response(), (e) => e instanceof prempti.UnsupportedError && /acme/.test(e.message));
  assert.equal(JSON.parse(neutral.response('cursor').stdout).permission, 'deny');
  assert.throws(() => neutral.response('windsurf'), prempti.UnsupportedError);
  const allow = engine.evaluate(shell('ls')).response('claude_code');
  assert.deepEqual(allow, { stdout: '', stderr: '', exitCode: 0 });
  const json = JSON.parse(JSON.stringify(neutral));
  assert.equal(json.decision, 'deny');
  assert.equal(json.matches[0].rule, 'Deny recursive delete');
});

test('a chosen agent is answered as its own event would be', () => {
  const engine = policyEngine();
  const strip = (r) => JSON.stringify(r).replace(/correlation=\d+/g, '');
  for (const agent of ['claude_code', 'codex', 'copilot', 'gemini', 'cursor']) {
    for (const path of ['/etc/hosts', '/home/tester/proj/a']) { // ask; defer
      const tool = { kind: 'write', name: 'save', input: { file_path: path, content: 'x' } };
      const other = engine.evaluateTool({ ...tool, agent: 'acme' }, EVENT_OPTIONS);
      const own = engine.evaluate(prempti.Event.fromTool({ ...tool, agent }, EVENT_OPTIONS));
      assert.equal(strip(other.response(agent)), strip(own.response()), `${agent} ${path}`);
    }
  }
});

test('close, and what may still be used after it', async () => {
  const engine = policyEngine();
  const ev = shell('rm -r x');
  const pending = engine.evaluateAsync(ev);
  const result = engine.evaluate(ev);
  engine.close();
  engine.close();
  assert.ok(engine.closed);
  assert.equal(result.decision, 'deny'); // results stand alone
  assert.equal((await pending).decision, 'deny'); // in flight: finishes on its engine
  assert.throws(() => engine.evaluate(ev), prempti.InvalidArgumentError);
  await assert.rejects(engine.evaluateAsync(ev), prempti.InvalidArgumentError);
  assert.throws(() => engine.rules, prempti.InvalidArgumentError);
  assert.throws(() => engine.reload(), prempti.InvalidArgumentError);
  ev.close();
  assert.throws(() => policyEngine().evaluate(ev), /closed/);
  assert.throws(() => policyEngine().evaluate('{}'), TypeError);
});

test('handles of the wrong kind are refused, not misread', () => {
  const engine = policyEngine();
  const ev = shell('ls');
  const forged = Object.create(prempti.Event.prototype);
  forged._handle = engine._handle;
  forged.agent = 'x';
  forged.hook = '';
  assert.throws(() => engine.evaluate(forged), TypeError);
  ev._handle = {};
  assert.throws(() => engine.evaluate(ev), TypeError);
});

test('the installed default pack', () => {
  const dir = prempti.defaultRulesDir();
  assert.ok(dir && fs.existsSync(path.join(dir, '00-base.yaml')), dir);
  const engine = new prempti.Engine();
  engine.loadRules(dir);
  assert.ok(engine.rules.length > 0);
  assert.equal(prempti.libraryVersion(), require('../package.json').version);
});
