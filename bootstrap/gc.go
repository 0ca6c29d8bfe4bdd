package bootstrap

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// The garbage collector's defaults for the server processes (dev, api, worker). Under
// load the api and the worker allocate per request and per batch, and at Go's default
// (GOGC=100) marking took a tenth of their CPU: on two shared cores, CPU per task is what
// bounds throughput. A collection every fivefold growth of the live heap instead of every
// doubling measured 8-12% less CPU per task for the api and the worker (`make
// bench-services`), for about twice the resident memory under a 64-client load (peaks of
// 120 -> 220 MB for the api). Where the process has a memory cap (a cgroup's memory.max,
// as a container gets), a soft limit below it makes the collector work harder as the heap
// nears the cap, rather than let the larger target reach it.
//
// GOGC and GOMEMLIMIT, when set, are Go's own and are left as they are.
const (
	serverGCPercent  = 400
	memoryLimitShare = 0.7 // of the cgroup's memory.max
)

// gcDefaults is what TuneGC sets: a GC percent and a soft memory limit in bytes, each 0
// when it is left to the runtime.
type gcDefaults struct {
	percent     int
	memoryLimit int64
}

// TuneGC applies the server processes' collector defaults, where the environment does
// not set its own.
func TuneGC(getenv func(string) string) {
	d := chooseGCDefaults(getenv, readCgroupMemoryMax)
	if d.percent > 0 {
		debug.SetGCPercent(d.percent)
	}
	if d.memoryLimit > 0 {
		debug.SetMemoryLimit(d.memoryLimit)
	}
}

func chooseGCDefaults(getenv func(string) string, cgroupMax func() (int64, bool)) gcDefaults {
	var d gcDefaults
	if getenv("GOGC") == "" {
		d.percent = serverGCPercent
	}
	if getenv("GOMEMLIMIT") == "" {
		if capBytes, ok := cgroupMax(); ok {
			d.memoryLimit = int64(float64(capBytes) * memoryLimitShare)
		}
	}
	return d
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
