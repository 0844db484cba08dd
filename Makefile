# civicgrid: `make run` serves the demo district, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
# path without the query string and no referrer: query strings can carry personal data (a looked-up ID number)
ACCESS_LOG_FORMAT := %(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms
export CIVICGRID_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test lint bench install install-dev messages clean screenshots

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "civicgrid needs Python 3.11 (found $(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,lint,bench]"
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-dev: $(VENV)/.installed-dev

# TZ: gunicorn's own log lines in the platform's zone (settings.TIME_ZONE), like the app's and the task worker's
run: install
	$(BIN)/civicgrid migrate --noinput
	$(BIN)/civicgrid collectstatic --noinput --verbosity 0
	$(BIN)/civicgrid demo --if-empty
	$(BIN)/civicgrid demo_logins --port $(PORT)
	$(BIN)/civicgrid run_huey --workers 1 --flush-locks > "$(CIVICGRID_DATA_DIR)/tasks.log" 2>&1 & \
	  trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  TZ=Asia/Shanghai $(BIN)/gunicorn civicgrid.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 \
	    --no-control-socket --access-logfile - --access-logformat '$(ACCESS_LOG_FORMAT)'

test: install-dev
	$(BIN)/python -m pytest -n 2 --dist loadgroup

screenshots: install-dev  # the journeys at phone and desktop size, as PNGs in var/screenshots/<journey>/
	rm -rf var/screenshots
	CIVICGRID_SCREENSHOTS=$(CURDIR)/var/screenshots $(BIN)/python -m pytest tests/browser -q
	@echo "screenshots: $$(find var/screenshots -name '*.png' | wc -l) pictures in var/screenshots/"

lint: install-dev
	$(BIN)/ruff check civicgrid tests bench
	$(BIN)/mypy civicgrid

bench: install-dev
	$(BIN)/python bench/run_all.py --quick

APPS := $(notdir $(patsubst %/apps.py,%,$(wildcard civicgrid/*/apps.py)))
messages: install-dev  # needs GNU gettext (xgettext) to extract; compiling needs only Python
	for app in $(APPS); do (cd civicgrid/$$app && mkdir -p locale && DJANGO_SETTINGS_MODULE=civicgrid.settings_test \
	  ../../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --no-location) || exit 1; done
	$(BIN)/python -m civicgrid.core.i18n

clean:
	rm -rf $(VENV) var
