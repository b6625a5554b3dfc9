// End-to-end runs of the agents' own CLIs with the hook adapter installed
// by `prempti install`, each CLI pointed at the mock model server on
// 127.0.0.1. Usage: node run.js --cache DIR --prempti BIN --hook BIN
//   --rules DIR [--agents a,b] [--timeout SECONDS]
// Prints one line per agent x scenario and closes with "N passed, N failed".
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const {spawn, spawnSync} = require('child_process');
const mock = require('./mock.js');
const {agents} = require('./agents.js');
const {scenarios} = require('./scenarios.js');

function args() {
  const a = {agents: Object.keys(agents).join(','), timeout: '120'};
  for (let i = 2; i < process.argv.length; i += 2) a[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
  for (const k of ['cache', 'prempti', 'hook', 'rules'])
    if (!a[k]) throw new Error(`missing --${k}`);
  return a;
}

// Runs a CLI in its own process group, killed (the group, nothing else)
// when it outlives the limit.
function runBounded(bin, argv, opts, seconds) {
  return new Promise((resolve) => {
    const child = spawn(bin, argv, {...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
    let out = '', err = '', timedOut = false;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch (e) { /* already gone */ }
    }, seconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      try { process.kill(-child.pid, 'SIGKILL'); } catch (e) { /* no stragglers left */ }
      resolve({code, out, err, timedOut});
    });
    child.on('error', (e) => { clearTimeout(timer); resolve({code: -1, out, err: String(e), timedOut}); });
  });
}

function prempti(o, env, ...argv) {
  const r = spawnSync(o.prempti, argv, {env, encoding: 'utf8', timeout: 60000});
  return {code: r.status, text: (r.stdout || '') + (r.stderr || '')};
}

function writeConfig(home, lines) {
  fs.mkdirSync(path.join(home, '.prempti'), {recursive: true});
  fs.writeFileSync(path.join(home, '.prempti', 'config.yaml'), lines.join('\n') + '\n');
}

