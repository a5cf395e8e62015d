"""Reading the catalogue's YAML files: data/<kind>/<name>.yaml, one entry per file.

Every file is validated as it is read, and the catalogue's cross-references once all are
read, so that a broken entry stops the load with a message naming its file and field.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import yaml

from zenit.catalog.entry import Entry, SourcedValue
from zenit.catalog.lookup import Catalog
from zenit.catalog.schema import KINDS, PARAMETERS
from zenit.catalog.validation import check_entry, check_references
from zenit.errors import CatalogError, UnitError, did_you_mean

_TOP_FIELDS = {"name", "system", "description", "aliases", "parameters"}


@functools.cache
def load_catalog() -> Catalog:
    """The packaged catalogue, read and validated once per process."""
    return read_catalog(resources.files("zenit.catalog") / "data")


def read_catalog(root: Traversable | Path | str) -> Catalog:
    """Read and validate every entry under `root` (one folder per kind)."""
    root = Path(root) if isinstance(root, str) else root
    entries = []
    for folder in sorted(root.iterdir(), key=lambda item: item.name):
        if not folder.is_dir() or folder.name.startswith(("_", ".")):
            continue
        if folder.name not in KINDS:
            hint = did_you_mean(folder.name, KINDS)
            raise CatalogError(f"{folder}: not an entry kind" + (f"; {hint}" if hint else
                               f" (kinds: {', '.join(KINDS)})"))
        for file in sorted(folder.iterdir(), key=lambda item: item.name):
            if file.name.endswith(".yaml"):
                entries.append(read_entry(file, folder.name))
    catalog = Catalog(entries)
    resolved = [check_references(entry, catalog) for entry in catalog]
    catalog = Catalog(resolved)
    for entry in catalog:
        entry._catalog = catalog
    return catalog


def read_entry(file: Traversable | Path, kind: str) -> Entry:
    """One entry from its file, checked against the schema of its kind."""
    place = str(file)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogError(f"{place}: not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise CatalogError(f"{place}: expected a mapping with {', '.join(sorted(_TOP_FIELDS))}")
    _check_top_fields(raw, place)
    _check_file_name(file, raw["name"], place)
    fields = raw.get("parameters")
    if not isinstance(fields, dict):
        raise CatalogError(f"{place}: parameters: expected a mapping of parameter names")
    entry = Entry(name=raw["name"], kind=kind, system=raw["system"],
                  description=" ".join(str(raw["description"]).split()),
                  aliases=tuple(raw.get("aliases") or ()), file=place,
                  parameters=_read_parameters(fields, kind, place))
    check_entry(entry)
    return entry


def _read_parameters(fields: dict, kind: str, place: str) -> dict[str, SourcedValue]:
    declared = PARAMETERS[kind]
    altitude_m = 0.0
    if "cruise_altitude" in fields and "cruise_altitude" in declared:
        altitude_m = _read_one(fields, "cruise_altitude", kind, place, 0.0).value
    parameters = {}
    for name in fields:
        if name not in declared:
            hint = did_you_mean(name, declared)
            raise CatalogError(f"{place}: parameters.{name}: not a {kind} parameter"
                               + (f"; {hint}" if hint else ""))
        parameters[name] = _read_one(fields, name, kind, place, altitude_m)
    return parameters


def _read_one(fields: dict, name: str, kind: str, place: str, altitude_m: float):
    try:
        return SourcedValue.read(fields[name], PARAMETERS[kind][name], altitude_m)
    except (UnitError, CatalogError) as error:
        raise CatalogError(f"{place}: parameters.{name}: {error}") from None


def _check_top_fields(raw: dict, place: str) -> None:
    unknown = set(raw) - _TOP_FIELDS
    if unknown:
        raise CatalogError(f"{place}: unknown field(s) {', '.join(sorted(unknown))} "
                           f"(fields: {', '.join(sorted(_TOP_FIELDS))})")
    for field in ("name", "system", "description"):
        if not isinstance(raw.get(field), str) or not raw[field].strip():
            raise CatalogError(f"{place}: {field}: expected a non-empty text")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
        raise CatalogError(f"{place}: aliases: expected a list of names")


def _check_file_name(file, name: str, place: str) -> None:
    expected = re.sub(r"[\s/]", "_", name) + ".yaml"
    if file.name != expected:
        raise CatalogError(f"{place}: the entry {name!r} belongs in a file named {expected!r}")
