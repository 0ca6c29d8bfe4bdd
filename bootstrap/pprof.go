package bootstrap

import (
	"log/slog"
	"net/http"
	"net/http/pprof"

	"taskrunner/adapters/metrics"
)

// pprofModule serves Go's profiler (/debug/pprof/) when PPROF_ADDR is set (appOptions adds
// it only then), so a throughput claim can come with the profile that explains it. It is
// off by default and meant for loopback: profiles show what the process is doing.
var pprofModule = ownListenerModule("pprof", "PPROF_ADDR", `name:"pprof"`, newPprofServer)

func newPprofServer(c Config, log *slog.Logger) (*metrics.Server, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return metrics.NewServer(metrics.ServerConfig{Addr: c.PprofAddr, Handler: mux, Path: "/debug/pprof/", Log: log})
}
