"""Compile a resolved scenario into the engine's arrays (`World`).

This is where catalogue figures become kernel inputs: radars are calibrated from their
published detection figure, missile types get their 3-DOF parameters and flyout tables,
battalions their inventories and channel limits, threats their nominal trajectories.
Flyout tables take about a second per missile type to fly, so they are kept per process.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from zenit.engine.world import (AssetArrays, BattalionArrays, Doctrine, JammerArrays,
                                MissileTypeArrays, RadarArrays, ThreatArrays, World)
from zenit.errors import UserError
from zenit.geo.frames import EARTH_RADIUS_M, local_to_cartesian
from zenit.physics.ballistic import BallisticPlan
from zenit.physics.flyout import FlyoutTable
from zenit.physics.guidance_modes import GUIDANCE_ACTIVE_RADAR, GUIDANCE_CODES
from zenit.physics.interceptor import InterceptorParameters
from zenit.physics.manoeuvres import PopUpDive, Weave
from zenit.physics.routes import RoutePlan
from zenit.physics.threats import TrajectoryBank
from zenit.sensors.radar_equation import calibrate_loop_gain_db

SPEED_OF_LIGHT_MPS = 299_792_458.0
# Modelling choices with no public figure behind them (see docs/design.md, "Assumptions").
VERTICAL_LAUNCH_TIME_S = 1.5  # cold-launched S-400 rounds: ejection, then motor and turn-over
NAVIGATION_CONSTANT = 4.0  # typical effective PN constant, 3-5 (Zarchan, ch. 2)
LOOK_DELAY_S = 5.0  # kill assessment after an intercept, before a re-engagement
TRACK_QUALITY_M = 2_000.0  # largest RMS position error of an engageable track
WEAVE_PERIOD_S = 8.0
WEAVE_START_M = 20_000.0
WEAVE_MAX_AMPLITUDE_M = 150.0
POP_UP_CLIMB_M = 400.0
POP_UP_START_M = 10_000.0
POP_UP_DIVE_RAD = math.radians(30.0)
MINIMUM_TURN_ACCELERATION = 9.80665  # threats can always manage a 1 g turn
FLYOUT_TIME_S = 600.0  # long enough for the 40N6E to reach 400 km
# Tracked with the IMM of CV and horizontal coordinated turns: threats that turn. A pop-up and
# dive is a vertical manoeuvre the turn models do not describe; those threats keep the CV
# filter, whose process noise follows their manoeuvre capability.
MANOEUVRING_CATEGORIES = ("fighter", "low_observable_fighter")
TURNING_MANOEUVRES = ("weave",)
POLICY_SALVO = {"shoot-look-shoot": 1, "shoot-shoot-look": 2}
CONFIRM_HITS, CONFIRM_LOOKS, DROP_MISSES = 2, 3, 4  # M-of-N track confirmation, then drop
FLIGHT_TIME_MARGIN_S = 20.0  # a round flies this much longer than its longest table entry
UNREACHABLE_FLIGHT_TIME_S = 300.0  # flight time of a round whose table reaches nowhere
DEFAULT_FRAME_TIME_S = 10.0  # scan period of a radar whose catalogue entry gives none
MINIMUM_CLEARANCE_M = 10.0  # terrain-following threats fly at least this high


def compile_world(scenario) -> World:
    battalions = scenario.battalions()
    missile_names = _missile_names(battalions)
    missiles = _missile_arrays(scenario, missile_names)
    radars, networks, radar_battalion, fire_control = _radar_arrays(scenario)
    return World(
        name=scenario.name,
        dt_s=scenario.simulation.dt_s,
        duration_s=scenario.simulation.duration_s,
        threats=_threat_arrays(scenario),
        radars=radars,
        missiles=missiles,
        battalions=_battalion_arrays(battalions, missile_names, networks, radar_battalion,
                                     fire_control),
        assets=_asset_arrays(scenario),
        jammers=_jammer_arrays(scenario),
        doctrine=_doctrine(scenario),
        network_count=max(networks.values(), default=-1) + 1,
        terrain=scenario.ground,
        origin=scenario.origin,
        metadata={"radar_ground_m": _radar_ground(scenario)},
    )


def _frame(point, height_m=0.0):
    return local_to_cartesian(point.east_m, point.north_m, point.altitude_m + height_m)


def _missile_names(battalions) -> list[str]:
    names: list[str] = []
    for battalion in battalions:
        for name in list(battalion.ready_rounds()) + list(battalion.reloads):
            if name not in names:
                names.append(name)
    return names


def _interceptor_parameters(entries) -> InterceptorParameters:
    def column(name):
        return np.array([entry.value(name) for entry in entries], dtype=float)

    boost_thrust = column("boost_thrust")
    return InterceptorParameters(
        launch_mass_kg=column("launch_mass"),
        propellant_mass_kg=column("propellant_mass"),
        boost_thrust_n=boost_thrust,
        boost_time_s=column("boost_time"),
        sustain_thrust_n=boost_thrust * column("sustain_thrust_fraction"),
        sustain_time_s=column("sustain_time"),
        reference_area_m2=column("reference_area"),
        max_lateral_acceleration_mps2=column("maximum_lateral_acceleration"),
        normal_force_coefficient_max=column("normal_force_coefficient_max"),
        vertical_launch_time_s=np.array([VERTICAL_LAUNCH_TIME_S if entry.value("vertical_launch")
                                         else 0.0 for entry in entries]),
        drag_coefficient_scale=np.ones(len(entries)),
    )


@lru_cache(maxsize=64)
def _flyout(values: tuple) -> FlyoutTable:
    """One missile type's flyout table, flown once per process for each distinct airframe."""
    names = [field for field in InterceptorParameters.__dataclass_fields__
             if field != "drag_profile"]
    parameters = InterceptorParameters(**dict(zip(names, values)))
    return FlyoutTable.build(parameters, vertical_launch=parameters.vertical_launch_time_s > 0.0,
                             max_time_s=FLYOUT_TIME_S)


