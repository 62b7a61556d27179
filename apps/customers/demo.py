"""Demo people and companies: a CSM, an admin with finance rights, and two customers with client logins."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from apps.accounts.services import create_staff_user, grant_finance
from apps.core.demo import HISTORY_DAYS, days_ago, demo_clock
from apps.customers import services
from apps.customers.models import Customer, Stakeholder

CSM_EMAIL = "csm@example.com"
ADMIN_EMAIL = "admin@example.com"

COMPANIES: list[dict[str, Any]] = [
    {
        "name": "Acme Robotics",
        "segment": Customer.Segment.MID_MARKET,
        "industry": "Manufacturing automation",
        "size": Customer.Size.S201_1000,
        "website": "https://acme-robotics.example",
        "status": Customer.Status.ACTIVE,
        "stakeholders": [
            ("Alice Carter", "alice@acme.example", "VP Engineering", Stakeholder.Role.EXECUTIVE, True, True),
            ("Raj Patel", "raj@acme.example", "Tech Lead", Stakeholder.Role.TECHNICAL_LEAD, True, False),
            ("Mia Chen", "mia@acme.example", "Product Owner", Stakeholder.Role.PRODUCT_OWNER, False, False),
        ],
    },
    {
        "name": "Globex Health",
        "segment": Customer.Segment.ENTERPRISE,
        "industry": "Healthcare software",
        "size": Customer.Size.S1000_PLUS,
        "website": "https://globex-health.example",
        "status": Customer.Status.ONBOARDING,
        "stakeholders": [
            ("Bob Ortiz", "bob@globex.example", "CTO", Stakeholder.Role.EXECUTIVE, True, True),
            (
                "Nora Singh",
                "nora@globex.example",
                "Engineering Manager",
                Stakeholder.Role.TECHNICAL_LEAD,
                True,
                False,
            ),
        ],
    },
    {
        "name": "Initech Logistics",
        "segment": Customer.Segment.SMB,
        "industry": "Logistics",
        "size": Customer.Size.S51_200,
        "website": "",
        "status": Customer.Status.AT_RISK,
        "stakeholders": [
            ("Peter Gibbons", "peter@initech.example", "COO", Stakeholder.Role.EXECUTIVE, True, False),
        ],
    },
]


def _staff(ctx: Any) -> tuple[Any, Any]:
    User = get_user_model()
    csm = User.objects.filter(email=CSM_EMAIL).first() or create_staff_user(
        email=CSM_EMAIL, full_name="Casey Morgan", password=ctx.password
    )
    admin = User.objects.filter(email=ADMIN_EMAIL).first() or create_staff_user(
        email=ADMIN_EMAIL, full_name="Ada Admin", password=ctx.password, admin=True
    )
    grant_finance(user=admin)
    return csm, admin


def _company(ctx: Any, csm: Any, spec: dict[str, Any]) -> Customer:
    data = {k: v for k, v in spec.items() if k != "stakeholders"}
    customer = Customer.objects.filter(name=spec["name"]).first()
    if customer is None:
        customer = services.create_customer(actor=csm, data={**data, "owner": csm})
    for name, email, title, role, approver, login in spec["stakeholders"]:
        stakeholder = customer.stakeholders.filter(email=email).first()
        if stakeholder is None:
            channels = [Stakeholder.Channel.EMAIL, Stakeholder.Channel.IN_APP]
            stakeholder = services.add_stakeholder(
                actor=csm,
                customer=customer,
                data={
                    "name": name,
                    "email": email,
                    "title": title,
                    "role": role,
                    "is_approver": approver,
                    "channels": channels,
                },
            )
        if login and not stakeholder.has_client_login:
            invite = services.invite_stakeholder(actor=csm, stakeholder=stakeholder)
            services.accept_invite(invite=invite, password=ctx.password)
    return customer


@transaction.atomic
def seed(ctx: Any) -> None:
    csm, admin = _staff(ctx)
    ctx.csm, ctx.admin = csm, admin
    ctx.customers = {}
    for index, spec in enumerate(COMPANIES):
        # Our customers for months already: signed up (and their people invited) long before this quarter's work.
        with demo_clock(days_ago(HISTORY_DAYS - 10 - 10 * index, at=time(11, 0))):
            ctx.customers[spec["name"]] = _company(ctx, csm, spec)
    ctx.logins = [
        ("Customer success manager (staff)", CSM_EMAIL),
        ("Admin with finance permission", ADMIN_EMAIL),
        ("Customer: Acme Robotics executive", "alice@acme.example"),
        ("Customer: Globex Health executive", "bob@globex.example"),
    ]
    ctx.log(f"Customers: {', '.join(ctx.customers)}")
