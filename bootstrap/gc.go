package bootstrap

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// The garbage collector's settings for the server processes (dev, api, worker). Where the
// process has a memory cap (a cgroup's memory.max, as a container gets), a soft limit below
// it makes the collector work harder as the heap nears the cap, rather than let the heap
// reach it and the process be killed.
//
// The collection target stays Go's own (GOGC=100). A larger one (400, the default here
// for a while) saves marking work only once the heap has grown to it: every page of that
// larger heap is touched for the first time while the process is young, and on a virtual
// machine whose memory the host backs lazily each first touch is a costly fault. Measured
// with `make bench-services` (a fresh api and worker per run, 10,000 tasks): 26,000 page
// faults per process at 400 against 8,000 at 100, and 100 faster in 8 of 10 alternated
// pairs (median 3,776 tasks/s against 3,348; 200 in between), for half the resident
// memory. Once warm, the two measured alike.
//
// GOGC is left to Go; GOMEMLIMIT, when set, is left as it is.
const memoryLimitShare = 0.7 // of the cgroup's memory.max

// TuneGC sets a soft memory limit below the process's cgroup memory cap, where there is
// one and the environment does not set GOMEMLIMIT.
func TuneGC(getenv func(string) string) {
	if limit := chooseMemoryLimit(getenv, readCgroupMemoryMax); limit > 0 {
		debug.SetMemoryLimit(limit)
	}
}

// chooseMemoryLimit is the soft memory limit in bytes TuneGC sets, or 0 to leave it to the
// runtime.
func chooseMemoryLimit(getenv func(string) string, cgroupMax func() (int64, bool)) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	capBytes, ok := cgroupMax()
	if !ok {
		return 0
	}
	return int64(float64(capBytes) * memoryLimitShare)
}

// readCgroupMemoryMax is the memory cap of this process's cgroup (v2), if it has one.
func readCgroupMemoryMax() (int64, bool) {
	b, err := os.ReadFile("/sys/fs/cgroup/memory.max")
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64) // "max" when uncapped
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}
