"""The terminal views show each figure with a readable unit, its source and its flags."""

from rich.console import Console

from zenit.catalog import load_catalog
from zenit.catalog.render import ASSUMPTION_MARK, entry_renderable, index_table

CATALOG = load_catalog()


def render(renderable) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_index_lists_every_entry():
    text = render(index_table(CATALOG))
    for name in ("48N6E2", "S-400 regiment", "AN/MPQ-65", "short-range ballistic missile"):
        assert name in text


def test_entry_shows_units_sources_alternatives_and_assumptions():
    text = render(entry_renderable(CATALOG.get("9M96E2")))
    assert "120 km" in text
    assert "army-technology.com/projects/s-400-triumph-air-defence-missile-system/" in text
    assert "alternative: 100 km" in text and "S27" in text
    assert "20 g" in text and "0.24 m" in text
    assert ASSUMPTION_MARK in text
    assert "Sutton & Biblarz" in text  # the specific impulse's derivation


def test_radar_units_are_readable():
    text = render(entry_renderable(CATALOG.get("92N6E")))
    assert "10 GHz" in text and "5 MHz" in text and "250 km" in text
