package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// CPU per task, by process, over a run: on a small machine where the load generator, the
// stack and its databases share the cores, throughput is bounded by the CPU a task costs
// all of them together, and that figure moves much less than tasks/s when other work
// shares the machine. It is read from /proc (Linux), from the first submit until the stack
// is idle, before the tasks are read back; elsewhere the report leaves it out.

// clockTicksPerSecond is USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux
// port that matters here.
const clockTicksPerSecond = 100

// cpuWatch names the processes to measure: pids by name (the stack's processes), and
// command names whose processes are summed (database servers, whose backends come and go).
type cpuWatch struct {
	pids  map[string]int
	comms []string
}

// parseCPUWatch reads -cpu-pids ("api=123,worker=456") and -cpu-comms ("postgres,redis-server").
func parseCPUWatch(pids, comms string) (cpuWatch, error) {
	w := cpuWatch{pids: map[string]int{}}
	for _, kv := range strings.Split(pids, ",") {
		if kv == "" {
			continue
		}
		name, pid, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(pid)
		if !ok || name == "" || err != nil || n <= 0 {
			return cpuWatch{}, fmt.Errorf("-cpu-pids: want name=pid, got %q", kv)
		}
		w.pids[name] = n
	}
	for _, c := range strings.Split(comms, ",") {
		if c != "" {
			w.comms = append(w.comms, c)
		}
	}
	return w, nil
}

// cpuSample is CPU seconds by name: the watched pids', the summed command names', and
// "loadgen" for this process.
type cpuSample map[string]float64

func (w cpuWatch) sample() (cpuSample, bool) {
	if len(w.pids) == 0 && len(w.comms) == 0 {
		return nil, false
	}
	s := cpuSample{}
	self, ok := procCPU("/proc/self/stat")
	if !ok {
		return nil, false
	}
	s["loadgen"] = self
	for name, pid := range w.pids {
		s[name], _ = procCPU(fmt.Sprintf("/proc/%d/stat", pid))
	}
	if len(w.comms) > 0 {
		stats, _ := filepath.Glob("/proc/[0-9]*/stat")
		for _, path := range stats {
			comm, secs, ok := procStat(path)
			if !ok {
				continue
			}
			for _, c := range w.comms {
				if comm == c {
					s[c] += secs
				}
			}
		}
	}
	return s, true
}

// perTask is the CPU each name spent per task between two samples, in microseconds.
func perTask(before, after cpuSample, tasks int) map[string]float64 {
	if before == nil || after == nil || tasks == 0 {
		return nil
	}
	out := map[string]float64{}
	total := 0.0
	for name, secs := range after {
		us := (secs - before[name]) / float64(tasks) * 1e6
		out[name] = round(us)
		total += us
	}
	out["total"] = round(total)
	return out
}

func procCPU(path string) (float64, bool) {
	_, secs, ok := procStat(path)
	return secs, ok
}

// procStat reads a process's command name and its user plus system CPU seconds.
func procStat(path string) (comm string, secs float64, ok bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", 0, false
	}
	st := string(b)
	open, end := strings.IndexByte(st, '('), strings.LastIndexByte(st, ')')
	if open < 0 || end < open {
		return "", 0, false
	}
	f := strings.Fields(st[end+1:])
	if len(f) < 13 { // state is f[0]; utime and stime are fields 14 and 15 of the line
		return "", 0, false
	}
	utime, err1 := strconv.ParseFloat(f[11], 64)
	stime, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return "", 0, false
	}
	return st[open+1 : end], (utime + stime) / clockTicksPerSecond, true
}
