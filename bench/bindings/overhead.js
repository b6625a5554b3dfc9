'use strict';
// The Node side of the binding overhead benchmark (run.sh): the cost of
// engine.evaluate(event).decision on a prebuilt event.
// usage: node overhead.js RULES_PATH EVENT_JSON CALLS BATCHES
// prints the median over BATCHES of the mean ns per call of a batch.
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
let sink = 0;
for (let b = -1; b < batches; b++) { // batch -1 warms up (and lets the JIT settle)
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) sink += engine.evaluate(event).decision.length;
  if (b >= 0) times.push(Number(process.hrtime.bigint() - start) / calls);
}
times.sort((x, y) => x - y);
console.log(times[times.length >> 1].toFixed(1));
if (sink < 0) process.exit(1); // keeps the loop from being optimised away
