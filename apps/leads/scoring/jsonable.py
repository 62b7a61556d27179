"""Frozen dataclasses (configs, facts, scoring results) as plain JSON: Decimals as strings, tuples as lists.

A rescore serialises every part of thousands of results, so each dataclass gets converters compiled once from
its type hints instead of a generic walk over its fields: `to_jsonable` (a dict literal with the right conversion
per field) and `to_json_text` (the JSON text itself, exactly what `json.dumps(to_jsonable(value))` gives, without
building the dicts first). Types the compilers do not know fall back to the generic walk.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from json.encoder import encode_basestring_ascii
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


# ---------------------------------------------------------------- straight to JSON text

_TEXT_CONVERTERS: dict[type, Callable[[Any], str]] = {}
_ENCODE_ONCE: set[type] = set()
_TEXT_CACHE: dict[int, tuple[Any, str]] = {}
_TEXT_CACHE_LIMIT = 50_000


def _leaf_text(value: Any) -> str:
    """What json.dumps writes for a str, bool, int or None (anything else goes through the generic walk)."""
    kind = type(value)
    if kind is str:
        return encode_basestring_ascii(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(_generic(value))


def _text_expression(hint: Any, access: str, namespace: dict[str, Any]) -> str:
    """Python source writing `access` (of type `hint`) as JSON text, as json.dumps's defaults would."""
    if hint is Decimal:
        # str(Decimal) holds digits, '.', '-', 'E', '+' only: nothing to escape.
        return f"('\"' + str({access}) + '\"')"
    if hint is str:
        # The common case inline; anything else a str field holds goes through _leaf.
        namespace["_leaf"], namespace["_enc"] = _leaf_text, encode_basestring_ascii
        return f"(_enc({access}) if {access}.__class__ is str else _leaf({access}))"
    if hint in _LEAVES:
        namespace["_leaf"] = _leaf_text
        return f"_leaf({access})"
    if (inner := _optional_inner(hint)) is not None:
        return f'("null" if {access} is None else {_text_expression(inner, access, namespace)})'
    if typing.get_origin(hint) is tuple:
        item = _text_expression(typing.get_args(hint)[0], "x", namespace)
        return f'("[" + ", ".join([{item} for x in {access}]) + "]")'
    if dataclasses.is_dataclass(hint):
        name = f"_t{len(namespace)}"
        namespace[name] = text_converter_for(hint)
        return f"{name}({access})"
    namespace["_any"] = to_json_text
    return f"_any({access})"


def _cached(kind: type, convert: Callable[[Any], str]) -> Callable[[Any], str]:
    """Encode each object once: shared, immutable objects (a criterion's part for one answer) recur in many leads."""

    def convert_once(value: Any) -> str:
        hit = _TEXT_CACHE.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        text = convert(value)
        if len(_TEXT_CACHE) >= _TEXT_CACHE_LIMIT:
            _TEXT_CACHE.clear()
        # The entry holds the object, so its id cannot be reused by another object while it is cached.
        _TEXT_CACHE[id(value)] = (value, text)
        return text

    return convert_once


def text_converter_for(kind: type) -> Callable[[Any], str]:
    """The compiled JSON-text writer of one dataclass type (built on first use)."""
    converter = _TEXT_CONVERTERS.get(kind)
    if converter is None:
        hints = typing.get_type_hints(kind)
        namespace: dict[str, Any] = {}
        items = [
            f"{encode_basestring_ascii(f.name)!r} + ': ' + {_text_expression(hints[f.name], f'v.{f.name}', namespace)}"
            for f in dataclasses.fields(kind)
        ]
        body = " + ', ' + ".join(items) if items else "''"
        exec(f"def convert(v):\n    return '{{' + {body} + '}}'\n", namespace)  # noqa: S102  (built from type hints)
        converter = namespace["convert"]
        if kind in _ENCODE_ONCE:
            converter = _cached(kind, converter)
        _TEXT_CONVERTERS[kind] = converter
    return converter


def encode_once(*kinds: type) -> None:
    """Cache the JSON text of each object of these (frozen) types by identity: for objects shared between results."""
    _ENCODE_ONCE.update(kinds)
    # Converters compiled before (and those of types holding these types) are rebuilt on next use.
    _TEXT_CONVERTERS.clear()


def to_json_text(value: Any) -> str:
    """`json.dumps(to_jsonable(value))`, written directly: the text Django's JSONField would store."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return text_converter_for(type(value))(value)
    return json.dumps(_generic(value))
