"""Demo data for the five methods each stakeholder answers: the company's own people give the answers.

A stakeholder with a client login answers in the client view; one without is recorded by the CSM on their behalf,
with a note saying how they gave it. So the demo reads "2 of 2 required approvers" at a company with two approvers.
"""

from __future__ import annotations

from typing import Any

from apps.customers.models import Stakeholder
from apps.guarantees.client_input import answerable_stakeholders, invite_participants, record_stakeholder_response
from apps.guarantees.methods.fields import Who
from apps.guarantees.models import Evidence, MilestoneCriterion
from apps.guarantees.responses import RESPONSES

ON_BEHALF_NOTE = "Given on the weekly call; recorded by the CSM."


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
        values = RESPONSES[criterion.method].demo_answer(pct, position, len(people))
        own_login = person.user is not None and person.user.is_active and person.user.has_usable_password()
        evidence = record_stakeholder_response(
            actor=person.user if own_login else csm,
            criterion=criterion,
            values=values,
            stakeholder=None if own_login else person,
            note="" if own_login else ON_BEHALF_NOTE,
        )
    return evidence
