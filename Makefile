# tongbao task runner. CI runs the same targets (.ci/run → make test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: site test serve hooks lint format golden demo bench clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

site: $(STAMP)          ## build the demo (data/, content/) into site/
	$(BIN)/python build.py

test: $(STAMP)          ## the whole test suite
	$(BIN)/python -m pytest -q

serve: $(STAMP)         ## preview on http://127.0.0.1:8000/ with live reload
	$(BIN)/python build.py serve

hooks:                  ## run `build.py check` on staged data before each commit
	git config core.hooksPath hooks

lint: $(STAMP)
	$(BIN)/ruff check tongbao tests build.py
	$(BIN)/ruff format --check tongbao tests build.py
	$(BIN)/mypy tongbao

format: $(STAMP)
	$(BIN)/ruff format tongbao tests build.py
	$(BIN)/ruff check --fix tongbao tests build.py

golden: $(STAMP)        ## regenerate tests/golden/ (review the diff before committing)
	TONGBAO_GOLDEN=update $(BIN)/python -m pytest -q tests/test_golden.py

demo: $(STAMP)          ## regenerate the committed demo data (deterministic)
	$(BIN)/python -m tongbao.demo

bench: $(STAMP)         ## time cold / no-op / one-month builds of a 120-month archive (scripts/bench.py --help)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf site .tongbao-cache .pytest_cache
