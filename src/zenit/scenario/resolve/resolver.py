"""The whole file resolved: terrain, simulation, missiles, assets, defence, threats, jammers."""

from __future__ import annotations

from pathlib import Path

from zenit.scenario import model, schema
from zenit.scenario.loader import FieldPath
from zenit.scenario.resolve.defence import DefenceResolution
from zenit.scenario.resolve.threats import ThreatResolution


class Resolver(DefenceResolution, ThreatResolution):
    """Resolves one validated file; `problems` holds everything found wrong."""

    def resolve(self) -> model.Scenario | None:
        spec = self.spec
        terrain = self.terrain()
        simulation = self.simulation()
        self.scenario_missiles()
        assets = tuple(self.asset(asset, path) for asset, path in self.items("assets"))
        defence = tuple(unit for unit in (self.defence_unit(unit, path)
                                          for unit, path in self.items("defence")) if unit)
        threats = tuple(group for group in (self.threat_group(group, path)
                                            for group, path in self.items("threats")) if group)
        jammers = tuple(self.jammer(jammer, path) for jammer, path in self.items("jammers"))
        self.check_escorts()
        if self.problems:
            return None
        doctrine = model.Doctrine(**spec.doctrine.model_dump())
        return model.Scenario(
            name=spec.name, description=spec.description, origin=self.origin, terrain=terrain,
            simulation=simulation, doctrine=doctrine,
            missile_overrides={name: dict(values) for name, values in spec.missiles.items()},
            assets=assets, defence=defence, threats=threats, jammers=jammers,
            missiles=dict(self.missiles), ground=self.ground)

    def terrain(self) -> model.TerrainSource | None:
        given = self.spec.terrain
        if given is None:
            return None
        from zenit.geo.terrain import Terrain

        geotiff = None
        if given.geotiff is not None:
            base = Path(self.document.file).parent
            path = base / given.geotiff  # an absolute path replaces the base
            if not path.is_file():
                self.problem(("terrain", "geotiff"), f"terrain file {given.geotiff!r} not found "
                             f"(looked for {path})",
                             "give the DEM's path relative to the scenario file, "
                             "or use {synthetic: ridges}")
                return None
            geotiff = str(path.resolve())
            try:
                self.ground = Terrain.from_geotiff(geotiff, self.origin)
            except Exception as error:  # rasterio raises many kinds; all mean "unreadable"
                self.problem(("terrain", "geotiff"), f"cannot read terrain file: {error}",
                             "give a single-band GeoTIFF elevation model")
                return None
        else:
            self.ground = Terrain.synthetic(seed=given.seed, extent_m=given.extent,
                                            resolution_m=given.resolution,
                                            relief_m=given.relief, kind=given.synthetic)
        return model.TerrainSource(synthetic=given.synthetic, geotiff=geotiff, seed=given.seed,
                                   extent_m=given.extent, resolution_m=given.resolution,
                                   relief_m=given.relief)

    def simulation(self) -> model.Simulation:
        given = self.spec.simulation
        for index, replication in enumerate(given.record):
            if replication >= given.replications:
                self.problem(("simulation", "record", index),
                             f"replication {replication} is not run: there are "
                             f"{given.replications} (0 to {given.replications - 1})",
                             "record a replication below simulation.replications")
        return model.Simulation(dt_s=given.dt, duration_s=given.duration,
                                replications=given.replications, seed=given.seed,
                                record=tuple(given.record))

    # -- assets -----------------------------------------------------------------------------

    def asset(self, given: schema.Asset, path: FieldPath) -> model.Asset:
        self.claim(given.name, path + ("name",))
        position = self.point(given.position, path + ("position",))
        self.places[given.name] = (position, path)
        return model.Asset(name=given.name, position=position, value=given.value,
                           radius_m=given.radius)
