"""Requests per second and p95 latency of the main pages through gunicorn, next to /healthz, at scale.

Usage (PostgreSQL at 127.0.0.1:5432, user postgres):
    .venv/bin/python bench/bench_pages.py [--customers 10000] [--seconds 10] [--concurrency 8] [--skip-seed]

1. Creates the database `portal_bench` (or the one DATABASE_URL names) when missing, migrates, runs seed_demo
   (once) and `seed_scale --customers N`, collects the static files.
2. Starts gunicorn (2 workers, CONN_MAX_AGE=600, DEBUG off: production settings) on a free port of 127.0.0.1.
3. Logs in through the login form as a scale CSM and as a scale customer's executive.
4. For each page: `concurrency` client threads send requests for `seconds` seconds; prints requests per second,
   p95 latency and the ratio to /healthz, which is measured before and after the pages (the mean is used).
Prints `uptime`'s load before and after: on a shared machine absolute figures move with it; ratios matter more.
Sends requests to 127.0.0.1 only and stops the server it started.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench"
PASSWORD = "portal-demo-2026"  # apps.core.demo.DEMO_PASSWORD, which seed_scale gives its logins
TARGET_RATIO, TARGET_P95_MS = 0.40, 150


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECURE": "false",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(50)),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "600",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "false",
        "CACHE_URL": os.environ.get("CACHE_URL", "locmemcache://bench"),
    }


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _create_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}")


def prepare(env: dict[str, str], customers: int) -> None:
    _create_database(env["DATABASE_URL"])
    _manage(env, "migrate", "--noinput", "-v", "0")
    # The demo goes first (once), so its logins keep working on top of the scale data.
    if subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from apps.accounts.models import User; import sys; "
            "sys.exit(0 if User.objects.filter(email='csm@example.com').exists() else 3)",
        ],
        cwd=ROOT,
        env=env,
    ).returncode:
        _manage(env, "seed_demo")
    _manage(env, "seed_scale", "--customers", str(customers))
    _manage(env, "collectstatic", "--noinput", "-v", "0")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One keep-alive HTTP connection with a cookie jar of one session (gunicorn's sync workers close it anyway)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port, self.cookies, self.conn = port, dict(cookies or {}), None

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None) -> tuple:
        headers = {**(headers or {}), "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, data, response.getheader("Location", "")


def login(port: int, email: str) -> dict[str, str]:
    client = Client(port)
    _, page, _ = client.request("GET", "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = urlencode({"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD})
    status, _, location = client.request(
        "POST",
        "/login/",
        body,
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}/login/"},
    )
    if status != 302:
        raise SystemExit(f"login as {email} failed ({status})")
    return client.cookies


def measure(port: int, path: str, cookies: dict[str, str], seconds: float, concurrency: int) -> tuple[float, float]:
    """(requests per second, p95 ms) with `concurrency` threads for `seconds`; any non-200 answer stops the run."""
    latencies: list[float] = []
    errors: list[str] = []
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        client = Client(port, cookies)
        while time.perf_counter() < stop_at and not errors:
            began = time.perf_counter()
            status, _, _ = client.request("GET", path)
            latencies.append(time.perf_counter() - began)
            if status != 200:
                errors.append(f"{path} answered {status}")

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise SystemExit(errors[0])
    latencies.sort()
    return len(latencies) / elapsed, latencies[int(0.95 * (len(latencies) - 1))] * 1000


def pages(env: dict[str, str]) -> list[tuple[str, str, str]]:
    """(label, who, path) for every page measured, with ids looked up in the seeded database."""
    script = (
        "from apps.core.scale.people import PREFIX; from apps.customers.models import Customer; "
        "from apps.guarantees.models import Milestone; from apps.leads.models import Lead; "
        "c = Customer.objects.get(name=PREFIX + '000000'); "
        "m = Milestone.objects.filter(guarantee__project__customer=c, week=1).get(); "
        "lead = Lead.objects.filter(organization_name__startswith='Scale prospect').order_by('-pk').first(); "
        "print(c.pk, m.guarantee_id, m.pk, lead.pk)"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    customer, guarantee, milestone, lead = out[-4:]
    return [
        ("staff home", "csm", "/"),
        ("leads list", "csm", "/leads/"),
        ("lead page", "csm", f"/leads/{lead}/"),
        ("customers list", "csm", "/customers/"),
        ("customer page", "csm", f"/customers/{customer}/"),
        ("guarantees list", "csm", "/guarantees/"),
        ("guarantee page", "csm", f"/guarantees/{guarantee}/"),
        ("milestone page", "csm", f"/guarantees/milestones/{milestone}/"),
        ("outcomes", "csm", "/outcomes/"),
        ("dashboard (KPIs)", "csm", "/dashboard/"),
        ("client home", "client", "/client/"),
        ("client milestone", "client", f"/client/guarantees/milestones/{milestone}/"),
    ]


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run(env: dict[str, str], seconds: float, concurrency: int, only: list[str]) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                if Client(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        sessions = {
            "csm": login(port, "scale-csm-000@scale.example"),
            "client": login(port, "exec-000000@scale.example"),
        }
        todo = [p for p in pages(env) if not only or any(o in p[0] for o in only)]
        print(f"Load before: {_uptime()}")
        for _label, who, path in todo:  # warm each worker's caches and templates
            measure(port, path, sessions[who], 0.5, 2)
        health = [measure(port, "/healthz", {}, seconds, concurrency)]
        results = [
            (label, path, *measure(port, path, sessions[who], seconds, concurrency)) for label, who, path in todo
        ]
        health.append(measure(port, "/healthz", {}, seconds, concurrency))
        print(f"Load after:  {_uptime()}")
        base = sum(rps for rps, _ in health) / len(health)
        print(f"\n{'page':<18} {'path':<34} {'req/s':>7} {'p95 ms':>7} {'ratio':>6}")
        print(
            f"{'/healthz':<18} {'(before / after)':<34} {base:7.1f} {max(p for _, p in health):7.0f}   1.00"
            f"   ({health[0][0]:.1f} / {health[1][0]:.1f})"
        )
        for label, path, rps, p95 in results:
            flag = "" if rps / base >= TARGET_RATIO and p95 < TARGET_P95_MS else "  <- below target"
            print(f"{label:<18} {path:<34} {rps:7.1f} {p95:7.0f} {rps / base:6.2f}{flag}")
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--skip-seed", action="store_true", help="measure the database as it is")
    parser.add_argument("--only", nargs="*", default=[], help="pages whose label contains one of these words")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not database_url.startswith("postgres"):
        raise SystemExit("bench_pages measures PostgreSQL: set DATABASE_URL=postgres://... (default portal_bench)")
    env = _env(database_url)
    print(
        f"Database: {database_url.split('@')[-1]}; {args.customers:,} customers; gunicorn 2 workers; "
        f"{args.concurrency} connections, {args.seconds:g} s a page"
    )
    if not args.skip_seed:
        began = time.perf_counter()
        prepare(env, args.customers)
        print(f"Prepared in {time.perf_counter() - began:.0f} s")
    run(env, args.seconds, args.concurrency, args.only)


if __name__ == "__main__":
    main()
