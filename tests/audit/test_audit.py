"""The audit trail: written in the change's transaction with who, from where and which request; never changed."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from apps.audit.models import AppendOnlyError, AuditEvent
from apps.audit.services import record_event
from apps.customers.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(company_a, csm):
    with transaction.atomic():
        return record_event(action="customer.reviewed", obj=company_a, actor=csm, customer_id=company_a.pk)


def test_creating_a_customer_through_the_portal_records_who_did_it_from_where_and_in_which_request(csm_client, csm):
    response = csm_client.post(
        reverse("customers:create"),
        {"name": "Umbrella Labs", "segment": "smb", "owner": csm.pk, "status": "onboarding"},
        headers={"User-Agent": "Firefox/140 (audit test)", "X-Request-ID": "req-audit-42"},
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 302
    customer = Customer.objects.get(name="Umbrella Labs")
    event = AuditEvent.objects.for_object(customer).get()
    assert event.action == "customer.created"
    assert event.actor == csm
    assert event.actor_label == csm.email
    assert event.actor_role == "staff"
    assert event.object_type == "customers.customer"
    assert event.object_id == str(customer.pk)
    assert event.object_repr == "Umbrella Labs"
    assert event.customer_id == customer.pk
    assert event.ip == "203.0.113.7"
    assert event.user_agent == "Firefox/140 (audit test)"
    assert event.request_id == response["X-Request-ID"] == "req-audit-42"
    assert event.data == {"name": "Umbrella Labs"}


def test_a_request_without_an_id_gets_a_fresh_one_that_the_event_shares(csm_client, csm):
    response = csm_client.post(
        reverse("customers:create"), {"name": "Hooli", "segment": "smb", "owner": csm.pk, "status": "active"}
    )

    event = AuditEvent.objects.get(action="customer.created")
    assert len(response["X-Request-ID"]) == 32
    assert event.request_id == response["X-Request-ID"]
    assert event.ip == "127.0.0.1"


def test_an_admins_action_is_recorded_with_the_admin_role(client, admin_user):
    client.force_login(admin_user)

    client.post(
        reverse("customers:create"), {"name": "Vandelay", "segment": "smb", "owner": admin_user.pk, "status": "active"}
    )

    assert AuditEvent.objects.get(action="customer.created").actor_role == "admin"


def test_work_done_outside_a_request_is_recorded_as_the_system(company_a):
    with transaction.atomic():
        event = record_event(action="customer.rescored", obj=company_a, data={"score": 71})

    assert event.actor is None
    assert event.actor_label == "system"
    assert event.actor_role == "system"
    assert event.ip is None
    assert event.request_id == ""


def test_event_data_is_stored_as_plain_json(company_a, csm):
    from datetime import date
    from decimal import Decimal

    with transaction.atomic():
        event = record_event(
            action="x.y", obj=company_a, actor=csm, data={"amount": Decimal("12.50"), "on": date(2026, 3, 1)}
        )

    event.refresh_from_db()
    assert event.data == {"amount": "12.50", "on": "2026-03-01"}


@pytest.mark.django_db(transaction=True)
def test_record_event_outside_a_transaction_is_refused_and_stores_nothing(company_a, csm):
    with pytest.raises(AppendOnlyError, match="inside the transaction"):
        record_event(action="customer.reviewed", obj=company_a, actor=csm)

    assert AuditEvent.objects.count() == 0


@transaction.atomic
def _change_that_fails(company, actor) -> None:
    record_event(action="customer.updated", obj=company, actor=actor)
    raise RuntimeError("the change itself failed")


def test_a_failed_change_leaves_no_audit_event(company_a, csm):
    with pytest.raises(RuntimeError):
        _change_that_fails(company_a, csm)

    assert AuditEvent.objects.count() == 0


def test_an_event_cannot_be_updated_through_the_orm(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="customer.hidden")

    event.refresh_from_db()
    assert event.action == "customer.reviewed"


def test_an_event_cannot_be_deleted_through_the_orm(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_saving_a_changed_event_is_refused_by_the_database(event):
    event.action = "customer.hidden"

    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).action == "customer.reviewed"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'customer.hidden' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_the_database_trigger_refuses_raw_sql_that_changes_or_removes_an_event(event, sql):
    # A savepoint, so PostgreSQL's aborted statement does not poison the rest of the test.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "customer.reviewed"


def test_the_admin_shows_events_read_only_even_to_a_superuser(client, admin_user, event):
    client.force_login(admin_user)

    changelist = client.get(reverse("admin:audit_auditevent_changelist"))
    detail = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    add = client.get(reverse("admin:audit_auditevent_add"))
    delete = client.get(reverse("admin:audit_auditevent_delete", args=[event.pk]))
    post = client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "customer.hidden"})

    assert changelist.status_code == 200
    assert "customer.reviewed" in changelist.content.decode()
    assert detail.status_code == 200
    assert 'name="action"' not in detail.content.decode()
    assert 'type="submit"' not in detail.content.decode().split('id="content-main"')[1].split("</form>")[0]
    assert add.status_code == 403
    assert delete.status_code == 403
    assert post.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "customer.reviewed"


def test_the_admin_grants_no_add_change_or_delete_permission_on_events(rf, admin_user):
    from django.contrib import admin

    model_admin = admin.site._registry[AuditEvent]
    request = rf.get("/admin/audit/auditevent/")
    request.user = admin_user

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
