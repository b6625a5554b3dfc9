"""The Python side of the binding overhead benchmark (run.sh): the cost of
``engine.evaluate(event).decision`` on a prebuilt event.
usage: overhead.py RULES_PATH EVENT_JSON CALLS BATCHES
prints the medians over BATCHES of the mean ns per call of a batch, in wall
time and in the process's CPU time."""

import sys
import time

import prempti


def main():
    rules, payload, calls, batches = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    engine = prempti.Engine()
    engine.load_rules(rules)
    event = prempti.Event.from_json(payload, paths="lexical")
    evaluate = engine.evaluate
    if evaluate(event).matches:
        sys.exit("the event matches a rule; the benchmark wants one that matches none")
    times, cpu = [], []
    for b in range(-1, batches):  # batch -1 warms up
        start, cpu_start = time.perf_counter_ns(), time.process_time_ns()
        for _ in range(calls):
            evaluate(event).decision
        if b >= 0:
            times.append((time.perf_counter_ns() - start) / calls)
            cpu.append((time.process_time_ns() - cpu_start) / calls)
    times.sort()
    cpu.sort()
    print(f"{times[len(times) // 2]:.1f} {cpu[len(cpu) // 2]:.1f}")


main()
