package bootstrap

import (
	"strings"

	"taskrunner/application"
	"taskrunner/domain"
)

// WebhookConfig is how task callbacks are delivered.
type WebhookConfig struct {
	// Key is the HMAC key decoded from WEBHOOK_SECRET (whsec_<base64>); nil: unsigned. The
	// secret itself is not kept, and LogValue shows only whether a key is set.
	Key []byte
	// MaxAttempts (WEBHOOK_MAX_ATTEMPTS, default 8) ends a delivery as failed.
	MaxAttempts int
	// AllowPrivateNetworks (WEBHOOK_ALLOW_PRIVATE_NETWORKS) lets callbacks reach private
	// and loopback addresses, which the SSRF guard refuses by default.
	AllowPrivateNetworks bool
}

func (r *reader) webhooks() WebhookConfig {
	key, err := domain.ParseWebhookSecret(strings.TrimSpace(r.getenv("WEBHOOK_SECRET")))
	if err != nil {
		r.fail("WEBHOOK_SECRET", "%s", err.Error()) // the message never repeats the secret
	}
	return WebhookConfig{
		Key:                  key,
		MaxAttempts:          r.intRange("WEBHOOK_MAX_ATTEMPTS", application.DefaultWebhookMaxAttempts, 1, 100),
		AllowPrivateNetworks: r.boolean("WEBHOOK_ALLOW_PRIVATE_NETWORKS", false),
	}
}
