"""The bell, the notifications list, and marking read: each person sees only their own notifications."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.pagination import PAGE_SIZE
from apps.notifications.models import Notification
from tests.pages import assert_method_refused, visible_text

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}


def _notify(user, count: int = 1, **fields) -> list[Notification]:
    return [
        Notification.objects.create(user=user, title=fields.get("title", f"Update {i}"), url=fields.get("url", ""))
        for i in range(count)
    ]


def test_the_bell_shows_the_unread_count_of_the_person_asking(csm_client, csm, customer_a):
    _notify(csm, 3)
    Notification.objects.filter(pk=_notify(csm)[0].pk).update(read_at="2026-01-01T00:00:00Z")
    _notify(customer_a, 5)

    response = csm_client.get(reverse("notifications:bell"), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-label="3 unread"' in html
    assert ">3</span>" in html
    assert "<html" not in html


def test_the_bell_shows_no_badge_when_nothing_is_unread(csm_client):
    response = csm_client.get(reverse("notifications:bell"), headers=HTMX)

    assert "unread" not in response.content.decode()
    assert "Notifications" in response.content.decode()


def test_the_bell_refuses_a_post(csm_client, csm):
    _notify(csm, 2)
    assert_method_refused(csm_client.post(reverse("notifications:bell")), "GET")
    assert Notification.objects.filter(user=csm, read_at__isnull=True).count() == 2  # nothing marked read


def test_the_list_shows_a_persons_own_notifications_and_never_anyone_elses(customer_a_client, customer_a, customer_b):
    _notify(customer_a, title="Milestone 1 is due")
    _notify(customer_b, title="Secret of company B")

    response = customer_a_client.get(reverse("notifications:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Milestone 1 is due" in html
    assert "Secret of company B" not in html
    # A client user sees the list inside the client view's frame.
    assert 'aria-label="Client"' in html


def test_the_list_paginates(csm_client, csm):
    _notify(csm, 30)

    first = csm_client.get(reverse("notifications:list"))
    second = csm_client.get(reverse("notifications:list"), {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert "Page 1 of 2" in first.content.decode()
    assert len(second.context["page"].object_list) == 5
    assert "30 in all" in second.content.decode()


def test_the_list_filters_to_unread(csm_client, csm):
    read, unread = _notify(csm, title="Old news")[0], _notify(csm, title="Fresh news")[0]
    Notification.objects.filter(pk=read.pk).update(read_at="2026-01-01T00:00:00Z")

    html = csm_client.get(reverse("notifications:list"), {"filter": "unread"}).content.decode()

    assert "Fresh news" in html
    assert "Old news" not in html
    assert unread.read_at is None


def test_the_list_htmx_request_renders_only_the_table_fragment(csm_client, csm):
    _notify(csm, title="Fragment item")

    html = csm_client.get(reverse("notifications:list"), headers=HTMX).content.decode()

    assert html.lstrip().startswith('<div id="notification-table">')
    assert "Fragment item" in html
    assert "<nav" not in html.split('aria-label="Pagination"')[0]


@pytest.mark.parametrize("rows", [10, 200])
def test_the_list_query_count_does_not_grow_with_notifications(csm_client, csm, django_assert_max_num_queries, rows):
    _notify(csm, rows)

    with django_assert_max_num_queries(10):
        response = csm_client.get(reverse("notifications:list"))

    assert response.status_code == 200
    shown = response.content.decode().count('class="list-group-item ')
    assert shown == min(rows, PAGE_SIZE)
    assert "Update 0" in visible_text(response) or f"Update {rows - 1}" in visible_text(response)


def test_marking_one_notification_read_opens_its_link(customer_a_client, customer_a):
    notification = _notify(customer_a, url="/client/")[0]

    response = customer_a_client.post(reverse("notifications:mark_read", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/client/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_a_notification_without_a_link_read_returns_to_the_list(customer_a_client, customer_a):
    notification = _notify(customer_a)[0]

    response = customer_a_client.post(reverse("notifications:mark_read", args=[notification.pk]))

    assert response["Location"] == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_another_persons_notification_read_is_a_404_and_changes_nothing(customer_b, customer_a_client):
    theirs = _notify(customer_b, url="/client/secret/")[0]

    response = customer_a_client.post(reverse("notifications:mark_read", args=[theirs.pk]))
    unknown = customer_a_client.post(reverse("notifications:mark_read", args=[theirs.pk + 1000]))

    assert (response.status_code, unknown.status_code) == (404, 404)
    assert "/client/secret/" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_the_persons_own_notifications(csm_client, csm, customer_a):
    _notify(csm, 4)
    _notify(customer_a, 2)

    response = csm_client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert Notification.objects.for_user(csm).unread().count() == 0
    assert Notification.objects.for_user(customer_a).unread().count() == 2
    bell = csm_client.get(reverse("notifications:bell"), headers=HTMX).content.decode()
    assert "unread" not in bell


def test_marking_read_refuses_a_get(csm_client, csm):
    notification = _notify(csm)[0]

    assert csm_client.get(reverse("notifications:mark_read", args=[notification.pk])).status_code == 405
    assert csm_client.get(reverse("notifications:mark_all_read")).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None