def missile_flyout(entry) -> FlyoutTable:
    """The flyout table of one catalogue missile (overrides applied), cached per process."""
    parameters = _interceptor_parameters([entry]).take(np.array(0))
    return _flyout(tuple(float(getattr(parameters, field))
                         for field in InterceptorParameters.__dataclass_fields__
                         if field != "drag_profile"))


def _missile_arrays(scenario, names) -> MissileTypeArrays:
    entries = [scenario.missiles[name] for name in names]
    parameters = _interceptor_parameters(entries)
    tables = [missile_flyout(entry) for entry in entries]

    def column(name, default=np.nan):
        return np.array([entry.value(name) if entry.has(name) else default for entry in entries],
                        dtype=float)

    guidance = np.array([GUIDANCE_CODES[entry.value("guidance")] for entry in entries], dtype=np.int64)
    flight_time = np.array([np.nanmax(table.time_of_flight_grid_s) + FLIGHT_TIME_MARGIN_S
                            if np.isfinite(table.time_of_flight_grid_s).any()
                            else UNREACHABLE_FLIGHT_TIME_S for table in tables])
    return MissileTypeArrays(
        names=list(names), guidance=guidance, parameters=parameters, flyout=tables,
        minimum_range_m=column("minimum_range"), maximum_range_m=column("maximum_range"),
        minimum_altitude_m=column("minimum_altitude"), maximum_altitude_m=column("maximum_altitude"),
        maximum_flight_time_s=flight_time,
        seeker_acquisition_range_m=np.where(guidance == GUIDANCE_ACTIVE_RADAR,
                                            column("seeker_acquisition_range", 0.0), 0.0),
        lethal_radius_m=column("lethal_radius"), pk_max=column("pk_max"),
        navigation_constant=np.full(len(entries), NAVIGATION_CONSTANT),
    )


