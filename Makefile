# Thin faces over the package's CLI (src/haiti_mss/cli.py). `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLI := $(BIN)/haiti-report
# Keep tool caches out of $HOME (see shared notes: matplotlib, Jupyter runtime).
export MPLCONFIGDIR := $(CURDIR)/.venv/.cache/matplotlib
export JUPYTER_RUNTIME_DIR := $(CURDIR)/.venv/.cache/jupyter-runtime
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# Translations: gettext catalogs under $(LOCALE_DIR) (README, "Adding a language").
LOCALE_DIR := src/haiti_mss/locale
DOMAIN := haiti_mss
POT := $(LOCALE_DIR)/$(DOMAIN).pot
PYBABEL := $(BIN)/pybabel
LOCALE ?=

VARIANT ?= latest
SET ?=
OUT ?=
NOTEBOOK ?=
A ?= 2024-09-article
B ?= latest
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.DEFAULT_GOAL := help
.PHONY: help setup lab check-data hash-data params reports report test bench clean lock
.PHONY: i18n-extract i18n-update i18n-init i18n-compile

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]' || { echo "error: set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PYBABEL) compile -d $(LOCALE_DIR) -D $(DOMAIN)
	@touch $@

# axe-core (accessibility rules for the browser test), pinned in package-lock.json; without npm the
# browser test skips that check and says so (under CI it fails).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "note: npm not found (apt-get install npm): the browser test cannot run its axe-core check"; fi

setup: $(STAMP) $(NODE_STAMP) ## Create .venv and node_modules and install the pinned requirements (run by every other target)

lab: $(STAMP) ## Open JupyterLab on the notebooks with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks

check-data: $(STAMP) ## Validate every table in data/ (schema, invariants, sources, hashes)
	$(CLI) check-data

hash-data: $(STAMP) ## Refresh the sha256 and byte counts in data/datapackage.json after editing data
	$(CLI) hash-data

params: $(STAMP) ## List every report parameter with type, default, range and doc
	$(CLI) params

reports: $(STAMP) ## Build every variant in params/ into reports/ (HTML, PDF, figures.json, index.html)
	$(CLI) build --jobs $(JOBS)

# The values reach the CLI through the environment, never through the shell's parsing of the recipe:
# SET is split by the CLI like a shell line (--sets), so a value with spaces is quoted inside SET, and
# <, >, ;, $$ or quotes in a value stay text. $(value X) keeps a $ in a value from being expanded by make.
report: export HAITI_VARIANT := $(value VARIANT)
report: export HAITI_SET := $(value SET)
report: export HAITI_OUT := $(value OUT)
report: export HAITI_NOTEBOOK := $(value NOTEBOOK)
report: $(STAMP) ## One variant with overrides: make report VARIANT=latest SET='planned_strength=5550 report_title="My title"' OUT=my-run
	$(CLI) build "$$HAITI_VARIANT" --sets "$$HAITI_SET" $(if $(OUT),--out "reports/$$HAITI_OUT") $(if $(NOTEBOOK),--notebook "$$HAITI_NOTEBOOK") --jobs $(JOBS)

.PHONY: compare
compare: export HAITI_A := $(value A)
compare: export HAITI_B := $(value B)
compare: $(STAMP) ## Two reports side by side: make compare A=2024-09-article B=latest (writes reports/compare/A--B.html)
	$(CLI) compare "$$HAITI_A" "$$HAITI_B"

test: $(STAMP) $(NODE_STAMP) ## Run the test suite (data, analysis, notebooks, build end to end)
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

MUTANTS ?=
.PHONY: mutate
mutate: $(STAMP) ## Mutation score of the pure modules over the fast unit tests (mutmut; slow, not in CI; one module: MUTANTS='haiti_mss.violence.*')
	rm -rf mutants
	HAITI_MSS_ROOT=$(CURDIR) $(BIN)/mutmut run --max-children $(JOBS) $(foreach m,$(MUTANTS),'$(m)')
	$(BIN)/python tests/mutation_score.py

DRY_RUN ?=
.PHONY: update-data
update-data: $(STAMP) ## Append IOM's new DTM rounds from the DTM API (key in DTMAPI_SUBSCRIPTION_KEY; DRY_RUN=1 only prints)
	$(CLI) update-data dtm $(if $(DRY_RUN),--dry-run)

BENCH_ARGS ?=
bench: $(STAMP) ## Time the build against the usual alternatives (prints a table; BENCH_ARGS=--quick for one run)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean: ## Remove build output (reports/ except its README); never touches data/
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +

i18n-extract: $(STAMP) ## Collect the messages of the code and templates into src/haiti_mss/locale/haiti_mss.pot
	$(PYBABEL) extract -F babel.cfg -k "NP_:1c,2" -c TRANSLATORS: --add-location=file --sort-by-file \
	  --project=haiti-mss --version="$$($(BIN)/python -c 'import importlib.metadata as m; print(m.version("haiti-mss"))')" \
	  --copyright-holder="the haiti-mss authors" -o $(POT) .

i18n-update: i18n-extract ## Merge new messages into every language's .po (then translate the empty and fuzzy ones)
	$(PYBABEL) update -i $(POT) -d $(LOCALE_DIR) -D $(DOMAIN) --ignore-obsolete
	$(PYBABEL) compile -d $(LOCALE_DIR) -D $(DOMAIN) --statistics

i18n-init: $(STAMP) ## Start a catalog for a new language: make i18n-init LOCALE=ht
	@test -n "$(LOCALE)" || { echo "error: name the language, e.g. make i18n-init LOCALE=ht"; exit 2; }
	$(PYBABEL) init -i $(POT) -d $(LOCALE_DIR) -D $(DOMAIN) -l $(LOCALE)

i18n-compile: $(STAMP) ## Compile every .po into the .mo the reports read (make setup does it too)
	$(PYBABEL) compile -d $(LOCALE_DIR) -D $(DOMAIN) --statistics

lock: ## Re-pin requirements.lock from pyproject.toml in a scratch venv
	rm -rf /tmp/haiti-lock && $(PYTHON) -m venv /tmp/haiti-lock
	/tmp/haiti-lock/bin/pip install --quiet -e '.[test]'
	( echo "# Pinned from a clean venv on Python 3.11 (pip freeze). Regenerate: make lock"; \
	  /tmp/haiti-lock/bin/pip freeze --exclude-editable | grep -v '^haiti-mss'; \
	  echo "# Build tool for the editable install of this project (setuptools >= 70 needs no separate wheel package)."; \
	  echo "setuptools==80.9.0" ) > requirements.lock
