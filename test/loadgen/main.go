// Command loadgen is taskrunner's load generator (make bench): it submits N echo tasks over
// HTTP from C concurrent clients (or at a fixed rate), waits for all of them to finish, and
// prints one JSON line: submit throughput, end-to-end throughput, submit latency and
// submit-to-finished latency percentiles, errors.
//
// Submit-to-finished latency comes from each task's own created_at and finished_at, read
// back after the run, so measuring does not add polling load while the tasks run.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

type options struct {
	url     string
	n       int
	c       int
	rate    float64
	label   string
	token   string
	timeout time.Duration
	cpu     cpuWatch
}

type report struct {
	Label         string  `json:"label"`
	Tasks         int     `json:"tasks"`
	Clients       int     `json:"clients"`
	Rate          float64 `json:"rate,omitempty"`
	SubmittedPerS float64 `json:"submitted_per_s"`
	TasksPerS     float64 `json:"tasks_per_s"`
	SubmitP50ms   float64 `json:"submit_p50_ms"`
	SubmitP99ms   float64 `json:"submit_p99_ms"`
	E2EP50ms      float64 `json:"e2e_p50_ms"`
	E2EP99ms      float64 `json:"e2e_p99_ms"`
	Succeeded     int     `json:"succeeded"`
	Errors        int64   `json:"errors"`
	// CPUPerTaskUs is each watched process's CPU per task, in µs, from the first submit
	// until the stack is idle (see cpu.go); absent where /proc is not.
	CPUPerTaskUs map[string]float64 `json:"cpu_us_per_task,omitempty"`
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "http://127.0.0.1:8000", "taskrunner base URL")
	flag.IntVar(&o.n, "n", 10000, "tasks to submit")
	flag.IntVar(&o.c, "c", 64, "concurrent clients")
	flag.Float64Var(&o.rate, "rate", 0, "submit at this many tasks per second in total (0: as fast as possible)")
	flag.StringVar(&o.label, "label", "", "label printed in the report")
	flag.StringVar(&o.token, "token", os.Getenv("LOADGEN_TOKEN"), "bearer token when auth is on")
	flag.DurationVar(&o.timeout, "timeout", 5*time.Minute, "give up after this long")
	cpuPids := flag.String("cpu-pids", "", "report the CPU per task of these processes: name=pid,... (Linux)")
	cpuComms := flag.String("cpu-comms", "", "and of every process with one of these command names, summed: postgres,redis-server")
	flag.Parse()
	var err error
	if o.cpu, err = parseCPUWatch(*cpuPids, *cpuComms); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	r, err := run(ctx, o)
	cancel() // before os.Exit, which would skip a deferred call
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(r)
}

// client is the load's HTTP client: fasthttp's, whose pooled requests and connections
// cost a fraction of net/http's CPU per request. The generator shares two cores with the
// stack it measures (make bench-services), so every microsecond it spends per request is
// one the api, the worker and the databases do not get.
type client struct {
	http  *fasthttp.Client
	base  string
	token string
}

// requestTimeout bounds one request, as net/http's Client.Timeout did.
const requestTimeout = 30 * time.Second

func newClient(base, token string, conns int) *client {
	return &client{
		http: &fasthttp.Client{
			MaxConnsPerHost:          conns,
			MaxIdleConnDuration:      30 * time.Second,
			NoDefaultUserAgentHeader: true,
		},
		base:  base,
		token: token,
	}
}

