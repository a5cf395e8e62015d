"""The defence: regiments and battalions with their command posts, radars, launchers and reloads.

Parts a unit leaves out come from its catalogue make-up; a regiment written without
battalions gets the catalogue's, each named after the regiment.
"""

from __future__ import annotations

from zenit.scenario import model, schema
from zenit.scenario.loader import FieldPath
from zenit.scenario.resolve.catalogue import CatalogueLookups


class DefenceResolution(CatalogueLookups):
    """Defence units of the file, resolved against the catalogue."""

    def defence_unit(self, given: schema.DefenceUnit, path: FieldPath):
        entry = self.entry(given.type, ("regiment", "battalion"), path + ("type",))
        self.claim(given.name, path + ("name",))
        position = self.point(given.position, path + ("position",))
        if entry is None or position is None:
            return None
        self.places[given.name] = (position, path)
        if entry.kind == "battalion":
            if given.battalions is not None:
                self.problem(path + ("battalions",), f"{entry.name} is a battalion and has no "
                             "battalions", "use a regiment type, or remove 'battalions'",
                             key=True)
            return self.battalion(given, path, None, entry, position)
        for field in ("launchers", "reloads"):
            if field in given.model_fields_set:
                self.problem(path + (field,), f"a regiment has no {field} of its own",
                             "put them under one of its battalions", key=True)
        entry = self.overridden(entry, given.overrides, path + ("overrides",))
        command_post = self.command_post(given, path, entry, position)
        radars = self.radars(given.radars, entry, given.name, position, path)
        battalions = self.regiment_battalions(given, entry, position, path)
        return model.Regiment(name=given.name, type=entry.name, position=position,
                              command_post=command_post, radars=radars,
                              battalions=battalions, overrides=dict(given.overrides),
                              entry=entry)

    def regiment_battalions(self, given, entry, position, path) -> tuple[model.Battalion, ...]:
        components = list(entry.battalions)
        default_type = components[0].type if components else None
        if given.battalions is None:
            resolved = []
            number = 0
            for component in components:
                battalion_entry = self.catalog.get(component.type)
                for _ in range(component.count):
                    number += 1
                    spec = schema.Battalion(name=f"{given.name} battalion {number}")
                    self.claim(spec.name, path)
                    resolved.append(self.battalion(spec, path, given.name, battalion_entry,
                                                   position))
            return tuple(unit for unit in resolved if unit)
        resolved = []
        for index, battalion in enumerate(given.battalions):
            where = path + ("battalions", index)
            self.claim(battalion.name, where + ("name",))
            name = battalion.type or default_type
            battalion_entry = self.entry(name, ("battalion",), where + ("type",))
            place = self.point(battalion.position, where + ("position",), default=position)
            if battalion_entry is not None:
                resolved.append(self.battalion(battalion, where, given.name, battalion_entry,
                                               place))
        return tuple(unit for unit in resolved if unit)

    def battalion(self, given: schema.Battalion, path: FieldPath, regiment: str | None,
                  entry, position: model.Point) -> model.Battalion:
        """A battalion whose name its caller has claimed."""
        self.places[given.name] = (position, path)
        entry = self.overridden(entry, given.overrides, path + ("overrides",))
        command_post = (self.command_post(given, path, None, position)
                        if given.command_post is not None else None)
        radars = self.radars(given.radars, entry, given.name, position, path)
        launchers = self.launchers(given, entry, position, path)
        reloads = self.reloads(given, entry, launchers, path)
        return model.Battalion(name=given.name, type=entry.name, regiment=regiment,
                               position=position, command_post=command_post, radars=radars,
                               launchers=launchers, reloads=reloads,
                               overrides=dict(given.overrides), entry=entry)

    def command_post(self, given, path, regiment_entry, position) -> model.CommandPost | None:
        written = given.command_post
        name = written.type if written is not None and written.type else None
        if name is None and regiment_entry is not None and regiment_entry.has("command_post"):
            name = regiment_entry.value("command_post")
        if name is None:
            self.problem(path + ("command_post",), "the command post needs a 'type'",
                         "write {type: 55K6E}")
            return None
        where = path + ("command_post",)
        entry = self.entry(name, ("command_post",), where + ("type",))
        place = self.point(written.position if written else None, where + ("position",),
                           default=position)
        if entry is None:
            return None
        cp_name = f"{given.name}/{entry.name}"
        self.claim(cp_name, where)
        self.places[cp_name] = (place, where)
        return model.CommandPost(name=cp_name, type=entry.name, position=place, entry=entry)

    def radars(self, written, entry, unit: str, position, path) -> tuple[model.Radar, ...]:
        if written is None:
            written = _from_components(entry.radars, schema.Radar, unit)
            path = path + ("radars",)
            return tuple(radar for radar in (self.radar(radar, path, unit, position)
                                             for radar in written) if radar)
        return tuple(radar for radar in (self.radar(radar, path + ("radars", index), unit,
                                                    position)
                                         for index, radar in enumerate(written)) if radar)

    def radar(self, given: schema.Radar, path, unit: str, position) -> model.Radar | None:
        entry = self.entry(given.type, ("radar",), path + ("type",))
        mast = None
        if given.mast is not None:
            mast = self.entry(given.mast, ("mast",), path + ("mast",))
        place = self.point(given.position, path + ("position",), default=position)
        if entry is None or (given.mast is not None and mast is None):
            return None
        name = given.name or f"{unit}/{entry.name}"
        self.claim(name, path + ("name",) if given.name else path)
        self.places[name] = (place, path)
        return model.Radar(name=name, type=entry.name, position=place,
                           mast=mast.name if mast else None,
                           overrides=dict(given.overrides),
                           entry=self.overridden(entry, given.overrides, path + ("overrides",)),
                           mast_entry=mast)

    def launchers(self, given: schema.Battalion, entry, position, path):
        written = given.launchers
        if written is None:
            written = _from_components(entry.launchers, schema.Launcher, given.name)
            paths = [path + ("launchers",)] * len(written)
        else:
            paths = [path + ("launchers", index) for index in range(len(written))]
        default_loadout = list(entry.default_loadout) if entry.has("default_loadout") else None
        return tuple(launcher for launcher in (
            self.launcher(launcher, where, given.name, position, default_loadout)
            for launcher, where in zip(written, paths)) if launcher)

    def launcher(self, given: schema.Launcher, path, unit: str, position, default_loadout):
        entry = self.entry(given.type, ("launcher",), path + ("type",))
        place = self.point(given.position, path + ("position",), default=position)
        if entry is None:
            return None
        entry = self.overridden(entry, given.overrides, path + ("overrides",))
        name = given.name or f"{unit}/{entry.name}"
        self.claim(name, path + ("name",) if given.name else path)
        self.places[name] = (place, path)
        loadout = self.loadout(given.loadout if given.loadout is not None else default_loadout,
                               entry, path + ("loadout",))
        if loadout is None:
            return None
        rounds: dict[str, int] = {}
        for missile in loadout:
            rounds[missile] = rounds.get(missile, 0) + int(self.missiles[missile].value(
                "tube_capacity"))
        return model.Launcher(name=name, type=entry.name, count=given.count, position=place,
                              loadout=tuple(loadout), rounds=rounds,
                              overrides=dict(given.overrides), entry=entry)

    def loadout(self, names, launcher, path) -> list[str] | None:
        tubes = int(launcher.value("tubes"))
        if names is None:
            self.problem(path, f"{launcher.name} needs a loadout",
                         f"give one missile name per tube ({tubes} tubes)")
            return None
        if len(names) != tubes:
            self.problem(path, f"{len(names)} missiles for the {tubes} tubes of {launcher.name}",
                         f"give exactly one missile name per tube ({tubes})")
            return None
        resolved = []
        for index, name in enumerate(names):
            missile = self.missile(name, path + (index,))
            if missile is None:
                continue
            if missile.system != launcher.system:
                fitting = [entry.name for entry in self.catalog.entries("missile")
                           if entry.system == launcher.system]
                self.problem(path + (index,), f"{missile.name} ({missile.system}) does not fit "
                             f"the {launcher.name} launcher ({launcher.system})",
                             "choose one of: " + ", ".join(fitting))
                continue
            resolved.append(missile.name)
        return resolved if len(resolved) == tubes else None

    def reloads(self, given: schema.Battalion, entry, launchers, path) -> dict[str, int]:
        if "reloads" not in given.model_fields_set:
            return _catalogue_reloads(entry, launchers)
        resolved: dict[str, int] = {}
        for name, rounds in given.reloads.items():
            missile = self.missile(name, path + ("reloads", name))
            if missile is None:
                continue
            if not any(missile.name in launcher.loadout for launcher in launchers):
                carried = sorted({name for launcher in launchers for name in launcher.loadout})
                self.problem(path + ("reloads", name), f"{given.name}'s launchers carry no "
                             f"{missile.name} to reload", "reload with a missile they carry: "
                             + ", ".join(carried), key=True)
                continue
            resolved[missile.name] = resolved.get(missile.name, 0) + rounds
        return resolved


