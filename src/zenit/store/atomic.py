"""Writing a file so that it is either absent or complete, never half-written.

The bytes go to a hidden temporary file in the destination's directory, are flushed to disk,
then renamed over the destination in one step (`os.replace` is atomic on POSIX and Windows
within one file system). A crash at any point leaves at most a hidden temporary file, which
no reader looks at.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Callable, IO

TEMPORARY_PREFIX = ".partial-"


def write_atomic(destination: Path, write: Callable[[IO[bytes]], None]) -> Path:
    """Create `destination` from what `write(file)` writes, atomically."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(
        f"{TEMPORARY_PREFIX}{destination.name}.{os.getpid()}-{secrets.token_hex(4)}"
    )
    try:
        with open(temporary, "xb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(destination.parent)
    return destination


def write_bytes_atomic(destination: Path, data: bytes) -> Path:
    return write_atomic(destination, lambda file: file.write(data))


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (a no-op where directories cannot be opened)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
