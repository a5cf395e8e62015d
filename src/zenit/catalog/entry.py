"""One catalogue entry and its sourced figures.

Every figure keeps the text it was written as, its SI value, its source, the alternatives
other sources give and whether it is an engineering assumption, so that a result can always
be traced back to where its inputs came from.
"""

from __future__ import annotations

from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from zenit.catalog.quantities import read_value
from zenit.catalog.schema import PARAMETERS, Parameter
from zenit.errors import CatalogError, UnitError, did_you_mean

ASSUMPTION_PREFIX = "assumption:"


class Component(BaseModel):
    """A part of a fire unit or regiment: `count` of catalogue entry `type`, maybe on a `mast`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str
    count: int = 1
    mast: str | None = None

    def __str__(self) -> str:
        return f"{self.count} × {self.type}" + (f" on {self.mast}" if self.mast else "")


class Alternative(BaseModel):
    """A figure another source gives for the same parameter, not the one used."""

    model_config = ConfigDict(frozen=True)

    text: str
    value: Any
    source: str
    note: str | None = None


class SourcedValue(BaseModel):
    """A parameter's value with where it came from."""

    model_config = ConfigDict(frozen=True)

    text: str
    value: Any
    unit_kind: str
    source: str = ""
    note: str | None = None
    alternatives: tuple[Alternative, ...] = ()
    assumption: bool = False

    @classmethod
    def read(cls, raw, parameter: Parameter, altitude_m: float = 0.0) -> SourcedValue:
        """Read a data-file field: a bare value, or {value, source, note, alternatives,
        assumption}. Raises UnitError or CatalogError naming what is wrong, not where."""
        fields = raw if isinstance(raw, dict) else {"value": raw}
        unknown = set(fields) - {"value", "source", "note", "alternatives", "assumption"}
        if unknown:
            raise CatalogError(f"unknown field(s) {', '.join(sorted(unknown))}; a figure has "
                               "value, source, note, alternatives and assumption")
        if "value" not in fields:
            raise CatalogError("a figure needs a 'value'")
        source = str(fields.get("source") or "").strip()
        assumption = fields.get("assumption", False)
        _check_source(parameter, source, assumption)
        alternatives = tuple(_alternative(item, parameter, altitude_m)
                             for item in fields.get("alternatives") or ())
        value = _value(fields["value"], parameter, altitude_m)
        return cls(text=_text(fields["value"], value), value=value, unit_kind=parameter.kind,
                   source=source, note=fields.get("note"), alternatives=alternatives,
                   assumption=assumption)


