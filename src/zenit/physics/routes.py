"""Waypoint routes over the round Earth: great-circle legs joined by rate-limited turns.

Geometry. Legs are great circles between the waypoints' ground points. At each inner
waypoint the threat flies by: a circular turn of radius r = v / max_turn_rate, tangent to
both legs, starting r tan(|turn|/2) before the waypoint (the arc is laid out on the
azimuthal equidistant map about the waypoint, which meets both great circles exactly at its
ends). Where the legs are too short for that (sharp turns, reversals) it flies over the
waypoint instead, turns at the same radius until it heads for the next waypoint and flies
straight there. v is the largest speed the threat can have on the arc (the greatest of the
speeds at this waypoint and its neighbours), so the heading rate never exceeds the limit.

Profile. Altitude is a function of ground distance along the track, with its knots at the
points of closest approach to the waypoints. Without terrain following it is linear between
knots and its gradient must respect `max_climb_angle_rad`. With terrain following the
waypoint altitudes are clearances: the floor terrain + clearance is sampled every
`TERRAIN_STEP_M` and lifted to the lowest profile whose gradient stays within the climb
angle (the forward-backward envelope max_j floor_j - tan(angle) |s - s_j|): it never cuts
into a ridge and hugs valleys as far as the gradient allows (see `terrain_floor` for how
the terrain between nodes is covered). The profile is piecewise linear: gradients are
limited, pitch rate is not.

Timing. Speed is linear in time between knots (constant acceleration along each leg), so a
leg of path length L flown from v0 to v1 takes 2 L / (v0 + v1). Speeds are true 3-D speeds
along the path at altitude.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import maximum_filter1d

from zenit.errors import UserError
from zenit.geo.frames import EARTH_RADIUS_M, cartesian_to_local, local_to_cartesian
from zenit.physics.manoeuvres import (PopUpDive, SampledTrajectory, Weave, apply_weave,
                                      pop_up_dive_altitude, sample_times)

TRACK_STEP_M = 1000.0      # node spacing on great-circle legs (chord sag < 0.1 mm)
ARC_STEP_RAD = 0.002       # node spacing on turn arcs (sag < 1e-6 of the radius)
TERRAIN_STEP_M = 10.0      # node spacing of the terrain-following profile
TERRAIN_SUBSTEPS = 4       # terrain samples per node spacing
POP_UP_STEP_M = 0.5        # node spacing of the pop-up profile (its corners are rounded)
DEFAULT_MAX_CLIMB_ANGLE_RAD = 0.26  # about 15 deg of climb or dive
MINIMUM_LEG_M = 1.0        # waypoints closer than this on the ground are refused
SAME_PLACE_M = 1e-3        # closer than this the threat is at the waypoint: no leg to fly
STRAIGHT_TURN_RAD = 1e-9   # smaller turns at a waypoint are flown straight through
REVERSAL_MARGIN_RAD = 1e-6  # a turn this close to a reversal has no fly-by lead
SLOPE_TOLERANCE = 1e-9     # relative slack of the climb-angle check (rounding)
BELOW_GROUND_TOLERANCE_M = 1e-6


@dataclass(frozen=True)
class RoutePlan:
    """One threat flying waypoints (east_m, north_m, altitude_m on the origin's map)."""

    launch_time_s: float
    waypoints: np.ndarray
    speeds_mps: np.ndarray
    max_turn_rate_rad_s: float
    terrain_following: bool = False
    max_climb_angle_rad: float = DEFAULT_MAX_CLIMB_ANGLE_RAD
    manoeuvre: Weave | PopUpDive | None = None

    def __post_init__(self):
        waypoints = np.asarray(self.waypoints, dtype=float)
        speeds = np.asarray(self.speeds_mps, dtype=float)
        if waypoints.ndim != 2 or waypoints.shape[1] != 3 or len(waypoints) < 2:
            raise UserError(f"route waypoints must be a (K, 3) array with K >= 2, got shape "
                            f"{waypoints.shape}")
        if speeds.shape != (len(waypoints),):
            raise UserError(f"route needs one speed per waypoint: {len(waypoints)} waypoints, "
                            f"speeds of shape {speeds.shape}")
        if not np.all(speeds > 0):
            raise UserError(f"route speeds must be positive, got {speeds.tolist()}")
        if not self.max_turn_rate_rad_s > 0:
            raise UserError(f"max_turn_rate_rad_s must be positive, got {self.max_turn_rate_rad_s}")
        if not 0 < self.max_climb_angle_rad < np.pi / 2:
            raise UserError(f"max_climb_angle_rad must lie in (0, pi/2), got "
                            f"{self.max_climb_angle_rad}")
        object.__setattr__(self, "waypoints", waypoints)
        object.__setattr__(self, "speeds_mps", speeds)


@dataclass(frozen=True)
class GroundTrack:
    """The flown ground track: nodes with their along-track ground distance."""

    distance_m: np.ndarray            # (G,) ground distance along the track on the sphere
    directions: np.ndarray            # (G, 3) unit vectors from the Earth's centre
    tangents: np.ndarray              # (G, 3) unit horizontal directions of travel
    waypoint_distance_m: np.ndarray   # (K,) distance at closest approach to each waypoint

    def at(self, distance_m):
        """Unit direction and unit tangent at ground distances (interpolated, renormalised)."""
        directions = _interpolate_rows(distance_m, self.distance_m, self.directions)
        tangents = _interpolate_rows(distance_m, self.distance_m, self.tangents)
        tangents -= np.sum(tangents * directions, axis=-1, keepdims=True) * directions
        return _normalise(directions), _normalise(tangents)


def _normalise(vectors):
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)


