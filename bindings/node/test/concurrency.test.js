'use strict';
// Many concurrent evaluateAsync calls, reloads while evaluating, objects
// released in any order, and no growth over 100,000 evaluations.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { prempti, TABLE, eventFor, policyEngine, shell, pack } = require('./helpers.js');

const gc = global.gc || (() => {});

test('thousands of concurrent evaluateAsync calls give the synchronous answers', async () => {
  const engine = policyEngine();
  const events = TABLE.cases.map(eventFor);
  const expected = events.map((ev) => {
    const r = engine.evaluate(ev);
    return [r.decision, r.matches.map((m) => m.rule), r.reason.split(' | ')[0]];
  });
  const N = 4000;
  const results = await Promise.all(Array.from({ length: N },
    (_, i) => engine.evaluateAsync(events[i % events.length])));
  results.forEach((r, i) => {
    const [decision, rules, reason] = expected[i % events.length];
    assert.equal(r.decision, decision);
    assert.deepEqual(r.matches.map((m) => m.rule), rules);
    assert.equal(r.reason.split(' | ')[0], reason);
  });
  assert.equal(new Set(results.map((r) => r.correlationId)).size, events.length,
    'one correlation id per event');
});

test('reload while evaluations are in flight', async (t) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'prempti-node-'));
  t.after(() => fs.rmSync(d, { recursive: true, force: true }));
  const file = path.join(d, 'pack.yaml');
  const packs = [pack('pack A', 'coding_agent_deny'), pack('pack B', 'coding_agent_allow')];
  fs.writeFileSync(file, packs[0]);
  const engine = new prempti.Engine();
  engine.loadRules(file);
  const make = shell('make all');
  const seen = new Set();
  const check = (r) => {
    const rule = { deny: 'pack A', allow: 'pack B' }[r.decision];
    assert.equal(r.matches.length, 1);
    assert.equal(r.matches[0].rule, rule, 'a result mixing engines');
    assert.ok(r.reason.startsWith(`${rule}:`));
    seen.add(r.decision);
  };
  for (let k = 1; k <= 60; k++) {
    const inFlight = Array.from({ length: 40 }, () => engine.evaluateAsync(make));
    fs.writeFileSync(file, packs[k % 2]);
    engine.reload();
    check(engine.evaluate(make));
    (await Promise.all(inFlight)).forEach(check);
  }
  assert.deepEqual([...seen].sort(), ['allow', 'deny']);
});

test('engines closed with evaluations in flight', async () => {
  for (let k = 0; k < 20; k++) {
    const engine = policyEngine();
    const ev = shell('rm -r x');
    const inFlight = Array.from({ length: 50 }, () => engine.evaluateAsync(ev));
    engine.close();
    for (const r of await Promise.all(inFlight)) assert.equal(r.decision, 'deny');
  }
});

test('objects released in any order', () => {
  const names = ['engine', 'event', 'result'];
  const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  for (const order of orders) {
    const objs = { engine: policyEngine(), event: shell('rm -r x') };
    objs.result = objs.engine.evaluate(objs.event);
    for (const i of order) {
      const name = names[i];
      if (name === 'engine') objs.engine.close();
      if (name === 'event') objs.event.close();
      delete objs[name];
      gc();
      if (objs.result) {
        assert.equal(objs.result.decision, 'deny');
        assert.ok(objs.result.response('codex').stderr);
      }
      if (objs.event) assert.equal(objs.event.field('tool.input_command'), 'rm -r x');
      if (objs.engine && objs.event) objs.engine.evaluate(objs.event);
    }
  }
});

function rssAfter(fn) {
  fn();
  gc();
  return process.memoryUsage().rss;
}

// 100,000 evaluations must not grow the process. A leaked native result
// (about 5 KB for these events) per evaluation would add 500 MB; the bound
// leaves room for the JS heap settling.
const BOUND = 8 * 1024 * 1024;

test('no growth over 100,000 synchronous evaluations', { skip: !global.gc && 'needs --expose-gc' }, () => {
  const engine = policyEngine();
  const deny = shell('rm -rf x');
  const ls = shell('ls');
  const step = (n) => {
    for (let i = 0; i < n; i++) {
      const r = engine.evaluate(deny);
      if (r.matches[0].rule !== 'Deny recursive delete') throw new Error(r.reason);
      engine.evaluate(ls);
    }
  };
  const before = rssAfter(() => step(20000));
  const after = rssAfter(() => step(100000));
  assert.ok(after - before < BOUND, `RSS grew by ${after - before} bytes`);
});

test('no growth over 100,000 asynchronous evaluations', { skip: !global.gc && 'needs --expose-gc' }, async () => {
  const engine = policyEngine();
  const deny = shell('rm -rf x');
  const batch = async (n) => {
    for (let i = 0; i < n; i += 1000) {
      await Promise.all(Array.from({ length: 1000 }, () => engine.evaluateAsync(deny)));
    }
  };
  // The libuv threads' malloc arenas settle over the first tens of
  // thousands of calls: warm up longer than for synchronous calls.
  await batch(60000);
  gc();
  const before = process.memoryUsage().rss;
  await batch(100000);
  gc();
  const after = process.memoryUsage().rss;
  // The pool threads' malloc arenas may still grow by tens of MB under a
  // loaded machine; a leaked native result (about 5 KB for this event)
  // would add 500 MB.
  assert.ok(after - before < 4 * BOUND, `RSS grew by ${after - before} bytes`);
});

test('no growth over 100,000 one-call evaluations of new tool calls', { skip: !global.gc && 'needs --expose-gc' }, () => {
  const engine = policyEngine();
  const step = (n) => {
    for (let i = 0; i < n; i++) {
      const r = engine.evaluateTool({ kind: 'shell', name: 'run', input: { command: `rm -r d${i}` } });
      if (r.decision !== 'deny') throw new Error(r.reason);
    }
  };
  const before = rssAfter(() => step(20000));
  const after = rssAfter(() => step(100000));
  assert.ok(after - before < BOUND, `RSS grew by ${after - before} bytes`);
});

test('no growth from events and errors', { skip: !global.gc && 'needs --expose-gc' }, async () => {
  const engine = policyEngine();
  const step = (n) => {
    for (let i = 0; i < n; i++) {
      const ev = prempti.Event.fromTool({ kind: 'write', name: 'save', input: { file_path: '/etc/x' } });
      engine.evaluate(ev).response('claude_code');
      ev.close();
      try { prempti.Event.fromJSON('{"tool":{"kind":"teleport"}}'); } catch (e) { /* expected */ }
    }
  };
  const before = rssAfter(() => step(10000));
  const after = rssAfter(() => step(30000));
  assert.ok(after - before < BOUND, `RSS grew by ${after - before} bytes`);
});
