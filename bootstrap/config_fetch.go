package bootstrap

import "time"

// PolitenessConfig is how fetches treat the sites they visit.
type PolitenessConfig struct {
	// HostInterval (FETCH_HOST_MIN_INTERVAL_MS, default 1000) is the least time between
	// two fetch starts on one host, across every worker process; 0 turns pacing off.
	HostInterval time.Duration
	// RespectRobots (FETCH_RESPECT_ROBOTS, default true) obeys each site's robots.txt.
	RespectRobots bool
	// RobotsTTL (FETCH_ROBOTS_TTL_SECONDS, default 86400) is how long a robots.txt is reused.
	RobotsTTL time.Duration
}

func (r *reader) politeness() PolitenessConfig {
	return PolitenessConfig{
		HostInterval:  time.Duration(r.intRange("FETCH_HOST_MIN_INTERVAL_MS", 1000, 0, 3_600_000)) * time.Millisecond,
		RespectRobots: r.boolean("FETCH_RESPECT_ROBOTS", true),
		RobotsTTL:     time.Duration(r.intRange("FETCH_ROBOTS_TTL_SECONDS", 86400, 0, 30*86400)) * time.Second,
	}
}
