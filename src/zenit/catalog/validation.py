"""The rules an entry must keep: completeness, signs and bounds, ordered pairs, references.

`check_entry` needs only the entry (it also runs after a scenario's overrides);
`check_references` needs the catalogue, to resolve names of radars, launchers and missiles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zenit.catalog.quantities import show_value
from zenit.catalog.schema import ORDERS, PARAMETERS
from zenit.errors import CatalogError

if TYPE_CHECKING:
    from zenit.catalog.entry import Entry
    from zenit.catalog.lookup import Catalog


def check_entry(entry: Entry) -> None:
    """Raise CatalogError naming the entry's file and field at the first broken rule."""
    declared = PARAMETERS[entry.kind]
    values = {name: figure.value for name, figure in entry.parameters.items()}
    for name in entry.parameters:
        if name not in declared:
            _fail(entry, name, f"is not a {entry.kind} parameter (known: {', '.join(declared)})")
    for name, parameter in declared.items():
        if name not in entry.parameters:
            if parameter.required_for(values):
                needed = f" (needed when {parameter.when[0]} is {parameter.when[1]})" \
                    if parameter.when else ""
                _fail(entry, name, f"is missing{needed}: {parameter.doc}")
            continue
        _check_bounds(entry, name)
    for order in ORDERS.get(entry.kind, ()):
        _check_order(entry, order.lesser, order.greater, order.strict)


def check_references(entry: Entry, catalog: Catalog) -> Entry:
    """The entry with every name it refers to checked and written in its canonical form."""
    updates = {}
    for name, parameter in PARAMETERS[entry.kind].items():
        if parameter.refers_to is None or name not in entry.parameters:
            continue
        figure = entry.parameters[name]
        resolved = _resolve(entry, name, figure.value, parameter.refers_to, catalog)
        updates[name] = figure.model_copy(update={"value": resolved})
    if updates:
        entry = entry.model_copy(update={"parameters": {**entry.parameters, **updates}})
    if entry.kind == "battalion":
        _check_loadout(entry, catalog)
    return entry


def _resolve(entry: Entry, name: str, value, kind: str, catalog: Catalog):
    def canonical(given: str, wanted: str = kind) -> str:
        try:
            return catalog.get(given, kind=wanted).name
        except CatalogError as error:
            _fail(entry, name, str(error))

    if isinstance(value, str):
        return canonical(value)
    if value and hasattr(value[0], "type"):
        return tuple(component.model_copy(update={
            "type": canonical(component.type),
            "mast": canonical(component.mast, "mast") if component.mast else None,
        }) for component in value)
    return [canonical(item) for item in value]


def _check_loadout(entry: Entry, catalog: Catalog) -> None:
    loadout = entry.value("default_loadout")
    for component in entry.value("launchers"):
        tubes = catalog.get(component.type, kind="launcher").value("tubes")
        if len(loadout) != tubes:
            _fail(entry, "default_loadout", f"names {len(loadout)} missiles, one per tube, but "
                  f"the {component.type} launcher has {tubes} tubes")


def _check_bounds(entry: Entry, name: str) -> None:
    parameter = PARAMETERS[entry.kind][name]
    figures = [entry.parameters[name].value]
    figures += [alternative.value for alternative in entry.parameters[name].alternatives]
    for value in figures:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        shown = show_value(value, parameter)
        if parameter.sign == "positive" and not value > 0:
            _fail(entry, name, f"must be positive, got {shown}")
        if parameter.sign == "nonnegative" and value < 0:
            _fail(entry, name, f"cannot be negative, got {shown}")
        if parameter.maximum is not None and value > parameter.maximum:
            _fail(entry, name, f"cannot exceed {show_value(parameter.maximum, parameter)}, "
                  f"got {shown}")


def _check_order(entry: Entry, lesser: str, greater: str, strict: bool) -> None:
    if not (entry.has(lesser) and entry.has(greater)):
        return
    low, high = entry.value(lesser), entry.value(greater)
    if low < high or (not strict and low == high):
        return
    parameter = PARAMETERS[entry.kind][lesser]
    relation = "less than" if strict else "at most"
    _fail(entry, lesser, f"({show_value(low, parameter)}) must be {relation} {greater} "
          f"({show_value(high, PARAMETERS[entry.kind][greater])})")


def _fail(entry: Entry, name: str, message: str):
    place = entry.file or f"{entry.kind} {entry.name!r}"
    raise CatalogError(f"{place}: {entry.name}: {name} {message}")
