"""Each validation method is declared once (apps/guarantees/methods/<method>.py): the staff form, the client form, the
API schema and the stored JSON are derived from that declaration, so a new method needs no edit anywhere else.

Pure tests: no database marker, so an accidental query fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from pydantic import ValidationError

from apps.guarantees import responses
from apps.guarantees.api import MACHINE_SCHEMAS, machine_schema
from apps.guarantees.forms import CLIENT_FORMS, EVIDENCE_FORMS, ON_BEHALF_FORMS, staff_form_class
from apps.guarantees.methods import METHODS, MethodSettings, evidence_from_data, evidence_to_data, field_names
from apps.guarantees.methods.base import RatioMethod
from apps.guarantees.methods.fields import MethodEvidence, count_field, percent_field
from apps.guarantees.models.config import METHOD_CHOICES

SETTINGS = MethodSettings.domain_defaults()


@dataclass(frozen=True)
class ReleaseNotesEvidence(MethodEvidence):
    items_written: int = count_field("Release notes written", not_above="items_shipped")
    items_shipped: int = count_field("Items shipped", positive=True)
    reviewed_percent: Decimal = percent_field("Reviewed %")


class ReleaseNotes(RatioMethod):
    """A sixteenth method, as a new module would declare it (not registered: the test only derives from it)."""

    key, label, position = "release_notes", "Release notes", 16
    evidence_class, machine_allowed = ReleaseNotesEvidence, True
    ratio = ("Written", "Shipped", "shipped items with release notes")


def test_the_registry_keeps_the_declared_order_which_the_model_choices_follow() -> None:
    assert [method.position for method in METHODS.values()] == list(range(1, 16))
    assert [(method.key, method.label) for method in METHODS.values()] == METHOD_CHOICES


@pytest.mark.parametrize("key", sorted(EVIDENCE_FORMS))
def test_the_staff_form_asks_exactly_the_declared_evidence_fields(key: str) -> None:
    form = EVIDENCE_FORMS[key]()
    assert form.method_fields() == field_names(key)


@pytest.mark.parametrize("key", sorted(MACHINE_SCHEMAS))
def test_the_api_schema_takes_exactly_the_declared_evidence_fields_and_a_note(key: str) -> None:
    assert METHODS[key].machine_allowed
    assert list(MACHINE_SCHEMAS[key].model_fields) == ["note", *field_names(key)]


@pytest.mark.parametrize("key", sorted(responses.RESPONSES))
def test_the_client_and_on_behalf_forms_ask_the_declared_questions(key: str) -> None:
    questions = [question.name for question in METHODS[key].questions]
    assert CLIENT_FORMS[key]().method_fields() == questions
    assert ON_BEHALF_FORMS[key]().method_fields() == ["stakeholder", *questions]


def test_only_machine_methods_have_an_api_schema() -> None:
    assert set(MACHINE_SCHEMAS) == {key for key, method in METHODS.items() if method.machine_allowed}


def test_a_new_methods_declaration_gives_its_staff_form() -> None:
    form = staff_form_class(ReleaseNotes())(
        data={"items_written": "3", "items_shipped": "0", "reviewed_percent": "101"}
    )

    assert form.method_fields() == ["items_written", "items_shipped", "reviewed_percent"]
    assert form.fields["items_shipped"].label == "Items shipped"
    assert not form.is_valid()
    assert form.errors["items_shipped"] == ["Ensure this value is greater than or equal to 1."]
    assert form.errors["reviewed_percent"] == ["Ensure this value is less than or equal to 100."]


def test_a_new_methods_declaration_gives_its_api_schema() -> None:
    schema = machine_schema(ReleaseNotes())

    values = schema.model_validate({"items_written": 3, "items_shipped": 4, "reviewed_percent": "50"}).model_dump()
    assert values == {"note": "", "items_written": 3, "items_shipped": 4, "reviewed_percent": Decimal(50)}
    with pytest.raises(ValidationError):
        schema.model_validate({"items_written": 3, "items_shipped": 4, "reviewed_percent": "50", "extra": 1})


def test_a_new_methods_declaration_checks_its_evidence_and_scores_it() -> None:
    with pytest.raises(ValueError, match=r"Items written \(5\) cannot exceed items shipped \(4\)"):
        ReleaseNotesEvidence(5, 4, 50)
    with pytest.raises(ValueError, match="Items shipped must be at least 1"):
        ReleaseNotesEvidence(0, 0, 50)

    result = ReleaseNotes().score(ReleaseNotesEvidence(3, 4, "50"), SETTINGS)

    assert result.score == Decimal("75.0")
    assert result.reason == "3 of 4 shipped items with release notes: 75.0."


def test_stored_evidence_goes_back_and_forth_unchanged() -> None:
    data = {"checks": [{"name": "ci", "passed": True}, {"name": "backups", "passed": False}]}
    assert evidence_to_data(evidence_from_data("automated_verification", data)) == data
    ratings = evidence_from_data("stakeholder_feedback", {"ratings": ["8", "9.5"]})
    assert evidence_to_data(ratings) == {"ratings": ["8", "9.5"]}
