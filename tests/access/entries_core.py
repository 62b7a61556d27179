from __future__ import annotations

from django.urls import reverse

from tests.access.matrix import ADMIN_ONLY, ANY_USER, ANY_USER_ACTION, API_KEY_ONLY, PUBLIC, STAFF, Entry, expect

ENTRIES = {
    "healthz": Entry(lambda w: reverse("healthz"), PUBLIC),
    # Clients are redirected to their own home; staff see the staff home.
    "home": Entry(lambda w: reverse("home"), expect(customer_a="ok", customer_b="ok", csm=200, admin=200)),
    "login": Entry(
        lambda w: reverse("login"), expect(anon=200, customer_a="ok", customer_b="ok", csm="ok", admin="ok")
    ),
    # Logging out always ends on the login page.
    "logout": Entry(
        lambda w: reverse("logout"),
        expect(customer_a="login", customer_b="login", csm="login", admin="login"),
        method="post",
    ),
    "password_reset": Entry(lambda w: reverse("password_reset"), PUBLIC),
    "password_reset_done": Entry(lambda w: reverse("password_reset_done"), PUBLIC),
    "password_reset_confirm": Entry(
        lambda w: reverse("password_reset_confirm", args=["MQ", "bad-token"]),
        expect(anon="ok", customer_a="ok", customer_b="ok", csm="ok", admin="ok"),
    ),
    "password_reset_complete": Entry(lambda w: reverse("password_reset_complete"), PUBLIC),
    "notifications:list": Entry(lambda w: reverse("notifications:list"), ANY_USER),
    "notifications:bell": Entry(lambda w: reverse("notifications:bell"), ANY_USER),
    "notifications:mark_all_read": Entry(
        lambda w: reverse("notifications:mark_all_read"), ANY_USER_ACTION, method="post"
    ),
    # Another person's notification is a 404 for them (nothing changes); its owner is redirected.
    "notifications:mark_read": Entry(
        lambda w: reverse("notifications:mark_read", args=[w.notification_a.pk]),
        expect(customer_a="ok", customer_b=404, csm=404, admin=404),
        method="post",
    ),
    # The Django admin: staff without model permissions see an empty index; customers are sent to its login.
    "admin:index": Entry(lambda w: reverse("admin:index"), expect(customer_a=302, customer_b=302, csm=200, admin=200)),
    # The schema and the interactive docs are for staff (integrators get the schema from a CSM).
    "api:openapi-json": Entry(
        lambda w: reverse("api:openapi-json"), expect(customer_a=302, customer_b=302, csm=200, admin=200)
    ),
    "api:openapi-view": Entry(
        lambda w: reverse("api:openapi-view"), expect(customer_a=302, customer_b=302, csm=200, admin=200)
    ),
    "api:ping": Entry(lambda w: reverse("api:ping"), API_KEY_ONLY),
    # The API root has no resource of its own.
    "api:api-root": Entry(
        lambda w: reverse("api:api-root"), expect(anon=404, customer_a=404, customer_b=404, csm=404, admin=404)
    ),
}

_unused = (ADMIN_ONLY, STAFF)


def build(world) -> None:
    from apps.notifications.models import Notification

    world.notification_a = Notification.objects.create(user=world.customer_a, title="For A", url="/client/")
