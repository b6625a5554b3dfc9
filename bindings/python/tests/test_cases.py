"""The shared case table: every decision, every error type with its position."""

import unittest

import prempti

from helpers import TABLE, event_for, policy_engine


class Decisions(unittest.TestCase):
    def setUp(self):
        self.engine = policy_engine()

    def test_every_case(self):
        seen = set()
        for case in TABLE["cases"]:
            with self.subTest(case["name"]):
                result = self.engine.evaluate(event_for(case))
                decision = prempti.Decision[case["decision"].upper()]
                self.assertIs(result.decision, decision)
                self.assertEqual(str(result.decision), case["decision"])
                self.assertEqual([m.rule for m in result.matches], case["rules"])
                self.assertTrue(result.reason.startswith(case["reason_starts"]), result.reason)
                if not case["reason_starts"]:
                    self.assertEqual(result.reason, "")
                    self.assertIsNone(result.deciding_match)
                else:
                    self.assertEqual(result.deciding_match.rule, case["rules"][0])
                if "priority" in case:
                    m = result.matches[0]
                    self.assertIs(m.priority, prempti.Priority[case["priority"]])
                    self.assertEqual(list(m.tags), case["tags"])
                    if case["reason_starts"]:
                        self.assertEqual(m.output, case["reason_starts"].split(": ", 1)[1])
                if "agent_is" in case:
                    self.assertEqual(event_for(case).agent, case["agent_is"])
                seen.add(result.decision)
        self.assertEqual(seen, set(prempti.Decision), "the table covers every decision")

    def test_decisions_order_by_strictness(self):
        D = prempti.Decision
        self.assertEqual(sorted([D.DENY, D.ALLOW, D.DEFER, D.ASK]),
                         [D.DEFER, D.ALLOW, D.ASK, D.DENY])
        self.assertEqual([d.value for d in D], [0, 1, 2, 3])


class Errors(unittest.TestCase):
    def test_event_errors(self):
        for case in TABLE["event_errors"]:
            with self.subTest(case["name"]):
                cls = getattr(prempti, case["error"])
                with self.assertRaises(cls) as cm:
                    event_for(case)
                self.assertIsInstance(cm.exception, prempti.Error)
                self.assertEqual(cm.exception.kind, case["kind"])
                self.assertTrue(cm.exception.message)
                self.assertLess(cm.exception.code, 0)

    def test_rules_errors_carry_their_position(self):
        engine = policy_engine()
        before = engine.rules
        for case in TABLE["rules_errors"]:
            with self.subTest(case["name"]):
                with self.assertRaises(prempti.RulesError) as cm:
                    engine.load_rules_text(case["text"], case["name_given"])
                e = cm.exception
                self.assertEqual((e.file, e.line, e.column), (case["file"], case["line"],
                                                              case["column"]))
                self.assertEqual(e.kind, case["kind"])
                self.assertIn(e.status, ("PREMPTI_E_RULE", "PREMPTI_E_YAML"))
                self.assertTrue(str(e).startswith(f"{e.file}:{e.line}:{e.column}: "), str(e))
                self.assertEqual(engine.rules, before, "a failed load changes nothing")

    def test_every_status_has_its_class(self):
        expected = {
            "E_NOMEM": prempti.OutOfMemoryError, "E_INVALID_ARG": prempti.InvalidArgumentError,
            "E_IO": prempti.FileError, "E_YAML": prempti.RulesError,
            "E_RULE": prempti.RulesError, "E_JSON": prempti.EventError,
            "E_EVENT": prempti.EventError, "E_LIMIT": prempti.LimitError,
            "E_UNSUPPORTED": prempti.UnsupportedError, "E_INTERNAL": prempti.InternalError,
        }
        from prempti import _errors
        for name, cls in expected.items():
            code = getattr(prempti.capi, name)
            self.assertIs(_errors._CLASSES[code], cls)
            self.assertTrue(issubclass(cls, prempti.Error))
            info = (code, 0, "m", "K", "f.yaml", 2, 3, "rule", "r", ())
            err = _errors._from_info(info)
            self.assertIsInstance(err, cls)
            self.assertEqual(err.status, "PREMPTI_" + name)
            self.assertEqual((err.file, err.line, err.column, err.item_name),
                             ("f.yaml", 2, 3, "r"))

    def test_missing_rules_file(self):
        engine = prempti.Engine()
        with self.assertRaises(prempti.FileError) as cm:
            engine.load_rules("/nonexistent/rules.yaml")
        self.assertIn("/nonexistent/rules.yaml", str(cm.exception))

    def test_limits(self):
        engine = prempti.Engine(max_rules_bytes=1024)
        with self.assertRaises(prempti.LimitError):
            engine.load_rules_text("# " + "x" * 2000)
        with self.assertRaises(prempti.LimitError):
            prempti.Event.from_tool("shell", input={"command": "x" * 2000}, max_event_bytes=1024)

    def test_option_errors(self):
        with self.assertRaises(prempti.InvalidArgumentError) as cm:
            prempti.Engine(floor="deny")
        self.assertIsInstance(cm.exception, ValueError)
        self.assertIn("floor", str(cm.exception))
        with self.assertRaises(prempti.UnsupportedError):
            prempti.Engine(no_such_option="1")
        with self.assertRaises(prempti.InvalidArgumentError) as cm:
            prempti.Engine(reason_suffix=" | %no.such_field")
        self.assertIn("reason_suffix", str(cm.exception))
        with self.assertRaises(TypeError):
            prempti.Engine(floor=1.5)


if __name__ == "__main__":
    unittest.main()
