// Package faults holds the fault tests of services mode: each one runs a few hundred tasks
// against the real PostgreSQL and Redis (through test/harness, each test its own database
// and key prefix), breaks something the way production breaks it, and checks that nothing
// accepted was lost and nothing ran to a second result.
//
//   - a worker process dies mid-task without acking (worker_death_test.go);
//   - a worker process dies with a task's finish on the wire, just after it committed or
//     just before it was sent (finish_death_test.go);
//   - Redis loses every key of the deployment with tasks queued, or while tasks run
//     (redis_loss_test.go);
//   - PostgreSQL connections are terminated under load, and the database refuses
//     connections for a while (postgres_terminate_test.go);
//   - the same task id is delivered twice: after it finished, and while a first run whose
//     lease lapsed still goes on (duplicate_delivery_test.go).
//
// The ledger (ledger_test.go) counts runs and results per task; a result whose answer died
// with its process is counted from the record once the run is over (ledger.settle).
//
// Each test states in its comment what must survive. The tests need TEST_POSTGRES_URL and
// TEST_REDIS_URL (or Docker, for testcontainers); without them they skip, and with
// TEST_REQUIRE_SERVICES=1 they fail instead. Run them with
//
//	go test -count=1 ./test/faults/
//
// FAULTS_LOG_DIR=dir keeps the whole JSON log of a failed test in dir/<test name>.log.
//
// The package has no non-test code: a fault test is only trustworthy when it drives the
// same constructors production wires, so it builds workers and apps from application/ and
// bootstrap/ and wraps their ports only to inject the fault.
package faults
