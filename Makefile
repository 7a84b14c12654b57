# Descent — the two set-up commands are `make demo` and `make test`; both install what is missing.
SWIFT     ?= swift
RELEASE   := .build/release/descent
APT_FLAGS := -y --no-install-recommends

.PHONY: demo test build deps gnuplot check clean help

help:
	@echo "make demo    run the quick-start experiment and render its plots (Results/quickstart/)"
	@echo "make test    build and run the whole test suite"
	@echo "make check   run Configs/ci.json and compare it with its committed baseline"

## gnuplot from Debian, installed once when missing (needs root, as on a fresh machine or CI).
gnuplot:
	@command -v gnuplot >/dev/null 2>&1 || { \
	  echo "Installing gnuplot (Debian's gnuplot-nox)…"; \
	  apt-get update && apt-get install $(APT_FLAGS) gnuplot-nox; }

deps: gnuplot
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "error: Swift 6.3 is required (https://swift.org/install)"; exit 69; }

build: deps
	$(SWIFT) build -c release --product descent

demo: build
	$(RELEASE) run Configs/quickstart.json --force

test: deps
	$(SWIFT) test

clean:
	rm -rf .build Results/quickstart