def _radar_arrays(scenario):
    """Radars in order (regiment-level, then battalions'), their networks and battalions."""
    from zenit.scenario.model import Regiment

    sites, networks = [], {}
    battalion_index = 0
    for network, unit in enumerate(scenario.defence):
        networks[unit.name] = network
        units = list(unit.battalions) if isinstance(unit, Regiment) else [unit]
        if isinstance(unit, Regiment):
            sites += [(radar, network, -1) for radar in unit.radars]
        for battalion in units:
            networks[battalion.name] = network
            sites += [(radar, network, battalion_index) for radar in battalion.radars]
            battalion_index += 1
    radar_battalion = [site[2] for site in sites]
    entries = [radar.entry for radar, _, _ in sites]

    def column(name, default=np.nan):
        return np.array([entry.value(name) if entry.has(name) else default for entry in entries],
                        dtype=float)

    heights = [radar.mast_entry.value("height") if radar.mast_entry is not None
               else radar.entry.value("antenna_height") for radar, _, _ in sites]
    position = np.array([_frame(radar.position, height) for (radar, _, _), height
                         in zip(sites, heights)]).reshape(-1, 3)
    loop_gain = np.array([calibrate_loop_gain_db(
        entry.value("reference_range"), entry.value("reference_rcs"), entry.value("reference_pd"),
        entry.value("reference_pfa"), int(entry.value("pulses_integrated")),
        int(entry.value("reference_swerling"))) for entry in entries], dtype=float)
    rotating = np.array([entry.value("scan") == "rotating" for entry in entries], dtype=bool)
    frame_time = np.where(rotating, column("rotation_period", DEFAULT_FRAME_TIME_S),
                          column("search_frame_time", DEFAULT_FRAME_TIME_S))
    arrays = RadarArrays(
        names=[radar.name for radar, _, _ in sites], types=[radar.type for radar, _, _ in sites],
        network=np.array([site[1] for site in sites], dtype=np.int64),
        battalion=np.array(radar_battalion, dtype=np.int64),
        position=position, loop_gain_db=loop_gain, pfa=column("reference_pfa"),
        pulses=column("pulses_integrated").astype(np.int64), rotating=rotating,
        rotation_period_s=column("rotation_period", DEFAULT_FRAME_TIME_S),
        search_frame_s=frame_time,
        track_revisit_s=column("track_revisit_time"), minimum_range_m=column("minimum_range", 0.0),
        instrumented_range_m=column("instrumented_range"),
        minimum_elevation_rad=column("minimum_elevation"),
        maximum_elevation_rad=column("maximum_elevation"),
        maximum_altitude_m=column("maximum_altitude"),
        azimuth_centre_rad=_sector_centres(scenario, position, column("azimuth_coverage")),
        azimuth_width_rad=column("azimuth_coverage"),
        beamwidth_azimuth_rad=column("beamwidth_azimuth"),
        beamwidth_elevation_rad=column("beamwidth_elevation"),
        range_resolution_m=column("range_resolution"),
        wavelength_m=SPEED_OF_LIGHT_MPS / column("frequency"),
        antenna_gain_db=column("antenna_gain"), sidelobe_level_db=column("sidelobe_level"),
        noise_bandwidth_hz=column("noise_bandwidth"),
        system_temperature_k=column("system_temperature"),
        clutter_improvement_db=column("clutter_improvement_factor", 0.0),
    )
    fire_control = [entry.value("role") == "fire_control" for entry in entries]
    return arrays, networks, radar_battalion, fire_control


def _sector_centres(scenario, radar_positions, widths):
    """Sector radars face the threat axis: from the defended assets toward the mean launch point."""
    from zenit.geo.horizon import azimuth

    launches = [_frame(group.launch) for group in scenario.threats]
    if not launches:
        return np.zeros(len(widths))
    axis_point = np.mean(launches, axis=0)
    return np.array([azimuth(position, axis_point) for position in radar_positions]).reshape(-1)


def _radar_ground(scenario):
    """Ground height under each radar, for its clutter geometry over terrain."""
    return {index: radar.position.altitude_m for index, radar in enumerate(scenario.radars())}