// do sends one request and decodes a 2xx answer's JSON into out. It ends by ctx's
// deadline or requestTimeout, whichever is sooner (fasthttp takes a deadline, not a
// context).
func (c *client) do(ctx context.Context, method, path string, body []byte, out any) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(c.base + path)
	req.Header.SetMethod(method)
	if body != nil {
		req.Header.SetContentType("application/json")
		req.SetBodyRaw(body)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	deadline := time.Now().Add(requestTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := c.http.DoDeadline(req, resp, deadline); err != nil {
		return 0, err
	}
	code := resp.StatusCode()
	if out == nil || code >= 300 {
		return code, nil
	}
	if d, ok := out.(bodyDecoder); ok {
		return code, d.decodeBody(resp.Body())
	}
	return code, json.Unmarshal(resp.Body(), out)
}

// bodyDecoder is an answer that reads itself from the body, for the hot path where a full
// json.Unmarshal (which scans every byte before decoding) costs more than the answer is
// worth.
type bodyDecoder interface{ decodeBody(body []byte) error }

type taskView struct {
	ID         string     `json:"id"`
	Status     string     `json:"status"`
	CreatedAt  time.Time  `json:"created_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

func run(ctx context.Context, o options) (report, error) {
	c := newClient(o.url, o.token, o.c*2)

	ids := make([]string, o.n)
	submitLat := make([]time.Duration, o.n)
	var next, errs int64
	var pace <-chan time.Time
	if o.rate > 0 {
		t := time.NewTicker(time.Duration(float64(time.Second) / o.rate))
		defer t.Stop()
		pace = t.C
	}
	body := []byte(`{"type":"echo","params":{"msg":"bench"},"max_retries":0}`)
	cpuBefore, _ := o.cpu.sample()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < o.c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := atomic.AddInt64(&next, 1) - 1
				if i >= int64(o.n) || ctx.Err() != nil {
					return
				}
				if pace != nil {
					select {
					case <-pace:
					case <-ctx.Done():
						return
					}
				}
				var tv submitted
				t0 := time.Now()
				code, err := c.do(ctx, http.MethodPost, "/tasks", body, &tv)
				submitLat[i] = time.Since(t0)
				if err != nil || code != http.StatusAccepted {
					atomic.AddInt64(&errs, 1)
					continue
				}
				ids[i] = tv.ID
			}
		}()
	}
	wg.Wait()
	submitDur := time.Since(start)

	if err := waitIdle(ctx, c); err != nil {
		return report{}, err
	}
	cpuAfter, _ := o.cpu.sample()
	finished, err := waitAll(ctx, c, ids, o.c)
	if err != nil {
		return report{}, err
	}
	var e2e []time.Duration
	var first, last time.Time
	succeeded := 0
	for _, tv := range finished {
		if tv.FinishedAt == nil {
			continue
		}
		if tv.Status == "succeeded" {
			succeeded++
		}
		e2e = append(e2e, tv.FinishedAt.Sub(tv.CreatedAt))
		if first.IsZero() || tv.CreatedAt.Before(first) {
			first = tv.CreatedAt
		}
		if tv.FinishedAt.After(last) {
			last = *tv.FinishedAt
		}
	}
	r := report{
		Label: o.label, Tasks: o.n, Clients: o.c, Rate: o.rate,
		SubmittedPerS: round(float64(o.n-int(errs)) / submitDur.Seconds()),
		SubmitP50ms:   ms(pct(submitLat, 50)), SubmitP99ms: ms(pct(submitLat, 99)),
		E2EP50ms: ms(pct(e2e, 50)), E2EP99ms: ms(pct(e2e, 99)),
		Succeeded: succeeded, Errors: errs + int64(len(ids)-int(errs)-succeeded),
	}
	r.CPUPerTaskUs = perTask(cpuBefore, cpuAfter, len(e2e))
	if span := last.Sub(first); span > 0 {
		r.TasksPerS = round(float64(len(e2e)) / span.Seconds())
	}
	return r, nil
}

// waitIdle waits until no task is queued or running, asking two cheap list questions every
// 100 ms, so that reading every task back (waitAll) does not load the stack while it still
// works. It assumes the stack runs only this load, as make bench arranges.
func waitIdle(ctx context.Context, c *client) error {
	for {
		busy := false
		for _, st := range []string{"queued", "running"} {
			var page struct {
				Tasks []json.RawMessage `json:"tasks"`
			}
			code, err := c.do(ctx, http.MethodGet, "/tasks?limit=1&status="+st, nil, &page)
			if err != nil || code != http.StatusOK || len(page.Tasks) > 0 {
				busy = true
				break
			}
		}
		if !busy {
			return nil
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
			return fmt.Errorf("tasks still unfinished: %w", ctx.Err())
		}
	}
}

// waitAll reads every task until each has finished, re-reading only the unfinished ones.
func waitAll(ctx context.Context, c *client, ids []string, conc int) ([]taskView, error) {
	pending := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			pending = append(pending, id)
		}
	}
	var done []taskView
	for len(pending) > 0 {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%d tasks still unfinished: %w", len(pending), ctx.Err())
		}
		var mu sync.Mutex
		var still []string
		work := make(chan string)
		var wg sync.WaitGroup
		for w := 0; w < conc; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := range work {
					var tv taskView
					code, err := c.do(ctx, http.MethodGet, "/tasks/"+id, nil, &tv)
					mu.Lock()
					if err != nil || code != http.StatusOK || tv.FinishedAt == nil {
						still = append(still, id)
					} else {
						done = append(done, tv)
					}
					mu.Unlock()
				}
			}()
		}
		for _, id := range pending {
			work <- id
		}
		close(work)
		wg.Wait()
		pending = still
		if len(pending) > 0 {
			select {
			case <-time.After(100 * time.Millisecond):
			case <-ctx.Done():
			}
		}
	}
	if len(done) == 0 {
		return nil, errors.New("no task finished")
	}
	return done, nil
}

func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	idx := int(float64(len(s)-1) * p / 100)
	return s[idx]
}

func ms(d time.Duration) float64 { return round(float64(d) / float64(time.Millisecond)) }

func round(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }
