"""Engagement envelope of a missile type: where it can meet a target, and how far out to launch.

The envelope over (ground range, altitude) is what the missile can reach, from the engine's
own flyout table (`zenit.physics.flyout.FlyoutTable`: the earliest arrival with enough speed
left to turn), cut by the catalogue's published limits: minimum and maximum range, minimum
and maximum altitude. Ranges in those limits are read as slant ranges from the launcher
(sqrt(ground² + altitude²)), as brochures quote the distance to the target; plotted and
reported ranges are ground ranges. Altitudes are above the launcher's ground.

Against a target flying straight at the launcher at speed v and altitude h, an intercept at
ground range r needs the target at r + v t(r, h) when the missile leaves, t the time of flight.
The launch range is the farthest of these over the envelope at h: the far boundary a fire
unit must have tracked the target by, which sits beyond the envelope's own edge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from zenit.analysis.plotting import file_stem, new_figure, save_png
from zenit.catalog.lookup import lookup_key
from zenit.analysis.options import quantity_option
from zenit.analysis.output import emit_summary, json_number
from zenit.errors import CatalogError, UnitError, UserError, did_you_mean
from zenit.units import parse_speed

RANGE_STEP_M = 500.0  # envelope grid, fine enough for the 1 km minimum ranges of the 9M96
ALTITUDE_STEP_M = 250.0
GRID_RANGE_MARGIN = 1.05  # the envelope grid reaches a little beyond the published limits
GRID_ALTITUDE_MARGIN = 1.1
CONTOUR_SPACINGS_S = (2.0, 5.0, 10.0, 20.0, 30.0, 60.0)
MOST_CONTOURS = 12.0
LONGEST_CONTOUR_SPACING_S = 120.0
PROFILE_STEP_M = 100.0  # ground-range step of the one-altitude figures
DEFAULT_OUTPUT = Path("zenit-out") / "envelope"


@dataclass(frozen=True)
class MissileLimits:
    """One missile type's flyout table and its published limits, SI."""

    name: str
    flyout: object  # zenit.physics.flyout.FlyoutTable
    minimum_range_m: float
    maximum_range_m: float
    minimum_altitude_m: float
    maximum_altitude_m: float
    battalion: str | None  # the battalion carrying it, None when taken from the catalogue


@dataclass(frozen=True)
class Envelope:
    """Time of flight over (altitude, ground range), NaN outside the envelope."""

    limits: MissileLimits
    range_m: np.ndarray  # (ranges,)
    altitude_m: np.ndarray  # (altitudes,)
    time_of_flight_s: np.ndarray  # (altitudes, ranges)

    @property
    def inside(self) -> np.ndarray:
        return np.isfinite(self.time_of_flight_s)


@dataclass(frozen=True)
class AltitudeReach:
    """The envelope at one target altitude."""

    altitude_m: float
    maximum_range_m: float  # NaN when the altitude is out of reach
    minimum_range_m: float
    time_of_flight_to_maximum_range_s: float


def missile_limits(scenario, world, name: str) -> MissileLimits:
    """The named missile from the scenario's battalions, else stand-alone from the catalogue.

    Raises UserError with the nearest of the scenario's missile names when neither has it.
    """
    missiles = world.missiles
    by_key = {lookup_key(missile): row for row, missile in enumerate(missiles.names)}
    row = by_key.get(lookup_key(name))
    if row is None:
        entry = _catalogue_missile(name)
        if entry is None:
            hint = did_you_mean(name, missiles.names)
            known = ", ".join(missiles.names) or "none"
            raise UserError(f"--missile {name!r}: no such missile in {scenario.name!r} "
                            f"(its missiles: {known}) nor in the catalogue"
                            + (f"; {hint}" if hint else "")
                            + " (fix: name a missile from `zenit catalog`)")
        row = by_key.get(lookup_key(entry.name))
        if row is None:
            return _limits_from_entry(entry)
    carriers = [battalion for battalion in scenario.battalions()
                if missiles.names[row] in battalion.ready_rounds()
                or missiles.names[row] in battalion.reloads]
    return MissileLimits(missiles.names[row], missiles.flyout[row],
                         float(missiles.minimum_range_m[row]), float(missiles.maximum_range_m[row]),
                         float(missiles.minimum_altitude_m[row]),
                         float(missiles.maximum_altitude_m[row]),
                         carriers[0].name if carriers else None)