def _interpolate_rows(x, xp, rows):
    return np.stack([np.interp(x, xp, rows[:, axis]) for axis in range(rows.shape[1])], axis=-1)


def _great_circle_tangent(start, end):
    """Unit direction of travel at `start` along the great circle to `end`."""
    return _normalise(end - np.sum(start * end, axis=-1, keepdims=True) * start)


def _ground_distance(a, b):
    return EARTH_RADIUS_M * np.arctan2(np.linalg.norm(np.cross(a, b)), np.dot(a, b))


def _signed_angle(first, second, axis):
    """Angle from `first` to `second` about `axis`, left (counter-clockwise) positive."""
    return np.arctan2(np.sum(np.cross(first, second) * axis, axis=-1),
                      np.sum(first * second, axis=-1))


def _exponential_map(centre, offset):
    """Point reached from unit vector `centre` along the horizontal offset (m), geodesically."""
    length = np.linalg.norm(offset, axis=-1, keepdims=True)
    angle = length / EARTH_RADIUS_M
    unit = offset / np.maximum(length, 1e-300)
    return centre * np.cos(angle) + unit * np.sin(angle)


def _leg_nodes(start, heading, length_m):
    """Nodes along the great circle leaving unit vector `start` along `heading` for length_m."""
    count = max(int(np.ceil(length_m / TRACK_STEP_M)), 1) + 1
    along = np.linspace(0.0, length_m, count)
    angle = (along / EARTH_RADIUS_M)[:, None]
    directions = start * np.cos(angle) + heading * np.sin(angle)
    tangents = -start * np.sin(angle) + heading * np.cos(angle)
    return along, directions, tangents


def _arc_nodes(waypoint, incoming, side, radius_m, lead_m, sweep):
    """Nodes of a turn of `radius_m` to the `side` (+1 left) through `sweep`, starting lead_m
    before `waypoint` on the incoming great circle (laid out on the azimuthal equidistant map
    about the waypoint)."""
    left = np.cross(waypoint, incoming)
    count = max(int(np.ceil(np.max(sweep) / ARC_STEP_RAD)), 1) + 1
    theta = np.linspace(0.0, np.max(sweep), count)[:, None]
    offset = ((radius_m * np.sin(theta) - lead_m) * incoming
              + side * radius_m * (1.0 - np.cos(theta)) * left)
    planar_tangent = np.cos(theta) * incoming + side * np.sin(theta) * left
    directions = _exponential_map(waypoint, offset)
    tangents = planar_tangent - np.sum(planar_tangent * directions, axis=-1,
                                       keepdims=True) * directions
    return radius_m * theta[:, 0], directions, _normalise(tangents)


