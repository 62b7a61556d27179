"""The navigation of both faces. Each app adds its entry here: (label, URL name)."""

from __future__ import annotations

STAFF_NAV: list[tuple[str, str]] = [
    ("Leads", "leads:list"),
    ("Proposals", "tiers:proposal_list"),
    ("Education", "education:overview"),
    ("Projects", "projects:list"),
    ("Guarantees", "guarantees:list"),
    ("Outcomes & claims", "outcomes:claims"),
    ("My tasks", "retention:tasks"),
    ("Opportunities", "retention:opportunities"),
    ("Playbooks", "retention:playbooks"),
]

CLIENT_NAV: list[tuple[str, str]] = [
    ("Getting started", "client_education:plan"),
    ("Project updates", "client_projects:list"),
    ("Guarantee", "client_guarantees:list"),
    ("Outcome & claims", "client_outcomes:list"),
    ("Surveys", "client_retention:list"),
]
