"""The compiled world: a scenario as the arrays the engine runs on.

Everything here is SI and indexed by entity: threats (N), radars (S), battalions (B),
missile types (K), assets (A), jammers (J), radar networks (Q). A network is the set of
radars whose detections feed one fused picture: a regiment's command post, or a battalion
standing alone. Nothing here varies between replications; what does is drawn by the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class ThreatArrays:
    names: list[str]
    groups: list[str]
    types: list[str]
    trajectories: object  # zenit.physics.threats.TrajectoryBank
    rcs_m2: np.ndarray
    swerling: np.ndarray  # int, 0-4
    is_decoy: np.ndarray  # bool: a decoy hits nothing when it leaks
    target_asset: np.ndarray  # int, -1 when the threat is aimed at no asset
    launch_jitter_s: np.ndarray  # sigma of the per-replication launch-time variation
    lateral_sigma_m: np.ndarray  # sigma of the per-replication route offset
    manoeuvre_acceleration: np.ndarray  # m/s², sets the trackers' process noise
    manoeuvring: np.ndarray  # bool: tracked with an IMM of CV and coordinated turns

    @property
    def count(self) -> int:
        return len(self.names)

    @property
    def rcs_db(self) -> np.ndarray:
        return 10.0 * np.log10(self.rcs_m2)


@dataclass
class RadarArrays:
    names: list[str]
    types: list[str]
    network: np.ndarray  # int (S,)
    battalion: np.ndarray  # int (S,), -1 for regiment-level radars
    position: np.ndarray  # (S, 3) frame position of the antenna phase centre
    loop_gain_db: np.ndarray  # SNR = loop + 10 log10(rcs) - 40 log10(range)
    pfa: np.ndarray
    pulses: np.ndarray  # int
    rotating: np.ndarray  # bool; else phased array
    rotation_period_s: np.ndarray
    search_frame_s: np.ndarray
    track_revisit_s: np.ndarray
    minimum_range_m: np.ndarray
    instrumented_range_m: np.ndarray
    minimum_elevation_rad: np.ndarray
    maximum_elevation_rad: np.ndarray
    maximum_altitude_m: np.ndarray
    azimuth_centre_rad: np.ndarray
    azimuth_width_rad: np.ndarray
    beamwidth_azimuth_rad: np.ndarray
    beamwidth_elevation_rad: np.ndarray
    range_resolution_m: np.ndarray
    wavelength_m: np.ndarray
    antenna_gain_db: np.ndarray
    sidelobe_level_db: np.ndarray
    noise_bandwidth_hz: np.ndarray
    system_temperature_k: np.ndarray
    clutter_improvement_db: np.ndarray

    @property
    def count(self) -> int:
        return len(self.names)


@dataclass
class MissileTypeArrays:
    names: list[str]
    guidance: np.ndarray  # int: a zenit.physics.guidance_modes GUIDANCE_* code
    parameters: object  # zenit.physics.interceptor parameters, one row per type
    flyout: list  # zenit.physics.flyout.FlyoutTable per type
    minimum_range_m: np.ndarray
    maximum_range_m: np.ndarray
    minimum_altitude_m: np.ndarray
    maximum_altitude_m: np.ndarray
    maximum_flight_time_s: np.ndarray
    seeker_acquisition_range_m: np.ndarray
    lethal_radius_m: np.ndarray
    pk_max: np.ndarray
    navigation_constant: np.ndarray

    @property
    def count(self) -> int:
        return len(self.names)


@dataclass
class BattalionArrays:
    names: list[str]
    network: np.ndarray  # int (B,)
    position: np.ndarray  # (B, 3): the launchers' centroid, where missiles start
    fire_control_radars: np.ndarray  # bool (B, S)
    ready_rounds: np.ndarray  # int (B, K): rounds in launcher tubes at the start
    spare_rounds: np.ndarray  # int (B, K): reload rounds
    rounds_per_reload: np.ndarray  # int (B, K): rounds one reload cycle brings
    reload_time_s: np.ndarray
    targets_at_once: np.ndarray  # int (B,)
    missiles_at_once: np.ndarray  # int (B,)
    reaction_time_s: np.ndarray
    launch_interval_s: np.ndarray

    @property
    def count(self) -> int:
        return len(self.names)


@dataclass
class AssetArrays:
    names: list[str]
    position: np.ndarray  # (A, 3)
    value: np.ndarray
    radius_m: np.ndarray

    @property
    def count(self) -> int:
        return len(self.names)


@dataclass
class JammerArrays:
    names: list[str]
    escorted_threat: np.ndarray  # int (J,): the threat a self-screening jammer rides on, else -1
    position: np.ndarray  # (J, 3) for stand-off jammers
    erp_w: np.ndarray  # effective radiated power density over its bandwidth, W
    bandwidth_hz: np.ndarray
    start_s: np.ndarray
    stop_s: np.ndarray

    @property
    def count(self) -> int:
        return len(self.names)


@dataclass
class Doctrine:
    salvo_size: int  # missiles per engagement before looking
    look_delay_s: float  # kill assessment time after an intercept
    assignment: str  # "greedy" (batched maximum marginal return) or "exact"
    engage_decoys: bool
    track_quality_m: float  # largest position sigma a track may have to be engaged
    confirm_hits: int  # M of the M-of-N confirmation
    confirm_looks: int  # N
    drop_misses: int  # consecutive missed looks that drop a track


@dataclass
class World:
    name: str
    dt_s: float
    duration_s: float
    threats: ThreatArrays
    radars: RadarArrays
    missiles: MissileTypeArrays
    battalions: BattalionArrays
    assets: AssetArrays
    jammers: JammerArrays
    doctrine: Doctrine
    network_count: int
    terrain: object | None = None
    origin: object | None = None
    metadata: dict = field(default_factory=dict)

    @property
    def steps(self) -> int:
        return int(np.ceil(self.duration_s / self.dt_s - 1e-9))

    @property
    def missile_slots(self) -> int:
        """Interceptors one replication can have in the air at once."""
        return max(1, int(self.battalions.missiles_at_once.sum()))
