"""The errors a user sees.

A `UserError` is a mistake in what the user gave (a file, a flag, a name): the CLI prints its
message and exits with code 2, never a traceback. Everything else is a bug in Zenit.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


class ZenitError(Exception):
    """Base of every error Zenit raises on purpose."""


class UserError(ZenitError):
    """Bad input: the message names what was given, where, and how to fix it."""

    exit_code = 2


class UnitError(UserError):
    """A quantity that cannot be read, or has the wrong dimension ("250 kg" for a range)."""


class CatalogError(UserError):
    """An unknown catalogue name, or a catalogue entry that breaks its own rules."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, with its place."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None
    hint: str | None = None

    def render(self) -> str:
        place = self.file or "<input>"
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        text = f"{place}: "
        if self.path:
            text += f"{self.path}: "
        text += self.message
        if self.hint:
            text += f" (fix: {self.hint})"
        return text


class ScenarioError(UserError):
    """Every problem found in a scenario file, reported at once."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found"
        return "\n".join([head] + ["  " + problem.render() for problem in self.problems])


def nearest_names(given: str, choices: Iterable[str], count: int = 3) -> list[str]:
    """The valid names closest to a mistyped one, for "did you mean" hints."""
    choices = list(choices)
    by_lower = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(given.lower(), list(by_lower), n=count, cutoff=0.5)
    found = [by_lower[name] for name in close]
    if not found:
        found = [c for c in choices if given.lower() in c.lower() or c.lower() in given.lower()]
    return found[:count]


def did_you_mean(given: str, choices: Iterable[str]) -> str | None:
    names = nearest_names(given, choices)
    if not names:
        return None
    return "did you mean " + " or ".join(repr(name) for name in names) + "?"
