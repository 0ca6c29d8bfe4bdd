package metrics_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/metrics"
	"taskrunner/domain"
)

func TestWorkCountersAreScrapedByType(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{})
	m.TaskRetried(domain.TaskSleep)
	m.TaskRetried(domain.TaskSleep)
	m.TaskRedelivered(domain.TaskEcho)
	m.TaskRequeued(domain.TaskEcho)
	m.TaskRequeued(domain.TaskEcho)
	m.TaskRequeued(domain.TaskEcho)
	body := scrape(t, m)
	require.Contains(t, body, `taskrunner_task_retries_total{type="sleep"} 2`+"\n")
	require.Contains(t, body, `taskrunner_task_redeliveries_total{type="echo"} 1`+"\n")
	require.Contains(t, body, `taskrunner_task_requeues_total{type="echo"} 3`+"\n")
}

func TestInFlightGaugeFollowsStartsAndEnds(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{})
	m.TasksInFlight(domain.TaskSleep, 1)
	m.TasksInFlight(domain.TaskSleep, 1)
	m.TasksInFlight(domain.TaskEcho, 1)
	m.TasksInFlight(domain.TaskSleep, -1)
	body := scrape(t, m)
	require.Contains(t, body, `taskrunner_tasks_in_flight{type="sleep"} 1`+"\n")
	require.Contains(t, body, `taskrunner_tasks_in_flight{type="echo"} 1`+"\n")
	m.TasksInFlight(domain.TaskEcho, -1)
	require.Contains(t, scrape(t, m), `taskrunner_tasks_in_flight{type="echo"} 0`+"\n")
}

func TestProviderLatencyByProviderAndOutcome(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{})
	m.ProviderCalled("brave", "ok", 120*time.Millisecond)
	m.ProviderCalled("brave", "ok", 80*time.Millisecond)
	m.ProviderCalled("exa", "provider_rate_limited", 40*time.Millisecond)
	body := scrape(t, m)
	require.Contains(t, body, `taskrunner_search_provider_call_duration_seconds_count{outcome="ok",provider="brave"} 2`+"\n")
	require.Contains(t, body, `taskrunner_search_provider_call_duration_seconds_sum{outcome="ok",provider="brave"} 0.2`)
	require.Contains(t, body, `taskrunner_search_provider_call_duration_seconds_count{outcome="provider_rate_limited",provider="exa"} 1`+"\n")
}

func TestFetchLatencyAndBytes(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{})
	m.PageFetched("ok", 3000, 250*time.Millisecond)
	m.PageFetched("ok", 1000, 50*time.Millisecond)
	m.PageFetched("fetch_failed", 0, time.Second)
	body := scrape(t, m)
	require.Contains(t, body, `taskrunner_fetch_duration_seconds_count{outcome="ok"} 2`+"\n")
	require.Contains(t, body, `taskrunner_fetch_duration_seconds_count{outcome="fetch_failed"} 1`+"\n")
	require.Contains(t, body, "taskrunner_fetch_body_bytes_sum 4000\n")
	require.Contains(t, body, "taskrunner_fetch_body_bytes_count 2\n")
}
