// The scenarios every agent runs: what the mock model asks the agent to do,
// and what must hold afterwards. Markers in the commands select the rules
// of rules.yaml; each rule's output holds a word looked for in what the
// agent sends back to the model.
'use strict';
const fs = require('fs');
const path = require('path');

const SECRET = 'SECRET-KEY-MATERIAL-5f3a';

const exists = (ctx, f) => fs.existsSync(path.join(ctx.proj, f));
const has = (text, word, what) => (text.includes(word) ? [] : [`${what}: the model was not told '${word}'`]);
const ran = (ctx, f) => (exists(ctx, f) ? [] : [`the command did not run (${f} missing)`]);
const blocked = (ctx, f) => (exists(ctx, f) ? [`the command ran (${f} exists)`] : []);
const audit = (seen, pred, what) => (seen.audit.some(pred) ? [] : [`no audit record ${what}: ${JSON.stringify(seen.audit).slice(0, 400)}`]);
const shell = (command) => () => ({kind: 'shell', command});

// Agents that can only block an ask must say so, not that they ask.
const ASK_BLOCKERS = ['codex', 'gemini'];

const scenarios = [
  {name: 'allow', action: shell('echo prempti-e2e-allow > allow.out'),
   expect: (seen, ctx) => [...ran(ctx, 'allow.out'), ...audit(seen, (a) => a.decision === 'allow', 'with decision allow')]},
  {name: 'deny', action: shell('echo prempti-e2e-deny > deny.out'),
   expect: (seen, ctx) => [...blocked(ctx, 'deny.out'), ...has(seen.toModel, 'E2E-DENY-REASON', 'deny')]},
  {name: 'ask', action: shell('echo prempti-e2e-ask > ask.out'),
   expect: (seen, ctx) => [...blocked(ctx, 'ask.out'), ...has(seen.toModel, 'E2E-ASK-REASON', 'ask'),
                           ...(ASK_BLOCKERS.includes(ctx.agent)
                             ? has(seen.toModel, 'requires the user\'s confirmation', 'ask as a block') : [])]},
  {name: 'denied read',
   before: (ctx) => {
     fs.mkdirSync(path.join(ctx.proj, '.ssh'), {recursive: true, mode: 0o700});
     fs.writeFileSync(path.join(ctx.proj, '.ssh', 'id_rsa'), `-----BEGIN KEY-----\n${SECRET}\n`, {mode: 0o600});
   },
   action: (ctx) => ({kind: 'read', path: path.join(ctx.proj, '.ssh', 'id_rsa')}),
   expect: (seen) => [...(seen.all.includes(SECRET) ? ['the key\'s content reached the model'] : []),
                      ...has(seen.toModel, 'credential', 'denied read')]},
  {name: 'apply_patch', only: ['codex'],
   action: () => ({kind: 'patch', patch: '*** Begin Patch\n*** Add File: ../outside-project.txt\n+written by a patch\n*** End Patch\n'}),
   expect: (seen, ctx) => [
     ...(fs.existsSync(path.join(ctx.home, 'outside-project.txt')) ? ['the patch wrote outside the project'] : []),
     ...has(seen.toModel, 'outside the project directory', 'apply_patch'),
     ...audit(seen, (a) => /outside-project\.txt/.test(a.reason || ''), 'of the patch')]},
  {name: 'broken rules', brokenRules: true, action: shell('echo prempti-e2e-allow > broken.out'),
   expect: (seen, ctx) => [...blocked(ctx, 'broken.out'), ...audit(seen, (a) => /rules failed to load/.test(a.error || ''), 'of the load error')]},
  {name: 'missing adapter', removeAdapter: true, action: shell('echo prempti-e2e-allow > missing.out'),
   expect: (seen, ctx) => blocked(ctx, 'missing.out')},
  {name: 'monitor mode', monitor: true, action: shell('echo prempti-e2e-deny > monitor.out'),
   expect: (seen, ctx) => [...ran(ctx, 'monitor.out'),
                           ...audit(seen, (a) => a.decision === 'defer' && a.would_be === 'deny', 'with would_be deny')]},
  {name: 'monitor, broken rules', monitor: true, brokenRules: true, action: shell('echo prempti-e2e-allow > monbroken.out'),
   expect: (seen, ctx) => [...ran(ctx, 'monbroken.out'),
                           ...audit(seen, (a) => a.decision === 'defer' && /rules failed/.test(a.error || ''), 'of the error, answered defer')]},
];

module.exports = {scenarios, SECRET};
