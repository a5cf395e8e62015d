"""Earth, frames, atmosphere, terrain and line of sight."""
