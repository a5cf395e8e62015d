"""The compiled look loop against the array kernels it stands for.

Geometry and coverage against `zenit.geo.horizon` (4/3 effective Earth: Skolnik, Introduction
to Radar Systems, 3rd ed., section 12.2); look times against `zenit.sensors.scan`'s clocks;
detection draws, Pd and plots against `RandomStreams`, `DetectionCurve.pd` and
`measurement.measurement_sigmas`.
"""

import math

import numpy as np
import pytest

import zenit
from zenit.engine import look_kernels
from zenit.engine.compile import compile_world
from zenit.engine.motion import move_threats
from zenit.engine.motion_bounds import motion_bounds
from zenit.compiled import kernel
from zenit.engine.sensing import (LAND_CLUTTER_GAMMA_DB, DrawCoordinates, JammersSeen,
                                  Site, Receiver, clutter_parameters, detection_curve,
                                  radar_coverage, radar_schedule)
from zenit.engine.streams import RandomStreams, stream_key
from zenit.geo import horizon
from zenit.geo.frames import EARTH_RADIUS_M, local_to_cartesian
from zenit.sensors import scan
from zenit.sensors.antenna import pattern_gain_db
from zenit.sensors.clutter import clutter_to_noise, clutter_to_noise_db
from zenit.sensors.measurement import MONOPULSE_SLOPE, measurement_sigmas

P = look_kernels


@pytest.fixture(scope="module")
def world():
    return compile_world(zenit.load_scenario("scenarios/regiment-vs-raid.yaml"))


def _site(east, north, height):
    return Site.of(np.asarray(local_to_cartesian(east, north, height), dtype=float), 0.0)


def _parameters(world, radar, **changes):
    """The radar's (schedule, coverage), with the fields named in `changes` replaced."""
    schedule = radar_schedule(world.radars, radar, 1.0)
    coverage = radar_coverage(world.radars, radar)
    return (schedule._replace(**{name: value for name, value in changes.items()
                                 if name in schedule._fields}),
            coverage._replace(**{name: value for name, value in changes.items()
                                 if name in coverage._fields}))


def _run(parameters, site, start, end, time_start, time_end, next_look=None, radar=0,
         confirmed=None, alive=None, speed=np.inf, highest=np.inf, visible_after=None):
    """One call of the scheduler; `speed` and `highest` bound every pair (inf: no skipping)."""
    replications, threats = start.shape[:2]
    alive = np.ones((replications, threats), bool) if alive is None else alive
    phase = np.ones((replications, threats), np.int8)
    next_look = np.zeros((replications, 1, threats)) if next_look is None else next_look
    confirmed = np.zeros((replications, threats), bool) if confirmed is None else confirmed
    if visible_after is None:
        visible_after = np.full(next_look.shape, -np.inf)
    empty = np.zeros(0, np.int64)
    found = P.scheduled_looks(radar, *parameters, site, alive, phase, next_look,
                              start, end, confirmed, np.zeros((0, 0), np.int64), empty, empty,
                              time_start, time_end, np.full((replications, threats), speed),
                              np.full((replications, threats), highest), visible_after)
    return found, next_look


@kernel
def _in_view_loop(site, points, heights, angles, seen):
    for i in range(points.shape[0]):
        angles[i] = horizon.effective_ground_angle(
            site.up, points[i, 0], points[i, 1], points[i, 2], site.earth_radius_m + heights[i],
            site.refraction)
        seen[i] = horizon.above_horizon(angles[i], site.horizon_angle, heights[i],
                                        site.effective_radius_m)


def _in_view(site, points, heights):
    """Effective ground angles and whether each point is above the site's horizon, as the
    scheduler decides."""
    angles, seen = np.empty(len(points)), np.empty(len(points), bool)
    _in_view_loop(site, np.ascontiguousarray(points), heights, angles, seen)
    return angles, seen


