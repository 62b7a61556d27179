"""The database drops the web process's connection (`pg_terminate_backend`): the next request still succeeds.

A real gunicorn (one sync worker, so every request shares one persistent connection: CONN_MAX_AGE) serves the
committed test database. Django's CONN_HEALTH_CHECKS pings a persistent connection at the start of each request's
first query and reconnects when it is dead, so the request after the kill is answered from a new connection.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.faults.cluster import ROOT, database_url, wait_for
from tests.faults.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own test server)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


@pytest.fixture
def web(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "CONN_MAX_AGE": "600",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
    with open(tmp_path / "gunicorn.log", "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _get(f"{base}/healthz") == 200, seconds=30, what="gunicorn to answer")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _web_backends() -> set[int]:
    """Backends connected to the test database other than this test's own connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


def test_the_request_after_the_database_drops_the_connection_succeeds(web):
    assert _get(f"{web}/healthz") == 200
    before = _web_backends()
    assert len(before) == 1, "one gunicorn worker, one persistent connection"
    assert _get(f"{web}/healthz") == 200
    assert _web_backends() == before, "the connection is kept between requests (CONN_MAX_AGE)"

    for _ in range(2):
        (pid,) = _web_backends()
        with psycopg.connect(database_url().replace("postgres://", "postgresql://"), autocommit=True) as admin:
            assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
        wait_for(lambda pid=pid: pid not in _web_backends(), seconds=5, what="the backend to end")
        time.sleep(0.2)

        assert _get(f"{web}/healthz") == 200
        after = _web_backends()
        assert len(after) == 1
        assert not after & before, "answered from a new connection"
        before = after
