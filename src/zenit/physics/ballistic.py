"""Ballistic missiles: a 3-DOF point mass over the round Earth, aimed by Newton iteration.

A `BallisticPlan` is one missile from burnout at its launch point (boost is treated as
impulsive: the burnout speed and flight-path angle are given at the launch point) to impact
at its aim point. `sample_ballistic` aims every plan (`zenit.physics.ballistic_aiming`,
seeded by the vacuum arcs of `zenit.physics.vacuum_arcs`), flies it
(`zenit.physics.ballistic_flight`: gravity and drag, RK4) and samples it for the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zenit.errors import UserError
from zenit.physics.ballistic_aiming import Geometry, solve_burnout
from zenit.physics.ballistic_flight import MAX_STEP_S, Airframes, fly
from zenit.physics.drag import check_profile
from zenit.physics.manoeuvres import SampledTrajectory

MINIMUM_GROUND_RANGE_M = 1_000.0           # aim points closer to the launch point are refused
STEP_ROUNDING = 1e-9                       # slack when the sample step divides into RK4 steps
LAST_SAMPLE_GAP_S = 1e-6                   # a sample closer than this to impact is the impact


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
        if np.hypot(*(self.aim_point[:2] - self.launch_point[:2])) < MINIMUM_GROUND_RANGE_M:
            raise UserError(f"ballistic aim point is less than {MINIMUM_GROUND_RANGE_M / 1e3:g} km "
                            "from the launch point on the ground; move it further away")
        check_profile(self.drag_profile)


def sample_ballistic(plans: list[BallisticPlan], sample_dt_s: float,
                     drag=True) -> list[SampledTrajectory]:
    """Aim each plan, fly it, and sample it every `sample_dt_s` from burnout to impact."""
    substeps = int(np.ceil(sample_dt_s / MAX_STEP_S - STEP_ROUNDING))
    step_s = sample_dt_s / substeps
    speed, angle = solve_burnout(plans, step_s, drag)
    geometry = Geometry.of(plans)
    flight = fly(geometry.launch_positions, geometry.burnout_velocities(speed, angle),
                 geometry.impact_altitude_m, Airframes.of(plans, drag), step_s, record=True)
    trajectories = []
    for index, plan in enumerate(plans):
        impact_time = flight.impact_time_s[index]
        steps = np.arange(0, len(flight.positions), substeps)
        steps = steps[steps * step_s < impact_time - LAST_SAMPLE_GAP_S]
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