def _battalion_arrays(battalions, missile_names, networks, radar_battalion, fire_control_radar):
    count, types = len(battalions), len(missile_names)
    ready = np.zeros((count, types), dtype=np.int64)
    spare = np.zeros((count, types), dtype=np.int64)
    per_reload = np.zeros((count, types), dtype=np.int64)
    reload_time = np.zeros(count)
    position = np.zeros((count, 3))
    for row, battalion in enumerate(battalions):
        for name, rounds in battalion.ready_rounds().items():
            ready[row, missile_names.index(name)] = rounds
        for name, rounds in battalion.reloads.items():
            spare[row, missile_names.index(name)] = rounds
        for launcher in battalion.launchers:
            for name, rounds in launcher.rounds.items():
                per_reload[row, missile_names.index(name)] = max(
                    per_reload[row, missile_names.index(name)], rounds)
        reload_time[row] = max((launcher.entry.value("reload_time") for launcher in battalion.launchers),
                               default=np.inf)
        launchers = [_frame(launcher.position) for launcher in battalion.launchers]
        position[row] = np.mean(launchers, axis=0) if launchers else _frame(battalion.position)
    fire_control = np.zeros((count, len(radar_battalion)), dtype=bool)
    for radar, battalion in enumerate(radar_battalion):
        if battalion >= 0 and fire_control_radar[radar]:
            fire_control[battalion, radar] = True

    def value(name):
        return np.array([battalion.entry.value(name) for battalion in battalions], dtype=float)

    return BattalionArrays(
        names=[battalion.name for battalion in battalions],
        network=np.array([networks[battalion.name] for battalion in battalions], dtype=np.int64),
        position=position, fire_control_radars=fire_control, ready_rounds=ready,
        spare_rounds=spare, rounds_per_reload=per_reload, reload_time_s=reload_time,
        targets_at_once=value("targets_engaged_at_once").astype(np.int64),
        missiles_at_once=value("missiles_guided_at_once").astype(np.int64),
        reaction_time_s=value("reaction_time"), launch_interval_s=value("launch_interval"),
    )


def _asset_arrays(scenario) -> AssetArrays:
    assets = scenario.assets
    return AssetArrays(
        names=[asset.name for asset in assets],
        position=np.array([_frame(asset.position) for asset in assets]).reshape(-1, 3),
        value=np.array([asset.value for asset in assets], dtype=float),
        radius_m=np.array([asset.radius_m for asset in assets], dtype=float),
    )


def _threat_plan(threat, ground):
    entry = threat.entry
    profile = entry.value("profile")
    launch = np.array([threat.launch.east_m, threat.launch.north_m, threat.launch.altitude_m])
    route = [np.array([point.position.east_m, point.position.north_m, point.position.altitude_m])
             for point in threat.route]
    if profile == "ballistic":
        return BallisticPlan(launch_time_s=threat.launch_time_s, launch_point=launch,
                             aim_point=route[-1], mass_kg=entry.value("mass"),
                             reference_area_m2=entry.value("reference_area"))
    terrain_following = profile == "terrain_following" and ground is not None
    waypoints = np.array([launch] + route)
    if terrain_following:
        clearance = [point.height_m if point.height_m is not None
                     else point.position.altitude_m - float(ground.elevation(point.position.east_m,
                                                                             point.position.north_m))
                     for point in threat.route]
        start_clearance = max(threat.launch.altitude_m
                              - float(ground.elevation(launch[0], launch[1])), MINIMUM_CLEARANCE_M)
        waypoints[:, 2] = np.maximum([start_clearance] + clearance, MINIMUM_CLEARANCE_M)
    speeds = np.array([threat.route[0].speed_mps] + [point.speed_mps for point in threat.route])
    lateral = max(entry.value("maximum_lateral_acceleration"), MINIMUM_TURN_ACCELERATION)
    return RoutePlan(launch_time_s=threat.launch_time_s, waypoints=waypoints, speeds_mps=speeds,
                     max_turn_rate_rad_s=lateral / float(np.max(speeds)),
                     terrain_following=terrain_following,
                     manoeuvre=_manoeuvre(entry.value("terminal_manoeuvre"), lateral))


