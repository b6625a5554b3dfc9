"""Many threads, reloads while evaluating, objects freed in any order, and
no growth of memory over 100,000 evaluations."""

import gc
import itertools
import os
import sys
import tempfile
import threading
import time
import unittest

import prempti

from helpers import TABLE, event_for, policy_engine, rss_bytes

THREADS = 8


def pack(name, tag):
    return (f"- rule: {name}\n  desc: d\n  condition: tool.input_command startswith make\n"
            f"  output: {name} saw %tool.input_command\n  priority: WARNING\n"
            f"  source: coding_agent\n  tags: [{tag}]\n")


PACKS = {prempti.Decision.DENY: pack("pack A", "coding_agent_deny"),
         prempti.Decision.ALLOW: pack("pack B", "coding_agent_allow")}
MAKE = prempti.Event.from_tool("shell", "run", {"command": "make all"})


def run_threads(target, n=THREADS):
    errors = []

    def wrapped(i):
        try:
            target(i)
        except BaseException as e:  # reported to the test thread
            errors.append(e)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


class Threads(unittest.TestCase):
    def test_many_threads_get_the_single_threaded_answers(self):
        engine = policy_engine()
        cases = [(event_for(c), c) for c in TABLE["cases"]]
        expected = [(engine.evaluate(ev).decision, [m.rule for m in engine.evaluate(ev).matches])
                    for ev, _ in cases]
        counts = [0] * THREADS

        def work(i):
            for k in range(3000):
                j = (k * 7 + i) % len(cases)
                r = engine.evaluate(cases[j][0])
                if (r.decision, [m.rule for m in r.matches]) != expected[j]:
                    raise AssertionError(f"thread {i}: case {cases[j][1]['name']} gave {r}")
                counts[i] += 1

        run_threads(work)
        self.assertEqual(sum(counts), THREADS * 3000)

    def test_events_built_on_many_threads(self):
        engine = policy_engine()

        def work(i):
            for k in range(500):
                ev = prempti.Event.from_tool("shell", "run", {"command": f"rm -r dir{i}-{k}"})
                r = engine.evaluate(ev)
                if r.decision is not prempti.Decision.DENY or f"dir{i}-{k}" not in r.reason:
                    raise AssertionError(r.reason)

        run_threads(work)

    def test_reload_while_evaluating(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "pack.yaml")
            with open(path, "w") as f:
                f.write(PACKS[prempti.Decision.DENY])
            engine = prempti.Engine()
            engine.load_rules(path)
            stop = threading.Event()
            seen = [set() for _ in range(THREADS)]

            def work(i):
                n = 0
                while not stop.is_set() or n < 200:
                    r = engine.evaluate(MAKE)
                    rule = r.matches[0].rule if r.matches else None
                    ok = {prempti.Decision.DENY: "pack A", prempti.Decision.ALLOW: "pack B"}
                    if ok.get(r.decision) != rule or not r.reason.startswith(rule + ":"):
                        raise AssertionError(f"a result mixing engines: {r!r} {r.reason}")
                    seen[i].add(r.decision)
                    n += 1

            def reload_loop():
                for k in range(200):
                    with open(path + ".tmp", "w") as f:
                        f.write(PACKS[(prempti.Decision.ALLOW, prempti.Decision.DENY)[k % 2]])
                    os.replace(path + ".tmp", path)
                    engine.reload()
                stop.set()

            reloader = threading.Thread(target=reload_loop)
            reloader.start()
            try:
                run_threads(work)
            finally:
                stop.set()
                reloader.join()
            self.assertEqual(set().union(*seen), {prempti.Decision.DENY, prempti.Decision.ALLOW})

    def test_close_while_other_threads_evaluate(self):
        engine = policy_engine()
        barrier = threading.Barrier(THREADS + 1)

        def work(i):
            barrier.wait()
            while True:
                try:
                    r = engine.evaluate(MAKE)
                except prempti.InvalidArgumentError:
                    return  # closed
                if r.decision is not prempti.Decision.DEFER:
                    raise AssertionError(r)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        barrier.wait()
        engine.close()
        for t in threads:
            t.join()


