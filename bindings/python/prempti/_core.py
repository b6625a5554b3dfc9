"""Engines, events and results: the Python face of the C API."""

from __future__ import annotations

import json
import os
import threading
from enum import IntEnum
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

from . import capi as _c
from ._errors import Diagnostic, InvalidArgumentError

__all__ = ["Decision", "Priority", "Match", "Response", "Rule", "Event", "Result", "Engine"]

Payload = Union[str, bytes, bytearray, memoryview, Mapping[str, Any]]
PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
OptionValue = Union[str, int, bool, Sequence[str]]


class Decision(IntEnum):
    """What to do with a tool call. A larger value is stricter."""

    DEFER = _c.DEFER  #: no opinion: the agent's own permission flow goes on
    ALLOW = _c.ALLOW  #: run it without asking
    ASK = _c.ASK  #: ask the user
    DENY = _c.DENY  #: block it

    def __str__(self) -> str:
        return self.name.lower()


class Priority(IntEnum):
    """Falco's rule priorities; a smaller value is more severe."""

    EMERGENCY = _c.PRIORITY_EMERGENCY
    ALERT = _c.PRIORITY_ALERT
    CRITICAL = _c.PRIORITY_CRITICAL
    ERROR = _c.PRIORITY_ERROR
    WARNING = _c.PRIORITY_WARNING
    NOTICE = _c.PRIORITY_NOTICE
    INFORMATIONAL = _c.PRIORITY_INFORMATIONAL
    DEBUG = _c.PRIORITY_DEBUG

    def __str__(self) -> str:
        return _c.priority_name(self.value)


_DECISIONS = tuple(Decision)
_PRIORITIES = tuple(Priority)


class Match(NamedTuple):
    """A rule that matched: its name, rendered output, tags, priority and the
    decision its tags ask for."""

    rule: str
    output: str
    tags: Tuple[str, ...]
    priority: Priority
    decision: Decision


class Response(NamedTuple):
    """What a hook process prints and how it exits, for one agent."""

    stdout: str
    stderr: str
    exit_code: int


class Rule(NamedTuple):
    """A loaded rule: name, description, priority, tags, where it was
    defined (file, 1-based line and column) and whether it takes part in
    evaluation."""

    name: str
    description: str
    priority: Priority
    tags: Tuple[str, ...]
    file: str
    line: int
    column: int
    active: bool


# ---- options ----


