"""Evidence as stored JSON and back: the exact field names of each method (the API's names too).

Pure. `evidence_from_data` refuses missing or unknown fields with a message naming them; the evidence classes
then check the values. `evidence_to_data` writes Decimals as strings, so the stored JSON is exact.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from decimal import Decimal
from typing import Any

from apps.guarantees.methods import METHODS, MethodSpec
from apps.guarantees.methods_base import human


def field_names(method: str) -> list[str]:
    return [f.name for f in fields(spec_for(method).evidence_class)]


def spec_for(method: str) -> MethodSpec:
    spec = METHODS.get(method)
    if spec is None:
        raise ValueError(f"Unknown validation method {method!r}.")
    return spec


def evidence_from_data(method: str, data: dict[str, Any]) -> Any:
    """Build the method's evidence object from stored or posted JSON; ValueError names what is wrong."""
    spec = spec_for(method)
    if not isinstance(data, dict):
        raise ValueError("Evidence must be an object of named fields.")
    optional = {f.name for f in fields(spec.evidence_class) if f.default is not MISSING}
    names = field_names(method)
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise ValueError(f"Unknown field(s) for {spec.label}: {', '.join(unknown)}. Expected: {', '.join(names)}.")
    missing = [name for name in names if name not in data and name not in optional]
    if missing:
        raise ValueError(f"Missing: {', '.join(human(name).lower() for name in missing)}.")
    values = {name: data[name] for name in names if name in data}
    if method == "automated_verification":
        values["checks"] = _checks_in(values["checks"])
    return spec.evidence_class(**values)


def _checks_in(raw: Any) -> Any:
    # JSON's {"name", "passed"} objects become the (name, passed) pairs the rule scores.
    if not isinstance(raw, list):
        raise ValueError("Checks must be a list of {name, passed} objects.")
    pairs = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"name", "passed"}:
            raise ValueError(f"Each check needs exactly a name and passed (got {item!r}).")
        pairs.append((item["name"], item["passed"]))
    return tuple(pairs)


def evidence_to_data(evidence: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in fields(evidence):
        value = getattr(evidence, f.name)
        if f.name == "checks":
            value = [{"name": name, "passed": passed} for name, passed in value]
        elif f.name == "ratings":
            value = [str(rating) for rating in value]
        elif isinstance(value, Decimal):
            value = str(value)
        data[f.name] = value
    return data
