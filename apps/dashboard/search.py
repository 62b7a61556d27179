"""One search across customers, stakeholders, leads, projects and proposals (staff only).

PostgreSQL ranks by full-text search (with a prefix match so "acm" finds "Acme"); other databases fall back to a
plain case-insensitive substring match. Each kind is one query, capped at `per_kind` rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse

from apps.customers.models import Customer, Stakeholder
from apps.leads.models import Lead
from apps.projects.models import Project
from apps.tiers.models import Proposal

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str
    queryset: Callable[[], QuerySet]
    fields: tuple[str, ...]
    to_hit: Callable[[object], SearchHit]


def _customer_hit(customer: Customer) -> SearchHit:
    detail = " · ".join(part for part in (customer.industry, customer.get_segment_display()) if part)
    return SearchHit("Customer", customer.name, detail, reverse("customers:detail", args=[customer.pk]))


def _stakeholder_hit(stakeholder: Stakeholder) -> SearchHit:
    detail = f"{stakeholder.get_role_display()} at {stakeholder.customer.name}"
    return SearchHit(
        "Stakeholder", stakeholder.name, detail, reverse("customers:detail", args=[stakeholder.customer_id])
    )


def _lead_hit(lead: Lead) -> SearchHit:
    detail = f"{lead.contact_name} · {lead.get_status_display()}"
    return SearchHit("Lead", lead.organization_name, detail, reverse("leads:detail", args=[lead.pk]))


def _project_hit(project: Project) -> SearchHit:
    detail = f"{project.customer.name} · {project.get_status_display()}"
    return SearchHit("Project", project.name, detail, reverse("projects:detail", args=[project.pk]))


def _proposal_hit(proposal: Proposal) -> SearchHit:
    title = f"{proposal.tier.name} for {proposal.lead.organization_name}"
    detail = f"Version {proposal.version} · {proposal.get_status_display()}"
    return SearchHit("Proposal", title, detail, reverse("tiers:proposal_detail", args=[proposal.pk]))


KINDS: list[SearchKind] = [
    SearchKind("customers", "Customers", lambda: Customer.objects.all(), ("name", "industry"), _customer_hit),
    SearchKind(
        "stakeholders",
        "Stakeholders",
        lambda: Stakeholder.objects.select_related("customer"),
        ("name", "email", "title"),
        _stakeholder_hit,
    ),
    SearchKind(
        "leads",
        "Leads",
        lambda: Lead.objects.all(),
        ("organization_name", "contact_name", "contact_email"),
        _lead_hit,
    ),
    SearchKind("projects", "Projects", lambda: Project.objects.select_related("customer"), ("name",), _project_hit),
    SearchKind(
        "proposals",
        "Proposals",
        lambda: Proposal.objects.select_related("lead", "tier"),
        ("lead__organization_name", "contact_name", "tier__name"),
        _proposal_hit,
    ),
]


def clean_query(raw: str) -> str:
    """Printable text only, collapsed spaces, bounded length: what reaches the database is always safe to search."""
    text = "".join(ch for ch in raw if ch.isprintable())
    return re.sub(r"\s+", " ", text).strip()[:MAX_QUERY_LENGTH]


def _substring(fields: tuple[str, ...], query: str) -> Q:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": query})
    return condition


def _postgres_filter(queryset: QuerySet, fields: tuple[str, ...], query: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    words = re.findall(r"\w+", query)
    if not words:
        return _plain_filter(queryset, fields, query)
    # Prefix match on every word ("acm rob" finds "Acme Robotics"); the words reach tsquery as quoted lexemes.
    # A substring match still counts (an e-mail address is one lexeme), ranked after the full-text hits.
    raw = " & ".join(f"'{word}':*" for word in words)
    search = SearchQuery(raw, search_type="raw", config="simple")
    vector = SearchVector(*fields, config="simple")
    return (
        queryset.annotate(search_rank=SearchRank(vector, search))
        .filter(Q(search_rank__gt=0) | _substring(fields, query))
        .order_by("-search_rank", "pk")
    )


def _plain_filter(queryset: QuerySet, fields: tuple[str, ...], query: str) -> QuerySet:
    return queryset.filter(_substring(fields, query)).order_by("pk")


def search(query: str, *, per_kind: int = 5) -> list[tuple[SearchKind, list[SearchHit]]]:
    query = clean_query(query)
    if not query:
        return []
    use_postgres = connection.vendor == "postgresql"
    results = []
    for kind in KINDS:
        matcher = _postgres_filter if use_postgres else _plain_filter
        rows = matcher(kind.queryset(), kind.fields, query)[:per_kind]
        results.append((kind, [kind.to_hit(row) for row in rows]))
    return results
