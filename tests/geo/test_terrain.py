"""Terrain grids: bilinear heights, DEM import through rasterio, synthetic landscapes."""

import numpy as np
import pytest
import rasterio
from hypothesis import given, settings
from hypothesis import strategies as st
from rasterio.transform import from_origin
from rasterio.warp import transform as warp_transform

from zenit.errors import UserError
from zenit.geo import Terrain
from zenit.geo.dem import read_dem, sample_dem
from zenit.geo.frames import Origin, geodetic_to_local, local_to_geodetic

GRID = np.array([[0.0, 10.0, 20.0], [30.0, 40.0, 50.0]])  # rows north, columns east


def small_terrain():
    return Terrain(GRID, east_min_m=-100.0, north_min_m=200.0, resolution_m=100.0)


def test_nodes_cells_and_outside():
    terrain = small_terrain()
    assert terrain.elevation(-100.0, 200.0) == 0.0
    assert terrain.elevation(100.0, 300.0) == 50.0
    assert terrain.elevation(-50.0, 250.0) == pytest.approx((0 + 10 + 30 + 40) / 4)
    assert terrain.elevation(75.0, 225.0) == pytest.approx(17.5 + 0.25 * 30.0)
    np.testing.assert_array_equal(
        terrain.elevation([-100.1, 100.1, 0.0], [250.0, 250.0, 300.1]), 0.0
    )
    assert terrain.max_elevation == 50.0


def test_outside_height_and_shape():
    terrain = Terrain(GRID, -100.0, 200.0, 100.0, outside_m=-5.0)
    assert terrain.elevation(1e6, 0.0) == -5.0
    assert terrain.elevation(np.zeros((4, 5)), np.full((4, 5), 250.0)).shape == (4, 5)


@settings(max_examples=200, deadline=None)
@given(st.floats(-100.0, 100.0), st.floats(200.0, 300.0))
def test_bilinear_reproduces_a_plane_and_stays_in_range(east_m, north_m):
    # The grid is the plane 10 (e + 100)/100 + 30 (n - 200)/100; bilinear is exact on planes.
    expected = 10.0 * (east_m + 100.0) / 100.0 + 30.0 * (north_m - 200.0) / 100.0
    assert small_terrain().elevation(east_m, north_m) == pytest.approx(expected, abs=1e-9)


def test_flat_is_sea_level():
    flat = Terrain.flat()
    assert flat.max_elevation == 0.0
    assert np.all(flat.elevation(np.linspace(-1e6, 1e6, 7), 0.0) == 0.0)


@pytest.mark.parametrize("kind", ["ridges", "hills", "valleys"])
def test_synthetic_is_deterministic_bounded_and_sized(kind):
    first = Terrain.synthetic(11, extent_m=60e3, resolution_m=250.0, relief_m=600.0, kind=kind)
    again = Terrain.synthetic(11, extent_m=60e3, resolution_m=250.0, relief_m=600.0, kind=kind)
    other = Terrain.synthetic(12, extent_m=60e3, resolution_m=250.0, relief_m=600.0, kind=kind)
    np.testing.assert_array_equal(first.heights_m, again.heights_m)
    assert not np.array_equal(first.heights_m, other.heights_m)
    assert first.shape == (241, 241)
    assert first.east_min_m == -30e3 and first.north_max_m == 30e3
    assert first.heights_m.min() >= 0.0
    assert first.max_elevation == pytest.approx(600.0, abs=0.01)
    assert np.all(first.heights_m[0] == 0.0) and np.all(
        first.heights_m[:, -1] == 0.0
    )  # tapered to sea level


def test_synthetic_kinds_have_their_character():
    inner = slice(100, 500)
    ridges = Terrain.synthetic(5, kind="ridges").heights_m[inner, inner]
    valleys = Terrain.synthetic(5, kind="valleys").heights_m[inner, inner]
    # ridges: narrow crests over broad low valleys; valleys: mostly plateau, a few deep cuts
    assert np.median(ridges) < 0.35 * ridges.max()
    assert np.median(valleys) > 0.8 * valleys.max()
    assert np.percentile(valleys, 2) < 0.35 * valleys.max()


def test_synthetic_rejects_unknown_kind():
    with pytest.raises(UserError, match="ridges, hills, valleys"):
        Terrain.synthetic(1, kind="mountains")


ORIGIN = Origin(45.0, 33.0)


def plane_4326(latitude_deg, longitude_deg):
    return 100.0 + 2000.0 * (longitude_deg - 33.0) + 3000.0 * (latitude_deg - 45.0)


def write_geotiff(path, heights, transform, crs="EPSG:4326", nodata=None):
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=heights.shape[1],
        height=heights.shape[0],
        count=1,
        dtype="float32",
        crs=crs,
        transform=transform,
        nodata=nodata,
    ) as dataset:
        dataset.write(heights.astype(np.float32), 1)


