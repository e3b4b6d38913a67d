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

demo: $(STAMP)
	rm -f quotegraph.db
	$(VENV)/bin/quotegraph ingest examples/ --db quotegraph.db
	$(VENV)/bin/quotegraph quotes --db quotegraph.db --limit 20

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
