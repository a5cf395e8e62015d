"""Package layering: read every module's imports (top level, in functions, lazy) with `ast`.

The model layers (geometry, physics, sensors, tracking, command and control) sit below the
engine, the results store below Monte Carlo execution, the analysis layer below the front
door (`zenit.api`): a lower package never imports a higher one, and no packages import each
other in a circle. Imports under `if TYPE_CHECKING:` are annotations only and are not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src"
MODEL_LAYERS = ("zenit.geo", "zenit.physics", "zenit.sensors", "zenit.tracking", "zenit.c2")
FORBIDDEN = {("zenit.store", "zenit.montecarlo"), ("zenit.analysis", "zenit.api"),
             *((layer, "zenit.engine") for layer in MODEL_LAYERS)}


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _imported(tree: ast.Module, module: str, is_package: bool) -> set[str]:
    names = set()
    skipped = {id(node) for statement in ast.walk(tree) if isinstance(statement, ast.If)
               and isinstance(statement.test, ast.Name) and statement.test.id == "TYPE_CHECKING"
               for node in ast.walk(statement)}
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = module.split(".")[: None if is_package else -1]
            if node.level:
                base = base[: len(base) - node.level + 1] + ([node.module] if node.module else [])
                names.add(".".join(base))
            else:
                names.add(node.module)
    return {name for name in names if name.startswith("zenit.")}


def package_links() -> dict[str, set[str]]:
    """zenit subpackage (or top-level module) -> those it imports."""
    links: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        if module == "zenit":
            continue  # the package root's lazy front door (zenit.run) sits above everything
        for target in _imported(ast.parse(path.read_text(encoding="utf-8")), module, is_package):
            if _package(target) != _package(module) and target != "zenit":
                links.setdefault(_package(module), set()).add(_package(target))
    return links


def test_lower_packages_do_not_import_higher_ones():
    links = package_links()
    assert {(low, high) for low, high in FORBIDDEN if high in links.get(low, set())} == set()


def test_packages_import_each_other_in_no_circle():
    links = package_links()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for step in links.get(start, set()) - seen:
            if step == goal or reaches(step, goal, seen | {step}):
                return True
        return False

    assert sorted(package for package in links if reaches(package, package, set())) == []
