'use strict';
// The shared case table: every decision, every error type with its position.
const test = require('node:test');
const assert = require('node:assert/strict');
const { prempti, TABLE, EVENT_OPTIONS, eventFor, policyEngine } = require('./helpers.js');

test('every case gets its decision, rules, reason and matches', () => {
  const engine = policyEngine();
  const seen = new Set();
  for (const c of TABLE.cases) {
    const r = engine.evaluate(eventFor(c));
    assert.equal(r.decision, c.decision, c.name);
    assert.deepEqual(r.matches.map((m) => m.rule), c.rules, c.name);
    assert.ok(r.reason.startsWith(c.reason_starts), `${c.name}: ${r.reason}`);
    if (!c.reason_starts) {
      assert.equal(r.reason, '', c.name);
      assert.equal(r.decidingMatch, null, c.name);
    } else {
      assert.equal(r.decidingMatch.rule, c.rules[0], c.name);
      assert.equal(r.matches[0].output, c.reason_starts.split(': ').slice(1).join(': '));
    }
    if (c.priority) {
      assert.equal(r.matches[0].priority.toUpperCase(), c.priority, c.name);
      assert.deepEqual(r.matches[0].tags, c.tags, c.name);
    }
    if (c.agent_is) assert.equal(eventFor(c).agent, c.agent_is, c.name);
    assert.match(r.correlationId, /^[1-9][0-9]*$/);
    seen.add(r.decision);
  }
  assert.deepEqual([...seen].sort(), Object.values(prempti.Decision).sort(),
    'the table covers every decision');
});

test('the same cases in one call, from the payload or the tool call', () => {
  const engine = policyEngine();
  for (const c of TABLE.cases) {
    const r = c.tool ? engine.evaluateTool(c.tool, EVENT_OPTIONS)
      : engine.evaluateJSON(c.payload, { agent: c.agent, ...EVENT_OPTIONS });
    assert.equal(r.decision, c.decision, c.name);
    assert.deepEqual(r.matches.map((m) => m.rule), c.rules, c.name);
    assert.ok(r.reason.startsWith(c.reason_starts), c.name);
    if (c.agent_is) { // the same answer, but for the per-event correlation id
      const text = (resp) => JSON.stringify(resp).replace(/correlation=\d+/g, '');
      assert.equal(text(r.response()), text(engine.evaluate(eventFor(c)).response()), c.name);
    }
  }
  for (const c of TABLE.event_errors) {
    const payload = c.payload_text !== undefined ? c.payload_text : c.payload;
    assert.throws(() => engine.evaluateJSON(payload, { agent: c.agent }),
      (e) => e instanceof prempti[c.error] && e.kind === c.kind, c.name);
  }
});

test('the same cases evaluated asynchronously', async () => {
  const engine = policyEngine();
  const results = await Promise.all(TABLE.cases.map((c) => engine.evaluateAsync(eventFor(c))));
  results.forEach((r, i) => {
    const c = TABLE.cases[i];
    assert.equal(r.decision, c.decision, c.name);
    assert.deepEqual(r.matches.map((m) => m.rule), c.rules, c.name);
    assert.ok(r.reason.startsWith(c.reason_starts), c.name);
  });
});

test('event errors', () => {
  for (const c of TABLE.event_errors) {
    assert.throws(() => eventFor(c), (e) => {
      assert.ok(e instanceof prempti[c.error], `${c.name}: ${e.name}`);
      assert.ok(e instanceof prempti.PremptiError && e instanceof Error);
      assert.equal(e.kind, c.kind, c.name);
      assert.ok(e.status < 0 && e.code.startsWith('PREMPTI_E_'));
      return true;
    });
  }
});

test('rules errors carry their position, and change nothing', () => {
  const engine = policyEngine();
  const before = engine.rules;
  for (const c of TABLE.rules_errors) {
    assert.throws(() => engine.loadRulesText(c.text, c.name_given), (e) => {
      assert.ok(e instanceof prempti.RulesError, c.name);
      assert.deepEqual([e.file, e.line, e.column], [c.file, c.line, c.column], c.name);
      assert.equal(e.kind, c.kind);
      assert.ok(['PREMPTI_E_RULE', 'PREMPTI_E_YAML'].includes(e.code));
      assert.ok(e.message.startsWith(`${e.file}:${e.line}:${e.column}: `), e.message);
      return true;
    });
    assert.deepEqual(engine.rules, before);
  }
});

test('file, limit and option errors', () => {
  const engine = new prempti.Engine();
  assert.throws(() => engine.loadRules('/nonexistent/rules.yaml'),
    (e) => e instanceof prempti.FileError && /nonexistent/.test(e.message));
  const small = new prempti.Engine({ max_rules_bytes: 1024 });
  assert.throws(() => small.loadRulesText('# ' + 'x'.repeat(2000)), prempti.LimitError);
  assert.throws(() => prempti.Event.fromTool({ kind: 'shell', input: { command: 'x'.repeat(2000) } },
    { max_event_bytes: 1024 }), prempti.LimitError);
  assert.throws(() => new prempti.Engine({ floor: 'deny' }),
    (e) => e instanceof prempti.InvalidArgumentError && /floor/.test(e.message));
  assert.throws(() => new prempti.Engine({ no_such_option: 1 }), prempti.UnsupportedError);
  assert.throws(() => new prempti.Engine({ reason_suffix: ' | %no.such_field' }),
    (e) => e instanceof prempti.InvalidArgumentError && /reason_suffix/.test(e.message));
  assert.throws(() => new prempti.Engine({ floor: {} }), TypeError);
});
