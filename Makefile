# UNSC Record. `make all` validates the data and builds the release and the site;
# `make test` runs the tests. Both set up .venv/ from the pinned requirements.lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UNSC   := $(BIN)/unsc

.PHONY: all setup browser validate release site test bench fmt import check-build clean

all: validate release site

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# One run of every layer, with the great-expectations Data Docs that the site publishes.
validate: setup
	$(UNSC) validate --report reports/validation

release: setup
	$(UNSC) release build

site: setup
	$(UNSC) site build

fmt: setup
	$(UNSC) fmt

# Rebuild data/ from sources/ and curation/ alone (byte for byte), then validate it.
import: setup
	$(UNSC) build

# Does data/ hold exactly what sources/ and curation/ give? (CI runs this check in the tests too.)
check-build: setup
	$(UNSC) build --check

# The browser test drives Debian's Chromium; as root with apt, install it, else that test skips.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) ; } || echo "chromium not installed: the browser test will skip"

# pytest exits 5 when it collects no test: that is a failure here. The toolkit's bytecode is compiled first:
# where PYTHONDONTWRITEBYTECODE is set (as on CI), each of the ~50 `unsc` processes the tests start would
# otherwise compile every module again (about 15 s of the suite).
test: setup browser
	$(BIN)/python -m compileall -q src >/dev/null
	$(BIN)/python -m pytest -q -n 2; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected" >&2; exit 1; fi; exit $$rc

bench: setup
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) dist site reports
