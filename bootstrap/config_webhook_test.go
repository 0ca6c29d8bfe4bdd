package bootstrap

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWebhookConfigDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(func(string) string { return "" })
	require.NoError(t, err)
	require.Nil(t, c.Webhooks.Key, "unsigned without WEBHOOK_SECRET")
	require.Equal(t, 8, c.Webhooks.MaxAttempts)
	require.False(t, c.Webhooks.AllowPrivateNetworks)
}

func TestWebhookConfigReadsTheStandardWebhooksSecret(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"WEBHOOK_SECRET":                 "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"WEBHOOK_MAX_ATTEMPTS":           "3",
		"WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
	}
	c, err := Load(func(k string) string { return env[k] })
	require.NoError(t, err)
	require.Equal(t, []byte("0123456789abcdef0123456789abcdef"), c.Webhooks.Key)
	require.Equal(t, 3, c.Webhooks.MaxAttempts)
	require.True(t, c.Webhooks.AllowPrivateNetworks)
}

// A secret that is not whsec_<base64 key> fails start-up with a message that names the
// variable and the expected form, and never repeats the secret.
func TestWebhookConfigRefusesAnInvalidSecret(t *testing.T) {
	t.Parallel()
	for _, secret := range []string{"s3cr3t-plain-text", "whsec_%%%not-base64%%%", "whsec_c2hvcnQ="} {
		_, err := Load(func(k string) string {
			if k == "WEBHOOK_SECRET" {
				return secret
			}
			return ""
		})
		require.Error(t, err, secret)
		require.Contains(t, err.Error(), "WEBHOOK_SECRET")
		require.NotContains(t, err.Error(), secret)
	}
	_, err := Load(func(k string) string {
		if k == "WEBHOOK_MAX_ATTEMPTS" {
			return "0"
		}
		return ""
	})
	require.ErrorContains(t, err, "WEBHOOK_MAX_ATTEMPTS")
}
