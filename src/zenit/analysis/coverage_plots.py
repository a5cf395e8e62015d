"""Coverage drawn: the horizontal map over hill shading, and each radar's range-height diagram."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib.colors import ListedColormap

from zenit.analysis.coverage import (LIKELY_PD, CoverageMap, VerticalDiagram, free_space_range_m,
                                     smooth_horizon_altitude_m)
from zenit.analysis.plotting import new_figure, save_png, shade_terrain

SHOWN_PD = 0.01  # cells with a lower Pd are left clear
RING_POINTS = 361  # vertices of a range ring
SITE_MARKERS = "^svDpho*"


def plot_coverage_map(coverage: CoverageMap, sites, world, terrain, rcs_m2: float,
                      altitude_m: float, swerling: int, path) -> Path:
    """PNG: hill shading, combined Pd, terrain shadows, radar sites and range rings."""
    figure = new_figure()
    axes = figure.add_subplot()
    extent_km = _extent_km(coverage.east_m, coverage.north_m)
    if terrain is not None:
        shade_terrain(axes, terrain, extent_km)
    seen = np.ma.masked_less(coverage.combined_pd, SHOWN_PD)
    image = axes.imshow(seen, origin="lower", extent=extent_km, cmap="viridis", vmin=0.0,
                        vmax=1.0, alpha=0.7, interpolation="nearest", zorder=1)
    for cells, colour in ((coverage.beyond_horizon, "slategray"), (coverage.shadowed, "red")):
        layer = np.ma.masked_where(~cells, np.ones_like(coverage.combined_pd))
        axes.imshow(layer, origin="lower", extent=extent_km,
                    cmap=ListedColormap([colour]), alpha=0.35, interpolation="nearest", zorder=2)
    if coverage.combined_pd.max() >= LIKELY_PD:
        axes.contour(coverage.east_m / 1000.0, coverage.north_m / 1000.0, coverage.combined_pd,
                     levels=[LIKELY_PD], colors="white", linewidths=0.8, zorder=3)
    angles = np.linspace(0.0, 2.0 * math.pi, RING_POINTS)
    for number, site in enumerate(sites):
        for radius_m, style in ((float(world.radars.instrumented_range_m[site.index]), "--"),
                                (free_space_range_m(world, site.index, rcs_m2, swerling), "-")):
            axes.plot((site.east_m + radius_m * np.sin(angles)) / 1000.0,
                      (site.north_m + radius_m * np.cos(angles)) / 1000.0, style,
                      color=f"C{number}", linewidth=0.9, zorder=3)
        marker = SITE_MARKERS[number % len(SITE_MARKERS)]
        axes.plot(site.east_m / 1000.0, site.north_m / 1000.0, marker,
                  color=f"C{number}", markeredgecolor="black", markersize=8, zorder=4,
                  label=site.name, linestyle="none")
    axes.legend(loc="upper left", fontsize=8, framealpha=0.8)
    axes.set_xlim(extent_km[:2])
    axes.set_ylim(extent_km[2:])
    axes.set_aspect("equal")
    axes.set_xlabel("east (km)")
    axes.set_ylabel("north (km)")
    axes.set_title(f"Combined single-look Pd, {rcs_m2:g} m² (Swerling {swerling}) at "
                   f"{altitude_m:g} m above ground (white line: Pd 0.5)\nred: terrain shadow, "
                   f"grey: beyond the 4/3-Earth horizon; rings: free-space range (solid), "
                   f"instrumented range (dashed)", fontsize=9)
    figure.colorbar(image, ax=axes, label="Pd", shrink=0.8)
    return save_png(figure, path)


def plot_vertical_diagram(diagram: VerticalDiagram, rcs_m2: float, swerling: int, path) -> Path:
    """PNG: Pd over range and altitude, the terrain and the 4/3-Earth horizon below."""
    figure = new_figure((9.0, 5.5))
    axes = figure.add_subplot()
    range_km = diagram.range_m / 1000.0
    altitude_km = diagram.altitude_m / 1000.0
    seen = np.ma.masked_less(np.nan_to_num(diagram.pd, nan=0.0), SHOWN_PD)
    mesh = axes.pcolormesh(range_km, altitude_km, seen, cmap="viridis", vmin=0.0, vmax=1.0,
                           shading="nearest")
    antenna_altitude_m = diagram.radar.ground_m + diagram.radar.antenna_height_m
    if np.nanmax(diagram.pd, initial=0.0) >= LIKELY_PD:
        axes.contour(range_km, altitude_km, np.nan_to_num(diagram.pd, nan=0.0),
                     levels=[LIKELY_PD], colors="white", linewidths=0.8)
    axes.plot(range_km, smooth_horizon_altitude_m(antenna_altitude_m, diagram.range_m) / 1000.0,
              "--", color="black", linewidth=1.0, label="4/3-Earth horizon")
    axes.fill_between(range_km, 0.0, diagram.ground_m / 1000.0, color="saddlebrown", alpha=0.8,
                      label="terrain", step="mid")
    axes.set_xlim(range_km[0], range_km[-1])
    axes.set_ylim(altitude_km[0], altitude_km[-1])
    axes.set_xlabel("ground range (km)")
    axes.set_ylabel("altitude above sea level (km)")
    axes.set_title(f"{diagram.radar.name}: single-look Pd, {rcs_m2:g} m² (Swerling {swerling}), "
                   f"azimuth {math.degrees(diagram.azimuth_rad):.0f}° (white line: Pd 0.5)",
                   fontsize=9)
    axes.legend(loc="upper right", fontsize=8)
    figure.colorbar(mesh, ax=axes, label="Pd")
    return save_png(figure, path)


def _extent_km(east_m, north_m) -> tuple[float, float, float, float]:
    """imshow extent (km) of cell-centred axes: half a cell beyond the outer centres."""
    half_east, half_north = 0.5 * (east_m[1] - east_m[0]), 0.5 * (north_m[1] - north_m[0])
    return ((east_m[0] - half_east) / 1000.0, (east_m[-1] + half_east) / 1000.0,
            (north_m[0] - half_north) / 1000.0, (north_m[-1] + half_north) / 1000.0)
