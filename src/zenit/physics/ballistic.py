"""Ballistic missiles: a 3-DOF point mass over the round Earth, aimed by Newton iteration.

Motion. Gravity mu / r^2 toward the Earth's centre and drag 0.5 rho v^2 Cd(M) A against the
velocity (US Standard Atmosphere 1976 density and speed of sound, tabulated every 100 m up
to 120 km and taken as vacuum above, where drag on a re-entry vehicle is below 1e-3 m/s^2).
No Earth rotation: the frame is Earth-fixed and the air is at rest in it. RK4 at a fixed step,
vectorised over missiles, from burnout at the launch point (boost is treated as impulsive:
the burnout speed and flight-path angle are given at the launch point) to impact, when the
missile comes down through the aim point's altitude; the crossing is found inside the last
step on the cubic Hermite curve through the step's end states.

Aiming. The flight stays in the plane of the launch point, the aim point and the Earth's
centre, so two unknowns remain: burnout speed v and flight-path angle gamma. Newton's method
on (range error, dRange/dgamma) gives the minimum-energy trajectory (the least speed that
reaches the aim point, i.e. the angle of greatest range); on (range error, apogee error) it
gives a trajectory with the requested apogee. Derivatives are finite differences, flown in
the same batch as the nominal missiles. The vacuum closed forms seed the iteration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from zenit.errors import UserError
from zenit.geo.frames import EARTH_RADIUS_M, local_to_cartesian
from zenit.physics.drag import check_profile, drag_coefficient
from zenit.physics.manoeuvres import SampledTrajectory

GRAVITATIONAL_PARAMETER = 3.986004418e14   # m^3/s^2, WGS 84 GM (NIMA TR8350.2)
MAX_STEP_S = 0.25                          # RK4 step ceiling; the step divides the sample step
ATMOSPHERE_TOP_M = 120_000.0               # vacuum above
MAX_FLIGHT_TIME_S = 7_200.0
RANGE_TOLERANCE_M = 0.1
APOGEE_TOLERANCE_M = 0.5
ANGLE_TOLERANCE_RAD = 1e-6
SPEED_STEP_MPS = 0.5                       # finite-difference steps of the Newton Jacobian
ANGLE_STEP_RAD = 1e-3


@dataclass(frozen=True)
class BallisticPlan:
    """One ballistic missile from burnout at `launch_point` to impact at `aim_point`."""

    launch_time_s: float
    launch_point: np.ndarray   # (3,) east_m, north_m, altitude_m
    aim_point: np.ndarray      # (3,)
    mass_kg: float
    reference_area_m2: float
    apogee_m: float | None = None
    drag_profile: str = "reentry_vehicle"

    def __post_init__(self):
        for name in ("launch_point", "aim_point"):
            point = np.asarray(getattr(self, name), dtype=float)
            if point.shape != (3,):
                raise UserError(f"ballistic {name} must be (east, north, altitude), got shape "
                                f"{point.shape}")
            object.__setattr__(self, name, point)
        if not (self.mass_kg > 0 and self.reference_area_m2 > 0):
            raise UserError(f"ballistic mass_kg and reference_area_m2 must be positive, got "
                            f"{self.mass_kg} and {self.reference_area_m2}")
        if self.apogee_m is not None and not self.apogee_m > max(self.launch_point[2],
                                                                 self.aim_point[2]):
            raise UserError(f"ballistic apogee_m {self.apogee_m} must lie above the launch and "
                            f"aim points; give a higher apogee or none for minimum energy")
        if np.hypot(*(self.aim_point[:2] - self.launch_point[:2])) < 1_000.0:
            raise UserError("ballistic aim point is less than 1 km from the launch point on the "
                            "ground; move it further away")
        check_profile(self.drag_profile)


# ---------------------------------------------------------------- vacuum closed forms

def flat_earth_range(speed, flight_path_angle, gravity):
    """Range over flat ground in uniform gravity: v^2 sin(2 gamma) / g."""
    return np.asarray(speed) ** 2 * np.sin(2.0 * np.asarray(flight_path_angle)) / gravity


def vacuum_range(speed, flight_path_angle, launch_altitude_m=0.0):
    """Ground range (m, on the sphere) of a vacuum Kepler arc that lands at its launch altitude.

    tan(phi / 2) = nu sin(gamma) cos(gamma) / (1 - nu cos^2(gamma)) with nu = v^2 r / mu
    (Regan & Anandakrishnan 1993, sec. 2; Zarchan, Tactical and Strategic Missile Guidance,
    ch. 12). NaN when the speed escapes (nu >= 2).
    """
    radius = EARTH_RADIUS_M + np.asarray(launch_altitude_m, dtype=float)
    nu = np.asarray(speed, dtype=float) ** 2 * radius / GRAVITATIONAL_PARAMETER
    cosine, sine = np.cos(flight_path_angle), np.sin(flight_path_angle)
    angle = 2.0 * np.arctan2(nu * sine * cosine, 1.0 - nu * cosine**2)
    return np.where(nu < 2.0, angle * EARTH_RADIUS_M, np.nan)


def minimum_energy_vacuum(range_m, launch_altitude_m=0.0):
    """Burnout speed and flight-path angle of the least-energy vacuum arc over `range_m`.

    gamma = (pi - phi) / 4 and v^2 = (mu / r) 2 sin(phi/2) / (1 + sin(phi/2)), phi the range
    angle (Zarchan, ch. 12, "minimum-energy trajectories").
    """
    angle = np.asarray(range_m, dtype=float) / EARTH_RADIUS_M
    radius = EARTH_RADIUS_M + np.asarray(launch_altitude_m, dtype=float)
    half_sine = np.sin(angle / 2.0)
    speed = np.sqrt(GRAVITATIONAL_PARAMETER / radius * 2.0 * half_sine / (1.0 + half_sine))
    return speed, (np.pi - angle) / 4.0


def vacuum_burnout_for_apogee(range_m, apogee_m, launch_altitude_m=0.0):
    """Burnout speed and flight-path angle of the vacuum arc over `range_m` peaking at `apogee_m`.

    The symmetric Kepler ellipse with apogee radius r_a over the mid-range point has
    e = (r_a - r0) / (r_a - r0 cos(phi/2)), p = r_a (1 - e); then v^2 = mu (2/r0 - 1/a) and
    cos(gamma) = sqrt(mu p) / (r0 v).
    """
    half_angle = np.asarray(range_m, dtype=float) / EARTH_RADIUS_M / 2.0
    launch_radius = EARTH_RADIUS_M + np.asarray(launch_altitude_m, dtype=float)
    apogee_radius = EARTH_RADIUS_M + np.asarray(apogee_m, dtype=float)
    eccentricity = ((apogee_radius - launch_radius)
                    / (apogee_radius - launch_radius * np.cos(half_angle)))
    semi_latus = apogee_radius * (1.0 - eccentricity)
    semi_major = semi_latus / (1.0 - eccentricity**2)
    speed = np.sqrt(GRAVITATIONAL_PARAMETER * (2.0 / launch_radius - 1.0 / semi_major))
    cosine = np.sqrt(GRAVITATIONAL_PARAMETER * semi_latus) / (launch_radius * speed)
    return speed, np.arccos(np.clip(cosine, -1.0, 1.0))


# ---------------------------------------------------------------- equations of motion

@lru_cache(maxsize=1)
def atmosphere_table():
    """US 1976 log-density and speed of sound every 100 m from -1 km to ATMOSPHERE_TOP_M."""
    from zenit.geo.atmosphere import speed_of_sound
    from zenit.physics.legacy_numpy import density

    altitudes = np.arange(-1_000.0, ATMOSPHERE_TOP_M + 1.0, 100.0)
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
    for _ in range(48):
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


# ---------------------------------------------------------------- aiming

@dataclass(frozen=True)
class Geometry:
    """Launch state frame of a batch: launch positions, up and downrange unit vectors."""

    launch_positions: np.ndarray   # (N, 3)
    up: np.ndarray                 # (N, 3)
    downrange: np.ndarray          # (N, 3) horizontal, toward the aim point
    normal: np.ndarray             # (N, 3) normal of the flight plane
    range_angle: np.ndarray        # (N,) launch-to-aim angle at the Earth's centre
    impact_altitude_m: np.ndarray  # (N,)

    @classmethod
    def of(cls, plans):
        launch = np.array([plan.launch_point for plan in plans])
        aim = np.array([plan.aim_point for plan in plans])
        launch_positions = local_to_cartesian(launch[:, 0], launch[:, 1], launch[:, 2])
        aim_positions = local_to_cartesian(aim[:, 0], aim[:, 1], aim[:, 2])
        up_vector = launch_positions / np.linalg.norm(launch_positions, axis=-1, keepdims=True)
        cross = np.cross(up_vector, aim_positions)
        normal = cross / np.linalg.norm(cross, axis=-1, keepdims=True)
        angle = np.arctan2(np.linalg.norm(cross, axis=-1), np.sum(up_vector * aim_positions, -1))
        return cls(launch_positions, up_vector, np.cross(normal, up_vector), normal, angle,
                   aim[:, 2])

    def burnout_velocities(self, speed, flight_path_angle):
        return speed[:, None] * (np.cos(flight_path_angle)[:, None] * self.downrange
                                 + np.sin(flight_path_angle)[:, None] * self.up)

    def ground_range(self, positions):
        """Ground distance (m, on the sphere) from launch to positions, along the flight plane."""
        sine = np.sum(np.cross(self.up, positions) * self.normal, axis=-1)
        return EARTH_RADIUS_M * np.arctan2(sine, np.sum(self.up * positions, axis=-1))

    def repeat(self, copies):
        return Geometry(*(np.concatenate([getattr(self, name)] * copies) for name in
                          ("launch_positions", "up", "downrange", "normal", "range_angle",
                           "impact_altitude_m")))


def _newton_step(ranges, apogees, target_range, apogee_wanted):
    """Newton update (dv, dgamma) from the six-point stencil of ranges and apogees (6, N)."""
    r0, r_up, r_down, r_fast, r_fast_up, r_fast_down = ranges
    range_error = r0 - target_range
    range_by_speed = (r_fast - r0) / SPEED_STEP_MPS
    range_by_angle = (r_up - r_down) / (2 * ANGLE_STEP_RAD)
    curvature = (r_up + r_down - 2 * r0) / ANGLE_STEP_RAD**2
    cross = ((r_fast_up - r_fast_down) - (r_up - r_down)) / (2 * ANGLE_STEP_RAD * SPEED_STEP_MPS)
    minimum_energy = np.isnan(apogee_wanted)
    second_error = np.where(minimum_energy, range_by_angle, apogees[0] - apogee_wanted)
    second_by_speed = np.where(minimum_energy, cross, (apogees[3] - apogees[0]) / SPEED_STEP_MPS)
    second_by_angle = np.where(minimum_energy, curvature,
                               (apogees[1] - apogees[2]) / (2 * ANGLE_STEP_RAD))
    determinant = range_by_speed * second_by_angle - range_by_angle * second_by_speed
    speed_step = -(second_by_angle * range_error - range_by_angle * second_error) / determinant
    angle_step = -(range_by_speed * second_error - second_by_speed * range_error) / determinant
    converged = (np.abs(range_error) < RANGE_TOLERANCE_M) & np.where(
        minimum_energy, np.abs(angle_step) < ANGLE_TOLERANCE_RAD,
        np.abs(second_error) < APOGEE_TOLERANCE_M)
    return speed_step, angle_step, converged


def solve_burnout(plans: list[BallisticPlan], step_s=MAX_STEP_S, drag=True, iterations=30):
    """Burnout speed (m/s) and flight-path angle (rad) that put each plan on its aim point."""
    geometry = Geometry.of(plans)
    target_range = geometry.range_angle * EARTH_RADIUS_M
    launch_altitude = np.array([plan.launch_point[2] for plan in plans])
    apogee_wanted = np.array([np.nan if plan.apogee_m is None else plan.apogee_m
                              for plan in plans])
    speed, angle = minimum_energy_vacuum(target_range, launch_altitude)
    lofted = ~np.isnan(apogee_wanted)
    if lofted.any():
        speed[lofted], angle[lofted] = vacuum_burnout_for_apogee(
            target_range[lofted], apogee_wanted[lofted], launch_altitude[lofted])
    stencil_speed = np.array([0, 0, 0, 1, 1, 1])[:, None] * SPEED_STEP_MPS
    stencil_angle = np.array([0, 1, -1, 0, 1, -1])[:, None] * ANGLE_STEP_RAD
    batch, airframes = geometry.repeat(6), Airframes.of(plans, drag).repeat(6)
    circular = np.sqrt(GRAVITATIONAL_PARAMETER / np.linalg.norm(geometry.launch_positions, axis=-1))
    for _ in range(iterations):
        speeds = (speed + stencil_speed).ravel()
        angles = (angle + stencil_angle).ravel()
        flight = fly(batch.launch_positions, batch.burnout_velocities(speeds, angles),
                     batch.impact_altitude_m, airframes, step_s)
        ranges = batch.ground_range(flight.impact_positions).reshape(6, -1)
        speed_step, angle_step, converged = _newton_step(
            ranges, flight.apogee_m.reshape(6, -1), target_range, apogee_wanted)
        if converged.all():
            return speed, angle
        speed = np.clip(speed + np.clip(speed_step, -0.2 * speed, 0.2 * speed), 1.0,
                        0.99 * circular)
        angle = np.clip(angle + np.clip(angle_step, -0.1, 0.1), 0.01, 1.5)
    raise UserError(f"ballistic aiming did not converge for missile(s) "
                    f"{np.flatnonzero(~converged).tolist()}; check the apogee and range")


def sample_ballistic(plans: list[BallisticPlan], sample_dt_s: float,
                     drag=True) -> list[SampledTrajectory]:
    """Aim each plan, fly it, and sample it every `sample_dt_s` from burnout to impact."""
    substeps = int(np.ceil(sample_dt_s / MAX_STEP_S - 1e-9))
    step_s = sample_dt_s / substeps
    speed, angle = solve_burnout(plans, step_s, drag)
    geometry = Geometry.of(plans)
    flight = fly(geometry.launch_positions, geometry.burnout_velocities(speed, angle),
                 geometry.impact_altitude_m, Airframes.of(plans, drag), step_s, record=True)
    trajectories = []
    for index, plan in enumerate(plans):
        impact_time = flight.impact_time_s[index]
        steps = np.arange(0, len(flight.positions), substeps)
        steps = steps[steps * step_s < impact_time - 1e-6]
        times = np.r_[steps * step_s, impact_time]
        positions = np.concatenate([flight.positions[steps, index],
                                    flight.impact_positions[index][None]])
        velocities = np.concatenate([flight.velocities[steps, index],
                                     flight.impact_velocities[index][None]])
        speeds = np.linalg.norm(velocities, axis=-1)
        distance = np.r_[0.0, np.cumsum(0.5 * (speeds[1:] + speeds[:-1]) * np.diff(times))]
        trajectories.append(SampledTrajectory(plan.launch_time_s + times, positions, velocities,
                                              distance))
    return trajectories
