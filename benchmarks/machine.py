"""The machine a benchmark ran on, printed first so figures from different machines are not
compared by mistake."""

import os
import platform

import numpy as np


def describe() -> str:
    return (f"{platform.platform()}, {platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, NumPy {np.__version__}")
