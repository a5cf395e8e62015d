"""Earth, frames, atmosphere, terrain and line of sight."""

from zenit.geo import atmosphere
from zenit.geo.horizon import horizon_range
from zenit.geo.terrain import Terrain
from zenit.geo.visibility import line_of_sight

__all__ = ["Terrain", "atmosphere", "horizon_range", "line_of_sight"]
