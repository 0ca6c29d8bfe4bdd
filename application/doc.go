// Package application holds taskrunner's use cases: submitting and managing tasks, storing
// artifacts, running tasks on workers, reconciling the queue with the record, and the task
// handlers. It does I/O only through ports, so it runs unchanged on the memory adapters and
// on PostgreSQL, Redis and MinIO.
package application
