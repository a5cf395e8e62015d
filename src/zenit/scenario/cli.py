"""`zenit validate`: every problem of a scenario, one line each, with its place and its fix."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from zenit.scenario.load import load_with_problems

EXIT_CLEAN = 0
EXIT_PROBLEMS = 2


def validate_command(path: str, console: Console | None = None) -> int:
    """Print "FILE:LINE:COL: field.path: message (fix: ...)" per problem; exit 0 or 2."""
    console = console or Console(highlight=False, soft_wrap=True)
    scenario, problems = load_with_problems(path)
    if problems:
        for problem in problems:
            console.print(escape(problem.render()))
        count = len(problems)
        console.print(f"[red]{count} problem{'s' if count != 1 else ''}[/red] in {escape(path)}")
        return EXIT_PROBLEMS
    battalions = len(scenario.battalions())
    console.print(f"OK: {escape(scenario.name)}: {scenario.threat_count()} threats, "
                  f"{battalions} battalion{'s' if battalions != 1 else ''}")
    return EXIT_CLEAN
