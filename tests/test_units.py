"""Quantity parsing at the edge, checked against exact conversion factors.

Factors: NIST SP 811 (2008), Appendix B (foot 0.3048 m exactly, nautical mile 1852 m exactly,
knot = 1852 m / 3600 s, standard gravity 9.80665 m/s²).
"""

import math

import pytest
from hypothesis import given, strategies as st

from zenit.errors import UnitError
from zenit.units import Mach, format_quantity, parse_quantity, parse_speed


@pytest.mark.parametrize("text, kind, expected", [
    ("250 km", "length", 250_000.0),
    ("30 m", "length", 30.0),
    ("15000 ft", "length", 4572.0),
    ("10 nmi", "length", 18_520.0),
    ("900 km/h", "speed", 250.0),
    ("450 kn", "speed", 450 * 1852 / 3600),
    ("3 min", "time", 180.0),
    ("1.5 h", "time", 5400.0),
    ("0.01 m2", "area", 0.01),
    ("-10 dBsm", "area", 0.1),
    ("20 dBsm", "area", 100.0),
    ("45 deg", "angle", math.pi / 4),
    ("1.8 t", "mass", 1800.0),
    ("20 g", "acceleration", 20 * 9.80665),
    ("3 GHz", "frequency", 3e9),
    ("100 kW", "power", 1e5),
    ("30 dBW", "power", 1000.0),
    ("1,500 m", "length", 1500.0),
    (250, "length", 250.0),
    (0.5, "time", 0.5),
])
def test_known_conversions(text, kind, expected):
    assert parse_quantity(text, kind) == pytest.approx(expected, rel=1e-12)


def test_mach_stays_mach_until_an_altitude_is_known():
    speed = parse_quantity("Mach 2.5", "speed")
    assert speed == Mach(2.5)
    assert parse_quantity("2.5 Mach", "speed") == Mach(2.5)


def test_mach_resolves_with_the_standard_atmosphere():
    # US Standard Atmosphere 1976: speed of sound 340.294 m/s at sea level and 295.070 m/s at
    # the tropopause, 11 km geopotential = 11,019 m geometric (the altitude Zenit takes).
    assert parse_speed("Mach 1", 0.0) == pytest.approx(340.294, abs=0.01)
    assert parse_speed("Mach 2", 11_019.0) == pytest.approx(2 * 295.070, abs=0.02)


@pytest.mark.parametrize("text, kind, fragment", [
    ("250 kg", "length", "is a mass, but a length is expected"),
    ("250 kmh", "length", "is a speed, but a length is expected"),
    ("250 furlongs", "length", "unknown length unit 'furlongs'"),
    ("twelve km", "length", "cannot read 'twelve km'"),
    ("Mach 2", "length", "is a speed, but a length is expected"),
    (True, "length", "boolean"),
    ("nan m", "length", "cannot read"),
])
def test_bad_quantities_say_what_is_wrong(text, kind, fragment):
    with pytest.raises(UnitError, match=fragment):
        parse_quantity(text, kind)


def test_misspelt_unit_gets_a_suggestion():
    with pytest.raises(UnitError, match="did you mean .*'km'"):
        parse_quantity("250 kmm", "length")


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_format_then_parse_round_trips(value):
    for kind in ("length", "time", "speed"):
        text = format_quantity(value, kind)
        assert parse_quantity(text, kind) == pytest.approx(value, rel=1e-5, abs=1e-9)
