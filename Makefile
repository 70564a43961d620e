# Two commands do everything on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup setup-dev run test stop lint check

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; run e.g. make PYTHON=python3.12 ...")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-[0-9]*
	@touch $(STAMP)

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-dev-*
	@touch $(DEV_STAMP)

## setup: the virtual environment with what the application needs
setup: $(STAMP)

## setup-dev: and the tools to test, lint and benchmark it
setup-dev: $(STAMP) $(DEV_STAMP)

## run: set up, migrate, load the demo project, print the local admin's sign-in, serve on :8000 with a job worker
run: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_seeds
	DEBUG=1 $(PY) manage.py local_admin --url http://$(HOST):$(PORT)/
	@# The background worker (imports, pre-annotation, releases) runs beside the server and stops with it.
	DEBUG=1 $(PY) manage.py db_worker --interval 0.5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

## test: set up, lint, then the whole suite (browser tests included where Chromium is installed)
test: setup-dev
	$(PY) -m ruff check --quiet .
	$(PY) -m pytest

## stop: stop the embedded PostgreSQL (it otherwise keeps running for the next command)
stop:
	$(PY) -m annotator.embedded_db stop

## lint: ruff
lint: setup-dev
	$(PY) -m ruff check .
