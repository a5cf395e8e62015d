"""Every entry carries every parameter its kind requires, and every figure says where it came
from. The schema registry (zenit.catalog.schema) is walked, not a hand-kept list."""

import pytest

from zenit.catalog import KINDS, PARAMETERS, load_catalog
from zenit.catalog.entry import ASSUMPTION_PREFIX

CATALOG = load_catalog()
ENTRIES = CATALOG.entries()


def test_every_kind_has_entries():
    assert {entry.kind for entry in ENTRIES} == set(KINDS)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.name)
def test_required_parameters_present(entry):
    values = {name: figure.value for name, figure in entry.parameters.items()}
    missing = [name for name, parameter in PARAMETERS[entry.kind].items()
               if parameter.required_for(values) and not entry.has(name)]
    assert missing == []


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.name)
def test_figures_have_sources_and_assumptions_say_so(entry):
    for name, figure in entry.parameters.items():
        parameter = PARAMETERS[entry.kind][name]
        if parameter.needs_source:
            assert figure.source.strip(), f"{entry.name}.{name} has no source"
        says_assumption = figure.source.startswith(ASSUMPTION_PREFIX)
        assert figure.assumption == says_assumption, f"{entry.name}.{name}"
        if figure.assumption:
            # An assumption states how it was derived, not just that it is one.
            assert len(figure.source) > len(ASSUMPTION_PREFIX) + 20, f"{entry.name}.{name}"
        for alternative in figure.alternatives:
            assert alternative.source.strip(), f"{entry.name}.{name} alternative"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.name)
def test_descriptions_and_systems(entry):
    assert len(entry.description.split()) >= 15
    assert entry.system


def test_unverified_figures_are_marked():
    """A [U] figure on the sheet is cited as 'widely published, unverified' (e.g. 40V6M)."""
    assert CATALOG.get("40V6M").source("height").startswith("widely published, unverified")


def test_conditional_parameters_follow_their_condition():
    for radar in CATALOG.entries("radar"):
        period = radar.has("rotation_period")
        frame = radar.has("search_frame_time")
        assert period == (radar.value("scan") == "rotating"), radar.name
        assert frame == (radar.value("scan") == "phased_array"), radar.name
    for missile in CATALOG.entries("missile"):
        if missile.value("guidance") == "active_radar":
            assert missile.has("seeker_acquisition_range"), missile.name
