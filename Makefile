# The index of every command. Needs only python3; uv comes from PyPI when missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3
export UV_PROJECT_ENVIRONMENT := .venv
UV_VERSION := 0.13.9
UV_SYSTEM := $(shell command -v uv 2>/dev/null)
UV := $(or $(UV_SYSTEM),.tools/bin/uv)
PY := .venv/bin/python
MANAGE := $(PY) manage.py
# make test runs the tests in parallel, one pytest-xdist worker per core (PYTEST_WORKERS=0:
# one process); each browser test group stays on one worker, with one server.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadgroup

.PHONY: help install run serve test test-fast lint format migrations migrations-check messages \
        demo admin check ci clean browser bench bench-analytics

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

.venv/.synced: pyproject.toml uv.lock | $(if $(UV_SYSTEM),,.tools/bin/uv)
	$(UV) sync --frozen
	@touch $@

install: .venv/.synced ## Create .venv from uv.lock (runs by itself before run and test)

run: install ## Migrate, load the bilingual demo if empty, serve on http://127.0.0.1:8000 (PORT=...)
	$(MANAGE) serve

test: install ## Run every test (REQUIRE_BROWSER=1 makes a missing Chromium a failure)
	$(PY) -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

test-fast: install ## Every test except the browser ones
	$(PY) -m pytest -m "not browser" $(PYTEST_PARALLEL) $(PYTEST_ARGS)

lint: install ## ruff and djlint, as CI runs them
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/djlint csce --lint

format: install ## Format Python and templates
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
	.venv/bin/djlint csce --reformat --quiet || true

migrations: install ## Write migrations for model changes
	$(MANAGE) makemigrations

migrations-check: install ## Fail when models and migrations differ
	$(MANAGE) makemigrations --check --dry-run

messages: install ## Extract strings into every app's .po files and compile them (needs GNU gettext)
	$(MANAGE) update_translations

demo: install ## Load the bilingual demo content into an empty site
	$(MANAGE) load_demo_content

admin: install ## Create a staff account from the terminal (it sets up MFA at first sign-in)
	$(MANAGE) createsuperuser

check: lint migrations-check ## Lint and migrations check
	DJANGO_SETTINGS_MODULE=csce.settings.production SECRET_KEY=check-only-$$RANDOM$$RANDOM$$RANDOM$$RANDOM-not-a-real-secret-value ALLOWED_HOSTS=example.org \
	  ACCESS_LOG_KEY=check-only-not-a-real-access-log-key \
  FIELD_ENCRYPTION_KEYS=check-only-not-a-real-field-key BLIND_INDEX_KEY=check-only-not-a-real-index-key \
	  $(MANAGE) check --deploy --fail-level WARNING

browser: ## Install Debian's Chromium for the browser tests (root)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

bench: install ## Run the benchmarks in bench/ (see docs/benchmarks.md)
	bash bench/run
	bash bench/beacon

bench-analytics: install ## One year of analytics on PostgreSQL (DATABASE_URL; about 35 minutes)
	$(PY) bench/analytics_dashboard.py

clean: ## Remove the virtual environments (keeps var/, your data)
	rm -rf .venv .tools
