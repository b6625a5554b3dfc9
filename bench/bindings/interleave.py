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

    rows = {"c": [], "python": [], "node": []}
    cmp_rows = []
    for r in range(rounds):
        rows["c"].append(float(run([a.c, a.rules, EVENT, str(calls), str(batches)])))
        rows["python"].append(float(run([a.python, os.path.join(HERE, "overhead.py"), a.rules,
                                         EVENT, str(calls // 2), str(batches)])))
        rows["node"].append(float(run(["node", os.path.join(HERE, "overhead.js"), a.rules, EVENT,
                                       str(calls), str(batches)])))
        cmp_rows.append(json.loads(run(["node", os.path.join(HERE, "compare.js"),
                                        str(cmp_calls), str(batches)])))
        print(f"round {r + 1}/{rounds}: C {rows['c'][-1]:.0f} ns, Python {rows['python'][-1]:.0f} ns, "
              f"Node {rows['node'][-1]:.0f} ns", file=sys.stderr)

    med = {k: statistics.median(v) for k, v in rows.items()}
    over = {k: statistics.median([b - c for b, c in zip(rows[k], rows["c"])])
            for k in ("python", "node")}
    engines = ("prempti", "prempti_evaluate", "cedar", "casbin")
    cmp = {k: statistics.median([row[k] for row in cmp_rows]) for k in engines}
    ratio = {f"{o}_over_{p}": statistics.median([row[o] / row[p] for row in cmp_rows])
             for o in ("cedar", "casbin") for p in ("prempti", "prempti_evaluate")}

    print("\nBinding overhead: engine.evaluate(event).decision on a prebuilt event that matches no "
          "rule\n(the default pack, rules/), median of %d interleaved rounds" % rounds)
    print(f"  C (holder_evaluate + decision + free)   {med['c']:9.1f} ns")
    print(f"  Python                                  {med['python']:9.1f} ns   overhead "
          f"{over['python']:7.1f} ns  (goal <= 1500)")
    print(f"  Node                                    {med['node']:9.1f} ns   overhead "
          f"{over['node']:7.1f} ns  (goal <= 1000)")
    first = cmp_rows[0]
    print(f"\nNode: one {first['rules']}-rule policy (34 command prefixes, 33 path globs, 33 hosts), "
          f"{first['requests']} requests in turn")
    print(f"  prempti, from the raw tool call (evaluateTool)  {cmp['prempti'] / 1000:10.2f} us")
    print(f"  prempti, prebuilt event (evaluate)              {cmp['prempti_evaluate'] / 1000:10.2f} us")
    print(f"  @cedar-policy/cedar-wasm {first['cedar_version']:<8} (statefulIsAuthorized)"
          f" {cmp['cedar'] / 1000:9.2f} us")
    print(f"  casbin {first['casbin_version']:<8} (enforceSync)                  "
          f"{cmp['casbin'] / 1000:10.2f} us")
    print(f"  cedar-wasm / prempti: {ratio['cedar_over_prempti']:.0f}x (raw tool call), "
          f"{ratio['cedar_over_prempti_evaluate']:.0f}x (prebuilt event)   (goal >= 50x)")
    print(f"  casbin / prempti:     {ratio['casbin_over_prempti']:.0f}x (raw tool call), "
          f"{ratio['casbin_over_prempti_evaluate']:.0f}x (prebuilt event)   (goal >= 50x)")

    with open(a.json, "w") as f:
        json.dump({"rounds": rounds, "overhead_ns": {"c": rows["c"], "python": rows["python"],
                                                     "node": rows["node"],
                                                     "median": med, "overhead_median": over},
                   "compare_ns": {"rounds": cmp_rows, "median": cmp, "ratios": ratio}},
                  f, indent=1)
    print(f"\nresults written to {os.path.relpath(a.json)}")


main()