class Entry(BaseModel):
    """A radar, mast, missile, launcher, command post, fire unit, regiment or threat."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: str
    system: str
    description: str
    aliases: tuple[str, ...] = ()
    parameters: dict[str, SourcedValue]
    file: str | None = None
    # Set by the catalogue that holds the entry, so that overrides can check references.
    _catalog: Any = PrivateAttr(default=None)

    def has(self, name: str) -> bool:
        return name in self.parameters

    def figure(self, name: str) -> SourcedValue:
        """The sourced value of a parameter, or a CatalogError that names the nearest ones."""
        if name not in self.parameters:
            hint = did_you_mean(name, self.parameters)
            raise CatalogError(f"{self.kind} {self.name!r} has no parameter {name!r}"
                               + (f"; {hint}" if hint else ""))
        return self.parameters[name]

    def value(self, name: str):
        """The value in SI (m, s, kg, m², rad, N, USD), or the plain label, flag or list."""
        return self.figure(name).value

    def source(self, name: str) -> str:
        return self.figure(name).source

    @property
    def radars(self) -> list[Component]:
        return list(self.value("radars"))

    @property
    def launchers(self) -> list[Component]:
        return list(self.value("launchers"))

    @property
    def battalions(self) -> list[Component]:
        return list(self.value("battalions"))

    @property
    def default_loadout(self) -> list[str]:
        return list(self.value("default_loadout"))

    @property
    def command_post(self) -> str:
        return self.value("command_post")

    def with_overrides(self, overrides: Mapping[str, Any], origin: str) -> Entry:
        """A copy with some figures replaced (a scenario's own numbers), re-validated.

        Values are read with each parameter's declared unit kind; the new figure's source is
        "scenario override (<origin>)" and its note keeps the catalogue figure it replaced.
        """
        from zenit.catalog.validation import check_entry, check_references

        parameters = dict(self.parameters)
        altitude_m = self._cruise_altitude(overrides)
        for name, raw in overrides.items():
            declared = PARAMETERS[self.kind].get(name)
            if declared is None:
                hint = did_you_mean(name, PARAMETERS[self.kind])
                raise CatalogError(f"{self.kind} {self.name!r} has no parameter {name!r} to "
                                   f"override" + (f"; {hint}" if hint else ""))
            try:
                value = _value(raw, declared, altitude_m)
            except UnitError as error:
                raise UnitError(f"{self.name}: {name}: {error}") from None
            previous = self.parameters.get(name)
            note = f"replaces {previous.text} ({previous.source})" if previous else None
            parameters[name] = SourcedValue(text=_text(raw, value), value=value,
                                            unit_kind=declared.kind, note=note,
                                            source=f"scenario override ({origin})")
        changed = self.model_copy(update={"parameters": parameters})
        check_entry(changed)
        if self._catalog is not None:
            changed = check_references(changed, self._catalog)
        return changed

    def _cruise_altitude(self, overrides: Mapping[str, Any]) -> float:
        """Altitude at which a Mach number in an override becomes a speed."""
        raw = overrides.get("cruise_altitude")
        if raw is not None:
            return read_value(raw, PARAMETERS["threat"]["cruise_altitude"])
        return self.value("cruise_altitude") if self.has("cruise_altitude") else 0.0


def _value(raw, parameter: Parameter, altitude_m: float):
    if parameter.kind == "components":
        return _components(raw)
    return read_value(raw, parameter, altitude_m)


def _components(raw) -> tuple[Component, ...]:
    if not isinstance(raw, list) or not raw:
        raise CatalogError(f"expected a list of {{type, count, mast}}, got {raw!r}")
    components = []
    for item in raw:
        if not isinstance(item, dict) or "type" not in item:
            raise CatalogError(f"expected {{type, count, mast}}, got {item!r}")
        try:
            component = Component.model_validate(item)
        except ValidationError as error:
            raise CatalogError(f"{item!r}: {error.errors()[0]['msg']}") from None
        if component.count < 1:
            raise CatalogError(f"{component.type}: count must be at least 1, got {component.count}")
        components.append(component)
    return tuple(components)


def _alternative(raw, parameter: Parameter, altitude_m: float) -> Alternative:
    if not isinstance(raw, dict) or "value" not in raw or not str(raw.get("source") or "").strip():
        raise CatalogError(f"an alternative needs a value and a source, got {raw!r}")
    value = _value(raw["value"], parameter, altitude_m)
    return Alternative(text=_text(raw["value"], value), value=value,
                       source=str(raw["source"]).strip(), note=raw.get("note"))


def _check_source(parameter: Parameter, source: str, assumption) -> None:
    if not isinstance(assumption, bool):
        raise CatalogError(f"'assumption' must be true or false, got {assumption!r}")
    if parameter.needs_source and not source:
        raise CatalogError("a figure needs a source: the citation, or 'assumption: <how it was "
                           "derived>' with assumption: true")
    said = source.lower().startswith(ASSUMPTION_PREFIX)
    if said != assumption:
        raise CatalogError("an assumption's source must start with 'assumption:' and carry "
                           "assumption: true, and only an assumption's")


def _text(raw, value) -> str:
    """The figure as a person wrote it; lists and flags as they read in YAML."""
    if isinstance(raw, bool):
        return str(raw).lower()
    if isinstance(raw, list):
        return "; ".join(str(item) for item in value) if value and isinstance(
            value[0], Component) else ", ".join(str(item) for item in raw)
    return str(raw)