def test_kept_looks_are_exactly_those_in_coverage_and_above_the_horizon(world):
    generator = np.random.default_rng(21)
    site = _site(1_000.0, -2_000.0, 30.0)
    count = 4_000
    bearing = generator.uniform(0, 2 * np.pi, count)
    ground = generator.uniform(0.5e3, 420e3, count)
    height = np.exp(generator.uniform(np.log(5.0), np.log(40e3), count))
    targets = np.asarray(local_to_cartesian(1_000.0 + ground * np.sin(bearing),
                                            -2_000.0 + ground * np.cos(bearing), height),
                         dtype=float).reshape(1, count, 3)
    # A 90-degree sector, elevations -1..60 degrees, 1..400 km, below 30 km altitude; a
    # search frame of one step so that every pair is looked at once.
    parameters = _parameters(world, 2, search_frame_s=0.5, azimuth_centre_rad=np.pi / 3,
                             azimuth_width_rad=np.pi / 2, minimum_range_m=1e3,
                             maximum_range_m=400e3, minimum_elevation_rad=float(np.radians(-1.0)),
                             maximum_elevation_rad=float(np.radians(60)), maximum_altitude_m=30e3)
    (rows, threats, dwell, target, slant, direction, height_out, elevation), _ = _run(
        parameters, site, targets, targets, 0.0, 0.5)

    points = targets[0]
    reference_slant = horizon.slant_range(site.position, points)
    reference_elevation = horizon.elevation_angle(site.position, points)
    reference_height = np.linalg.norm(points, axis=-1) - EARTH_RADIUS_M
    expected = (horizon.above_smooth_horizon(site.position, points)
                & (reference_slant >= 1e3) & (reference_slant <= 400e3)
                & (reference_elevation >= np.radians(-1.0))
                & (reference_elevation <= np.radians(60)) & (reference_height <= 30e3)
                & scan.in_azimuth_sector(horizon.azimuth(site.position, points), np.pi / 3,
                                         np.pi / 2))
    assert 200 < expected.sum() < count - 200  # the test sees both sides of every limit
    np.testing.assert_array_equal(np.sort(threats), np.flatnonzero(expected))
    np.testing.assert_allclose(slant, reference_slant[threats], rtol=1e-12)
    np.testing.assert_allclose(elevation, reference_elevation[threats], atol=1e-9)
    np.testing.assert_allclose(height_out, reference_height[threats], atol=1e-6)
    np.testing.assert_allclose(direction * slant[:, None], points[threats] - site.position,
                               atol=1e-6)
    assert (rows == 0).all() and ((dwell >= 0.0) & (dwell < 0.5)).all()


def test_a_rotating_radar_looks_once_a_turn_at_the_beam_crossing(world):
    # scan.rotating_dwell: a clockwise beam crosses azimuth b at b / (2 pi) * period + k period.
    site = _site(0.0, 0.0, 10.0)
    bearings = np.radians([10.0, 100.0, 200.0, 359.0])
    targets = np.asarray(local_to_cartesian(50e3 * np.sin(bearings), 50e3 * np.cos(bearings),
                                            3e3), dtype=float).reshape(1, 4, 3)
    period, dt = 6.0, 0.5
    parameters = _parameters(world, 1, rotating=True, period_s=period)
    next_look = np.zeros((1, 1, 4))
    looks = []
    for step in range(int(30.0 / dt)):
        # The targets stand still: a speed bound of 0 is exact, and skips all it can.
        found, next_look = _run(parameters, site, targets, targets, step * dt, (step + 1) * dt,
                                next_look, speed=0.0, highest=3e3)
        looks += list(zip(found[1], found[2]))
    for threat, bearing in enumerate(bearings):
        times = sorted(time for which, time in looks if which == threat)
        actual_bearing = horizon.azimuth(site.position, targets[0, threat])
        crossing = period * actual_bearing / (2 * np.pi)
        expected = crossing + period * np.arange(5)
        np.testing.assert_allclose(times, expected[expected < 30.0], atol=1e-9)


