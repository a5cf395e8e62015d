"""The fused air picture: one potential track per (replication, network, threat).

A network is what one command post fuses: a regiment's radars, or a lone battalion's. Every
radar of the network updates the same constant-velocity Kalman filter of a threat, so a
battalion can engage on a track its own fire-control radar has never seen (the 40N6 beyond
the 92N6E horizon). Association is by truth, which keeps the picture batched; the lifecycle
(M-of-N confirmation, dropping after missed looks or a long coast) and the filters run in
the compiled loops of `zenit.engine.track_kernels`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from zenit.engine import track_kernels
from zenit.tracking import imm
from zenit.tracking.initiation import window_mask

# Prior on a new track's velocity: nothing is known but that threats fly below ~3 km/s.
INITIAL_SPEED_SIGMA_MPS = 1500.0
# IMM of CV and two coordinated turns (+/- omega) for threats that manoeuvre: models stay put
# with probability 0.95 per update (Bar-Shalom, Li, Kirubarajan 2001, section 11.6.6 values
# for a few-second sojourn at a ~1 s revisit), start mostly in CV.
IMM_STAY_PROBABILITY = 0.95
IMM_INITIAL_PROBABILITIES = (0.8, 0.1, 0.1)
IMM_QUIET_ACCELERATION_MPS2 = 3.0  # the CV model's white-noise acceleration, 1 sigma
IMM_MINIMUM_SPEED_MPS = 50.0  # turn rate = design acceleration / max(speed, this)


class TrackTable(NamedTuple):
    """Every track, shaped (R, Q, N) per field: replication, network, threat."""

    means: np.ndarray  # (R, Q, N, 6) [x, y, z, vx, vy, vz]
    covariances: np.ndarray  # (R, Q, N, 6, 6)
    time: np.ndarray  # time of the last update, s
    exists: np.ndarray
    confirmed: np.ndarray
    confirm_time: np.ndarray  # NaN until confirmed
    history: np.ndarray  # uint32: the M-of-N window's looks, newest in bit 0
    misses: np.ndarray  # int16: consecutive misses


class IMMTable(NamedTuple):
    """The IMMs of the threats that manoeuvre, S of them, beside their combined tracks."""

    slot: np.ndarray  # (N,) a threat's IMM slot, -1 for a constant-velocity track
    means: np.ndarray  # (R, Q, S, models, 6)
    covariances: np.ndarray  # (R, Q, S, models, 6, 6)
    probabilities: np.ndarray  # (R, Q, S, models)


class TrackRules(NamedTuple):
    """The filters' and the lifecycle's settings."""

    acceleration_variance: np.ndarray  # (N,) CV white-noise acceleration, m^2/s^4
    manoeuvre_acceleration: np.ndarray  # (N,) design lateral acceleration, m/s^2
    initial_speed_variance: float  # a new track's velocity prior per axis, m^2/s^2
    cv_variance: float  # the IMM's CV model white-noise acceleration, m^2/s^4
    minimum_speed: float  # m/s, for the IMM's turn rate
    initial_probabilities: np.ndarray  # (models,) of a new IMM
    model_transition: np.ndarray  # (models, models) Markov matrix
    window: np.uint32  # the M-of-N window's bits
    confirm_hits: int
    drop_misses: int
    coast_limit_s: float


class LookArrays(NamedTuple):
    """A `sensing.Looks` as the track loop takes it."""

    replication: np.ndarray
    threat: np.ndarray
    time_s: np.ndarray
    detected: np.ndarray
    position: np.ndarray
    covariance: np.ndarray


def _field(name):
    return property(lambda self: getattr(self.table, name), doc=f"TrackTable.{name}")


class FusedTracks:
    """The track table of a chunk, with its IMMs and rules."""

    means, covariances, time, exists, confirmed, confirm_time, history, misses = (
        _field(name) for name in TrackTable._fields)

    def __init__(self, replications: int, networks: int, threats: int,
                 acceleration_variance, confirm_hits: int, confirm_looks: int,
                 drop_misses: int, coast_limit_s: float, manoeuvring=None,
                 manoeuvre_acceleration=None):
        shape = (replications, networks, threats)
        self.table = TrackTable(np.zeros(shape + (6,)), np.zeros(shape + (6, 6)), np.zeros(shape),
                                np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool),
                                np.full(shape, np.nan), np.zeros(shape, dtype=np.uint32),
                                np.zeros(shape, dtype=np.int16))
        manoeuvring = np.zeros(threats, bool) if manoeuvring is None else np.asarray(manoeuvring)
        slot = np.cumsum(manoeuvring) - 1
        slot[~manoeuvring] = -1
        models = len(IMM_INITIAL_PROBABILITIES)
        imm_shape = (replications, networks, int(manoeuvring.sum()), models)
        self.imm = IMMTable(slot, np.zeros(imm_shape + (6,)), np.zeros(imm_shape + (6, 6)),
                            np.zeros(imm_shape))
        self.rules = TrackRules(
            np.broadcast_to(np.asarray(acceleration_variance, dtype=float), (threats,)).copy(),
            np.zeros(threats) if manoeuvre_acceleration is None
            else np.asarray(manoeuvre_acceleration, dtype=float),
            INITIAL_SPEED_SIGMA_MPS**2, IMM_QUIET_ACCELERATION_MPS2**2, IMM_MINIMUM_SPEED_MPS,
            np.asarray(IMM_INITIAL_PROBABILITIES),
            imm.sticky_transition_matrix(IMM_STAY_PROBABILITY, models),
            window_mask(confirm_looks), confirm_hits, drop_misses, coast_limit_s)

    def fold(self, network: int, looks) -> None:
        """Fold one radar's looks of one step (a `sensing.Looks`) into `network`'s tracks."""
        track_kernels.fold_looks(network, LookArrays(
            looks.replication, looks.threat, looks.time_s, looks.detected, looks.position,
            looks.covariance), self.table, self.imm, self.rules)

    def drop_stale(self, time_s: float) -> None:
        """Drop tracks missed too often or coasting too long; the next detection restarts one."""
        track_kernels.drop_stale_tracks(time_s, self.table, self.rules.drop_misses,
                                        self.rules.coast_limit_s)
