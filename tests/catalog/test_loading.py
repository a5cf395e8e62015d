"""A broken data file stops the load with a message naming its file and field."""

import shutil
from importlib import resources

import pytest
import yaml

from zenit.catalog import read_catalog
from zenit.errors import CatalogError

PACKAGED = resources.files("zenit.catalog") / "data"


@pytest.fixture
def missile_file(tmp_path):
    """A catalogue folder holding only the 48N6E2, to be broken by each test."""
    folder = tmp_path / "missile"
    folder.mkdir()
    target = folder / "48N6E2.yaml"
    with resources.as_file(PACKAGED / "missile" / "48N6E2.yaml") as source:
        shutil.copy(source, target)
    return target


def edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["parameters"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_the_unbroken_copy_loads(missile_file):
    assert read_catalog(missile_file.parent.parent).names() == ["48N6E2"]


@pytest.mark.parametrize("change, message", [
    (lambda p: p["maximum_range"].update(value="200 kg"),
     r"parameters.maximum_range: '200 kg' is a mass, but a length is expected"),
    (lambda p: p["maximum_range"].update(source=""),
     r"parameters.maximum_range: a figure needs a source"),
    (lambda p: p["boost_time"].pop("assumption"),
     r"parameters.boost_time: an assumption's source must start with 'assumption:'"),
    (lambda p: p.pop("lethal_radius"), r"48N6E2: lethal_radius is missing"),
    (lambda p: p["minimum_range"].update(value="300 km"),
     r"minimum_range \(300 km\) must be less than maximum_range \(200 km\)"),
    (lambda p: p["pk_max"].update(value=1.5), r"pk_max cannot exceed"),
    (lambda p: p["launch_mass"].update(value="-1 t"), r"launch_mass must be positive"),
    (lambda p: p.update(guidance="laser"), r"'laser' is not one of"),
    (lambda p: p.update(maximum_rnage=p["maximum_range"]), r"did you mean 'maximum_range'"),
])
def test_broken_entry_names_file_and_field(missile_file, change, message):
    edit(missile_file, change)
    with pytest.raises(CatalogError, match=message) as raised:
        read_catalog(missile_file.parent.parent)
    assert "48N6E2.yaml" in str(raised.value)


def test_dangling_reference(tmp_path):
    for kind, name in (("launcher", "5P85SE2"), ("radar", "92N6E"), ("missile", "48N6E2"),
                       ("battalion", "S-400_battalion")):
        (tmp_path / kind).mkdir()
        with resources.as_file(PACKAGED / kind / f"{name}.yaml") as source:
            shutil.copy(source, tmp_path / kind)
    # 9M96E2 is in the default loadout but not in this catalogue.
    with pytest.raises(CatalogError, match=r"S-400_battalion.yaml: S-400 battalion: "
                                           r"default_loadout unknown missile '9M96E2'"):
        read_catalog(tmp_path)


def test_file_named_after_its_entry(missile_file):
    missile_file.rename(missile_file.with_name("48n6.yaml"))
    with pytest.raises(CatalogError, match="belongs in a file named '48N6E2.yaml'"):
        read_catalog(missile_file.parent.parent)


def test_invalid_yaml(missile_file):
    missile_file.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogError, match="48N6E2.yaml: not valid YAML"):
        read_catalog(missile_file.parent.parent)
