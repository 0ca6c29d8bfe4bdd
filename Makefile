# taskrunner: the two set-up commands are `make run` and `make test`.
GO        ?= go
BIN       ?= bin/taskrunner
FUZZTIME  ?= 5s
COMPOSE   ?= docker compose

.PHONY: run build test test-race test-unit smoke smoke-services bench bench-services fuzz vet fmt lint lint-openapi \
        init-db migrate-down start stop logs clean

## run: serve the API and workers in one process, in memory, on 127.0.0.1:8000
run:
	$(GO) run ./cmd/taskrunner dev

## build: compile the binary into bin/
build:
	$(GO) build -trimpath -o $(BIN) ./cmd/taskrunner

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

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

## lint-openapi: Redocly CLI's recommended rules on the OpenAPI document (installs the CLI via npm)
lint-openapi:
	scripts/lint-openapi.sh

## lint: golangci-lint with the layering rules in .golangci.yml (install it first)
lint:
	golangci-lint run ./...

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

## start / stop / logs: the docker compose deployment
start:
	$(COMPOSE) up -d --build

stop:
	$(COMPOSE) down

logs:
	$(COMPOSE) logs -f api worker

clean:
	rm -rf bin
