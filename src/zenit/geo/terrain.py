"""Terrain heights on a regular grid over the scenario's local map.

A `Terrain` is a grid of heights above the sphere (metres) over the origin's azimuthal
equidistant map (east_m, north_m; see `zenit.geo.frames`), read between nodes by bilinear
interpolation. Off the grid the ground is `outside_m`, sea level by default. Heights are kept
as float32: a centimetre at Everest, and half the memory traffic in line-of-sight sweeps.

Three sources: `Terrain.flat()`, a user DEM (`Terrain.from_geotiff`, through rasterio), and
`Terrain.synthetic`, fictional landscapes made from a seed for studies that need relief
without real geography.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from zenit.errors import UserError
from zenit.geo.dem import footprint_geodetic, pixel_size_m, read_dem, sample_dem
from zenit.geo.frames import Origin, geodetic_to_local, local_to_geodetic
from zenit.geo.landscapes import landscape

SYNTHETIC_KINDS = ("ridges", "hills", "valleys")
MAX_NODES_PER_SIDE = 4001
FLAT_HALF_SIDE_M = 1000.0  # the flat grid's extent (all of it sea level, as off it)
SYNTHETIC_EXTENT_M = 300e3
SYNTHETIC_RESOLUTION_M = 500.0
SYNTHETIC_RELIEF_M = 800.0


class Terrain:
    """Heights (m) on a regular east/north grid; rows run north, columns east."""

    def __init__(self, heights_m, east_min_m: float, north_min_m: float, resolution_m: float,
                 outside_m: float = 0.0):
        heights_m = np.ascontiguousarray(heights_m, dtype=np.float32)
        if heights_m.ndim != 2 or min(heights_m.shape) < 2:
            raise ValueError("terrain heights must be a 2-D grid of at least 2 x 2 nodes, "
                             f"got shape {heights_m.shape}")
        if not resolution_m > 0.0:
            raise ValueError(f"terrain resolution must be positive, got {resolution_m} m")
        if not np.all(np.isfinite(heights_m)):
            raise ValueError("terrain heights must be finite (fill no-data cells before "
                             "building a Terrain)")
        heights_m.setflags(write=False)
        self.heights_m = heights_m
        self.east_min_m = float(east_min_m)
        self.north_min_m = float(north_min_m)
        self.resolution_m = float(resolution_m)
        self.outside_m = float(outside_m)
        self.max_elevation = float(max(heights_m.max(), outside_m))

    @property
    def shape(self) -> tuple[int, int]:
        return self.heights_m.shape

    @property
    def east_max_m(self) -> float:
        return self.east_min_m + (self.shape[1] - 1) * self.resolution_m

    @property
    def north_max_m(self) -> float:
        return self.north_min_m + (self.shape[0] - 1) * self.resolution_m

    def __repr__(self) -> str:
        return (f"Terrain({self.shape[0]} x {self.shape[1]} nodes at {self.resolution_m:g} m, "
                f"east {self.east_min_m:g}..{self.east_max_m:g} m, "
                f"north {self.north_min_m:g}..{self.north_max_m:g} m, "
                f"max {self.max_elevation:g} m)")

    def elevation(self, east_m, north_m):
        """Ground height (m) at map points, bilinear between nodes; `outside_m` off the grid."""
        east_m, north_m = np.asarray(east_m, dtype=float), np.asarray(north_m, dtype=float)
        rows, columns = self.shape
        column = (east_m - self.east_min_m) * (1.0 / self.resolution_m)
        row = (north_m - self.north_min_m) * (1.0 / self.resolution_m)
        inside = (column >= 0.0) & (column <= columns - 1) & (row >= 0.0) & (row <= rows - 1)
        column = np.minimum(np.maximum(column, 0.0), columns - 1.0)
        row = np.minimum(np.maximum(row, 0.0), rows - 1.0)
        column0 = np.minimum(np.floor(column), columns - 2.0)
        row0 = np.minimum(np.floor(row), rows - 2.0)
        column -= column0
        row -= row0
        index = (row0 * columns + column0).astype(np.int64)
        flat = np.asarray(self.heights_m).ravel()
        south = np.take(flat, index)
        south = south + column * (np.take(flat, index + 1) - south)
        north = np.take(flat, index + columns)
        north = north + column * (np.take(flat, index + columns + 1) - north)
        height = south + row * (north - south)
        return np.where(inside, height, self.outside_m)

    @classmethod
    def flat(cls) -> Terrain:
        """Sea level everywhere: line of sight reduces to the smooth Earth."""
        return cls(np.zeros((2, 2)), -FLAT_HALF_SIDE_M, -FLAT_HALF_SIDE_M, 2.0 * FLAT_HALF_SIDE_M)

    @classmethod
    def from_geotiff(cls, path, origin: Origin, extent_m: float | None = None,
                     resolution_m: float | None = None) -> Terrain:
        """Read a DEM (GeoTIFF or any raster rasterio opens) onto the origin's local map.

        The grid is a square of side `extent_m` centred on the origin, or else the DEM's own
        footprint; its spacing is `resolution_m`, or else the DEM's pixel size (never finer
        than MAX_NODES_PER_SIDE nodes a side). Each node takes the DEM's bilinear height at
        its geodetic position; DEM no-data cells and nodes off the DEM read as sea level.
        """
        dem = read_dem(Path(path))
        east_min_m, north_min_m, side_east_m, side_north_m = _grid_bounds(dem, origin, extent_m)
        resolution_m = _grid_resolution(dem, side_east_m, side_north_m, resolution_m)
        columns = int(side_east_m // resolution_m) + 1
        rows = int(side_north_m // resolution_m) + 1
        east_m = east_min_m + resolution_m * np.arange(max(columns, 2))
        north_m = north_min_m + resolution_m * np.arange(max(rows, 2))
        east_grid, north_grid = np.meshgrid(east_m, north_m)
        latitude_deg, longitude_deg, _ = local_to_geodetic(east_grid, north_grid, 0.0, origin)
        return cls(sample_dem(dem, latitude_deg, longitude_deg), east_min_m, north_min_m,
                   resolution_m)

    @classmethod
    def synthetic(cls, seed: int, extent_m: float = SYNTHETIC_EXTENT_M,
                  resolution_m: float = SYNTHETIC_RESOLUTION_M,
                  relief_m: float = SYNTHETIC_RELIEF_M, kind: str = "ridges") -> Terrain:
        """A fictional landscape, the same for the same arguments; see `zenit.geo.landscapes`."""
        if kind not in SYNTHETIC_KINDS:
            raise UserError(f"unknown synthetic terrain kind {kind!r} "
                            f"(fix: use one of {', '.join(SYNTHETIC_KINDS)})")
        if not (extent_m > 0.0 and resolution_m > 0.0 and relief_m >= 0.0):
            raise UserError(
                f"synthetic terrain needs positive extent and resolution and non-negative relief, "
                f"got extent {extent_m} m, resolution {resolution_m} m, relief {relief_m} m")
        nodes = round(extent_m / resolution_m) + 1
        if nodes > MAX_NODES_PER_SIDE:
            raise UserError(
                f"synthetic terrain of {extent_m:g} m at {resolution_m:g} m needs {nodes} nodes "
                f"a side (fix: coarsen the resolution to at least "
                f"{extent_m / (MAX_NODES_PER_SIDE - 1):g} m)")
        half_m = (nodes - 1) * resolution_m / 2.0
        coordinates_m = np.linspace(-half_m, half_m, nodes)
        east_m, north_m = np.meshgrid(coordinates_m, coordinates_m)
        heights_m = landscape(kind, np.random.default_rng(seed), east_m, north_m, relief_m)
        return cls(heights_m, -half_m, -half_m, resolution_m)


def _grid_bounds(dem, origin: Origin, extent_m):
    """(east_min, north_min, side_east, side_north) of the local grid, in metres."""
    if extent_m is not None:
        if not extent_m > 0.0:
            raise UserError(f"terrain extent must be positive, got {extent_m} m")
        return -extent_m / 2.0, -extent_m / 2.0, float(extent_m), float(extent_m)
    latitude_deg, longitude_deg = footprint_geodetic(dem)
    east_m, north_m, _ = geodetic_to_local(latitude_deg, longitude_deg, 0.0, origin)
    return (float(east_m.min()), float(north_m.min()), float(east_m.max() - east_m.min()),
            float(north_m.max() - north_m.min()))


def _grid_resolution(dem, side_east_m, side_north_m, resolution_m):
    """The asked spacing, or the DEM's pixel size coarsened to fit MAX_NODES_PER_SIDE."""
    finest_m = max(side_east_m, side_north_m) / (MAX_NODES_PER_SIDE - 1)
    if resolution_m is None:
        return max(pixel_size_m(dem), finest_m)
    if not resolution_m > 0.0:
        raise UserError(f"{dem.path}: terrain resolution must be positive, got {resolution_m} m")
    if resolution_m < finest_m:
        raise UserError(
            f"{dem.path}: a {max(side_east_m, side_north_m):g} m terrain at {resolution_m:g} m "
            f"needs more than {MAX_NODES_PER_SIDE} nodes a side "
            f"(fix: a resolution of at least {finest_m:.0f} m, or a smaller extent)")
    return float(resolution_m)
