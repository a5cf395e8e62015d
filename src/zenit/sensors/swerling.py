"""Which Swerling case a target follows, from how its radar cross section fluctuates.

Swerling's four cases cross two questions (Swerling, "Probability of detection for
fluctuating targets", IRE Trans. IT-6, 1960; Richards, *Fundamentals of Radar Signal
Processing*, ch. 6): is the RCS many comparable scatterers (Rayleigh amplitude, exponential
power: cases 1 and 2) or one dominant scatterer plus many small ones (chi-square with four
degrees of freedom: cases 3 and 4); and does it decorrelate between scans (1, 3: constant
over the pulses of one dwell) or between pulses (2, 4). Case 0 is a steady target.

The engine draws one detection per dwell, uniform < Pd(mean SNR), with the dwell's
`DetectionCurve` for the target's case; the fluctuation is inside Pd, so no RCS is drawn.
"""

from __future__ import annotations

from typing import Literal

Fluctuation = Literal["steady", "scan-to-scan", "pulse-to-pulse"]

_CASES = {
    ("steady", False): 0, ("steady", True): 0,
    ("scan-to-scan", False): 1, ("pulse-to-pulse", False): 2,
    ("scan-to-scan", True): 3, ("pulse-to-pulse", True): 4,
}


def swerling_case(fluctuation: Fluctuation, dominant_scatterer: bool = False) -> int:
    """Swerling case number (0-4) for a fluctuation timescale and scatterer make-up."""
    key = (fluctuation, bool(dominant_scatterer))
    if key not in _CASES:
        raise ValueError(f"fluctuation must be 'steady', 'scan-to-scan' or 'pulse-to-pulse', "
                         f"got {fluctuation!r}")
    return _CASES[key]

