# support_portal: `make run` serves the demo, `make test` runs the whole suite.
# Needs only Python 3.11+, git and make; everything else goes into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: run test install lint format messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list or the lock changes.
$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet -c requirements.lock ".[prod,test]"
	touch $(STAMP)

install: $(STAMP)

# The demo: DEBUG on (plain http on 127.0.0.1), staff MFA off so the demo
# accounts log straight in, chain replay server and task worker beside it.
run: export DJANGO_DEBUG ?= 1
run: export STAFF_MFA_REQUIRED ?= 0
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py compiletranslations
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py rebuild_index --noinput
	@bash scripts/serve.sh $(PORT)

test: $(STAMP)
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py compiletranslations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# For developers: needs GNU gettext (apt-get install gettext).
messages: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages --no-obsolete --no-location -l zh_Hans -l en \
		--ignore=.venv --ignore=var --ignore=bench
	$(BIN)/python manage.py compiletranslations

clean:
	rm -rf $(VENV) var
