"""Shared by the tests: the policy and case table of bindings/testdata."""

import json
import os

import prempti

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.normpath(os.path.join(HERE, "..", "..", "testdata"))
POLICY = os.path.join(TESTDATA, "policy.yaml")
TABLE = json.load(open(os.path.join(TESTDATA, "cases.json"), encoding="utf-8"))

# Events do not depend on the machine: no symlinks resolved, a fixed $HOME.
EVENT_OPTIONS = {"paths": "lexical", "home": "/home/tester"}


def event_for(case):
    """The Event a case of cases.json describes."""
    if "tool" in case:
        t = dict(case["tool"])
        return prempti.Event.from_tool(t.pop("kind"), t.pop("name", None), t.pop("input", None),
                                       **t, **EVENT_OPTIONS)
    if "payload_text" in case:
        return prempti.Event.from_json(case["payload_text"], case.get("agent"), **EVENT_OPTIONS)
    return prempti.Event.from_json(case["payload"], case.get("agent"), **EVENT_OPTIONS)


def policy_engine(**options):
    engine = prempti.Engine(**options)
    engine.load_rules(POLICY)
    return engine


def rss_bytes():
    """Resident set size of this process (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
