package bootstrap

import (
	"context"
	"fmt"

	"go.uber.org/fx"

	"taskrunner/adapters/metrics"
)

// ownListenerModule is a module that serves the *metrics.Server newServer builds on a
// listener of its own (the worker's /metrics, the profiler). The listener is bound in
// OnStart, so an address in use fails start-up, its error naming variable (the setting
// that holds the address). tag names the server in the graph; "" leaves it unnamed.
func ownListenerModule(name, variable, tag string, newServer any) fx.Option {
	return fx.Module(name,
		fx.Provide(fx.Annotate(newServer, fx.ResultTags(tag))),
		fx.Invoke(fx.Annotate(func(lc fx.Lifecycle, s *metrics.Server) {
			lc.Append(fx.Hook{
				OnStart: func(ctx context.Context) error {
					if err := s.Start(ctx); err != nil {
						return fmt.Errorf("%s: %w", variable, err)
					}
					return nil
				},
				OnStop: s.Stop,
			})
		}, fx.ParamTags(``, tag))),
	)
}