def _manoeuvre(kind, lateral_acceleration):
    if kind == "weave":
        angular = 2.0 * math.pi / WEAVE_PERIOD_S
        amplitude = min(lateral_acceleration / angular**2, WEAVE_MAX_AMPLITUDE_M)
        return Weave(amplitude, WEAVE_PERIOD_S, WEAVE_START_M)
    if kind == "popup_dive":
        return PopUpDive(POP_UP_CLIMB_M, POP_UP_START_M, POP_UP_DIVE_RAD)
    return None


def threat_trajectories(scenario) -> TrajectoryBank:
    """Every threat's nominal trajectory flown once (a route that cannot be flown is a UserError)."""
    threats = scenario.expanded_threats()
    plans = [_threat_plan(threat, scenario.ground) for threat in threats]
    try:
        return TrajectoryBank.build(plans, terrain=scenario.ground)
    except UserError as error:
        for threat, plan in zip(threats, plans):  # name the threat whose route fails
            try:
                TrajectoryBank.build([plan], terrain=scenario.ground)
            except UserError as failure:
                raise UserError(f"threat {threat.name!r} (group {threat.group!r}): {failure}") from None
        raise error


def _threat_arrays(scenario) -> ThreatArrays:
    threats = scenario.expanded_threats()
    asset_names = [asset.name for asset in scenario.assets]
    bank = threat_trajectories(scenario)

    def value(name):
        return np.array([threat.entry.value(name) for threat in threats], dtype=float)

    targets = [threat.route[-1].target if threat.route else None for threat in threats]
    categories = [threat.entry.value("category") for threat in threats]
    return ThreatArrays(
        names=[threat.name for threat in threats], groups=[threat.group for threat in threats],
        types=[threat.type for threat in threats], trajectories=bank,
        rcs_m2=value("rcs"), swerling=value("swerling").astype(np.int64),
        is_decoy=np.array([category == "decoy" for category in categories], dtype=bool),
        target_asset=np.array([asset_names.index(target) if target in asset_names else -1
                               for target in targets], dtype=np.int64),
        launch_jitter_s=np.array([threat.launch_time_sigma_s for threat in threats], dtype=float),
        lateral_sigma_m=np.array([threat.lateral_sigma_m for threat in threats], dtype=float),
        manoeuvre_acceleration=value("maximum_lateral_acceleration"),
        manoeuvring=np.array([threat.entry.value("terminal_manoeuvre") in TURNING_MANOEUVRES
                              or category in MANOEUVRING_CATEGORIES
                              for threat, category in zip(threats, categories)], dtype=bool),
    )


def _jammer_arrays(scenario) -> JammerArrays:
    threats = scenario.expanded_threats()
    names, escorted, positions, erp, bandwidth, start = [], [], [], [], [], []
    for jammer in scenario.jammers:
        if jammer.mode == "self-screening":
            carriers = [index for index, threat in enumerate(threats) if threat.group == jammer.escorts]
        else:
            carriers = [-1]
        for carrier in carriers:
            names.append(jammer.name if carrier < 0 else f"{jammer.name}@{threats[carrier].name}")
            escorted.append(carrier)
            positions.append(_frame(jammer.position) if jammer.position is not None
                             else np.array([0.0, 0.0, EARTH_RADIUS_M]))
            erp.append(jammer.erp_w)
            bandwidth.append(jammer.bandwidth_hz)
            start.append(jammer.start_s)
    count = len(names)
    return JammerArrays(
        names=names, escorted_threat=np.array(escorted, dtype=np.int64),
        position=np.array(positions, dtype=float).reshape(count, 3),
        erp_w=np.array(erp, dtype=float), bandwidth_hz=np.array(bandwidth, dtype=float),
        start_s=np.array(start, dtype=float), stop_s=np.full(count, np.inf),
    )


def _doctrine(scenario) -> Doctrine:
    doctrine = scenario.doctrine
    return Doctrine(
        salvo_size=POLICY_SALVO.get(doctrine.policy, doctrine.salvo),
        look_delay_s=LOOK_DELAY_S,
        assignment=doctrine.assignment,
        engage_decoys=doctrine.engage_decoys,
        track_quality_m=TRACK_QUALITY_M,
        confirm_hits=CONFIRM_HITS, confirm_looks=CONFIRM_LOOKS, drop_misses=DROP_MISSES,
    )
