"""Errors that end a run for one input: the file cannot be read as an annual report."""

from __future__ import annotations


class InputError(Exception):
    """An input that gets no parse at all: unreadable, undecodable, not a report.

    ``code`` is stable (upper snake case) and ``exit_code`` is what the CLI returns.
    """

    def __init__(self, code: str, message: str, *, path: str | None = None, exit_code: int = 2):
        self.code = code
        self.message = message
        self.path = path
        self.exit_code = exit_code
        super().__init__(message)

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.message}"
