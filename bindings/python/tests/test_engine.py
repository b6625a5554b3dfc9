"""Engines, events and results one feature at a time."""

import json
import os
import re
import tempfile
import unittest

import prempti

from helpers import EVENT_OPTIONS, POLICY, policy_engine

RM = {"command": "rm -rf build"}


def shell(command, **kw):
    return prempti.Event.from_tool("shell", "run", {"command": command},
                                   cwd="/home/tester/proj", **kw, **EVENT_OPTIONS)


def rule_text(name, tag, command):
    return (f"- rule: {name}\n  desc: d\n  condition: tool.input_command startswith {command}\n"
            f"  output: {name} saw %tool.input_command\n  priority: WARNING\n"
            f"  source: coding_agent\n  tags: [{tag}]\n")


class Options(unittest.TestCase):
    def test_options_by_key(self):
        engine = prempti.Engine(floor="allow", mode="guardrails", deny_tags=["a", "b"],
                                agent_pid=42, min_priority="WARNING")
        o = engine.options
        self.assertEqual(o["floor"], "allow")
        self.assertEqual(o["deny_tags"], "a,b")
        self.assertEqual(o["agent_pid"], "42")
        self.assertEqual(o["min_priority"], "warning")
        self.assertEqual(set(o), set(prempti.option_keys()))

    def test_floor_allow(self):
        engine = policy_engine(floor="allow")
        self.assertIs(engine.evaluate(shell("ls")).decision, prempti.Decision.ALLOW)

    def test_monitor_mode_defers_but_says_what_it_would_do(self):
        result = policy_engine(mode="monitor").evaluate(shell("rm -rf x"))
        self.assertIs(result.decision, prempti.Decision.DEFER)
        self.assertIs(result.would_be, prempti.Decision.DENY)

    def test_reason_suffix(self):
        engine = policy_engine(reason_suffix=" | tool=%tool.name")
        self.assertTrue(engine.evaluate(shell("rm -r x")).reason.endswith(" | tool=run"))


