package postgres_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"taskrunner/test/proccpu"
)

// cpuMeter measures CPU time, of this process and of the server backends connected to
// one database, over a benchmark. On 2 cores throughput is bounded by CPU per task, which,
// unlike wall time, barely moves when other work shares the machine. It reads /proc, so it
// only reports when the server runs on this Linux machine; otherwise it stays silent.
type cpuMeter struct {
	watch      *pgx.Conn
	self       time.Duration
	pgBaseline map[int]time.Duration
	ok         bool
}

// startCPU takes the baseline; call it once the pool's connections are open.
func startCPU(b *testing.B, url string) *cpuMeter {
	b.Helper()
	m := &cpuMeter{}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		return m
	}
	b.Cleanup(func() { _ = conn.Close(context.Background()) })
	m.watch = conn
	self, err1 := procCPU("self")
	backends, err2 := m.backends()
	m.ok = err1 == nil && err2 == nil
	m.self, m.pgBaseline = self, backends
	return m
}

// report adds pg-µs/task and go-µs/task: the CPU used since startCPU, per task.
func (m *cpuMeter) report(b *testing.B, tasks float64) {
	if !m.ok {
		return
	}
	self, err1 := procCPU("self")
	backends, err2 := m.backends()
	if err1 != nil || err2 != nil {
		return
	}
	var pg time.Duration
	for pid, cpu := range backends {
		pg += cpu - m.pgBaseline[pid] // a backend opened during the run counts from zero
	}
	b.ReportMetric(float64(pg.Microseconds())/tasks, "pg-µs/task")
	b.ReportMetric(float64((self-m.self).Microseconds())/tasks, "go-µs/task")
}

// backends returns the CPU time of every other backend connected to this database.
func (m *cpuMeter) backends() (map[int]time.Duration, error) {
	rows, err := m.watch.Query(context.Background(),
		"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
	if err != nil {
		return nil, err
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil, err
	}
	out := make(map[int]time.Duration, len(pids))
	for _, pid := range pids {
		cpu, err := procCPU(strconv.Itoa(int(pid)))
		if err != nil {
			return nil, err
		}
		out[int(pid)] = cpu
	}
	return out, nil
}

// procCPU is the CPU time of pid ("self" for this process).
func procCPU(pid string) (time.Duration, error) {
	_, cpu, err := proccpu.Of(pid)
	return cpu, err
}
