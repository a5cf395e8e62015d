"""Turning pydantic's validation errors into problems a user can act on.

Pydantic says "Input should be greater than 0"; a user wants "dt: '-1 s' must be greater
than 0 s (fix: ...)" at the line where they wrote it. The wording comes from the schema's
own declarations: bounds from the field constraints, units from its `Unit`, choices from
its `Literal`, the list of valid keys from the model.
"""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from zenit.errors import Problem, did_you_mean
from zenit.scenario.loader import Document, FieldPath
from zenit.scenario.schema import ScenarioFile, Unit
from zenit.units import format_quantity

_BOUNDS = {"greater_than": ("gt", "greater than"),
           "greater_than_equal": ("ge", "at least"),
           "less_than": ("lt", "less than"),
           "less_than_equal": ("le", "at most")}

_EXPECTED = {"int_parsing": "a whole number", "int_type": "a whole number",
             "int_from_float": "a whole number", "float_parsing": "a number",
             "float_type": "a number", "string_type": "text", "bool_type": "true or false",
             "bool_parsing": "true or false", "list_type": "a list", "dict_type": "a mapping",
             "model_type": "a mapping", "model_attributes_type": "a mapping"}


def problem_from_error(error: dict, document: Document) -> Problem:
    """One pydantic error (from `ValidationError.errors()`) as a placed Problem."""
    path: FieldPath = tuple(part for part in error["loc"] if isinstance(part, (str, int))
                            and not _is_branch(part))
    kind = error["type"]
    context = error.get("ctx") or {}
    given = _raw(document.data, path)
    field = path[-1] if path and isinstance(path[-1], str) else None
    message, hint = _wording(kind, error, context, path, field, given)
    return document.problem_at(path, message, hint, key=kind == "extra_forbidden")


def _wording(kind, error, context, path, field, given) -> tuple[str, str | None]:
    if kind in ("zenit", "unit"):
        message = context["message"]
        hint = context.get("hint") or (None if "units:" in message else _unit_hint(path))
        return message, hint
    if kind == "missing":
        info = _field_at(path)
        about = f" ({info.description.rstrip('.')})" if info and info.description else ""
        return f"'{field}' is missing", f"add '{field}:'{about}"
    if kind == "extra_forbidden":
        model = _model_at(path[:-1])
        names = list(model.model_fields) if model else []
        hint = did_you_mean(str(field), names) or ("valid fields: " + ", ".join(names))
        return f"unknown field '{field}'", hint
    if kind == "literal_error":
        choices = _choices(path)
        return (f"{given!r} is not a valid {field}",
                did_you_mean(str(given), choices) or "choose one of: " + ", ".join(choices))
    if kind in _BOUNDS:
        bound_name, words = _BOUNDS[kind]
        bound = _format(context[bound_name], path)
        return f"{given!r} must be {words} {bound}", _bound_hint(path, bound_name)
    if kind == "too_short":
        return (f"'{field}' is empty", f"give at least {context.get('min_length', 1)} "
                                       f"{'waypoint' if field == 'route' else 'entry'}")
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {given!r}", None
    return error["msg"], None


def _bound_hint(path: FieldPath, bound_name: str) -> str | None:
    field = path[-1] if path else None
    if field == "count":
        return "a raid group needs at least one threat; delete the group to leave it out"
    if field == "dt":
        return "use a step between 0.05 s and 1 s; events inside a step are interpolated"
    kind = _unit_kind(path)
    if kind and bound_name in ("gt", "ge"):
        return f"check the sign and the unit of this {kind}"
    return None


def _unit_hint(path: FieldPath) -> str | None:
    kind = _unit_kind(path)
    if kind is None:
        return None
    from zenit.units import units_of

    return f"write a {kind} with a unit, one of: {', '.join(units_of(kind))}"


def _format(bound, path: FieldPath) -> str:
    kind = _unit_kind(path)
    if kind is None or kind == "speed":
        if isinstance(bound, int) and not isinstance(bound, bool):
            return str(bound)  # exact: a seed's bound, 2**64 - 1, must not read as 1.8e+19
        return f"{bound:g}" if isinstance(bound, float) else str(bound)
    return format_quantity(float(bound), kind)


def _is_branch(part) -> bool:
    """Pydantic names union branches and validators in `loc` ("function-plain[...]")."""
    return isinstance(part, str) and ("[" in part or part in ("str", "float", "bool", "int"))


def _raw(data, path: FieldPath):
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _models_in(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for argument in typing.get_args(annotation):
        found += _models_in(argument)
    return found


def _walk(path: FieldPath) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    model: type[BaseModel] | None = ScenarioFile
    info = None
    for part in path:
        if isinstance(part, int):
            continue
        if model is None or part not in model.model_fields:
            return None, None
        info = model.model_fields[part]
        models = _models_in(info.annotation)
        model = models[0] if models else None
    return model, info


def _model_at(path: FieldPath) -> type[BaseModel] | None:
    return _walk(path)[0]


def _field_at(path: FieldPath) -> FieldInfo | None:
    return _walk(path)[1]


def _metadata(annotation) -> list:
    found = list(getattr(annotation, "__metadata__", ()))
    for argument in typing.get_args(annotation):
        found += _metadata(argument)
    return found


def _unit_kind(path: FieldPath) -> str | None:
    info = _field_at(path)
    if info is None:
        return None
    for item in list(info.metadata) + _metadata(info.annotation):
        if isinstance(item, Unit):
            return item.kind
    return None


def _choices(path: FieldPath) -> list[str]:
    info = _field_at(path)
    if info is None:
        return []
    return [str(value) for value in _literals(info.annotation)]


def _literals(annotation) -> list:
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return [value for argument in typing.get_args(annotation) for value in _literals(argument)]
    return []
