# Carte blanche — the two commands of the README, and a few helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test install quality fix migrate demo bench clean system-run system-test

# The Debian packages each command needs (installed as root, otherwise one French line with the command).
system-run:
	@scripts/system-deps run

system-test:
	@scripts/system-deps test

$(BIN)/python: | system-run
	$(PYTHON) -m venv $(VENV)

# Bytecode compiled once here: where PYTHONDONTWRITEBYTECODE is set, every test process would recompile what it
# imports (seconds each, for Django, OpenFisca and the tests' subprocesses).
$(VENV)/.installed: requirements/dev.txt requirements/overrides.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --override requirements/overrides.txt -r requirements/dev.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: system-run demo
	@echo "Carte blanche : http://127.0.0.1:8000 (comptes de démonstration sur la page d'accueil)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Tests run on every core (up to four), each worker with its own test database: TEST_WORKERS=0 runs them in one.
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print(min(4, len(os.sched_getaffinity(0))))")

test: system-test install node_modules/.package-lock.json
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

quality: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check

fix: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/territory_page.py
	$(BIN)/python bench/irritant_list.py
	$(BIN)/python bench/themes.py --limit 2000
	$(BIN)/python bench/rights.py
	$(BIN)/python bench/tours.py
	$(BIN)/python bench/rides.py
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/bookings.py
	$(BIN)/python bench/childcare.py

clean:
	rm -rf $(VENV) node_modules staticfiles
