"""A real `manage.py qcluster` in its own process group, against the committed test database.

Started with the same SECRET_KEY (task packages are signed) and the test database's name; `kill()` sends SIGKILL to
the whole group (sentinel, pusher, monitor and workers at once), as a machine losing power would.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django_q.brokers import Broker
from django_q.tasks import async_task

ROOT = Path(__file__).resolve().parents[2]
# Shorter than production's 120 / 180 s, with timeout < retry as django-q2 requires. A task a killed worker held is
# handed out again `retry` seconds after it was taken (ORM broker); an outbox claim is stale after 2 x timeout; and
# a task running longer than `timeout` is itself killed, so it must exceed the longest task of the test.
TIMEOUT, RETRY = 20, 21


def database_url() -> str:
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


class Cluster:
    def __init__(self, tmp_path: Path, *, broker_url: str = "", timeout: int = TIMEOUT) -> None:
        self.timeout, self.retry = timeout, timeout + 1
        self.name = f"faults-{uuid.uuid4().hex[:8]}"
        self.broker_url = broker_url
        self.sink = str(tmp_path / "mail-sink.txt")
        self.log = tmp_path / "qcluster.log"
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "DATABASE_URL": database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "Q_BROKER_URL": self.broker_url,
            "Q_TIMEOUT": str(self.timeout),
            "Q_RETRY": str(self.retry),
            "FAULTS_Q_CLUSTER": self.name,
            "FAULTS_MAIL_SINK": self.sink,
            "PYTHONUNBUFFERED": "1",
        }
        return env

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "qcluster"],
                cwd=ROOT,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL every process of the cluster at once; nothing gets to clean up."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        """A polite stop (SIGTERM, as a deploy would), then SIGKILL if it lingers."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def broker(self) -> Broker:
        if self.broker_url:
            import redis
            from django_q.brokers.redis_broker import Redis

            broker = Redis(list_key=self.name)
            broker.connection = redis.from_url(self.broker_url)
            return broker
        from django_q.brokers.orm import ORM

        return ORM(list_key=self.name)

    def enqueue(self, func: str, *args: Any) -> str:
        """Queue a task for the worker (not run here: the test settings would run it synchronously)."""
        return async_task(func, *args, sync=False, broker=self.broker(), cluster=self.name)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def wait_for(condition: Callable[[], Any], *, seconds: float, what: str, cluster: Cluster | None = None) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    log = f"\nqcluster log:\n{cluster.output()[-4000:]}" if cluster else ""
    raise AssertionError(f"Timed out after {seconds} s waiting for {what}.{log}")
