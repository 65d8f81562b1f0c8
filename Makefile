# Renkei: the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test test-postgres lint check-deploy browser-deps messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## Install, migrate a SQLite database, load the demo council, print the logins, serve :8000.
run: install
	scripts/run-demo

## Install (with Debian's chromium and LibreOffice Calc for the browser and export tests) and run the whole test suite.
test: install browser-deps
	$(BIN)/pytest -n 2 --dist loadfile

# Each checkout gets its own test databases, so two checkouts can run the suite at once.
CHECKOUT_ID := $(shell printf '%s' "$(CURDIR)" | md5sum | cut -c1-8)

## The same suite on the local PostgreSQL (DATABASE_URL and RENKEI_TEST_DATABASE override the defaults).
test-postgres: install browser-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/renkei} \
	RENKEI_TEST_DATABASE=$${RENKEI_TEST_DATABASE:-test_renkei_$(CHECKOUT_ID)} \
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

browser-deps:
	@command -v chromium >/dev/null 2>&1 || scripts/install-chromium
	@command -v soffice >/dev/null 2>&1 || scripts/install-libreoffice

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

## Compile locale/ja (the council's wording for allauth's pages); needs gettext's msgfmt.
messages: install
	$(BIN)/python manage.py compilemessages --locale ja --ignore '.venv/*'

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	DJANGO_ALLOWED_HOSTS=renkei.example.lg.jp $(BIN)/python manage.py check --deploy --fail-level WARNING
