"""Matplotlib helpers shared by Zenit's static figures.

Figures are drawn on `matplotlib.figure.Figure` with an Agg canvas, never through `pyplot`:
pyplot keeps global state and picks a GUI backend, which a library called from a CLI, a test
run or a Dask worker must not do. One look for every figure: the same size, resolution and
terrain shading.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LightSource
from matplotlib.figure import Figure

FIGURE_SIZE_IN = (9.0, 7.5)
DOTS_PER_INCH = 120
TERRAIN_LIGHT_AZIMUTH_DEG = 315.0  # light from the north-west, the cartographic convention
TERRAIN_LIGHT_ALTITUDE_DEG = 35.0


def new_figure(size_in: tuple[float, float] = FIGURE_SIZE_IN) -> Figure:
    """A figure with its own Agg canvas, free of pyplot's global state."""
    figure = Figure(figsize=size_in, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def save_png(figure: Figure, path: str | Path) -> Path:
    """Write the figure as PNG, creating its folder; returns the path written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", dpi=DOTS_PER_INCH)
    return path


def shade_terrain(axes, terrain, extent_km: tuple[float, float, float, float]) -> None:
    """Grey hill shading of a `zenit.geo.terrain.Terrain` clipped to extent (km, map frame).

    Drawn underneath everything else so that relief, and the shadows it casts on coverage,
    read at a glance.
    """
    west_m, east_m, south_m, north_m = (1000.0 * value for value in extent_km)
    resolution_m = terrain.resolution_m
    first_column = max(int(np.floor((west_m - terrain.east_min_m) / resolution_m)), 0)
    last_column = min(int(np.ceil((east_m - terrain.east_min_m) / resolution_m)) + 1,
                      terrain.shape[1])
    first_row = max(int(np.floor((south_m - terrain.north_min_m) / resolution_m)), 0)
    last_row = min(int(np.ceil((north_m - terrain.north_min_m) / resolution_m)) + 1,
                   terrain.shape[0])
    if last_column - first_column < 2 or last_row - first_row < 2:
        return
    heights_m = np.asarray(terrain.heights_m[first_row:last_row, first_column:last_column],
                           dtype=float)
    light = LightSource(azdeg=TERRAIN_LIGHT_AZIMUTH_DEG, altdeg=TERRAIN_LIGHT_ALTITUDE_DEG)
    # Rows run north; LightSource reads the first row as the northern edge, so flip them.
    shading = light.hillshade(heights_m[::-1], vert_exag=3.0, dx=resolution_m, dy=resolution_m)
    patch_km = ((terrain.east_min_m + (first_column - 0.5) * resolution_m) / 1000.0,
                (terrain.east_min_m + (last_column - 0.5) * resolution_m) / 1000.0,
                (terrain.north_min_m + (first_row - 0.5) * resolution_m) / 1000.0,
                (terrain.north_min_m + (last_row - 0.5) * resolution_m) / 1000.0)
    axes.imshow(shading, cmap="gray", origin="upper", extent=patch_km, vmin=0.0, vmax=1.0,
                interpolation="bilinear", zorder=0)


def file_stem(name: str) -> str:
    """A name made safe for a file: 'Tesk battalion/92N6E' -> 'tesk-battalion-92n6e'."""
    stem = re.sub(r"[^0-9a-z]+", "-", name.casefold()).strip("-")
    return stem or "unnamed"
