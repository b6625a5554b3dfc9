"""Runs the bindings' benchmark rounds, one engine after the other in each
round so that every figure is measured under the same load, and reports
medians over the rounds (see run.sh)."""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# No rule of the default pack matches it (each runner checks).
EVENT = json.dumps({"agent": "bench", "cwd": "/work/project",
                    "tool": {"kind": "shell", "name": "run", "input": {"command": "ls -la"}}})


def run(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--c", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    rounds, calls, batches = (1, 2000, 3) if a.quick else (15, 50000, 5)
    cmp_calls = 1000 if a.quick else 20000

    wall = {"c": [], "python": [], "node": []}
    cpu = {"c": [], "python": [], "node": []}
    cmp_rows = []
    runners = {
        "c": [a.c, a.rules, EVENT, str(calls), str(batches)],
        "python": [a.python, os.path.join(HERE, "overhead.py"), a.rules, EVENT, str(calls // 2),
                   str(batches)],
        "node": ["node", os.path.join(HERE, "overhead.js"), a.rules, EVENT, str(calls),
                 str(batches)],
    }
    for r in range(rounds):
        for name, cmd in runners.items():
            w, c = (float(x) for x in run(cmd).split())
            wall[name].append(w)
            cpu[name].append(c)
        cmp_rows.append(json.loads(run(["node", os.path.join(HERE, "compare.js"),
                                        str(cmp_calls), str(batches)])))
        print(f"round {r + 1}/{rounds}: CPU ns per call: C {cpu['c'][-1]:.0f}, "
              f"Python {cpu['python'][-1]:.0f}, Node {cpu['node'][-1]:.0f}", file=sys.stderr)

    def overhead(rows, k):
        return statistics.median([b - c for b, c in zip(rows[k], rows["c"])])

    med = {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in wall}
    over = {k: (overhead(wall, k), overhead(cpu, k)) for k in ("python", "node")}
    engines = ("prempti", "prempti_evaluate", "cedar", "casbin")
    cmp = {k: (statistics.median([row[k] for row in cmp_rows]),
               statistics.median([row["cpu"][k] for row in cmp_rows])) for k in engines}
    ratio = {}
    for o in ("cedar", "casbin"):
        for p in ("prempti", "prempti_evaluate"):
            ratio[f"{o}_over_{p}"] = (
                statistics.median([row[o] / row[p] for row in cmp_rows]),
                statistics.median([row["cpu"][o] / row["cpu"][p] for row in cmp_rows]))

    print(f"\nBinding overhead: engine.evaluate(event).decision on a prebuilt event that matches "
          f"no rule\n(the default pack, rules/); medians of {rounds} interleaved rounds, "
          "ns per call, wall / CPU time")
    print(f"  C (holder_evaluate + decision + free)  {med['c'][0]:8.0f} / {med['c'][1]:6.0f}")
    for k, goal in (("python", 1500), ("node", 1000)):
        print(f"  {k.capitalize():<38} {med[k][0]:8.0f} / {med[k][1]:6.0f}   overhead "
              f"{over[k][0]:5.0f} / {over[k][1]:5.0f}  (goal <= {goal})")
    first = cmp_rows[0]
    print(f"\nNode: one {first['rules']}-rule policy (34 command prefixes, 33 path globs, "
          f"33 hosts), {first['requests']} requests in turn; us per request, wall / CPU time")
    names = {"prempti": "prempti, from the raw tool call (evaluateTool)",
             "prempti_evaluate": "prempti, prebuilt event (evaluate)",
             "cedar": f"@cedar-policy/cedar-wasm {first['cedar_version']} (statefulIsAuthorized)",
             "casbin": f"casbin {first['casbin_version']} (enforceSync)"}
    for k in engines:
        print(f"  {names[k]:<58} {cmp[k][0] / 1000:8.2f} / {cmp[k][1] / 1000:8.2f}")
    for o in ("cedar", "casbin"):
        print(f"  {o} / prempti: {ratio[o + '_over_prempti'][0]:.0f}x / "
              f"{ratio[o + '_over_prempti'][1]:.0f}x from the raw tool call, "
              f"{ratio[o + '_over_prempti_evaluate'][0]:.0f}x / "
              f"{ratio[o + '_over_prempti_evaluate'][1]:.0f}x on prebuilt events (goal >= 50x)")

    with open(a.json, "w") as f:
        json.dump({"rounds": rounds, "overhead_ns": {"wall": wall, "cpu": cpu, "median": med,
                                                     "overhead_median": over},
                   "compare_ns": {"rounds": cmp_rows, "median": cmp, "ratios": ratio}},
                  f, indent=1)
    print(f"\nresults written to {os.path.relpath(a.json)}")


main()
