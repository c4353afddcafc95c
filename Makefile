# Jobbtorg — the two commands: `make run` and `make test` (README.md).
#
# Django 6.1 needs Python >= 3.12 (docs/adr/0002). The machine's default python3 may be
# older, so we take the first interpreter found that is new enough: python3.12/python3.13
# on PATH (pyenv shims count only if that version is active), then pyenv's installed
# 3.12/3.13 builds, then plain python3. Override with `make PYTHON=/path/to/python3.12`.
PYTHON ?= $(shell for p in python3.12 python3.13 $$HOME/.pyenv/versions/3.1[23]*/bin/python3 \
	/root/.pyenv/versions/3.1[23]*/bin/python3 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; \
	then command -v $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PARTICIPANTS ?= 3000
SEED ?= 1
WORKERS ?= 3
export DJANGO_SETTINGS_MODULE ?= jobbtorg.settings

.PHONY: run test test-clock venv install migrate demo lint typecheck messages clean

# Creates .venv (again, if the one there is older than 3.12) and installs the pinned
# requirements. Re-runs only when a requirements file changes.
$(BIN)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Fel: hittade ingen Python 3.12 eller nyare (Django 6.1 kräver det)." >&2; \
	  echo "Error: no Python >= 3.12 found (needed by Django 6.1). Searched python3.12, python3.13," >&2; \
	  echo "  ~/.pyenv/versions/3.1[23]*/bin/python3 and python3. Install one, or run" >&2; \
	  echo "  make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)" >&2; \
	  exit 1; \
	fi
	@if ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	  echo "Creating $(VENV) with $(PYTHON)"; rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

venv install: $(BIN)/.installed

# Compiles locale/*/LC_MESSAGES/*.po; needs GNU gettext's msgfmt (Debian: gettext).
messages: $(BIN)/.installed
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Error: msgfmt not found; install GNU gettext (Debian: apt-get install gettext)." >&2; exit 1; }
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

migrate: install messages
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py collectstatic --no-input -v 0

# Loads the demo population once; a second `make run` finds the data and reuses it.
demo: migrate
	$(BIN)/python manage.py seed_demo --participants $(PARTICIPANTS) --seed $(SEED) --if-empty

## make run: install, migrate, load Stockholm + demo data, start gunicorn and the task worker.
# The worker runs in the background; the EXIT trap stops it whenever gunicorn stops
# (Ctrl-C, SIGTERM, or gunicorn failing to start).
run: demo
	@$(BIN)/python manage.py print_demo_logins --port $(PORT)
	@$(BIN)/python manage.py db_worker --no-reload -v 0 & worker=$$!; \
	$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/gunicorn -c gunicorn.conf.py jobbtorg.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --no-control-socket --access-logfile -

# Parallel tests (pytest-xdist, docs/adr/0018): PYTEST_WORKERS processes, each with its own test
# database; `auto` is one per CPU, 0 runs everything in this process. The browser tests run after
# them in one process, against one server (xdist's groups do not work with pytest 9: ADR 0018);
# a PYTEST_ARGS that names the browser mark gets one run as asked.
PYTEST_WORKERS ?= auto
# Random order (pytest-randomly) is off unless JOBBTORG_RANDOM_ORDER is set: 1 shuffles with
# today's UTC date as the seed (one order per day, e.g. 20261203), any other number is the seed
# itself, to replay an order. pytest's header prints it: "Using --randomly-seed=20261203".
JOBBTORG_RANDOM_ORDER ?=
RANDOM_SEED = $(if $(filter 1,$(JOBBTORG_RANDOM_ORDER)),$(shell date -u +%Y%m%d),$(JOBBTORG_RANDOM_ORDER))
# Bytecode is written even under PYTHONDONTWRITEBYTECODE: else each worker compiles and
# assertion-rewrites every module again on every run (docs/adr/0018).
PYTEST = env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) \
	$(if $(JOBBTORG_RANDOM_ORDER),-p randomly --randomly-seed=$(RANDOM_SEED))

## make test: install and run every test (unit, API, browser) plus lint, type, import-contract and migration checks.
# PYTEST_ARGS passes options on, e.g. `make test PYTEST_ARGS='-m "not browser"'`.
test: install messages
	$(BIN)/ruff check .
	$(BIN)/mypy jobbtorg
	$(BIN)/lint-imports  # the import contracts of docs/architecture.md ([tool.importlinter] in pyproject.toml)
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0
ifneq ($(findstring browser,$(PYTEST_ARGS)),)
	$(PYTEST) $(PYTEST_ARGS)
else
	$(PYTEST) -m "not browser and not serial" $(PYTEST_ARGS)
	$(PYTEST) -n 0 -m "browser or serial" $(PYTEST_ARGS) || test $$? -eq 5  # 5: the selection left none
endif

## make test-clock: the non-browser tests again with the clock moved (README.md, conftest.py).
# Every test starts at JOBBTORG_TEST_CLOCK (default 2026-11-25T10:00, Stockholm); here at each of
# TEST_CLOCKS in turn: 1.5 years ahead and a 29 February. A test that passes only near the default
# date fails here. Runs every instant, then fails if any run failed. CI runs it on SQLite.
TEST_CLOCKS ?= 2028-06-15T10:00 2028-02-29T10:00
test-clock: install messages
	@status=0; for clock in $(TEST_CLOCKS); do \
	  echo "== tests with the clock at $$clock =="; \
	  { JOBBTORG_TEST_CLOCK=$$clock $(PYTEST) -m "not browser and not serial" $(PYTEST_ARGS) && \
	    { JOBBTORG_TEST_CLOCK=$$clock $(PYTEST) -n 0 -m serial $(PYTEST_ARGS) || test $$? -eq 5; }; } \
	    || { echo "FAILED with the clock at $$clock" >&2; status=1; }; \
	done; exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy jobbtorg

typecheck: install
	$(BIN)/mypy jobbtorg

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles

## make bench: page times at 10 000 and 1 000 000 participants on PostgreSQL (bench/README.md).
# Not part of `make test`. Loads jobbtorg_bench_<size> once (1 000 000 takes ~15 min) and keeps it;
# `make bench BENCH_SIZES="10000"` for one size; clean up with `dropdb jobbtorg_bench_<size>`.
BENCH_SIZES ?= 10000 1000000
.PHONY: bench
bench: install messages
	$(BIN)/python manage.py collectstatic --no-input -v 0  # pages are rendered with the production static storage
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432} $(BIN)/python bench/pages.py --sizes $(BENCH_SIZES)

## make load: 50 simulated staff for 2 minutes against gunicorn on the 1 000 000 database (bench/README.md).
# Not part of `make test`. Needs jobbtorg_bench_1000000 (make bench, or bench/pages.py --sizes 1000000 --only-prepare).
.PHONY: load
load: install messages
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/jobbtorg_bench_1000000} $(BIN)/python bench/load.py $(LOAD_ARGS)
