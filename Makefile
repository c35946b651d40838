# The README's commands. Each bootstraps what it needs: a virtualenv in .venv with the
# package and its test extra, and (for tests) the Node SDK project under tests/node.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# a second virtualenv with openai 1.x (httpx), where the plugin's tests also run
OPENAI1_VENV ?= .venv-openai1
# a third with openai 2.x, where the Conversations tests also run
OPENAI2_VENV ?= .venv-openai2
HOST ?= 127.0.0.1
PORT ?= 8000
SEED ?= 0
PYTEST_ARGS ?=
# the browser tests' Chromium: Debian's package (Playwright's own browser downloads are blocked)
CHROMIUM ?= /usr/bin/chromium

.PHONY: serve test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(OPENAI1_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(OPENAI1_VENV)
	$(OPENAI1_VENV)/bin/pip install --quiet -e . 'openai>=1.101,<2'
	touch $@

$(OPENAI2_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(OPENAI2_VENV)
	$(OPENAI2_VENV)/bin/pip install --quiet -e . 'openai>=2,<3'
	touch $@

tests/node/node_modules/.installed: tests/node/package.json tests/node/package-lock.json
	cd tests/node && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# installed only where it is missing; as root (CI on a clean Debian machine) with apt-get, else
# the browser tests skip locally, naming this command
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "note: $(CHROMIUM) is missing; the browser tests skip. Install it: sudo apt-get install chromium"; \
	fi

serve: $(BIN)/.installed
	$(BIN)/assistants-mock serve --host $(HOST) --port $(PORT) --seed $(SEED)

test: $(BIN)/.installed tests/node/node_modules/.installed $(OPENAI1_VENV)/.installed \
		$(OPENAI2_VENV)/.installed $(CHROMIUM)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(OPENAI1_VENV) $(OPENAI2_VENV) tests/node/node_modules
