"""The catalogue reproduces the public figures of /work/shared/refs/s400-public-data.md
(sheet section and source keys named per test), in SI after parsing."""

import pytest

from zenit.catalog import load_catalog

CATALOG = load_catalog()
KM = 1000.0


@pytest.mark.parametrize("name, range_km, source_key", [
    ("48N6E", 150, "widely published"),  # §3, [U]
    ("48N6E2", 200, "S29"),               # §3, Q8 and S29 [R]
    ("48N6E3", 250, "S21"),               # §3, S2 and S21 [R]: 250 km against aircraft
    ("48N6DM", 250, "S2"),
    ("40N6E", 400, "S1"),                 # §3, S1 [R], Q2
    ("9M96E", 40, "S27"),                 # §3, S27 [R], mapping inferred
    ("9M96E2", 120, "Q1"),                # §3, Q1; S27's 100 km as an alternative
    ("HQ-9", 200, "Q4"),                  # §6
    ("Akash", 25, "S32"),                 # §5
    ("Barak-8", 70, "S35"),               # §5
])
def test_missile_maximum_ranges(name, range_km, source_key):
    missile = CATALOG.get(name, kind="missile")
    assert missile.value("maximum_range") == pytest.approx(range_km * KM)
    assert source_key in missile.source("maximum_range")


def test_disagreeing_sources_are_kept_as_alternatives():
    # §3: 9M96E2 120 km (Q1) against 100 km (S27); §3: 40N6E 380 km in India's fit (S14).
    ranges = [alternative.value for alternative in
              CATALOG.get("9M96E2").figure("maximum_range").alternatives]
    assert ranges == [pytest.approx(100 * KM)]
    india = CATALOG.get("40N6E").figure("maximum_range").alternatives[0]
    assert india.value == pytest.approx(380 * KM) and "S14" in india.source
    assert CATALOG.get("48N6E3").figure("maximum_range").alternatives[0].value == \
        pytest.approx(60 * KM)  # against non-strategic ballistic missiles (S2, S21)


def test_tube_capacities_and_launcher_tubes():
    # §1, Q1: 4 tubes; 4 × 48N6/40N6, or 16 × 9M96 (four per tube).
    assert CATALOG.get("5P85SE2").value("tubes") == 4
    assert CATALOG.get("5P85TE2").value("tubes") == 4
    for name in ("48N6E", "48N6E2", "48N6E3", "48N6DM", "40N6E"):
        assert CATALOG.get(name).value("tube_capacity") == 1
    assert CATALOG.get("9M96E").value("tube_capacity") == 4
    assert CATALOG.get("9M96E2").value("tube_capacity") == 4


def test_command_post_system_figures():
    # §1, S10: up to 8 divizions; §4, S2 and S24: 36 targets, 72 missiles.
    post = CATALOG.get("55K6E", kind="command_post")
    assert post.value("maximum_battalions") == 8
    assert post.value("targets_engaged_at_once") == 36
    assert post.value("missiles_guided_at_once") == 72
    assert "S24" in post.source("missiles_guided_at_once")
    assert [alternative.value for alternative in
            post.figure("targets_engaged_at_once").alternatives] == [40, 6]  # S23; S11


def test_radar_figures():
    # §2: 91N6E 600 km (Q1, S3), 300 tracks (S5); 96L6E 100 tracks (S25).
    big_bird = CATALOG.get("Big Bird")
    assert big_bird.value("instrumented_range") == pytest.approx(600 * KM)
    assert big_bird.value("track_capacity") == 300
    assert CATALOG.get("96L6E").value("track_capacity") == 100
    assert CATALOG.get("96L6E").value("band") == "C"
    assert CATALOG.get("92N6E").value("band") == "X"
    # §6: MPQ-65 >100 km and 100 tracks (Q3); HT-233 120 km, 100 tracks (Q4).
    assert CATALOG.get("MPQ-65").value("reference_range") == pytest.approx(100 * KM)
    assert CATALOG.get("HT-233").value("reference_range") == pytest.approx(120 * KM)


def test_battalion_and_regiment_structure():
    # §1: 8 launchers × 4 missiles (S9, S8); 1 92N6E per divizion; regiment of 2 (S7).
    battalion = CATALOG.get("S-400 battalion", kind="battalion")
    assert [(c.type, c.count) for c in battalion.launchers] == [("5P85SE2", 8)]
    assert [(c.type, c.count) for c in battalion.radars] == [("92N6E", 1)]
    assert battalion.default_loadout == ["48N6E2", "48N6E2", "48N6E2", "9M96E2"]
    regiment = CATALOG.get("SA-21", kind="regiment")
    assert [(c.type, c.count) for c in regiment.battalions] == [("S-400 battalion", 2)]
    assert [(c.type, c.mast) for c in regiment.radars] == [("91N6E", None), ("96L6E", "40V6M")]
    assert regiment.command_post == "55K6E"
    # 112 missiles per unit (S11) = 8 launchers × (3 + 4) ready + reloads.
    ready = 8 * (3 * 1 + 1 * 4)
    assert ready + battalion.value("reload_missiles") == 112


def test_masts_and_threats():
    assert CATALOG.get("40V6M").value("height") == pytest.approx(24.0)   # §2 [U]
    assert CATALOG.get("40V6MD").value("height") == pytest.approx(39.0)  # §2 [U]
    # §7: Tomahawk 880 km/h (S46); BrahMos Mach 2.8 and 290 km (S47); Shahed 200 kg (S45).
    assert CATALOG.get("subsonic cruise missile").value("cruise_speed") == pytest.approx(880 / 3.6)
    supersonic = CATALOG.get("supersonic cruise missile")
    assert supersonic.value("range") == pytest.approx(290 * KM)
    assert supersonic.value("cruise_speed") == pytest.approx(2.8 * 295.07, abs=0.5)
    assert CATALOG.get("Shahed-136").value("mass") == pytest.approx(200.0)
    assert CATALOG.get("low-observable fighter").value("rcs") == pytest.approx(0.003)
    assert CATALOG.get("4th-generation fighter").value("rcs") == pytest.approx(3.0)
