from __future__ import annotations

from functools import cached_property

from django.urls import reverse

from tests.access.matrix import (
    ADMIN_ONLY,
    CLIENT_ANY,
    CLIENT_OWN,
    CLIENT_OWN_ACTION,
    STAFF,
    STAFF_ACTION,
    Entry,
    expect,
)

# Refund decisions and payouts need the finance permission: the CSM gets 403, the admin (finance) may act.
FINANCE_ACTION = expect(csm=403, admin="ok")
ADMIN_JSON = expect(csm=403, admin=200)


def _g(name: str, attr: str, *extra: str):
    return lambda w: reverse(name, args=[getattr(w.outcomes, attr).pk, *extra])


ENTRIES = {
    "outcomes:claims": Entry(lambda w: reverse("outcomes:claims"), STAFF),
    "outcomes:guarantee": Entry(_g("outcomes:guarantee", "outcome_eligible"), STAFF),
    "outcomes:inputs": Entry(_g("outcomes:inputs", "outcome_running"), STAFF),
    "outcomes:claim_open": Entry(_g("outcomes:claim_open", "outcome_eligible"), STAFF),
    "outcomes:success": Entry(_g("outcomes:success", "outcome_success"), STAFF),
    "outcomes:success_print": Entry(_g("outcomes:success_print", "outcome_success"), STAFF),
    "outcomes:impact": Entry(
        _g("outcomes:impact", "outcome_success"),
        STAFF_ACTION,
        method="post",
        data=lambda w: {"business_impact": "Cut release time from weeks to days."},
    ),
    "outcomes:audit_trail": Entry(_g("outcomes:audit_trail", "outcome_success"), ADMIN_ONLY),
    "outcomes:audit_trail_json": Entry(_g("outcomes:audit_trail_json", "outcome_success"), ADMIN_JSON),
    "outcomes:case_studies": Entry(lambda w: reverse("outcomes:case_studies"), STAFF),
    "outcomes:claim": Entry(_g("outcomes:claim", "open_refund_claim"), STAFF),
    "outcomes:claim_review": Entry(_g("outcomes:claim_review", "open_migration_claim"), STAFF_ACTION, method="post"),
    "outcomes:claim_approve": Entry(_g("outcomes:claim_approve", "open_refund_claim"), FINANCE_ACTION, method="post"),
    "outcomes:claim_reject": Entry(
        _g("outcomes:claim_reject", "open_migration_claim"),
        STAFF_ACTION,
        method="post",
        data=lambda w: {"reason": "The customer withdrew it."},
    ),
    "outcomes:payout_record": Entry(
        _g("outcomes:payout_record", "approved_refund_claim"),
        FINANCE_ACTION,
        method="post",
        data=lambda w: {"reference": "TRF-MATRIX", "amount": str(w.outcomes.approved_refund_claim.amount)},
    ),
    "outcomes:task_done": Entry(_g("outcomes:task_done", "migration_task"), STAFF_ACTION, method="post"),
    "outcomes:ledger": Entry(lambda w: reverse("outcomes:ledger"), ADMIN_ONLY),
    "outcomes:ledger_csv": Entry(lambda w: reverse("outcomes:ledger_csv"), ADMIN_ONLY),
    "client_outcomes:list": Entry(lambda w: reverse("client_outcomes:list"), CLIENT_ANY),
    "client_outcomes:guarantee": Entry(_g("client_outcomes:guarantee", "outcome_eligible"), CLIENT_OWN),
    "client_outcomes:claim_open": Entry(_g("client_outcomes:claim_open", "outcome_eligible"), CLIENT_OWN),
    "client_outcomes:success": Entry(_g("client_outcomes:success", "outcome_success"), CLIENT_OWN),
    "client_outcomes:success_print": Entry(_g("client_outcomes:success_print", "outcome_success"), CLIENT_OWN),
    "client_outcomes:claim": Entry(_g("client_outcomes:claim", "open_refund_claim"), CLIENT_OWN),
}

# A client POST of a claim is covered by the views' tests; the matrix checks the page itself.
_ = CLIENT_OWN_ACTION


class OutcomeObjects:
    """Company A's guarantees at each end state, each built only when an entry asks for it.

    The matrix builds a world for every case of every app; building seven guarantees each time would slow them all.
    """

    def __init__(self, world) -> None:
        self.world = world

    def _failed(self, name: str):
        from tests.outcomes.factories import failed_guarantee

        return failed_guarantee(customer=self.world.company_a, name=name)

    def _claim(self, name: str, remedy: str, actor=None):
        from apps.outcomes import services

        guarantee = self._failed(name)
        return services.open_claim(actor=actor or self.world.customer_a, guarantee=guarantee, remedy=remedy)

    @cached_property
    def outcome_running(self):
        from tests.outcomes.factories import make_guarantee

        return make_guarantee(customer=self.world.company_a, service_type="legacy_modernization", name="Running")

    @cached_property
    def outcome_success(self):
        from tests.outcomes.factories import succeeded_guarantee

        return succeeded_guarantee(customer=self.world.company_a, name="Succeeded")

    @cached_property
    def outcome_eligible(self):
        return self._failed("Eligible")

    @cached_property
    def open_refund_claim(self):
        return self._claim("Refund open", "refund")

    @cached_property
    def open_migration_claim(self):
        return self._claim("Migration open", "migration_assistance", actor=self.world.csm)

    @cached_property
    def approved_refund_claim(self):
        from apps.accounts.services import grant_finance
        from apps.outcomes import services

        claim = self._claim("Refund approved", "refund")
        grant_finance(user=self.world.admin)
        services.approve_claim(actor=self.world.admin, claim=claim)
        return claim

    @cached_property
    def migration_task(self):
        from apps.outcomes import services

        claim = self._claim("Migration approved", "migration_assistance", actor=self.world.csm)
        services.approve_claim(actor=self.world.csm, claim=claim)
        return claim.tasks.order_by("position").first()


def build(world) -> None:
    world.outcomes = OutcomeObjects(world)
