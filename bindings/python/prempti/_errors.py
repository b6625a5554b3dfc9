"""Exceptions and diagnostics, made from libprempti's error objects."""

from __future__ import annotations

from typing import Dict, Optional, Tuple, Type

from . import capi as _c

__all__ = [
    "Diagnostic", "Error", "RulesError", "EventError", "FileError", "LimitError",
    "UnsupportedError", "InvalidArgumentError", "OutOfMemoryError", "InternalError",
]


def _locate(message: str, file: Optional[str], line: Optional[int], column: Optional[int]) -> str:
    """'file:line:col: message', leaving out the parts that are unknown."""
    where = ":".join(str(p) for p in (file, line, column) if p)
    return f"{where}: {message}" if where else message


class Diagnostic:
    """A warning produced while loading rules, or a note attached to an error.

    Attributes: ``severity`` ("error" or "warning"), ``message``, ``kind``
    (Falco's name, e.g. "LOAD_UNUSED_MACRO"), ``file``, ``line``, ``column``
    (None when unknown; line and column are 1-based), ``item_type`` and
    ``item_name`` (the rules-file item, e.g. "rule" and its name; "" when
    none).
    """

    __slots__ = ("severity", "message", "kind", "file", "line", "column", "item_type",
                 "item_name")

    def __init__(self, info: tuple) -> None:
        (_code, severity, self.message, self.kind, file, line, column, self.item_type,
         self.item_name, _notes) = info
        self.severity = "warning" if severity == _c.SEVERITY_WARNING else "error"
        self.file = file or None
        self.line = line or None
        self.column = column or None

    def __str__(self) -> str:
        kind = f" [{self.kind}]" if self.kind else ""
        return _locate(f"{self.severity}: {self.message}{kind}", self.file, self.line,
                       self.column)

    def __repr__(self) -> str:
        return f"<prempti.Diagnostic {self}>"


class Error(Exception):
    """Base class of every error libprempti reports.

    Attributes: ``code`` (the negative PREMPTI_E_* status), ``status`` (its
    name, e.g. "PREMPTI_E_RULE"), ``message``, ``kind`` (e.g.
    "LOAD_ERR_COMPILE_CONDITION", "EVENT_INVALID_JSON"; "" when none),
    ``file``, ``line``, ``column`` (where the problem is; None when unknown),
    ``item_type``, ``item_name`` (the rules-file item it is in; "" when
    none), ``notes`` (warnings produced before the failure).
    """

    code: int = 0

    def __init__(self, message: str, *, code: Optional[int] = None, kind: str = "",
                 file: Optional[str] = None, line: Optional[int] = None,
                 column: Optional[int] = None, item_type: str = "", item_name: str = "",
                 notes: Tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.item_type = item_type
        self.item_name = item_name
        self.notes = notes

    @property
    def status(self) -> str:
        return _STATUS_NAMES.get(self.code, "PREMPTI_E_UNKNOWN")

    def __str__(self) -> str:
        return _locate(self.message, self.file, self.line, self.column)


class RulesError(Error):
    """A rules file or text is not valid YAML or not a valid rule pack."""


class EventError(Error, ValueError):
    """An event payload is not JSON, or not of a shape libprempti knows."""


class FileError(Error):
    """A rules file or directory could not be read."""


class LimitError(Error):
    """A configured size or depth limit was exceeded (rules or events)."""


class UnsupportedError(Error):
    """An unknown option, agent or hook event."""


class InvalidArgumentError(Error, ValueError):
    """An option value or an argument libprempti does not accept."""


class OutOfMemoryError(Error, MemoryError):
    """libprempti ran out of memory."""


class InternalError(Error):
    """A bug in libprempti; never means "allow"."""


_CLASSES: Dict[int, Type[Error]] = {
    _c.E_NOMEM: OutOfMemoryError,
    _c.E_INVALID_ARG: InvalidArgumentError,
    _c.E_IO: FileError,
    _c.E_YAML: RulesError,
    _c.E_RULE: RulesError,
    _c.E_JSON: EventError,
    _c.E_EVENT: EventError,
    _c.E_LIMIT: LimitError,
    _c.E_UNSUPPORTED: UnsupportedError,
    _c.E_INTERNAL: InternalError,
}

_STATUS_NAMES = {
    getattr(_c, n): "PREMPTI_" + n for n in dir(_c) if n.startswith("E_")
}


def _from_info(info: tuple) -> Error:
    """The exception for an error tuple of the low-level module."""
    code, _sev, message, kind, file, line, column, item_type, item_name, notes = info
    cls = _CLASSES.get(code, Error)
    return cls(message, code=code, kind=kind, file=file or None, line=line or None,
               column=column or None, item_type=item_type, item_name=item_name,
               notes=tuple(Diagnostic(n) for n in notes))


_c.set_error_factory(_from_info)
