"""Reading a scenario file into plain data while remembering where every node was written.

PyYAML's `safe_load` forgets positions, so the file is composed into nodes and walked by
hand: each value gets the (line, column) of its node and each mapping key the place of the
key itself, so a problem can point at the exact spot. Duplicate keys, which `safe_load`
would silently let the last one win, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from zenit.errors import Problem

FieldPath = tuple[str | int, ...]


def render_path(path: FieldPath) -> str:
    """("threats", 0, "route", 1, "speed") -> "threats[0].route[1].speed"."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


@dataclass
class Marks:
    """1-based (line, column) of every value and every mapping key in a YAML document."""

    values: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: FieldPath, key: bool = False) -> tuple[int | None, int | None]:
        """The place of a path, or of its nearest written ancestor when it was left out."""
        table = self.keys if key else self.values
        while True:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            if not path:
                return None, None
            path = path[:-1]


@dataclass
class Document:
    """A scenario file read into plain data, with its text and marks."""

    file: str
    text: str
    data: object
    marks: Marks
    problems: list[Problem]

    def problem_at(self, path: FieldPath, message: str, hint: str | None = None,
                   key: bool = False) -> Problem:
        """A Problem placed where `path` was written (at its key when `key`)."""
        line, column = self.marks.of(path, key=key)
        return Problem(message, file=self.file, line=line, column=column,
                       path=render_path(path) or None, hint=hint)


def read_document(text: str, file: str) -> Document:
    """Parse YAML text; syntax errors and duplicate keys come back as problems, not raises."""
    marks = Marks()
    problems: list[Problem] = []
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = _walk(node, (), loader, marks, problems, file) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problems.append(Problem(f"the file is not valid YAML: {error.problem or error.context}",
                                file=file, line=mark.line + 1 if mark else None,
                                column=mark.column + 1 if mark else None,
                                hint="check the indentation and the colons around this place"))
        data = None
    finally:
        loader.dispose()
    return Document(file=file, text=text, data=data, marks=marks, problems=problems)


def _place(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _walk(node, path: FieldPath, loader, marks: Marks, problems: list[Problem], file: str):
    marks.values[path] = _place(node)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key = key if isinstance(key, str) else str(key)
            child = path + (key,)
            if key in result:
                line, column = _place(key_node)
                problems.append(Problem(f"{key!r} is given twice", file=file, line=line,
                                        column=column, path=render_path(child),
                                        hint="keep one of them"))
                continue
            marks.keys[child] = _place(key_node)
            result[key] = _walk(value_node, child, loader, marks, problems, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, path + (index,), loader, marks, problems, file)
                for index, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