class Gil(unittest.TestCase):
    def test_evaluation_releases_the_gil(self):
        """With a switch interval of hours, another Python thread runs only
        when this one gives the GIL up by itself: during evaluations."""
        engine = policy_engine()
        counter = [0]
        stop = threading.Event()

        def spin():
            while not stop.is_set():
                counter[0] += 1
                time.sleep(0)  # hands the GIL back at once

        old = sys.getswitchinterval()
        sys.setswitchinterval(10000)
        t = threading.Thread(target=spin)
        try:
            t.start()
            before = counter[0]
            # A thread woken for the GIL may lose it again to this one many
            # times in a row: evaluate until it has run, up to a bound that
            # only a binding holding the GIL reaches.
            for _ in range(200_000):
                engine.evaluate(MAKE)
                if counter[0] != before:
                    break
            during = counter[0] - before
        finally:
            stop.set()
            sys.setswitchinterval(old)
            t.join()
        self.assertGreater(during, 0, "no other thread ran during 200,000 evaluations")


class Lifetimes(unittest.TestCase):
    def test_objects_freed_in_any_order(self):
        names = ("engine", "event", "result", "response")
        for order in itertools.permutations(names):
            objs = {"engine": policy_engine()}
            objs["event"] = prempti.Event.from_tool("shell", "run", {"command": "rm -r x"})
            objs["result"] = objs["engine"].evaluate(objs["event"])
            objs["response"] = objs["result"].response("claude_code")
            for name in order:
                del objs[name]
                gc.collect()
                # whatever is left still works
                if "result" in objs:
                    self.assertIs(objs["result"].decision, prempti.Decision.DENY)
                    self.assertEqual(objs["result"].matches[0].rule, "Deny recursive delete")
                    self.assertTrue(objs["result"].response("codex").stderr)
                if "event" in objs:
                    self.assertEqual(objs["event"].field("tool.input_command"), "rm -r x")
                if "engine" in objs and "event" in objs:
                    objs["engine"].evaluate(objs["event"])
                if "response" in objs:
                    self.assertIn("deny", objs["response"].stdout)


class Memory(unittest.TestCase):
    """100,000 evaluations must not grow the process: a leak of 16 bytes per
    evaluation would add 1.6 MB, over the bound."""

    BOUND = 1 << 20

    def assert_flat(self, step, n=100_000, warmup=20_000):
        for _ in range(warmup):
            step()
        gc.collect()
        before = rss_bytes()
        for _ in range(n):
            step()
        gc.collect()
        grown = rss_bytes() - before
        self.assertLess(grown, self.BOUND, f"RSS grew by {grown} bytes over {n} calls")

    def test_evaluations(self):
        engine = policy_engine()
        deny = prempti.Event.from_tool("shell", "run", {"command": "rm -rf x"})
        ls = prempti.Event.from_tool("shell", "run", {"command": "ls"})

        def step():
            r = engine.evaluate(deny)
            if r.matches[0].rule != "Deny recursive delete" or not r.reason:
                raise AssertionError(r)
            engine.evaluate(ls).decision

        self.assert_flat(step)

    def test_events_and_responses(self):
        engine = policy_engine()

        def step():
            ev = prempti.Event.from_tool("write", "save", {"file_path": "/etc/x"})
            engine.evaluate(ev).response("claude_code")

        self.assert_flat(step, n=30_000, warmup=10_000)

    def test_errors(self):
        def step():
            try:
                prempti.Event.from_json('{"tool": {"kind": "teleport"}}')
            except prempti.EventError:
                pass

        self.assert_flat(step, n=30_000, warmup=10_000)


if __name__ == "__main__":
    unittest.main()
