'use strict';
// The Node binding against @cedar-policy/cedar-wasm and casbin on one
// 100-rule policy: 34 command-prefix rules, 33 path-glob rules, 33 host
// rules, each a deny. The same policy is written in each engine's language,
// every engine must give the same answer on every request (checked first),
// then each is timed on the same request mix, batch after batch in turn.
//
// usage: node compare.js CALLS BATCHES   (run.sh installs the packages)
// prints one JSON object: median ns per request of each engine.
const prempti = require('prempti');
const cedar = require('@cedar-policy/cedar-wasm/nodejs');
const casbin = require('casbin');

const N_CMD = 34;
const N_PATH = 33;
const N_HOST = 33;

const cmdPrefix = (i) => `deploy-${i} --force`;
const pathGlob = (i) => `/srv/app${i}/secrets/*.key`;
const host = (i) => `exfil${i}.example.net`;

// ---- the policy, three times ----

function premptiRules() {
  const rules = [];
  const rule = (name, cond) => `- rule: ${name}\n  desc: d\n  condition: ${cond}\n` +
    `  output: ${name}\n  priority: CRITICAL\n  source: coding_agent\n` +
    '  tags: [coding_agent_deny]\n';
  for (let i = 0; i < N_CMD; i++) {
    rules.push(rule(`cmd ${i}`, `tool.kind = shell and tool.input_command startswith "${cmdPrefix(i)}"`));
  }
  for (let i = 0; i < N_PATH; i++) {
    rules.push(rule(`path ${i}`, `tool.kind in (read, write, edit) and tool.real_file_path glob "${pathGlob(i)}"`));
  }
  for (let i = 0; i < N_HOST; i++) {
    rules.push(rule(`host ${i}`, `tool.kind = web and tool.url_host = "${host(i)}"`));
  }
  return rules.join('');
}

function cedarPolicies() {
  const p = ['permit(principal, action, resource);'];
  for (let i = 0; i < N_CMD; i++) {
    p.push(`forbid(principal, action == Action::"shell", resource) when { context.command like "${cmdPrefix(i)}*" };`);
  }
  for (let i = 0; i < N_PATH; i++) {
    p.push(`forbid(principal, action == Action::"file", resource) when { context.path like "${pathGlob(i)}" };`);
  }
  for (let i = 0; i < N_HOST; i++) {
    p.push(`forbid(principal, action == Action::"web", resource) when { context.host == "${host(i)}" };`);
  }
  return p.join('\n');
}

const CASBIN_MODEL = `
[request_definition]
r = act, obj
[policy_definition]
p = act, obj, how
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = r.act == p.act && (p.how == "prefix" && keyMatch(r.obj, p.obj) || p.how == "glob" && globMatch(r.obj, p.obj) || p.how == "exact" && r.obj == p.obj)
`;

function casbinPolicies() {
  const p = [];
  for (let i = 0; i < N_CMD; i++) p.push(`p, shell, ${cmdPrefix(i)}*, prefix`);
  for (let i = 0; i < N_PATH; i++) p.push(`p, file, ${pathGlob(i)}, glob`);
  for (let i = 0; i < N_HOST; i++) p.push(`p, web, ${host(i)}, exact`);
  return p.join('\n');
}

// ---- the requests: a hit and a miss of each kind ----

const REQUESTS = [
  { kind: 'shell', value: `${cmdPrefix(17)} prod`, deny: true },
  { kind: 'shell', value: 'npm test -- --watch=false', deny: false },
  { kind: 'write', value: '/srv/app21/secrets/tls.key', deny: true },
  { kind: 'write', value: '/srv/app21/public/index.html', deny: false },
  { kind: 'web', value: `https://${host(29)}/upload`, deny: true },
  { kind: 'web', value: 'https://registry.npmjs.org/casbin', deny: false },
];

function toolOf(r) {
  if (r.kind === 'shell') return { kind: 'shell', name: 'run', input: { command: r.value } };
  if (r.kind === 'web') return { kind: 'web', name: 'fetch', input: { url: r.value } };
  return { kind: 'write', name: 'save', input: { file_path: r.value, content: 'x' } };
}

