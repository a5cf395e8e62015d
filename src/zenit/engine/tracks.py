"""The fused air picture: one potential track per (replication, network, threat).

A network is what one command post fuses: a regiment's radars, or a lone battalion's. Every
radar of the network updates the same constant-velocity Kalman filter of a threat, so a
battalion can engage on a track its own fire-control radar has never seen (the 40N6 beyond
the 92N6E horizon). Association is by truth, which keeps the picture batched; the lifecycle
(M-of-N confirmation, dropping after missed looks or a long coast) is array logic.
"""

from __future__ import annotations

import numpy as np

from zenit.tracking import imm, kalman
from zenit.tracking.cv_bank import CVFilterBank

# Prior on a new track's velocity: nothing is known but that threats fly below ~3 km/s.
INITIAL_SPEED_SIGMA_MPS = 1500.0
# IMM of CV and two coordinated turns (+/- omega) for threats that manoeuvre: models stay put
# with probability 0.95 per update (Bar-Shalom, Li, Kirubarajan 2001, section 11.6.6 values
# for a few-second sojourn at a ~1 s revisit), start mostly in CV.
IMM_STAY_PROBABILITY = 0.95
IMM_INITIAL_PROBABILITIES = (0.8, 0.1, 0.1)
IMM_QUIET_ACCELERATION_MPS2 = 3.0  # the CV model's white-noise acceleration, 1 sigma


