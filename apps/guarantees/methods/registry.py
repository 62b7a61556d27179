"""The registry of validation methods: every `Method` subclass in a module of this package, by key.

A module is a method when it defines a `Method` subclass; `position` orders them (the admin's choices and the
model field's choices follow that order, so a new method takes the next position). Pure: no Django.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

from apps.guarantees.methods.base import Method, MethodScore, MethodSettings, human
from apps.guarantees.methods.fields import declared, from_json, optional_names, to_json

_INFRASTRUCTURE = {"base", "fields", "registry"}


def _discover() -> dict[str, Method]:
    found: list[Method] = []
    for module_info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module_info.name in _INFRASTRUCTURE:
            continue
        module = importlib.import_module(f"{__package__}.{module_info.name}")
        found += [
            value()
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Method) and value.__module__ == module.__name__
        ]
    found.sort(key=lambda method: method.position)
    keys, positions = [m.key for m in found], [m.position for m in found]
    if len(set(keys)) != len(keys) or len(set(positions)) != len(positions):
        raise ImportError(
            f"Validation methods need unique keys and positions (got {list(zip(keys, positions, strict=True))})."
        )
    return {method.key: method for method in found}


METHODS: dict[str, Method] = _discover()


def spec_for(method: str) -> Method:
    spec = METHODS.get(method)
    if spec is None:
        raise ValueError(f"Unknown validation method {method!r}.")
    return spec


def field_names(method: str) -> list[str]:
    return [name for name, _ in declared(spec_for(method).evidence_class)]


def score_evidence(method_key: str, evidence: object, settings: MethodSettings) -> MethodScore:
    """Score evidence by method key, refusing another method's evidence (wrong form for a criterion)."""
    spec = METHODS.get(method_key)
    if spec is None:
        raise ValueError(f"Unknown validation method {method_key!r}.")
    if not isinstance(evidence, spec.evidence_class):
        raise ValueError(f"{spec.label} needs {spec.evidence_class.__name__}, not {type(evidence).__name__}.")
    return spec.score(evidence, settings)


def evidence_from_data(method: str, data: dict[str, Any]) -> Any:
    """Build the method's evidence object from stored or posted JSON; ValueError names what is wrong.

    Missing or unknown fields are refused with a message naming them; the evidence class then checks the values.
    """
    spec = spec_for(method)
    if not isinstance(data, dict):
        raise ValueError("Evidence must be an object of named fields.")
    optional = optional_names(spec.evidence_class)
    names = field_names(method)
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise ValueError(f"Unknown field(s) for {spec.label}: {', '.join(unknown)}. Expected: {', '.join(names)}.")
    missing = [name for name in names if name not in data and name not in optional]
    if missing:
        raise ValueError(f"Missing: {', '.join(human(name).lower() for name in missing)}.")
    values = {name: from_json(field, data[name]) for name, field in declared(spec.evidence_class) if name in data}
    return spec.evidence_class(**values)


def evidence_to_data(evidence: Any) -> dict[str, Any]:
    """The evidence as stored JSON (the API's field names too); Decimals as strings, so it stays exact."""
    return {name: to_json(field, getattr(evidence, name)) for name, field in declared(type(evidence))}
