// Package memory holds in-memory implementations of every storage and queue port, for the
// single-process memory mode and for fast tests. Each adapter is safe for concurrent use,
// stores copies and returns copies (callers can never mutate stored state), answers Ping
// with nil, and passes the same contract suite (test/contract) as the real adapters, which
// is what makes it a trustworthy stand-in.
//
// Adapters whose behaviour depends on time take a ports.Clock. FakeClock is a settable clock
// for tests; the Queue re-checks its deadlines whenever a FakeClock it uses is moved.
package memory
