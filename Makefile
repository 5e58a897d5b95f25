# Two commands matter: `make run` and `make test`. Both work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SECRET_FILE := .secret_key

.PHONY: run test install messages lint check bench clean fonts screenshots

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Test tools from npm (package-lock.json): the Nu HTML Checker and axe-core. No
# install scripts: vnu-jar's would fetch a Java runtime, and the machine has one.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

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

# The Arabic-script web font, copied from its npm package: fontsource's Arabic
# subset of Noto Naskh Arabic (OFL). The copies in static/fonts/ are committed so
# that `make run` needs no npm; tests/test_fonts.py checks every letter is in them.
FONT_FILES := node_modules/@fontsource/noto-naskh-arabic/files
fonts: node_modules/.installed
	cp $(FONT_FILES)/noto-naskh-arabic-arabic-400-normal.woff2 $(FONT_FILES)/noto-naskh-arabic-arabic-700-normal.woff2 static/fonts/
	cp node_modules/@fontsource/noto-naskh-arabic/LICENSE static/fonts/OFL.txt

# Desktop and phone screenshots of every page type in the four languages, in
# $(SCREENSHOTS) (default screenshots/), for people to look at.
SCREENSHOTS ?= screenshots
screenshots: install messages
	SCREENSHOTS_DIR=$(SCREENSHOTS) $(PY) -m pytest tests/screenshots.py -p no:cacheprovider -q

compare: install ; $(PY) bench/compare_snapshots.py $(BASE_REF)

clean:
	rm -rf staticfiles .pytest_cache .hypothesis artifacts var screenshots