def test_a_phased_array_revisits_confirmed_tracks_faster_than_it_searches(world):
    site = _site(0.0, 0.0, 10.0)
    targets = np.asarray(local_to_cartesian([20e3, 30e3], [20e3, -10e3], 5e3),
                         dtype=float).reshape(1, 2, 3)
    parameters = _parameters(world, 2, search_frame_s=4.0, maintenance_s=1.0,
                             azimuth_width_rad=2 * np.pi)
    confirmed = np.array([[True, False]])
    next_look = np.zeros((1, 1, 2))
    counts = np.zeros(2, int)
    for step in range(40):  # 20 s
        found, next_look = _run(parameters, site, targets, targets, step * 0.5,
                                (step + 1) * 0.5, next_look, confirmed=confirmed)
        np.add.at(counts, found[1], 1)
        for threat, time_s in zip(found[1], found[2]):
            revisit = 1.0 if threat == 0 else 4.0
            offset = (threat * P.GOLDEN % 1.0) * revisit
            looked, dwell = scan.periodic_dwell(step * 0.5, (step + 1) * 0.5, revisit, offset)
            assert looked and dwell == pytest.approx(time_s, abs=1e-12)
    np.testing.assert_array_equal(counts, [20, 5])


def test_dead_or_unlaunched_pairs_are_never_looked_at(world):
    site = _site(0.0, 0.0, 10.0)
    targets = np.asarray(local_to_cartesian([20e3] * 3, [0.0] * 3, 5e3), dtype=float).reshape(1, 3, 3)
    parameters = _parameters(world, 2, search_frame_s=0.5, azimuth_width_rad=2 * np.pi)
    alive = np.array([[True, False, True]])
    phase = np.array([[1, 1, 0]], np.int8)
    empty = np.zeros(0, np.int64)
    next_look = np.zeros((1, 1, 3))
    found = P.scheduled_looks(0, *parameters, site, alive, phase, next_look,
                              targets, targets, np.zeros((1, 3), bool),
                              np.zeros((0, 0), np.int64), empty, empty, 0.0, 0.5,
                              np.full((1, 3), np.inf), np.full((1, 3), np.inf),
                              np.full((1, 1, 3), -np.inf))
    np.testing.assert_array_equal(found[1], [0])
    np.testing.assert_array_equal(next_look[0, 0, 1:], [0.0, 0.0])  # not even scheduled


# -- what the scheduler skips: provably nothing that would have counted ---------------------

