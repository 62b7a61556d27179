"""`scripts/audit-deps` (CI's dependency audit) fails on a known vulnerability and only on that: an unreachable
vulnerability database warns that nothing was audited (and fails with AUDIT_REQUIRED=1). A stand-in `pip_audit`
module on PYTHONPATH writes the report pip-audit would, so no network is needed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit-deps"

VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "6.1.0", "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["6.1.1"]}]},
        {"name": "redis", "version": "8.2.0", "vulns": []},
    ]
}
CLEAN = {"dependencies": [{"name": "django", "version": "6.1.0", "vulns": []}]}
UNREACHABLE = {
    "dependencies": [
        {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (6.1.0)"},
        {"name": "success-portal", "skip_reason": "distribution marked as editable"},
    ]
}


def _run(tmp_path: Path, report: dict | str, **env: str) -> subprocess.CompletedProcess:
    fake = tmp_path / "fake" / "pip_audit"
    fake.mkdir(parents=True)
    body = f"open(out, 'w').write({json.dumps(report)!r})" if isinstance(report, dict) else report
    (fake / "__main__.py").write_text(f"import sys\nout = sys.argv[sys.argv.index('--output') + 1]\n{body}\n")
    (fake / "__init__.py").write_text("")
    environment = {**os.environ, "PYTHONPATH": str(fake.parent), **env}
    return subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, env=environment, check=False)


def test_a_known_vulnerability_fails_the_run(tmp_path):
    done = _run(tmp_path, VULNERABLE)

    assert done.returncode == 1
    assert "VULNERABLE django 6.1.0: PYSEC-2099-1 (fixed in 6.1.1)" in done.stdout


def test_a_clean_audit_passes(tmp_path):
    done = _run(tmp_path, CLEAN)

    assert done.returncode == 0
    assert "1 packages audited, no known vulnerabilities" in done.stdout


NETWORK_ERROR = "sys.stderr.write('requests.exceptions.ConnectionError: Max retries exceeded'); sys.exit(1)"
CRASH = "sys.stderr.write('ValueError: bad requirement'); sys.exit(1)"


@pytest.mark.parametrize("report", [UNREACHABLE, NETWORK_ERROR], ids=["nothing looked up", "network error"])
def test_an_unreachable_database_warns_that_nothing_was_audited(tmp_path, report):
    done = _run(tmp_path, report)

    assert done.returncode == 0
    assert "dependencies NOT audited" in done.stderr
    assert _run(tmp_path / "required", report, AUDIT_REQUIRED="1").returncode == 1


def test_pip_audit_failing_for_another_reason_fails_the_run(tmp_path):
    done = _run(tmp_path, CRASH)

    assert done.returncode == 1
    assert "NOT audited" not in done.stderr
