package bootstrap

import (
	"log/slog"
	"time"
)

// LogValue is what a log line shows of the config: no key, token or password, only
// whether one is set.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("mode", string(c.Mode)),
		slog.String("http_addr", c.HTTPAddr),
		slog.Bool("auth_enabled", len(c.APITokens) > 0),
		slog.Any("trusted_proxies", c.TrustedProxies),
		slog.Bool("brave_key_set", c.BraveAPIKey != ""),
		slog.Bool("exa_key_set", c.ExaAPIKey != ""),
		slog.Int("worker_concurrency", c.WorkerConcurrency),
		slog.Int("extract_max_concurrent", c.ExtractConcurrency),
		slog.Int("task_max_runtime_seconds", c.Limits.TaskMaxRuntimeSeconds),
		slog.Int("tasks_per_minute", c.Limits.TasksPerMinute),
		slog.Any("fetch_allowed_ports", c.Limits.FetchAllowedPorts),
		slog.Bool("fetch_allow_private_networks", c.FetchAllowPrivate),
		slog.Int("metrics_cache_seconds", int(c.MetricsCacheTTL/time.Second)),
		slog.Int("memory_max_finished_tasks", c.MemoryMaxFinishedTasks),
		slog.Bool("webhook_secret_set", len(c.Webhooks.Key) > 0),
		slog.Int("webhook_max_attempts", c.Webhooks.MaxAttempts),
		slog.Bool("webhook_allow_private_networks", c.Webhooks.AllowPrivateNetworks),
		slog.Int("task_retention_days", c.Limits.TaskRetentionDays),
		slog.Int64("fetch_host_min_interval_ms", c.Politeness.HostInterval.Milliseconds()),
		slog.Bool("fetch_respect_robots", c.Politeness.RespectRobots),
	)
}
