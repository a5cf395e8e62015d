"""The physics core compiles as CUDA device functions and agrees with the CPU draw for draw.

No GPU is needed: `cuda_simulator_check.py` runs the look chain and the threat-motion step as
CUDA kernels under Numba's CUDA simulator (NUMBA_ENABLE_CUDASIM=1, which must be set before
Numba is imported, hence the subprocess) and compares every output with the CPU engine's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHECK = Path(__file__).with_name("cuda_simulator_check.py")


def test_look_chain_and_motion_on_the_cuda_simulator_equal_the_cpu_path():
    environment = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    done = subprocess.run([sys.executable, str(CHECK)], env=environment, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.strip().endswith("identical")
