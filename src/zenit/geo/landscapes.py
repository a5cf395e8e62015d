"""Fictional landscapes for terrain-masking studies, made from a seed.

Each recipe returns heights (m) in [0, relief] on given east/north node grids, the same for the
same seed (a seeded numpy Generator: terrain generation is set-up, not Monte Carlo). All three
taper to sea level over the outer tenth of the grid, so the edge meets the sea-level ground
that lies off the grid.

- "ridges": parallel ridge lines, bent by a few long sine meanders, each ridge with its own
  height and saddles along its crest. The cross-section is (1 - d)^2 in the distance d from
  the crest (0 at the crest, 1 mid-valley): a sharp crest that throws a clean radar shadow
  and flat valley floors behind it. Ridges lie 12-25 km apart.
- "hills": a smooth fractal surface, spectral synthesis of white noise filtered to an
  amplitude spectrum (k^2 + k0^2)^-0.9 (Hurst exponent 0.8, roll-off below 1/(60 km)).
- "valleys": a plateau at the full relief, lightly rough, cut by four to six meandering
  valleys with floors 1-3 km wide and walls 1.5-4 km wide, floors at 5-30 % of the relief:
  corridors a cruise missile can fly along below the plateau's edge.
"""

from __future__ import annotations

import numpy as np

TAPER_FRACTION = 0.1
MEANDER_HARMONICS = 3
MEANDER_WAVELENGTH_M = (40e3, 150e3)       # range each harmonic's wavelength is drawn from
HURST_EXPONENT = 0.8
FRACTAL_ROLLOFF_M = 60e3                   # no longer waves than this in the fractal noise
RIDGE_SPACING_M = (12e3, 25e3)
RIDGE_MEANDER = 0.4                        # meander amplitude, in ridge spacings
RIDGE_HEIGHT = (0.5, 1.0)                  # of the tallest ridge
SADDLE_DEPTH = 0.3                         # of a ridge's height
SADDLE_WAVELENGTH_M = (30e3, 60e3)
RIDGE_ROUGHNESS = 0.03
VALLEY_COUNT = (4, 7)                      # four to six valleys (upper bound excluded)
VALLEY_CENTRE_SPREAD = 0.35                # of the grid's width, either side of its middle
VALLEY_MEANDER_M = (3e3, 10e3)
VALLEY_FLOOR_HALF_WIDTH_M = (0.5e3, 1.5e3)
VALLEY_WALL_WIDTH_M = (1.5e3, 4e3)
VALLEY_DEPTH = (0.7, 0.95)                 # of the relief
PLATEAU_ROUGHNESS = 0.02


def landscape(kind: str, rng: np.random.Generator, east_m, north_m, relief_m: float) -> np.ndarray:
    recipe = {"ridges": _ridges, "hills": _hills, "valleys": _valleys}[kind]
    heights = recipe(rng, east_m, north_m)
    heights = np.clip(heights, 0.0, None) * _edge_taper(east_m, north_m)
    peak = heights.max()
    return heights * (relief_m / peak) if peak > 0.0 else heights


def _edge_taper(east_m, north_m):
    """1 inside, falling as a half cosine to 0 over the outer TAPER_FRACTION of the grid."""

    def along(coordinate):
        low, high = coordinate.min(), coordinate.max()
        width = TAPER_FRACTION * (high - low)
        inward = np.minimum(coordinate - low, high - coordinate) / width
        return 0.5 - 0.5 * np.cos(np.pi * np.clip(inward, 0.0, 1.0))

    return along(east_m) * along(north_m)


def _rotated(rng, east_m, north_m):
    """Coordinates across and along a random strike direction."""
    strike = rng.uniform(0.0, np.pi)
    across = east_m * np.cos(strike) + north_m * np.sin(strike)
    along = -east_m * np.sin(strike) + north_m * np.cos(strike)
    return across, along


def _meander(rng, along_m, amplitude_m, count=MEANDER_HARMONICS):
    """A sum of long sine waves: how far a line strays sideways as it runs."""
    offset = np.zeros_like(along_m)
    for harmonic in range(1, count + 1):
        wavelength_m = rng.uniform(*MEANDER_WAVELENGTH_M)
        offset += amplitude_m / harmonic * np.sin(2 * np.pi * along_m / wavelength_m
                                                  + rng.uniform(0, 2 * np.pi))
    return offset


def _fractal(rng, shape, spacing_m, hurst=HURST_EXPONENT, rolloff_m=FRACTAL_ROLLOFF_M):
    """Smooth fractal noise of unit standard deviation on a grid."""
    noise = rng.standard_normal(shape)
    wave_north = np.fft.fftfreq(shape[0], d=spacing_m)[:, None]
    wave_east = np.fft.rfftfreq(shape[1], d=spacing_m)[None, :]
    amplitude = (wave_north**2 + wave_east**2 + rolloff_m**-2) ** (-(hurst + 1.0) / 2.0)
    surface = np.fft.irfft2(np.fft.rfft2(noise) * amplitude, s=shape)
    return (surface - surface.mean()) / surface.std()


def _spacing(east_m):
    return float(abs(east_m[0, 1] - east_m[0, 0]))


def _ridges(rng, east_m, north_m):
    across, along = _rotated(rng, east_m, north_m)
    ridge_spacing_m = rng.uniform(*RIDGE_SPACING_M)
    position = ((across + _meander(rng, along, RIDGE_MEANDER * ridge_spacing_m)) / ridge_spacing_m
                + rng.uniform(0.0, 1.0))
    ridge = np.floor(position).astype(int)
    distance_from_crest = np.abs(position - ridge - 0.5) * 2.0
    first = ridge.min()
    count = ridge.max() - first + 1
    ridge_height = rng.uniform(*RIDGE_HEIGHT, count)[ridge - first]
    saddle_phase = rng.uniform(0.0, 2 * np.pi, count)[ridge - first]
    saddles = 1.0 - SADDLE_DEPTH * (0.5 + 0.5 * np.sin(
        2 * np.pi * along / rng.uniform(*SADDLE_WAVELENGTH_M) + saddle_phase))
    roughness = RIDGE_ROUGHNESS * _fractal(rng, east_m.shape, _spacing(east_m))
    return ridge_height * saddles * (1.0 - distance_from_crest) ** 2 + roughness


def _hills(rng, east_m, north_m):
    return _fractal(rng, east_m.shape, _spacing(east_m))


def _valleys(rng, east_m, north_m):
    cut = np.zeros_like(east_m)
    for _ in range(rng.integers(*VALLEY_COUNT)):
        across, along = _rotated(rng, east_m, north_m)
        spread = VALLEY_CENTRE_SPREAD
        centre_m = rng.uniform(-spread, spread) * (across.max() - across.min())
        meander_m = rng.uniform(*VALLEY_MEANDER_M)
        distance_m = np.abs(across - centre_m - _meander(rng, along, meander_m))
        floor_half_width_m = rng.uniform(*VALLEY_FLOOR_HALF_WIDTH_M)
        wall_width_m = rng.uniform(*VALLEY_WALL_WIDTH_M)
        depth = rng.uniform(*VALLEY_DEPTH)
        wall = np.clip(1.0 - (distance_m - floor_half_width_m) / wall_width_m, 0.0, 1.0)
        cut = np.maximum(cut, depth * wall * wall * (3.0 - 2.0 * wall))  # smoothstep walls
    roughness = PLATEAU_ROUGHNESS * _fractal(rng, east_m.shape, _spacing(east_m))
    return 1.0 - cut + roughness * (1.0 - cut)
