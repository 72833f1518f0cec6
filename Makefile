# Broadsheet: `make demo` serves the demo newsroom, `make test` runs every test, `make serve`
# serves a migrated site in production (docs/deploy.md).
SHELL := /bin/bash
# The interpreter the virtualenv is made with: the distribution's own Python 3.11 where there is
# one, as it runs the site faster (scripts/pick-python says why); PYTHON=... chooses another.
PYTHON ?= $(shell scripts/pick-python)
# uv itself is installed with whatever python3 has pip and venv (a distribution's python3.11 may
# ship without them).
TOOLS_PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# make serve: the address Granian binds (0.0.0.0 for a load balancer on another machine), and its
# app processes: one per core with REDIS_URL; without it one, since the in-process cache, rate
# limits and live events are each process's own (docs/deploy.md).
HOST ?= 127.0.0.1
WORKERS ?= $(if $(REDIS_URL),$(shell getconf _NPROCESSORS_ONLN),1)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Installed packages are compiled once, at install: where PYTHONDONTWRITEBYTECODE is set (as on
# this project's machines) every Python process would otherwise compile Django, Wagtail and the
# rest from source as it starts (manage.py check: 4.9 s without, 2.2 s with).
export UV_COMPILE_BYTECODE := 1
export SITE_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: install demo serve test lint browser screenshot bench clean

$(UV):
	$(TOOLS_PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --quiet --python $(PYTHON)

demo: install
	$(PY) manage.py migrate --no-input --verbosity 0
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	@# Beside the server: the task worker (search indexing, emails) and the scheduler that
	@# publishes articles at their go-live time; both stop with the server.
	$(PY) manage.py db_worker --verbosity 0 & $(PY) manage.py run_scheduler & trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	scripts/app-server 127.0.0.1 $(PORT) 1

# The site as production serves it, for an operator who has run `manage.py migrate` and
# `manage.py collectstatic` (docs/deploy.md): the app server alone. The task worker
# (`manage.py db_worker`) and the scheduler (`manage.py run_scheduler`, one per site, however many
# machines serve it) run beside it as services of their own.
serve:
	@test -f "$${BROADSHEET_VAR_DIR:-var}/static/staticfiles.json" || { echo "No collected static \
	files in $${BROADSHEET_VAR_DIR:-var}/static, and without them every page is a 500: run \
	$(PY) manage.py collectstatic --no-input first (docs/deploy.md)." >&2; exit 1; }
	@# migrate --check says nothing when it finds migrations to apply; anything it says is why it
	@# could not look (a system check such as Redis not answering, the database out of reach).
	@said=$$($(PY) manage.py migrate --check --verbosity 0 2>&1) && exit 0; \
	if [ -z "$$said" ]; then echo "The database has migrations to apply: run $(PY) manage.py \
	migrate --no-input first (docs/deploy.md)." >&2; else printf '%s\n' "$$said" >&2; echo \
	"Could not check the database's migrations: $(PY) manage.py migrate --check stopped on \
	what is above. Put it right (REDIS_URL, DATABASE_URL: docs/settings.md) and run make serve \
	again." >&2; fi; exit 1
	scripts/app-server $(HOST) $(PORT) $(WORKERS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

browser:
	@scripts/ensure-chromium

# The suite runs in TEST_WORKERS processes (pytest-xdist; 2 = this project's machines' cores): the
# browser tests all go to one of them, which sets up their live site once, and the rest are
# shared out as each process comes free. TEST_WORKERS=0 runs everything in one process. The
# slowest tests are listed at the end, so a CI log shows where its minutes went.
TEST_WORKERS ?= 2

test: install browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --durations=40 --durations-min=3

screenshot: install browser
	BROADSHEET_SCREENSHOT_DIR=docs/images $(VENV)/bin/pytest tests/e2e -k screenshot -q

# Load test on this machine (127.0.0.1 only, bounded, under 10 minutes): Broadsheet beside Isso
# and nginx. Prints one table and writes var/bench/latest.json; see docs/bench.md.
bench: install
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .tools var .pytest_cache .ruff_cache
