"""The catalogue as a whole: finding entries by name or alias, listing them by kind."""

from __future__ import annotations

import re
from typing import Iterable

from zenit.catalog.entry import Entry
from zenit.catalog.schema import KINDS
from zenit.errors import CatalogError, did_you_mean, nearest_names

_IGNORED = re.compile(r"[\s\-_./]")
HINT_CANDIDATES = 6  # near names weighed for a "did you mean"
HINT_NAMES = 3  # names it offers


def lookup_key(name: str) -> str:
    """Names match whatever their case, spaces, hyphens, dots or slashes: 'sa-21' = 'SA21'."""
    return _IGNORED.sub("", name.casefold())


class Catalog:
    """Every entry, reachable by name or alias, case-insensitively."""

    def __init__(self, entries: Iterable[Entry]):
        self._entries: list[Entry] = sorted(entries, key=lambda entry: (
            KINDS.index(entry.kind), entry.name.casefold()))
        self._by_key: dict[str, Entry] = {}
        for entry in self._entries:
            for name in (entry.name, *entry.aliases):
                clash = self._by_key.get(lookup_key(name))
                if clash is not None and clash is not entry:
                    raise CatalogError(f"{entry.file or entry.name}: the name {name!r} is "
                                       f"already used by {clash.kind} {clash.name!r}")
                self._by_key[lookup_key(name)] = entry

    def get(self, name: str, kind: str | None = None) -> Entry:
        """The entry called `name` (or with that alias); with `kind`, it must be of that kind."""
        self._check_kind(kind)
        entry = self._by_key.get(lookup_key(str(name)))
        what = (kind or "catalogue entry").replace("_", " ")
        if entry is None:
            hint = self._hint(str(name), kind)
            raise CatalogError(f"unknown {what} {name!r}" + (f"; {hint}" if hint else "")
                               + " (list them with `zenit catalog`)")
        if kind is not None and entry.kind != kind:
            hint = self._hint(str(name), kind)
            raise CatalogError(f"{name!r} is a {entry.kind.replace('_', ' ')}, not a {what}"
                               + (f"; {hint}" if hint else ""))
        return entry

    def names(self, kind: str | None = None) -> list[str]:
        return [entry.name for entry in self.entries(kind)]

    def entries(self, kind: str | None = None) -> list[Entry]:
        self._check_kind(kind)
        return [entry for entry in self._entries if kind is None or entry.kind == kind]

    def __iter__(self):
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def _hint(self, given: str, kind: str | None) -> str | None:
        """'did you mean' with the entries' own names, whether their name or an alias is near."""
        known = [name for entry in self.entries(kind) for name in (entry.name, *entry.aliases)]
        nearest = [self._by_key[lookup_key(name)].name
                   for name in nearest_names(given, known, HINT_CANDIDATES)]
        names = list(dict.fromkeys(nearest))[:HINT_NAMES]
        return ("did you mean " + " or ".join(repr(name) for name in names) + "?") if names \
            else None

    def _check_kind(self, kind: str | None) -> None:
        if kind is not None and kind not in KINDS:
            hint = did_you_mean(kind, KINDS)
            raise CatalogError(f"unknown entry kind {kind!r}"
                               + (f"; {hint}" if hint else f" (kinds: {', '.join(KINDS)})"))
