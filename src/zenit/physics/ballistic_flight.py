"""Ballistic flight: a 3-DOF point mass over the round Earth, integrated by RK4 to impact.

Gravity mu / r^2 toward the Earth's centre and drag 0.5 rho v^2 Cd(M) A against the
velocity (US Standard Atmosphere 1976 density and speed of sound, tabulated every 100 m up
to 120 km and taken as vacuum above, where drag on a re-entry vehicle is below 1e-3 m/s^2).
No Earth rotation: the frame is Earth-fixed and the air is at rest in it. RK4 at a fixed step,
vectorised over missiles, until the missile comes down through its impact altitude; the
crossing is found inside the last step on the cubic Hermite curve through the step's end
states.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from zenit.errors import UserError
from zenit.geo.frames import EARTH_RADIUS_M
from zenit.physics.drag import drag_coefficient
from zenit.physics.vacuum_arcs import GRAVITATIONAL_PARAMETER

MAX_STEP_S = 0.25                          # RK4 step ceiling; the step divides the sample step
ATMOSPHERE_TOP_M = 120_000.0               # vacuum above
ATMOSPHERE_BOTTOM_M = -1_000.0             # lowest altitude of the atmosphere table
ATMOSPHERE_TABLE_STEP_M = 100.0
MAX_FLIGHT_TIME_S = 7_200.0
IMPACT_BISECTIONS = 48                     # halvings of the last step to find the impact


@lru_cache(maxsize=1)
def atmosphere_table():
    """US 1976 log-density and speed of sound every 100 m from -1 km to ATMOSPHERE_TOP_M."""
    from zenit.geo.atmosphere import density, speed_of_sound

    altitudes = np.arange(ATMOSPHERE_BOTTOM_M, ATMOSPHERE_TOP_M + 1.0, ATMOSPHERE_TABLE_STEP_M)
    return altitudes, np.log(density(altitudes)), speed_of_sound(altitudes)


@dataclass(frozen=True)
class Airframes:
    """Per-missile drag data of a batch: area over mass and drag-profile index."""

    area_over_mass: np.ndarray     # (M,) m^2/kg; zero switches drag off
    profile_index: np.ndarray      # (M,) index into `profiles`
    profiles: tuple[str, ...]

    @classmethod
    def of(cls, plans, drag=True):
        profiles = tuple(sorted({plan.drag_profile for plan in plans}))
        area_over_mass = np.array([plan.reference_area_m2 / plan.mass_kg for plan in plans])
        return cls(area_over_mass * float(drag),
                   np.array([profiles.index(plan.drag_profile) for plan in plans]), profiles)

    def repeat(self, copies):
        return Airframes(np.tile(self.area_over_mass, copies), np.tile(self.profile_index, copies),
                         self.profiles)

    @property
    def has_drag(self):
        return bool(np.any(self.area_over_mass > 0))


def acceleration(positions, velocities, airframes: Airframes):
    """Gravity plus drag (M, 3) at states (M, 3)."""
    radius = np.linalg.norm(positions, axis=-1, keepdims=True)
    total = -GRAVITATIONAL_PARAMETER / radius**3 * positions
    altitudes = radius[:, 0] - EARTH_RADIUS_M
    if not airframes.has_drag or altitudes.min() >= ATMOSPHERE_TOP_M:
        return total
    table_altitude, table_log_density, table_sound = atmosphere_table()
    density = np.where(altitudes < ATMOSPHERE_TOP_M,
                       np.exp(np.interp(altitudes, table_altitude, table_log_density)), 0.0)
    speed = np.linalg.norm(velocities, axis=-1)
    mach = speed / np.interp(altitudes, table_altitude, table_sound)
    coefficient = np.zeros_like(speed)
    for index, profile in enumerate(airframes.profiles):
        coefficient = np.where(airframes.profile_index == index,
                               drag_coefficient(mach, profile), coefficient)
    drag_per_velocity = 0.5 * density * speed * coefficient * airframes.area_over_mass
    return total - drag_per_velocity[:, None] * velocities


def rk4_step(positions, velocities, step_s, airframes):
    """One classical Runge-Kutta step of the point-mass equations."""
    half = 0.5 * step_s
    a1 = acceleration(positions, velocities, airframes)
    v2 = velocities + half * a1
    a2 = acceleration(positions + half * velocities, v2, airframes)
    v3 = velocities + half * a2
    a3 = acceleration(positions + half * v2, v3, airframes)
    v4 = velocities + step_s * a3
    a4 = acceleration(positions + step_s * v3, v4, airframes)
    return (positions + step_s / 6.0 * (velocities + 2.0 * v2 + 2.0 * v3 + v4),
            velocities + step_s / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4))


def hermite(p0, v0, p1, v1, step_s, fraction):
    """Cubic Hermite position and velocity at `fraction` (..., 1) of a step."""
    u = fraction
    u2, u3 = u * u, u * u * u
    position = ((2 * u3 - 3 * u2 + 1) * p0 + (u3 - 2 * u2 + u) * step_s * v0
                + (3 * u2 - 2 * u3) * p1 + (u3 - u2) * step_s * v1)
    velocity = ((6 * u2 - 6 * u) / step_s * (p0 - p1) + (3 * u2 - 4 * u + 1) * v0
                + (3 * u2 - 2 * u) * v1)
    return position, velocity


def _impact_fraction(p0, v0, p1, v1, step_s, impact_radius):
    """Fraction of the step where the Hermite curve comes down through `impact_radius`."""
    low, high = np.zeros(len(p0)), np.ones(len(p0))
    for _ in range(IMPACT_BISECTIONS):
        middle = 0.5 * (low + high)
        position, _ = hermite(p0, v0, p1, v1, step_s, middle[:, None])
        above = np.linalg.norm(position, axis=-1) >= impact_radius
        low, high = np.where(above, middle, low), np.where(above, high, middle)
    return 0.5 * (low + high)


@dataclass(frozen=True)
class Flight:
    """Outcome of integrating a batch of missiles to impact."""

    impact_time_s: np.ndarray       # (M,) since burnout
    impact_positions: np.ndarray    # (M, 3)
    impact_velocities: np.ndarray   # (M, 3)
    apogee_m: np.ndarray            # (M,) altitude
    positions: np.ndarray | None    # (S, M, 3) every step from burnout, if recorded
    velocities: np.ndarray | None


def fly(positions, velocities, impact_altitude_m, airframes: Airframes, step_s,
        record=False) -> Flight:
    """Integrate from burnout states (M, 3) until each missile comes down to its impact altitude."""
    count = len(positions)
    impact_radius = EARTH_RADIUS_M + np.asarray(impact_altitude_m, dtype=float)
    active = np.ones(count, dtype=bool)
    impact_time = np.full(count, np.nan)
    impact_positions, impact_velocities = np.zeros((count, 3)), np.zeros((count, 3))
    apogee = np.full(count, -np.inf)
    history = [(positions, velocities)]
    elapsed = 0.0
    while active.any():
        if elapsed > MAX_FLIGHT_TIME_S:
            raise UserError(f"ballistic missile(s) {np.flatnonzero(active).tolist()} do not come "
                            f"down within {MAX_FLIGHT_TIME_S:.0f} s; shorten the range or lower "
                            f"the apogee")
        new_positions, new_velocities = rk4_step(positions, velocities, step_s, airframes)
        new_positions = np.where(active[:, None], new_positions, positions)
        new_velocities = np.where(active[:, None], new_velocities, velocities)
        radius = np.linalg.norm(positions, axis=-1)
        new_radius = np.linalg.norm(new_positions, axis=-1)
        radial = np.sum(positions * velocities, axis=-1) / radius
        new_radial = np.sum(new_positions * new_velocities, axis=-1) / new_radius
        top = active & (radial > 0) & (new_radial <= 0)
        if top.any():
            horizontal_squared = np.sum(velocities**2, axis=-1) - radial**2
            gravity = GRAVITATIONAL_PARAMETER / radius**2 - horizontal_squared / radius
            apogee = np.where(top, radius - EARTH_RADIUS_M + radial**2 / (2.0 * gravity), apogee)
        landed = active & (radius >= impact_radius) & (new_radius < impact_radius)
        if landed.any():
            fraction = _impact_fraction(positions[landed], velocities[landed],
                                        new_positions[landed], new_velocities[landed], step_s,
                                        impact_radius[landed])
            where_position, where_velocity = hermite(
                positions[landed], velocities[landed], new_positions[landed],
                new_velocities[landed], step_s, fraction[:, None])
            impact_positions[landed], impact_velocities[landed] = where_position, where_velocity
            impact_time[landed] = elapsed + fraction * step_s
            active &= ~landed
        positions, velocities = new_positions, new_velocities
        elapsed += step_s
        if record:
            history.append((positions, velocities))
    apogee = np.where(np.isfinite(apogee), apogee, np.linalg.norm(history[0][0], axis=-1)
                      - EARTH_RADIUS_M)
    if record:
        return Flight(impact_time, impact_positions, impact_velocities, apogee,
                      np.stack([state[0] for state in history]),
                      np.stack([state[1] for state in history]))
    return Flight(impact_time, impact_positions, impact_velocities, apogee, None, None)

