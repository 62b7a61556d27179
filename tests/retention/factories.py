"""Retention test data: surveys go through the services; touchpoints, reviews and activity are plain rows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from apps.retention.models import Activity, Review, Survey, Touchpoint
from apps.retention.surveys import send_survey
from tests.customers.factories import CustomerFactory, StakeholderFactory, UserFactory


def make_survey(customer: Any, stakeholders: list[Any], **kwargs: Any) -> Survey:
    return send_survey(actor=customer.owner, customer=customer, stakeholders=stakeholders, **kwargs)


class TouchpointFactory(DjangoModelFactory[Touchpoint]):
    class Meta:
        model = Touchpoint

    customer = factory.SubFactory(CustomerFactory)
    kind = Touchpoint.Kind.CALL
    occurred_on = factory.LazyFunction(timezone.localdate)
    note = "Weekly check-in."
    logged_by = factory.LazyAttribute(lambda o: o.customer.owner)


class ReviewFactory(DjangoModelFactory[Review]):
    class Meta:
        model = Review

    customer = factory.SubFactory(CustomerFactory)
    reviewed_on = factory.LazyFunction(timezone.localdate)
    sentiment = 8
    roi_achieved = Decimal(70)
    business_impact = Decimal(60)
    goals_met = Decimal(80)
    recorded_by = factory.LazyAttribute(lambda o: o.customer.owner)


class ActivityFactory(DjangoModelFactory[Activity]):
    class Meta:
        model = Activity

    stakeholder = factory.SubFactory(StakeholderFactory, with_login=True)
    customer = factory.LazyAttribute(lambda o: o.stakeholder.customer)
    day = factory.LazyFunction(timezone.localdate)
    feature = "guarantee"


def days_ago(n: int) -> Any:
    return timezone.localdate() - timedelta(days=n)


__all__ = ["ActivityFactory", "ReviewFactory", "TouchpointFactory", "UserFactory", "days_ago", "make_survey"]
