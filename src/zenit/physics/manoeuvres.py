"""Terminal manoeuvres: a lateral weave and a pop-up-and-dive onto the target.

Both act on a threat's nominal path. The weave is a sideways sinusoid in time added to the
sampled trajectory, with its velocity, so positions and velocities stay consistent; the
threat's progress along its path is unchanged, so it flies slightly faster while weaving.
The pop-up reshapes the altitude profile against ground distance before the route is timed
(`pop_up_dive_altitude`), so the threat keeps its planned speed through climb and dive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zenit.errors import UserError
from zenit.geo.frames import up


@dataclass(frozen=True)
class Weave:
    """A lateral sinusoid of `amplitude_m`, `period_s`, flown in the last `start_distance_m`."""

    amplitude_m: float
    period_s: float
    start_distance_m: float

    def __post_init__(self):
        for name in ("period_s", "start_distance_m"):
            if not getattr(self, name) > 0:
                raise UserError(f"weave {name} must be positive, got {getattr(self, name)}")


@dataclass(frozen=True)
class PopUpDive:
    """Climb `climb_m` from `start_distance_m` before the target, then dive at `dive_angle_rad`."""

    climb_m: float
    start_distance_m: float
    dive_angle_rad: float

    def __post_init__(self):
        if not self.start_distance_m > 0:
            raise UserError(f"pop-up start_distance_m must be positive, got "
                            f"{self.start_distance_m}")
        if not 0 < self.dive_angle_rad < np.pi / 2:
            raise UserError(f"pop-up dive_angle_rad must lie in (0, pi/2), got "
                            f"{self.dive_angle_rad}")


@dataclass(frozen=True)
class SampledTrajectory:
    """One threat's nominal flight at sample times: the input of the trajectory bank."""

    times_s: np.ndarray       # (T,) absolute times, launch first, arrival or impact last
    positions: np.ndarray     # (T, 3) engine frame
    velocities: np.ndarray    # (T, 3) engine frame
    distance_m: np.ndarray    # (T,) path length flown since launch


def smoothstep(x):
    """0 below 0, 1 above 1, 3x^2 - 2x^3 between: a ramp with zero slope at both ends."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def smoothstep_slope(x):
    """Derivative of `smoothstep` with respect to x."""
    inside = (x > 0.0) & (x < 1.0)
    return np.where(inside, 6.0 * x * (1.0 - x), 0.0)


def lateral_directions(positions, velocities):
    """Unit horizontal vectors to the left of the velocity: up x velocity, normalised."""
    left = np.cross(up(positions), velocities)
    norm = np.linalg.norm(left, axis=-1, keepdims=True)
    return left / np.maximum(norm, 1e-12)


def apply_weave(trajectory: SampledTrajectory, weave: Weave) -> SampledTrajectory:
    """Add the weave's sideways sinusoid over the last `start_distance_m` of the path.

    offset(t) = amplitude * envelope(t) * sin(2 pi (t - t_start) / period), where the envelope
    rises and falls as a smoothstep over one period (or half the weave, if shorter), so the
    offset and its rate are zero where the weave begins and at the target.
    """
    times, distance = trajectory.times_s, trajectory.distance_m
    start_distance = max(distance[-1] - weave.start_distance_m, 0.0)
    start_time = np.interp(start_distance, distance, times)
    duration = times[-1] - start_time
    if duration <= 0:
        return trajectory
    ramp = min(weave.period_s, duration / 2.0)
    elapsed = times - start_time
    rise, fall = elapsed / ramp, (duration - elapsed) / ramp
    envelope = smoothstep(rise) * smoothstep(fall)
    envelope_rate = (smoothstep_slope(rise) * smoothstep(fall)
                     - smoothstep(rise) * smoothstep_slope(fall)) / ramp
    omega = 2.0 * np.pi / weave.period_s
    phase = omega * np.clip(elapsed, 0.0, None)
    offset = weave.amplitude_m * envelope * np.sin(phase)
    offset_rate = weave.amplitude_m * (envelope_rate * np.sin(phase)
                                       + envelope * omega * np.cos(phase))
    left = lateral_directions(trajectory.positions, trajectory.velocities)
    left_rate = np.gradient(left, times, axis=0)
    positions = trajectory.positions + offset[:, None] * left
    velocities = (trajectory.velocities + offset_rate[:, None] * left
                  + offset[:, None] * left_rate)
    return SampledTrajectory(times, positions, velocities, distance)


def _averaged_ramp(x, width, cap=np.inf):
    """Box average over `width` of clip(x, 0, cap): the ramp with rounded (parabolic) corners."""
    def integral(y):
        above = 0.0 if np.isinf(cap) else cap * np.maximum(y - cap, 0.0)
        return 0.5 * np.clip(y, 0.0, cap) ** 2 + above
    return (integral(x + width / 2.0) - integral(x - width / 2.0)) / width


def pop_up_dive_altitude(distance_to_go_m, altitude_m, final_altitude_m, manoeuvre: PopUpDive,
                         climb_angle_rad: float, speed_mps: float, pitch_rate_rad_s: float):
    """Altitude profile (against ground distance to go) with a pop-up and a final dive.

    From `start_distance_m` to go the threat climbs at `climb_angle_rad` until it is `climb_m`
    above its nominal profile, then flies that raised profile until the straight line that
    meets the target at `dive_angle_rad` lies below it, and follows that line down. Each
    corner is rounded: the gradient changes linearly over tan(angle) x speed / pitch_rate of
    ground, so the pitch rate stays within the limit (the dive entry's rounding is capped at
    the climb height, which keeps the final point on the target).
    """
    distance_to_go_m = np.asarray(distance_to_go_m, dtype=float)
    altitude_m = np.asarray(altitude_m, dtype=float)
    climb_slope = np.tan(climb_angle_rad)
    dive_slope = np.tan(manoeuvre.dive_angle_rad)
    turn_radius_m = speed_mps / pitch_rate_rad_s
    rise = _averaged_ramp((manoeuvre.start_distance_m - distance_to_go_m) * climb_slope,
                          turn_radius_m * climb_slope**2, manoeuvre.climb_m)
    raised = altitude_m + rise
    dive_line = final_altitude_m + distance_to_go_m * dive_slope
    final_rise = rise[np.argmin(distance_to_go_m)]
    if final_rise <= 0:
        return np.minimum(raised, dive_line)
    width = min(turn_radius_m * dive_slope**2, final_rise)
    return raised - _averaged_ramp(raised - dive_line, width)


def sample_times(duration_s: float, sample_dt_s: float):
    """0, dt, 2 dt, ... up to and including `duration_s` (the last interval may be shorter)."""
    if not sample_dt_s > 0:
        raise UserError(f"sample_dt_s must be positive, got {sample_dt_s}")
    times = np.arange(int(np.ceil(duration_s / sample_dt_s)) + 1) * sample_dt_s
    return np.r_[times[times < duration_s - 1e-6], duration_s]
