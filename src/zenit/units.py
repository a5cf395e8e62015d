"""Quantities at the edge: "250 km", "Mach 2.5", "-10 dBsm" in, SI floats out.

Bare numbers are already SI. Inside Zenit everything is metres, seconds, radians, square
metres, kilograms, watts and hertz; this module is the only place units are read.
A Mach number needs an altitude to become a speed, so it stays a `Mach` until it is used.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from zenit.errors import UnitError, did_you_mean

Kind = Literal[
    "length", "speed", "time", "area", "angle", "mass", "power", "frequency",
    "acceleration", "decibel", "ratio", "temperature",
]

FOOT_M = 0.3048
NAUTICAL_MILE_M = 1852.0
STATUTE_MILE_M = 1609.344
STANDARD_GRAVITY = 9.80665  # m/s², CGPM 1901
SHOWN_IN_G_ABOVE_MPS2 = 20.0  # larger accelerations are printed in g
SHOWN_IN_KM_FROM_M = 1000.0

# Each kind's units and their factor to SI; the first name is the one Zenit prints.
_FACTORS: dict[str, dict[str, float]] = {
    "length": {"m": 1.0, "km": 1e3, "ft": FOOT_M, "nmi": NAUTICAL_MILE_M,
               "NM": NAUTICAL_MILE_M, "mi": STATUTE_MILE_M, "cm": 1e-2, "mm": 1e-3},
    "speed": {"m/s": 1.0, "km/h": 1 / 3.6, "kmh": 1 / 3.6, "kph": 1 / 3.6,
              "kn": NAUTICAL_MILE_M / 3600, "kt": NAUTICAL_MILE_M / 3600,
              "kts": NAUTICAL_MILE_M / 3600, "mph": STATUTE_MILE_M / 3600,
              "ft/s": FOOT_M, "km/s": 1e3},
    "time": {"s": 1.0, "ms": 1e-3, "min": 60.0, "h": 3600.0, "hr": 3600.0},
    "area": {"m2": 1.0, "m^2": 1.0, "m²": 1.0, "sqm": 1.0, "cm2": 1e-4, "ft2": FOOT_M**2},
    "angle": {"deg": math.pi / 180, "°": math.pi / 180, "rad": 1.0, "mrad": 1e-3},
    "mass": {"kg": 1.0, "t": 1e3, "g": 1e-3, "lb": 0.45359237},
    "power": {"W": 1.0, "kW": 1e3, "MW": 1e6, "GW": 1e9, "mW": 1e-3},
    "frequency": {"Hz": 1.0, "kHz": 1e3, "MHz": 1e6, "GHz": 1e9},
    "acceleration": {"m/s2": 1.0, "m/s^2": 1.0, "m/s²": 1.0, "g": STANDARD_GRAVITY},
    "decibel": {"dB": 1.0},
    "ratio": {"%": 0.01},
    "temperature": {"K": 1.0},
}
# Logarithmic units, converted by formula rather than factor.
_DECIBEL_UNITS = {"area": "dBsm", "power": "dBW"}

_NUMBER = r"[-+]?(?:\d+(?:[_,]\d{3})*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_QUANTITY = re.compile(rf"^\s*(?P<number>{_NUMBER})\s*(?P<unit>\S.*?)?\s*$")
_MACH = re.compile(rf"^\s*(?:mach\s*(?P<a>{_NUMBER})|(?P<b>{_NUMBER})\s*mach|M\s*(?P<c>{_NUMBER}))\s*$",
                   re.IGNORECASE)


@dataclass(frozen=True)
class Mach:
    """A speed given as a Mach number; it becomes m/s only at a known altitude."""

    number: float

    def to_mps(self, altitude_m=0.0):
        from zenit.geo.atmosphere import speed_of_sound

        return self.number * speed_of_sound(altitude_m)

    def __str__(self) -> str:
        return f"Mach {self.number:g}"


def units_of(kind: Kind) -> list[str]:
    """The unit names a kind accepts, for messages and docs."""
    names = list(_FACTORS[kind])
    if kind in _DECIBEL_UNITS:
        names.append(_DECIBEL_UNITS[kind])
    if kind == "speed":
        names.append("Mach")
    return names


def parse_quantity(value, kind: Kind) -> float | Mach:
    """Read a quantity of the given kind and return it in SI (or a `Mach` for speeds).

    >>> parse_quantity("250 km", "length")
    250000.0
    >>> parse_quantity("-10 dBsm", "area")
    0.1
    """
    if isinstance(value, bool):
        raise UnitError(f"expected a {kind}, got the boolean {value!r}")
    if isinstance(value, (int, float)):
        return _finite(float(value), value, kind)
    if isinstance(value, Mach):
        if kind != "speed":
            raise UnitError(f"a Mach number is a speed, not a {kind}")
        return value
    if not isinstance(value, str):
        raise UnitError(f"expected a {kind} such as {_example(kind)!r}, got {value!r}")
    mach = _MACH.match(value)
    if mach and kind != "speed":
        raise UnitError(f"{value!r} is a speed, but a {kind} is expected here "
                        f"(units: {', '.join(units_of(kind))})")
    if mach:
        number = float(_clean(mach.group("a") or mach.group("b") or mach.group("c")))
        if number < 0:
            raise UnitError(f"a Mach number cannot be negative: {value!r}")
        return Mach(number)
    match = _QUANTITY.match(value)
    if not match:
        raise UnitError(f"cannot read {value!r} as a {kind}; write a number and a unit, "
                        f"such as {_example(kind)!r}")
    number = float(_clean(match.group("number")))
    unit = (match.group("unit") or "").strip()
    if not unit:
        return _finite(number, value, kind)
    return _finite(_convert(number, unit, kind, value), value, kind)


def parse_speed(value, altitude_m: float = 0.0) -> float:
    """A speed in m/s, resolving a Mach number at the given altitude."""
    speed = parse_quantity(value, "speed")
    return float(speed.to_mps(altitude_m)) if isinstance(speed, Mach) else speed


def to_db(ratio):
    return 10.0 * math.log10(ratio)


def from_db(decibels):
    return 10.0 ** (decibels / 10.0)


def format_quantity(value_si: float, kind: Kind, unit: str | None = None) -> str:
    """Print an SI value in a readable unit of its kind."""
    if unit is None:
        unit = {"length": "km" if abs(value_si) >= SHOWN_IN_KM_FROM_M else "m", "speed": "m/s",
                "time": "s", "area": "m2", "angle": "deg", "mass": "kg", "power": "W",
                "frequency": "Hz",
                "acceleration": "g" if abs(value_si) > SHOWN_IN_G_ABOVE_MPS2 else "m/s2",
                "decibel": "dB", "ratio": "%", "temperature": "K"}[kind]
    if unit == _DECIBEL_UNITS.get(kind):
        return f"{to_db(value_si):.4g} {unit}"
    return f"{value_si / _FACTORS[kind][unit]:.6g} {unit}"


def _convert(number: float, unit: str, kind: Kind, given: str) -> float:
    factors = _FACTORS[kind]
    if unit in factors:
        return number * factors[unit]
    if unit == _DECIBEL_UNITS.get(kind):
        return from_db(number)
    folded = {name.lower(): name for name in factors}
    if unit.lower() in folded and kind not in ("power", "frequency"):
        return number * factors[folded[unit.lower()]]
    for other, other_factors in _FACTORS.items():
        if other != kind and (unit in other_factors or unit == _DECIBEL_UNITS.get(other)):
            raise UnitError(f"{given!r} is a {other}, but a {kind} is expected here "
                            f"(units: {', '.join(units_of(kind))})")
    hint = did_you_mean(unit, units_of(kind))
    raise UnitError(f"unknown {kind} unit {unit!r} in {given!r}"
                    + (f"; {hint}" if hint else f" (units: {', '.join(units_of(kind))})"))


def _clean(number: str) -> str:
    return number.replace("_", "").replace(",", "")


def _finite(number: float, given, kind: Kind) -> float:
    if not math.isfinite(number):
        raise UnitError(f"{given!r} is not a finite {kind}")
    return number


def _example(kind: Kind) -> str:
    return {"length": "250 km", "speed": "900 km/h", "time": "3 min", "area": "0.01 m2",
            "angle": "45 deg", "mass": "1.8 t", "power": "100 kW", "frequency": "3 GHz",
            "acceleration": "20 g", "decibel": "3 dB", "ratio": "50 %",
            "temperature": "290 K"}[kind]