class Loading(unittest.TestCase):
    def test_files_and_directories_in_one_step(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "a.yaml"), "w") as f:
                f.write(rule_text("from a", "coding_agent_deny", "make"))
            with open(os.path.join(d, "b.yml"), "w") as f:
                f.write(rule_text("from b", "coding_agent_ask", "cmake"))
            engine = prempti.Engine()
            engine.load_rules(POLICY, d)
            names = [r.name for r in engine.rules]
            self.assertEqual(names[-2:], ["from a", "from b"])
            self.assertIs(engine.evaluate(shell("make")).decision, prempti.Decision.DENY)

    def test_a_failing_path_changes_nothing(self):
        engine = policy_engine()
        before = engine.rules
        with tempfile.NamedTemporaryFile("w", suffix=".yaml") as good:
            good.write(rule_text("good", "coding_agent_deny", "make"))
            good.flush()
            with self.assertRaises(prempti.FileError):
                engine.load_rules(good.name, "/nonexistent.yaml")
        self.assertEqual(engine.rules, before)
        self.assertIs(engine.evaluate(shell("make")).decision, prempti.Decision.DEFER)

    def test_text_after_files_and_pathlike(self):
        import pathlib
        engine = prempti.Engine()
        engine.load_rules(pathlib.Path(POLICY))
        engine.load_rules_text(rule_text("texted", "coding_agent_deny", "make"), "extra")
        self.assertEqual(engine.rules[-1].file, "extra")
        self.assertIs(engine.evaluate(shell("make")).decision, prempti.Decision.DENY)
        engine.load_rules_text(rule_text("bytes", "coding_agent_deny", "gcc").encode())
        self.assertEqual(engine.rules[-1].file, "<rules>")

    def test_rule_metadata(self):
        engine = policy_engine()
        r = engine.rules[0]
        self.assertEqual(r.name, "Deny recursive delete")
        self.assertEqual(r.description, "rm -r of anything")
        self.assertIs(r.priority, prempti.Priority.CRITICAL)
        self.assertEqual(str(r.priority), "Critical")
        self.assertEqual(r.tags, ("coding_agent_deny", "files"))
        self.assertEqual((r.file, r.line, r.column), (POLICY, 6, 3))
        self.assertTrue(r.active)
        self.assertEqual(len(engine.rules), 4)

    def test_warnings(self):
        engine = prempti.Engine()
        engine.load_rules_text("- macro: unused\n  condition: tool.kind = shell\n", "w.yaml")
        self.assertEqual(len(engine.warnings), 1)
        w = engine.warnings[0]
        self.assertEqual((w.severity, w.kind, w.file, w.line), ("warning", "LOAD_UNUSED_MACRO",
                                                                 "w.yaml", 1))
        self.assertIn("w.yaml:1:", str(w))

    def test_reload_reads_the_files_again(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.yaml")
            with open(path, "w") as f:
                f.write(rule_text("first", "coding_agent_deny", "make"))
            engine = prempti.Engine()
            engine.load_rules(path)
            self.assertIs(engine.evaluate(shell("make")).decision, prempti.Decision.DENY)
            with open(path, "w") as f:
                f.write(rule_text("second", "coding_agent_allow", "make"))
            engine.reload()
            self.assertIs(engine.evaluate(shell("make")).decision, prempti.Decision.ALLOW)
            with open(path, "w") as f:
                f.write("- rule: [broken\n")
            with self.assertRaises(prempti.RulesError):
                engine.reload()
            self.assertEqual([r.name for r in engine.rules], ["second"])
            engine.reload(POLICY)  # other paths replace every source
            self.assertIs(engine.evaluate(shell("make")).decision, prempti.Decision.DEFER)
            self.assertEqual(len(engine.rules), 4)

    def test_explain(self):
        out = policy_engine().explain(shell("rm -r x"))
        first = out["rules"][0]
        self.assertEqual((first["rule"], first["matched"]), ("Deny recursive delete", True))


class Events(unittest.TestCase):
    payload = {"hook_event_name": "PreToolUse", "tool_name": "Bash",
               "tool_input": {"command": "rm -r x"}, "cwd": "/p", "session_id": "s"}

    def test_json_as_str_bytes_and_dict(self):
        engine = policy_engine()
        text = json.dumps(self.payload)
        for p in (text, text.encode(), bytearray(text.encode()), self.payload):
            ev = prempti.Event.from_json(p)
            self.assertEqual((ev.agent, ev.hook), ("claude_code", "PreToolUse"))
            self.assertIs(engine.evaluate(ev).decision, prempti.Decision.DENY)
        with self.assertRaises(TypeError):
            prempti.Event.from_json(42)

    def test_named_agent(self):
        ev = prempti.Event.from_json(self.payload, agent="codex")
        self.assertEqual(ev.agent, "codex")

    def test_from_tool_fields(self):
        ev = prempti.Event.from_tool("mcp", "create_issue", {"title": "t"}, server="github",
                                     agent="acme", session_id="s1", tool_use_id="c1")
        self.assertEqual(ev.agent, "acme")
        self.assertEqual(ev.hook, "")
        for field, value in (("tool.kind", "mcp"), ("mcp.server", "github"),
                             ("mcp.tool", "create_issue"), ("agent.session_id", "s1"),
                             ("tool.use_id", "c1"), ("tool.input[title]", "t"),
                             ("agent.dialect", "neutral"), ("tool.input[absent]", None)):
            self.assertEqual(ev.field(field), value, field)
        with self.assertRaises(prempti.UnsupportedError):
            ev.field("no.such.field")

    def test_from_tool_default_agent_and_name(self):
        ev = prempti.Event.from_tool("read", input={"file_path": "/x"})
        self.assertEqual((ev.agent, ev.field("tool.name")), ("custom", "read"))
        ev = prempti.Event.from_tool(None, "Bash", {"command": "ls"})
        self.assertEqual(ev.field("tool.kind"), "shell")

    def test_events_cannot_be_made_directly(self):
        with self.assertRaises(TypeError):
            prempti.Event()


class Responses(unittest.TestCase):
    def test_own_agent_and_chosen_agent(self):
        engine = policy_engine()
        result = engine.evaluate(prempti.Event.from_json(Events.payload))
        own = result.response()
        self.assertEqual(own.exit_code, 0)
        self.assertEqual(json.loads(own.stdout)["hookSpecificOutput"]["permissionDecision"],
                         "deny")
        self.assertTrue(own.stderr.startswith("Deny recursive delete: "))
        gemini = result.response("gemini")
        self.assertEqual(json.loads(gemini.stdout)["decision"], "deny")

    def test_neutral_events(self):
        result = policy_engine().evaluate(shell("rm -r x", agent="acme"))
        with self.assertRaises(prempti.UnsupportedError) as cm:
            result.response()
        self.assertIn("acme", str(cm.exception))
        cursor = result.response("cursor")
        self.assertEqual(json.loads(cursor.stdout)["permission"], "deny")
        codex = policy_engine().evaluate(shell("rm -r x", agent="codex")).response()
        self.assertIn('"permissionDecision":"deny"', codex.stdout)
        allow = policy_engine().evaluate(shell("ls")).response("claude_code")
        self.assertEqual((allow.stdout, allow.stderr, allow.exit_code), ("", "", 0))
        with self.assertRaises(prempti.UnsupportedError):
            result.response("windsurf")

    def test_chosen_agent_answers_as_its_own_event_would(self):
        engine = policy_engine()
        strip = lambda r: (re.sub(r"correlation=\d+", "", r.stdout),  # noqa: E731
                           re.sub(r"correlation=\d+", "", r.stderr), r.exit_code)
        for agent in ("claude_code", "codex", "copilot", "gemini", "cursor"):
            for path in ("/etc/hosts", "/home/tester/proj/a"):  # ask; defer
                write = dict(input={"file_path": path, "content": "x"}, **EVENT_OPTIONS)
                other = engine.evaluate(prempti.Event.from_tool("write", "save", agent="acme",
                                                                **write))
                own = engine.evaluate(prempti.Event.from_tool("write", "save", agent=agent,
                                                              **write))
                self.assertEqual(strip(other.response(agent)), strip(own.response()),
                                 f"{agent} {path}")

    def test_to_json(self):
        d = policy_engine().evaluate(shell("rm -r x")).as_dict()
        self.assertEqual((d["decision"], d["deciding_rule"]), ("deny", "Deny recursive delete"))


class Lifetime(unittest.TestCase):
    def test_context_manager_and_close(self):
        with policy_engine() as engine:
            self.assertFalse(engine.closed)
            result = engine.evaluate(shell("rm -r x"))
        self.assertTrue(engine.closed)
        self.assertIs(result.decision, prempti.Decision.DENY)  # results outlive engines
        for call in (lambda: engine.evaluate(shell("ls")), lambda: engine.rules,
                     lambda: engine.load_rules(POLICY), engine.reload):
            with self.assertRaises(prempti.InvalidArgumentError):
                call()
        engine.close()  # twice is fine
        self.assertEqual(repr(engine), "<prempti.Engine closed>")

    def test_evaluate_wants_an_event(self):
        with self.assertRaises(TypeError):
            policy_engine().evaluate('{"tool": {"kind": "shell"}}')

    def test_results_cannot_be_made_directly(self):
        with self.assertRaises(TypeError):
            prempti.Result()

    def test_default_rules_dir(self):
        d = prempti.default_rules_dir()
        self.assertTrue(d and os.path.isfile(os.path.join(d, "00-base.yaml")), d)
        engine = prempti.Engine()
        engine.load_rules(d)
        self.assertGreater(len(engine.rules), 0)
        self.assertEqual(prempti.library_version(), prempti.__version__)


if __name__ == "__main__":
    unittest.main()
