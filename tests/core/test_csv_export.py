"""One formula guard for every CSV export: the leads export and the ledger, with all six leading characters."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.csv_export import FORMULA_STARTS, safe_cell, stream
from tests.leads.factories import LeadFactory
from tests.outcomes.factories import make_guarantee

FORMULAS = [f"{start}=1+1" if start in "\t\r" else f"{start}1+1" for start in FORMULA_STARTS]


def test_the_guard_covers_all_six_characters_a_spreadsheet_reads_as_a_formula():
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_starts_a_formula_is_prefixed_so_it_stays_text(text):
    assert safe_cell(text) == f"'{text}"


@pytest.mark.parametrize("value", ["Acme", "a=b", " =1", "", 'O"Brien'])
def test_ordinary_text_is_left_alone(value):
    assert safe_cell(value) == value


def test_numbers_the_portal_computed_stay_numbers_and_none_is_empty():
    assert [safe_cell(v) for v in (-5, Decimal("-1.50"), 3.5, None, True)] == [-5, Decimal("-1.50"), 3.5, "", "True"]


def test_stream_guards_every_cell_of_every_row():
    lines = "".join(stream([["name", "note"], ["=cmd()", "\t=1+1"]]))

    assert list(csv.reader(io.StringIO(lines))) == [["name", "note"], ["'=cmd()", "'\t=1+1"]]


@pytest.mark.django_db
@pytest.mark.parametrize("text", FORMULAS)
def test_the_leads_export_guards_each_leading_character(csm_client, csm, text):
    LeadFactory(owner=csm, organization_name=text, contact_name=text)

    response = csm_client.get(reverse("leads:export"))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))
    assert rows[1][1:3] == [f"'{text}", f"'{text}"]


@pytest.mark.django_db
@pytest.mark.parametrize("text", FORMULAS)
def test_the_ledger_export_guards_each_leading_character(client, admin_user, company_a, text):
    make_guarantee(customer=company_a, name=text)
    client.force_login(admin_user)

    content = client.get(reverse("outcomes:ledger_csv")).content.decode()

    rows = list(csv.reader(io.StringIO(content, newline="")))
    assert rows[1][2] == f"'{text}"
