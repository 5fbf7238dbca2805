# OCOP Connect — every set-up step lives here; a fresh machine needs only Python 3.11 and root.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
DEMO_PRODUCTS ?= 300
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: help install install-dev assets locale run worker migrate reference demo test test-e2e check lint format typecheck bench scaleout clean

help:
	@echo "make run      serve the site with demo data on http://127.0.0.1:$(PORT) (SQLite under var/)"
	@echo "make test     run the whole suite (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make install  create .venv with what the site needs"
	@echo "make check    lint, format check, types, migrations check and the suite"
	@echo "make bench    run the benchmarks in bench/"
	@echo "make scaleout two app servers, workers and schedulers on PostgreSQL, Redis and local S3"

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null || PYTHON=python3; $${PYTHON:-python3} -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=24"

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml requirements/constraints.txt
	$(PIP) install --quiet -c requirements/constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --quiet -c requirements/constraints.txt -e ".[dev]"
	@touch $@

install: $(VENV)/.installed assets locale

install-dev: $(VENV)/.installed-dev assets locale

# Front-end assets come from the npm registry (package-lock.json) and are served by the app: no CDN.
static/vendor/htmx.min.js: package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null)
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/
	mkdir -p static/vendor/leaflet
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images static/vendor/leaflet/
	mkdir -p static/vendor/fonts  # Be Vietnam Pro (SIL OFL 1.1): the Vietnamese and Latin subsets, 400 and 700
	for w in 400 700; do for r in vietnamese latin; do \
	  cp node_modules/@fontsource/be-vietnam-pro/files/be-vietnam-pro-$$r-$$w-normal.woff2 static/vendor/fonts/; done; done
	@touch $@

assets: static/vendor/htmx.min.js

# Compiled translations (.mo) are built from the .po sources with polib: no gettext binaries needed.
locale: $(VENV)/.installed
	@$(PY) -m ocop.core.compile_messages

migrate: install
	DJANGO_DEBUG=true $(PY) manage.py migrate --no-input -v0

reference: migrate
	DJANGO_DEBUG=true $(PY) manage.py load_reference
	DJANGO_DEBUG=true $(PY) manage.py load_criteria >/dev/null

demo: reference
	DJANGO_DEBUG=true $(PY) manage.py seed_demo --products $(DEMO_PRODUCTS) --seed 1
	DJANGO_DEBUG=true $(PY) manage.py opendata_dump >/dev/null

# The site, its background worker (imports, e-mail reminders) and the daily jobs' scheduler; Ctrl+C stops all.
run: demo
	@echo "Serving OCOP Connect on http://127.0.0.1:$(PORT)/  (demo accounts: see README)"
	@DJANGO_DEBUG=true $(PY) manage.py db_worker --interval 1 & worker=$$!; \
	DJANGO_DEBUG=true $(PY) manage.py scheduler --interval 60 >/dev/null & scheduler=$$!; \
	trap "kill $$worker $$scheduler 2>/dev/null" EXIT INT TERM; \
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: migrate
	DJANGO_DEBUG=true $(PY) manage.py db_worker

# Browser journeys run in Debian's Chromium (Playwright cannot download its own browsers here).
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null

# Debian's nginx runs in front of gunicorn in the production-profile tests (deploy/nginx/, docs/deploy.md).
/usr/sbin/nginx:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null

# pdftotext (poppler-utils) checks the text of generated certificate PDFs in the tests.
/usr/bin/pdftotext:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null

# zbarimg (zbar-tools) reads the QR codes of printed stamp labels in the tests, as a phone would.
/usr/bin/zbarimg:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools >/dev/null

test: install-dev /usr/bin/chromium /usr/bin/pdftotext /usr/sbin/nginx /usr/bin/zbarimg
	OCOP_TESTING=true $(VENV)/bin/pytest $(PYTEST_ARGS)

check: install-dev /usr/bin/chromium /usr/bin/pdftotext /usr/sbin/nginx /usr/bin/zbarimg
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	OCOP_TESTING=true $(VENV)/bin/mypy ocop config
	OCOP_TESTING=true $(PY) manage.py makemigrations --check --dry-run
	OCOP_TESTING=true $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: install-dev /usr/bin/chromium /usr/bin/pdftotext /usr/sbin/nginx /usr/bin/zbarimg
	OCOP_TESTING=true $(VENV)/bin/mypy ocop config

# Benchmarks load the site with wrk on 127.0.0.1 (Debian package); see bench/README.md.
bench: install-dev /usr/sbin/nginx
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(PY) -m bench $(BENCH_ARGS)

# Two app servers, two workers, two schedulers on one PostgreSQL, one Redis and a local S3 server (scripts/scaleout.py).
scaleout: install-dev
	$(PY) scripts/scaleout.py

clean:
	rm -rf $(VENV) var node_modules static/vendor .pytest_cache .mypy_cache .ruff_cache
