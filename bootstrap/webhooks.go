package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/adapters/httpapi"
	"taskrunner/adapters/web"
	"taskrunner/application"
	"taskrunner/ports"
)

// webhookModule runs the callback deliverer in every process that runs workers: it sends
// the callbacks of tasks those workers finish (nudged at once) and, polling, those any
// other process left owed. The task JSON comes from the HTTP adapter's serializer, so a
// webhook body is byte for byte what GET /tasks/{id} answers.
var webhookModule = fx.Module("webhooks",
	fx.Provide(
		fx.Annotate(newWebhookSender, fx.As(new(ports.WebhookSender))),
		fx.Annotate(func() httpapi.TaskEncoder { return httpapi.TaskEncoder{} }, fx.As(new(ports.TaskEncoder))),
		newCallbackDeliverer,
	),
	fx.Invoke(func(lc fx.Lifecycle, d *application.CallbackDeliverer) {
		lc.Append(fx.Hook{OnStart: d.Start, OnStop: d.Stop})
	}),
)

// newWebhookSender is the POSTing side, behind the fetcher's SSRF guard unless
// WEBHOOK_ALLOW_PRIVATE_NETWORKS; its idle connections close on stop.
func newWebhookSender(lc fx.Lifecycle, c Config) *web.WebhookSender {
	s := web.NewWebhookSender(web.WebhookConfig{AllowPrivateNetworks: c.Webhooks.AllowPrivateNetworks, UserAgent: c.FetchUserAgent})
	lc.Append(fx.StopHook(s.Close))
	return s
}

type callbackParams struct {
	fx.In
	Config   Config
	Outbox   ports.CallbackOutbox
	Sender   ports.WebhookSender
	Encoder  ports.TaskEncoder
	Clock    ports.Clock
	Observer ports.WebhookObserver `optional:"true"`
	Log      *slog.Logger
}

func newCallbackDeliverer(p callbackParams) (*application.CallbackDeliverer, error) {
	return application.NewCallbackDeliverer(application.CallbackDeps{
		Outbox: p.Outbox, Sender: p.Sender, Encoder: p.Encoder, Clock: p.Clock, Log: p.Log, Observer: p.Observer,
	}, application.CallbackConfig{Secret: p.Config.Webhooks.Key, MaxAttempts: p.Config.Webhooks.MaxAttempts})
}

// callbackNudge is the deliverer's Nudge, or nil when this process runs none (the API
// role): the worker processes' polls pick those deliveries up.
func callbackNudge(d *application.CallbackDeliverer) func() {
	if d == nil {
		return nil
	}
	return d.Nudge
}
