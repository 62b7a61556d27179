"""Frozen dataclasses (configs, facts, scoring results) as plain JSON: Decimals as strings, tuples as lists.

A rescore serialises every part of thousands of results, so each dataclass gets a converter compiled once from
its type hints (a dict literal with the right conversion per field) instead of a generic walk over its fields.
The output equals the generic walk's; types the compiler does not know fall back to it.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

_LEAVES = (str, int, bool, float, type(None))
_CONVERTERS: dict[type, Callable[[Any], Any]] = {}


def _optional_inner(hint: Any) -> Any | None:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return None


def _expression(hint: Any, access: str, namespace: dict[str, Any]) -> str:
    """Python source converting `access` (of type `hint`) to JSON."""
    if hint is Decimal:
        return f"str({access})"
    if hint in _LEAVES:
        return access
    if (inner := _optional_inner(hint)) is not None:
        return f"(None if {access} is None else {_expression(inner, access, namespace)})"
    if typing.get_origin(hint) is tuple:
        item = _expression(typing.get_args(hint)[0], "x", namespace)
        return f"[{item} for x in {access}]"
    if dataclasses.is_dataclass(hint):
        name = f"_c{len(namespace)}"
        namespace[name] = converter_for(hint)
        return f"{name}({access})"
    namespace["_generic"] = _generic
    return f"_generic({access})"


def converter_for(kind: type) -> Callable[[Any], Any]:
    """The compiled converter of one dataclass type (built on first use)."""
    converter = _CONVERTERS.get(kind)
    if converter is None:
        hints = typing.get_type_hints(kind)
        namespace: dict[str, Any] = {}
        items = ", ".join(
            f"{f.name!r}: {_expression(hints[f.name], f'v.{f.name}', namespace)}" for f in dataclasses.fields(kind)
        )
        exec(f"def convert(v):\n    return {{{items}}}\n", namespace)  # noqa: S102  (source built from type hints)
        converter = _CONVERTERS[kind] = namespace["convert"]
    return converter


def _generic(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_generic(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return converter_for(type(value))(value)
    if isinstance(value, dict):
        return {key: _generic(item) for key, item in value.items()}
    return value


def to_jsonable(value: Any) -> Any:
    """Dataclasses, tuples and Decimals as plain JSON (Decimals as strings, so no precision is lost)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return converter_for(type(value))(value)
    return _generic(value)