def allowed(limits: MissileLimits, ground_range_m, altitude_m) -> np.ndarray:
    """True where the missile reaches the point and the published limits allow it."""
    ground_range_m, altitude_m = np.broadcast_arrays(np.asarray(ground_range_m, dtype=float),
                                                     np.asarray(altitude_m, dtype=float))
    slant_m = np.hypot(ground_range_m, altitude_m)
    return (limits.flyout.reachable(ground_range_m, altitude_m)
            & (slant_m >= limits.minimum_range_m) & (slant_m <= limits.maximum_range_m)
            & (altitude_m >= limits.minimum_altitude_m)
            & (altitude_m <= limits.maximum_altitude_m))


def engagement_envelope(limits: MissileLimits, range_step_m: float = RANGE_STEP_M,
                        altitude_step_m: float = ALTITUDE_STEP_M) -> Envelope:
    """Time of flight over a grid a little larger than the published limits."""
    range_m = np.arange(0.0, GRID_RANGE_MARGIN * limits.maximum_range_m + range_step_m,
                        range_step_m)
    altitude_m = np.arange(0.0, GRID_ALTITUDE_MARGIN * limits.maximum_altitude_m + altitude_step_m,
                           altitude_step_m)
    ground, height = np.meshgrid(range_m, altitude_m)
    time_s = np.where(allowed(limits, ground, height),
                      limits.flyout.time_of_flight(ground, height), np.nan)
    return Envelope(limits, range_m, altitude_m, time_s)


def reach_at_altitude(limits: MissileLimits, altitude_m: float,
                      step_m: float = PROFILE_STEP_M) -> AltitudeReach:
    """Farthest and nearest ground range at one altitude, and the flight time to the farthest."""
    range_m = np.arange(0.0, limits.maximum_range_m + step_m, step_m)
    inside = allowed(limits, range_m, altitude_m)
    if not inside.any():
        return AltitudeReach(altitude_m, math.nan, math.nan, math.nan)
    farthest = range_m[inside][-1]
    return AltitudeReach(altitude_m, float(farthest), float(range_m[inside][0]),
                         float(limits.flyout.time_of_flight(farthest, altitude_m)))


def optimum_altitude_m(limits: MissileLimits, altitude_step_m: float = ALTITUDE_STEP_M,
                       range_step_m: float = PROFILE_STEP_M) -> float:
    """The altitude at which the missile reaches farthest (slant range), and soonest there.

    Where the published maximum range caps many altitudes alike, the shortest time of flight
    to that reach ranks them: the altitude where the missile has the most energy to spare.
    """
    altitude_m = np.arange(limits.minimum_altitude_m,
                           limits.maximum_altitude_m + 0.5 * altitude_step_m, altitude_step_m)
    range_m = np.arange(0.0, limits.maximum_range_m + range_step_m, range_step_m)
    ground, height = np.meshgrid(range_m, altitude_m)
    inside = allowed(limits, ground, height)
    if not inside.any():
        return math.nan
    farthest = inside.shape[1] - 1 - np.argmax(inside[:, ::-1], axis=1)
    reach_m = np.where(inside.any(axis=1), np.hypot(range_m[farthest], altitude_m), -1.0)
    time_s = limits.flyout.time_of_flight(range_m[farthest], altitude_m)
    tied = reach_m >= reach_m.max() - range_step_m
    return float(altitude_m[int(np.argmin(np.where(tied, time_s, np.inf)))])


def launch_boundary(limits: MissileLimits, altitude_m, target_speed_mps: float,
                    step_m: float = PROFILE_STEP_M):
    """Far boundary r + v t(r, h) at each altitude h, maximised over the envelope's r.

    Returns (launch_range_m, intercept_range_m, time_of_flight_s), each shaped like
    altitude_m, NaN where the altitude is out of reach.
    """
    altitude_m = np.asarray(altitude_m, dtype=float)
    range_m = np.arange(0.0, limits.maximum_range_m + step_m, step_m)
    ground = range_m[None, :]
    height = altitude_m.reshape(-1)[:, None]
    time_s = np.where(allowed(limits, ground, height),
                      limits.flyout.time_of_flight(ground, height), np.nan)
    launch_m = ground + target_speed_mps * time_s
    reachable = np.isfinite(launch_m).any(axis=1)
    best = np.argmax(np.nan_to_num(launch_m, nan=-1.0), axis=1)
    rows = np.arange(best.size)
    shape = altitude_m.shape
    return (np.where(reachable, launch_m[rows, best], np.nan).reshape(shape),
            np.where(reachable, range_m[best], np.nan).reshape(shape),
            np.where(reachable, time_s[rows, best], np.nan).reshape(shape))