def _fly_over_sweep(waypoint, incoming, side, radius_m, target):
    """Turn angle after which a turn begun over `waypoint` heads straight for `target`."""
    along, directions, tangents = _arc_nodes(waypoint, incoming, side, radius_m, 0.0,
                                             2.0 * np.pi)
    remaining = side * _signed_angle(tangents, _great_circle_tangent(directions, target),
                                     directions)
    crossing = np.flatnonzero((remaining[:-1] > 0) & (remaining[1:] <= 0)
                              & (remaining[:-1] - remaining[1:] < np.pi))
    if crossing.size == 0:
        return None
    i = crossing[0]
    fraction = remaining[i] / (remaining[i] - remaining[i + 1])
    return (along[i] + fraction * (along[i + 1] - along[i])) / radius_m


def ground_points(waypoints):
    """Unit vectors from the Earth's centre under each waypoint (east, north on the map)."""
    points = local_to_cartesian(waypoints[:, 0], waypoints[:, 1], np.zeros(len(waypoints)))
    return points / EARTH_RADIUS_M


def turn_radii(plan: RoutePlan):
    """Turn radius at each waypoint: the fastest speed possible on its arc over the rate limit."""
    speeds = plan.speeds_mps
    fastest = np.maximum(speeds, np.maximum(np.r_[speeds[0], speeds[:-1]],
                                            np.r_[speeds[1:], speeds[-1]]))
    return fastest / plan.max_turn_rate_rad_s


class _TrackBuilder:
    """Accumulates track pieces and waypoint knots while the route is laid out."""

    def __init__(self, start, heading):
        self.pieces, self.knots, self.travelled = [], [0.0], 0.0
        self.position, self.heading = start, heading

    def add(self, along, directions, tangents):
        self.pieces.append((self.travelled + along, directions, tangents))
        self.travelled += along[-1]
        self.position, self.heading = directions[-1], tangents[-1]

    def knot(self, distance_m):
        self.knots.append(distance_m)

    def track(self):
        distance = np.concatenate([piece[0] for piece in self.pieces])
        keep = np.r_[True, np.diff(distance) > 1e-9]
        return GroundTrack(distance[keep], np.concatenate([p[1] for p in self.pieces])[keep],
                           np.concatenate([p[2] for p in self.pieces])[keep],
                           np.asarray(self.knots))


def build_ground_track(plan: RoutePlan) -> GroundTrack:
    """Great-circle legs joined by fly-by turns, or fly-over turns where those do not fit.

    A fly-by turn needs r tan(|turn|/2) of straight leg on both sides of its waypoint. Where
    that is not there (sharp turns, reversals, short legs) the threat flies over the
    waypoint, turns at the same radius until it heads for the next waypoint, and flies
    straight there.
    """
    points = ground_points(plan.waypoints)
    lengths = np.array([_ground_distance(a, b) for a, b in zip(points[:-1], points[1:])])
    if np.any(lengths < MINIMUM_LEG_M):
        leg = int(np.argmin(lengths))
        raise UserError(f"route waypoints {leg} and {leg + 1} are less than {MINIMUM_LEG_M:g} m "
                        f"apart on the ground; remove one of them")
    radii = turn_radii(plan)
    builder = _TrackBuilder(points[0], _great_circle_tangent(points[0], points[1]))
    for index in range(1, len(points)):
        waypoint = points[index]
        incoming_m = _ground_distance(builder.position, waypoint)
        incoming = (-_great_circle_tangent(waypoint, builder.position) if incoming_m > SAME_PLACE_M
                    else builder.heading)
        heading = (_great_circle_tangent(builder.position, waypoint) if incoming_m > SAME_PLACE_M
                   else builder.heading)
        if index == len(points) - 1:
            builder.add(*_leg_nodes(builder.position, heading, incoming_m))
            builder.knot(builder.travelled)
            break
        following = points[index + 1]
        turn = float(_signed_angle(incoming, _great_circle_tangent(waypoint, following),
                                   waypoint))
        side, sweep, radius = (1.0 if turn >= 0 else -1.0), abs(turn), radii[index]
        lead = radius * np.tan(sweep / 2.0) if sweep < np.pi - REVERSAL_MARGIN_RAD else np.inf
        fly_by = lead <= min(incoming_m, _ground_distance(waypoint, following))
        if incoming_m - (lead if fly_by else 0.0) > SAME_PLACE_M:
            builder.add(*_leg_nodes(builder.position, heading,
                                    incoming_m - (lead if fly_by else 0.0)))
        if sweep < STRAIGHT_TURN_RAD:
            builder.knot(builder.travelled)
            continue
        if not fly_by:
            builder.knot(builder.travelled)
            lead, sweep = 0.0, _fly_over_sweep(waypoint, incoming, side, radius, following)
            if sweep is None:
                raise UserError(
                    f"route waypoint {index + 1} lies within the {radius:.0f} m turn circle "
                    f"after waypoint {index}; move it further away or raise "
                    f"max_turn_rate_rad_s ({plan.max_turn_rate_rad_s})")
        else:
            builder.knot(builder.travelled + radius * sweep / 2.0)
        builder.add(*_arc_nodes(waypoint, incoming, side, radius, lead, sweep))
    return builder.track()


