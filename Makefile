# taskrunner: the two set-up commands are `make run` and `make test`.
GO        ?= go
BIN       ?= bin/taskrunner
FUZZTIME  ?= 5s
COMPOSE   ?= docker compose
# VERSION is what `taskrunner version` prints first; the commit comes from Go's build info.
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
GOLANGCI_LINT_VERSION ?= v2.15.0
# The pinned version, installed under a name that carries it (a golangci-lint on PATH may be
# another version, with other findings); GOLANGCI_LINT=/path/to/golangci-lint overrides.
GOLANGCI_LINT ?= bin/tools/golangci-lint-$(GOLANGCI_LINT_VERSION)

.PHONY: help run build test test-race test-unit test-ui screenshots smoke smoke-services bench bench-services fuzz vet fmt lint lint-openapi \
        init-db migrate-down start stop logs clean

## run: serve the API and workers in one process, in memory, on 127.0.0.1:8000 (Ctrl-C stops it)
# exec: the binary replaces the shell, so Ctrl-C reaches it alone and its clean exit is
# make's (`go run` would report the interrupt as "Error 1").
run: build
	exec $(BIN) dev

## help: list the targets
help:
	@awk 'sub(/^## /, "") { split($$0, p, ": "); printf "  %-22s %s\n", p[1], substr($$0, length(p[1]) + 3) }' $(MAKEFILE_LIST)

## build: compile the binary into bin/ (with VERSION and the git commit)
build:
	$(GO) build -trimpath -buildvcs=auto -ldflags "-X taskrunner/bootstrap.Version=$(VERSION)" -o $(BIN) ./cmd/taskrunner

## test: vet + every test; integration suites use TEST_*_URL, local services, or Docker
test:
	$(GO) vet ./...
	scripts/test.sh

## test-race: the concurrent packages under the race detector (needs cgo: a C compiler)
test-race:
	scripts/test.sh -race -run . ./application/... ./adapters/... ./bootstrap ./test/e2e ./test/faults

## test-unit: the fast suites only (no PostgreSQL, Redis or S3 needed)
test-unit:
	$(GO) test -short -count=1 ./...

## test-ui: the dashboard and /docs in headless chromium (chromedp)
test-ui:
	$(GO) test -tags uitest -count=1 -v ./test/uitest/

## screenshots: test-ui, saving its screenshots as docs/screenshots/*.png (the README shows one)
screenshots:
	UI_SCREENSHOT_DIR=docs/screenshots $(MAKE) test-ui

## smoke: build, start the binary in memory mode, run the README's curl examples
smoke: build
	scripts/smoke.sh memory

## smoke-services: the same against api + worker processes on PostgreSQL, Redis and S3
smoke-services: build
	scripts/smoke.sh services

## bench: load generator against an in-process stack (memory); see README for flags
bench: build
	scripts/bench.sh memory

## bench-services: the same against api + worker processes on PostgreSQL and Redis
bench-services: build
	scripts/bench.sh services

## fuzz: run every fuzz target briefly (FUZZTIME, default 5s each)
fuzz:
	scripts/fuzz.sh $(FUZZTIME)

## vet: go vet on every package
vet:
	$(GO) vet ./...

## fmt: gofmt every Go file
fmt:
	gofmt -w $$(git ls-files '*.go')

## lint-openapi: Redocly CLI's recommended rules on the OpenAPI document (installs the CLI via npm)
lint-openapi:
	scripts/lint-openapi.sh

## lint: golangci-lint with the layering rules in .golangci.yml (installed into bin/tools when missing)
lint:
	@if ! command -v "$(GOLANGCI_LINT)" >/dev/null; then \
	  echo "lint: golangci-lint is not installed: installing $(GOLANGCI_LINT_VERSION) into bin/tools with go install"; \
	  GOBIN="$(CURDIR)/bin/tools/install" $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION) || { \
	    echo "lint: could not install golangci-lint. Install it (https://golangci-lint.run/welcome/install/)" \
	      "and set GOLANGCI_LINT=/path/to/golangci-lint. make test checks the layering rules without it (test/arch)." >&2; \
	    exit 1; }; \
	  mv bin/tools/install/golangci-lint "$(GOLANGCI_LINT)"; \
	fi
	$(GOLANGCI_LINT) run ./...

## init-db: apply every migration: to DATABASE_URL when it is set, else in the compose stack
init-db:
ifdef DATABASE_URL
	$(GO) run ./cmd/taskrunner migrate up
else
	$(COMPOSE) run --rm migrate migrate up
endif

## migrate-down: roll back one migration (DATABASE_URL when set, else the compose stack)
migrate-down:
ifdef DATABASE_URL
	$(GO) run ./cmd/taskrunner migrate down 1
else
	$(COMPOSE) run --rm migrate migrate down 1
endif

## start: start the docker compose deployment
start:
	$(COMPOSE) up -d --build

## stop: stop the docker compose deployment
stop:
	$(COMPOSE) down

## logs: follow the compose api and worker logs
logs:
	$(COMPOSE) logs -f api worker

## clean: remove bin/
clean:
	rm -rf bin
