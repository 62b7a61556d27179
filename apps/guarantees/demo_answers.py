"""Demo data for the five methods each stakeholder answers: the company's own people give the answers.

A stakeholder with a client login answers in the client view; one without is recorded by the CSM on their behalf,
with a note saying how they gave it. So the demo reads "2 of 2 required approvers" at a company with two approvers.
"""

from __future__ import annotations

from typing import Any

from apps.customers.models import Stakeholder
from apps.guarantees.client_input import answerable_stakeholders, invite_participants, record_stakeholder_response
from apps.guarantees.models import Evidence, MilestoneCriterion
from apps.guarantees.responses import RESPONSES, Who

ON_BEHALF_NOTE = "Given on the weekly call; recorded by the CSM."


def _rating(pct: int, offset: int = 0) -> int:
    return max(1, min(10, round((pct + offset) / 10)))


def _values(method: str, pct: int, position: int, count: int) -> dict[str, Any]:
    """What the stakeholder at `position` (of `count`) answers so that the method scores about `pct`."""
    if method in ("stakeholder_sign_off", "user_testing"):
        key = "approved" if method == "stakeholder_sign_off" else "approves"
        return {key: position < round(pct * count / 100)}
    if method == "stakeholder_demo":
        return {"features_demonstrated": round(pct / 5), "features_planned": 20}
    # Ratings and survey answers vary a little between people, as real ones do.
    key = "rating" if method == "stakeholder_feedback" else "score"
    return {key: _rating(pct, 5 if position % 2 else 0)}


def answer_as_stakeholders(*, csm: Any, criterion: MilestoneCriterion, pct: int) -> Evidence | None:
    """Each stakeholder the method takes answers (invited first where the method asks invited people)."""
    customer_id = criterion.milestone.guarantee.project.customer_id
    if RESPONSES[criterion.method].who == Who.INVITED:
        everyone = list(Stakeholder.objects.filter(customer_id=customer_id).order_by("pk"))
        invite_participants(actor=csm, criterion=criterion, stakeholders=everyone)
    people = list(answerable_stakeholders(criterion).select_related("user").order_by("pk"))
    if criterion.method == "stakeholder_demo":
        # One named stakeholder confirms the demo: the product owner where there is one.
        owners = [p for p in people if p.role == Stakeholder.Role.PRODUCT_OWNER]
        people = (owners or people)[:1]
    evidence = None
    for position, person in enumerate(people):
        values = _values(criterion.method, pct, position, len(people))
        own_login = person.user is not None and person.user.is_active and person.user.has_usable_password()
        evidence = record_stakeholder_response(
            actor=person.user if own_login else csm,
            criterion=criterion,
            values=values,
            stakeholder=None if own_login else person,
            note="" if own_login else ON_BEHALF_NOTE,
        )
    return evidence