def plot_envelope(envelope: Envelope, altitude_m: float, boundary_speed_mps: float | None,
                  path) -> Path:
    """PNG: the envelope over (ground range, altitude) with time-of-flight contours."""
    limits = envelope.limits
    figure = new_figure((9.0, 5.5))
    axes = figure.add_subplot()
    range_km = envelope.range_m / 1000.0
    altitude_km = envelope.altitude_m / 1000.0
    time_s = np.ma.masked_invalid(envelope.time_of_flight_s)
    mesh = axes.pcolormesh(range_km, altitude_km, time_s, cmap="magma_r", shading="nearest")
    if envelope.inside.sum() > 3:
        spacing_s = _contour_spacing_s(float(np.nanmax(envelope.time_of_flight_s)))
        levels = np.arange(spacing_s, np.nanmax(envelope.time_of_flight_s), spacing_s)
        if levels.size:
            lines = axes.contour(range_km, altitude_km, time_s, levels=levels, colors="black",
                                 linewidths=0.6)
            axes.clabel(lines, fmt="%.0f s", fontsize=7)
    axes.axhline(altitude_m / 1000.0, color="tab:blue", linewidth=0.9, linestyle=":",
                 label=f"target altitude {altitude_m / 1000.0:g} km")
    if boundary_speed_mps is not None:
        launch_m, _, _ = launch_boundary(limits, envelope.altitude_m, boundary_speed_mps)
        axes.plot(launch_m / 1000.0, altitude_km, "--", color="tab:green", linewidth=1.2,
                  label=f"launch range, target at {boundary_speed_mps:.0f} m/s")
    axes.set_xlabel("ground range from the launcher (km)")
    axes.set_ylabel("altitude above the launcher (km)")
    axes.set_title(f"{limits.name}: engagement envelope (colour and contours: time of flight)",
                   fontsize=9)
    axes.legend(loc="upper right", fontsize=8)
    figure.colorbar(mesh, ax=axes, label="time of flight (s)")
    return save_png(figure, path)


def envelope_summary(limits: MissileLimits, altitude_m: float,
                     target_speed_mps: float | None = None) -> dict:
    """The figures of the summary table and of `--json`, SI."""
    reach = reach_at_altitude(limits, altitude_m)
    optimum_m = optimum_altitude_m(limits)
    at_optimum = reach_at_altitude(limits, optimum_m)
    envelope = engagement_envelope(limits)
    heights = envelope.altitude_m[envelope.inside.any(axis=1)]
    summary = {
        "missile": limits.name,
        "battalion": limits.battalion,
        "source": "scenario" if limits.battalion is not None else "catalogue",
        "altitude_m": altitude_m,
        "altitude_reference": "above the launcher",
        "max_range_m": json_number(reach.maximum_range_m),
        "min_range_m": json_number(reach.minimum_range_m),
        "time_of_flight_to_max_range_s": json_number(reach.time_of_flight_to_maximum_range_s),
        "max_altitude_m": json_number(heights.max()) if heights.size else None,
        "min_altitude_m": json_number(heights.min()) if heights.size else None,
        "optimum_altitude_m": json_number(optimum_m),
        "max_range_at_optimum_m": json_number(at_optimum.maximum_range_m),
        "catalogue": {"minimum_range_m": limits.minimum_range_m,
                      "maximum_range_m": limits.maximum_range_m,
                      "minimum_altitude_m": limits.minimum_altitude_m,
                      "maximum_altitude_m": limits.maximum_altitude_m},
        "target_speed_mps": target_speed_mps,
        "launch_range_m": None,
        "intercept_range_m": None,
        "time_of_flight_to_intercept_s": None,
    }
    if target_speed_mps is not None:
        launch_m, intercept_m, time_s = launch_boundary(limits, altitude_m, target_speed_mps)
        summary.update(launch_range_m=json_number(launch_m), intercept_range_m=json_number(intercept_m),
                       time_of_flight_to_intercept_s=json_number(time_s))
    return summary


