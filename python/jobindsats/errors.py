"""Exceptions the library raises on purpose."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input data (SPEC §8): the message names table, column and offending rows."""

    def __init__(self, message: str, *, table: str | None = None, column: str | None = None):
        super().__init__(message)
        self.table = table
        self.column = column
