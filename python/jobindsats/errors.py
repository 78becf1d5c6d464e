"""Exceptions the library raises on purpose."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input data (SPEC §8): the message names table, column and offending rows."""

    def __init__(self, message: str, *, table: str | None = None, column: str | None = None):
        super().__init__(message)
        self.table = table
        self.column = column


class RuleSetError(ValueError):
    """A rule set (file, name or derived change) that cannot be used: the message names the
    key, and the line of the file where it has one (SPEC D11)."""

    def __init__(
        self,
        message: str,
        *,
        key: str | None = None,
        line: int | None = None,
        source: str | None = None,
    ):
        where = ""
        if source:
            where = f"{source}" + (f", line {line}" if line else "") + ": "
        elif line:
            where = f"line {line}: "
        super().__init__(f"rule set: {where}{key + ': ' if key else ''}{message}")
        self.detail = message
        self.key = key
        self.line = line
        self.source = source

    def located(self, source: str) -> RuleSetError:
        """The same error, naming the file it was found in."""
        return RuleSetError(self.detail, key=self.key, line=self.line, source=source)


class OutputError(OSError):
    """An output that cannot be written where asked (a file where a directory is expected,
    an earlier run that would be overwritten, no permission, a full disk): the message
    names the path. Nothing half-written is left behind (see :mod:`jobindsats.atomic`)."""

    def __init__(self, message: str, *, path: object = None):
        super().__init__(message)
        self.path = path

    def __str__(self) -> str:
        return str(self.args[0])