def envelope_command(scenario_path: str, missile: str, altitude: str, out: str | None,
                     as_json: bool, target_speed: str | None = None,
                     console: Console | None = None) -> int:
    """`zenit envelope`: a PNG of the envelope, then a summary table or one JSON object."""
    from zenit.engine.compile import compile_world
    from zenit.scenario import load_scenario

    altitude_m = quantity_option("--altitude", altitude, "length", "'10 km' or '500 m'",
                                 below="is below the launcher")
    target_speed_mps = None if target_speed is None else _speed(target_speed, altitude_m)
    scenario = load_scenario(scenario_path)
    limits = missile_limits(scenario, compile_world(scenario), missile)
    summary = envelope_summary(limits, altitude_m, target_speed_mps)
    summary["scenario"] = scenario.name
    target = Path(out) if out else DEFAULT_OUTPUT
    path = target if target.suffix.lower() == ".png" else target / (
        f"{file_stem(limits.name)}-envelope.png")
    summary["files"] = [str(plot_envelope(engagement_envelope(limits), altitude_m,
                                          target_speed_mps, path))]
    return emit_summary(summary, as_json, _print_summary, console)


def _print_summary(summary: dict, console: Console) -> None:
    carrier = summary["battalion"] or "the catalogue"
    table = Table(title=f"{summary['missile']} ({carrier}) against a target at "
                        f"{summary['altitude_m'] / 1000.0:g} km")
    table.add_column("figure")
    table.add_column("value", justify="right")
    rows = [("max range", _kilometres(summary["max_range_m"])),
            ("min range", _kilometres(summary["min_range_m"])),
            ("time of flight to max range", _seconds(summary["time_of_flight_to_max_range_s"])),
            ("max altitude", _kilometres(summary["max_altitude_m"])),
            ("optimum altitude", _kilometres(summary["optimum_altitude_m"])),
            ("max range at optimum", _kilometres(summary["max_range_at_optimum_m"]))]
    if summary["target_speed_mps"] is not None:
        rows += [(f"launch range, target at {summary['target_speed_mps']:.0f} m/s",
                  _kilometres(summary["launch_range_m"])),
                 ("intercept range there", _kilometres(summary["intercept_range_m"]))]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    for path in summary["files"]:
        console.print(f"wrote {path}")


def _catalogue_missile(name: str):
    """The catalogue's missile entry called `name` (or an alias), None when there is none."""
    from zenit.catalog import load_catalog

    try:
        return load_catalog().get(name, "missile")
    except CatalogError:
        return None


def _limits_from_entry(entry) -> MissileLimits:
    """A catalogue missile flown through the engine's own airframe model and flyout cache."""
    from zenit.engine.compile import missile_flyout

    return MissileLimits(entry.name, missile_flyout(entry), float(entry.value("minimum_range")),
                         float(entry.value("maximum_range")),
                         float(entry.value("minimum_altitude")),
                         float(entry.value("maximum_altitude")), None)


def _speed(text: str, altitude_m: float) -> float:
    try:
        value = parse_speed(text, altitude_m)
    except UnitError as error:
        raise UserError(f"--target-speed {text!r}: {error} "
                        f"(fix: give a speed such as '900 km/h' or 'Mach 2')") from None
    if not value > 0.0:
        raise UserError(f"--target-speed {text!r} must be positive "
                        f"(fix: give a speed such as '900 km/h' or 'Mach 2')")
    return value


def _contour_spacing_s(longest_s: float) -> float:
    """A round contour interval giving some six to twelve lines."""
    for spacing_s in CONTOUR_SPACINGS_S:
        if longest_s / spacing_s <= MOST_CONTOURS:
            return spacing_s
    return LONGEST_CONTOUR_SPACING_S


def _kilometres(value_m) -> str:
    return "-" if value_m is None else f"{value_m / 1000.0:.1f} km"


def _seconds(value_s) -> str:
    return "-" if value_s is None else f"{value_s:.1f} s"


__all__ = ["AltitudeReach", "Envelope", "MissileLimits", "allowed",
           "engagement_envelope", "envelope_command", "envelope_summary", "launch_boundary",
           "missile_limits", "optimum_altitude_m", "plot_envelope", "reach_at_altitude"]
