# The two commands: `make run` (portal with demo data) and `make test` (the whole suite); `make dev` runs with DEBUG.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test venv setup e2e-deps lint bench clean

$(VENV)/.installed: pyproject.toml
	@python=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || "$$python" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

venv: $(VENV)/.installed

.env:
	cp .env.example .env

setup: venv .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo
	$(PY) manage.py sync_schedules

# Links in emails and notifications follow HOST and PORT unless SITE_URL is given (`make run SITE_URL=https://...`);
# the page must answer on HOST with DEBUG off, so it joins ALLOWED_HOSTS. The environment wins over .env.
run dev: export SITE_URL ?= http://$(HOST):$(PORT)
run dev: export ALLOWED_HOSTS ?= localhost,127.0.0.1,[::1],$(HOST)
# `make run` serves as production would (DEBUG off: the portal's own 404 and 500 pages, whitenoise serving the
# collected static files); `make dev` turns DEBUG on for Django's technical error pages.
run: export DEBUG := false
dev: export DEBUG := true

# Web server and django-q2 worker together; Ctrl-C stops both within 5 s (scripts/serve says how).
run dev: setup
	@echo ""; echo "Portal: $$SITE_URL/   (DEBUG=$$DEBUG; log in with a demo login above)"; echo ""
	@exec scripts/serve $(PY) $(HOST):$(PORT)

# Browser tests drive Debian's Chromium (axe-core, for their accessibility checks, is vendored in tests/e2e/vendor).
e2e-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

# Two workers by default (each with its own test database; the demo tests run together on one of them, see
# tests/conftest.py); `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= 2
test: venv e2e-deps
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: venv
	@for script in bench/bench_*.py; do $(PY) $$script; done

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles artifacts
