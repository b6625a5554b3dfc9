"""libprempti for Python: decide whether an AI agent's tool call may run.

    import prempti

    with prempti.Engine(floor="defer") as engine:
        engine.load_rules(prempti.default_rules_dir(), "my-rules.yaml")
        event = prempti.Event.from_tool("shell", "run", {"command": "rm -rf ~"},
                                        cwd="/home/me/project", agent="my-agent")
        result = engine.evaluate(event)
        if result.decision is prempti.Decision.DENY:
            print("blocked:", result.reason)

Every failure raises a subclass of prempti.Error; never treat one as an
allow. Engines are safe to use from many threads: evaluation releases the
GIL, and reloading rules (Engine.reload) never blocks evaluations.
"""

from __future__ import annotations

from typing import List, Optional

from . import capi
from ._core import Decision, Engine, Event, Match, Priority, Response, Result, Rule, _option_keys
from ._errors import (
    Diagnostic, Error, EventError, FileError, InternalError, InvalidArgumentError, LimitError,
    OutOfMemoryError, RulesError, UnsupportedError,
)

__version__ = "0.1.0"

__all__ = [
    "Decision", "Engine", "Event", "Match", "Priority", "Response", "Result", "Rule",
    "Diagnostic", "Error", "EventError", "FileError", "InternalError", "InvalidArgumentError",
    "LimitError", "OutOfMemoryError", "RulesError", "UnsupportedError",
    "default_rules_dir", "library_version", "option_keys",
]


def default_rules_dir() -> Optional[str]:
    """The directory of libprempti's default rule pack, as installed with the
    library this package was built against (pkg-config's ``rulesdir``);
    None when it is unknown."""
    try:
        from ._build_config import RULES_DIR
    except ImportError:
        return None
    return RULES_DIR or None


def library_version() -> str:
    """The version of the libprempti library loaded, e.g. "0.1.0"."""
    return capi.version_string()


def option_keys() -> List[str]:
    """Every option key Engine() and the events accept."""
    return _option_keys()