@pytest.fixture
def plane_dem(tmp_path):
    """A 0.4 x 0.4 degree DEM around the origin holding a plane in latitude and longitude."""
    pixel_deg = 0.01
    transform = from_origin(32.8, 45.2, pixel_deg, pixel_deg)
    columns, rows = np.meshgrid(np.arange(40) + 0.5, np.arange(40) + 0.5)
    longitude, latitude = 32.8 + pixel_deg * columns, 45.2 - pixel_deg * rows
    heights = plane_4326(latitude, longitude)
    heights[0, 0] = -9999.0
    path = tmp_path / "plane.tif"
    write_geotiff(path, heights, transform, nodata=-9999.0)
    return path


def test_geotiff_in_epsg4326_is_sampled_at_geodetic_positions(plane_dem):
    terrain = Terrain.from_geotiff(plane_dem, ORIGIN, extent_m=20e3, resolution_m=250.0)
    assert terrain.shape == (81, 81) and terrain.resolution_m == 250.0
    east_m = np.array([0.0, 3_210.0, -7_777.0, 9_000.0])
    north_m = np.array([0.0, -4_321.0, 6_543.0, 9_500.0])
    latitude, longitude, _ = local_to_geodetic(east_m, north_m, 0.0, ORIGIN)
    np.testing.assert_allclose(
        terrain.elevation(east_m, north_m), plane_4326(latitude, longitude), atol=0.05
    )


def test_geotiff_footprint_no_data_and_outside(plane_dem):
    terrain = Terrain.from_geotiff(plane_dem, ORIGIN)  # the DEM's own footprint and pixel size
    assert terrain.resolution_m == pytest.approx(
        0.01 * np.pi * 6_371_008.8 / 180 * np.cos(np.radians(45.0)), rel=1e-3
    )
    # South-west corner 0.2 deg south and west of the origin: 22.24 km south, 15.79 km west
    # (0.2 deg x 111.195 km, times cos 44.8 deg for the west); the grid stops within a node of
    # the northern edge, 0.2 deg north.
    assert terrain.east_min_m == pytest.approx(-15.79e3, abs=0.02e3)
    assert terrain.north_min_m == pytest.approx(-22.24e3, abs=0.02e3)
    assert 22.24e3 - terrain.resolution_m <= terrain.north_max_m <= 22.24e3
    # The north-west corner pixel is no-data: sea level at its centre, where the plane is 295 m.
    dem = read_dem(plane_dem)
    assert sample_dem(dem, 45.195, 32.805) == pytest.approx(0.0, abs=1e-9)
    assert sample_dem(dem, 45.185, 32.815) == pytest.approx(plane_4326(45.185, 32.815), abs=1e-3)
    wider = Terrain.from_geotiff(plane_dem, ORIGIN, extent_m=80e3, resolution_m=100.0)
    east_m, north_m, _ = geodetic_to_local(45.195, 32.805, 0.0, ORIGIN)
    assert wider.elevation(east_m, north_m) < 0.1 * plane_4326(45.195, 32.805)
    assert wider.elevation(0.0, 39e3) == 0.0  # north of the DEM


def test_geotiff_in_a_projected_crs(tmp_path):
    # UTM zone 36N (EPSG:32636) metres; the DEM holds the plane 50 + 0.01 (x - x0) - 0.02 (y - y0).
    (x0,), (y0,) = warp_transform("EPSG:4326", "EPSG:32636", [33.0], [45.0])
    pixel_m = 200.0
    transform = from_origin(x0 - 12e3, y0 + 12e3, pixel_m, pixel_m)
    columns, rows = np.meshgrid(np.arange(120) + 0.5, np.arange(120) + 0.5)
    x, y = x0 - 12e3 + pixel_m * columns, y0 + 12e3 - pixel_m * rows
    path = tmp_path / "utm.tif"
    write_geotiff(path, 50.0 + 0.01 * (x - x0) - 0.02 * (y - y0), transform, crs="EPSG:32636")
    terrain = Terrain.from_geotiff(path, ORIGIN, extent_m=16e3, resolution_m=200.0)
    east_m, north_m = np.array([1_234.0, -5_000.0]), np.array([-2_000.0, 6_000.0])
    latitude, longitude, _ = local_to_geodetic(east_m, north_m, 0.0, ORIGIN)
    px, py = warp_transform("EPSG:4326", "EPSG:32636", longitude.tolist(), latitude.tolist())
    expected = 50.0 + 0.01 * (np.array(px) - x0) - 0.02 * (np.array(py) - y0)
    np.testing.assert_allclose(terrain.elevation(east_m, north_m), expected, atol=0.05)


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="nowhere.tif: DEM file not found"):
        Terrain.from_geotiff(tmp_path / "nowhere.tif", ORIGIN)


def test_unreadable_file_is_a_user_error(tmp_path):
    path = tmp_path / "notes.tif"
    path.write_text("not a raster")
    with pytest.raises(UserError, match="notes.tif: cannot read the DEM"):
        Terrain.from_geotiff(path, ORIGIN)


def test_dem_without_crs_is_a_user_error(tmp_path):
    path = tmp_path / "nocrs.tif"
    with rasterio.open(
        path, "w", driver="GTiff", width=4, height=4, count=1, dtype="float32"
    ) as dataset:
        dataset.write(np.ones((4, 4), np.float32), 1)
    with pytest.raises(UserError, match="no coordinate reference system.*EPSG:4326"):
        Terrain.from_geotiff(path, ORIGIN)
