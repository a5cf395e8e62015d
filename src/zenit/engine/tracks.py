"""The fused air picture: one potential track per (replication, network, threat).

A network is what one command post fuses: a regiment's radars, or a lone battalion's. Every
radar of the network updates the same constant-velocity Kalman filter of a threat, so a
battalion can engage on a track its own fire-control radar has never seen (the 40N6 beyond
the 92N6E horizon). Association is by truth, which keeps the picture batched; the lifecycle
(M-of-N confirmation, dropping after missed looks or a long coast) and the filters run in
the compiled loop of `zenit.engine.track_kernels`.
"""

from __future__ import annotations

import numpy as np

from zenit.engine import track_kernels
from zenit.tracking import imm

# Prior on a new track's velocity: nothing is known but that threats fly below ~3 km/s.
INITIAL_SPEED_SIGMA_MPS = 1500.0
# IMM of CV and two coordinated turns (+/- omega) for threats that manoeuvre: models stay put
# with probability 0.95 per update (Bar-Shalom, Li, Kirubarajan 2001, section 11.6.6 values
# for a few-second sojourn at a ~1 s revisit), start mostly in CV.
IMM_STAY_PROBABILITY = 0.95
IMM_INITIAL_PROBABILITIES = (0.8, 0.1, 0.1)
IMM_QUIET_ACCELERATION_MPS2 = 3.0  # the CV model's white-noise acceleration, 1 sigma
IMM_MINIMUM_SPEED_MPS = 50.0  # turn rate = design acceleration / max(speed, this)


class FusedTracks:
    def __init__(self, replications: int, networks: int, threats: int,
                 acceleration_variance, confirm_hits: int, confirm_looks: int,
                 drop_misses: int, coast_limit_s: float, manoeuvring=None,
                 manoeuvre_acceleration=None):
        shape = (replications, networks, threats)
        self.means = np.zeros(shape + (6,))
        self.covariances = np.zeros(shape + (6, 6))
        self.time = np.zeros(shape)
        self.exists = np.zeros(shape, dtype=bool)
        self.confirmed = np.zeros(shape, dtype=bool)
        self.confirm_time = np.full(shape, np.nan)
        self.history = np.zeros(shape, dtype=np.uint32)
        self.misses = np.zeros(shape, dtype=np.int16)
        # Per threat: the CV filter's white-noise acceleration variance, m^2/s^4.
        self.acceleration_variance = np.broadcast_to(
            np.asarray(acceleration_variance, dtype=float), (threats,)).copy()
        self.window = np.uint32((1 << confirm_looks) - 1)
        self.confirm_hits = confirm_hits
        self.drop_misses = drop_misses
        self.coast_limit_s = coast_limit_s
        # Manoeuvring threats carry an IMM besides the combined estimate above.
        manoeuvring = np.zeros(threats, dtype=bool) if manoeuvring is None else np.asarray(manoeuvring)
        self.imm_slot = np.cumsum(manoeuvring) - 1
        self.imm_slot[~manoeuvring] = -1
        self.manoeuvre_acceleration = (np.zeros(threats) if manoeuvre_acceleration is None
                                       else np.asarray(manoeuvre_acceleration, dtype=float))
        models = len(IMM_INITIAL_PROBABILITIES)
        imm_shape = (replications, networks, int(manoeuvring.sum()), models)
        self.imm = imm.IMMState(np.zeros(imm_shape + (6,)), np.zeros(imm_shape + (6, 6)),
                                np.zeros(imm_shape))
        self.imm_transition = imm.sticky_transition_matrix(IMM_STAY_PROBABILITY, models)

    def fold(self, network: int, looks) -> None:
        """Fold one radar's looks of one step (a `sensing.Looks`) into `network`'s tracks."""
        track_kernels.fold_looks(
            network, looks.replication, looks.threat, looks.time_s, looks.detected,
            looks.position, looks.covariance, self.means, self.covariances, self.time,
            self.exists, self.confirmed, self.confirm_time, self.history, self.misses,
            self.acceleration_variance, self.window, self.confirm_hits,
            INITIAL_SPEED_SIGMA_MPS**2, self.imm_slot, self.imm.means, self.imm.covariances,
            self.imm.probabilities, np.asarray(IMM_INITIAL_PROBABILITIES), self.imm_transition,
            self.manoeuvre_acceleration, IMM_QUIET_ACCELERATION_MPS2**2, IMM_MINIMUM_SPEED_MPS)

    def drop_stale(self, time_s: float) -> None:
        """Drop tracks missed too often or coasting too long; the next detection restarts one."""
        track_kernels.drop_stale_tracks(time_s, self.exists, self.confirmed, self.confirm_time,
                                        self.history, self.misses, self.time, self.drop_misses,
                                        self.coast_limit_s)

    def estimate(self, index, time_s):
        """Position and velocity (C, 3) extrapolated from each track's last update to `time_s`."""
        means = self.means[index]
        elapsed = np.asarray(time_s) - self.time[index]
        return means[:, :3] + elapsed[:, None] * means[:, 3:], means[:, 3:]
