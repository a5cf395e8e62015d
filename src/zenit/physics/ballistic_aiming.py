"""Aiming a ballistic missile: burnout speed and flight-path angle that reach the aim point.

The flight stays in the plane of the launch point, the aim point and the Earth's centre, so
two unknowns remain: burnout speed v and flight-path angle gamma. Newton's method on
(range error, dRange/dgamma) gives the minimum-energy trajectory (the least speed that
reaches the aim point, i.e. the angle of greatest range); on (range error, apogee error) it
gives a trajectory with the requested apogee. Derivatives are finite differences, flown in
the same batch as the nominal missiles. The vacuum closed forms seed the iteration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from zenit.errors import UserError
from zenit.geo.frames import EARTH_RADIUS_M, local_to_cartesian
from zenit.physics.ballistic_flight import MAX_STEP_S, Airframes, fly
from zenit.physics.vacuum_arcs import (GRAVITATIONAL_PARAMETER, minimum_energy_vacuum,
                                       vacuum_burnout_for_apogee)

if TYPE_CHECKING:
    from zenit.physics.ballistic import BallisticPlan

RANGE_TOLERANCE_M = 0.1
APOGEE_TOLERANCE_M = 0.5
ANGLE_TOLERANCE_RAD = 1e-6
SPEED_STEP_MPS = 0.5                       # finite-difference steps of the Newton Jacobian
ANGLE_STEP_RAD = 1e-3
NEWTON_ITERATIONS = 30
MAX_SPEED_CHANGE = 0.2                     # of the speed, per Newton step
MAX_ANGLE_CHANGE_RAD = 0.1                 # per Newton step
MIN_BURNOUT_SPEED_MPS = 1.0
MAX_CIRCULAR_FRACTION = 0.99               # burnout stays below the circular orbit speed
MIN_FLIGHT_PATH_ANGLE_RAD = 0.01
MAX_FLIGHT_PATH_ANGLE_RAD = 1.5


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


def solve_burnout(plans: list[BallisticPlan], step_s=MAX_STEP_S, drag=True,
                  iterations=NEWTON_ITERATIONS):
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
        speed = np.clip(speed + np.clip(speed_step, -MAX_SPEED_CHANGE * speed,
                                        MAX_SPEED_CHANGE * speed),
                        MIN_BURNOUT_SPEED_MPS, MAX_CIRCULAR_FRACTION * circular)
        angle = np.clip(angle + np.clip(angle_step, -MAX_ANGLE_CHANGE_RAD, MAX_ANGLE_CHANGE_RAD),
                        MIN_FLIGHT_PATH_ANGLE_RAD, MAX_FLIGHT_PATH_ANGLE_RAD)
    raise UserError(f"ballistic aiming did not converge for missile(s) "
                    f"{np.flatnonzero(~converged).tolist()}; check the apogee and range")

