# The two commands a newcomer needs: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: demo test lint lock bench clean

$(STAMP): requirements-pip.lock requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements-pip.lock
	# --ignore-requires-python only for the md model (declares >=3.12, works on 3.11); safe because every pin is exact.
	$(PIP) install --quiet --require-hashes --ignore-requires-python -r requirements.lock
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The commands and what they print are the README's first example (tests/test_readme.py runs them).
demo: $(STAMP)
	rm -f quotegraph.db
	$(VENV)/bin/quotegraph ingest examples/ --db quotegraph.db
	@echo '$$ quotegraph quotes --speaker Okafor' && $(VENV)/bin/quotegraph quotes --speaker Okafor --db quotegraph.db
	@echo '$$ quotegraph show examples/riverside_tram_protest.txt' && $(VENV)/bin/quotegraph show examples/riverside_tram_protest.txt --db quotegraph.db
	@echo '$$ quotegraph relays' && $(VENV)/bin/quotegraph relays --db quotegraph.db
	@echo '$$ quotegraph checks' && $(VENV)/bin/quotegraph checks --db quotegraph.db
	@echo
	@echo 'quotegraph is installed in $(VENV): run it as $(VENV)/bin/quotegraph, or "source $(VENV)/bin/activate"'
	@echo 'and type quotegraph. Try: quotegraph quotes --search "tram OR ferry"; quotegraph serve (then open'
	@echo 'http://127.0.0.1:8000/). Every command: quotegraph --help; the README says more.'

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy

test: lint
	./scripts/ensure_chromium.sh
	./scripts/with_postgres.sh $(VENV)/bin/pytest -q

bench: $(STAMP)
	$(PY) benchmarks/throughput.py
	$(PY) benchmarks/html_extraction.py

# Re-pin (needs uv: pip install uv): everything but the md model through uv, then the md model with its hash appended.
lock:
	uv pip compile --python-version 3.11 --generate-hashes requirements.in -o requirements.lock
	./scripts/append_md_model.sh requirements.lock

clean:
	rm -rf $(VENV) quotegraph.db .mypy_cache .ruff_cache .pytest_cache
