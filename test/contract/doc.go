// Package contract holds one exported conformance suite per port. Every adapter, in-memory
// and real, runs the same suite, which is what lets the fast tests trust the memory
// adapters. What legitimately differs between adapters of a port (a provider that can be
// unconfigured, a clock that only moves when told) is declared in an options struct, and
// the subtests that need it are left out when it is absent.
//
// Each suite takes a factory that is called once per subtest; subtests run in parallel.
// Rules the suites follow, so real adapters can run them against shared services:
//   - Stores (TaskStore, ArtifactStore, RunStore, Cache, RateLimiter, BlobStore,
//     CancelSignals) may be shared with other tests: the suites never assume they are
//     empty and only look at records, keys and ids they created (unique task types, random
//     keys, fresh UUIDs).
//   - Queue factories must return an empty queue of their own (e.g. a fresh key prefix),
//     because FIFO order and Depth are only observable on an isolated queue.
//   - RetentionStore factories must return stores of their own too: DeleteFinished deletes
//     every finished task past the cutoff, whoever wrote it.
//   - Waits are real time with generous deadlines (no fake clocks), and leases are short
//     (a few hundred milliseconds), so the suites take seconds, not minutes.
//   - Times are compared at microsecond precision (what Postgres keeps) and JSON
//     semantically (jsonb reorders keys).
//   - The web-facing suites (SearchProvider, PageFetcher) never reach the internet: search
//     providers get fixture servers from their factories, and the PageFetcher suite serves
//     its own pages from httptest servers on loopback.
package contract