def _drive(world, replications, bounds, seed=3):
    """Every step of `world` through every radar's scheduler, the threats moved by
    `move_threats` on random launch delays and route offsets, with changing confirmed tracks
    and engagements and random kills. `bounds(lateral_offset)` gives (speed, height) (R, N).

    Returns each call's looks, how often each radar's `next_look` moved (its examinations,
    less those of a pair whose bearing did not change at all) and the final `visible_after`.
    """
    bank = world.threats.trajectories
    generator = np.random.default_rng(seed)
    threats, radars = bank.threat_count, world.radars.count
    shape = (replications, threats)
    time_offset = generator.normal(size=shape) * world.threats.launch_jitter_s
    lateral_offset = generator.normal(size=shape) * world.threats.lateral_sigma_m
    speed, height = bounds(lateral_offset)
    ground = world.metadata.get("radar_ground_m", {})
    sites = [Site.of(world.radars.position[radar], ground.get(radar, 0.0))
             for radar in range(radars)]
    parameters = [_parameters(world, radar) for radar in range(radars)]
    alive = np.ones(shape, bool)
    killed_at = generator.uniform(0.0, 1.5 * world.duration_s, shape)
    next_look = np.zeros((replications, radars, threats))
    visible_after = np.full((replications, radars, threats), -np.inf)
    position, velocity, phase = bank.state(0.0, time_offset, lateral_offset)
    pair = np.arange(threats)[None, :] + np.arange(replications)[:, None]
    looks, moved = [], np.zeros(radars, np.int64)
    for step in range(world.steps):
        time_start = step * world.dt_s
        time_end = min((step + 1) * world.dt_s, world.duration_s)
        new_position, new_velocity, phase = move_threats(bank, time_end, time_offset,
                                                         lateral_offset, alive, position, velocity)
        confirmed = (pair + step // 40) % 3 == 0
        for radar in range(radars):
            if world.radars.battalion[radar] >= 0:
                engaged = ((pair * 7 + step // 25) % 11 == 0).astype(np.int64)
                pending_count = np.full(replications, step % 2, np.int64)
                pending_target = np.full(replications, (step // 30) % threats, np.int64)
            else:
                engaged = np.zeros((0, 0), np.int64)
                pending_count = pending_target = np.zeros(0, np.int64)
            before = next_look[:, radar].copy()
            looks.append(P.scheduled_looks(
                radar, *parameters[radar], sites[radar], alive, phase, next_look,
                position, new_position, confirmed, engaged, pending_count, pending_target,
                time_start, time_end, speed, height, visible_after))
            moved[radar] += np.count_nonzero(next_look[:, radar] != before)
        alive &= killed_at > time_end
        position, velocity = new_position, new_velocity
    return looks, moved, visible_after


def _no_bounds(lateral_offset):
    return np.full(lateral_offset.shape, np.inf), np.full(lateral_offset.shape, np.inf)


@pytest.mark.parametrize("name", ["regiment-vs-raid", "terrain-masking"])
def test_skipping_changes_no_look_over_a_whole_scenario(name):
    world = compile_world(zenit.load_scenario(f"scenarios/{name}.yaml"))
    bank = world.threats.trajectories
    free, free_moved, _ = _drive(world, 3, _no_bounds)
    bounded, bounded_moved, visible_after = _drive(
        world, 3, lambda offset: motion_bounds(bank, offset))
    assert sum(found[0].size for found in free) > 10_000
    for expected, found in zip(free, bounded):
        for expected_array, found_array in zip(expected, found):
            np.testing.assert_array_equal(found_array, expected_array)
    # Rotating radars examine a pair about twice a turn instead of five times; the phased
    # arrays' schedules are untouched; some pairs were known to be out of coverage for a while.
    rotating = world.radars.rotating
    assert (bounded_moved[rotating] < 0.6 * free_moved[rotating]).all()
    assert (bounded_moved[~rotating] == free_moved[~rotating]).all()
    assert (visible_after > 0.0).any()


def test_skipping_keeps_every_look_at_targets_crossing_close_to_a_rotating_radar(world):
    # Straight, level flights, many of them passing within 3 km of the radar, up to 2 km/s:
    # bearings that swing fast, where the bound on the next crossing must give way.
    generator = np.random.default_rng(23)
    count = 600
    site = _site(0.0, 0.0, 20.0)
    heading = generator.uniform(0.0, 2 * np.pi, count)
    speed = generator.choice([50.0, 250.0, 700.0, 2000.0], count)
    velocity = speed[:, None] * np.stack([np.sin(heading), np.cos(heading)], axis=-1)
    miss = generator.uniform(-3e3, 3e3, count)[:, None] * np.stack(
        [np.cos(heading), -np.sin(heading)], axis=-1)
    start = np.where(generator.random(count)[:, None] < 0.5,
                     miss - velocity * generator.uniform(5.0, 60.0, count)[:, None],
                     generator.uniform(-60e3, 60e3, (count, 2)))
    height = generator.uniform(30.0, 12e3, count)

    def targets(time_s):
        ground = start + velocity * time_s
        return np.asarray(local_to_cartesian(ground[:, 0], ground[:, 1], height),
                          dtype=float).reshape(1, count, 3)

    for period, dt in [(10.0, 0.5), (6.0, 0.5), (4.0, 0.25)]:
        parameters = _parameters(world, 0, rotating=True, period_s=period)
        runs = []
        for bound in (np.inf, speed + 1.0):
            next_look = np.zeros((1, 1, count))
            visible_after = np.full((1, 1, count), -np.inf)
            found_times, moved = [], 0
            for step in range(int(90.0 / dt)):
                before = next_look.copy()
                found, next_look = _run(parameters, site, targets(step * dt),
                                        targets((step + 1) * dt), step * dt, (step + 1) * dt,
                                        next_look, speed=bound, highest=12e3,
                                        visible_after=visible_after)
                found_times.append((found[1], found[2]))
                moved += np.count_nonzero(next_look != before)
            runs.append((found_times, moved))
        (free, free_moved), (bounded, bounded_moved) = runs
        assert sum(threats.size for threats, _ in free) > 5 * count
        for (threats, times), (bounded_threats, bounded_times) in zip(free, bounded):
            np.testing.assert_array_equal(bounded_threats, threats)
            np.testing.assert_array_equal(bounded_times, times)
        assert bounded_moved < 0.6 * free_moved


def test_distances_to_the_sector_and_the_view_are_never_more_than_the_true_ones(world):
    generator = np.random.default_rng(24)
    # Sector: the least distance to in-sector points on a fine polar grid, from points outside.
    for _ in range(200):
        centre, width = generator.uniform(0.0, 2 * np.pi), generator.uniform(0.05, 6.2)
        ground = generator.uniform(1e3, 100e3)
        bearing = generator.uniform(0.0, 2 * np.pi)
        point = ground * np.array([np.sin(bearing), np.cos(bearing)])
        toward = point[0] * np.sin(centre) + point[1] * np.cos(centre)
        if toward >= np.cos(0.5 * width) * ground:
            continue
        across = abs(point[0] * np.cos(centre) - point[1] * np.sin(centre))
        distance = scan.distance_to_sector(toward, across, ground, np.cos(0.5 * width),
                                           np.sin(0.5 * width))
        radius = np.linspace(0.0, 2.0 * ground, 801)[:, None]
        angle = centre + 0.5 * width * np.linspace(-1.0, 1.0, 801)[None, :]
        inside = np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=-1)
        nearest = np.linalg.norm(inside - point, axis=-1).min()
        assert distance <= nearest + 1e-6
        assert distance >= nearest - 2.0 * ground * (2.0 / 800 + width / 800)
    # View: no point at or below `highest` in view is nearer than the distance.
    site = _site(0.0, 0.0, 30.0)
    bounded = 0
    for _ in range(100):
        highest = float(np.exp(generator.uniform(np.log(10.0), np.log(30e3))))
        ground = generator.uniform(50e3, 900e3)
        height = generator.uniform(0.0, highest)
        point = np.asarray(local_to_cartesian(0.0, ground, height), dtype=float)
        angles, in_view = _in_view(site, point[None, :], np.array([height]))
        if in_view[0]:
            continue
        distance = horizon.distance_to_view(angles[0], EARTH_RADIUS_M + height, highest,
                                            site.horizon_angle, site.effective_radius_m,
                                            site.refraction)
        bounded += distance > 0.0
        grounds = np.linspace(0.0, ground, 400)[:, None]
        heights = np.linspace(0.0, highest, 60)[None, :]
        shape = np.broadcast_shapes(grounds.shape, heights.shape)
        candidates = np.asarray(local_to_cartesian(np.zeros(shape), grounds + 0 * heights,
                                                   heights + 0 * grounds), dtype=float)
        _, seen = _in_view(site, candidates.reshape(-1, 3),
                           np.ascontiguousarray(np.broadcast_to(heights, shape)).ravel())
        nearest = np.linalg.norm(candidates.reshape(-1, 3)[seen] - point, axis=-1).min()
        assert distance <= nearest + 1e-6
    assert bounded > 20


def test_detections_and_plots_equal_the_array_reference(world):
    generator = np.random.default_rng(22)
    radar = 2
    radars = world.radars
    count = 5_000
    streams = RandomStreams(987654321)
    rows = generator.integers(0, 50, count)
    threats = generator.integers(0, world.threats.count, count)
    replication_ids = np.arange(1000, 1050)
    slant = np.exp(generator.uniform(np.log(2e3), np.log(400e3), count))
    # A third of the looks low enough for the ground to be in the main beam.
    elevation = np.where(generator.random(count) < 0.3, generator.uniform(-0.01, 0.03, count),
                         generator.uniform(0.05, 1.0, count))
    site = Site.of(np.array([0.0, 0.0, EARTH_RADIUS_M + 25.0]), 5.0)
    # Two jammers per replication, one silent in half of them; a 2-degree beam, -30 dB sidelobes.
    jammer_direction = generator.normal(size=(50, 2, 3))
    jammer_direction /= np.linalg.norm(jammer_direction, axis=-1, keepdims=True)
    jammer_peak = generator.exponential(1e4, (50, 2)) * np.r_[1.0, 0.0][None, :]
    jammer_peak[::2, 1] = 5e3
    pattern = np.array([np.radians(2.0), -30.0])
    receiver = Receiver.of(world, radar, site)._replace(beamwidth_azimuth_rad=pattern[0],
                                                        sidelobe_level_db=pattern[1])
    up = np.array([0.0, 0.0, 1.0])
    direction = generator.normal(size=(count, 3))
    direction /= np.linalg.norm(direction, axis=-1, keepdims=True)
    direction[::7] = jammer_direction[rows[::7], 0]  # some beams straight at a jammer
    target = direction * slant[:, None]
    measurement = np.array([radars.range_resolution_m[radar], radars.beamwidth_azimuth_rad[radar],
                            radars.beamwidth_elevation_rad[radar], MONOPULSE_SLOPE, 5.0, 2e-4])
    step = 17
    base = radar * world.threats.count
    draws = DrawCoordinates(stream_key(streams, "detection"), stream_key(streams, "measurement"),
                            replication_ids, base, step)
    detected, position, covariance = P.detect_and_plot(
        receiver, world.threats.rcs_db, world.threats.swerling, rows, threats, slant, elevation,
        target, direction, JammersSeen(jammer_direction, jammer_peak), draws, up)

    off_boresight = np.arccos(np.clip(np.einsum("cjk,ck->cj", jammer_direction[rows], direction),
                                      -1.0, 1.0))
    jamming = np.sum(jammer_peak[rows] * 10 ** (pattern_gain_db(off_boresight, *pattern) / 10),
                     axis=-1)
    clutter = reference_clutter(radars, radar, slant, elevation)
    assert (clutter > 10.0).sum() > 50  # clutter above noise is in play
    interference = clutter + jamming
    assert (jamming[::7] > 100.0).all()  # main-lobe jamming is in play
    snr_db = (radars.loop_gain_db[radar] + 10 * np.log10(world.threats.rcs_m2[threats])
              - 40 * np.log10(slant) - 10 * np.log10(1 + interference))
    probability = np.empty(count)
    for case in np.unique(world.threats.swerling[threats]):
        chosen = world.threats.swerling[threats] == case
        curve = detection_curve(float(radars.pfa[radar]), int(radars.pulses[radar]), int(case))
        probability[chosen] = curve.pd(snr_db[chosen])
    ids = replication_ids[rows]
    expected = streams.uniform("detection", ids, base + threats, step) < probability
    assert 0.1 < expected.mean() < 0.9
    np.testing.assert_array_equal(detected, expected)

    found = np.flatnonzero(expected)
    sigmas = measurement_sigmas(snr_db[found], *measurement[[0, 1, 2]], 5.0, 2e-4, 2e-4,
                                MONOPULSE_SLOPE)
    radial = direction[found]
    across = np.cross(up, radial)
    horizontal = np.maximum(np.linalg.norm(across, axis=-1), 1e-3)
    across /= horizontal[:, None]
    above = np.cross(radial, across)
    scale = np.stack([sigmas[:, 0], slant[found] * sigmas[:, 1] * horizontal,
                      slant[found] * sigmas[:, 2]], axis=-1)
    normals = np.stack([streams.normal("measurement", ids[found], base + threats[found], step, k)
                        for k in range(3)], axis=-1)
    axes = np.stack([radial, across, above], axis=-2)
    np.testing.assert_allclose(position[found],
                               target[found] + np.einsum("da,dak->dk", scale * normals, axes),
                               rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(covariance[found],
                               np.einsum("da,dai,daj->dij", scale**2, axes, axes),
                               rtol=1e-10, atol=1e-9)
    assert math.isclose(np.abs(position[~expected]).sum(), 0.0)


def reference_clutter(radars, radar, slant, elevation):
    """C/N after Doppler processing (linear) by `zenit.sensors.clutter.clutter_to_noise_db`, for
    an antenna 20 m up; zero above three beamwidths of elevation, as the kernels do."""
    with np.errstate(divide="ignore"):
        clutter_db = clutter_to_noise_db(radars.loop_gain_db[radar], slant, elevation, 20.0,
                                         LAND_CLUTTER_GAMMA_DB, radars.beamwidth_azimuth_rad[radar],
                                         radars.beamwidth_elevation_rad[radar],
                                         radars.range_resolution_m[radar],
                                         radars.sidelobe_level_db[radar])
    low = elevation < 3.0 * radars.beamwidth_elevation_rad[radar]
    return np.where(low, 10 ** ((clutter_db - radars.clutter_improvement_db[radar]) / 10), 0.0)


def test_clutter_to_noise_equals_the_array_reference(world):
    # The kernel works in linear terms (no dB), so the two agree to rounding, not bit for bit.
    generator = np.random.default_rng(5)
    radars, radar = world.radars, 2
    site = Site.of(np.array([0.0, 0.0, EARTH_RADIUS_M + 25.0]), 5.0)
    params = clutter_parameters(world, radar, site)
    slant = np.exp(generator.uniform(np.log(1e2), np.log(400e3), 4_000))
    elevation = generator.uniform(-0.02, 0.06, slant.size)
    found = np.array([clutter_to_noise(params, r, e) for r, e in zip(slant, elevation)])
    expected = reference_clutter(radars, radar, slant, elevation)
    assert (expected > 0.0).sum() > 1_000 and (expected == 0.0).sum() > 500
    np.testing.assert_allclose(found, expected, rtol=1e-12, atol=0.0)


def test_jammers_in_view_equal_the_array_reference(world):
    from zenit.engine.sensing import JammerField
    from zenit.sensors.jamming import jammer_to_noise_db

    generator = np.random.default_rng(9)
    radars, jammers, radar = world.radars, world.jammers, 1
    assert jammers.count > 0
    site = _site(0.0, 0.0, 30.0)
    replications = 40
    east, north = generator.uniform(-450e3, 450e3, (2, replications, jammers.count))
    height = generator.uniform(0.0, 12e3, (replications, jammers.count))
    positions = np.asarray(local_to_cartesian(east, north, height), dtype=float)
    active = generator.random((replications, jammers.count)) < 0.8
    field = JammerField(world, radar, site, replications).see(positions, active)

    offset = positions - site.position
    distance = np.linalg.norm(offset, axis=-1)
    np.testing.assert_allclose(field.direction, offset / distance[..., None], atol=1e-15)
    visible = active & horizon.above_smooth_horizon(site.position, positions)
    assert 0 < (visible.sum()) < (active.sum())  # some beyond the horizon
    expected = np.where(visible, 10 ** (jammer_to_noise_db(
        jammers.erp_w, jammers.bandwidth_hz, radars.antenna_gain_db[radar],
        radars.wavelength_m[radar], distance, radars.system_temperature_k[radar],
        radars.noise_bandwidth_hz[radar]) / 10), 0.0)
    np.testing.assert_allclose(field.peak, expected, rtol=1e-12, atol=0.0)


def test_squared_angle_is_the_arc_cosine_squared():
    cosine = np.concatenate([1.0 - np.geomspace(1e-16, 2.0, 3_000), [1.0, 1.0 + 1e-16, -1.0]])
    found = np.array([horizon.squared_angle(c) for c in cosine])
    np.testing.assert_allclose(found, np.arccos(np.clip(cosine, -1.0, 1.0)) ** 2, rtol=1e-15,
                               atol=0.0)


def test_arc_cosine_is_acos_to_rounding():
    cosine = np.concatenate([1.0 - np.geomspace(1e-16, 2.0, 3_000), [1.0, 1.0 + 1e-16, -1.0]])
    found = np.array([horizon.arc_cosine(c) for c in cosine])
    np.testing.assert_allclose(found, np.arccos(np.clip(cosine, -1.0, 1.0)), rtol=1e-15,
                               atol=0.0)
