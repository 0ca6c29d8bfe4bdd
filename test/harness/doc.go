// Package harness gives integration tests real backing services, each test its own
// isolated target that is cleaned up when the test ends: Postgres(t) a fresh migrated
// database, PostgresSchema(t) a fresh migrated schema in a database the package's tests
// share (much cheaper, for suites of many small tests; the package runs through Main),
// Redis(t) a key prefix, S3(t) a bucket.
//
// Each first takes an address from the environment (TEST_POSTGRES_URL, TEST_REDIS_URL,
// TEST_S3_ENDPOINT); else starts a container with testcontainers-go when Docker is
// available (S3 falls back to an in-process gofakes3 server on loopback); else skips the
// test with a message saying how to run it. TEST_REQUIRE_SERVICES=1 turns every skip into
// a failure, so CI cannot pass by skipping.
//
// Under go test -short (make test-unit) no service is used: Postgres and Redis skip,
// whatever the environment says and even with TEST_REQUIRE_SERVICES=1, without reading
// the addresses or starting containers; S3 is always the in-process server.
package harness