def terrain_floor(track: GroundTrack, clearances_m, terrain):
    """Nodes every TERRAIN_STEP_M and the floor (terrain + clearance) the profile must clear.

    Each node holds the highest floor sampled every TERRAIN_SUBSTEPS-th of a step within one
    step either side, so the straight profile segment between two nodes clears every sample
    on it: only a crest sharper than the sub-step can poke through (by at most slope x
    sub-step / 2, a few decimetres), at the price of up to slope x step of extra clearance
    on slopes.
    """
    total_m = track.waypoint_distance_m[-1]
    count = int(np.ceil(total_m / TERRAIN_STEP_M))
    fine = np.linspace(0.0, total_m, count * TERRAIN_SUBSTEPS + 1)
    floor = (terrain_elevation(track, fine, terrain)
             + np.interp(fine, track.waypoint_distance_m, clearances_m))
    pooled = maximum_filter1d(floor, size=2 * TERRAIN_SUBSTEPS + 1, mode="nearest")
    return fine[::TERRAIN_SUBSTEPS], pooled[::TERRAIN_SUBSTEPS]


def lipschitz_envelope(distance_m, floor_m, gradient):
    """Lowest profile >= floor whose slope never exceeds `gradient`: max_j floor_j - g|s - s_j|."""
    forward = np.maximum.accumulate(floor_m + gradient * distance_m) - gradient * distance_m
    backward = (np.maximum.accumulate((floor_m - gradient * distance_m)[::-1])[::-1]
                + gradient * distance_m)
    return np.maximum(np.maximum(forward, backward), floor_m)


def altitude_profile(plan: RoutePlan, track: GroundTrack, terrain=None):
    """Ground distances and altitudes (piecewise linear between them) of the flown profile."""
    knots, altitudes = track.waypoint_distance_m, plan.waypoints[:, 2]
    gradient = np.tan(plan.max_climb_angle_rad)
    if plan.terrain_following:
        if terrain is None:
            raise UserError("a terrain-following route needs terrain; give the scenario a "
                            "terrain or set terrain_following: false")
        distance, floor = terrain_floor(track, altitudes, terrain)
        profile = lipschitz_envelope(distance, floor, gradient)
    else:
        slopes = np.abs(np.diff(altitudes)) / np.diff(knots)
        if np.any(slopes > gradient * (1 + SLOPE_TOLERANCE)):
            leg = int(np.argmax(slopes))
            raise UserError(
                f"route leg {leg} -> {leg + 1} changes altitude by "
                f"{altitudes[leg + 1] - altitudes[leg]:.0f} m over {np.diff(knots)[leg]:.0f} m, "
                f"steeper than max_climb_angle_rad={plan.max_climb_angle_rad}; lengthen the leg "
                f"to at least {abs(altitudes[leg + 1] - altitudes[leg]) / gradient:.0f} m")
        distance, profile = knots, altitudes
    if isinstance(plan.manoeuvre, PopUpDive):
        rounding_m = plan.speeds_mps[-1] / plan.max_turn_rate_rad_s
        start = max(knots[-1] - plan.manoeuvre.start_distance_m - rounding_m, 0.0)
        count = int(np.ceil((knots[-1] - start) / POP_UP_STEP_M)) + 1
        dense = np.union1d(distance, np.linspace(start, knots[-1], count))
        profile = pop_up_dive_altitude(knots[-1] - dense, np.interp(dense, distance, profile),
                                       profile[-1], plan.manoeuvre, plan.max_climb_angle_rad,
                                       plan.speeds_mps[-1], plan.max_turn_rate_rad_s)
        distance = dense
    if terrain is not None:
        check_below_ground(track, distance, profile, terrain)
    return distance, profile


