package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"taskrunner/test/proccpu"
)

// CPU per task, by process, over a run: on a small machine where the load generator, the
// stack and its databases share the cores, throughput is bounded by the CPU a task costs
// all of them together, and that figure moves much less than tasks/s when other work
// shares the machine. It is read from /proc (Linux), from the first submit until the stack
// is idle, before the tasks are read back; elsewhere the report leaves it out.

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
	_, self, err := proccpu.Of("self")
	if err != nil {
		return nil, false
	}
	s["loadgen"] = self.Seconds()
	for name, pid := range w.pids {
		if _, cpu, err := proccpu.Of(strconv.Itoa(pid)); err == nil {
			s[name] = cpu.Seconds()
		}
	}
	if len(w.comms) > 0 {
		stats, _ := filepath.Glob("/proc/[0-9]*/stat")
		for _, path := range stats {
			comm, cpu, err := proccpu.Read(path)
			if err != nil {
				continue
			}
			for _, c := range w.comms {
				if comm == c {
					s[c] += cpu.Seconds()
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
