# icws-codegen: `make` sets up, validates and generates; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: all generate validate check lint test browser bench new-endpoint clean

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

# The templates' Python files (the package's code that is the same for every spec) are linted where
# they are written; mypy checks them in a copy where `{package}` is a package, `__init__.py` files
# standing in for the rendered ones and a `_root.py` for the rendered root of the exceptions.
ROOT_STAND_IN := class Root(Exception):\n    attempts: int = 1\n

lint: $(STAMP)
	$(PY) -m ruff check generator tests bench templates
	$(PY) -m black --check --quiet generator tests bench templates
	$(PY) -m black --check --quiet --config /dev/null --line-length 100 --target-version py311 generated
	$(PY) -m mypy
	@copy=$$(mktemp -d) && trap 'rm -rf "$$copy"' EXIT && cp -R 'templates/{package}' "$$copy/pkg" && \
	  find "$$copy/pkg" -name '*.jinja' -delete && \
	  find "$$copy/pkg" -type d -exec sh -c '[ -f "$$1/__init__.py" ] || : > "$$1/__init__.py"' _ {} \; && \
	  printf '$(ROOT_STAND_IN)' > "$$copy/pkg/_root.py" && \
	  echo "mypy --strict templates/{package}/**/*.py" && \
	  (cd "$$copy" && $(CURDIR)/$(PY) -m mypy --strict --no-incremental pkg)

test: check lint browser
	$(PY) -m pytest

# Headless Chromium for the docs' browser tests: Debian's package, installed when missing.
browser:
	@command -v chromium >/dev/null || { \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# Benchmarks (not part of `make test`): the peers go into a venv of their own, Java and wrk come
# from Debian's packages when missing. Writes bench/results.md (or BENCH_OUT); BENCH_RUNS and
# BENCH_SIZES trim it.
BENCH_VENV  := .bench-venv
BENCH_STAMP := $(BENCH_VENV)/.installed
BENCH_RUNS  ?= 5
BENCH_SIZES ?= seed,300,1000
BENCH_OUT   ?= bench/results.md

$(BENCH_STAMP): bench/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	touch $@

bench: $(STAMP) $(BENCH_STAMP)
	@command -v java >/dev/null && command -v wrk >/dev/null || { apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q default-jre-headless wrk; }
	$(PY) bench/run.py --runs $(BENCH_RUNS) --sizes $(BENCH_SIZES) --out $(BENCH_OUT)

# make new-endpoint METHOD=POST ENDPOINT='/icws/{sessionId}/dialer/log-off' TAG=dialer OPERATION=logOff
new-endpoint: $(STAMP)
	$(PY) -m generator new-endpoint --method "$(METHOD)" --path '$(ENDPOINT)' --tag "$(TAG)" --operation-id "$(OPERATION)"

clean:
	rm -rf $(VENV) $(BENCH_VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
	find . -name __pycache__ -prune -exec rm -rf {} +
