# Jobbtorg — the two commands: `make run` and `make test`.
# Django 6.1 needs Python >= 3.12; we take the first one found (see docs/adr/0002).
PYTHON ?= $(shell for p in python3.13 python3.12 /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PARTICIPANTS ?= 3000
export DJANGO_SETTINGS_MODULE ?= jobbtorg.settings

.PHONY: run test venv install migrate demo lint typecheck messages clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || (echo "Python 3.12+ hittades inte (Django 6.1 kräver det)"; exit 1)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

venv install: $(BIN)/.installed

messages: $(BIN)/.installed
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

migrate: install messages
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py collectstatic --no-input -v 0

demo: migrate
	$(BIN)/python manage.py seed_demo --participants $(PARTICIPANTS) --seed 1 --if-empty

## make run: install, migrate, load Stockholm + demo data, start gunicorn and the task worker.
run: demo
	@$(BIN)/python manage.py print_demo_logins --port $(PORT)
	$(BIN)/python manage.py db_worker & WORKER=$$!; \
	trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	$(BIN)/gunicorn jobbtorg.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --access-logfile -

## make test: install and run every test (unit, API, browser) plus lint and migration checks.
test: install messages
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy jobbtorg

clean:
	rm -rf $(VENV) var/*.sqlite3 staticfiles
