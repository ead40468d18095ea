# SantéLoc — the few commands a developer needs. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEV_ENV := DEBUG=true

.PHONY: run test bench lint format clean

$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
		|| { echo "SantéLoc needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@$(VENV)/bin/python -c "import weasyprint" 2>/dev/null || { echo "WeasyPrint (PDF exports) needs Pango, HarfBuzz and fontconfig from the system:"; \
		echo "  apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"; exit 1; }
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## make run: set everything up (venv, migrations, Grand Est territories and indicators, Marne demo) and serve on PORT.
run: $(VENV)/.runtime
	@mkdir -p var
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py import_territories
	$(DEV_ENV) $(PY) manage.py import_indicators
	$(DEV_ENV) $(PY) manage.py load_demo
	@echo "SantéLoc : http://127.0.0.1:$(PORT)/  (arrêt : Ctrl+C)"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: the whole suite, on two processes; then the browser tests, alone, because each of them
## empties the database when it ends. Without Debian's chromium they are skipped, with one line saying
## how to get it (SANTELOC_REQUIRE_BROWSER=1 makes that a failure); "no test collected" (exit 5) is fine.
test: $(VENV)/.dev
	$(PY) -m pytest -n 2 --dist loadfile --ignore=tests/browser
	$(PY) -m pytest tests/browser || [ $$? -eq 5 ]

## make bench: import, coverage and page figures (whole France import, 1,000 synthetic CLS, a 2,000-action CLS), then report generation.
bench: $(VENV)/.dev
	$(PY) bench/run.py
	$(PY) bench/reports.py

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var
