"""Reading the quantities users give as command-line flags, with messages that say the fix."""

from __future__ import annotations

from zenit.errors import UnitError, UserError
from zenit.units import parse_quantity


def quantity_option(flag: str, text: str, kind: str, example: str, *, allow_zero: bool = True,
                    below: str = "is negative") -> float:
    """`text` given to `flag` as a non-negative SI value of `kind` (or a UserError naming the fix)."""
    fix = f"(fix: give a value such as {example})"
    try:
        value = float(parse_quantity(text, kind))
    except UnitError as error:
        raise UserError(f"{flag} {text!r}: {error} {fix}") from None
    if value < 0.0 or (value == 0.0 and not allow_zero):
        raise UserError(f"{flag} {text!r} {below if value < 0.0 else 'must be positive'} {fix}")
    return value
