'use strict';
// The Node side of the binding overhead benchmark (run.sh): the cost of
// engine.evaluate(event).decision on a prebuilt event.
// usage: node overhead.js RULES_PATH EVENT_JSON CALLS BATCHES
// prints the medians over BATCHES of the mean ns per call of a batch, in wall
// time and in the process's CPU time.
const prempti = require('prempti');

const [rules, payload, callsArg, batchesArg] = process.argv.slice(2);
const calls = Number(callsArg);
const batches = Number(batchesArg);
const engine = new prempti.Engine();
engine.loadRules(rules);
const event = prempti.Event.fromJSON(payload, { paths: 'lexical' });
if (engine.evaluate(event).matches.length) {
  console.error('the event matches a rule; the benchmark wants one that matches none');
  process.exit(1);
}
const times = [];
const cpu = [];
let sink = 0;
for (let b = -1; b < batches; b++) { // batch -1 warms up (and lets the JIT settle)
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < calls; i++) sink += engine.evaluate(event).decision.length;
  if (b >= 0) {
    times.push(Number(process.hrtime.bigint() - start) / calls);
    const used = process.cpuUsage(cpuStart);
    cpu.push(((used.user + used.system) * 1000) / calls);
  }
}
times.sort((x, y) => x - y);
cpu.sort((x, y) => x - y);
console.log(`${times[times.length >> 1].toFixed(1)} ${cpu[cpu.length >> 1].toFixed(1)}`);
if (sink < 0) process.exit(1); // keeps the loop from being optimised away
