# Free Association: `make run` for a demo site, `make test` for the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PORT ?= 8000
export BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: help run test install lock upgrade system-deps node-deps lint format messages check worker beat bench-digest bench-load screenshots clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

# Every install comes from uv.lock (hashes of every package, direct and transitive); uv itself
# from requirements/uv.txt, pinned by hash, in a small virtualenv of its own (uv sync removes
# whatever the lock does not name, uv included, from the site's virtualenv).
TOOLS ?= .tools
UV := $(TOOLS)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_PYTHON_DOWNLOADS := never

$(UV): requirements/uv.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/uv.txt
	@touch $@

# The stamp re-installs only when the lock changes. --locked refuses a lock that no longer
# matches pyproject.toml (run `make lock`).
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --all-groups --python $(PYTHON) --quiet
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the site, tests and benchmarks from uv.lock

lock: | $(UV) ## Regenerate uv.lock after a change to pyproject.toml (keeps versions that still fit)
	$(UV) lock

upgrade: | $(UV) ## Move uv.lock to the newest versions pyproject.toml allows, then run make test
	$(UV) lock --upgrade

system-deps: ## Install Debian packages the tests need (Chromium, npm, docker-compose, Caddy, gettext) when missing
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	command -v caddy >/dev/null || missing="$$missing caddy"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# axe-core for the accessibility checks in the browser journeys, at the version the lock file pins.
node_modules/.installed: package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund
	@touch $@

node-deps: node_modules/.installed ## Install the npm packages the browser tests use (axe-core)

run: ## Serve the demo site on SQLite at http://127.0.0.1:$(PORT) (DEBUG=true for Django's debug pages)
	@mkdir -p var/log
	@printf 'Installing the site from uv.lock ... '
	@$(MAKE) --no-print-directory install >var/log/install.log 2>&1 \
		|| { echo failed; cat var/log/install.log; exit 1; }
	@echo done
	@DEBUG=$${DEBUG:-false} $(PY) manage.py serve_demo 127.0.0.1:$(PORT) --log var/log/demo.log

# Remade after a change to what the pictures show; commit docs/screenshots/ with it.
screenshots: install system-deps ## Remake the README's screenshots (docs/screenshots/) from the demo site
	$(PY) scripts/screenshots.py

# The suite runs in TEST_PROCESSES pytest-xdist workers, each with its own test database and
# Redis databases. Tests go out one at a time in pytest-django's order, which each worker then
# keeps (transactional tests, which empty the database, come last), except that tests marked
# with one xdist_group go to one worker together (they share a fixture set up once).
TEST_PROCESSES ?= 2

# The fuzz tests run once more on SQLite, the embedded default, whose errors differ (a number too
# big for it is an OverflowError there); then the whole suite runs on the CI services.
test: install system-deps node-deps ## Lint, check and run the whole test suite
	$(UV) lock --check --offline
	$(MAKE) --no-print-directory lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=sqlite:///:memory: $(VENV)/bin/pytest tests/test_fuzz.py -q -p no:warnings
	$(VENV)/bin/pytest -n $(TEST_PROCESSES) --dist loadgroup --no-loadscope-reorder

lint: install ## Check code with ruff, and the layers with import-linter (pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install ## Format code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: ## Rebuild locale/*/django.mo from the .po files beside them (both are committed)
	msgfmt --check-format -o locale/en_GB/LC_MESSAGES/django.mo locale/en_GB/LC_MESSAGES/django.po

worker: install ## Run a Celery worker (needs REDIS_URL)
	$(VENV)/bin/celery -A config worker -l info

bench-digest: install ## Digest benchmark (needs DATABASE_URL, REDIS_URL; MEMBERS=100000)
	$(PY) benchmarks/digest.py --members $${MEMBERS:-100000}

beat: install ## Run Celery beat, the one scheduler (needs REDIS_URL)
	$(VENV)/bin/celery -A config beat -l info

bench-load: install ## Load benchmark on PostgreSQL and Redis (BENCH_ARGS="--help")
	$(PY) benchmarks/load.py $(BENCH_ARGS)

clean: ## Remove the virtualenv, the SQLite database and collected static files
	rm -rf $(VENV) $(TOOLS) var db.sqlite3 staticfiles
