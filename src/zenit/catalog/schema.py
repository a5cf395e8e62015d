"""The catalogue's schema: every parameter of every entry kind, declared once.

A parameter's name, value kind (a unit kind of `zenit.units`, or one of the catalogue's own
value kinds below), doc, bounds and whether it is required live here and nowhere else: the
loader, the override path, the renderer and the completeness test all walk this registry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

# Value kinds beyond the unit kinds of zenit.units:
#   force, cost  quantities the catalogue reads itself (see quantities.py)
#   number       a dimensionless real ("1.2")
#   count        a whole number ("4")
#   text         a plain string, optionally one of `choices`
#   flag         true or false
#   name         the name of another entry (of kind `refers_to`)
#   names        a list of names of other entries
#   components   a list of {type, count, mast?} naming other entries
UNIT_KINDS = ("length", "speed", "time", "area", "angle", "mass", "power", "frequency",
              "acceleration", "decibel", "ratio", "temperature")
CATALOG_QUANTITY_KINDS = ("force", "cost")
PLAIN_KINDS = ("text", "flag", "name", "names")

Sign = Literal["positive", "nonnegative", "any"]

KINDS = ("radar", "mast", "missile", "launcher", "command_post", "battalion", "regiment",
         "threat")


@dataclass(frozen=True)
class Parameter:
    """One parameter of one entry kind: what it is, how it is read, what makes it valid."""

    name: str
    kind: str
    doc: str
    required: bool = True
    # Required only when another parameter has a given value, e.g. ("scan", "rotating").
    when: tuple[str, str] | None = None
    sign: Sign = "positive"
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    refers_to: str | None = None
    # The unit the figure is printed in; None lets zenit.units choose.
    display: str | None = None

    @property
    def needs_source(self) -> bool:
        """Numbers and compositions are figures and need a citation; labels may stand bare."""
        return self.kind not in PLAIN_KINDS

    def required_for(self, values: dict[str, object]) -> bool:
        if not self.required:
            return False
        if self.when is None:
            return True
        other, expected = self.when
        return values.get(other) == expected


@dataclass(frozen=True)
class Order:
    """`lesser` must not exceed `greater` (strictly less when `strict`)."""

    lesser: str
    greater: str
    strict: bool = True


RADAR = (
    Parameter("role", "text", "what the radar does in the fire unit",
              choices=("acquisition", "fire_control", "all_altitude")),
    Parameter("band", "text", "IEEE radar band letter"),
    Parameter("frequency", "frequency", "carrier frequency used in the radar equation",
              display="GHz"),
    Parameter("scan", "text", "how the beam covers its volume", choices=("rotating",
              "phased_array")),
    Parameter("rotation_period", "time", "one antenna revolution: the search revisit of a "
              "rotating radar",
              when=("scan", "rotating")),
    Parameter("search_frame_time", "time", "time to cover the search volume once (phased array)",
              when=("scan", "phased_array")),
    Parameter("track_revisit_time", "time", "interval between looks at a tracked target"),
    Parameter("reference_range", "length", "range of the calibration point of the radar equation"),
    Parameter("reference_rcs", "area", "target RCS of the calibration point"),
    Parameter("reference_pd", "ratio", "detection probability of the calibration point",
              maximum=1.0),
    Parameter("reference_pfa", "ratio", "false-alarm probability of the calibration point",
              maximum=1.0),
    Parameter("reference_swerling", "count", "Swerling case assumed at the calibration point",
              sign="nonnegative", maximum=4),
    Parameter("pulses_integrated", "count", "pulses integrated per detection look"),
    Parameter("instrumented_range", "length", "range beyond which the radar reports nothing"),
    Parameter("minimum_range", "length", "range inside which the radar is blind (eclipsing, "
              "recovery)"),
    Parameter("minimum_elevation", "angle", "lowest beam elevation", sign="any"),
    Parameter("maximum_elevation", "angle", "highest beam elevation"),
    Parameter("maximum_altitude", "length", "highest target altitude covered"),
    Parameter("azimuth_coverage", "angle", "azimuth sector watched at once (360 deg for all-round)",
              maximum=2 * math.pi + 1e-9),
    Parameter("beamwidth_azimuth", "angle", "3 dB beamwidth in azimuth"),
    Parameter("beamwidth_elevation", "angle", "3 dB beamwidth in elevation"),
    Parameter("range_resolution", "length", "range cell size"),
    Parameter("antenna_height", "length", "antenna phase-centre height above its own vehicle's "
              "ground"),
    Parameter("track_capacity", "count", "targets tracked at once"),
    Parameter("antenna_gain", "decibel", "main-beam gain, for jamming and clutter"),
    Parameter("sidelobe_level", "decibel", "mean sidelobe level relative to the main beam "
              "(negative)",
              sign="any"),
    Parameter("noise_bandwidth", "frequency", "receiver noise bandwidth", display="MHz"),
    Parameter("system_temperature", "temperature", "system noise temperature"),
    Parameter("clutter_improvement_factor", "decibel", "signal-to-clutter gain of Doppler "
              "processing"),
)

MAST = (
    Parameter("height", "length", "height the mast raises an antenna to", display="m"),
)

MISSILE = (
    Parameter("family", "text", "missile family, for launcher and doctrine rules"),
    Parameter("guidance", "text", "terminal guidance",
              choices=("track_via_missile", "active_radar", "semi_active", "command")),
    Parameter("tube_capacity", "count", "missiles that fit one launcher tube"),
    Parameter("maximum_range", "length", "published maximum engagement range"),
    Parameter("minimum_range", "length", "closest engagement range"),
    Parameter("maximum_altitude", "length", "highest target altitude engaged"),
    Parameter("minimum_altitude", "length", "lowest target altitude engaged", display="m"),
    Parameter("maximum_speed", "speed", "peak flight speed"),
    Parameter("launch_mass", "mass", "mass at launch"),
    Parameter("propellant_mass", "mass", "propellant burnt during boost and sustain"),
    Parameter("boost_time", "time", "duration of the boost phase"),
    Parameter("sustain_time", "time", "duration of the sustain phase (0 for a single-thrust motor)",
              sign="nonnegative"),
    Parameter("sustain_thrust_fraction", "ratio", "sustain thrust over boost thrust",
              sign="nonnegative", maximum=1.0),
    Parameter("boost_thrust", "force", "thrust during boost", display="kN"),
    Parameter("specific_impulse", "time", "motor specific impulse (thrust per weight flow)"),
    Parameter("diameter", "length", "body diameter", display="m"),
    Parameter("reference_area", "area", "aerodynamic reference area (body cross-section)"),
    Parameter("maximum_lateral_acceleration", "acceleration", "structural or control limit on "
              "manoeuvre acceleration", display="g"),
    Parameter("normal_force_coefficient_max", "number", "largest usable normal-force coefficient "
              "on "
              "the reference area; with dynamic pressure it caps the manoeuvre at altitude"),
    Parameter("vertical_launch", "flag", "launched vertically from a raised container"),
    Parameter("seeker_acquisition_range", "length", "range at which the seeker locks on its target",
              when=("guidance", "active_radar")),
    Parameter("warhead_mass", "mass", "warhead mass"),
    Parameter("lethal_radius", "length", "miss distance inside which the warhead kills",
              display="m"),
    Parameter("pk_max", "ratio", "single-shot kill probability at zero miss distance", maximum=1.0),
    Parameter("maximum_target_speed", "speed", "fastest target the missile is credited against"),
    Parameter("unit_cost", "cost", "price of one round", display="MUSD"),
)

LAUNCHER = (
    Parameter("tubes", "count", "container tubes on one launcher"),
    Parameter("reload_time", "time", "time to reload every tube of one launcher"),
    Parameter("transporter", "text", "the vehicle carrying the launcher"),
)

COMMAND_POST = (
    Parameter("maximum_battalions", "count", "battalions one command post controls"),
    Parameter("track_capacity", "count", "air tracks held at once"),
    Parameter("targets_engaged_at_once", "count", "targets engaged at once by the whole system"),
    Parameter("missiles_guided_at_once", "count", "missiles guided at once by the whole system"),
    Parameter("reaction_time", "time", "threat evaluation and assignment delay at the command "
              "post"),
)

BATTALION = (
    Parameter("radars", "components", "radars of the fire unit", refers_to="radar"),
    Parameter("launchers", "components", "launchers of the fire unit", refers_to="launcher"),
    Parameter("default_loadout", "names", "missile in each tube of one launcher",
              refers_to="missile"),
    Parameter("reload_missiles", "count", "rounds held for reloads, in the default loadout's mix",
              sign="nonnegative"),
    Parameter("targets_engaged_at_once", "count", "targets the fire unit engages at once"),
    Parameter("missiles_guided_at_once", "count", "missiles the fire unit guides at once"),
    Parameter("reaction_time", "time", "from assignment to first launch"),
    Parameter("launch_interval", "time", "between two launches of the fire unit"),
    Parameter("salvo_size", "count", "missiles fired at one target per engagement by default"),
    Parameter("doctrine", "text", "default fire doctrine",
              choices=("shoot-look-shoot", "shoot-shoot-look")),
)

REGIMENT = (
    Parameter("battalions", "components", "fire units of the regiment", refers_to="battalion"),
    Parameter("radars", "components", "regiment-level radars", refers_to="radar"),
    Parameter("command_post", "name", "the command post", refers_to="command_post"),
)

THREAT = (
    Parameter("category", "text", "threat class",
              choices=("fighter", "low_observable_fighter", "subsonic_cruise_missile",
                "supersonic_cruise_missile", "ballistic_missile", "uav", "decoy")),
    Parameter("rcs", "area", "mean radar cross-section seen by the defending radars"),
    Parameter("swerling", "count", "radar fluctuation case", sign="nonnegative", maximum=4),
    Parameter("cruise_speed", "speed", "speed on the cruise leg (burnout speed for a ballistic "
              "missile)"),
    Parameter("cruise_altitude", "length", "altitude of the cruise leg (apogee for a ballistic "
              "missile)",
              display="m"),
    Parameter("minimum_altitude", "length", "lowest altitude flown", sign="nonnegative",
              display="m"),
    Parameter("maximum_altitude", "length", "highest altitude flown", display="m"),
    Parameter("maximum_lateral_acceleration", "acceleration", "manoeuvre limit", sign="nonnegative",
              display="g"),
    Parameter("profile", "text", "flight profile", choices=("route", "terrain_following",
              "ballistic")),
    Parameter("terminal_manoeuvre", "text", "manoeuvre in the last seconds",
              choices=("none", "weave", "popup_dive")),
    Parameter("range", "length", "maximum flight range"),
    Parameter("mass", "mass", "mass of the body that re-enters (ballistic)",
              when=("profile", "ballistic")),
    Parameter("reference_area", "area", "drag reference area (ballistic)", when=("profile",
              "ballistic")),
    Parameter("unit_cost", "cost", "price of one", display="MUSD"),
)

PARAMETERS: dict[str, dict[str, Parameter]] = {
    kind: {parameter.name: parameter for parameter in parameters}
    for kind, parameters in {
        "radar": RADAR, "mast": MAST, "missile": MISSILE, "launcher": LAUNCHER,
        "command_post": COMMAND_POST, "battalion": BATTALION, "regiment": REGIMENT,
        "threat": THREAT,
    }.items()
}

ORDERS: dict[str, tuple[Order, ...]] = {
    "radar": (Order("minimum_range", "instrumented_range"),
              Order("minimum_elevation", "maximum_elevation")),
    "missile": (Order("minimum_range", "maximum_range"),
                Order("minimum_altitude", "maximum_altitude"),
                Order("propellant_mass", "launch_mass"),
                Order("warhead_mass", "launch_mass")),
    "threat": (Order("minimum_altitude", "maximum_altitude"),
               Order("minimum_altitude", "cruise_altitude", strict=False),
               Order("cruise_altitude", "maximum_altitude", strict=False)),
}


def parameter(kind: str, name: str) -> Parameter | None:
    return PARAMETERS[kind].get(name)
