"""Catalogue look-ups: entries of the right kind, overrides, the scenario's missiles.

An override is checked at its own key, and overrides that cannot be meant (a sign flip, a
subsonic Mach-6 missile, metres written for kilometres) are refused with the catalogue's
figure beside them.
"""

from __future__ import annotations

from zenit.catalog.quantities import read_value, show_value
from zenit.catalog.schema import parameter as catalogue_parameter
from zenit.errors import CatalogError, UnitError, did_you_mean
from zenit.scenario.loader import FieldPath
from zenit.scenario.resolve.context import ResolutionContext

SPEED_OF_SOUND_SEA_LEVEL_MPS = 340.3  # ISA, 15 degC
SURELY_SUPERSONIC = 1.5  # a catalogue speed above 1.5 x Mach 1 cannot be meant subsonic
LENGTH_SLIP_RATIO = 100.0  # a length this many times off the catalogue's is a km/m slip


class CatalogueLookups(ResolutionContext):
    """Entries, overrides and missiles, each problem placed where it was written."""

    def entry(self, name: str, kinds: tuple[str, ...], path: FieldPath):
        """The catalogue entry `name` of one of `kinds`, or None with a problem."""
        try:
            found = self.catalog.get(name)
        except CatalogError:
            names = [known for kind in kinds for known in self.catalog.names(kind)]
            self.problem(path, f"unknown {' or '.join(kinds)} {name!r}",
                         did_you_mean(name, names) or "list the names with `zenit catalog`")
            return None
        if found.kind not in kinds:
            names = [known for kind in kinds for known in self.catalog.names(kind)]
            self.problem(path, f"{found.name!r} is a {found.kind}, not a {' or '.join(kinds)}",
                         "choose one of: " + ", ".join(names))
            return None
        return found

    def overridden(self, entry, overrides: dict, path: FieldPath):
        """The entry with `overrides` applied; each bad one is a problem at its own key."""
        good = {}
        for name, given in overrides.items():
            where = path + (name,)
            declared = catalogue_parameter(entry.kind, name)
            if declared is None:
                self.problem(where, f"{entry.name} has no parameter {name!r}",
                             did_you_mean(name, _parameter_names(entry.kind))
                             or f"list its parameters with `zenit catalog {entry.name}`",
                             key=True)
                continue
            try:
                value = read_value(given, declared, _cruise_altitude(entry, overrides))
            except (UnitError, CatalogError) as error:
                self.problem(where, str(error), _override_hint(entry, name))
                continue
            if self.contradicts(entry, name, given, value, where):
                continue
            try:
                entry.with_overrides({name: given}, self.origin_of(where))
            except (UnitError, CatalogError) as error:
                self.problem(where, _without_place(str(error), entry), _override_hint(entry, name))
                continue
            good[name] = given
        if not good:
            return entry
        try:
            return entry.with_overrides(good, self.origin_of(path))
        except (UnitError, CatalogError) as error:
            self.problem(path, _without_place(str(error), entry), "change them together")
            return entry

    def contradicts(self, entry, name: str, given, value, path: FieldPath) -> bool:
        """Overrides that cannot be meant: sign flips, subsonic Mach-6 missiles, m for km."""
        declared = catalogue_parameter(entry.kind, name)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return False
        before = entry.value(name) if entry.has(name) else None
        was = f"the catalogue gives {entry.name} {show_value(before, declared)}" \
            if before is not None else None
        if declared.sign == "positive" and value <= 0:
            self.problem(path, f"{name} {given!r} must be positive", was)
            return True
        if declared.sign == "nonnegative" and value < 0:
            self.problem(path, f"{name} {given!r} cannot be negative", was)
            return True
        if not isinstance(before, (int, float)) or before <= 0:
            return False
        if (declared.kind == "speed" and before > SURELY_SUPERSONIC * SPEED_OF_SOUND_SEA_LEVEL_MPS
                and value < SPEED_OF_SOUND_SEA_LEVEL_MPS):
            self.problem(path, f"{name} {given!r} is below Mach 1 but the catalogue gives "
                         f"{entry.name} ~{before:.0f} m/s", "check the unit")
            return True
        ratio = value / before
        if declared.kind == "length" and not 1.0 / LENGTH_SLIP_RATIO < ratio < LENGTH_SLIP_RATIO:
            self.problem(path, f"{name} {given!r} is {ratio:.3g} times the "
                         f"catalogue's {show_value(before, declared)} for {entry.name}",
                         "check the unit (km or m)")
            return True
        return False

    # -- missiles -------------------------------------------------------------------------

    def scenario_missiles(self) -> None:
        for name, overrides in self.spec.missiles.items():
            found = self.entry(name, ("missile",), ("missiles", name))
            if found is not None:
                self.missiles[found.name] = self.overridden(found, overrides, ("missiles", name))

    def missile(self, name: str, path: FieldPath):
        found = self.entry(name, ("missile",), path)
        if found is None:
            return None
        return self.missiles.setdefault(found.name, found)


def _parameter_names(kind: str) -> list[str]:
    from zenit.catalog.schema import PARAMETERS

    return list(PARAMETERS[kind])


def _override_hint(entry, name: str) -> str:
    declared = catalogue_parameter(entry.kind, name)
    if entry.has(name):
        return f"the catalogue gives {entry.name} {show_value(entry.value(name), declared)}"
    return f"give a {declared.kind}"


def _cruise_altitude(entry, overrides: dict) -> float:
    """The altitude at which a Mach number in a threat override becomes a speed."""
    if "cruise_altitude" in overrides:
        try:
            return read_value(overrides["cruise_altitude"],
                              catalogue_parameter("threat", "cruise_altitude"))
        except UnitError:
            return 0.0
    return entry.value("cruise_altitude") if entry.has("cruise_altitude") else 0.0


def _without_place(message: str, entry) -> str:
    """The catalogue prefixes its file and entry name; here the place is the scenario's."""
    marker = f"{entry.name}: "
    return message.split(marker, 1)[1] if marker in message else message
