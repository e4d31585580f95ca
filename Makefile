# thidua — the few verbs a user needs. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DEV    := $(VENV)/.dev-stamp
export FLASK_APP := web:create_app

.PHONY: install install-dev run test lint bench fuzz projections clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

$(DEV): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(DEV)

install: $(STAMP)  ## create .venv and install the project (what it needs to run)

install-dev: $(DEV)  ## and the test, lint and benchmark tools

run: install  ## embedded PostgreSQL (unless DATABASE_URL), sample data, API on 127.0.0.1:$PORT
	$(VENV)/bin/thidua run

test: install-dev  ## the whole suite on real PostgreSQL (embedded, or DATABASE_URL); TEST_WORKERS=2
	$(PY) -m pytest -q -n $${TEST_WORKERS:-2} --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check domain projections web tests bench
	$(VENV)/bin/mypy domain projections web

bench: install-dev  ## the benchmark (README, Performance); SCALE=10 for ten years; BENCH_ARGS for more
	$(PY) -m bench --scale $${SCALE:-1} $${BENCH_ARGS:-}

fuzz: install-dev  ## a long schemathesis run (every check, negative data, stateful scenarios)
	THIDUA_FUZZ_EXAMPLES=$${EXAMPLES:-200} THIDUA_FUZZ_SCENARIOS=$${SCENARIOS:-100} \
		$(PY) -m pytest -q -rP --timeout=$${FUZZ_TIMEOUT:-5400} tests/fuzz

projections: install  ## the projection worker, as its own process (production)
	$(VENV)/bin/thidua projections run

clean:
	rm -rf $(VENV) var build *.egg-info
