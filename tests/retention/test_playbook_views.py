"""Staff pages for playbooks: starting one from the customer page, the playbooks section, closing tasks with a note,
the playbook list with success rates, and My work's playbook tasks, overdue first."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.retention.health import compute_health
from apps.retention.models import Playbook, PlaybookRun, Task
from apps.retention.playbooks import start_playbook
from tests.customers.factories import CustomerFactory
from tests.retention.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def _start_url(customer):
    return reverse("retention:playbook_start", args=[customer.pk])


def _improvement(customer):
    """Health between 65 and 85: the improvement strategy, whose playbook starts nothing by itself."""
    ReviewFactory(customer=customer, sentiment=7, roi_achieved=75, business_impact=75, goals_met=75)
    compute_health([customer.pk])


def test_the_start_page_suggests_the_playbook_of_the_current_strategy(csm_client, company_a):
    _improvement(company_a)
    page = csm_client.get(_start_url(company_a)).text
    improvement = Playbook.objects.get(strategy="improvement")
    assert company_a.health.strategy == "improvement"
    assert "The Improvement playbook matches Acme A's current strategy" in page
    assert f'value="{improvement.pk}"\n                 checked' in page
    assert "Success-plan review: Customer&#x27;s CSM, due in 14 days, medium priority" in page
    assert "data-confirm=" in page


def test_starting_a_playbook_makes_its_tasks_and_shows_them_on_the_customer_page(csm, csm_client, company_a):
    _improvement(company_a)
    playbook = Playbook.objects.get(strategy="expansion")  # any playbook can be chosen, not only the suggested
    response = csm_client.post(_start_url(company_a), {"playbook": playbook.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[company_a.pk]) + "#playbooks"
    run = PlaybookRun.objects.get()
    assert (run.playbook, run.started_by, run.customer) == (playbook, csm, company_a)
    page = csm_client.get(reverse("customers:detail", args=[company_a.pk])).text
    assert "Expansion discovery call" in page
    assert f"Started by {csm.full_name}" in page
    assert "Current strategy: Improvement." in page


def test_a_bad_choice_re_renders_the_form_and_writes_nothing(csm_client, company_a):
    response = csm_client.post(_start_url(company_a), {"playbook": "999999"})
    assert response.status_code == 200
    assert "Choose one of the playbooks listed." in response.text
    assert not PlaybookRun.objects.exists()


def test_starting_a_running_playbook_again_is_refused_on_the_form(csm, csm_client, company_a):
    playbook = Playbook.objects.get(strategy="nurture")
    start_playbook(actor=csm, customer=company_a, playbook=playbook)
    response = csm_client.post(_start_url(company_a), {"playbook": playbook.pk})
    assert response.status_code == 200
    assert "already running for Acme A" in response.text
    assert Task.objects.count() == 2


def test_the_playbook_pages_refuse_other_methods(csm_client, company_a):
    assert csm_client.put(_start_url(company_a)).status_code == 405
    assert csm_client.post(reverse("retention:playbooks")).status_code == 405


def test_dropping_a_playbook_task_needs_a_note_and_the_last_one_closes_the_run(csm, csm_client, company_a):
    run = start_playbook(actor=csm, customer=company_a, playbook=Playbook.objects.get(strategy="improvement"))
    first, second = run.tasks.order_by("due_on")
    url = reverse("retention:task_close", args=[second.pk])
    response = csm_client.post(url, {"status": "dropped"}, follow=True)
    assert "Say why the playbook task is dropped." in response.text
    csm_client.post(reverse("retention:task_close", args=[first.pk]), {"status": "done"})
    response = csm_client.post(url, {"status": "dropped", "note": "Training booked elsewhere."})
    assert response["Location"].endswith("#playbooks")
    run.refresh_from_db()
    assert run.status == PlaybookRun.Status.CLOSED
    page = csm_client.get(reverse("customers:detail", args=[company_a.pk])).text
    assert "Past runs" in page
    assert "Recorded 30 days after the close." in page


def test_the_playbook_list_shows_each_success_rate_with_n(csm, csm_client, company_a, django_assert_max_num_queries):
    run = start_playbook(actor=csm, customer=company_a, playbook=Playbook.objects.get(strategy="at_risk_recovery"))
    run.tasks.update(status=Task.Status.DONE)
    PlaybookRun.objects.filter(pk=run.pk).update(
        status=PlaybookRun.Status.CLOSED,
        closed_at=timezone.now(),
        outcome_recorded_at=timezone.now(),
        worked=True,
        health_delta=Decimal("6.0"),
    )
    with django_assert_max_num_queries(12):
        page = csm_client.get(reverse("retention:playbooks")).text
    assert "100.0%" in page
    assert "n = 1" in page
    assert page.count("No outcome yet") == 4
    assert "Executive call (CSM&#x27;s team lead, 2 days)" in page


def test_my_work_lists_playbook_tasks_overdue_first(csm, csm_client, company_a):
    other = CustomerFactory(name="Bolt B", owner=csm)
    start_playbook(actor=csm, customer=company_a, playbook=Playbook.objects.get(strategy="nurture"))
    late = start_playbook(actor=csm, customer=other, playbook=Playbook.objects.get(strategy="expansion"))
    late.tasks.filter(title="Expansion discovery call").update(due_on=timezone.localdate() - timedelta(days=2))
    page = csm_client.get(reverse("home")).text
    section = page[page.index('id="playbook_tasks-h"') :]
    assert section.index("Expansion discovery call") < section.index("Quarterly business review")
    assert "Bolt B · Expansion playbook" in section
    assert "Overdue" in section[: section.index("Quarterly business review")]
    tasks = csm_client.get(reverse("retention:tasks")).text
    assert tasks.index("Expansion discovery call") < tasks.index("Quarterly business review")
    assert "Expansion playbook" in tasks


def test_the_suggested_playbook_is_not_preselected_while_it_already_runs(csm, csm_client, company_a):
    _improvement(company_a)
    improvement = Playbook.objects.get(strategy="improvement")
    start_playbook(actor=csm, customer=company_a, playbook=improvement)
    page = csm_client.get(_start_url(company_a)).text
    assert "checked" not in page
    assert "Already running" in page


def test_the_timeline_tells_each_playbook_step_in_a_sentence(csm, csm_client, company_a):
    run = start_playbook(actor=csm, customer=company_a, playbook=Playbook.objects.get(strategy="improvement"))
    for task in run.tasks.all():
        csm_client.post(reverse("retention:task_close", args=[task.pk]), {"status": "done"})
    page = csm_client.get(reverse("customers:detail", args=[company_a.pk]), {"kind": "playbook"}).text
    assert "Casey Manager started the playbook Improvement for Acme A" in page
    assert "Casey Manager closed a playbook task: Success-plan review" in page
    assert "Casey Manager finished the playbook Improvement for Acme A" in page
    assert f'href="/customers/{company_a.pk}/#playbooks"' in page


def test_the_admin_lists_playbooks_with_their_success_rate_and_edits_actions_inline(client, admin_user):
    client.force_login(admin_user)
    listing = client.get(reverse("admin:retention_playbook_changelist")).text
    assert "No outcome yet (n = 0; 0 running, 0 closed)" in listing
    assert reverse("admin:retention_playbook_add") not in listing  # every strategy has its playbook
    playbook = Playbook.objects.get(strategy="nurture")
    page = client.get(reverse("admin:retention_playbook_change", args=[playbook.pk])).text
    assert 'value="Quarterly business review"' in page
    assert "Success rate" in page
