"""Finding entries by name or alias, and a scenario's overrides of catalogue figures."""

import pytest

from zenit.catalog import Component, load_catalog
from zenit.catalog.schema import KINDS
from zenit.errors import CatalogError, UnitError

CATALOG = load_catalog()


def test_load_is_cached():
    assert load_catalog() is CATALOG


@pytest.mark.parametrize("given, expected", [
    ("48n6e2", "48N6E2"), ("SA-21", "S-400 regiment"), ("sa21", "S-400 regiment"),
    ("Grave Stone", "92N6E"), ("cheese board", "96L6E"), ("mpq-65", "AN/MPQ-65"),
    ("Shahed-136", "UAV"), ("pac3 mse", "PAC-3 MSE"), ("Sudarshan Chakra", "S-400 regiment"),
])
def test_names_and_aliases_case_insensitive(given, expected):
    assert CATALOG.get(given).name == expected


def test_misspelt_name_suggests_the_nearest():
    with pytest.raises(CatalogError, match=r"unknown missile '48N6E5'; did you mean '48N6E.*'"):
        CATALOG.get("48N6E5", kind="missile")
    with pytest.raises(CatalogError, match="did you mean '91N6E'"):
        CATALOG.get("91N6F")


def test_wrong_kind_and_unknown_kind():
    with pytest.raises(CatalogError, match="'91N6E' is a radar, not a missile"):
        CATALOG.get("91N6E", kind="missile")
    with pytest.raises(CatalogError, match="did you mean 'missile'"):
        CATALOG.names("missle")


def test_names_entries_and_kinds():
    assert CATALOG.names("launcher") == ["5P85SE2", "5P85TE2", "Akash launcher", "HQ-9 TEL",
                                         "M903", "MRSAM launcher"]
    assert len(CATALOG.entries()) == len(CATALOG.names()) == 40
    assert {entry.kind for entry in CATALOG.entries()} == set(KINDS)


def test_value_and_source_of_unknown_parameter():
    with pytest.raises(CatalogError, match="did you mean 'maximum_range'"):
        CATALOG.get("48N6E2").value("maximum_rang")
    assert CATALOG.get("48N6E2").has("lethal_radius")
    assert not CATALOG.get("48N6E2").has("seeker_acquisition_range")


def test_override_parses_units_and_records_its_origin():
    missile = CATALOG.get("48N6E2")
    changed = missile.with_overrides({"maximum_range": "150 nmi", "pk_max": "80 %"},
                                     origin="raid.yaml")
    assert changed.value("maximum_range") == pytest.approx(150 * 1852.0)
    assert changed.value("pk_max") == pytest.approx(0.8)
    assert changed.source("maximum_range") == "scenario override (raid.yaml)"
    assert "200 km" in changed.figure("maximum_range").note  # what it replaced
    assert missile.value("maximum_range") == pytest.approx(200e3)  # the catalogue is untouched


def test_override_rejects_a_negative_range():
    with pytest.raises(CatalogError, match="maximum_range must be positive"):
        CATALOG.get("48N6E2").with_overrides({"maximum_range": "-5 km"}, origin="bad.yaml")


def test_override_rejects_a_range_below_the_minimum():
    with pytest.raises(CatalogError, match="minimum_range .* must be less than maximum_range"):
        CATALOG.get("9M96E").with_overrides({"maximum_range": "500 m"}, origin="bad.yaml")


def test_override_with_a_wrong_unit_names_the_parameter():
    with pytest.raises(UnitError, match="48N6E2: maximum_range: '200 kg' is a mass"):
        CATALOG.get("48N6E2").with_overrides({"maximum_range": "200 kg"}, origin="bad.yaml")


def test_override_of_an_unknown_parameter():
    with pytest.raises(CatalogError, match="did you mean 'maximum_speed'"):
        CATALOG.get("48N6E2").with_overrides({"maximum_sped": "2 km/s"}, origin="bad.yaml")


def test_override_of_a_loadout_checks_references():
    battalion = CATALOG.get("S-400 battalion")
    changed = battalion.with_overrides(
        {"default_loadout": ["40n6e", "48N6E3", "48N6E3", "9M96E"]}, origin="long.yaml")
    assert changed.default_loadout == ["40N6E", "48N6E3", "48N6E3", "9M96E"]
    with pytest.raises(CatalogError, match="unknown missile '48N6X'"):
        battalion.with_overrides({"default_loadout": ["48N6X"] * 4}, origin="bad.yaml")
    with pytest.raises(CatalogError, match="one per tube"):
        battalion.with_overrides({"default_loadout": ["48N6E2"] * 3}, origin="bad.yaml")


def test_override_of_components():
    regiment = CATALOG.get("S-400 regiment")
    changed = regiment.with_overrides(
        {"radars": [{"type": "91N6E"}, {"type": "96L6E", "count": 2, "mast": "40v6md"}]},
        origin="tall.yaml")
    assert changed.radars == [Component(type="91N6E", count=1),
                              Component(type="96L6E", count=2, mast="40V6MD")]
    with pytest.raises(CatalogError, match="'91N6E' is a radar, not a mast"):
        regiment.with_overrides({"radars": [{"type": "96L6E", "mast": "91N6E"}]}, origin="x")


def test_override_with_a_mach_number_uses_the_cruise_altitude():
    """Mach 2 at 11 km, where the US Standard Atmosphere 1976 gives 295.07 m/s."""
    threat = CATALOG.get("supersonic cruise missile")
    changed = threat.with_overrides({"cruise_speed": "Mach 2", "cruise_altitude": "11 km"},
                                    origin="fast.yaml")
    assert changed.value("cruise_speed") == pytest.approx(2 * 295.07, abs=0.2)
    assert changed.figure("cruise_speed").text == "Mach 2"