function auditRecords(home) {
  const f = path.join(home, 'audit.jsonl');
  if (!fs.existsSync(f)) return [];
  return fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

// What the agent sent to the model after the tool call (the requests that
// carry a tool result), as text.
function afterCall(requests) {
  return requests.filter((r) => /tool_result|_call_output|functionResponse/.test(r.raw || ''))
    .map((r) => r.raw).join('\n');
}

async function runScenario(o, agent, sc, home, proj) {
  const ctx = {home, proj, agent: agent.name, bin: agent.bin(o.cache), env: {...baseEnv(home), ...agent.env(home)}};
  const cfg = [`audit_log: ${path.join(home, 'audit.jsonl')}`];
  const rules = [o.rules, path.join(__dirname, 'rules.yaml')];
  if (sc.brokenRules) rules.push(path.join(__dirname, 'broken_rules.yaml'));
  cfg.push('rules:', ...rules.map((r) => `  - ${r}`));
  if (sc.monitor) cfg.push('mode: monitor');
  writeConfig(home, cfg);
  fs.rmSync(path.join(home, 'audit.jsonl'), {force: true});
  const action = sc.action(ctx);
  const plan = {
    anthropic: agent.anthropicCall ? agent.anthropicCall(action) : null,
    openai: (tools) => (agent.openaiCall ? agent.openaiCall(action, tools) : null),
    gemini: agent.geminiCall ? agent.geminiCall(action) : null,
  };
  if (sc.before) sc.before(ctx);
  const server = await mock.start(plan);
  const run = agent.command(ctx, server.port, sc);
  const started = Date.now();
  const r = await runBounded(run.bin, run.argv, {cwd: proj, env: run.env}, Number(o.timeout));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  await server.close();
  if (sc.after) sc.after(ctx);
  const seen = {
    requests: server.requests,
    toModel: afterCall(server.requests),
    all: server.requests.map((q) => q.raw || '').join('\n'),
    audit: auditRecords(home),
    run: r,
  };
  const problems = r.timedOut ? [`did not finish within ${o.timeout} s`] : [];
  if (!r.timedOut && !server.requests.some((q) => /tool_result|_call_output|functionResponse/.test(q.raw || '')))
    problems.push('the agent never sent a tool result back to the model');
  problems.push(...sc.expect(seen, ctx));
  return {problems, seconds, r, seen};
}

function baseEnv(home) {
  const env = {PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', TERM: 'dumb', TMPDIR: os.tmpdir(),
               // anything that is not loopback goes to a closed loopback port
               HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9',
               http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9',
               ALL_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost',
               no_proxy: '127.0.0.1,localhost'};
  return env;
}

// Whether the settings are back as before the install: the same text, or
// for a JSON file the agent itself rewrites (Gemini CLI records its own
// state there), every member it had before unchanged and no trace of the
// adapter.
function same(before, after) {
  if (!fs.existsSync(before) || !fs.existsSync(after)) return fs.existsSync(before) === fs.existsSync(after);
  const a = fs.readFileSync(before, 'utf8'), b = fs.readFileSync(after, 'utf8');
  if (a === b) return true;
  if (!after.endsWith('.json') || b.includes('prempti-hook')) return false;
  const x = JSON.parse(a), y = JSON.parse(b);
  return Object.keys(x).every((k) => JSON.stringify(x[k]) === JSON.stringify(y[k]));
}

async function runAgent(o, name) {
  const agent = {...agents[name], name};
  const results = [];
  const report = (scenario, problems, extra) => {
    results.push(problems.length === 0);
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name.padEnd(11)} ${scenario.padEnd(22)} ${extra || ''}`);
    for (const p of problems) console.log(`       ${p}`);
  };
  const bin = agent.bin(o.cache);
  if (!fs.existsSync(bin)) {
    report('setup', [`${bin} is not installed`]);
    return results;
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `prempti-e2e-${name}-`));
  try {
    const proj = path.join(home, 'project');
    fs.mkdirSync(proj, {recursive: true});
    fs.mkdirSync(path.join(home, 'bin'));
    const hook = path.join(home, 'bin', 'prempti-hook');
    fs.copyFileSync(o.hook, hook);
    fs.chmodSync(hook, 0o755);
    const env = {...baseEnv(home), ...agent.env(home)};
    agent.setup(home, proj);
    const file = agent.settingsFile(home);
    const before = path.join(home, 'settings-before');
    if (fs.existsSync(file)) fs.copyFileSync(file, before);
    writeConfig(home, [`rules:`, `  - ${o.rules}`]);
    const inst = prempti(o, env, 'install', '--hook', hook, name);
    report('install', inst.code === 0 ? [] : [`prempti install exited ${inst.code}: ${inst.text}`]);
    const st = prempti(o, env, 'status');
    report('status after install',
           /warning/.test(st.text.split('agents:')[1] || '') ? [`status warns: ${st.text}`] : []);
    for (const sc of scenarios) {
      if (sc.only && !sc.only.includes(name)) continue;
      if (sc.removeAdapter) fs.renameSync(hook, hook + '.moved');
      let res;
      try {
        res = await runScenario(o, agent, sc, home, proj);
      } finally {
        if (sc.removeAdapter) fs.renameSync(hook + '.moved', hook);
      }
      report(sc.name, res.problems, `${res.seconds} s`);
      if (res.problems.length && process.env.PREMPTI_E2E_VERBOSE) {
        console.log(`       exit ${res.r.code}\n       stdout: ${res.r.out.slice(-1500)}\n       stderr: ${res.r.err.slice(-1500)}`);
        console.log(`       requests: ${res.seen.requests.length}; audit: ${JSON.stringify(res.seen.audit).slice(0, 1500)}`);
        console.log(`       to model: ${res.seen.toModel.slice(-1500)}`);
      }
    }
    const un = prempti(o, env, 'uninstall', name);
    const restored = un.code === 0 && same(before, file);
    report('uninstall restores', restored ? [] : [`uninstall exited ${un.code}: ${un.text}; ${file} differs from before the install`]);
  } finally {
    if (!process.env.PREMPTI_E2E_KEEP) fs.rmSync(home, {recursive: true, force: true});
  }
  return results;
}

(async () => {
  const o = args();
  let passed = 0, failed = 0;
  for (const name of o.agents.split(',')) {
    for (const ok of await runAgent(o, name)) ok ? passed++ : failed++;
  }
  console.log(`agents: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
