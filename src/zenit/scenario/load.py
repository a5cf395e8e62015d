"""Loading a scenario: read, check the schema, resolve; every problem reported at once.

A part that fails the schema (one threat group with a bad unit, say) is set aside and the
rest is still resolved, so one run of `zenit validate` lists the mistakes of the whole file.
References to a part set aside are not reported again: the first problem is the real one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from zenit.errors import Problem, ScenarioError
from zenit.scenario.loader import Document, read_document
from zenit.scenario.messages import problem_from_error
from zenit.scenario.model import Scenario
from zenit.scenario.resolve import Resolver
from zenit.scenario.schema import ScenarioFile

LISTS = ("assets", "defence", "threats", "jammers")  # sections whose bad items are set aside
OPTIONAL = ("description", "simulation", "doctrine", "missiles")  # fall back to defaults


def load_scenario(path: str | Path) -> Scenario:
    """The resolved scenario in `path`, or a ScenarioError listing every problem."""
    scenario, problems = load_with_problems(path)
    if problems:
        raise ScenarioError(problems)
    return scenario


def check_scenario(path: str | Path) -> list[Problem]:
    """Every problem in the scenario at `path`, in file order; empty when it is clean."""
    return load_with_problems(path)[1]


def load_with_problems(path: str | Path) -> tuple[Scenario | None, list[Problem]]:
    """The scenario (None when anything is wrong) and its problems, in file order."""
    file = str(path)
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem("no such scenario file", file=file,
                              hint="check the path; bundled scenarios are in scenarios/")]
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(f"cannot read the scenario file: {error}", file=file)]
    return load_text(text, file)


def load_text(text: str, file: str) -> tuple[Scenario | None, list[Problem]]:
    """Load scenario text as if read from `file` (which also anchors relative paths)."""
    document = read_document(text, file)
    problems = list(document.problems)
    if document.data is None and not problems:
        problems.append(Problem("the file is empty", file=file, line=1, column=1,
                                hint="start from one of the bundled scenarios"))
    if not isinstance(document.data, dict):
        if not problems:
            problems.append(Problem("a scenario is a mapping of sections (name, origin, ...)",
                                    file=file, line=1, column=1))
        return None, _ordered(problems)
    checked, schema_problems = _validate(document)
    problems += schema_problems
    if checked is None:
        return None, _ordered(problems)
    from zenit.catalog import load_catalog

    resolver = Resolver(document, checked.spec, load_catalog(), checked.names, checked.kept)
    scenario = resolver.resolve()
    problems += resolver.problems
    if problems:
        return None, _ordered(problems)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return replace(scenario, source_path=file, source_text=text, source_hash=digest), []


@dataclass
class SetAside:
    """The schema-checked file without its bad parts, and what was set aside."""

    spec: ScenarioFile
    kept: dict[str, list[int]]  # by list section, the original index of each item kept
    names: set[str]  # every name written inside a part set aside


def _validate(document: Document) -> tuple[SetAside | None, list[Problem]]:
    """The file with its bad parts set aside, and the schema's problems."""
    try:
        return SetAside(ScenarioFile.model_validate(document.data), {}, set()), []
    except ValidationError as error:
        errors = error.errors()
    problems = [problem_from_error(item, document) for item in errors]
    data = dict(document.data)
    bad_items: dict[str, set[int]] = {}
    for item in errors:
        location = item["loc"]
        section = location[0] if location else None
        if section in LISTS and len(location) > 1 and isinstance(location[1], int):
            bad_items.setdefault(section, set()).add(location[1])
        elif section in OPTIONAL:
            data.pop(section, None)
        else:
            return None, problems
    kept: dict[str, list[int]] = {}
    skipped: set[str] = set()
    for section, indices in bad_items.items():
        skipped |= {name for index in indices for name in _names_in(data[section][index])}
        kept[section] = [index for index in range(len(data[section])) if index not in indices]
        data[section] = [data[section][index] for index in kept[section]]
    try:
        return SetAside(ScenarioFile.model_validate(data), kept, skipped), problems
    except ValidationError:
        return None, problems


def _names_in(raw) -> set[str]:
    """Every `name` written inside a part, so references to it are not reported twice."""
    if isinstance(raw, dict):
        found = {raw["name"]} if isinstance(raw.get("name"), str) else set()
        for value in raw.values():
            found |= _names_in(value)
        return found
    if isinstance(raw, list):
        return {name for item in raw for name in _names_in(item)}
    return set()


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: (problem.line or 0, problem.column or 0))
