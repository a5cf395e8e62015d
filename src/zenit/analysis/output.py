"""How an analysis command hands its figures to the user: one JSON object, or a rich table."""

from __future__ import annotations

import json
import math
import sys
from typing import Callable

from rich.console import Console


def emit_summary(summary: dict, as_json: bool, print_table: Callable[[dict, Console], None],
                 console: Console | None = None) -> int:
    """Print `summary` as JSON on stdout or through `print_table`; the command's exit code."""
    if as_json:
        sys.stdout.write(json.dumps(summary) + "\n")
    else:
        print_table(summary, console or Console(highlight=False))
    return 0


def json_number(value) -> float | None:
    """A float for JSON, None for NaN and infinities (strict JSON has neither)."""
    value = float(value)
    return value if math.isfinite(value) else None