class FusedTracks:
    def __init__(self, replications: int, networks: int, threats: int,
                 acceleration_variance: np.ndarray, confirm_hits: int, confirm_looks: int,
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
        self.acceleration_variance = np.broadcast_to(acceleration_variance, shape)
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

    def record_looks(self, index, hit, time_s) -> None:
        """Looks at (r, q, n) in `index`, at times `time_s`, that could have seen the target."""
        history = ((self.history[index] << np.uint32(1)) | hit.astype(np.uint32)) & self.window
        self.history[index] = history
        self.misses[index] = np.where(hit, 0, self.misses[index] + 1)
        confirm = self.exists[index] & ~self.confirmed[index] & (
            np.bitwise_count(history) >= self.confirm_hits)
        newly = tuple(axis[confirm] for axis in index)
        self.confirmed[newly] = True
        self.confirm_time[newly] = np.broadcast_to(time_s, hit.shape)[confirm]

    def update(self, index, time_s, position, covariance) -> None:
        """Fold position measurements (C, 3) taken at `time_s` (C,) into tracks at `index`."""
        exists = self.exists[index]
        turning = self.imm_slot[index[2]] >= 0
        if turning.any():
            self._update_imm(tuple(axis[turning] for axis in index), time_s[turning],
                             position[turning], covariance[turning], exists[turning])
            plain = ~turning
            index = tuple(axis[plain] for axis in index)
            time_s, position, covariance, exists = (time_s[plain], position[plain],
                                                    covariance[plain], exists[plain])
        old = tuple(axis[exists] for axis in index)
        if old[0].size:
            bank = CVFilterBank(self.means[old], self.covariances[old],
                                self.acceleration_variance[old])
            bank.predict(np.maximum(time_s[exists] - self.time[old], 0.0))
            bank.update(position[exists], covariance[exists])
            self.means[old] = bank.means
            self.covariances[old] = bank.covariances
        new = tuple(axis[~exists] for axis in index)
        if new[0].size:
            self.means[new] = 0.0
            self.means[new + (slice(0, 3),)] = position[~exists]
            self.covariances[new] = 0.0
            self.covariances[new + (slice(0, 3), slice(0, 3))] = covariance[~exists]
            for axis in range(3, 6):
                self.covariances[new + (axis, axis)] = INITIAL_SPEED_SIGMA_MPS**2
            self.exists[new] = True
        self.time[index] = np.maximum(self.time[index], time_s)

    def _update_imm(self, index, time_s, position, covariance, exists) -> None:
        """IMM cycle for manoeuvring threats; the combined estimate becomes the track."""
        rows, networks, threats = index
        slot = (rows, networks, self.imm_slot[threats])
        new = ~exists
        if new.any():
            fresh = tuple(axis[new] for axis in slot)
            mean = np.zeros((new.sum(), 6))
            mean[:, :3] = position[new]
            prior = np.zeros((new.sum(), 6, 6))
            prior[:, :3, :3] = covariance[new]
            prior[:, 3:, 3:] = np.eye(3) * INITIAL_SPEED_SIGMA_MPS**2
            start = imm.initial_state(mean, prior, IMM_INITIAL_PROBABILITIES)
            self.imm.means[fresh], self.imm.covariances[fresh] = start.means, start.covariances
            self.imm.probabilities[fresh] = start.probabilities
        if exists.any():
            held = tuple(axis[exists] for axis in slot)
            track = tuple(axis[exists] for axis in index)
            state = imm.IMMState(self.imm.means[held], self.imm.covariances[held],
                                 self.imm.probabilities[held])
            dt = np.maximum(time_s[exists] - self.time[track], 0.0)
            accel = self.manoeuvre_acceleration[track[2]]
            speed = np.maximum(np.linalg.norm(self.means[track][:, 3:], axis=-1), 50.0)
            transitions, noises = imm.cv_ct_models(dt, accel / speed, IMM_QUIET_ACCELERATION_MPS2**2,
                                                   (0.25 * accel) ** 2)
            state = _imm_cycle(state, transitions, noises, self.imm_transition,
                               position[exists], covariance[exists])
            self.imm.means[held], self.imm.covariances[held] = state.means, state.covariances
            self.imm.probabilities[held] = state.probabilities
        combined_mean, combined_covariance = imm.combine(imm.IMMState(
            self.imm.means[slot], self.imm.covariances[slot], self.imm.probabilities[slot]))
        self.means[index] = combined_mean
        self.covariances[index] = combined_covariance
        self.exists[index] = True
        self.time[index] = np.maximum(self.time[index], time_s)

    def drop_stale(self, time_s: float) -> None:
        """Drop tracks missed too often or coasting too long; the next detection restarts one."""
        stale = self.exists & ((self.misses >= self.drop_misses)
                               | (time_s - self.time > self.coast_limit_s))
        if stale.any():
            self.exists[stale] = False
            self.confirmed[stale] = False
            self.confirm_time[stale] = np.nan
            self.history[stale] = 0
            self.misses[stale] = 0

    def estimate(self, index, time_s):
        """Position and velocity (C, 3) extrapolated from each track's last update to `time_s`."""
        means = self.means[index]
        elapsed = np.asarray(time_s) - self.time[index]
        return means[:, :3] + elapsed[:, None] * means[:, 3:], means[:, 3:]

    def position_sigma(self, index):
        """RMS 3-D position error (m) of tracks at `index`, at their last update."""
        covariances = self.covariances[index]
        return np.sqrt(covariances[:, 0, 0] + covariances[:, 1, 1] + covariances[:, 2, 2])


def _imm_cycle(state, transitions, process_noises, model_transition, position, covariance):
    """One IMM cycle (`tracking.imm.step`) with the position update done in closed form.

    Every model measures position only (H = [I 0]), so each model's update is the filter
    bank's 3x3 Cholesky update; the model likelihoods need only the innovation's normalised
    square and the determinant of its 3x3 covariance. Same result as `imm.step`, which the
    tests check; several times faster on the engine's batches.
    """
    mixed_means, mixed_covariances, predicted = imm.mix(state, model_transition)
    means, covariances = kalman.predict(mixed_means, mixed_covariances, transitions,
                                        process_noises)
    models = means.shape[-2]
    noise = np.broadcast_to(covariance[:, None], covariance.shape[:1] + (models, 3, 3))
    innovation_covariance = covariances[..., :3, :3] + noise
    bank = CVFilterBank(means, covariances, 0.0)
    squared = bank.update(np.broadcast_to(position[:, None], means.shape[:-1] + (3,)), noise)
    log_likelihoods = -0.5 * (squared + np.log(np.linalg.det(innovation_covariance)))
    probabilities = imm.update_probabilities(predicted, log_likelihoods)
    return imm.IMMState(bank.means, bank.covariances, probabilities)
