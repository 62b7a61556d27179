"""Requests per second on /healthz through gunicorn, with and without persistent database connections.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python bench/bench_connections.py
(SQLite opens files, not connections, so the difference shows on PostgreSQL.) Sends a bounded number of
sequential requests to 127.0.0.1 only, and stops the server it started.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 1000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server did not start at {url}")


def measure(conn_max_age: int) -> float:
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECURE": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": str(conn_max_age),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        _wait_until_up(url)
        started = time.perf_counter()
        for _ in range(REQUESTS):
            urllib.request.urlopen(url, timeout=5).read()
        return REQUESTS / (time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    database = os.environ.get("DATABASE_URL", "sqlite (default)")
    print(f"Database: {database.split('@')[-1]}; {REQUESTS} sequential requests to /healthz, 1 gunicorn worker")
    fresh = measure(0)
    persistent = measure(600)
    print(f"CONN_MAX_AGE=0   (new connection per request): {fresh:,.0f} requests/s")
    print(f"CONN_MAX_AGE=600 (persistent connections):     {persistent:,.0f} requests/s")
    print(f"Persistent connections are {persistent / fresh:.1f}x faster")


if __name__ == "__main__":
    main()
