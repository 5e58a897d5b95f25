# Two commands matter: `make run` and `make test`. Both work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SECRET_FILE := .secret_key

.PHONY: run test install messages lint check bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compiled catalogues are built, not committed. Babel compiles them so that no
# system gettext is needed; fuzzy entries are left out.
messages: install
	$(VENV)/bin/pybabel compile --domain django --directory locale --statistics 2>&1 | grep -v '^compiling' || true

$(SECRET_FILE):
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

run: install messages $(SECRET_FILE)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_fixtures --if-empty
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  The site:   http://127.0.0.1:$(PORT)/en/"
	@echo "  The admin:  http://127.0.0.1:$(PORT)/admin/"
	@echo "  Create an account:  $(PY) manage.py createsuperuser"
	@echo "  (or create_editor USERNAME [--publisher] for an editor without superuser rights)"
	@echo ""
	PORT=$(PORT) $(VENV)/bin/gunicorn --config config/gunicorn.conf.py

test: install messages
	$(PY) -m ruff check .
	$(VENV)/bin/djhtml --check templates
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(VENV)/bin/djhtml --check templates

# The import benchmark (at IMPORT_OBJECTS, so that the whole run stays under 15
# minutes; bench/run.py alone defaults to 100,000), then the page benchmark
# (bench/pages.py, which needs wrk).
IMPORT_OBJECTS ?= 20000
bench: install messages
	$(PY) bench/run.py $(IMPORT_OBJECTS)
	$(PY) bench/pages.py

compare: install ; $(PY) bench/compare_snapshots.py $(BASE_REF)

clean:
	rm -rf staticfiles .pytest_cache .hypothesis artifacts var
