# credit_management: two commands for a fresh machine.
#   make demo   set up and serve the demo on http://localhost:8069
#   make test   set up and run every test (including make e2e)
#   make e2e    end-to-end tests of the web client in headless Chromium
#   make readme README.rst and static/description/index.html from readme/*.rst
#   make wheel  the addon's wheel (setuptools-odoo) in var/dist, install-checked
SHELL := /bin/bash
DEMO_DB ?= credit_demo
TEST_DB ?= credit_test
PORT ?= 8069
I18N_DB ?= credit_i18n

.PHONY: setup demo test lint e2e bench clean-test-db i18n readme wheel
setup:
	@bash scripts/setup.sh

demo: setup
	@DEMO_DB=$(DEMO_DB) PORT=$(PORT) bash scripts/demo.sh

test: setup
	@TEST_DB=$(TEST_DB) bash scripts/test.sh

lint: setup
	@bash scripts/lint.sh

e2e: setup
	@bash scripts/e2e.sh

i18n: setup
	@I18N_DB=$(I18N_DB) bash scripts/i18n.sh

bench: setup
	@bash bench/run.sh

readme: setup
	@.venv/bin/python scripts/gen_readme.py credit_management credit_management_queue

wheel: setup
	@WHEEL_DIST=var/dist bash scripts/wheel_check.sh
