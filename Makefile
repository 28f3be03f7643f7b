# icws-codegen: `make` sets up, validates and generates; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: all generate validate check lint test browser new-endpoint clean

all: generate

# The venv, from the pins in pyproject.toml; redone whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

generate: $(STAMP)
	$(PY) -m generator generate

validate: $(STAMP)
	$(PY) -m generator validate

check: $(STAMP)
	$(PY) -m generator check

lint: $(STAMP)
	$(PY) -m ruff check generator tests bench
	$(PY) -m black --check --quiet generator tests bench
	$(PY) -m black --check --quiet --line-length 100 --target-version py311 generated
	$(PY) -m mypy

test: check lint browser
	$(PY) -m pytest

# Headless Chromium for the docs' browser tests: Debian's package, installed when missing.
browser:
	@command -v chromium >/dev/null || { \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# make new-endpoint METHOD=POST ENDPOINT='/icws/{sessionId}/dialer/log-off' TAG=dialer OPERATION=logOff
new-endpoint: $(STAMP)
	$(PY) -m generator new-endpoint --method "$(METHOD)" --path '$(ENDPOINT)' --tag "$(TAG)" --operation-id "$(OPERATION)"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
	find . -name __pycache__ -prune -exec rm -rf {} +
