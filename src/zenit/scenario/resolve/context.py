"""What a resolution works in: the file as written, the problems found, names and places."""

from __future__ import annotations

import math

from zenit.errors import Problem
from zenit.geo.frames import Origin, geodetic_to_local
from zenit.scenario import model, schema
from zenit.scenario.loader import Document, FieldPath, render_path
from zenit.units import format_quantity

WORLD_RADIUS_M = 3_000e3  # farther than this from the origin, the local map is not trusted
CEILING_M = 1_000e3  # nothing Zenit models flies higher


class ResolutionContext:
    """One validated file being resolved; `problems` holds everything found wrong."""

    def __init__(self, document: Document, spec: schema.ScenarioFile, catalog,
                 skipped_names: set[str], kept: dict[str, list[int]]):
        self.document = document
        self.spec = spec
        self.catalog = catalog
        self.skipped_names = skipped_names  # names of parts set aside for schema errors
        self.kept = kept  # original indices of the items of lists that lost some
        self.problems: list[Problem] = []
        self.origin = Origin(spec.origin.latitude, spec.origin.longitude)
        self.ground = None
        self.places: dict[str, tuple[model.Point, FieldPath]] = {}  # targetable names
        self.names: dict[str, FieldPath] = {}
        self.missiles: dict[str, object] = {}

    # -- problems -------------------------------------------------------------------------

    def problem(self, path: FieldPath, message: str, hint: str | None = None,
                key: bool = False) -> None:
        self.problems.append(self.document.problem_at(path, message, hint, key=key))

    def origin_of(self, path: FieldPath) -> str:
        """"file:line path": where a figure was written, for the catalogue's messages."""
        line, _ = self.document.marks.of(path)
        return f"{self.document.file}:{line} {render_path(path)}"

    def items(self, section: str) -> list[tuple[object, FieldPath]]:
        """A list section's items with their paths as written (counting parts set aside)."""
        items = getattr(self.spec, section)
        indices = self.kept.get(section, range(len(items)))
        return [(item, (section, index)) for item, index in zip(items, indices)]

    # -- names and places -----------------------------------------------------------------

    def claim(self, name: str, path: FieldPath) -> None:
        """Names are one namespace: targets and escorts refer to them without a kind."""
        if name in self.names:
            self.problem(path, f"the name {name!r} is already used at "
                         f"{render_path(self.names[name])}", "give each part its own name")
        else:
            self.names[name] = path

    def ground_at(self, east_m: float, north_m: float) -> float:
        return float(self.ground.elevation(east_m, north_m)) if self.ground is not None else 0.0

    def point(self, given: schema.Position | None, path: FieldPath,
              default: model.Point | None = None, height_m: float = 0.0) -> model.Point | None:
        """A position in local metres; an omitted altitude is `height_m` above the ground."""
        if given is None:
            return default
        if given.latitude is not None:
            east, north, _ = geodetic_to_local(given.latitude, given.longitude, 0.0, self.origin)
            east, north = float(east), float(north)
        else:
            east, north = given.east, given.north
        altitude = given.altitude
        if altitude is None:
            altitude = self.ground_at(east, north) + height_m
        distance = math.hypot(east, north)
        if distance > WORLD_RADIUS_M:
            self.problem(path, f"is {distance / 1e3:,.0f} km from the origin, outside the world "
                         f"(at most {WORLD_RADIUS_M / 1e3:,.0f} km)",
                         "check the unit (km or m) and the sign")
        self.check_ceiling(altitude, path + ("altitude",))
        return model.Point(east, north, altitude)

    def check_ceiling(self, altitude_m: float, path: FieldPath) -> None:
        if altitude_m > CEILING_M:
            self.problem(path, f"{format_quantity(altitude_m, 'length')} is above "
                         f"the {CEILING_M / 1e3:,.0f} km ceiling of the world",
                         "check the unit (km or m)")

    def check_above_ground(self, point: model.Point, path: FieldPath) -> None:
        ground = self.ground_at(point.east_m, point.north_m)
        if point.altitude_m >= ground:
            return
        if self.ground is None:
            self.problem(path, f"altitude {format_quantity(point.altitude_m, 'length')} is below "
                         "sea level, and the scenario has no terrain",
                         "give a positive altitude, or 'height' above the ground")
        else:
            self.problem(path, f"altitude {format_quantity(point.altitude_m, 'length')} is below "
                         f"the ground ({format_quantity(ground, 'length')} here)",
                         "fly higher, or give 'height' to follow the terrain")

