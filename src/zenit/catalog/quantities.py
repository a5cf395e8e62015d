"""Reading and printing one catalogue value according to its parameter's declared kind.

Unit kinds go through `zenit.units`. Two quantities the catalogue needs are not (yet) unit
kinds there, so they are read here: force (N, kN, MN), for motor thrust, and cost (USD, kUSD,
MUSD), for unit prices.
"""

from __future__ import annotations

import re

from zenit.catalog.schema import CATALOG_QUANTITY_KINDS, UNIT_KINDS, Parameter
from zenit.errors import UnitError, did_you_mean
from zenit.units import Mach, format_quantity, parse_quantity

_EXTRA_FACTORS = {
    "force": {"N": 1.0, "kN": 1e3, "MN": 1e6},
    "cost": {"USD": 1.0, "kUSD": 1e3, "MUSD": 1e6, "BUSD": 1e9},
}
_NUMBER_AND_UNIT = re.compile(r"^\s*(?P<number>[-+]?(?:\d[\d_,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)"
                              r"\s*(?P<unit>\S.*?)?\s*$")


def read_value(raw, parameter: Parameter, altitude_m: float = 0.0):
    """The value of `raw` for `parameter`: SI float, int, str, bool or list of names.

    A speed given as a Mach number is turned into m/s at `altitude_m`.
    Components are read by the entry model, not here.
    """
    kind = parameter.kind
    if kind in UNIT_KINDS:
        value = parse_quantity(raw, kind)
        return float(value.to_mps(altitude_m)) if isinstance(value, Mach) else value
    if kind in CATALOG_QUANTITY_KINDS:
        return _read_extra(raw, kind)
    if kind == "number":
        return parse_quantity(raw, "ratio")
    if kind == "count":
        return _read_count(raw)
    if kind == "flag":
        if not isinstance(raw, bool):
            raise UnitError(f"expected true or false, got {raw!r}")
        return raw
    if kind in ("text", "name"):
        return _read_text(raw, parameter)
    if kind == "names":
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise UnitError(f"expected a list of names, got {raw!r}")
        return list(raw)
    raise UnitError(f"cannot read a {kind} here")


def show_value(value, parameter: Parameter) -> str:
    """A figure in a readable unit: '200 km', '5.2 MUSD', '4'."""
    kind = parameter.kind
    if kind in UNIT_KINDS:
        return format_quantity(value, kind, parameter.display)
    if kind in CATALOG_QUANTITY_KINDS:
        unit = parameter.display or next(iter(_EXTRA_FACTORS[kind]))
        return f"{value / _EXTRA_FACTORS[kind][unit]:.6g} {unit}"
    if kind == "number":
        return f"{value:.6g}"
    if kind == "names":
        return ", ".join(value)
    if kind == "components":
        return "; ".join(str(component) for component in value)
    return str(value).lower() if isinstance(value, bool) else str(value)


def _read_extra(raw, kind: str) -> float:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    match = _NUMBER_AND_UNIT.match(raw) if isinstance(raw, str) else None
    if not match:
        raise UnitError(f"cannot read {raw!r} as a {kind}; write a number and a unit, such as "
                        f"{'120 kN' if kind == 'force' else '1.5 MUSD'!r}")
    number = float(match.group("number").replace("_", "").replace(",", ""))
    unit = match.group("unit")
    if unit is None:
        return number
    factors = _EXTRA_FACTORS[kind]
    if unit not in factors:
        hint = did_you_mean(unit, factors)
        raise UnitError(f"unknown {kind} unit {unit!r} in {raw!r}"
                        + (f"; {hint}" if hint else f" (units: {', '.join(factors)})"))
    return number * factors[unit]


def _read_count(raw) -> int:
    if isinstance(raw, bool):
        raise UnitError(f"expected a whole number, got {raw!r}")
    if isinstance(raw, str):
        raw = raw.strip()
        if not re.fullmatch(r"[-+]?\d+", raw):
            raise UnitError(f"expected a whole number, got {raw!r}")
        return int(raw)
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if not isinstance(raw, int):
        raise UnitError(f"expected a whole number, got {raw!r}")
    return raw


def _read_text(raw, parameter: Parameter) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise UnitError(f"expected a name or label, got {raw!r}")
    if parameter.choices and raw not in parameter.choices:
        hint = did_you_mean(raw, parameter.choices)
        raise UnitError(f"{raw!r} is not one of {', '.join(parameter.choices)}"
                        + (f"; {hint}" if hint else ""))
    return raw