const hostOf = (url) => new URL(url).hostname;

function cedarCall(r) {
  const action = r.kind === 'write' ? 'file' : r.kind;
  const context = r.kind === 'shell' ? { command: r.value }
    : r.kind === 'web' ? { host: hostOf(r.value) } : { path: r.value };
  return {
    principal: { type: 'Agent', id: 'agent' }, action: { type: 'Action', id: action },
    resource: { type: 'Tool', id: r.kind }, context, preparsedPolicySetId: 'bench',
    entities: [],
  };
}

function casbinArgs(r) {
  if (r.kind === 'shell') return ['shell', r.value];
  if (r.kind === 'web') return ['web', hostOf(r.value)];
  return ['file', r.value];
}

// ---- timing ----

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

// [wall ns, CPU ns] per call of a batch.
function timeBatch(fn, calls) {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < calls; i++) fn(i % REQUESTS.length);
  const used = process.cpuUsage(cpuStart);
  return [Number(process.hrtime.bigint() - start) / calls, ((used.user + used.system) * 1000) / calls];
}

async function main() {
  const calls = Number(process.argv[2] || 20000);
  const batches = Number(process.argv[3] || 7);
  const options = { paths: 'lexical', home: '/home/bench' };

  const engine = new prempti.Engine();
  engine.loadRulesText(premptiRules(), 'bench-100.yaml');
  if (engine.rules.length !== N_CMD + N_PATH + N_HOST) throw new Error('prempti: rule count');
  const tools = REQUESTS.map((r) => ({ ...toolOf(r), cwd: '/work' }));
  const events = tools.map((t) => prempti.Event.fromTool(t, options));

  const parsed = cedar.preparsePolicySet('bench', { staticPolicies: cedarPolicies() });
  if (parsed.type !== 'success') throw new Error(`cedar: ${JSON.stringify(parsed.errors)}`);
  const cedarCalls = REQUESTS.map(cedarCall);

  const enforcer = await casbin.newEnforcer(casbin.newModelFromString(CASBIN_MODEL),
    new casbin.StringAdapter(casbinPolicies()));
  const casbinCalls = REQUESTS.map(casbinArgs);

  const engines = {
    // From the raw request: the event is built, evaluated and freed, as a
    // harness does for each tool call.
    prempti: (k) => engine.evaluateTool(tools[k], options).decision === 'deny',
    // On prebuilt events: evaluation alone.
    prempti_evaluate: (k) => engine.evaluate(events[k]).decision === 'deny',
    cedar: (k) => {
      const a = cedar.statefulIsAuthorized(cedarCalls[k]);
      if (a.type !== 'success') throw new Error(`cedar: ${JSON.stringify(a.errors)}`);
      return a.response.decision === 'deny';
    },
    casbin: (k) => enforcer.enforceSync(...casbinCalls[k]),
  };

  // The same policy: every engine gives every request its expected answer.
  for (const [name, fn] of Object.entries(engines)) {
    REQUESTS.forEach((r, k) => {
      if (fn(k) !== r.deny) throw new Error(`${name} answers ${r.kind} ${r.value} wrongly`);
    });
  }

  const times = Object.fromEntries(Object.keys(engines).map((n) => [n, []]));
  const cpu = Object.fromEntries(Object.keys(engines).map((n) => [n, []]));
  for (let b = -1; b < batches; b++) { // batch -1 warms up
    for (const [name, fn] of Object.entries(engines)) {
      // casbin and cedar are far slower: fewer calls keep the batches short
      const n = name.startsWith('prempti') ? calls : Math.max(200, calls >> 5);
      const [t, c] = timeBatch(fn, n);
      if (b >= 0) {
        times[name].push(t);
        cpu[name].push(c);
      }
    }
  }
  const out = Object.fromEntries(Object.entries(times).map(([n, t]) => [n, median(t)]));
  out.cpu = Object.fromEntries(Object.entries(cpu).map(([n, c]) => [n, median(c)]));
  out.rules = engine.rules.length;
  out.requests = REQUESTS.length;
  out.cedar_version = cedar.getCedarVersion();
  out.casbin_version = require('casbin/package.json').version;
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
