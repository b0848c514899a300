"""Errors kg reports to users: one line each, naming the file, the line or the rule id."""

from __future__ import annotations

__all__ = ["KGError", "RuleError", "InputError", "OutputError"]


class KGError(Exception):
    """Base class: its message is the one line the CLI prints (exit code 2)."""


class RuleError(KGError):
    """A rule file is wrong: names the file, the line and/or the rule id."""

    def __init__(self, path: str, msg: str, *, line: int | None = None, rule: str | None = None):
        self.path, self.line, self.rule, self.msg = str(path), line, rule, msg
        where = self.path + (f":{line}" if line else "")
        who = f" rule '{rule}'" if rule else ""
        super().__init__(f"{where}:{who} {msg}".replace(": ", ": ", 1))


class InputError(KGError):
    """An input path or document cannot be read."""


class OutputError(KGError):
    """An output path cannot be written."""