def check_below_ground(track: GroundTrack, distance_m, profile_m, terrain):
    """Refuse a profile that dips below the terrain anywhere (checked every TERRAIN_STEP_M)."""
    count = int(np.ceil(distance_m[-1] / TERRAIN_STEP_M)) + 1
    check = np.union1d(distance_m, np.linspace(0.0, distance_m[-1], count))
    depth = terrain_elevation(track, check, terrain) - np.interp(check, distance_m, profile_m)
    if np.any(depth > BELOW_GROUND_TOLERANCE_M):
        raise UserError(f"route flies {depth.max():.0f} m below the terrain "
                        f"{check[np.argmax(depth)]:.0f} m along its track; raise the waypoints, "
                        f"set terrain_following: true or steepen a pop-up's dive")


def terrain_elevation(track: GroundTrack, distance_m, terrain):
    """Terrain height under the track at ground distances."""
    directions, _ = track.at(distance_m)
    east, north, _ = cartesian_to_local(directions * EARTH_RADIUS_M)
    return np.asarray(terrain.elevation(east, north), dtype=float)


def path_length(ground_m, altitude_m):
    """3-D path length flown at altitude against ground distance (cumulative, from 0)."""
    radius = EARTH_RADIUS_M + altitude_m
    horizontal = 0.5 * (radius[1:] + radius[:-1]) * np.diff(ground_m) / EARTH_RADIUS_M
    return np.r_[0.0, np.cumsum(np.hypot(np.diff(altitude_m), horizontal))]


def sample_route(plan: RoutePlan, sample_dt_s: float, terrain=None) -> SampledTrajectory:
    """The route flown from launch to the final waypoint, sampled every `sample_dt_s`."""
    track = build_ground_track(plan)
    profile_distance, profile_altitude = altitude_profile(plan, track, terrain)
    ground = np.union1d(track.distance_m, profile_distance)
    path = path_length(ground, np.interp(ground, profile_distance, profile_altitude))
    knot_path = np.interp(track.waypoint_distance_m, ground, path)

    start_speed, end_speed = plan.speeds_mps[:-1], plan.speeds_mps[1:]
    leg_time = 2.0 * np.diff(knot_path) / (start_speed + end_speed)
    acceleration = (end_speed - start_speed) / leg_time
    knot_time = np.r_[0.0, np.cumsum(leg_time)]
    elapsed = sample_times(knot_time[-1], sample_dt_s)
    leg = np.clip(np.searchsorted(knot_time, elapsed, side="right") - 1, 0, len(leg_time) - 1)
    into_leg = elapsed - knot_time[leg]
    flown = knot_path[leg] + start_speed[leg] * into_leg + 0.5 * acceleration[leg] * into_leg**2
    speed = start_speed[leg] + acceleration[leg] * into_leg

    along = np.interp(flown, path, ground)
    directions, tangents = track.at(along)
    altitude = np.interp(along, profile_distance, profile_altitude)
    segment = np.clip(np.searchsorted(profile_distance, along, side="right") - 1, 0,
                      len(profile_distance) - 2)
    slope = np.diff(profile_altitude)[segment] / np.diff(profile_distance)[segment]
    heading = _normalise(slope[:, None] * directions
                         + ((EARTH_RADIUS_M + altitude) / EARTH_RADIUS_M)[:, None] * tangents)
    trajectory = SampledTrajectory(plan.launch_time_s + elapsed,
                                   (EARTH_RADIUS_M + altitude)[:, None] * directions,
                                   speed[:, None] * heading, flown)
    if isinstance(plan.manoeuvre, Weave):
        trajectory = apply_weave(trajectory, plan.manoeuvre)
    return trajectory
