# Two commands on a fresh machine: `make run` and `make test`.
# Coproduce runs on Python 3.11 or 3.12 (botbuilder supports no newer one). The first of
# python3.11, python3.12 and python3 that is one of those is used, or PYTHON=... if given.
SUPPORTED := 3.11 3.12
PYTHON ?= $(shell for p in python3.11 python3.12 python3; do \
	v=`$$p -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null` && \
	echo " $(SUPPORTED) " | grep -q " $$v " && { command -v $$p; break; }; done)
VENV ?= .venv
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
# The stamp names the Python: a .venv made by another one, or a half-finished install, has no
# stamp of this name, so it is built again from scratch instead of being reused broken.
STAMP := $(VENV)/.installed-$(PY_VERSION)

.PHONY: install run test lint typecheck format bench profile lock messages clean python-check

python-check:
	@if [ -z "$(PY_VERSION)" ] || ! echo " $(SUPPORTED) " | grep -q " $(PY_VERSION) "; then \
		echo "Coproduce needs Python 3.11 or 3.12, and found $(or $(PY_VERSION),none)."; \
		echo "  Ubuntu or Debian: sudo apt install python3.12 python3.12-venv (or python3.11)"; \
		echo "  macOS:            brew install python@3.12"; \
		echo "  Windows:          the 3.12 installer from python.org"; \
		echo "Then run make again (or name one: make test PYTHON=/path/to/python3.12)."; \
		exit 1; \
	fi

$(STAMP): pyproject.toml requirements-dev.txt | python-check
	@[ "$$($(VENV)/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" \
		= "$(PY_VERSION)" ] || rm -rf $(VENV)
	rm -f $(VENV)/.installed-*
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	# The versions the tests passed with (requirements-dev.txt), then the app itself.
	$(VENV)/bin/python -m pip install --quiet -r requirements-dev.txt
	$(VENV)/bin/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# axe-core for the browser tests' accessibility checks, at the version package-lock.json pins;
# without npm the browser tests say so and skip (CI has it).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the browser tests' accessibility checks will be skipped"; fi

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/coproduce

test: $(STAMP) node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

# Benchmarks and a profile: numbers from a run, not from timed unit tests (docs/benchmarks.md).
bench: $(STAMP)
	$(VENV)/bin/python -m bench.run

profile: $(STAMP)
	$(VENV)/bin/python -m bench.profile

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Strict type checking of the engine and storage (configured in pyproject.toml).
typecheck: $(STAMP)
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Pin every dependency for Python 3.11 and 3.12 at once, after changing pyproject.toml.
# requirements.txt (the app) is what hosts such as Heroku install; it ends with the app itself.
lock: | python-check
	[ -x .venv-lock/bin/uv ] || { $(PYTHON) -m venv .venv-lock && \
		.venv-lock/bin/python -m pip install --quiet uv; }
	.venv-lock/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --extra dev \
		--quiet --no-header -o requirements-dev.txt
	.venv-lock/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
		--quiet --no-header -o requirements.txt
	printf '# the app itself, installed with the pinned versions above\n.\n' >> requirements.txt

# The words people read: re-extract every _() / n_() / N_() message from bot/ into the template,
# and add new ones (untranslated) to the Welsh catalogue; tests fail until each is translated.
messages: $(STAMP)
	$(VENV)/bin/pybabel extract --no-default-keywords -k _ -k n_:1,2 -k N_ --no-location \
		--sort-output --omit-header --width 100 -o bot/locales/coproduce.pot bot
	$(VENV)/bin/pybabel update --no-fuzzy-matching --width 100 -D coproduce \
		-i bot/locales/coproduce.pot -d bot/locales -l cy

clean:
	rm -rf $(VENV) .venv-lock build *.egg-info .pytest_cache node_modules
