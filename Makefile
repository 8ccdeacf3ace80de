# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The pure, strictly typed screening modules (content analysis, rules, the engine),
# compiled to C extensions by mypyc (it ships with mypy): about 1.6x faster screening.
# The .py files stay the source of truth; without a build (or if it fails) they simply
# run as Python.
COMPILED := $(addprefix gatekeeper/screening/,text.py links.py boilerplate.py lines.py \
	wording.py agenda.py preread.py lexicon.py content.py facts.py patterns.py \
	conditions.py hours.py focus.py messages.py engine.py)
NATIVE := $(VENV)/.compiled

.PHONY: run test lint format bench serve clean native

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

$(NATIVE): $(STAMP) $(COMPILED)
	@rm -f gatekeeper/screening/*.so *__mypyc*.so
	@echo "compiling the screening modules with mypyc (log: $(VENV)/mypyc.log)"
	@$(VENV)/bin/mypyc $(COMPILED) >$(VENV)/mypyc.log 2>&1 \
		|| { rm -f gatekeeper/screening/*.so *__mypyc*.so; \
		     echo "mypyc failed (see $(VENV)/mypyc.log): screening runs as plain Python"; }
	@rm -rf build
	@touch $@

native: $(NATIVE)  ## compile the screening modules (run, test and bench do it)

run: $(NATIVE)  ## screen the sample week, then serve the app on http://localhost:$${PORT:-8000}
	$(PY) -m gatekeeper demo

test: $(NATIVE)  ## the whole test suite (finds or starts PostgreSQL and Redis)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(NATIVE)  ## print speed figures against baselines measured in the same run
	$(PY) -m bench

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache build
	rm -f gatekeeper/screening/*.so *__mypyc*.so