def _from_components(components, model_class, unit: str) -> list:
    """Catalogue make-up ([Component(type, count, mast)]) as written parts of a unit."""
    made = []
    for component in components:
        mast = getattr(component, "mast", None)
        if model_class is schema.Radar:
            for number in range(component.count):
                suffix = f" {number + 1}" if component.count > 1 else ""
                made.append(schema.Radar(name=f"{unit}/{component.type}{suffix}",
                                         type=component.type, mast=mast))
        else:
            made.append(model_class(name=f"{unit}/{component.type}", type=component.type,
                                    count=component.count))
    return made


def _catalogue_reloads(entry, launchers) -> dict[str, int]:
    """The catalogue's spare rounds, split in the mix of the battalion's ready rounds."""
    spare = int(entry.value("reload_missiles")) if entry.has("reload_missiles") else 0
    ready: dict[str, int] = {}
    for launcher in launchers:
        for missile, rounds in launcher.rounds.items():
            ready[missile] = ready.get(missile, 0) + rounds * launcher.count
    total = sum(ready.values())
    if spare == 0 or total == 0:
        return {}
    shares = {missile: spare * rounds // total for missile, rounds in ready.items()}
    first = next(iter(shares))
    shares[first] += spare - sum(shares.values())
    return {missile: rounds for missile, rounds in shares.items() if rounds > 0}
