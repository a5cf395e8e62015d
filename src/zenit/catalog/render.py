"""How the catalogue reads on a terminal: an index of entries, and one entry's figures with
their units, sources, notes, alternatives and assumption flags."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from zenit.catalog.entry import Entry
from zenit.catalog.lookup import Catalog
from zenit.catalog.quantities import show_value
from zenit.catalog.schema import PARAMETERS

ASSUMPTION_MARK = "ASSUMPTION"


def index_table(catalog: Catalog) -> Table:
    """One row per entry: name, kind, system and the description's first sentence."""
    table = Table(title="Zenit catalogue (public data)", show_lines=False)
    for column in ("name", "kind", "system", "description"):
        table.add_column(column, overflow="fold")
    for entry in catalog.entries():
        table.add_row(entry.name, entry.kind.replace("_", " "), entry.system,
                      _first_sentence(entry.description))
    return table


def entry_renderable(entry: Entry) -> Group:
    """The entry's description, then each figure with its unit, source, note and alternatives."""
    heading = Text(f"{entry.name}", style="bold")
    heading.append(f"  ({entry.kind.replace('_', ' ')}, {entry.system})", style="dim")
    if entry.aliases:
        heading.append(f"\nalso: {', '.join(entry.aliases)}", style="dim")
    header = Panel(Group(heading, Text(entry.description)), expand=True)
    table = Table(show_lines=True, expand=True)
    table.add_column("parameter", no_wrap=True)
    table.add_column("value", no_wrap=True)
    table.add_column("source, note and alternatives", overflow="fold", ratio=1)
    for name, parameter in PARAMETERS[entry.kind].items():
        if entry.has(name):
            table.add_row(name, *_figure_cells(entry, name, parameter))
    assumptions = sum(figure.assumption for figure in entry.parameters.values())
    footer = Text(f"{assumptions} of {len(entry.parameters)} figures are engineering "
                  f"assumptions, marked {ASSUMPTION_MARK}.", style="dim")
    return Group(header, table, footer)


def _figure_cells(entry: Entry, name: str, parameter) -> tuple[Text, Text]:
    figure = entry.parameters[name]
    value = Text(show_value(figure.value, parameter))
    if figure.assumption:
        value.append(f"\n{ASSUMPTION_MARK}", style="bold yellow")
    about = Text(figure.source or "(label)", style="yellow" if figure.assumption else "")
    if figure.note:
        about.append(f"\nnote: {figure.note}", style="italic")
    for alternative in figure.alternatives:
        about.append(f"\nalternative: {show_value(alternative.value, parameter)}"
                     f" ({alternative.source})", style="cyan")
        if alternative.note:
            about.append(f" {alternative.note}", style="cyan")
    return value, about


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[:end + 1]