def _option_text(key: str, value: OptionValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(str(v) for v in value)
    raise TypeError(f"option {key!r}: expected str, int, bool or a list of str, "
                    f"not {type(value).__name__}")


def _config(options: Mapping[str, OptionValue]) -> Any:
    cfg = _c.config_new()
    for key, value in options.items():
        _c.config_set(cfg, key, _option_text(key, value))
    return cfg


# Event configs are read-only once made, so threads may share them; one per
# distinct set of event options.
_event_configs: Dict[Tuple, Any] = {}
_event_configs_lock = threading.Lock()


def _event_config(agent: Optional[str], options: Mapping[str, OptionValue]) -> Any:
    key = (agent, tuple(sorted(options.items())) if options else ())
    cfg = _event_configs.get(key)
    if cfg is None:
        merged = dict(options)
        if agent is not None:
            merged["agent"] = agent
        cfg = _config(merged)
        with _event_configs_lock:
            if len(_event_configs) >= 64:
                _event_configs.clear()
            _event_configs[key] = cfg
    return cfg


# ---- events ----


class Event:
    """One tool call, parsed and normalised. Immutable; may be shared
    between threads and evaluated on any number of engines."""

    __slots__ = ("_ev",)

    def __init__(self) -> None:
        raise TypeError("use Event.from_json() or Event.from_tool()")

    @classmethod
    def _wrap(cls, handle: Any) -> "Event":
        ev = object.__new__(cls)
        ev._ev = handle
        return ev

    @classmethod
    def from_json(cls, payload: Payload, agent: Optional[str] = None,
                  **options: OptionValue) -> "Event":
        """Parses an agent's hook payload (Claude Code, Codex, Copilot CLI,
        Gemini CLI, Cursor) or an event in the neutral shape, given as
        ``str``, ``bytes`` or a ``dict``. ``agent`` names the dialect
        ("claude_code", "codex", "copilot", "gemini", "cursor", "neutral");
        None detects it from the payload's shape. ``options`` are the event
        options of docs/configuration.md (``paths``, ``home``,
        ``agent_pid``, ``max_event_bytes``, ``max_json_depth``).
        Raises EventError (with ``kind`` saying what is wrong), LimitError
        or UnsupportedError."""
        if isinstance(payload, Mapping):
            payload = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        elif isinstance(payload, (bytearray, memoryview)):
            payload = bytes(payload)
        elif not isinstance(payload, (str, bytes)):
            raise TypeError(f"payload must be str, bytes or a dict, not {type(payload).__name__}")
        return cls._wrap(_c.event_from_json(_event_config(agent, options), payload))

    @classmethod
    def from_tool(cls, kind: Optional[str], name: Optional[str] = None,
                  input: Optional[Mapping[str, Any]] = None, *, cwd: Optional[str] = None,
                  agent: Optional[str] = None, session_id: Optional[str] = None,
                  tool_use_id: Optional[str] = None, server: Optional[str] = None,
                  **options: OptionValue) -> "Event":
        """Builds an event for a tool call of your own harness (the neutral
        shape, docs/embedding.md). ``kind`` is one of "shell", "read",
        "write", "edit", "patch", "search", "web", "mcp", "agent", "other"
        (None: from the tool name, for tools libprempti knows); ``name`` the
        tool's name (default: the kind); ``input`` its arguments, where the
        kind's members are read (shell: ``command``, ``cwd``; read, write,
        edit: ``file_path`` or ``path``; web: ``url``, ``query``; ...);
        ``cwd`` the working directory; ``agent`` your agent's name
        (agent.name; default "custom"); ``server`` the MCP server of an
        ``mcp`` tool."""
        tool: Dict[str, Any] = {}
        for k, v in (("kind", kind), ("name", name), ("input", input), ("id", tool_use_id),
                     ("server", server)):
            if v is not None:
                tool[k] = v
        payload: Dict[str, Any] = {"tool": tool}
        for k, v in (("agent", agent), ("cwd", cwd), ("session_id", session_id)):
            if v is not None:
                payload[k] = os.fspath(v) if k == "cwd" else v
        return cls.from_json(payload, "neutral", **options)

    @property
    def agent(self) -> str:
        """The agent it came from ("claude_code", ..., or the neutral
        shape's agent name)."""
        return _c.event_agent(self._ev)

    @property
    def hook(self) -> str:
        """The hook event as the agent spelled it ("" for the neutral shape)."""
        return _c.event_hook(self._ev)

    def field(self, name: str) -> Optional[str]:
        """A field's value as text, e.g. ``field("tool.input_command")``;
        None when it has no value. Raises UnsupportedError for an unknown
        field."""
        return _c.event_field(self._ev, name)

    def __repr__(self) -> str:
        return f"<prempti.Event agent={self.agent!r} tool={self.field('tool.name')!r}>"


# ---- results ----


class Result:
    """The outcome of evaluating one event: the decision, the reason shown
    to the agent, and every matching rule. Independent of its engine."""

    __slots__ = ("_r", "_event", "_matches")

    def __init__(self) -> None:
        raise TypeError("results come from Engine.evaluate()")

    @property
    def decision(self) -> Decision:
        """What to do. In monitor mode always DEFER (see would_be)."""
        return _DECISIONS[_result_decision(self._r)]

    @property
    def would_be(self) -> Decision:
        """The decision the rules reached, before monitor mode."""
        return _DECISIONS[_c.result_would_be(self._r)]

    @property
    def reason(self) -> str:
        """"<rule>: <output><suffix>" of the deciding rule; "" when no rule
        decided."""
        return _c.result_reason(self._r)

    @property
    def correlation_id(self) -> int:
        return _c.result_correlation_id(self._r)

    @property
    def matches(self) -> Tuple[Match, ...]:
        """Every matching rule, in evaluation order."""
        try:
            return self._matches
        except AttributeError:
            pass
        r = self._r
        self._matches = tuple(
            Match(_c.result_match_rule(r, i), _c.result_match_output(r, i),
                  tuple(_c.result_match_tag(r, i, j)
                        for j in range(_c.result_match_tag_count(r, i))),
                  _PRIORITIES[_c.result_match_priority(r, i)],
                  _DECISIONS[_c.result_match_decision(r, i)])
            for i in range(_c.result_match_count(r)))
        return self._matches

    @property
    def deciding_match(self) -> Optional[Match]:
        """The match whose rule decided, or None."""
        i = _c.result_deciding_match(self._r)
        return self.matches[i] if i >= 0 else None

    def response(self, agent: Optional[str] = None) -> Response:
        """What the agent's hook process must print and how it must exit.
        ``agent`` (one of "claude_code", "codex", "copilot", "gemini",
        "cursor") answers that agent on its pre-tool hook; None answers the
        event's own agent on its own hook event. Raises UnsupportedError
        for an agent libprempti cannot answer (e.g. a neutral event's own
        agent name)."""
        if agent is None or agent == _c.event_agent(self._event._ev):
            resp = _c.response_new(self._r)
        else:
            m = self.deciding_match
            user = (f"{m.rule}: {m.output}" if m.output else m.rule) if m else None
            resp = _c.response_render(agent, None, _c.result_decision(self._r),
                                      _c.result_reason(self._r), user)
        return Response(_c.response_stdout(resp), _c.response_stderr(resp),
                        _c.response_exit_code(resp))

    def to_json(self) -> str:
        """The result as one JSON object (docs/responses.md)."""
        return _c.result_to_json(self._r)

    def as_dict(self) -> Dict[str, Any]:
        return json.loads(self.to_json())

    def __repr__(self) -> str:
        return (f"<prempti.Result {self.decision} matches="
                f"{[m.rule for m in self.matches]!r}>")


_result_decision = _c.result_decision
_holder_evaluate = _c.holder_evaluate
_new = object.__new__


def _result(handle: Any, event: Event) -> Result:
    res = _new(Result)
    res._r = handle
    res._event = event
    return res


# ---- engines ----


class Engine:
    """A policy: options, and the rules loaded from its sources.

    ``Engine(**options)`` takes the options of docs/configuration.md by key
    (``floor="allow"``, ``mode="monitor"``, ``deny_tags=["a", "b"]``);
    a bad option raises InvalidArgumentError, an unknown one
    UnsupportedError.

    Evaluation is thread-safe and lock-free. Every change of rules
    (load_rules, load_rules_text, reload) builds a new compiled engine from
    the sources off to the side and swaps it in only when all of it loaded:
    a failure raises and leaves the rules as they were, and evaluations
    running meanwhile finish on the rules they started with.
    """

    def __init__(self, **options: OptionValue) -> None:
        self._options = {k: _option_text(k, v) for k, v in options.items()}
        self._cfg = _config(self._options)
        self._sources: List[tuple] = []
        self._lock = threading.Lock()
        self._holder: Any = _c.holder_new(_c.engine_new(self._cfg))

    # -- rules --

    def load_rules(self, *paths: PathLike) -> None:
        """Adds rules files and directories (every *.yaml / *.yml of a
        directory, in name order), after the rules already loaded, as one
        step: if any file fails, nothing changes. Raises RulesError (with
        file, line and column), FileError or LimitError."""
        if not paths:
            raise TypeError("load_rules() needs at least one path")
        step = ("paths", tuple(os.fsencode(p) for p in paths))
        self._change(lambda sources: sources + [step])

    def load_rules_text(self, text: Union[str, bytes], name: Optional[str] = None) -> None:
        """Adds a rules text (YAML) after the rules already loaded; ``name``
        names it in diagnostics and Rule.file. Raises RulesError or
        LimitError; on failure nothing changes."""
        if not isinstance(text, (str, bytes)):
            raise TypeError(f"text must be str or bytes, not {type(text).__name__}")
        step = ("text", text, name)
        self._change(lambda sources: sources + [step])

    def reload(self, *paths: PathLike) -> None:
        """Builds the rules again from their sources, reading the files
        anew; with paths, from those paths instead of every earlier source.
        Evaluations go on meanwhile; on failure the current rules stay."""
        if paths:
            step = ("paths", tuple(os.fsencode(p) for p in paths))
            self._change(lambda sources: [step])
        else:
            self._change(lambda sources: sources)

    def _change(self, new_sources) -> None:
        with self._lock:
            holder = self._live()
            sources = new_sources(self._sources)
            engine = _c.engine_new(self._cfg)
            for step in sources:
                if step[0] == "paths":
                    _c.engine_load_rules_paths(engine, step[1])
                else:
                    _c.engine_load_rules(engine, step[1], step[2])
            _c.holder_set(holder, engine)
            self._sources = sources

    # -- evaluation --

    def evaluate(self, event: Event) -> Result:
        """Evaluates an event on the current rules. Raises on failure
        (never treat a failure as an allow)."""
        holder = self._holder
        if holder is None:
            self._live()
        try:
            handle = event._ev
        except AttributeError:
            raise TypeError(f"expected a prempti.Event, not {type(event).__name__}") from None
        return _result(_holder_evaluate(holder, handle), event)

    def explain(self, event: Event) -> Dict[str, Any]:
        """Why each rule matched or not: every node of every active rule's
        condition with its outcome (include/prempti/explain.h)."""
        engine = _c.holder_acquire(self._live())
        return json.loads(_c.explain(engine, event._ev))

    # -- what is loaded --

    @property
    def rules(self) -> List[Rule]:
        """Every loaded rule, in evaluation order."""
        e = _c.holder_acquire(self._live())
        return [Rule(_c.engine_rule_name(e, i), _c.engine_rule_description(e, i),
                     _PRIORITIES[_c.engine_rule_priority(e, i)],
                     tuple(_c.engine_rule_tag(e, i, j)
                           for j in range(_c.engine_rule_tag_count(e, i))),
                     _c.engine_rule_file(e, i), _c.engine_rule_line(e, i),
                     _c.engine_rule_column(e, i), bool(_c.engine_rule_active(e, i)))
                for i in range(_c.engine_rule_count(e))]

    @property
    def warnings(self) -> List[Diagnostic]:
        """The warnings of the loads that built the current rules."""
        e = _c.holder_acquire(self._live())
        return [Diagnostic(_c.error_info(_c.engine_warning(e, i)))
                for i in range(_c.engine_warning_count(e))]

    @property
    def options(self) -> Dict[str, str]:
        """Every option's value, normalised (defaults included)."""
        return {k: _c.config_get(self._cfg, k) for k in _option_keys()}

    # -- lifetime --

    def _live(self) -> Any:
        holder = self._holder
        if holder is None:
            raise InvalidArgumentError("the engine is closed", code=_c.E_INVALID_ARG)
        return holder

    def close(self) -> None:
        """Releases the rules. Evaluations running on other threads finish
        first on their own; later calls raise InvalidArgumentError."""
        self._holder = None

    @property
    def closed(self) -> bool:
        return self._holder is None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._holder is None:
            return "<prempti.Engine closed>"
        e = _c.holder_acquire(self._holder)
        return f"<prempti.Engine rules={_c.engine_rule_count(e)}>"


def _option_keys() -> List[str]:
    keys = []
    while (key := _c.config_key(len(keys))) is not None:
        keys.append(key)
    return keys
