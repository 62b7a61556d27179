"""The audit table resists its own application on PostgreSQL: TRUNCATE is refused by a trigger, and the restricted
role the portal runs as cannot delete, update, truncate, or switch the triggers off.

Runs when DATABASE_URL points at PostgreSQL (CI does); SQLite has neither TRUNCATE nor roles.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from apps.audit.models import AuditEvent
from apps.audit.services import record_event

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE and roles are PostgreSQL's")


@pytest.mark.django_db(transaction=True)
def test_truncating_the_audit_table_is_refused_even_for_its_owner(company_a, csm):
    # Committed first (a transactional test, whose teardown flush also proves the owner's flush still works).
    with transaction.atomic():
        record_event(action="customer.reviewed", obj=company_a, actor=csm, customer_id=company_a.pk)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")

    assert AuditEvent.objects.filter(action="customer.reviewed").count() == 1


@pytest.fixture
def restricted():
    """A login role made by `restricted_db_role --apply`, connected to the test database; dropped afterwards."""
    import psycopg

    role = f"restricted_{connection.settings_dict['NAME']}"[:63]
    call_command("restricted_db_role", role, "--password", "test-only-password", "--apply")
    settings = connection.settings_dict
    restricted_connection = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        password="test-only-password",
        autocommit=True,
    )
    yield restricted_connection
    restricted_connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {role}")
        cursor.execute(f"DROP ROLE {role}")


ATTEMPTS = {
    "delete": "DELETE FROM audit_auditevent",
    "update": "UPDATE audit_auditevent SET action = 'forged'",
    "truncate": "TRUNCATE audit_auditevent",
    "disable the triggers": "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "disable the truncate trigger": "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate",
    "drop a trigger": "DROP TRIGGER audit_event_no_delete ON audit_auditevent",
    "replace the trigger function": "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS "
    "$$ BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql",
    "skip triggers for the session": "SET session_replication_role = replica",
}


@pytest.mark.django_db(transaction=True)
def test_the_restricted_role_appends_and_reads_audit_events_and_can_do_nothing_else_to_them(restricted, company_a):
    import psycopg

    with restricted.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (actor_label, actor_role, action, object_type, object_id, object_repr,"
            " created_at, user_agent, request_id, data) VALUES ('app', '', 'probe.appended', 'x', '1', '', now(),"
            " '', '', '{}')"
        )
        cursor.execute("SELECT count(*) FROM audit_auditevent WHERE action = 'probe.appended'")
        assert cursor.fetchone() == (1,)
        cursor.execute("SELECT count(*) FROM customers_customer")  # the rest of the portal's tables stay usable
        assert cursor.fetchone() == (1,)
        refused = {}
        for what, statement in ATTEMPTS.items():
            try:
                cursor.execute(statement)
            except psycopg.Error as error:
                refused[what] = type(error).__name__
    assert set(refused) == set(ATTEMPTS), f"allowed: {set(ATTEMPTS) - set(refused)}"
    assert AuditEvent.objects.filter(action="probe.appended").count() == 1
