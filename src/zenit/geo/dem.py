"""Reading a user's digital elevation model (DEM) through rasterio.

A DEM comes in its own coordinate reference system: geographic (EPSG:4326, degrees) or
projected (UTM and the like, metres). Zenit never resamples it in that CRS; it asks for the
height at the geodetic positions it needs (`sample_dem`), reprojecting those positions into
the DEM's CRS with `rasterio.warp.transform`. Bad files are the user's to fix, so every
failure here is a `UserError` that names the file and the fix. rasterio is imported only when a
DEM is read, so a smooth-Earth or synthetic-terrain study runs without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from zenit.errors import UserError
from zenit.geo.frames import EARTH_RADIUS_M

GEOGRAPHIC_EPSG = 4326  # WGS 84 latitude and longitude
GEOGRAPHIC_CRS = f"EPSG:{GEOGRAPHIC_EPSG}"
_EDGE_POINTS = 33


@dataclass(frozen=True)
class Dem:
    """One band of heights (m, no-data already at sea level) and where its pixels lie."""

    path: Path
    heights_m: np.ndarray
    transform: object  # affine.Affine: pixel corner (column, row) -> CRS (x, y)
    crs: object  # rasterio.crs.CRS

    @property
    def geographic(self) -> bool:
        return bool(self.crs.is_geographic)


def read_dem(path: Path) -> Dem:
    """Open a DEM; raise UserError naming the file when it is missing, unreadable or unplaced."""
    try:
        import rasterio
        from rasterio.errors import RasterioError
    except ImportError as error:  # rasterio is an optional dependency
        raise UserError(f"{path}: reading a DEM needs rasterio (fix: pip install rasterio)"
                        ) from error
    if not path.is_file():
        raise UserError(f"{path}: DEM file not found "
                        f"(fix: check the path, or leave terrain out for a smooth Earth)")
    try:
        with rasterio.open(path) as dataset:
            if dataset.crs is None:
                raise UserError(f"{path}: DEM has no coordinate reference system (fix: set "
                                f"one, e.g. gdal_edit.py -a_srs EPSG:4326 {path})")
            if not (dataset.crs.is_geographic or dataset.crs.is_projected):
                raise UserError(
                    f"{path}: DEM CRS {dataset.crs} is neither geographic nor projected "
                    f"(fix: reproject it to EPSG:4326 with gdalwarp -t_srs EPSG:4326)")
            heights = dataset.read(1, masked=True).astype(float).filled(0.0)
            return Dem(path, heights, dataset.transform, dataset.crs)
    except RasterioError as error:
        raise UserError(f"{path}: cannot read the DEM ({error}) (fix: give a GeoTIFF or "
                        f"another raster format GDAL reads)") from error


def _to_dem_crs(dem: Dem, latitude_deg, longitude_deg):
    if dem.crs.to_epsg() == GEOGRAPHIC_EPSG:
        return np.asarray(longitude_deg, dtype=float), np.asarray(latitude_deg, dtype=float)
    from rasterio.errors import RasterioError
    from rasterio.warp import transform

    shape = np.shape(latitude_deg)
    try:
        x, y = transform(GEOGRAPHIC_CRS, dem.crs, np.ravel(longitude_deg).tolist(),
                         np.ravel(latitude_deg).tolist())
    except RasterioError as error:
        raise UserError(
            f"{dem.path}: cannot reproject positions into the DEM's CRS {dem.crs} ({error}) "
            f"(fix: reproject the DEM to EPSG:4326 with gdalwarp -t_srs EPSG:4326)") from error
    return np.asarray(x, dtype=float).reshape(shape), np.asarray(y, dtype=float).reshape(shape)


def _from_dem_crs(dem: Dem, x, y):
    if dem.crs.to_epsg() == GEOGRAPHIC_EPSG:
        return np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    from rasterio.warp import transform

    longitude, latitude = transform(dem.crs, GEOGRAPHIC_CRS, np.ravel(x).tolist(),
                                    np.ravel(y).tolist())
    return np.asarray(latitude, dtype=float), np.asarray(longitude, dtype=float)


def sample_dem(dem: Dem, latitude_deg, longitude_deg) -> np.ndarray:
    """DEM height (m) at geodetic positions, bilinear between pixel centres; 0 off the DEM."""
    x, y = _to_dem_crs(dem, latitude_deg, longitude_deg)
    inverse = ~dem.transform
    # Fractional pixel indices measured from the first pixel's centre.
    column = inverse.a * x + inverse.b * y + inverse.c - 0.5
    row = inverse.d * x + inverse.e * y + inverse.f - 0.5
    rows, columns = dem.heights_m.shape
    inside = (column >= -0.5) & (column <= columns - 0.5) & (row >= -0.5) & (row <= rows - 0.5)
    column = np.clip(column, 0.0, columns - 1.0)
    row = np.clip(row, 0.0, rows - 1.0)
    column0 = np.minimum(np.floor(column), max(columns - 2, 0)).astype(int)
    row0 = np.minimum(np.floor(row), max(rows - 2, 0)).astype(int)
    column1 = np.minimum(column0 + 1, columns - 1)
    row1 = np.minimum(row0 + 1, rows - 1)
    column_weight, row_weight = column - column0, row - row0
    heights = dem.heights_m
    top = heights[row0, column0] + column_weight * (heights[row0, column1] - heights[row0, column0])
    bottom = heights[row1, column0] + column_weight * (heights[row1, column1]
                                                       - heights[row1, column0])
    return np.where(inside, top + row_weight * (bottom - top), 0.0)


def footprint_geodetic(dem: Dem):
    """Latitudes and longitudes (deg) of points along the DEM's outer edge."""
    rows, columns = dem.heights_m.shape
    along = np.linspace(0.0, 1.0, _EDGE_POINTS)
    column = np.concatenate([along * columns, np.full_like(along, columns), along * columns,
                             np.zeros_like(along)])
    row = np.concatenate([np.zeros_like(along), along * rows, np.full_like(along, rows),
                          along * rows])
    x = dem.transform.a * column + dem.transform.b * row + dem.transform.c
    y = dem.transform.d * column + dem.transform.e * row + dem.transform.f
    return _from_dem_crs(dem, x, y)


def pixel_size_m(dem: Dem) -> float:
    """The finer side of a DEM pixel in metres on the ground (at the centre if geographic)."""
    size_x = float(np.hypot(dem.transform.a, dem.transform.d))
    size_y = float(np.hypot(dem.transform.b, dem.transform.e))
    if not dem.geographic:
        return min(size_x, size_y) * float(dem.crs.linear_units_factor[1])
    rows, columns = dem.heights_m.shape
    centre_y = dem.transform.d * columns / 2 + dem.transform.e * rows / 2 + dem.transform.f
    metres_per_degree = np.pi * EARTH_RADIUS_M / 180.0
    return min(size_x * np.cos(np.radians(centre_y)), size_y) * metres_per_degree
